//! `hnsdoctor doctor` end to end on this (non-Windows) machine, allowed by
//! `HNSDOCTOR_ALLOW_NON_WINDOWS=1`: the real local host answers no HNS call, so the bundle's
//! manifest says "HNS API not available" and the report must turn that into the
//! `hns-api-unavailable` finding — read back from the written bundle. Without the variable,
//! `doctor` refuses off Windows.

use crate::util::{hnsdoctor, live_host};
use std::path::Path;

fn findings(report: &Path) -> Vec<(String, String)> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report).unwrap()).expect("report is JSON");
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn doctor_keeps_the_bundle_and_reports_missing_hns_api() {
    let tmp = tempfile::tempdir().unwrap();
    let out = live_host()
        .current_dir(tmp.path())
        .args([
            "doctor",
            "--keep",
            "--bundle-dir",
            "b",
            "--format",
            "json",
            "-o",
            "r.json",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(tmp.path().join("b/manifest.json").is_file(), "bundle kept");
    assert!(tmp.path().join("b.zip").is_file(), "zip kept");
    let f = findings(&tmp.path().join("r.json"));
    assert!(
        f.contains(&("hns-api-unavailable".into(), "error".into())),
        "{f:?}"
    );
}

#[test]
fn doctor_without_keep_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let out = live_host()
        .current_dir(tmp.path())
        .args([
            "doctor",
            "--format",
            "json",
            "--only",
            "hns-api-unavailable",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["findings"][0]["id"], "hns-api-unavailable");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(
        left.is_empty(),
        "doctor wrote into the current folder: {left:?}"
    );
}

#[test]
fn bundle_dir_requires_keep_and_bad_rule_ids_fail_before_collecting() {
    let out = hnsdoctor()
        .args(["doctor", "--bundle-dir", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let tmp = tempfile::tempdir().unwrap();
    let out = live_host()
        .current_dir(tmp.path())
        .args(["doctor", "--keep", "--only", "no-such-rule"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rule"));
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing collected"
    );
}

#[cfg(not(windows))]
#[test]
fn doctor_refuses_off_windows_without_windows_advice() {
    let tmp = tempfile::tempdir().unwrap();
    let out = hnsdoctor()
        .current_dir(tmp.path())
        .args(["doctor", "--keep"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "documented exit code");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("`hnsdoctor analyze"), "{err}");
    assert!(!err.contains("Install-WindowsFeature"), "{err}");
    assert!(out.stdout.is_empty(), "no report");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}
