//! `hnsdoctor kb …`: query the knowledge base — known issues by build/UBR/hotfix, platform gaps
//! and HNS features, one entry in full, free-text search, the release catalog. Glue only: the
//! answers come from `hnsdoctor_kb`; this file formats them as text or JSON (schema in
//! docs/json.md, "kb and explain").

use crate::cli::{color, DataFormat};
use crate::cmd::BadInput;
use clap::Subcommand;
use hnsdoctor_kb::{
    Availability, Entry, FeatureBasis, GapStatus, HnsVersion, HostVersion, ImageMatch, ImageStatus,
    IssueMatch, IssueStatus, Kb, Step,
};
use hnsdoctor_model::{ContainerImage, Prov};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `kb`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to ask.
    #[command(subcommand)]
    pub command: KbCommand,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Text, global = true)]
    pub format: DataFormat,
}

/// `kb` subcommands.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Known issues that apply to a Windows build (and those fixed by an update the host has),
    /// and to container images.
    Issues {
        /// Windows version: 1709, 16299, 16299.334, 10.0.16299.334, the output of `ver`,
        /// "Windows Server 2019", ltsc2022, RS5 …
        #[arg(long, required_unless_present = "image")]
        build: Option<String>,
        /// Installed updates as Get-HotFix lists them (KB4093105; repeat or comma-separate).
        #[arg(long = "hotfix", value_name = "KB", num_args = 1.., value_delimiter = ',')]
        hotfix: Vec<String>,
        /// Container image references (mcr.microsoft.com/windows/servercore:10.0.17763.4851,
        /// …/nanoserver:1809-KB5030214); repeat for several. Image-keyed issues are matched on
        /// the image's revision, not the host's.
        #[arg(long = "image", value_name = "REF")]
        image: Vec<String>,
    },
    /// Every knowledge-base id (findings, known issues, gaps) with its kind and title.
    List,
    /// Platform gaps and HNS feature availability.
    Gaps {
        /// Windows version (see `kb issues --build`).
        #[arg(long)]
        build: Option<String>,
        /// HNS version as MAJOR.MINOR (from `GET /globals/version`); preferred over --build.
        #[arg(long = "hns-version", value_name = "M.m")]
        hns_version: Option<String>,
    },
    /// One entry in full, workaround commands included.
    Show {
        /// Entry id, e.g. port-pool-exhaustion.
        id: String,
    },
    /// Entries ranked by relevance to a symptom in your words.
    Search {
        /// Free text, e.g. "dns fails after node restart".
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// The release catalog and the KB → build.UBR map.
    Builds,
}

/// Run `kb`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let kb = Kb::get();
    let (text, json) = match &args.command {
        KbCommand::Issues {
            build,
            hotfix,
            image,
        } => issues(kb, build.as_deref(), hotfix, image)?,
        KbCommand::List => list(kb),
        KbCommand::Gaps { build, hns_version } => {
            gaps(kb, build.as_deref(), hns_version.as_deref())?
        }
        KbCommand::Show { id } => show(kb, id)?,
        KbCommand::Search { query } => search(kb, &query.join(" "))?,
        KbCommand::Builds => builds(kb),
    };
    let mut text = text;
    let _ = writeln!(text, "\n{}", paint(&data_version_line(), DIM));
    emit(args.format, &text, &json)?;
    Ok(ExitCode::SUCCESS)
}

/// "Knowledge base reviewed YYYY-MM-DD": the data version, shown under every `kb` answer.
pub(crate) fn data_version_line() -> String {
    format!(
        "Knowledge base reviewed {} against primary sources.",
        hnsdoctor_kb::data_reviewed()
    )
}

