//! Scenario tests: `hnsdoctor analyze` on every example in `examples/` (hand-written inputs, see
//! `examples/README.md`), in all four formats. Each example lists the finding ids it must
//! produce, ids it must not produce, and its exit code; every format must show the same ids
//! and exit with the same code. The healthy node must give zero error findings.

use crate::util::{hnsdoctor, repo_root};
use std::collections::BTreeSet;

struct Example {
    /// Path under `examples/`.
    path: &'static str,
    /// Finding ids that must appear.
    must: &'static [&'static str],
    /// Finding ids that must not appear.
    must_not: &'static [&'static str],
    /// Expected exit code (0 nothing / info only, 1 warnings only, 2 errors).
    exit: i32,
}

const EXAMPLES: &[Example] = &[
    Example {
        path: "ws1709-after-restart",
        must: &[
            "outbound-lost-after-restart",
            "service-vip-unreachable",
            "docker-slow-start-hnsdata",
            "os-outdated",
        ],
        must_not: &["port-pool-exhaustion", "endpoint-not-attached"],
        // known issues of the build without a symptom in the data are warnings
        exit: 1,
    },
    Example {
        path: "port-exhaustion",
        must: &["port-pool-exhaustion", "port-already-exists"],
        must_not: &["dynamic-port-range-misconfigured"],
        exit: 2,
    },
    Example {
        path: "stale-remote-endpoints",
        must: &["stale-remote-endpoint"],
        must_not: &["endpoint-not-attached", "lb-dangling-endpoint"],
        // one remote endpoint holds a local pod's IP: an error, so exit 2
        exit: 2,
    },
    Example {
        path: "dns-lb-missing",
        must: &["dns-lb-missing"],
        must_not: &["stale-remote-endpoint", "endpoint-not-attached"],
        exit: 2,
    },
    Example {
        path: "hns-crash",
        must: &["hns-crash"],
        must_not: &[],
        exit: 2,
    },
    Example {
        path: "endpoint-not-attached",
        must: &["endpoint-not-attached"],
        must_not: &["stale-remote-endpoint", "apipa-management-ip"],
        exit: 2,
    },
    Example {
        path: "ipv6-disabled.txt",
        must: &["ipv6-disabled"],
        must_not: &[],
        exit: 2,
    },
    Example {
        path: "cni-runtime-mismatch",
        must: &["cni-runtime-mismatch"],
        must_not: &[],
        exit: 2,
    },
    Example {
        path: "error-line-paste.txt",
        must: &["hns-address-reserved"],
        must_not: &["port-already-exists"],
        exit: 2,
    },
    Example {
        path: "healthy-node",
        must: &[],
        must_not: &[
            "port-pool-exhaustion",
            "endpoint-not-attached",
            "stale-remote-endpoint",
            "dns-lb-missing",
            "lb-dangling-endpoint",
            "lb-policy-invalid-state",
            "apipa-management-ip",
            "hns-crash",
            "os-outdated",
        ],
        exit: 0,
    },
];

/// How each format marks a finding id (and only a finding, not a passed rule).
fn marker(format: &str, id: &str) -> String {
    match format {
        "text" => format!("[{id}]"),
        "markdown" => format!("| `{id}` |"),
        "html" => format!("data-id=\"{id}\""),
        _ => format!("\"id\": \"{id}\""),
    }
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn analyze(path: &str, format: &str) -> Run {
    let input = repo_root().join("examples").join(path);
    let out = hnsdoctor()
        .args(["analyze", "--format", format])
        .arg(&input)
        .output()
        .unwrap_or_else(|e| panic!("run analyze {path}: {e}"));
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn json_findings(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["id"].as_str().unwrap_or_default().to_string(),
                        f["severity"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn check(ex: &Example) -> Vec<String> {
    let mut problems = Vec::new();
    let json = analyze(ex.path, "json");
    let doc: serde_json::Value = match serde_json::from_str(&json.stdout) {
        Ok(d) => d,
        Err(e) => {
            return vec![format!(
                "{}: JSON output unreadable ({e}); exit {}; stderr: {}",
                ex.path, json.code, json.stderr
            )]
        }
    };
    let found = json_findings(&doc);
    let ids: BTreeSet<&str> = found.iter().map(|(i, _)| i.as_str()).collect();
    let not_evaluated: Vec<String> = doc["not_evaluated"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| format!("{} (missing {})", n["id"], n["missing"]))
                .collect()
        })
        .unwrap_or_default();
    for m in ex.must {
        if !ids.contains(m) {
            let why = not_evaluated
                .iter()
                .find(|n| n.starts_with(&format!("\"{m}\"")))
                .cloned()
                .unwrap_or_else(|| "ran and passed, or no such rule".into());
            problems.push(format!(
                "{}: expected finding {m} missing [{why}]; found {ids:?}",
                ex.path
            ));
        }
    }
    for m in ex.must_not {
        if ids.contains(m) {
            problems.push(format!("{}: unexpected finding {m}", ex.path));
        }
    }
    if ex.path == "healthy-node" {
        let errors: Vec<&String> = found
            .iter()
            .filter(|(_, s)| s == "error")
            .map(|(i, _)| i)
            .collect();
        if !errors.is_empty() {
            problems.push(format!("healthy-node: error findings {errors:?}"));
        }
    }
    if json.code != ex.exit {
        problems.push(format!(
            "{}: json exit {} != {}; findings {found:?}; stderr: {}",
            ex.path, json.code, ex.exit, json.stderr
        ));
    }
    for format in ["text", "markdown", "html"] {
        let r = analyze(ex.path, format);
        if r.code != json.code {
            problems.push(format!(
                "{}: {format} exit {} != json exit {}",
                ex.path, r.code, json.code
            ));
        }
        for id in &ids {
            if !r.stdout.contains(&marker(format, id)) {
                problems.push(format!("{}: {format} output lacks finding {id}", ex.path));
            }
        }
        for m in ex.must_not {
            if r.stdout.contains(&marker(format, m)) {
                problems.push(format!("{}: {format} output shows {m}", ex.path));
            }
        }
    }
    problems
}

/// One test per example would hide the overview; this collects every problem and fails once
/// with the full list, so a missing parser or rule shows up as one readable line per example.
#[test]
fn every_example_produces_its_findings_in_every_format() {
    let problems: Vec<String> = EXAMPLES.iter().flat_map(check).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_example_on_disk_is_in_the_table() {
    let dir = repo_root().join("examples");
    let listed: BTreeSet<&str> = EXAMPLES.iter().map(|e| e.path).collect();
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("read examples/: {e}")) {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_input = entry.path().is_dir() || name.ends_with(".txt");
        // the legacy CollectLogs fixture belongs to the bundle tests
        if is_input && name != "legacy-collectlogs-ws2019" && !listed.contains(name.as_str()) {
            unlisted.push(name);
        }
    }
    assert!(
        unlisted.is_empty(),
        "examples without expectations: {unlisted:?}"
    );
    assert!(EXAMPLES.len() >= 10);
}
