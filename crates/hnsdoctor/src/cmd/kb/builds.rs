//! `kb builds`: the release catalog and the KB → build.UBR map, as text and JSON (typed view
//! `BuildsView`; a release row is the KB's own `Release` serialised as is, plus its `id`).

use super::*;

pub(super) fn builds(kb: &Kb) -> (String, KbView) {
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
        // The id spells the channel as serialised (`ltsc`), not as displayed (`LTSC`).
        let channel = serde_json::to_value(r.channel)
            .ok()
            .and_then(|c| c.as_str().map(str::to_string))
            .unwrap_or_default();
        rel_json.push(ReleaseRow {
            release: r.clone(),
            id: format!("{}-{channel}", r.build),
        });
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
        upd_json.push(UpdateRow {
            id: u.kb.clone(),
            build: u.build,
            ubr: u.ubr,
            date: u.date.clone(),
            note: u.note.clone(),
            sources: u.sources.clone(),
            inferred: u.inferred,
        });
    }
    (
        out,
        KbView::Builds(BuildsView {
            releases: rel_json,
            updates: upd_json,
        }),
    )
}
