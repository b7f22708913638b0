//! Integration tests of `hnsdoctor-rules` on parsed input, one test binary for the crate (link
//! time). Each module is one former `tests/<name>.rs`; run one with
//! `cargo test -p hnsdoctor-rules --test it <module>::`.

mod parsed;
mod parsed_pastes;
