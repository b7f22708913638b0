//! `hnsdoctor doctor`: collect + analyze + report in one step on this host.
//!
//! Glue only: the collector writes a bundle (to a temporary folder, or — with `--keep` — to
//! `--bundle-dir` or a generated name plus its zip), the bundle is read back through exactly the
//! path `analyze` uses (bundle opener → parsers → model), and the report is rendered with the
//! `analyze` options. Reading back the written bundle, rather than analysing in memory, means
//! what `doctor` concludes is what anyone later concludes from the kept bundle.
//!
//! On a host that is not Windows `doctor` refuses with one line pointing to `analyze` (exit
//! code 6) instead of reporting "HNS API not available" with Windows fixes.

use crate::cmd::analyze::{self, ReportArgs};
use crate::cmd::collect::{self, RunArgs};
use crate::exit::Exit;
use anyhow::Context as _;
use std::path::PathBuf;

/// Arguments of `doctor`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Keep the bundle (folder and zip) for a support case; without it the bundle is written
    /// to a temporary folder and removed after the report.
    #[arg(long)]
    pub keep: bool,
    /// With `--keep`: the bundle folder to create (default `hnsdoctor-<host>-<UTC time>-<random>`
    /// in the current folder).
    #[arg(long, value_name = "DIR", requires = "keep")]
    pub bundle_dir: Option<PathBuf>,
    /// Collector: sources run at the same time.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Collector: event logs of the last HOURS hours.
    #[arg(long, value_name = "HOURS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=8760))]
    pub since: u32,
    /// Collector: multiply every timeout and time budget (e.g. 2 on a slow, busy node).
    #[arg(long, default_value_t = 1.0, value_parser = collect::parse_scale)]
    pub timeout_scale: f64,
    /// Also write error findings as warning events to the Windows Application log (source
    /// `hnsdoctor`).
    #[arg(long)]
    pub eventlog: bool,
    /// Rule and report options (as for `analyze`).
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Run `doctor`.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    crate::cmd::require_windows("doctor")?;
    if args.eventlog {
        crate::cmd::eventlog::ensure_available()?;
    }
    // Validate the rule options before spending time on collection.
    let opts = analyze::options(&args.report)?;
    let temp;
    let (out, zip) = if args.keep {
        (args.bundle_dir.clone(), true)
    } else {
        temp = tempfile::Builder::new()
            .prefix("hnsdoctor-doctor-")
            .tempdir()
            .context("creating a temporary folder for the bundle")?;
        (Some(temp.path().join("bundle")), false)
    };
    // `--only` belongs to the rules here; the collector gathers every source.
    let run = RunArgs {
        jobs: args.jobs,
        since: args.since,
        timeout_scale: args.timeout_scale,
        only: Vec::new(),
        skip: Vec::new(),
        drops: None,
        drops_max_mb: hnsdoctor_collect::drops::DEFAULT_ETL_MB,
        drops_take_over: false,
    };
    let collected = collect::gather(&run, out, zip)?;
    let dir = collected.paths.dir.clone();
    if args.keep {
        eprintln!("bundle: {}", dir.display());
        if let Some(z) = &collected.paths.zip {
            eprintln!("zip:    {}", z.display());
        }
    }
    let model = analyze::load_model(&[dir.to_string_lossy().into_owned()])?;
    if args.eventlog {
        let report = hnsdoctor_rules::run(&model, &opts);
        let events = crate::cmd::eventlog::select(&report, &Default::default());
        crate::cmd::eventlog::write(&events)?;
    }
    analyze::report_model(model, &opts, &args.report)
}
