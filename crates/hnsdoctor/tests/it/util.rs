//! Shared helpers for the binary's integration tests.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

/// The built `hnsdoctor` binary, with colours off and a stable environment.
pub fn hnsdoctor() -> Command {
    let mut c = Command::cargo_bin("hnsdoctor").unwrap();
    c.env("NO_COLOR", "1").env_remove("RUST_LOG");
    c
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `hnsdoctor` for a live-host command (`collect`, `doctor`): allowed to run off Windows, where
/// it would otherwise refuse (exit 6), so the pipeline can be tested end to end here.
pub fn live_host() -> Command {
    let mut c = hnsdoctor();
    c.env("HNSDOCTOR_ALLOW_NON_WINDOWS", "1");
    c
}
