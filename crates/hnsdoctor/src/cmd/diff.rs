//! `hnsdoctor diff <before> <after>`: what changed on a node between two collections (before
//! and after a restart, an update or a fix) — HNS networks, endpoints, load balancers, policies,
//! port ranges and services added, removed or changed, and findings that appeared or cleared.
//!
//! Glue only: each side is read as `analyze` reads it (`analyze::load_model`), the rules run on
//! both, and `hnsdoctor_report::diff` compares and renders. Exit 0 when nothing changed, 1 when
//! something did (like `diff(1)`), 3 for unreadable input.

use crate::cmd::analyze::load_model;
use crate::exit::Exit;
use hnsdoctor_report::diff;
use std::io::Write;

/// `--format` of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    /// Human-readable text (`+` added, `-` removed, `~` changed).
    #[default]
    Text,
    /// JSON (`diff_schema_version` 1, see docs/json.md).
    Json,
    /// Markdown, to paste into an issue.
    Markdown,
}

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier collection: bundle, CollectLogs folder or zip, or pasted file.
    pub before: String,
    /// The later collection.
    pub after: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// Read both, compare, print; exit 1 when anything changed.
///
/// # Errors
/// Bad input (exit 3) naming the side that could not be read; write errors.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let before = load_model(std::slice::from_ref(&args.before))?;
    let after = load_model(std::slice::from_ref(&args.after))?;
    let opts = hnsdoctor_rules::Options::default();
    let rb = hnsdoctor_rules::run(&before, &opts);
    let ra = hnsdoctor_rules::run(&after, &opts);
    let d = diff::diff(&before, &after, &rb, &ra);
    let out = match args.format {
        DiffFormat::Text => diff::render_text(&d),
        DiffFormat::Json => diff::render_json(&d),
        DiffFormat::Markdown => diff::render_markdown(&d),
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(if d.is_empty() {
        Exit::Ok
    } else {
        Exit::Warnings
    })
}