fn list(kb: &Kb) -> (String, Value) {
    let mut out = String::new();
    let w = kb.entries().iter().map(|e| e.id.len()).max().unwrap_or(0);
    heading(&mut out, "Knowledge-base ids", kb.entries().len());
    let mut ids = Vec::with_capacity(kb.entries().len());
    for e in kb.entries() {
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|k| k.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {:<7}  {}{}",
            paint(&format!("{:<w$}", e.id), BOLD),
            kind,
            e.title,
            if e.inferred { " (partly inferred)" } else { "" }
        );
        ids.push(json!({"id": e.id, "kind": kind, "title": e.title, "inferred": e.inferred}));
    }
    let _ = writeln!(out, "\nDetails: hnsdoctor kb show <id>");
    (out, json!({"ids": ids}))
}

/// Write text or pretty JSON to stdout.
pub(crate) fn emit(format: DataFormat, text: &str, json: &Value) -> anyhow::Result<()> {
    let json = with_schema_version(json);
    let mut out = std::io::stdout().lock();
    match format {
        DataFormat::Text => out.write_all(text.as_bytes())?,
        DataFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &json)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Version of the `kb` / `explain` JSON shapes (docs/json.md). Bump on renames or removals.
pub const KB_JSON_SCHEMA_VERSION: u32 = 1;

/// The document with `schema_version` as its first field and the knowledge base's data version
/// (`kb_reviewed`, the date of the last review against primary sources) second.
fn with_schema_version(v: &Value) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("schema_version".into(), json!(KB_JSON_SCHEMA_VERSION));
    m.insert("kb_reviewed".into(), json!(hnsdoctor_kb::data_reviewed()));
    if let Value::Object(o) = v {
        for (k, x) in o {
            m.insert(k.clone(), x.clone());
        }
    }
    Value::Object(m)
}

