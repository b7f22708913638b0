//! Build script: records the git commit hnsdoctor is built from as `HNSDOCTOR_GIT_COMMIT`
//! (shown by `--version`). Order: the `HNSDOCTOR_GIT_COMMIT` environment variable (release
//! builds from a source archive), else `git rev-parse --short=10 HEAD`, else `unknown`.
//! Reruns when HEAD or the branch it points to moves.

use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Watch a file only when it exists (a missing one would rerun the script on every build).
fn watch(p: &std::path::Path) {
    if p.exists() {
        println!("cargo:rerun-if-changed={}", p.display());
    }
}

fn main() {
    println!("cargo:rerun-if-env-changed=HNSDOCTOR_GIT_COMMIT");
    let commit = std::env::var("HNSDOCTOR_GIT_COMMIT")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=10", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let dir = PathBuf::from(dir);
        watch(&dir.join("HEAD"));
        if let Some(common) = git(&["rev-parse", "--git-common-dir"]) {
            let common = PathBuf::from(common);
            let common = if common.is_absolute() {
                common
            } else {
                std::env::current_dir().unwrap_or_default().join(common)
            };
            watch(&common.join("packed-refs"));
            if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
                watch(&common.join(head_ref));
            }
        }
    }
    println!("cargo:rustc-env=HNSDOCTOR_GIT_COMMIT={commit}");
}
