//! The command line: one clap derive tree. Each subcommand's arguments live next to its code in
//! `cmd/<name>.rs`; this file only lists them and holds the options shared by all commands.

use crate::cmd;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// Finds out why container networking is broken on a Windows host, and says what to do about it.
#[derive(Debug, Parser)]
#[command(name = "hnsdoctor", version = version(), about, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
    /// When to use colours on the terminal (NO_COLOR is respected).
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
    /// Collect a diagnostic bundle from this host (read-only; folder + zip + manifest).
    Collect(cmd::collect::Args),
    /// Collect, analyze and report in one step on this host (bundle kept with --keep).
    Doctor(cmd::doctor::Args),
    /// Query the knowledge base: known issues by build, gaps and HNS features, entries, search.
    Kb(cmd::kb::Args),
    /// Explain an HNS/HCN/Win32 error code, a finding id or a pasted error line.
    Explain(cmd::explain::Args),
    /// Show what hnsdoctor reads from a bundle, CollectLogs folder, zip, file or stdin (`-`).
    Inspect(cmd::inspect::Args),
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

/// `--version`: the crate version and the knowledge base's data version (date of its last review
/// against primary sources).
pub fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        format!(
            "{} (knowledge base reviewed {})",
            env!("CARGO_PKG_VERSION"),
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

/// Parse the command line; on a clap error print it and return the exit code to use
/// (0 for `--help`/`--version`, 4 for usage errors).
pub fn parse() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => {
            set_color(match cli.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => std::io::stdout().is_terminal(),
            });
            Ok(cli)
        }
        Err(e) => {
            let code = if e.use_stderr() { 4 } else { 0 };
            let _ = e.print();
            Err(ExitCode::from(code))
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
}
