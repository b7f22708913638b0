//! `hnsdoctor fleet` over generated nodes (`hnsdoctor-synth`) with faults planted on a few:
//! it must flag exactly those nodes, whatever the input kind (bundle folder, JSON report,
//! `kubectl logs --prefix` capture).

use crate::util::hnsdoctor;
use hnsdoctor_synth::{Layout, Spec};
use std::path::Path;

const BUILD: &str = "10.0.26100.2894";

fn healthy(host: &str) -> Spec {
    let mut s = Spec::new(80).healthy();
    s.host = host.into();
    s.os_build = Some(BUILD.into());
    s
}

fn write_node(dir: &Path, spec: &Spec) {
    hnsdoctor_synth::write(dir, spec, Layout::Bundle).expect("synth");
}

/// `analyze --format json` of a generated node.
fn report_json(tmp: &Path, spec: &Spec) -> String {
    let d = tmp.join(format!("src-{}", spec.host));
    write_node(&d, spec);
    let out = hnsdoctor()
        .arg("analyze")
        .arg(&d)
        .args(["--format", "json"])
        .output()
        .expect("run analyze");
    assert!(out.status.code().is_some_and(|c| c <= 2), "{out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn fleet_flags_exactly_the_planted_nodes() {
    let tmp = tempfile::tempdir().unwrap();
    let nodes = tmp.path().join("nodes");
    for i in 0..24 {
        let host = format!("node-{i:02}");
        let mut s = healthy(&host);
        match i {
            5 => s.planted = vec!["port-pool-exhaustion"],
            12 => s.planted = vec!["dns-lb-missing"],
            19 => s.planted = vec!["endpoint-not-attached"],
            21 => s.lbs = 6, // far below the median: an HNS that lost its load balancers
            22 => s.os_build = Some("10.0.26100.2605".into()), // one node behind on updates
            _ => {}
        }
        if i == 23 {
            // a node given as its JSON report rather than its bundle
            std::fs::create_dir_all(&nodes).unwrap();
            std::fs::write(nodes.join("node-23.json"), report_json(tmp.path(), &s)).unwrap();
        } else {
            write_node(&nodes.join(&host), &s);
        }
    }
    // two pods of a DaemonSet printing `analyze --format json`, captured with --prefix
    let mut capture = String::new();
    for (pod, host, planted) in [
        ("hnsdoctor-4xk2p", "node-30", vec![]),
        ("hnsdoctor-9qz7d", "node-31", vec!["stale-remote-endpoint"]),
    ] {
        let mut s = healthy(host);
        s.planted = planted;
        for line in report_json(tmp.path(), &s).lines() {
            capture.push_str(&format!("[pod/{pod}/hnsdoctor] {line}\n"));
        }
    }
    let log = tmp.path().join("daemonset.log");
    std::fs::write(&log, capture).unwrap();

    let out = hnsdoctor()
        .arg("fleet")
        .arg(&nodes)
        .arg(&log)
        .args(["--format", "json", "-j", "2"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an error finding exits 2: {out:?}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let flagged: Vec<&str> = v["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        flagged,
        ["node-05", "node-12", "node-19", "node-21", "node-22", "node-31"],
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(v["nodes"].as_array().unwrap().len(), 26);
    assert_eq!(v["findings"]["port-pool-exhaustion"]["nodes"][0], "node-05");
    assert_eq!(v["findings"]["dns-lb-missing"]["nodes"][0], "node-12");
    assert_eq!(
        v["findings"]["endpoint-not-attached"]["nodes"][0],
        "node-19"
    );
    // node-21 lost its load balancers, so its remote endpoints back none: stale there too
    assert_eq!(
        v["findings"]["stale-remote-endpoint"]["nodes"],
        serde_json::json!(["node-21", "node-31"])
    );
    let dev: Vec<(String, String)> = v["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["node"].as_str().unwrap().to_string(),
                d["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        dev.contains(&("node-21".into(), "load-balancers".into())),
        "{dev:?}"
    );
    assert!(
        dev.contains(&("node-22".into(), "os-build".into())),
        "{dev:?}"
    );
    assert!(
        dev.contains(&("node-12".into(), "dns-lb".into())),
        "{dev:?}"
    );

    // the same run as a Markdown node × finding table
    let md = hnsdoctor()
        .arg("fleet")
        .arg(&nodes)
        .arg(&log)
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    let row = md
        .lines()
        .find(|l| l.starts_with("| node-05 |"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(row.contains("error"), "{row}");
    assert!(
        md.lines().filter(|l| l.starts_with("| node-")).count() == 6,
        "{md}"
    );

    // and as the HTML page: every node a row, the 6 flagged ones first, errors before the rest
    let html = hnsdoctor()
        .arg("fleet")
        .arg(&nodes)
        .arg(&log)
        .args(["--format", "html"])
        .output()
        .unwrap();
    assert_eq!(html.status.code(), Some(2));
    let html = String::from_utf8(html.stdout).unwrap();
    let rows: Vec<(&str, &str)> = html
        .split("<tr class=")
        .skip(1)
        .map(|r| {
            let flag = r.split("data-flagged=\"").nth(1).unwrap().get(..1).unwrap();
            let name = r.split("\">").nth(2).unwrap().split('<').next().unwrap();
            (flag, name)
        })
        .collect();
    assert_eq!(rows.len(), 26, "{html}");
    let first: Vec<&str> = rows.iter().take(6).map(|r| r.1).collect();
    assert_eq!(
        first,
        // node-31's stale remote endpoint is an error (planted alone); node-21's is a warning
        // beside its load balancer deviation; node-22 only differs (its build)
        ["node-05", "node-12", "node-19", "node-31", "node-21", "node-22"],
        "errors, then warnings, then deviations only: {html}"
    );
    assert!(rows[..6].iter().all(|r| r.0 == "1") && rows[6..].iter().all(|r| r.0 == "0"));
    assert!(
        html.contains("OS build 26100.2605 (most nodes: 26100.2894)"),
        "{html}"
    );
}

#[test]
fn a_healthy_fleet_exits_zero_and_a_missing_input_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..4 {
        write_node(
            &tmp.path().join(format!("n{i}")),
            &healthy(&format!("n{i}")),
        );
    }
    let out = hnsdoctor().arg("fleet").arg(tmp.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("4 nodes read, 0 need attention"), "{text}");
    hnsdoctor()
        .args(["fleet", "/nonexistent/hnsdoctor-fleet"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("/nonexistent/hnsdoctor-fleet"));
}
