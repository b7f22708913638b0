//! `hnsdoctor kb …`: query the knowledge base — known issues by build/UBR/hotfix, platform gaps
//! and HNS features, one entry in full, free-text search, the release catalog. Glue only: the
//! answers come from `hnsdoctor_kb`; these files format them as text or JSON (schema in
//! docs/json.md, "kb and explain"; generated schemas for the typed views in `schemas/`).
//!
//! One file per view: `issues`, `gaps`, `entry` (`show`, `search`), `builds`; the `list` view,
//! the arguments, the envelope and the shared helpers stay here.
//!
//! **Fixed-width columns stay `format!` padding** (`{:<w$}`), not comfy-table: these views are
//! aligned lists whose rows carry indented continuation lines (aliases, images, notes, fix
//! steps) and painted cells, which a table crate would turn into boxed grid rows and change the
//! output; every padded column holds ASCII (ids, builds, KB numbers, dates, ISO channel names),
//! checked by `padded_columns_are_ascii` below, so byte width equals display width.

use crate::cli::{color, DataFormat};
use crate::cmd::views::{
    BuildsView, Envelope, GapsView, IdRow, IssuesView, ListView, ReleaseRow, SearchRow, SearchView,
    ShowView, UpdateRow,
};
use hnsdoctor_report::paint::{Painter, Style};

use crate::cmd::BadInput;

mod builds;
mod entry;
mod gaps;
mod issues;

use crate::exit::Exit;
use builds::*;
use clap::Subcommand;
pub(crate) use entry::{entry_text, entry_view};
use entry::{search, show};
use gaps::*;
use hnsdoctor_kb::{
    Availability, Entry, FeatureBasis, GapStatus, HnsVersion, HostVersion, ImageMatch, ImageStatus,
    IssueMatch, IssueStatus, Kb, Step,
};
use hnsdoctor_model::{ContainerImage, Prov};
use issues::*;
use std::fmt::Write as _;
use std::io::Write;

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
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let kb = Kb::get();
    let (text, view): (String, KbView) = match &args.command {
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
    emit_view(args.format, &text, view)?;
    Ok(Exit::Ok)
}

/// The JSON view of one `kb` answer (the types are in [`crate::cmd::views`]).
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
enum KbView {
    Issues(IssuesView),
    Gaps(GapsView),
    List(ListView),
    Show(Box<ShowView>),
    Search(SearchView),
    Builds(BuildsView),
}

/// "Knowledge base reviewed YYYY-MM-DD": the data version, shown under every `kb` answer.
pub(crate) fn data_version_line() -> String {
    format!(
        "Knowledge base reviewed {} against primary sources.",
        hnsdoctor_kb::data_reviewed()
    )
}

fn list(kb: &Kb) -> (String, KbView) {
    let mut out = String::new();
    let w = kb.entries().iter().map(|e| e.id.len()).max().unwrap_or(0);
    heading(&mut out, "Knowledge-base ids", kb.entries().len());
    let mut ids = Vec::with_capacity(kb.entries().len());
    for e in kb.entries() {
        let kind = kind_word(e.kind);
        let _ = writeln!(
            out,
            "  {}  {:<7}  {}{}",
            paint(&format!("{:<w$}", e.id), BOLD),
            kind,
            e.title,
            if e.inferred { " (partly inferred)" } else { "" }
        );
        ids.push(IdRow {
            id: e.id.clone(),
            kind,
            title: e.title.clone(),
            inferred: e.inferred,
        });
    }
    let _ = writeln!(out, "\nDetails: hnsdoctor kb show <id>");
    (out, KbView::List(ListView { ids }))
}

