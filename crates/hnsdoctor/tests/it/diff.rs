//! `hnsdoctor diff`: two copies of an example that differ by one planted change report exactly
//! that change, in text, JSON and Markdown.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Read a UTF-16LE file with BOM (what PowerShell 5.1 writes), replace, write it back the same way.
fn edit_utf16(path: &Path, from: &str, to: &str) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        &bytes[..2],
        &[0xff, 0xfe],
        "{} is UTF-16LE with BOM",
        path.display()
    );
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from} once in {}",
        path.display()
    );
    let text = text.replace(from, to);
    let mut out = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(path, out).unwrap();
}

fn diff(before: &Path, after: &Path, format: &str) -> (i32, String) {
    let out = Command::cargo_bin("hnsdoctor")
        .unwrap()
        .args([
            "diff",
            before.to_str().unwrap(),
            after.to_str().unwrap(),
            "--format",
            format,
        ])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn a_planted_endpoint_change_is_reported_exactly() {
    let d = tempfile::tempdir().unwrap();
    let (before, after) = (d.path().join("before"), d.path().join("after"));
    copy_dir(&example("healthy-node"), &before);
    copy_dir(&example("healthy-node"), &after);

    // Identical copies: nothing, exit 0.
    let (code, text) = diff(&before, &after, "text");
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("No differences"), "{text}");

    // One endpoint's IP changes.
    edit_utf16(
        &after.join("endpoint.txt"),
        "\"10.244.2.6\"",
        "\"10.244.2.9\"",
    );
    let (code, json) = diff(&before, &after, "json");
    assert_eq!(code, 1, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{json}");
    let c = &changes[0];
    assert_eq!(c["object"], "endpoint");
    assert_eq!(c["key"], "e2000000-0000-4000-8000-000000000002");
    assert_eq!(c["change"], "changed");
    let fields = c["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{json}");
    assert_eq!(fields[0]["field"], "ips");
    assert_eq!(fields[0]["before"], serde_json::json!(["10.244.2.6"]));
    assert_eq!(fields[0]["after"], serde_json::json!(["10.244.2.9"]));
    assert_eq!(v["findings_appeared"], serde_json::json!([]));
    assert_eq!(v["findings_cleared"], serde_json::json!([]));

    let (_, text) = diff(&before, &after, "text");
    assert!(
        text.contains("~ endpoint e2000000-0000-4000-8000-000000000002 (10.244.2.9)"),
        "{text}"
    );
    let (_, md) = diff(&before, &after, "markdown");
    assert!(md.contains("| ~ | endpoint |"), "{md}");

    // Swapped: the same change the other way round.
    let (_, back) = diff(&after, &before, "json");
    let v: serde_json::Value = serde_json::from_str(&back).unwrap();
    assert_eq!(
        v["changes"][0]["fields"][0]["after"],
        serde_json::json!(["10.244.2.6"])
    );
}

#[test]
fn findings_that_appear_are_reported() {
    // healthy-node before, port-exhaustion after: findings appear.
    let (code, json) = diff(
        &example("healthy-node"),
        &example("port-exhaustion"),
        "json",
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let appeared: Vec<&str> = v["findings_appeared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(!appeared.is_empty(), "{json}");
    let (_, back) = diff(
        &example("port-exhaustion"),
        &example("healthy-node"),
        "json",
    );
    let b: serde_json::Value = serde_json::from_str(&back).unwrap();
    let cleared: Vec<&str> = b["findings_cleared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(appeared, cleared);
    let missing = Command::cargo_bin("hnsdoctor")
        .unwrap()
        .args([
            "diff",
            "/nonexistent/before",
            example("healthy-node").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/before"));
}
