//! Collector wall time on the fake host with realistic per-source latencies (a busy Kubernetes
//! Windows node: HCN endpoint/LB listings of a few seconds, VFP per-port commands, PowerShell
//! cmdlets starting in ~1 s, event exports). Reports, from one run each at `--jobs` 1, 4, 8, 16:
//! wall time / slowest single source (1.0 is the floor: perfect overlap) and wall time / serial
//! sum (how much of the sequential CollectLogs-style time is left). Latencies are scaled down by
//! `SCALE` so the bench takes seconds; ratios do not depend on the scale.
//!
//! Run: `cargo bench -p hnsdoctor-collect --bench collect`. Under `cargo test --all-targets`
//! (no `--bench` argument) it makes one quick pass at `--jobs 8` only, as a smoke test.

use hnsdoctor_collect::runner::RunOptions;
use hnsdoctor_collect::source::{SourceDef, Via};
use hnsdoctor_collect::testkit::full_fake;
use hnsdoctor_collect::{collect, sources, CollectOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Real latencies are divided by this.
const SCALE: u32 = 20;

/// A plausible latency for a source on a loaded node (milliseconds, before scaling).
fn latency_ms(s: &SourceDef) -> u64 {
    match s.via {
        Via::Hcn { .. } if s.id == "hns.endpoints" || s.id == "hns.loadbalancers" => 4000,
        Via::Hcn { .. } => 800,
        Via::HnsCall { .. } => 1500,
        Via::PowerShell(_) => 1800,
        Via::Events(_) => 3000,
        Via::FanOut { .. } => 120, // per command
        Via::Command(_) | Via::Commands(_) => 400,
        Via::Files { .. } | Via::Registry(_) | Via::FileMeta(_) | Via::Process(_) => 20,
    }
}

fn main() {
    let lat = |s: &SourceDef| Duration::from_millis(latency_ms(s)) / SCALE;
    // Serial sum and slowest single source from the same latency model, counting per-command
    // fan-out work (2 ports in the testkit listing) and multi-command sources.
    let mut serial = Duration::ZERO;
    let mut slowest = Duration::ZERO;
    for s in sources::all() {
        let n = match s.via {
            Via::FanOut { per_item, .. } => 2 * per_item.len() as u32,
            Via::Commands(c) => c.len() as u32,
            _ => 1,
        };
        let t = lat(s) * n;
        serial += t;
        slowest = slowest.max(t);
    }
    // The fan-outs wait for vfp.ports: the critical path is listing + fan-out.
    let vfp_chain = sources::all()
        .iter()
        .filter(|s| s.id == "vfp.ports" || s.id == "vfp.port_policies")
        .map(|s| {
            let n = match s.via {
                Via::FanOut { per_item, .. } => 2 * per_item.len() as u32,
                _ => 1,
            };
            lat(s) * n
        })
        .sum::<Duration>();
    let floor = slowest.max(vfp_chain);
    println!(
        "{} sources; serial sum {:?}; slowest single source {:?}; critical path {:?}",
        sources::all().len(),
        serial,
        slowest,
        floor
    );
    println!("jobs  wall        wall/slowest  wall/critical  wall/serial");
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it.
    let full = std::env::args().any(|a| a == "--bench");
    let jobs_list: &[usize] = if full { &[1, 4, 8, 16] } else { &[8] };
    for &jobs in jobs_list {
        let host = Arc::new(full_fake(&lat));
        let dir = tempfile::tempdir().expect("tempdir");
        let opts = CollectOptions {
            parent: Some(dir.path().to_path_buf()),
            zip: true,
            run: RunOptions {
                jobs,
                ..RunOptions::default()
            },
            ..CollectOptions::default()
        };
        let t = Instant::now();
        let r = collect(host, &opts, &mut |_| {}).expect("collect");
        let wall = t.elapsed();
        let (ok, ..) = r.counts();
        assert_eq!(ok, r.manifest.sources.len(), "every source ok in the bench");
        println!(
            "{jobs:>4}  {:<10?}  {:>12.2}  {:>13.2}  {:>11.2}",
            wall,
            wall.as_secs_f64() / slowest.as_secs_f64(),
            wall.as_secs_f64() / floor.as_secs_f64(),
            wall.as_secs_f64() / serial.as_secs_f64()
        );
    }
}