/// ANSI styling, only when colours are on.
pub(crate) fn paint(s: &str, style: &str) -> String {
    if color() {
        format!("\x1b[{style}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

pub(crate) const BOLD: &str = "1";
pub(crate) const RED: &str = "31";
pub(crate) const GREEN: &str = "32";
pub(crate) const YELLOW: &str = "33";
pub(crate) const DIM: &str = "2";

fn heading(out: &mut String, title: &str, n: usize) {
    let _ = writeln!(out, "\n{}", paint(&format!("{title} ({n})"), BOLD));
}

/// A version argument, or exit 3 naming what was wrong.
pub(crate) fn parse_version(kb: &Kb, s: &str) -> anyhow::Result<HostVersion> {
    kb.parse_version(s)
        .map_err(|e| BadInput(e.to_string()).into())
}

fn release_line(kb: &Kb, h: &HostVersion) -> String {
    match kb.release_for_build(h.build) {
        Some(r) => {
            let support = match &r.support_end {
                Some(d) if !r.edition_support.is_empty() => {
                    let by: Vec<String> = r
                        .edition_support
                        .iter()
                        .map(|e| format!("{} {}", e.edition, e.support_end))
                        .collect();
                    format!(
                        ", support ends/ended {d} — depends on edition: {}",
                        by.join("; ")
                    )
                }
                Some(d) => format!(", support ends/ended {d}"),
                None => String::new(),
            };
            let version = if r.name.contains(&r.version) {
                String::new()
            } else {
                format!(" {}", r.version)
            };
            format!("{} ({}{version}, {}{support})", h, r.name, r.channel)
        }
        None => h.to_string(),
    }
}

fn range_text(m: &IssueMatch) -> String {
    let r = m.range;
    let from = if r.from_ubr > 0 {
        format!("{}.{}", r.build, r.from_ubr)
    } else {
        format!("{}", r.build)
    };
    match (&r.until_ubr, &r.fixed_by) {
        (Some(u), Some(k)) => format!("{from} .. fixed in {}.{u} ({k})", r.build),
        (Some(u), None) => format!("{from} .. {}.{u}", r.build),
        _ if r.from_ubr == 0 => format!("every {from} revision, no fix known"),
        _ => format!("{from} and later, no fix known"),
    }
}

pub(crate) fn step_json(s: &Step) -> Value {
    json!({"text": s.text, "command": s.command, "last_resort": s.last_resort, "changes_host": s.changes_host})
}

pub(crate) fn steps_text(out: &mut String, steps: &[Step], indent: &str) {
    for (i, s) in steps.iter().enumerate() {
        let mut flags = Vec::new();
        if s.last_resort {
            flags.push("last resort");
        }
        if s.changes_host {
            flags.push("changes the host");
        }
        if !s.actions.is_empty() {
            flags.push("automated: hnsdoctor fix");
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            paint(&format!(" [{}]", flags.join(", ")), YELLOW)
        };
        let _ = writeln!(out, "{indent}{}. {}{flags}", i + 1, s.text);
        if let Some(c) = &s.command {
            let _ = writeln!(out, "{indent}   {}", paint(&format!("> {c}"), DIM));
        }
    }
}

fn issues(
    kb: &Kb,
    build: Option<&str>,
    hotfixes: &[String],
    images: &[String],
) -> anyhow::Result<(String, Value)> {
    let (img_text, img_json) = image_issues(kb, images)?;
    let Some(build) = build else {
        return Ok((
            img_text,
            json!({"query": {"images": images}, "issues": [], "images": img_json}),
        ));
    };
    let (mut out, mut json) = host_issues(kb, build, hotfixes)?;
    out.push_str(&img_text);
    if let Value::Object(m) = &mut json {
        m.insert("images".into(), img_json);
    }
    Ok((out, json))
}

/// Image-keyed known issues for `--image` references (text section and JSON array).
fn image_issues(kb: &Kb, refs: &[String]) -> anyhow::Result<(String, Value)> {
    if refs.is_empty() {
        return Ok((String::new(), json!([])));
    }
    let mut images = Vec::with_capacity(refs.len());
    for r in refs {
        let img = ContainerImage::from_reference(r, Prov::default()).ok_or_else(|| {
            BadInput(format!(
                "{r:?} is not a container image reference: expected repository[:tag][@digest], e.g. mcr.microsoft.com/windows/servercore:10.0.17763.4851"
            ))
        })?;
        images.push(img);
    }
    let queries = hnsdoctor_rules::known_issue::image_queries(&images);
    let matches = kb.issues_for_images(&queries);
    let mut out = String::new();
    heading(&mut out, "Container images", images.len());
    let mut js = Vec::new();
    for (i, (img, q)) in images.iter().zip(&queries).enumerate() {
        let version = match kb.image_version(q) {
            Some((b, Some(r))) => format!("Windows {b}.{r}"),
            Some((b, None)) => format!("Windows {b}, revision not shown"),
            None => "Windows version not shown".to_string(),
        };
        let _ = writeln!(out, "  {}  ({version})", paint(&img.reference(), BOLD));
        let mine: Vec<&ImageMatch> = matches.iter().filter(|m| m.image_index == i).collect();
        if mine.is_empty() {
            let _ = writeln!(out, "    no image-keyed known issue");
        }
        let mut mj = Vec::new();
        for m in mine {
            let r = m.range;
            let until = r.until_rev.map_or_else(
                || "no fixed image known".to_string(),
                |u| format!("fixed in {}.{u}", r.build),
            );
            let (label, style) = match &m.status {
                ImageStatus::Applies => ("applies", RED),
                ImageStatus::Fixed { .. } => ("fixed", GREEN),
                ImageStatus::RevisionUnknown { .. } => ("revision unknown", YELLOW),
            };
            let _ = writeln!(
                out,
                "    {}  {}  {}",
                paint(&m.entry.id, style),
                label,
                m.entry.title
            );
            let _ = writeln!(
                out,
                "    {}",
                paint(
                    &format!("affected images {}.{} .. {until}", r.build, r.from_rev),
                    DIM
                )
            );
            mj.push(json!({
                "id": m.entry.id, "title": m.entry.title, "status": m.status, "applies": m.applies(),
                "range": r,
            }));
        }
        js.push(json!({
            "reference": img.reference(), "repository": img.repository, "tag": img.tag,
            "digest": img.digest, "build": kb.image_version(q).map(|v| v.0),
            "revision": kb.image_version(q).and_then(|v| v.1), "issues": mj,
        }));
    }
    Ok((out, Value::Array(js)))
}

fn host_issues(kb: &Kb, build: &str, hotfixes: &[String]) -> anyhow::Result<(String, Value)> {
    let host = parse_version(kb, build)?;
    let hot: Vec<&str> = hotfixes.iter().map(String::as_str).collect();
    let matches = kb.issues_for(&host, &hot);
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", paint("Host:", BOLD), release_line(kb, &host));
    // Hotfixes: what each one tells us.
    let mut hot_json = Vec::new();
    for h in hotfixes {
        match kb.update(h) {
            Some(u) => {
                let used = u.build == host.build;
                let _ = writeln!(
                    out,
                    "Hotfix {} = {}.{} ({}){}",
                    u.kb,
                    u.build,
                    u.ubr,
                    u.date,
                    if used {
                        ""
                    } else {
                        " — another build, ignored"
                    }
                );
                hot_json.push(json!({"id": u.kb, "known": true, "build": u.build, "ubr": u.ubr, "used": used}));
            }
            None => {
                let _ = writeln!(out, "Hotfix {h}: not in the update map, ignored");
                hot_json.push(json!({"id": h, "known": false, "used": false}));
            }
        }
    }
    let assumed = host.ubr.is_none() && !hot_json.iter().any(|h| h["used"] == json!(true));
    if assumed {
        let why = host
            .ubr_note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}",
            paint(
                &format!(
                    "UBR unknown{why}: this answer assumes the RTM revision of {}.",
                    host.build
                ),
                YELLOW
            )
        );
    }
    let applies: Vec<&IssueMatch> = matches.iter().filter(|m| m.applies()).collect();
    let fixed: Vec<&IssueMatch> = matches
        .iter()
        .filter(|m| matches!(m.status, IssueStatus::Fixed { .. }))
        .collect();
    let disputed: Vec<&IssueMatch> = matches
        .iter()
        .filter(|m| {
            m.disputed && matches!(m.status, IssueStatus::Applies | IssueStatus::AssumedRtm)
        })
        .collect();
    let later: Vec<&IssueMatch> = matches
        .iter()
        .filter(|m| matches!(m.status, IssueStatus::LaterUbr { .. }))
        .collect();
    let w = matches.iter().map(|m| m.entry.id.len()).max().unwrap_or(0);
    let row = |out: &mut String, m: &IssueMatch, style: &str, extra: String| {
        let _ = writeln!(
            out,
            "  {}  {}",
            paint(&format!("{:<w$}", m.entry.id), style),
            m.entry.title
        );
        let _ = writeln!(out, "  {:<w$}  {}", "", paint(&extra, DIM));
    };
    heading(&mut out, "Applies", applies.len());
    if applies.is_empty() {
        let _ = writeln!(out, "  none of the known build-specific issues");
    }
    for m in &applies {
        let mut extra = range_text(m);
        if m.hotpatch_caveat {
            extra.push_str(
                "; close below the fix: on a hotpatch build this may already be the fixed month",
            );
        }
        row(&mut out, m, RED, extra);
    }
    if !fixed.is_empty() {
        heading(&mut out, "Fixed on this host", fixed.len());
        for m in &fixed {
            let extra = match &m.status {
                IssueStatus::Fixed {
                    by,
                    ubr,
                    via_hotfix,
                } => format!(
                    "fixed in {}.{ubr}{}{}",
                    m.range.build,
                    by.as_ref().map(|b| format!(" ({b})")).unwrap_or_default(),
                    via_hotfix
                        .as_ref()
                        .map(|h| format!(", installed {h}"))
                        .unwrap_or_default()
                ),
                _ => String::new(),
            };
            row(&mut out, m, GREEN, extra);
        }
    }
    if !disputed.is_empty() {
        heading(
            &mut out,
            "Disputed (only some sources include this build)",
            disputed.len(),
        );
        for m in &disputed {
            row(
                &mut out,
                m,
                YELLOW,
                m.range.note.clone().unwrap_or_else(|| range_text(m)),
            );
        }
    }
    if assumed {
        let newer: Vec<&&IssueMatch> = applies
            .iter()
            .filter(|m| m.range.until_ubr.is_some())
            .collect();
        heading(
            &mut out,
            "What a newer UBR would change",
            newer.len() + later.len(),
        );
        for m in newer {
            let u = m.range.until_ubr.unwrap_or_default();
            let by = m.range.fixed_by.as_deref().unwrap_or("update");
            let _ = writeln!(
                out,
                "  {:<w$}  fixed from {}.{u} ({by})",
                m.entry.id, host.build
            );
        }
        for m in &later {
            if let IssueStatus::LaterUbr {
                from_ubr,
                until_ubr,
            } = m.status
            {
                let until = until_ubr
                    .map(|u| format!(" until {}.{u}", host.build))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {:<w$}  applies from {}.{from_ubr}{until}",
                    m.entry.id, host.build
                );
            }
        }
    }
    // Issues of this build's container images are not decided by the host's UBR: name them.
    let image_keyed: Vec<&Entry> = kb
        .entries()
        .iter()
        .filter(|e| e.affected_images.iter().any(|r| r.build == host.build))
        .collect();
    if !image_keyed.is_empty() {
        heading(
            &mut out,
            "Keyed on container images, not on the host (check with --image <ref>)",
            image_keyed.len(),
        );
        for e in &image_keyed {
            let _ = writeln!(out, "  {:<w$}  {}", e.id, e.title);
        }
    }
    let _ = writeln!(out, "\nDetails: hnsdoctor kb show <id>");
    let issue_json: Vec<Value> = matches.iter().map(issue_json).collect();
    let release = kb.release_for_build(host.build);
    let json = json!({
        "query": {
            "input": build,
            "build": host.build,
            "ubr": host.ubr,
            "ubr_note": host.ubr_note,
            "assumed_rtm": assumed,
            "release": release.map(|r| json!({"name": r.name, "version": r.version, "channel": r.channel, "support_end": r.support_end})),
            "hotfixes": hot_json,
        },
        "issues": issue_json,
        "image_keyed": image_keyed.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
    });
    Ok((out, json))
}

