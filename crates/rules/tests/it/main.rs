//! Integration tests of `hnsdoctor-rules` on parsed input, one test binary for the crate (link
//! time). `fixtures` walks the per-rule fixtures in `crates/rules/fixtures/`; the other modules
//! are former `tests/<name>.rs` files. Run one with
//! `cargo test -p hnsdoctor-rules --test it <module>::`.

mod fixtures;
mod new_rule;
mod parsed;
mod parsed_pastes;
