//! `kb gaps`: platform gaps and HNS feature availability for a build or HNS version, as text and
//! as the typed JSON view [`GapsView`].

use super::*;
use crate::cmd::views::{BasisRow, FeatureRow, GapRow, GapsQuery, GapsView};

pub(super) fn gaps(
    kb: &Kb,
    build: Option<&str>,
    hns: Option<&str>,
) -> anyhow::Result<(String, KbView)> {
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
        gap_json.push(GapRow {
            id: g.entry.id.clone(),
            title: g.entry.title.clone(),
            status: label,
            closed_from_build: g.entry.closed_from_build,
            status_note: g.entry.status_note.clone(),
        });
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
            FeatureBasis::HnsVersion { version } => BasisRow::HnsVersion {
                hns_version: *version,
            },
            FeatureBasis::Build {
                build,
                observed_on,
                versions,
                inferred,
            } => BasisRow::Build {
                build: *build,
                observed_on: *observed_on,
                hns_versions: versions.clone(),
                inferred: *inferred,
            },
            FeatureBasis::None => BasisRow::None,
        };
        feat_json.push(FeatureRow {
            id: f.feature.id.clone(),
            title: f.feature.title.clone(),
            available: f.available,
            hns: f.feature.hns.clone(),
            note: f.feature.note.clone(),
            basis,
        });
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
    let view = GapsView {
        query: GapsQuery {
            build: host.as_ref().map(|h| h.build),
            ubr: host.as_ref().and_then(|h| h.ubr),
            hns_version: hns,
        },
        gaps: gap_json,
        features: feat_json,
    };
    Ok((out, KbView::Gaps(view)))
}
