//! The command line: one clap derive tree. Each subcommand's arguments live next to its code in
//! `cmd/<name>.rs`; this file only lists them and holds the options shared by all commands.

use crate::cmd;
use crate::exit::Exit;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// Finds out why container networking is broken on a Windows host, and says what to do about it.
#[derive(Debug, Parser)]
#[command(name = "hnsdoctor", version = version(), about, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
    /// When to use colours on the terminal (`auto` respects NO_COLOR; `always` overrides it).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// All commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose from evidence: a bundle, CollectLogs folder/zip, pasted file or stdin (`-`).
    Analyze(cmd::analyze::Args),
    /// Print shell completions (bash, zsh, fish, powershell, elvish) to stdout.
    Completions(cmd::completions::Args),
    /// Compare two collections of one node: objects added, removed or changed, findings appeared or cleared.
    Diff(cmd::diff::Args),
    /// Collect a diagnostic bundle from this host (read-only; folder + zip + manifest).
    Collect(cmd::collect::Args),
    /// Collect, analyze and report in one step on this host (bundle kept with --keep).
    Doctor(cmd::doctor::Args),
    /// Plan (any OS), apply (--apply, Windows) or undo (--undo) the workarounds of findings.
    Fix(cmd::fix::Args),
    /// Query the knowledge base: known issues by build, gaps and HNS features, entries, search.
    Kb(cmd::kb::Args),
    /// Explain an HNS/HCN/Win32 error code, a finding id or a pasted error line.
    Explain(cmd::explain::Args),
    /// Show what hnsdoctor reads from a bundle, CollectLogs folder, zip, file or stdin (`-`).
    Inspect(cmd::inspect::Args),
    /// Summarise many nodes: which have which findings, which differ from their peers.
    Fleet(cmd::fleet::Args),
    /// node-problem-detector custom plugin: one short line, exit 0 OK / 1 problem / 2 unknown.
    Npd(cmd::npd::Args),
    /// Make a copy fit for sharing: secrets removed; addresses and names replaced with --obfuscate.
    Redact(cmd::redact::Args),
    /// Re-run the analysis on an interval: a JSON line per run, Prometheus metrics.
    Watch(cmd::watch::Args),
    /// `kubectl hnsdoctor`: collect on every Windows node with a Job, fetch the bundles, run fleet.
    Kubectl(cmd::kubectl::Args),
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colours when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--format` for commands whose output is data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DataFormat {
    /// Human-readable text.
    #[default]
    Text,
    /// JSON (schema documented in docs/json.md).
    Json,
}

/// `--version`: the crate version, the git commit it was built from and the knowledge base's
/// data version (date of its last review against primary sources), e.g.
/// `0.1.0 (commit 2d65a0f, knowledge base reviewed 2026-11-30)`.
pub fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        format!(
            "{} (commit {}, knowledge base reviewed {})",
            env!("CARGO_PKG_VERSION"),
            env!("HNSDOCTOR_GIT_COMMIT"),
            hnsdoctor_kb::data_reviewed()
        )
    })
}

static COLOR: AtomicBool = AtomicBool::new(false);

/// Whether output may use ANSI colours.
pub fn color() -> bool {
    COLOR.load(Ordering::Relaxed)
}

/// Force colours on or off.
pub fn set_color(on: bool) {
    COLOR.store(on, Ordering::Relaxed);
}

impl Cli {
    /// Whether the command's output is JSON (`--format json`), so errors must be JSON too.
    #[must_use]
    pub fn wants_json(&self) -> bool {
        use cmd::analyze::ReportFormat;
        match &self.command {
            Command::Analyze(a) => a.report.format == ReportFormat::Json,
            Command::Doctor(a) => a.report.format == ReportFormat::Json,
            Command::Collect(a) => a.format == DataFormat::Json,
            Command::Kb(a) => a.format == DataFormat::Json,
            Command::Fix(a) => a.format == DataFormat::Json,
            Command::Explain(a) => a.format == DataFormat::Json,
            Command::Inspect(a) => a.format == DataFormat::Json,
            Command::Completions(_) | Command::Npd(_) | Command::Watch(_) | Command::Redact(_) => {
                false
            }
            Command::Fleet(a) => a.format == cmd::fleet::FleetFormat::Json,
            Command::Kubectl(a) => a.format == cmd::fleet::FleetFormat::Json,
            Command::Diff(a) => a.format == cmd::diff::DiffFormat::Json,
        }
    }
}

/// Whether raw arguments ask for JSON (`--format json` or `--format=json`): used for errors
/// found before the command line could be parsed.
pub fn args_want_json<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> bool {
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    args.iter().any(|a| a == "--format=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--format" && w[1] == "json")
}

/// Colours for `--color`: `always` and `never` win over everything; `auto` colours a terminal
/// unless NO_COLOR is set to a non-empty value (<https://no-color.org>).
#[must_use]
pub fn color_for(when: ColorWhen, no_color: Option<&std::ffi::OsStr>, terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

/// Parse the command line; on a clap error print it (as a JSON error on stdout when the
/// arguments ask for JSON) and return the exit code to use (0 for `--help`/`--version`, 4 for
/// usage errors).
pub fn parse() -> Result<Cli, Exit> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let args = cmd::kubectl::plugin_args(&args).unwrap_or(args);
    match Cli::try_parse_from(args) {
        Ok(cli) => {
            set_color(color_for(
                cli.color,
                std::env::var_os("NO_COLOR").as_deref(),
                std::io::stdout().is_terminal(),
            ));
            Ok(cli)
        }
        Err(e) => {
            if !e.use_stderr() {
                let _ = e.print();
                return Err(Exit::Ok);
            }
            if args_want_json(std::env::args_os().skip(1)) {
                let text = e.to_string();
                let msg = text
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                println!("{}", cmd::json_error("usage", msg, None));
            }
            let _ = e.print();
            Err(Exit::Usage)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// clap's own consistency checks over every command (unique names, valid defaults…),
    /// which otherwise only fire when that command is run in a debug build.
    #[test]
    fn clap_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn always_beats_no_color_and_auto_respects_it() {
        use super::{color_for, ColorWhen};
        use std::ffi::OsStr;
        let set = Some(OsStr::new("1"));
        assert!(color_for(ColorWhen::Always, set, false));
        assert!(!color_for(ColorWhen::Auto, set, true));
        assert!(color_for(ColorWhen::Auto, Some(OsStr::new("")), true));
        assert!(color_for(ColorWhen::Auto, None, true));
        assert!(!color_for(ColorWhen::Auto, None, false));
        assert!(!color_for(ColorWhen::Never, None, true));
    }

    #[test]
    fn raw_args_asking_for_json() {
        use super::args_want_json;
        let a = |v: &[&str]| args_want_json(v.iter().map(std::ffi::OsString::from));
        assert!(a(&["analyze", "--format", "json", "x"]));
        assert!(a(&["analyze", "--format=json"]));
        assert!(!a(&["analyze", "--format", "text", "json"]));
    }
}
