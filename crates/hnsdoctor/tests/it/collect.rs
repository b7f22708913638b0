//! `hnsdoctor collect` end to end on the build machine's real host (on Linux: the local host,
//! allowed by `HNSDOCTOR_ALLOW_NON_WINDOWS=1`, so Windows-only sources fail and the bundle still
//! completes), the refusal off Windows without it, plus `--list-sources`.

use crate::util::{hnsdoctor, live_host};

#[test]
fn list_sources_json_is_the_table() {
    let out = hnsdoctor()
        .args(["collect", "--list-sources", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() >= 60);
    assert!(rows
        .iter()
        .any(|r| r["id"] == "hns.endpoints" && r["path"] == "hns/endpoints.json"));
    assert!(rows.iter().all(|r| r["mutates"] == false));
    let text = hnsdoctor()
        .args(["collect", "--list-sources", "--only", "ports"])
        .output()
        .unwrap();
    let t = String::from_utf8(text.stdout).unwrap();
    assert!(t.contains("ports.excluded") && t.contains("excludedportrange.txt"));
    assert!(!t.contains("hns.networks"));
}

#[test]
fn unknown_source_is_bad_input() {
    let out = live_host()
        .args(["collect", "--only", "nope", "--no-zip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown source"));
}

#[test]
fn collect_writes_a_bundle_with_a_manifest() {
    let d = tempfile::tempdir().unwrap();
    let b = d.path().join("bundle");
    let out = live_host()
        .args([
            "collect",
            "--only",
            "hns.networks,ports.excluded,hns.data",
            "--out",
        ])
        .arg(&b)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("bundle: ") && stdout.contains("zip: "),
        "{stdout}"
    );
    assert!(stdout.contains("(of 3)"), "{stdout}");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(b.join("manifest.json")).unwrap()).unwrap();
    let srcs = m["sources"].as_array().unwrap();
    assert_eq!(srcs.len(), 3);
    let nets = srcs.iter().find(|s| s["id"] == "hns.networks").unwrap();
    if cfg!(not(windows)) {
        assert_eq!(nets["status"], "failed");
        assert!(nets["error"]
            .as_str()
            .unwrap()
            .starts_with("HNS API not available"));
    }
    assert!(d.path().join("bundle.zip").exists());
}

#[cfg(not(windows))]
#[test]
fn collect_refuses_off_windows_in_one_line_pointing_to_analyze() {
    let d = tempfile::tempdir().unwrap();
    let out = hnsdoctor()
        .current_dir(d.path())
        .args(["collect", "--no-zip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("hnsdoctor analyze"), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        0,
        "nothing written"
    );
    // JSON callers get a JSON error
    let out = hnsdoctor()
        .current_dir(d.path())
        .args(["collect", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    assert_eq!(v["error"]["kind"], "not-windows");
}

/// Disk full: a write that fails midway (the file-size limit makes the manifest's write fail
/// after its first KiB, as a full disk would) ends the collection with an error naming the
/// file and what happened, and leaves neither the bundle folder, a zip nor the staging folder.
#[cfg(target_os = "linux")]
#[test]
fn a_write_failing_midway_leaves_no_bundle_and_names_the_file() {
    let d = tempfile::tempdir().unwrap();
    let b = d.path().join("bundle");
    let bin = assert_cmd::cargo::cargo_bin("hnsdoctor");
    // SIGXFSZ ignored (inherited through exec) so the write fails with EFBIG instead of killing.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 1; exec "$0" "$@""#)
        .arg(&bin)
        .args(["collect", "--only", "hns,ports,ip", "--out"])
        .arg(&b)
        .env("HNSDOCTOR_ALLOW_NON_WINDOWS", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("manifest.json") && stderr.contains("File too large"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// `collect --redact`: beside the bundle, an obfuscated `<bundle>-redacted.zip` and its private
/// mapping (outside the zip); the bundle itself is unchanged.
#[test]
fn collect_redact_writes_a_shareable_copy_beside_the_bundle() {
    let d = tempfile::tempdir().unwrap();
    let b = d.path().join("bundle");
    let out = live_host()
        .args([
            "collect",
            "--only",
            "hns.networks,ports.excluded",
            "--redact",
            "--keyword",
            "zz",
            "--out",
        ])
        .arg(&b)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shared = d.path().join("bundle-redacted.zip");
    let mapping = d.path().join("bundle-redacted.zip.mapping.json");
    assert!(stdout.contains("bundle-redacted.zip"), "{stdout}");
    assert!(stdout.contains("keep it private"), "{stdout}");
    let mut z = zip::ZipArchive::new(std::fs::File::open(&shared).unwrap()).unwrap();
    assert!(z.by_name("manifest.json").is_ok());
    assert!((0..z.len()).all(|i| !z.by_index(i).unwrap().name().unwrap().contains("mapping")));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(mapping).unwrap()).unwrap();
    assert_eq!(m["key"].as_str().unwrap().len(), 64);
    assert!(b.join("manifest.json").exists());
}
