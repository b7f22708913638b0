//! `hnsdoctor fix`: plan (any OS), apply (`--apply`, Windows, administrator) and undo
//! (`--undo <journal>`) the knowledge base's workarounds. Glue over `hnsdoctor-fix`; the plan
//! and journal shapes are documented in docs/fix.md.
//!
//! Exit codes: 0 plan printed / every finding cleared / undo done; 1 applied but a finding is
//! still present or could not be re-checked, or the confirmation was declined; 2 the run (or
//! the undo) stopped at a failure, the journal says where; 3 bad input (unknown id, unreadable
//! report or journal, an in-container step without `--container`); 5 not administrator, I/O;
//! 6 `--apply`/`--undo` on a host that is not Windows.

use crate::cli::DataFormat;
use crate::cmd::{BadInput, BadInputAt, NotWindows};
use crate::exit::Exit;
use anyhow::Context as _;
use hnsdoctor_fix::journal::RunStatus;
use hnsdoctor_fix::{ApplyOptions, FixError, Journal, Plan};
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

/// Arguments of `fix`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("what").required(true).multiple(true).args(["ids", "from", "undo"]))]
pub struct Args {
    /// Finding ids to plan for (`hnsdoctor kb list` shows them); with `--from`, only these.
    pub ids: Vec<String>,
    /// Plan for the findings of a report (`hnsdoctor analyze --format json` / `doctor` output):
    /// their evidence and the objects they name are used.
    #[arg(long, value_name = "REPORT.json", conflicts_with = "undo")]
    pub from: Option<PathBuf>,
    /// Undo the run a journal describes (`journal.json` in the run's backup folder).
    #[arg(long, value_name = "JOURNAL", conflicts_with_all = ["ids", "apply"])]
    pub undo: Option<PathBuf>,
    /// Change the host (Windows, administrator): backups and journal first, then the steps.
    #[arg(long)]
    pub apply: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Also run last-resort steps (e.g. disabling the DNS client, moving HNS.data aside).
    #[arg(long)]
    pub last_resort: bool,
    /// Container for the in-container steps (DNS client cache), reached with docker exec,
    /// ctr task exec or crictl exec, whichever the host has.
    #[arg(long, value_name = "ID")]
    pub container: Option<String>,
    /// Folder for the run's backup folder and journal (default
    /// `%ProgramData%\hnsdoctor\fix`).
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Text)]
    pub format: DataFormat,
}

fn needs_windows(what: &'static str) -> anyhow::Error {
    NotWindows(what).into()
}

fn fix_err(e: FixError) -> anyhow::Error {
    match e {
        FixError::UnknownId(_) | FixError::NeedsContainer { .. } | FixError::NoRuntime => {
            BadInput(e.to_string()).into()
        }
        FixError::BadJournal { ref path, .. } => BadInputAt {
            path: path.clone(),
            message: e.to_string(),
        }
        .into(),
        other => anyhow::Error::new(other),
    }
}

/// Read a report (the JSON `analyze`/`doctor` wrote); errors name the file and line.
fn read_report(path: &Path) -> anyhow::Result<hnsdoctor_rules::Report> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| BadInputAt {
        path: shown.clone(),
        message: format!("{shown}: cannot read the report: {e}"),
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    serde_json::from_str(text).map_err(|e| {
        BadInputAt {
            path: shown.clone(),
            message: format!(
                "{shown}:{}:{}: not an hnsdoctor report (write one with `hnsdoctor analyze --format json`): {e}",
                e.line(),
                e.column()
            ),
        }
        .into()
    })
}

fn make_plan(args: &Args) -> anyhow::Result<Plan> {
    let container = args.container.as_deref();
    match &args.from {
        Some(path) => {
            let report = read_report(path)?;
            let mut findings = report.findings;
            if !args.ids.is_empty() {
                for id in &args.ids {
                    if hnsdoctor_kb::Kb::get().entry(id).is_none() {
                        return Err(fix_err(FixError::UnknownId(id.clone())));
                    }
                }
                findings.retain(|f| args.ids.contains(&f.id));
            }
            hnsdoctor_fix::plan(&findings, container).map_err(fix_err)
        }
        None => hnsdoctor_fix::plan_ids(&args.ids, container).map_err(fix_err),
    }
}

fn print_json(v: &impl serde::Serialize) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(v).context("rendering JSON")?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").context("writing to stdout")?;
    Ok(())
}

