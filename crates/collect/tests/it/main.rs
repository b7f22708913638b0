//! Integration tests of `hnsdoctor-collect`, one test binary for the crate (link time). Each
//! module is one former `tests/<name>.rs`; run one with
//! `cargo test -p hnsdoctor-collect --test it <module>::`.

mod collect;
mod conformance;
mod pktmon_readback;
mod readback;
mod real_node;
