//! `hnsdoctor inspect <path|->`: show what hnsdoctor read from an input — per source the format
//! detected, encoding, objects parsed, facts, skipped lines with reasons, warnings, refusals —
//! and a short summary of the assembled host model.
//!
//! Glue only: `hnsdoctor_bundle::open` → `hnsdoctor_parse::assemble::assemble` → text or JSON.
//! The JSON shape (`--format json`) is documented in `docs/json.md`, section "inspect".
//! Exit 3 ([`BadInput`]) for a missing path, an empty input, or input where nothing was
//! recognised (the report is still printed first in that last case).

use crate::cli::DataFormat;
use crate::cmd::BadInput;
use crate::exit::Exit;
use hnsdoctor_bundle::{BundleError, InputKind, Opened};
use hnsdoctor_model::{HostModel, InputSummary};
use serde_json::json;
use std::fmt::Write as _;
use std::io::Write;

/// Version of the `inspect --format json` envelope. Bump on any rename or removal.
pub const INSPECT_SCHEMA_VERSION: u32 = 1;

/// Arguments of `inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to read: an hnsdoctor bundle (folder or zip), a legacy CollectLogs folder or zip,
    /// any folder, a text file of pasted command output, or `-` for stdin.
    pub input: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Text)]
    pub format: DataFormat,
}

/// Open, assemble, print.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let opened = hnsdoctor_bundle::open(&args.input).map_err(|e| to_error(&args.input, e))?;
    let model = hnsdoctor_parse::assemble::assemble(&opened);
    let out = match args.format {
        DataFormat::Text => render_text(&opened, &model),
        DataFormat::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(&opened, &model))?;
            s.push('\n');
            s
        }
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    if !recognised_anything(&model) {
        return Err(BadInput(format!(
            "{}: nothing recognised: no source matched a known format (see the skipped lines above)",
            shown(&args.input)
        ))
        .into());
    }
    Ok(Exit::Ok)
}

fn shown(input: &str) -> &str {
    if input == "-" {
        "<stdin>"
    } else {
        input
    }
}

fn to_error(input: &str, e: BundleError) -> anyhow::Error {
    if e.is_bad_input() {
        BadInput(e.to_string()).into()
    } else {
        anyhow::Error::new(e).context(format!("reading {}", shown(input)))
    }
}

/// At least one source was parsed (not unknown, not refused), or at least one fact was read.
fn recognised_anything(model: &HostModel) -> bool {
    !model.facts.is_empty()
        || model
            .inputs
            .iter()
            .any(|s| s.format != hnsdoctor_parse::assemble::UNKNOWN && s.refused.is_none())
}

fn kind_name(k: InputKind) -> &'static str {
    match k {
        InputKind::Bundle => "hnsdoctor bundle",
        InputKind::LegacyCollectLogs => "legacy CollectLogs output",
        InputKind::Folder => "folder",
        InputKind::File => "file",
        InputKind::Stdin => "stdin",
    }
}

/// The JSON document: `{schema_version, input, warnings, inputs, model}`.
fn to_json(opened: &Opened, model: &HostModel) -> serde_json::Value {
    json!({
        "schema_version": INSPECT_SCHEMA_VERSION,
        "input": {
            "path": opened.origin,
            "kind": opened.kind,
            "root": opened.root,
            "sources": opened.sources.len(),
        },
        "warnings": opened.warnings,
        "inputs": model.inputs,
        "model": model,
    })
}

fn render_text(opened: &Opened, model: &HostModel) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Input: {} ({}{})",
        shown(&opened.origin),
        kind_name(opened.kind),
        opened
            .root
            .as_deref()
            .map(|r| format!(", top folder {r}/"))
            .unwrap_or_default()
    );
    for w in &opened.warnings {
        let _ = writeln!(o, "  warning: {w}");
    }
    let parsed = model
        .inputs
        .iter()
        .filter(|s| s.refused.is_none() && s.format != hnsdoctor_parse::assemble::UNKNOWN)
        .count();
    let refused = model.inputs.iter().filter(|s| s.refused.is_some()).count();
    let unknown = model
        .inputs
        .iter()
        .filter(|s| s.refused.is_none() && s.format == hnsdoctor_parse::assemble::UNKNOWN)
        .count();
    let _ = writeln!(
        o,
        "Sources: {} ({parsed} parsed, {unknown} not recognised, {refused} refused or missing)\n",
        model.inputs.len()
    );
    let width = model
        .inputs
        .iter()
        .map(|s| s.source.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 48);
    let fwidth = model
        .inputs
        .iter()
        .map(|s| s.format.len())
        .max()
        .unwrap_or(6)
        .clamp(6, 40);
    let _ = writeln!(
        o,
        "{:<width$}  {:<fwidth$}  {:<14}  {:>7}  {:>7}  FACTS",
        "SOURCE", "FORMAT", "ENCODING", "OBJECTS", "SKIPPED"
    );
    for s in &model.inputs {
        source_block(&mut o, s, width, fwidth);
    }
    let _ = writeln!(o);
    model_summary(&mut o, model);
    o
}

