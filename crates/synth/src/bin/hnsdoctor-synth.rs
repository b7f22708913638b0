//! `hnsdoctor-synth`: write a synthetic node (see the `hnsdoctor_synth` crate docs) into a
//! folder, in the legacy CollectLogs layout or as an hnsdoctor bundle.
//!
//! ```text
//! cargo run -p hnsdoctor-synth -- --endpoints 20000 --lbs 10000 /tmp/node20k
//! cargo run -p hnsdoctor-synth -- --endpoints 1000 --layout bundle /tmp/bundle1k
//! ```

use anyhow::Context as _;
use clap::Parser;
use hnsdoctor_synth::{write, Layout, Spec};
use std::path::PathBuf;

/// Write a synthetic Windows node with planted faults.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Output folder (created; existing files of the same names are overwritten).
    out: PathBuf,
    /// Endpoints in total (local + remote).
    #[arg(long, default_value_t = 1000)]
    endpoints: usize,
    /// Local endpoints (default: 40, or a quarter of the endpoints on small nodes).
    #[arg(long)]
    locals: Option<usize>,
    /// Load balancers (default: half the endpoints).
    #[arg(long)]
    lbs: Option<usize>,
    /// Local VFP ports whose rules are dumped in full (default 4).
    #[arg(long)]
    vfp_ports: Option<usize>,
    /// kube-proxy log lines (default: a quarter of the endpoints).
    #[arg(long)]
    log_lines: Option<usize>,
    /// `legacy` (CollectLogs.ps1 folder, UTF-16LE) or `bundle` (hnsdoctor bundle, UTF-8).
    #[arg(long, default_value = "legacy", value_parser = ["legacy", "bundle"])]
    layout: String,
    /// Plant no fault (a healthy node).
    #[arg(long)]
    healthy: bool,
    /// Host name in the bundle manifest.
    #[arg(long, default_value = "SYNTH-NODE")]
    host: String,
    /// OS build in the bundle manifest (e.g. 10.0.20348.2966).
    #[arg(long)]
    os_build: Option<String>,
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let mut spec = Spec::new(a.endpoints);
    if a.healthy {
        spec = spec.healthy();
    }
    spec.host.clone_from(&a.host);
    spec.os_build.clone_from(&a.os_build);
    if let Some(v) = a.locals {
        spec.locals = v;
        spec.vfp_ports = spec.vfp_ports.min(v).max(1);
    }
    if let Some(v) = a.lbs {
        spec.lbs = v;
    }
    if let Some(v) = a.vfp_ports {
        spec.vfp_ports = v;
    }
    if let Some(v) = a.log_lines {
        spec.log_lines = v;
    }
    spec.validate().map_err(anyhow::Error::msg)?;
    let layout = if a.layout == "bundle" {
        Layout::Bundle
    } else {
        Layout::Legacy
    };
    let files =
        write(&a.out, &spec, layout).with_context(|| format!("writing {}", a.out.display()))?;
    let total: u64 = files.iter().map(|f| f.bytes).sum();
    println!(
        "{}: {} endpoints ({} local), {} load balancers, {} dumped VFP ports, {} files, {:.1} MB",
        a.out.display(),
        spec.endpoints,
        spec.locals,
        spec.lbs,
        spec.vfp_ports,
        files.len(),
        total as f64 / 1e6
    );
    Ok(())
}
