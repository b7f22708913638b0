//! Integration tests of `hnsdoctor-parse`, one test binary for the crate (link time). Each
//! module is one former `tests/<name>.rs`; `evtx_writer` is the test-only `.evtx` writer used by
//! `evtx_binary`. Run one with `cargo test -p hnsdoctor-parse --test it <module>::`.

mod evtx_binary;
mod evtx_writer;
mod legacy_folder;