/// Run `fix`.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    if let Some(journal) = &args.undo {
        if !cfg!(windows) {
            return Err(needs_windows("fix --undo"));
        }
        let host = hnsdoctor_host::change::real_change().map_err(anyhow::Error::new)?;
        let j = hnsdoctor_fix::undo(journal, host.as_ref()).map_err(fix_err)?;
        return finish_undo(&j, args.format);
    }
    let plan = make_plan(args)?;
    if !args.apply {
        match args.format {
            DataFormat::Json => print_json(&plan)?,
            DataFormat::Text => {
                print!("{}", hnsdoctor_fix::plan::render_text(&plan));
            }
        }
        return Ok(Exit::Ok);
    }
    if !cfg!(windows) {
        return Err(needs_windows("fix --apply"));
    }
    if plan.findings.is_empty() {
        println!("Nothing to fix: the report has no findings.");
        return Ok(Exit::Ok);
    }
    let host = hnsdoctor_host::change::real_change().map_err(anyhow::Error::new)?;
    if !host.is_admin() {
        return Err(fix_err(FixError::NotAdmin));
    }
    if args.format == DataFormat::Text {
        eprint!("{}", hnsdoctor_fix::plan::render_text(&plan));
    }
    if !args.yes && !confirm()? {
        eprintln!("Nothing was changed.");
        return Ok(Exit::Warnings);
    }
    let backup_root = args.backup_dir.clone().unwrap_or_else(default_backup_root);
    let opts = ApplyOptions {
        last_resort: args.last_resort,
        container: args.container.clone(),
        backup_root,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let j = hnsdoctor_fix::apply(&plan, host.as_ref(), &LiveVerifier, &opts).map_err(fix_err)?;
    finish_apply(&j, args.format)
}

fn default_backup_root() -> PathBuf {
    let pd = std::env::var_os("ProgramData")
        .map_or_else(|| PathBuf::from(r"C:\ProgramData"), PathBuf::from);
    pd.join("hnsdoctor").join("fix")
}

fn confirm() -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(BadInput(
            "--apply asks for confirmation on a terminal and stdin is not one: pass --yes to apply without asking".into(),
        )
        .into());
    }
    eprint!("Apply these changes to this host? Type yes to go on: ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the answer")?;
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "yes" | "y"
    ))
}

/// Re-collects the host and re-runs the rules (what `doctor` does) to tell which findings are
/// present.
struct LiveVerifier;

impl hnsdoctor_fix::Verifier for LiveVerifier {
    fn present(&self, ids: &[String]) -> Result<std::collections::BTreeSet<String>, String> {
        let run = || -> anyhow::Result<std::collections::BTreeSet<String>> {
            let temp = tempfile::Builder::new()
                .prefix("hnsdoctor-fix-check-")
                .tempdir()
                .context("creating a temporary folder for the check")?;
            let run = crate::cmd::collect::RunArgs {
                jobs: 8,
                since: 2,
                timeout_scale: 1.0,
                only: Vec::new(),
                skip: Vec::new(),
                drops: None,
                drops_max_mb: hnsdoctor_collect::drops::DEFAULT_ETL_MB,
                drops_take_over: false,
            };
            let collected =
                crate::cmd::collect::gather(&run, Some(temp.path().join("bundle")), false)?;
            let model = crate::cmd::analyze::load_model(&[collected
                .paths
                .dir
                .to_string_lossy()
                .into_owned()])?;
            let report = hnsdoctor_rules::run(&model, &hnsdoctor_rules::Options::default());
            Ok(report
                .findings
                .iter()
                .filter(|f| ids.contains(&f.id))
                .map(|f| f.id.clone())
                .collect())
        };
        run().map_err(|e| format!("{e:#}"))
    }
}

fn finish_apply(j: &Journal, format: DataFormat) -> anyhow::Result<Exit> {
    match format {
        DataFormat::Json => print_json(j)?,
        DataFormat::Text => {
            for e in &j.entries {
                let st = match e.status {
                    hnsdoctor_fix::journal::OpStatus::Done => "done",
                    hnsdoctor_fix::journal::OpStatus::NoChange => "no change",
                    hnsdoctor_fix::journal::OpStatus::Skipped => "skipped",
                    hnsdoctor_fix::journal::OpStatus::Failed => "FAILED",
                };
                let msg = if e.message.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", e.message)
                };
                println!("[{st}] {} step {}: {}{msg}", e.finding, e.step, e.op);
            }
            for c in &j.findings {
                println!(
                    "{}: before {}, after {}",
                    c.id,
                    c.before,
                    c.after.as_deref().unwrap_or("not checked")
                );
            }
            if let Some(s) = &j.stopped_at {
                println!(
                    "Stopped at {} step {} ({}): {}",
                    s.finding, s.step, s.op, s.error
                );
            }
            println!("Journal: {}", Journal::path_in(&j.backup_dir).display());
            println!(
                "Undo with: hnsdoctor fix --undo \"{}\"",
                Journal::path_in(&j.backup_dir).display()
            );
            if j.findings.iter().any(|c| c.id == "ipv6-disabled") {
                println!("ipv6-disabled: the change takes effect after a reboot, which hnsdoctor does not do.");
            }
        }
    }
    Ok(match j.status {
        RunStatus::Failed | RunStatus::UndoFailed => Exit::Errors,
        _ if j
            .findings
            .iter()
            .all(|c| c.after.as_deref() == Some("cleared")) =>
        {
            Exit::Ok
        }
        _ => Exit::Warnings,
    })
}

fn finish_undo(j: &Journal, format: DataFormat) -> anyhow::Result<Exit> {
    match format {
        DataFormat::Json => print_json(j)?,
        DataFormat::Text => {
            for l in &j.undo_log {
                println!("{l}");
            }
            if j.undo_log.is_empty() {
                println!(
                    "Nothing to undo: the journal records no change that is not undone already."
                );
            }
        }
    }
    Ok(if j.status == RunStatus::UndoFailed {
        Exit::Errors
    } else {
        Exit::Ok
    })
}
