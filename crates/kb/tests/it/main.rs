//! Integration tests of `hnsdoctor-kb` (the knowledge-base data and its queries), one test
//! binary for the crate (link time). Each module is one former `tests/<name>.rs`; run one with
//! `cargo test -p hnsdoctor-kb --test it <module>::`.

mod data;
mod review;
mod version_props;
