//! `hnsdoctor collect`: run the collector on this host and write a bundle (folder + zip with a
//! manifest). Glue only: options → `hnsdoctor_collect::collect` with the real host, progress as
//! a bar on a terminal or plain lines otherwise, then where the bundle is and a status summary.
//! `--list-sources` prints the source table instead (on any host). On a host that is not Windows
//! `collect` refuses with one line pointing to `analyze` (exit code 6; see
//! [`crate::cmd::require_windows`]).

use crate::cli::DataFormat;
use crate::cmd::views::SourceRow;
use crate::cmd::BadInput;
use crate::exit::Exit;
use hnsdoctor_bundle::manifest::SourceStatus;
use hnsdoctor_collect::runner::{Progress, RunOptions};
use hnsdoctor_collect::{collect, select, CollectError, CollectOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `collect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Bundle folder to create (must not exist or be empty). Default:
    /// `hnsdoctor-<host>-<UTC time>-<random>` in the current folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Do not write `<bundle>.zip`.
    #[arg(long)]
    pub no_zip: bool,
    /// How the sources run.
    #[command(flatten)]
    pub run: RunArgs,
    /// Also write a copy fit for sharing, `<bundle>-redacted.zip`, with addresses, MACs, host and
    /// domain names obfuscated (the mapping goes to `<bundle>-redacted.zip.mapping.json`, which
    /// stays private). Secrets are removed from every bundle, with or without this.
    #[arg(long)]
    pub redact: bool,
    /// With `--redact`: a word to replace as well (any case; repeat for several).
    #[arg(long, value_name = "WORD", requires = "redact")]
    pub keyword: Vec<String>,
    /// Print the source table (id, via, timeout, path, parser, legacy names) and exit.
    #[arg(long)]
    pub list_sources: bool,
    /// Output format of `--list-sources`.
    #[arg(long, value_enum, default_value_t = DataFormat::Text)]
    pub format: DataFormat,
}

/// How the collector runs; shared by `collect` and `doctor`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// Sources run at the same time.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Event logs: only the last HOURS hours.
    #[arg(long, value_name = "HOURS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=8760))]
    pub since: u32,
    /// Multiply every timeout and time budget (e.g. 2 on a slow, busy node).
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
    pub timeout_scale: f64,
    /// Only these source ids or subsystems (comma-separated, e.g. `hns,ports.excluded`).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub only: Vec<String>,
    /// Not these source ids or subsystems (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub skip: Vec<String>,
    /// Also capture dropped packets for DURATION (`30s`, `2m`; 1s..10m) in a Packet Monitor
    /// session of its own: counters before/after, the component map and a drops-only trace.
    /// Off by default; refused when another pktmon session runs (see `--drops-take-over`).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub drops: Option<std::time::Duration>,
    /// Size of the drops trace's circular file in MiB (1..=1024).
    #[arg(long, value_name = "MB", default_value_t = hnsdoctor_collect::drops::DEFAULT_ETL_MB, requires = "drops")]
    pub drops_max_mb: u32,
    /// Stop a Packet Monitor session that is already running so `--drops` can capture (that
    /// session's trace ends; the manifest records it).
    #[arg(long, requires = "drops")]
    pub drops_take_over: bool,
}

/// `--drops`: `90`, `90s`, `2m`.
pub(crate) fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let (num, mult) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(std::time::Duration::from_secs_f64(v * mult)),
        _ => Err("a duration such as 30s, 90 or 2m".into()),
    }
}

/// `--timeout-scale`: a finite number in 0.01..=100.
pub(crate) fn parse_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.01..=100.0).contains(&v) => Ok(v),
        _ => Err("a number between 0.01 and 100".into()),
    }
}

/// `--list-sources`: the table as text, or typed rows (`cmd/views.rs`,
/// `schemas/list-sources.schema.json`) as JSON.
fn list_sources(args: &Args) -> anyhow::Result<Exit> {
    let chosen = select(&args.run.only, &args.run.skip).map_err(|e| BadInput(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        DataFormat::Json => {
            let rows: Vec<SourceRow> = chosen.iter().map(|s| SourceRow::from(*s)).collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        DataFormat::Text => {
            for s in chosen {
                writeln!(
                    out,
                    "{:<26} {:>4}s  {:<36} {:<26} {}",
                    s.id,
                    s.timeout.as_secs(),
                    s.path(),
                    s.parser().id().unwrap_or("(raw)"),
                    if s.legacy.is_empty() {
                        "-".to_string()
                    } else {
                        s.legacy.join(", ")
                    }
                )?;
                writeln!(out, "{:<26}        via {}", "", s.via.describe())?;
            }
        }
    }
    Ok(Exit::Ok)
}

fn status_word(s: SourceStatus) -> &'static str {
    match s {
        SourceStatus::Ok => "ok",
        SourceStatus::Failed => "failed",
        SourceStatus::Timeout => "timeout",
        SourceStatus::Skipped => "skipped",
    }
}

/// Run `collect`.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    if args.list_sources {
        return list_sources(args);
    }
    crate::cmd::require_windows("collect")?;
    let report = gather(&args.run, args.out.clone(), !args.no_zip)?;
    let (ok, failed, timeout, skipped) = report.counts();
    let mut out = std::io::stdout().lock();
    writeln!(out, "bundle: {}", report.paths.dir.display())?;
    if let Some(z) = &report.paths.zip {
        writeln!(out, "zip:    {}", z.display())?;
    }
    writeln!(
        out,
        "sources: {ok} ok, {failed} failed, {timeout} timeout, {skipped} skipped (of {})",
        report.manifest.sources.len()
    )?;
    let withheld: usize = report
        .manifest
        .sources
        .iter()
        .map(|s| s.withheld.len())
        .sum();
    writeln!(
        out,
        "note: readable by SYSTEM and Administrators only; it holds this host's network state \
         (firewall rules, DNS cache, event logs). {withheld} credential files withheld, secrets \
         redacted (see manifest.json)."
    )?;
    for s in report
        .manifest
        .sources
        .iter()
        .filter(|s| matches!(s.status, SourceStatus::Failed | SourceStatus::Timeout))
    {
        writeln!(
            out,
            "  {:<8} {:<26} {}",
            status_word(s.status),
            s.id,
            s.error.as_deref().unwrap_or("")
        )?;
    }
    if args.redact {
        let dir = &report.paths.dir;
        let mut name = dir.file_name().unwrap_or_default().to_os_string();
        name.push(if report.paths.zip.is_some() {
            "-redacted.zip"
        } else {
            "-redacted"
        });
        let shared = dir.with_file_name(name);
        let opts = crate::cmd::redact::options(true, &args.keyword, None);
        // Redact the zip when there is one (same shape as what would be shared), else the folder.
        let input = report.paths.zip.clone().unwrap_or_else(|| dir.clone());
        let s = crate::cmd::redact::redact_to(&input, &shared, &opts)?;
        crate::cmd::redact::print_summary(&shared, &s, &mut out)?;
    }
    Ok(Exit::Ok)
}

/// A flag set by Ctrl-C (the handler is installed once per process). The collector stops
/// starting sources, abandons the running ones and removes its partial output; without the
/// handler the process would die leaving the hidden staging folder behind.
fn ctrl_c_flag() -> Arc<std::sync::atomic::AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<std::sync::atomic::AtomicBool>> =
        std::sync::OnceLock::new();
    Arc::clone(FLAG.get_or_init(|| {
        let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let f = Arc::clone(&flag);
        if let Err(e) = ctrlc::set_handler(move || {
            if f.swap(true, std::sync::atomic::Ordering::SeqCst) {
                // A second Ctrl-C: stop at once.
                Exit::Interrupted.exit_now();
            }
            eprintln!("hnsdoctor: interrupted: stopping the collection and removing its partial output…");
        }) {
            eprintln!("hnsdoctor: warning: cannot catch Ctrl-C ({e}); an interrupted collection leaves a hidden .partial folder");
        }
        flag
    }))
}

/// Collect a bundle into `out` (or a generated name under `%ProgramData%\hnsdoctor`, both
/// readable by SYSTEM and Administrators only) with the real host,
/// showing progress on stderr (a bar on a terminal, plain lines otherwise).
///
/// # Errors
/// [`BadInput`] for an unknown source id; I/O errors writing the bundle.
pub fn gather(
    args: &RunArgs,
    out: Option<PathBuf>,
    zip: bool,
) -> anyhow::Result<hnsdoctor_collect::CollectReport> {
    let selected = select(&args.only, &args.skip).map_err(|e| BadInput(e.to_string()))?;
    let host: Arc<dyn hnsdoctor_host::Host> = Arc::from(hnsdoctor_host::real());
    if !host.is_admin() {
        let n = selected.iter().filter(|s| s.admin_required).count();
        eprintln!(
            "warning: not running as administrator: {n} sources that need it (HNS, VFP, firewall, \
             some event logs) will be skipped. Run hnsdoctor from an elevated prompt for a full bundle."
        );
    }
    let opts = CollectOptions {
        out,
        parent: None,
        zip,
        run: RunOptions {
            jobs: usize::from(args.jobs),
            since_hours: args.since,
            timeout_scale: args.timeout_scale,
            admin: true,
            cancel: Some(ctrl_c_flag()),
            ..RunOptions::default()
        },
        only: args.only.clone(),
        skip: args.skip.clone(),
        drops: args
            .drops
            .map(|d| {
                hnsdoctor_collect::drops::DropsOptions::new(
                    d,
                    args.drops_max_mb,
                    args.drops_take_over,
                )
            })
            .transpose()
            .map_err(|e| BadInput(e.to_string()))?,
    };
    let bar = if std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new(selected.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let mut on_progress = |p: &Progress| match (&bar, p) {
        (Some(pb), Progress::Started { id }) => pb.set_message(id.to_string()),
        (Some(pb), Progress::Finished { id, status, .. }) => {
            if *status != SourceStatus::Ok {
                pb.println(format!("  {id}: {}", status_word(*status)));
            }
            pb.inc(1);
        }
        (None, Progress::Started { .. }) => {}
        (
            None,
            Progress::Finished {
                id,
                status,
                duration,
                error,
            },
        ) => {
            let e = error
                .as_deref()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default();
            eprintln!(
                "[{:<7}] {id} ({} ms){e}",
                status_word(*status),
                duration.as_millis()
            );
        }
    };
    let report = match collect(host, &opts, &mut on_progress) {
        Ok(r) => r,
        Err(CollectError::UnknownSource(s)) => {
            return Err(BadInput(format!("unknown source or subsystem: {s}")).into())
        }
        Err(CollectError::Drops(e)) => return Err(BadInput(e.to_string()).into()),
        Err(e) => return Err(e.into()),
    };
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    Ok(report)
}

/// Collect the live host with the default settings into a fresh temporary folder and read it
/// back, as `watch` and `npd` do on every check (`command` names the caller in the
/// "needs Windows" error): the model, the folder (removed when dropped) and the bundle path.
pub(crate) fn live_model(
    command: &'static str,
) -> anyhow::Result<(hnsdoctor_model::HostModel, tempfile::TempDir, PathBuf)> {
    crate::cmd::require_windows(command)?;
    let temp = tempfile::Builder::new()
        .prefix(&format!("hnsdoctor-{command}-"))
        .tempdir()?;
    let run = RunArgs {
        jobs: 8,
        since: 24,
        timeout_scale: 1.0,
        only: Vec::new(),
        skip: Vec::new(),
        drops: None,
        drops_max_mb: hnsdoctor_collect::drops::DEFAULT_ETL_MB,
        drops_take_over: false,
    };
    let collected = gather(&run, Some(temp.path().join("bundle")), false)?;
    let dir = collected.paths.dir.clone();
    let model = crate::cmd::analyze::load_model(&[dir.to_string_lossy().into_owned()])?;
    Ok((model, temp, dir))
}
