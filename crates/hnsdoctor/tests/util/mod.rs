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
