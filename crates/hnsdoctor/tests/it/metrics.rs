//! `hnsdoctor watch --metrics 127.0.0.1:0`: start the endpoint on loopback, scrape it over HTTP
//! with a plain `TcpStream`, and check the values against a known example folder (object counts
//! from `inspect --format json`, findings from `analyze --format json`).

use crate::util::repo_root;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The watcher child, killed when the test ends however it ends.
struct Watcher(Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let (head, body) = resp.split_once("\r\n\r\n").expect("HTTP response");
    (head.to_string(), body.to_string())
}

/// `name{labels} value` lines → map from `name{labels}` to value.
fn samples(body: &str) -> BTreeMap<String, f64> {
    body.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let (k, v) = l.rsplit_once(' ')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect()
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = crate::util::hnsdoctor().args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn metrics_endpoint_serves_the_example_values() {
    let example = repo_root().join("examples/healthy-node");
    let ex = example.display().to_string();
    let child = Command::new(env!("CARGO_BIN_EXE_hnsdoctor"))
        .args([
            "watch",
            &ex,
            "--metrics",
            "127.0.0.1:0",
            "--interval",
            "1h",
            "--runs",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut w = Watcher(child);
    // the bound address, then the run's JSON line
    let mut err = BufReader::new(w.0.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("metrics: http://")
        .and_then(|s| s.strip_suffix("/metrics"))
        .unwrap_or_else(|| panic!("no address line: {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let mut out = BufReader::new(w.0.stdout.take().unwrap());
    let mut run = String::new();
    out.read_line(&mut run).unwrap();
    let run: serde_json::Value = serde_json::from_str(&run).expect("a JSON line per run");

    let t = Instant::now();
    let (head, body) = get(&addr, "/metrics");
    assert!(t.elapsed() < Duration::from_secs(10));
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("openmetrics-text"), "{head}");
    assert!(body.ends_with("# EOF\n"), "{body}");
    let m = samples(&body);

    // object counts, against the model `inspect` reads from the same folder
    let model = &json_of(&["inspect", &ex, "--format", "json"])["model"];
    let eps = model["hns"]["endpoints"].as_array().unwrap();
    let remote = eps.iter().filter(|e| e["is_remote"] == true).count() as f64;
    assert_eq!(
        m["hnsdoctor_hns_networks"],
        model["hns"]["networks"].as_array().unwrap().len() as f64
    );
    assert_eq!(m["hnsdoctor_hns_endpoints{location=\"remote\"}"], remote);
    assert_eq!(
        m["hnsdoctor_hns_endpoints{location=\"local\"}"],
        eps.len() as f64 - remote
    );
    assert_eq!(
        m["hnsdoctor_hns_load_balancers"],
        model["hns"]["load_balancers"].as_array().unwrap().len() as f64
    );
    assert_eq!(
        m["hnsdoctor_hns_load_balancers"], 2.0,
        "the example has 2 load balancers"
    );
    assert_eq!(m["hnsdoctor_hns_endpoints{location=\"local\"}"], 2.0);
    // nothing excluded in the example's dynamic ranges: every 64-port block is free
    assert!(
        m["hnsdoctor_free_port_blocks{protocol=\"tcp\"}"] >= 200.0,
        "{body}"
    );

    // findings, against `analyze --format json`
    let report = json_of(&["analyze", &ex, "--format", "json"]);
    let findings = report["findings"].as_array().unwrap();
    let listed: Vec<&String> = m
        .keys()
        .filter(|k| k.starts_with("hnsdoctor_finding{"))
        .collect();
    assert_eq!(listed.len(), findings.len(), "{body}");
    for f in findings {
        let key = format!(
            "hnsdoctor_finding{{id=\"{}\",severity=\"{}\"}}",
            f["id"].as_str().unwrap(),
            f["severity"].as_str().unwrap()
        );
        assert_eq!(m.get(&key), Some(&1.0), "{key} in {body}");
    }
    for sev in ["error", "warning", "info"] {
        let n = findings.iter().filter(|f| f["severity"] == sev).count() as f64;
        assert_eq!(m[&format!("hnsdoctor_findings{{severity=\"{sev}\"}}")], n);
    }
    assert_eq!(run["findings"].as_array().unwrap().len(), findings.len());
    assert_eq!(m["hnsdoctor_runs_total"], 1.0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - m["hnsdoctor_last_run_timestamp_seconds"]).abs() < 600.0);
    assert!(m["hnsdoctor_last_run_duration_seconds"] > 0.0);

    let (head, _) = get(&addr, "/other");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
}
