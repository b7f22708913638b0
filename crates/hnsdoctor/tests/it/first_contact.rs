//! What a new user meets first (issue 10): the verdict line, the folded "not evaluated"
//! section, `--quiet`/`--verbose`/`--min-severity`, JSON errors on stdout, the `-o`
//! confirmation, the hint for a Windows path off Windows, `--color always` against NO_COLOR and
//! `--version` with the commit. The layout checks run over every example in `examples/`.

use crate::util::{hnsdoctor, repo_root};
use std::path::PathBuf;

/// Every example input (folders and pasted `.txt` files), sorted.
fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo_root().join("examples"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    assert!(v.len() >= 10, "{v:?}");
    v
}

fn analyze(args: &[&str], input: &PathBuf) -> (String, String, i32) {
    let out = hnsdoctor()
        .arg("analyze")
        .args(args)
        .arg(input)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// The "Not evaluated" section of a text report: its heading and the lines up to the next blank.
fn not_evaluated_section(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| !l.starts_with("Not evaluated"))
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn every_example_folds_not_evaluated_into_five_lines_unless_verbose() {
    let mut folded_somewhere = false;
    for ex in examples() {
        let (text, err, _) = analyze(&[], &ex);
        assert!(!text.is_empty(), "{}: {err}", ex.display());
        let section = not_evaluated_section(&text);
        assert!(
            section.len() <= 5,
            "{}: not evaluated takes {} lines:\n{}",
            ex.display(),
            section.len(),
            section.join("\n")
        );
        let (verbose, _, _) = analyze(&["--verbose"], &ex);
        let full = not_evaluated_section(&verbose);
        if full.len() > 5 {
            folded_somewhere = true;
        }
        // --verbose names every rule the JSON lists as not evaluated
        let (json, _, _) = analyze(&["--format", "json"], &ex);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        for n in doc["not_evaluated"].as_array().unwrap() {
            let id = n["id"].as_str().unwrap();
            assert!(
                full.iter().any(|l| l.starts_with(&format!("[?] {id} ("))),
                "{}: --verbose lacks {id}",
                ex.display()
            );
        }
    }
    assert!(folded_somewhere, "no example has more than 5 lines to fold");
}

#[test]
fn every_example_starts_with_its_verdict_and_the_healthy_one_says_no_problems() {
    for ex in examples() {
        let (text, _, code) = analyze(&[], &ex);
        let first = text.lines().next().unwrap_or_default();
        let (json, _, _) = analyze(&["--format", "json"], &ex);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        let verdict = doc["summary"]["verdict"].as_str().unwrap();
        assert!(
            verdict.starts_with(first.trim_end()),
            "{}: first line {first:?} is not the verdict {verdict:?}",
            ex.display()
        );
        let s = &doc["summary"];
        assert_eq!(
            s["errors"].as_u64().unwrap() as usize
                + s["warnings"].as_u64().unwrap() as usize
                + s["info"].as_u64().unwrap() as usize,
            doc["findings"].as_array().unwrap().len(),
            "{}",
            ex.display()
        );
        if code == 0 {
            assert!(
                first.starts_with("No problems found in what was read"),
                "{}: {first}",
                ex.display()
            );
        } else {
            assert!(!first.starts_with("No problems"), "{}", ex.display());
        }
    }
    let (text, _, code) = analyze(&[], &repo_root().join("examples/healthy-node"));
    assert_eq!(code, 0);
    assert!(
        text.starts_with("No problems found in what was read"),
        "{text}"
    );
}

#[test]
fn quiet_output_of_every_example_fits_in_40_lines() {
    for ex in examples() {
        let (full, _, code) = analyze(&[], &ex);
        let (quiet, _, qcode) = analyze(&["--quiet"], &ex);
        assert_eq!(code, qcode, "{}", ex.display());
        let n = quiet.lines().count();
        assert!(n <= 40, "{}: --quiet is {n} lines:\n{quiet}", ex.display());
        assert_eq!(
            quiet.lines().next(),
            full.lines().next(),
            "{}: same verdict",
            ex.display()
        );
        for gone in ["Not evaluated (", "Passed (", "\nInput\n"] {
            assert!(!quiet.contains(gone), "{}: {gone}", ex.display());
        }
        // every finding is still there
        let (json, _, _) = analyze(&["--format", "json"], &ex);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        for f in doc["findings"].as_array().unwrap() {
            let id = f["id"].as_str().unwrap();
            assert!(quiet.contains(&format!("[{id}]")), "{}: {id}", ex.display());
        }
    }
}

#[test]
fn min_severity_leaves_out_lower_findings_and_sets_the_exit_code() {
    // ws1709 has warnings only: with --min-severity error nothing is left, exit 0
    let ex = repo_root().join("examples/ws1709-after-restart");
    let (_, _, code) = analyze(&[], &ex);
    assert_eq!(code, 1);
    let (json, _, code) = analyze(&["--format", "json", "--min-severity", "error"], &ex);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
    let (text, _, _) = analyze(&["--min-severity", "error"], &ex);
    assert!(text.starts_with("No problems found"), "{text}");
    let (text, _, _) = analyze(&["--min-severity", "warning"], &ex);
    assert!(text.contains("[os-outdated]"), "{text}");
}

#[test]
fn json_errors_are_a_document_on_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-bundle.zip");
    let out = hnsdoctor()
        .args(["analyze", "--format", "json"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout holds a JSON error");
    assert_eq!(v["error"]["kind"], "bad-input");
    assert_eq!(v["error"]["path"], missing.display().to_string());
    let msg = v["error"]["message"].as_str().unwrap();
    assert_eq!(
        msg.matches(&missing.display().to_string()).count(),
        1,
        "the path once: {msg}"
    );
    // a usage error with --format json is JSON too
    let out = hnsdoctor()
        .args(["analyze", "--format", "json", "--no-such-flag", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("usage error as JSON");
    assert_eq!(v["error"]["kind"], "usage");
    assert!(v["error"]["path"].is_null());
    // without --format json stdout stays empty
    let out = hnsdoctor().arg("analyze").arg(&missing).output().unwrap();
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches(&missing.display().to_string()).count(),
        1,
        "{err}"
    );
}

#[test]
fn out_file_is_confirmed_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("report.html");
    let out = hnsdoctor()
        .args(["analyze", "--format", "html", "-o"])
        .arg(&page)
        .arg(repo_root().join("examples/port-exhaustion"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    let size = std::fs::metadata(&page).unwrap().len();
    assert!(
        err.starts_with(&format!(
            "wrote the HTML report to {} ({size} bytes): 2 errors",
            page.display()
        )),
        "{err}"
    );
}

#[cfg(not(windows))]
#[test]
fn windows_path_off_windows_gets_a_hint() {
    let out = hnsdoctor()
        .args(["analyze", r"C:\k\debug\collectlogs.zip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("this is a Windows path"), "{err}");
    assert!(err.contains("/mnt/c/"), "{err}");
}

#[test]
fn color_always_beats_no_color() {
    let ex = repo_root().join("examples/port-exhaustion");
    // crate::util::hnsdoctor() sets NO_COLOR=1
    let out = hnsdoctor()
        .args(["--color", "always", "analyze"])
        .arg(&ex)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b["));
    let out = hnsdoctor().arg("analyze").arg(&ex).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn version_names_the_commit() {
    let out = hnsdoctor().arg("--version").output().unwrap();
    assert!(out.status.success());
    let v = String::from_utf8(out.stdout).unwrap();
    let expected = std::process::Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(repo_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    assert!(
        v.starts_with(&format!("hnsdoctor {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    if let Some(c) = expected {
        // the binary may be a commit behind the checkout only if it was not rebuilt; cargo
        // rebuilds it when HEAD moves (build.rs watches HEAD)
        assert!(v.contains(&format!("(commit {c},")), "{v} vs {c}");
    }
}

/// Absent is not stopped: the legacy CollectLogs example never lists vmcompute, which used to be
/// reported as a stopped-or-missing service (an error with no evidence line).
#[test]
fn legacy_collectlogs_does_not_report_an_unlisted_service() {
    let ex = repo_root().join("examples/legacy-collectlogs-ws2019");
    let (json, err, _) = analyze(&["--format", "json"], &ex);
    let doc: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {err}"));
    for f in doc["findings"].as_array().unwrap() {
        if f["id"] == "service-not-running" {
            assert!(
                !f["observed"].as_str().unwrap().contains("vmcompute"),
                "{f:#}"
            );
        }
        if f["severity"] == "error" {
            assert!(
                !f["evidence"].as_array().unwrap().is_empty(),
                "an error without evidence: {f:#}"
            );
        }
    }
}

/// The prose of every example's findings: no doubled quote (`""`) around a quoted log line,
/// no repeated version ("version 1709 1709"), no "1 … records".
#[test]
fn example_findings_read_cleanly() {
    let mut seen_1709 = false;
    let mut seen_crash = false;
    for ex in examples() {
        let (json, _, _) = analyze(&["--format", "json"], &ex);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        for f in doc["findings"].as_array().unwrap() {
            let o = f["observed"].as_str().unwrap();
            let id = f["id"].as_str().unwrap();
            assert!(!o.contains("\"\""), "{}: {id}: {o}", ex.display());
            let words: Vec<&str> = o.split_whitespace().collect();
            for w in words.windows(2) {
                let numeric = w[0].chars().all(|c| c.is_ascii_digit());
                assert!(
                    !(numeric && w[0] == w[1]),
                    "{}: {id}: repeated {:?}: {o}",
                    ex.display(),
                    w[0]
                );
                assert!(
                    !(w[0] == "1" && w[1].starts_with("records")),
                    "{}: {id}: {o}",
                    ex.display()
                );
            }
            seen_1709 |= id == "os-outdated" && o.contains("version 1709 (build 16299");
            seen_crash |= id == "hns-crash" && o.contains("1 crash record in all");
        }
    }
    assert!(seen_1709, "the 1709 example names its release once");
    assert!(seen_crash, "the hns-crash example counts its one record");
}

/// JSON on stdout is pure ASCII (non-ASCII as `\uXXXX`), so Windows PowerShell 5.1, which
/// decodes a native command's output with the OEM code page, reads the same strings.
#[test]
fn json_output_is_ascii_and_keeps_non_ascii_text() {
    let (json, _, _) = analyze(
        &["--format", "json"],
        &repo_root().join("examples/port-exhaustion"),
    );
    assert!(json.is_ascii());
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(doc["summary"]["verdict"].as_str().unwrap().contains('—'));
    let out = hnsdoctor()
        .args(["analyze", "--format", "json", "/nonexistent/knoten-ü.zip"])
        .output()
        .unwrap();
    assert!(out.stdout.is_ascii());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["path"], "/nonexistent/knoten-ü.zip");
}