fn source_block(o: &mut String, s: &InputSummary, width: usize, fwidth: usize) {
    let facts: Vec<String> = s.facts.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        o,
        "{:<width$}  {:<fwidth$}  {:<14}  {:>7}  {:>7}  {}",
        s.source,
        s.format,
        s.encoding.as_deref().unwrap_or("-"),
        s.objects,
        s.skipped_count,
        if facts.is_empty() {
            "-".to_string()
        } else {
            facts.join(", ")
        }
    );
    if let Some(by) = &s.selected_by {
        let _ = writeln!(o, "    format chosen by {by}");
    }
    for n in &s.normalised {
        let _ = writeln!(o, "    normalised: {n}");
    }
    if let Some(r) = &s.refused {
        let _ = writeln!(o, "    refused: {r}");
    }
    for w in &s.warnings {
        let _ = writeln!(o, "    warning: {w}");
    }
    let shown = s.skipped.len().min(5);
    for k in s.skipped.iter().take(shown) {
        let _ = writeln!(o, "    skipped line {}: {}", k.line, k.reason);
    }
    if s.skipped_count > shown {
        let _ = writeln!(o, "    … {} more skipped lines", s.skipped_count - shown);
    }
}

fn model_summary(o: &mut String, m: &HostModel) {
    let _ = writeln!(o, "Model:");
    if let Some(h) = &m.host_name {
        let _ = writeln!(o, "  host             {h}");
    }
    if let Some(t) = &m.collected_at {
        let _ = writeln!(o, "  collected at     {t}");
    }
    match &m.os {
        Some(os) => {
            let ubr = os.ubr.map_or_else(|| ".?".to_string(), |u| format!(".{u}"));
            let name = os
                .product_name
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  OS build         {}{ubr}{name}, {} hotfixes",
                os.build,
                os.hotfixes.len()
            );
        }
        None => {
            let _ = writeln!(o, "  OS build         (not read)");
        }
    }
    if let Some(v) = m.hns.version {
        let _ = writeln!(o, "  HNS version      {v}");
    }
    let remote = m
        .hns
        .endpoints
        .iter()
        .filter(|e| e.remote() == Some(true))
        .count();
    let rows = [
        ("networks", m.hns.networks.len()),
        ("endpoints", m.hns.endpoints.len()),
        ("load balancers", m.hns.load_balancers.len()),
        ("namespaces", m.hns.namespaces.len()),
        ("port pools", m.hns.port_pools.len()),
        ("compartments", m.net.compartments.len()),
        ("routes", m.net.routes.len()),
        ("interfaces", m.net.interfaces.len()),
        ("neighbours", m.net.neighbors.len()),
        ("adapters", m.net.adapters.len()),
        ("dynamic ranges", m.ports.dynamic.len()),
        ("excluded ranges", m.ports.excluded.len()),
        ("listeners", m.ports.listeners.len()),
        ("VFP ports", m.vfp.ports.len()),
        ("NATs", m.nat.nats.len()),
        ("vSwitches", m.nat.switches.len()),
        ("services", m.services.len()),
        ("CNI configs", m.cni.len()),
        ("containers", m.containers.len()),
        ("log events", m.log_events.len()),
        ("event records", m.event_records.len()),
    ];
    for (what, n) in rows {
        if n > 0 {
            let extra = if what == "endpoints" {
                format!(" ({remote} remote)")
            } else {
                String::new()
            };
            let _ = writeln!(o, "  {what:<16} {n}{extra}");
        }
    }
    let facts: Vec<String> = m.facts.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        o,
        "  facts read       {}",
        if facts.is_empty() {
            "none".to_string()
        } else {
            facts.join(", ")
        }
    );
}