fn issue_json(m: &IssueMatch) -> Value {
    let (status, fixed_in, via) = match &m.status {
        IssueStatus::Applies => ("applies", None, None),
        IssueStatus::Fixed {
            ubr, via_hotfix, ..
        } => ("fixed", Some(*ubr), via_hotfix.clone()),
        IssueStatus::AssumedRtm => ("assumed_rtm", None, None),
        IssueStatus::LaterUbr { .. } => ("later_ubr", None, None),
    };
    json!({
        "id": m.entry.id,
        "title": m.entry.title,
        "status": status,
        "applies": m.applies(),
        "disputed": m.disputed,
        "hotpatch_caveat": m.hotpatch_caveat,
        "range": {
            "build": m.range.build,
            "from_ubr": m.range.from_ubr,
            "until_ubr": m.range.until_ubr,
            "fixed_by": m.range.fixed_by,
            "partial_fixes": m.range.partial_fixes,
            "note": m.range.note,
            "inferred": m.range.inferred,
        },
        "fixed_in_ubr": fixed_in,
        "via_hotfix": via,
        "workaround": m.entry.workaround.iter().map(step_json).collect::<Vec<_>>(),
    })
}

fn gaps(kb: &Kb, build: Option<&str>, hns: Option<&str>) -> anyhow::Result<(String, Value)> {
    let host = build.map(|b| parse_version(kb, b)).transpose()?;
    let hns: Option<HnsVersion> = hns
        .map(|s| {
            s.parse()
                .map_err(|e: hnsdoctor_kb::HnsVersionError| BadInput(e.to_string()))
        })
        .transpose()?;
    let gaps = kb.gaps(host.as_ref().map(|h| h.build));
    let feats = kb.features_for(host.as_ref().map(|h| h.build), hns);
    let mut out = String::new();
    match (&host, hns) {
        (_, Some(v)) => {
            let _ = writeln!(out, "{} HNS {v}", paint("Features for", BOLD));
        }
        (Some(h), None) => {
            let _ = writeln!(
                out,
                "{} {} — feature answers inferred from the HNS versions observed on this build",
                paint("Host:", BOLD),
                release_line(kb, h)
            );
        }
        (None, None) => {
            let _ = writeln!(
                out,
                "No --build or --hns-version: gap status in general, feature table only."
            );
        }
    }
    let w = gaps
        .iter()
        .map(|g| g.entry.id.len())
        .chain(feats.iter().map(|f| f.feature.id.len()))
        .max()
        .unwrap_or(0);
    heading(&mut out, "Platform gaps", gaps.len());
    let mut gap_json = Vec::new();
    for g in &gaps {
        let (label, style) = match g.status {
            GapStatus::Open => ("open", RED),
            GapStatus::Closed => ("closed", GREEN),
            GapStatus::Unknown => ("unknown", YELLOW),
        };
        let _ = writeln!(
            out,
            "  {:<w$}  {}  {}",
            g.entry.id,
            paint(&format!("{label:<7}"), style),
            g.entry.title
        );
        if let Some(n) = &g.entry.status_note {
            let _ = writeln!(out, "  {:<w$}           {}", "", paint(n, DIM));
        }
        gap_json.push(json!({
            "id": g.entry.id, "title": g.entry.title, "status": label,
            "closed_from_build": g.entry.closed_from_build, "status_note": g.entry.status_note,
        }));
    }
    heading(&mut out, "HNS features", feats.len());
    let mut feat_json = Vec::new();
    for f in &feats {
        let (label, style) = match f.available {
            Availability::Yes => ("yes", GREEN),
            Availability::No => ("no", RED),
            Availability::DependsOnUpdate => ("depends", YELLOW),
            Availability::Unknown => ("unknown", DIM),
        };
        let ranges: Vec<String> = f
            .feature
            .hns
            .iter()
            .map(|i| match i.until {
                Some(u) => format!("{}..<{u}", i.from),
                None => format!(">={}", i.from),
            })
            .collect();
        let _ = writeln!(
            out,
            "  {:<w$}  {}  {} {}",
            f.feature.id,
            paint(&format!("{label:<7}"), style),
            f.feature.title,
            paint(&format!("(HNS {})", ranges.join(", ")), DIM)
        );
        let basis = match &f.basis {
            FeatureBasis::HnsVersion { version } => {
                json!({"basis": "hns_version", "hns_version": version})
            }
            FeatureBasis::Build {
                build,
                observed_on,
                versions,
                inferred,
            } => json!({
                "basis": "build", "build": build, "observed_on": observed_on,
                "hns_versions": versions, "inferred": inferred,
            }),
            FeatureBasis::None => json!({"basis": "none"}),
        };
        feat_json.push(json!({
            "id": f.feature.id, "title": f.feature.title, "available": f.available,
            "hns": f.feature.hns, "note": f.feature.note, "basis": basis,
        }));
    }
    if let Some(h) = &host {
        let seen = kb.hns_versions_for_build(h.build);
        if !seen.is_empty() && hns.is_none() {
            let v: Vec<String> = seen.iter().map(ToString::to_string).collect();
            let _ = writeln!(
                out,
                "\nHNS versions observed on {}: {} (give --hns-version for an exact answer)",
                h.build,
                v.join(", ")
            );
        }
    }
    let json = json!({
        "query": {"build": host.as_ref().map(|h| h.build), "ubr": host.as_ref().and_then(|h| h.ubr), "hns_version": hns},
        "gaps": gap_json,
        "features": feat_json,
    });
    Ok((out, json))
}