/// An entry kind as its serialised word (`issue`, `finding`, `gap`).
fn kind_word(k: hnsdoctor_kb::EntryKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|k| k.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Write text, or the typed view in its envelope as pretty JSON, to stdout.
pub(crate) fn emit_view<T: serde::Serialize>(
    format: DataFormat,
    text: &str,
    view: T,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        DataFormat::Text => out.write_all(text.as_bytes())?,
        DataFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &Envelope::new(view))?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Version of the `kb` / `explain` JSON shapes (docs/json.md). Bump on renames or removals.
pub const KB_JSON_SCHEMA_VERSION: u32 = 1;

/// ANSI styling, only when colours are on (the report crate's one painter).
pub(crate) fn paint(s: &str, style: Style) -> String {
    Painter::new(color()).paint(style, s)
}

pub(crate) use hnsdoctor_report::paint::{BOLD, DIM, GREEN, RED, YELLOW};

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{:<w$}` columns pad by bytes; that equals display width only for ASCII. Every value
    /// that lands in a padded column is checked here, so a non-ASCII release name or id in the
    /// data fails this test instead of misaligning the table.
    #[test]
    fn padded_columns_are_ascii() {
        let kb = Kb::get();
        for e in kb.entries() {
            assert!(e.id.is_ascii(), "entry id {:?}", e.id);
        }
        for r in kb.releases() {
            for v in [&r.name, &r.version, &r.available, &r.channel.to_string()] {
                assert!(v.is_ascii(), "release {}: {v:?}", r.build);
            }
            for v in [&r.mainstream_end, &r.support_end].into_iter().flatten() {
                assert!(v.is_ascii(), "release {}: {v:?}", r.build);
            }
        }
        for u in kb.updates() {
            assert!(u.kb.is_ascii() && u.date.is_ascii(), "update {:?}", u.kb);
        }
        assert!(!kb.releases().is_empty() && !kb.updates().is_empty());
    }

    /// Every typed view, on real KB answers, validates against the schema generated from its
    /// type: the checked-in schemas describe what the commands print, not just the types.
    #[test]
    fn views_validate_against_their_generated_schemas() {
        use schemars::schema_for;
        let kb = Kb::get();
        let check = |schema: schemars::Schema, view: KbView, what: &str| {
            let schema = serde_json::to_value(schema).expect("schema serialises");
            let v = jsonschema::validator_for(&schema)
                .unwrap_or_else(|e| panic!("{what}: schema invalid: {e}"));
            let doc = serde_json::to_value(Envelope::new(view)).expect("view serialises");
            let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{what}: {errors:?}");
            doc
        };
        let hot = ["KB5034768".to_string(), "KB0000001".to_string()];
        let img = ["mcr.microsoft.com/windows/servercore:10.0.17763.4851".to_string()];
        for (build, hotfixes, images) in [
            (Some("17763"), &hot[..], &img[..]),
            (Some("Microsoft Windows NT 10.0.17763.0"), &[][..], &[][..]),
            (Some("20348.2340"), &[][..], &[][..]),
            (None, &[][..], &img[..]),
        ] {
            let (_, view) = issues(kb, build, hotfixes, images).expect("kb issues");
            let doc = check(
                schema_for!(Envelope<IssuesView>),
                view,
                &format!("issues {build:?}"),
            );
            assert_eq!(doc["images"].as_array().map(Vec::len), Some(images.len()));
        }
        for (build, hns) in [
            (Some("17763"), None),
            (None, Some("13.3")),
            (Some("20348"), Some("9.3")),
            (None, None),
        ] {
            let (_, view) = gaps(kb, build, hns).expect("kb gaps");
            let doc = check(schema_for!(Envelope<GapsView>), view, "gaps");
            assert!(!doc["features"].as_array().expect("features").is_empty());
        }
        for e in kb.entries() {
            let (_, view) = show(kb, &e.id).expect("kb show");
            let doc = check(schema_for!(Envelope<ShowView>), view, &e.id);
            assert_eq!(doc["entry"]["id"], e.id.as_str());
        }
        let (_, view) = builds(kb);
        check(schema_for!(Envelope<BuildsView>), view, "builds");
    }
}
