//! `kb show` and `kb search`: one entry in full (also used by `explain`), and entries ranked by
//! relevance; JSON from the typed views in `cmd/views.rs`.

use super::*;
use crate::cmd::views::{CodeRef, EntryView};

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

/// One entry as its JSON view (shared with `explain`).
pub(crate) fn entry_view(kb: &Kb, e: &Entry) -> EntryView {
    EntryView {
        entry: e.clone(),
        error_codes: kb
            .codes_for_entry(&e.id)
            .iter()
            .map(|c| CodeRef {
                id: c.code.clone(),
                name: c.name.clone(),
            })
            .collect(),
    }
}

pub(super) fn show(kb: &Kb, id: &str) -> anyhow::Result<(String, KbView)> {
    let e = kb
        .entry_or_suggest(id)
        .map_err(|e| BadInput(e.to_string()))?;
    let mut out = String::new();
    entry_text(kb, e, &mut out);
    Ok((
        out,
        KbView::Show(Box::new(ShowView {
            entry: entry_view(kb, e),
        })),
    ))
}

pub(super) fn search(kb: &Kb, q: &str) -> anyhow::Result<(String, KbView)> {
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
    let view = SearchView {
        query: q.to_string(),
        results: hits
            .iter()
            .map(|h| SearchRow {
                id: h.entry.id.clone(),
                title: h.entry.title.clone(),
                kind: kind_word(h.entry.kind),
                score: h.score,
                matched: h.matched.clone(),
            })
            .collect(),
    };
    Ok((out, KbView::Search(view)))
}
