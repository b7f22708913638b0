//! End-to-end tests of `hnsdoctor fix` off Windows: the plan for every finding id in text and
//! JSON, the plan from a real report (objects named by the finding), and the refusals of
//! `--apply` / `--undo` (exit code 6) and of bad input (exit code 3).

use crate::util::{hnsdoctor, repo_root};
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = hnsdoctor().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn all_ids() -> Vec<String> {
    hnsdoctor_kb::Kb::get()
        .entries()
        .iter()
        .map(|e| e.id.clone())
        .collect()
}

#[test]
fn plan_for_every_finding_id_in_text() {
    let ids = all_ids();
    let mut args = vec!["fix"];
    args.extend(ids.iter().map(String::as_str));
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    for id in &ids {
        assert!(out.contains(&format!("{id} — ")), "no plan for {id}");
    }
    assert!(out.contains("nothing was changed"));
    // automated steps say what changes, how, the backup, the undo and the disruption
    for word in [
        "changes:",
        "call:",
        "backup:",
        "undo:",
        "disruption:",
        "by hand:",
    ] {
        assert!(out.contains(word), "{word} missing");
    }
}

#[test]
fn plan_for_every_finding_id_in_json() {
    let ids = all_ids();
    let mut args = vec!["fix", "--format", "json"];
    args.extend(ids.iter().map(String::as_str));
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema_version"], 1);
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), ids.len());
    let hnsdata = f
        .iter()
        .find(|f| f["id"] == "hns-data-incompatible")
        .unwrap();
    assert_eq!(hnsdata["automated"], true);
    let ops = hnsdata["steps"][0]["ops"].as_array().unwrap();
    let types: Vec<&str> = ops
        .iter()
        .map(|o| o["action"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["stop-services", "move-file-aside", "start-services"]
    );
    let manual = f.iter().find(|f| f["id"] == "os-outdated").unwrap();
    assert_eq!(manual["automated"], false);
    assert!(manual["note"]
        .as_str()
        .unwrap()
        .contains("No safe automation"));
}

#[test]
fn plan_from_a_real_report_names_the_stale_endpoints() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let ex = repo_root().join("examples/stale-remote-endpoints");
    let out = hnsdoctor()
        .args(["analyze", ex.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    std::fs::write(&report, &out.stdout).unwrap();
    let (code, text, err) = run(&["fix", "--from", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("stale-remote-endpoint — "), "{text}");
    assert!(
        text.contains("exactly these HNS endpoints: C3000000-0000-4000-8000-000000000003"),
        "{text}"
    );
    assert!(text.contains("evidence: "), "{text}");
    // JSON: the targets are on the removal operation
    let (code, js, _) = run(&[
        "fix",
        "--from",
        report.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&js).unwrap();
    let targets: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["steps"][1]["ops"][0]["targets"].as_array().unwrap())
        .map(|t| t.as_str().unwrap())
        .collect();
    // the two stale-remote-endpoint findings make one plan entry: kube-proxy restarts once
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(targets.len(), 2, "{targets:?}");
    // only the ids asked for
    let (code, text, _) = run(&["fix", "--from", report.to_str().unwrap(), "dns-lb-missing"]);
    assert_eq!(code, 0);
    assert!(text.contains("Nothing to fix"), "{text}");
}

#[test]
fn apply_and_undo_need_windows() {
    if cfg!(windows) {
        return;
    }
    for args in [
        vec!["fix", "dns-lb-missing", "--apply", "--yes"],
        vec!["fix", "--undo", "journal.json"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 6, "{args:?}: {out}{err}");
        assert!(err.contains("changes a Windows host"), "{err}");
        assert!(err.contains("prints the plan on any OS"), "{err}");
    }
}

#[test]
fn bad_input_exits_3_naming_the_file_and_line() {
    let (code, _, err) = run(&["fix", "no-such-finding"]);
    assert_eq!(code, 3);
    assert!(err.contains("no-such-finding"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("report.json");
    std::fs::write(&bad, "{\n  \"schema_version\": 1,\n  \"findings\": 7\n}\n").unwrap();
    let (code, _, err) = run(&["fix", "--from", bad.to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("report.json:3:"), "{err}");
    let (code, out, _) = run(&["fix", "--from", bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 3);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "bad-input");
    // neither ids nor --from nor --undo: usage error
    assert_eq!(run(&["fix"]).0, 4);
}

/// `kb show` marks the steps `fix` automates, so the two never disagree about them.
#[test]
fn kb_show_marks_the_automated_steps() {
    let (code, out, _) = run(&["kb", "show", "dns-lb-missing"]);
    assert_eq!(code, 0);
    assert!(out.contains("automated: hnsdoctor fix"), "{out}");
    let (_, out, _) = run(&["kb", "show", "os-outdated"]);
    assert!(!out.contains("automated: hnsdoctor fix"), "{out}");
}
