//! `kb issues`: known issues for a host build (UBR, hotfixes) and for container images, as text
//! and as the typed JSON view [`IssuesView`].

use super::*;
use crate::cmd::views::{
    HostQuery, HotfixRow, ImageIssueRow, ImageRow, IssueRow, IssuesQuery, IssuesView, RangeRow,
    ReleaseRef, StepView,
};

pub(super) fn issues(
    kb: &Kb,
    build: Option<&str>,
    hotfixes: &[String],
    images: &[String],
) -> anyhow::Result<(String, KbView)> {
    let (img_text, img_rows) = image_issues(kb, images)?;
    let Some(build) = build else {
        return Ok((
            img_text,
            KbView::Issues(IssuesView {
                query: IssuesQuery::Images {
                    images: images.to_vec(),
                },
                issues: Vec::new(),
                image_keyed: None,
                images: img_rows,
            }),
        ));
    };
    let (mut out, mut view) = host_issues(kb, build, hotfixes)?;
    out.push_str(&img_text);
    view.images = img_rows;
    Ok((out, KbView::Issues(view)))
}

/// Image-keyed known issues for `--image` references (text section and JSON rows).
pub(super) fn image_issues(kb: &Kb, refs: &[String]) -> anyhow::Result<(String, Vec<ImageRow>)> {
    if refs.is_empty() {
        return Ok((String::new(), Vec::new()));
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
            mj.push(ImageIssueRow {
                id: m.entry.id.clone(),
                title: m.entry.title.clone(),
                status: m.status.clone(),
                applies: m.applies(),
                range: r.clone(),
            });
        }
        let version = kb.image_version(q);
        js.push(ImageRow {
            reference: img.reference(),
            repository: img.repository.clone(),
            tag: img.tag.clone(),
            digest: img.digest.clone(),
            build: version.map(|v| v.0),
            revision: version.and_then(|v| v.1),
            issues: mj,
        });
    }
    Ok((out, js))
}

pub(super) fn host_issues(
    kb: &Kb,
    build: &str,
    hotfixes: &[String],
) -> anyhow::Result<(String, IssuesView)> {
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
                hot_json.push(HotfixRow::Known {
                    id: u.kb.clone(),
                    known: true,
                    build: u.build,
                    ubr: u.ubr,
                    used,
                });
            }
            None => {
                let _ = writeln!(out, "Hotfix {h}: not in the update map, ignored");
                hot_json.push(HotfixRow::Unknown {
                    id: h.clone(),
                    known: false,
                    used: false,
                });
            }
        }
    }
    let assumed = host.ubr.is_none()
        && !hot_json
            .iter()
            .any(|h| matches!(h, HotfixRow::Known { used: true, .. }));
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
    let row = |out: &mut String, m: &IssueMatch, style: Style, extra: String| {
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
    let release = kb.release_for_build(host.build);
    let view = IssuesView {
        query: IssuesQuery::Host(Box::new(HostQuery {
            input: build.to_string(),
            build: host.build,
            ubr: host.ubr,
            ubr_note: host.ubr_note.clone(),
            assumed_rtm: assumed,
            release: release.map(|r| ReleaseRef {
                name: r.name.clone(),
                version: r.version.clone(),
                channel: r.channel,
                support_end: r.support_end.clone(),
            }),
            hotfixes: hot_json,
        })),
        issues: matches.iter().map(issue_row).collect(),
        image_keyed: Some(image_keyed.iter().map(|e| e.id.clone()).collect()),
        images: Vec::new(),
    };
    Ok((out, view))
}

/// One matched issue as its JSON row.
pub(super) fn issue_row(m: &IssueMatch) -> IssueRow {
    let (status, fixed_in, via) = match &m.status {
        IssueStatus::Applies => ("applies", None, None),
        IssueStatus::Fixed {
            ubr, via_hotfix, ..
        } => ("fixed", Some(*ubr), via_hotfix.clone()),
        IssueStatus::AssumedRtm => ("assumed_rtm", None, None),
        IssueStatus::LaterUbr { .. } => ("later_ubr", None, None),
    };
    IssueRow {
        id: m.entry.id.clone(),
        title: m.entry.title.clone(),
        status,
        applies: m.applies(),
        disputed: m.disputed,
        hotpatch_caveat: m.hotpatch_caveat,
        range: RangeRow {
            build: m.range.build,
            from_ubr: m.range.from_ubr,
            until_ubr: m.range.until_ubr,
            fixed_by: m.range.fixed_by.clone(),
            partial_fixes: m.range.partial_fixes.clone(),
            note: m.range.note.clone(),
            inferred: m.range.inferred,
        },
        fixed_in_ubr: fixed_in,
        via_hotfix: via,
        workaround: m.entry.workaround.iter().map(StepView::from).collect(),
    }
}