/// The full text of one entry (shared with `explain`).
pub(crate) fn entry_text(kb: &Kb, e: &Entry, out: &mut String) {
    let _ = writeln!(out, "{}  {}", paint(&e.id, BOLD), e.title);
    let _ = writeln!(out, "  kind:     {:?}", e.kind);
    let _ = writeln!(out, "  symptom:  {}", e.symptom);
    let _ = writeln!(out, "  cause:    {}", e.cause);
    if let Some(s) = &e.status_note {
        let _ = writeln!(out, "  status:   {s}");
    }
    if !e.affected.is_empty() {
        let _ = writeln!(out, "  affects:");
        for r in &e.affected {
            let from = if r.from_ubr > 0 {
                format!("{}.{}", r.build, r.from_ubr)
            } else {
                r.build.to_string()
            };
            let name = kb
                .release_for_build(r.build)
                .map(|r| r.name.as_str())
                .unwrap_or("");
            let fix = match (&r.until_ubr, &r.fixed_by) {
                (Some(u), Some(k)) => format!("fixed in {}.{u} ({k})", r.build),
                (Some(u), None) => format!("until {}.{u}", r.build),
                _ => "no fix known".to_string(),
            };
            let mut extra = String::new();
            if !r.partial_fixes.is_empty() {
                let _ = write!(extra, "; partial: {}", r.partial_fixes.join(", "));
            }
            if r.disputed {
                extra.push_str("; disputed");
            }
            if r.inferred {
                extra.push_str("; inferred");
            }
            if let Some(n) = &r.note {
                let _ = write!(extra, "; {n}");
            }
            let _ = writeln!(out, "    {from:<11} {name:<36} {fix}{extra}");
        }
    }
    if !e.affected_images.is_empty() {
        let _ = writeln!(out, "  affects container images (not the host):");
        for r in &e.affected_images {
            let fix = match (&r.until_rev, &r.fixed_by) {
                (Some(u), Some(k)) => format!("fixed in {}.{u} ({k})", r.build),
                (Some(u), None) => format!("until {}.{u}", r.build),
                _ => "no fixed image known".to_string(),
            };
            let mut extra = String::new();
            if r.inferred {
                extra.push_str("; inferred");
            }
            if let Some(n) = &r.note {
                let _ = write!(extra, "; {n}");
            }
            let _ = writeln!(
                out,
                "    {} {}.{} .. {fix}{extra}",
                r.repositories.join(", "),
                r.build,
                r.from_rev
            );
        }
    }
    if !e.evidence.is_empty() {
        let _ = writeln!(out, "  evidence:");
        for v in &e.evidence {
            let _ = writeln!(out, "    - {v}");
        }
    }
    let _ = writeln!(out, "  workaround:");
    steps_text(out, &e.workaround, "    ");
    let codes = kb.codes_for_entry(&e.id);
    if !codes.is_empty() {
        let c: Vec<String> = codes
            .iter()
            .map(|c| format!("{} {}", c.code, c.name))
            .collect();
        let _ = writeln!(out, "  error codes: {}", c.join(", "));
    }
    for n in &e.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    if e.inferred {
        let _ = writeln!(
            out,
            "  inferred: a key claim is deduced rather than stated by the sources (see the notes)"
        );
    }
    if !e.references.is_empty() {
        let _ = writeln!(out, "  references:");
        for r in &e.references {
            let _ = writeln!(out, "    {r}");
        }
    }
}

