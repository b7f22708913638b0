//! `hnsdoctor npd` against node-problem-detector's custom-plugin contract: exit 0 OK,
//! 1 problem, 2 unknown; one line of at most 80 characters on stdout; and the sample monitor
//! config in `deploy/npd/` names only real finding ids.

use crate::util::{hnsdoctor, repo_root};

/// Run `npd` with `args`; returns (exit code, stdout), checking the message contract.
fn npd(args: &[&str]) -> (i32, String) {
    let out = hnsdoctor().arg("npd").args(args).output().unwrap();
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.lines().count(), 1, "exactly one line: {text:?}");
    let line = text.trim_end_matches('\n').to_string();
    assert!(!line.is_empty());
    assert!(
        line.chars().count() <= 80,
        "{} chars: {line}",
        line.chars().count()
    );
    (out.status.code().expect("exit code"), line)
}

fn example(name: &str) -> String {
    repo_root()
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn ok_problem_and_unknown() {
    let (code, msg) = npd(&[&example("healthy-node")]);
    assert_eq!(code, 0, "{msg}");
    assert!(msg.starts_with("OK"), "{msg}");

    let (code, msg) = npd(&[&example("port-exhaustion")]);
    assert_eq!(code, 1, "{msg}");
    // errors first, then by id: port-already-exists, then port-pool-exhaustion counted
    assert!(msg.starts_with("port-already-exists (+1 more): "), "{msg}");
    assert!(
        msg.ends_with("..."),
        "the title is cut to fit 80 characters: {msg}"
    );

    let (code, msg) = npd(&["--only", "dns-lb-missing", &example("dns-lb-missing")]);
    assert_eq!(code, 1, "{msg}");
    assert!(msg.starts_with("dns-lb-missing"), "{msg}");

    // a family whose evidence is absent: nothing could be checked
    let (code, msg) = npd(&["--only", "dns-lb-missing", &example("port-exhaustion")]);
    assert_eq!(code, 2, "{msg}");
    assert!(msg.starts_with("unknown"), "{msg}");

    let (code, msg) = npd(&["/nonexistent/npd-input"]);
    assert_eq!(code, 2, "{msg}");

    let (code, msg) = npd(&["--only", "no-such-finding", &example("healthy-node")]);
    assert_eq!(code, 2, "{msg}");
}

#[cfg(not(windows))]
#[test]
fn live_mode_off_windows_is_unknown() {
    let (code, msg) = npd(&[]);
    assert_eq!(code, 2, "{msg}");
}

#[test]
fn monitor_config_rules_call_npd_with_real_ids() {
    let path = repo_root().join("deploy/npd/hnsdoctor-monitor.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["plugin"], "custom");
    assert_eq!(v["pluginConfig"]["max_output_length"], 80);
    let conditions: Vec<&str> = v["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), conditions.len(), "one rule per condition");
    for r in rules {
        assert!(conditions.contains(&r["condition"].as_str().unwrap()));
        let args: Vec<&str> = r["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(args[0], "npd");
        assert_eq!(args[1], "--only");
        for id in args[2].split(',') {
            assert!(
                hnsdoctor_rules::registry::rule(id).is_some(),
                "unknown id {id}"
            );
        }
        // the rule as NPD runs it, on an example instead of the live host
        let mut a = args.clone();
        let ex = example("healthy-node");
        a.push(&ex);
        let (code, msg) = npd(&a[1..]);
        assert!(code == 0 || code == 2, "{args:?}: {code} {msg}");
    }
}
