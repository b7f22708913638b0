//! Integration tests of the `hnsdoctor` binary, one test binary for the crate (linking one
//! binary instead of nineteen is what matters on a small machine). Each module is one former
//! `tests/<name>.rs`; `util` holds the shared helpers. Run one module with
//! `cargo test -p hnsdoctor --test it <module>::`.

mod analyze;
mod cli;
mod collect;
mod deploy;
mod diff;
mod dist;
mod doctor;
mod examples;
mod first_contact;
mod fix;
mod fleet;
mod inspect;
mod kb;
#[cfg(unix)]
mod kubectl;
mod memory;
mod metrics;
mod npd;
mod redact;
mod util;
mod watch;