pub(crate) fn entry_json(kb: &Kb, e: &Entry) -> Value {
    let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        let codes: Vec<Value> = kb
            .codes_for_entry(&e.id)
            .iter()
            .map(|c| json!({"id": c.code, "name": c.name}))
            .collect();
        m.insert("error_codes".into(), Value::Array(codes));
    }
    v
}

fn show(kb: &Kb, id: &str) -> anyhow::Result<(String, Value)> {
    let e = kb
        .entry_or_suggest(id)
        .map_err(|e| BadInput(e.to_string()))?;
    let mut out = String::new();
    entry_text(kb, e, &mut out);
    Ok((out, json!({"entry": entry_json(kb, e)})))
}

fn search(kb: &Kb, q: &str) -> anyhow::Result<(String, Value)> {
    let hits = kb.search(q).map_err(|e| BadInput(e.to_string()))?;
    let mut out = String::new();
    let shown: Vec<_> = hits.iter().take(10).collect();
    if shown.is_empty() {
        let _ = writeln!(
            out,
            "No entry matches {q:?}. Try other words, or `hnsdoctor explain` with an error code."
        );
    }
    let w = shown.iter().map(|h| h.entry.id.len()).max().unwrap_or(0);
    for h in &shown {
        let _ = writeln!(
            out,
            "{:>6.1}  {}  {}",
            h.score,
            paint(&format!("{:<w$}", h.entry.id), BOLD),
            h.entry.title
        );
    }
    if hits.len() > shown.len() {
        let _ = writeln!(
            out,
            "… {} more (use --format json for all)",
            hits.len() - shown.len()
        );
    }
    let json = json!({
        "query": q,
        "results": hits.iter().map(|h| json!({
            "id": h.entry.id, "title": h.entry.title, "kind": h.entry.kind, "score": h.score, "matched": h.matched,
        })).collect::<Vec<_>>(),
    });
    Ok((out, json))
}

