//! End-to-end tests of `hnsdoctor analyze`: arguments, formats, `--out`, exit codes and the
//! bad-input paths (missing, empty, unrecognised input; unknown `--only` id; bad options).
//! Scenario coverage (which findings each example produces) is in `tests/it/examples.rs`.

use crate::util::hnsdoctor;
use predicates::prelude::*;

/// A pasted kube-proxy error line: enough for the error-signature rules.
const PASTE: &str = "E0412 10:15:02.123456    4321 proxier.go:1234] Policy creation failed: \
hcnCreateLoadBalancer failed in Win32: The port already exists. (0x803b0013)\n";

#[test]
fn stdin_paste_text_report_and_exit_code() {
    let out = hnsdoctor()
        .args(["analyze", "-"])
        .write_stdin(PASTE)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    // the verdict first, then the headline
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("hnsdoctor analyze: ")),
        "text report expected, got:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with("1 error — "), "{text}");
    assert!(text.contains("[port-already-exists]"), "{text}");
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 1 || code == 2, "finding ⇒ exit 1 or 2, got {code}");
    assert!(!text.contains('\x1b'), "no colour when piped / NO_COLOR");
}

#[test]
fn json_to_file_with_only() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let paste = dir.path().join("paste.txt");
    std::fs::write(&paste, PASTE).unwrap_or_else(|e| panic!("write: {e}"));
    let out_file = dir.path().join("report.json");
    let out = hnsdoctor()
        .args([
            "analyze",
            "--format",
            "json",
            "--only",
            "port-already-exists,hns-crash",
        ])
        .arg("--out")
        .arg(&out_file)
        .arg(&paste)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(out.stdout.is_empty(), "--out: nothing on stdout");
    let doc: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&out_file).unwrap_or_else(|e| panic!("read report: {e}")),
    )
    .unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(doc["schema_version"], 1);
    let ids: Vec<&str> = doc["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec!["port-already-exists"], "--only limits the rules");
    let mut all: Vec<String> = ids.iter().map(|s| (*s).to_string()).collect();
    for k in ["passed", "not_evaluated"] {
        for v in doc[k].as_array().into_iter().flatten() {
            all.push(
                v.as_str()
                    .or_else(|| v["id"].as_str())
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    all.sort();
    assert_eq!(all, vec!["hns-crash", "port-already-exists"], "{doc:#}");
    let expect = match doc["findings"][0]["severity"].as_str() {
        Some("error") => 2,
        Some("warning") => 1,
        _ => 0,
    };
    assert_eq!(out.status.code(), Some(expect));
}

#[test]
fn html_and_markdown_to_stdout() {
    hnsdoctor()
        .args(["analyze", "--format", "html", "-"])
        .write_stdin(PASTE)
        .assert()
        .stdout(predicate::str::starts_with("<!DOCTYPE html>"))
        .stdout(predicate::str::contains("data-id=\"port-already-exists\""));
    hnsdoctor()
        .args(["analyze", "--format", "markdown", "-"])
        .write_stdin(PASTE)
        .assert()
        .stdout(predicate::str::starts_with("### 1 error — "))
        .stdout(predicate::str::contains("| `port-already-exists` |"));
}

#[test]
fn missing_input_is_bad_input() {
    hnsdoctor()
        .args(["analyze", "/nonexistent/hnsdoctor-bundle"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("/nonexistent/hnsdoctor-bundle"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn empty_input_is_bad_input() {
    hnsdoctor()
        .args(["analyze", "-"])
        .write_stdin("  \n\n")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("<stdin>"));
}

#[test]
fn unrecognised_input_is_an_info_finding_not_a_refusal() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let f = dir.path().join("shopping-list.txt");
    std::fs::write(&f, "eggs\nmilk\nbread\n").unwrap_or_else(|e| panic!("write: {e}"));
    let out = hnsdoctor()
        .arg("analyze")
        .arg(&f)
        .args(["--format", "json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("shopping-list.txt"))
        .stderr(predicate::str::contains("nothing recognised"))
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value =
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("report JSON: {e}"));
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, ["input-not-recognised"], "{v:#}");
    assert_eq!(v["findings"][0]["severity"], "info");
}

#[test]
fn unknown_only_id_is_bad_input() {
    hnsdoctor()
        .args(["analyze", "--only", "no-such-rule", "-"])
        .write_stdin(PASTE)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no-such-rule"));
}

#[test]
fn usage_errors_exit_4() {
    hnsdoctor().args(["analyze"]).assert().code(4);
    hnsdoctor()
        .args(["analyze", "--dns-ip", "10.96.0", "-"])
        .write_stdin(PASTE)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("not an IP address"));
    hnsdoctor()
        .args(["analyze", "--service-cidr", "10.96.0.0", "-"])
        .write_stdin(PASTE)
        .assert()
        .code(4);
    hnsdoctor()
        .args(["analyze", "--format", "pdf", "-"])
        .write_stdin(PASTE)
        .assert()
        .code(4);
    hnsdoctor()
        .args(["analyze", "-", "-"])
        .write_stdin(PASTE)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("only once"));
}

/// `explain` and `analyze` share one extractor: for the same pasted line both name the same
/// codes (hex, decimal `ErrorCode`, signed, plain Win32, message text only).
#[test]
fn explain_and_analyze_name_the_same_code_for_the_same_line() {
    let lines = [
        r#"E0101 10:00:00.000000 1 proxier.go:1] "Policy creation failed" err="hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013)""#,
        r#"plugin failed: {"Success":false,"Error":"x","ErrorCode":2151350319}"#,
        "CreateEndpoint failed with HRESULT -2143617005",
        "hcnCreateNetwork failed in Win32: The object already exists. (0x1392)",
        "docker: Error response from daemon: HNS failed with error : Element not found.",
    ];
    for line in lines {
        let out = hnsdoctor()
            .args(["explain", "--format", "json", line])
            .output()
            .unwrap_or_else(|e| panic!("explain: {e}"));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("explain JSON for {line}: {e}"));
        let explained: Vec<u64> = v["codes"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["value"].as_u64()).collect())
            .unwrap_or_default();
        let out = hnsdoctor()
            .args(["analyze", "-", "--format", "json"])
            .write_stdin(format!("{line}\n"))
            .output()
            .unwrap_or_else(|e| panic!("analyze: {e}"));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("analyze JSON for {line}: {e}"));
        let analysed: Vec<u64> = v["model"]["log_events"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(|e| e["error_codes"].as_array())
            .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
            .unwrap_or_default();
        assert!(!explained.is_empty(), "explain found no code in {line}");
        assert_eq!(explained, analysed, "{line}");
    }
}

/// Finding ids (sorted, unique) of `hnsdoctor analyze <dir> --format json`.
fn finding_ids(dir: &std::path::Path) -> Vec<String> {
    let out = hnsdoctor()
        .args(["analyze", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON: {e}\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut ids: Vec<String> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Synthetic nodes (`hnsdoctor-synth`): every planted fault is found at a small and a medium
/// scale, in the legacy CollectLogs layout (UTF-16LE) and as a bundle, with the same finding
/// ids everywhere (no finding appears or vanishes with size).
#[test]
fn synthetic_nodes_planted_faults_found_at_every_scale() {
    use hnsdoctor_synth::{write, Layout, Spec, PLANTED};
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    for (n, layout) in [
        (200, Layout::Legacy),
        (200, Layout::Bundle),
        (2000, Layout::Legacy),
    ] {
        let dir = tmp.path().join(format!("{n}-{layout:?}"));
        write(&dir, &Spec::new(n), layout).unwrap_or_else(|e| panic!("synth {n}: {e}"));
        let ids = finding_ids(&dir);
        for id in PLANTED {
            assert!(
                ids.iter().any(|i| i == id),
                "{n} endpoints ({layout:?}): planted {id} not found in {ids:?}"
            );
        }
        seen.push((format!("{n} {layout:?}"), ids));
    }
    for (what, ids) in &seen[1..] {
        assert_eq!(ids, &seen[0].1, "{what} vs {}", seen[0].0);
    }
}

/// A finding over thousands of objects (stale remote endpoints of a 2,000-endpoint node) quotes
/// its first evidence lines in the text report and counts the rest; JSON keeps them all.
#[test]
fn synthetic_node_long_evidence_is_capped_in_text() {
    use hnsdoctor_synth::{write, Layout, Spec};
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut spec = Spec::new(1000);
    spec.stale = 40;
    write(tmp.path(), &spec, Layout::Legacy).unwrap_or_else(|e| panic!("synth: {e}"));
    let out = hnsdoctor()
        .args(["analyze", "--only", "stale-remote-endpoint"])
        .arg(tmp.path())
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("and 30 more evidence lines"),
        "40 stale endpoints: 10 quoted, 30 counted:\n{text}"
    );
    let json = hnsdoctor()
        .args([
            "analyze",
            "--format",
            "json",
            "--only",
            "stale-remote-endpoint",
        ])
        .arg(tmp.path())
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let doc: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    let unused = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| {
            f["observed"]
                .as_str()
                .is_some_and(|o| o.contains("used by no load balancer"))
        })
        .unwrap_or_else(|| panic!("no unused-remote finding: {doc:#}"));
    assert_eq!(unused["evidence"].as_array().map(Vec::len), Some(40));
}
