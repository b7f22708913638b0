//! Fleet benchmark: `hnsdoctor fleet` over generated small nodes (`hnsdoctor-synth` bundles,
//! 40 endpoints and 20 load balancers each), faults planted on five of them.
//!
//! For each fleet size it runs the `hnsdoctor fleet <dir> --format json -j 2` binary in a child
//! process under `/usr/bin/time` (wall time, peak RSS of that process), checks that exactly the
//! planted nodes are flagged, and prints a table. Peak RSS should not grow with the node count
//! beyond the per-node summaries.
//!
//! Run: `cargo bench -p hnsdoctor --bench fleet` (sizes 250 and 1000; `HNSDOCTOR_FLEET_SIZES`
//! overrides, comma-separated). Under `cargo test --all-targets` (no `--bench` argument) it
//! makes one quick pass over 12 nodes as a smoke test.

use hnsdoctor_synth::{Layout, Spec};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// (node index, planted fault) — every other node is healthy.
const PLANTS: &[(usize, &str)] = &[
    (1, "port-pool-exhaustion"),
    (3, "dns-lb-missing"),
    (5, "endpoint-not-attached"),
    (7, "stale-remote-endpoint"),
    (9, "lb-dangling-endpoint"),
];

fn generate(dir: &Path, n: usize) {
    for i in 0..n {
        let mut s = Spec::new(40).healthy();
        s.host = format!("node-{i:04}");
        s.os_build = Some("10.0.26100.2894".into());
        if let Some((_, id)) = PLANTS.iter().find(|(k, _)| *k == i) {
            s.planted = vec![id];
        }
        hnsdoctor_synth::write(&dir.join(&s.host), &s, Layout::Bundle).expect("synth");
    }
}

/// Runs the fleet; returns (seconds, peak RSS in MB when measurable, flagged nodes).
fn run(dir: &Path) -> (f64, Option<f64>, Vec<String>) {
    let bin = env!("CARGO_BIN_EXE_hnsdoctor");
    let rss_file = dir.with_extension("rss");
    let timed = Path::new("/usr/bin/time").exists();
    let mut cmd = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.arg("fleet")
        .arg(dir)
        .args(["--format", "json", "-j", "2"]);
    let t = Instant::now();
    let out = cmd.output().expect("run hnsdoctor fleet");
    let secs = t.elapsed().as_secs_f64();
    assert!(
        out.status.code().is_some_and(|c| c <= 2),
        "fleet failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("fleet JSON");
    let flagged = v["flagged"]
        .as_array()
        .expect("flagged")
        .iter()
        .filter_map(|n| n.as_str().map(String::from))
        .collect();
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    (secs, rss, flagged)
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = if bench {
        std::env::var("HNSDOCTOR_FLEET_SIZES")
            .ok()
            .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![250, 1000])
    } else {
        vec![12]
    };
    let tmp = tempfile::Builder::new()
        .prefix("hnsdoctor-fleet-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    println!("| nodes | generate s | fleet s | ms / node | peak RSS MB |");
    println!("|---|---|---|---|---|");
    for &n in &sizes {
        let dir = tmp.path().join(format!("fleet{n}"));
        let t = Instant::now();
        generate(&dir, n);
        let gen = t.elapsed().as_secs_f64();
        let (secs, rss, flagged) = run(&dir);
        let want: Vec<String> = PLANTS
            .iter()
            .filter(|(i, _)| *i < n)
            .map(|(i, _)| format!("node-{i:04}"))
            .collect();
        assert_eq!(
            flagged, want,
            "{n} nodes: flagged nodes differ from the planted ones"
        );
        println!(
            "| {n} | {gen:.1} | {secs:.2} | {:.1} | {} |",
            secs * 1000.0 / n as f64,
            rss.map_or_else(|| "n/a".to_string(), |r| format!("{r:.0}"))
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