fn builds(kb: &Kb) -> (String, Value) {
    let mut out = String::new();
    heading(&mut out, "Releases", kb.releases().len());
    let _ = writeln!(
        out,
        "  {:<6} {:<50} {:<5} {:<7} {:<11} {:<11} {:<11}",
        "build", "name", "ver", "channel", "available", "mainstream", "support end"
    );
    let mut rel_json = Vec::new();
    for r in kb.releases() {
        let _ = writeln!(
            out,
            "  {:<6} {:<50} {:<5} {:<7} {:<11} {:<11} {:<11}",
            r.build,
            r.name,
            r.version,
            r.channel.to_string(),
            r.available,
            r.mainstream_end.as_deref().unwrap_or("-"),
            r.support_end.as_deref().unwrap_or("-")
        );
        let _ = writeln!(
            out,
            "  {:<6} {}",
            "",
            paint(&format!("aliases: {}", r.aliases.join(", ")), DIM)
        );
        if !r.base_images.is_empty() {
            let _ = writeln!(
                out,
                "  {:<6} {}",
                "",
                paint(&format!("images: {}", r.base_images.join(", ")), DIM)
            );
        }
        for e in &r.edition_support {
            let _ = writeln!(
                out,
                "  {:<6} {}",
                "",
                paint(
                    &format!("support end ({}): {}", e.edition, e.support_end),
                    DIM
                )
            );
        }
        for n in &r.date_notes {
            let _ = writeln!(out, "  {:<6} {}", "", paint(&format!("note: {n}"), DIM));
        }
        let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            let channel = serde_json::to_value(r.channel)
                .ok()
                .and_then(|c| c.as_str().map(str::to_string))
                .unwrap_or_default();
            m.insert("id".into(), json!(format!("{}-{}", r.build, channel)));
        }
        rel_json.push(v);
    }
    heading(&mut out, "Updates (KB → build.UBR)", kb.updates().len());
    let mut upd_json = Vec::new();
    for u in kb.updates() {
        let _ = writeln!(
            out,
            "  {:<10} {:>5}.{:<5} {:<10}  {}",
            u.kb,
            u.build,
            u.ubr,
            u.date,
            paint(&u.note, DIM)
        );
        upd_json.push(json!({
            "id": u.kb, "build": u.build, "ubr": u.ubr, "date": u.date, "note": u.note,
            "sources": u.sources, "inferred": u.inferred,
        }));
    }
    (out, json!({"releases": rel_json, "updates": upd_json}))
}
