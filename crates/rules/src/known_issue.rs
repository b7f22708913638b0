//! Known issues keyed by build / UBR / hotfix: one generic [`KnownIssue`] rule, parameterised by
//! the knowledge-base id and refined by data where the catalogue says so ([`Refine`]). Each id
//! has its own rule file under `rules/known/` (documentation, tests) and its own registry line.
//!
//! Matching is done by the knowledge base (`Kb::issues_for`): UBR ranges against the host's
//! build.UBR, counting a listed hotfix when the KB→UBR map puts it at or past the fix.
//!
//! Issues whose break is in a container image rather than the host ([`ImageIssue`]) are matched
//! by `Kb::issues_for_images` against the images the model read (`docker images`, `ctr images
//! ls`, `crictl images`, container lists, image references with a revision).

use crate::engine::{Ctx, Rule};
use crate::finding::{Confidence, Finding, Severity};
use crate::util::list;
use hnsdoctor_kb::{HostVersion, ImageQuery, ImageStatus, IssueMatch, IssueStatus};
use hnsdoctor_model::{Fact, Prov};

/// Extra conditions on the data before a build match becomes a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refine {
    /// The build match alone.
    None,
    /// `vfp-decap-regression`: also look for VFP ports without a DECAP layer (→ error).
    DecapLayer,
    /// `overlay-hotfix-missing`: only when an Overlay network exists (→ error).
    OverlayNetwork,
    /// `ws2022-dsr-l2bridge`: only with an L2Bridge network and DSR load balancers.
    L2BridgeWithDsr,
}

/// A known issue from the knowledge base.
#[derive(Debug, Clone, Copy)]
pub struct KnownIssue {
    /// Catalogue / KB id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Severity when the build matches (and the refinement, if any, holds).
    pub severity: Severity,
    /// Refinement.
    pub refine: Refine,
    /// Facts needed beyond the OS build.
    pub needs: &'static [Fact],
    /// Why it matters.
    pub why: &'static str,
}

/// The host version and hotfix ids from the model.
#[must_use]
pub fn host_version(ctx: &Ctx<'_>) -> Option<(HostVersion, Vec<String>, Prov)> {
    let os = ctx.model.os.as_ref().filter(|o| o.build > 0)?;
    let ubr = if ctx.model.has(Fact::OsUbr) {
        os.ubr
    } else {
        None
    };
    let hot = os.hotfixes.iter().map(|h| h.id.clone()).collect();
    Some((HostVersion::new(os.build, ubr), hot, os.prov.clone()))
}

/// The KB's match of `id` against the host, if any.
#[must_use]
pub fn kb_match(ctx: &Ctx<'_>, id: &str) -> Option<(IssueMatch<'static>, HostVersion, Prov)> {
    let (host, hot, prov) = host_version(ctx)?;
    let hot: Vec<&str> = hot.iter().map(String::as_str).collect();
    let m = ctx
        .kb
        .kb()
        .issues_for(&host, &hot)
        .into_iter()
        .find(|m| m.entry.id == id)?;
    Some((m, host, prov))
}

fn range_text(m: &IssueMatch<'_>) -> String {
    let r = m.range;
    let from = if r.from_ubr == 0 {
        format!("{} RTM", r.build)
    } else {
        format!("{}.{}", r.build, r.from_ubr)
    };
    match (r.until_ubr, &r.fixed_by) {
        (Some(u), Some(kb)) => format!("{from} up to before {}.{u} (fixed by {kb})", r.build),
        (Some(u), None) => format!("{from} up to before {}.{u}", r.build),
        _ => format!("{from} onwards (no fix known)"),
    }
}

impl KnownIssue {
    fn refined(&self, ctx: &Ctx<'_>) -> Option<(String, Vec<Prov>, Severity)> {
        let m = ctx.model;
        match self.refine {
            Refine::None => Some((String::new(), Vec::new(), self.severity)),
            Refine::OverlayNetwork => {
                let n = m
                    .hns
                    .networks
                    .iter()
                    .find(|n| n.net_type.eq_ignore_ascii_case("overlay"))?;
                Some((
                    format!(" The host has overlay network '{}'.", n.name),
                    vec![n.prov.clone()],
                    self.severity,
                ))
            }
            Refine::L2BridgeWithDsr => {
                let n = m
                    .hns
                    .networks
                    .iter()
                    .find(|n| n.net_type.eq_ignore_ascii_case("l2bridge"))?;
                let dsr: Vec<&hnsdoctor_model::LoadBalancer> = m
                    .hns
                    .load_balancers
                    .iter()
                    .filter(|l| l.dsr == Some(true))
                    .collect();
                if dsr.is_empty() {
                    return None;
                }
                let mut p = vec![n.prov.clone()];
                p.extend(dsr.iter().take(3).map(|l| l.prov.clone()));
                Some((
                    format!(
                        " The host has l2bridge network '{}' and {} DSR load balancers.",
                        n.name,
                        dsr.len()
                    ),
                    p,
                    self.severity,
                ))
            }
            Refine::DecapLayer => {
                if !m.has(Fact::VfpRules) {
                    return Some((" VFP layers were not in the data, so the missing DECAP layer could not be checked.".into(), Vec::new(), self.severity));
                }
                let dumped: Vec<&hnsdoctor_model::VfpPort> = m
                    .vfp
                    .ports
                    .iter()
                    .filter(|p| !p.layers.is_empty())
                    .collect();
                let without: Vec<&hnsdoctor_model::VfpPort> = dumped
                    .iter()
                    .copied()
                    .filter(|p| {
                        !p.layers
                            .iter()
                            .any(|l| l.name.to_ascii_uppercase().contains("DECAP"))
                    })
                    .collect();
                if without.is_empty() {
                    Some((format!(" All {} VFP ports with layers have their DECAP layer (not hit yet; an HNS restart may trigger it).", dumped.len()), Vec::new(), self.severity))
                } else {
                    let names: Vec<&str> = without.iter().map(|p| p.name.as_str()).collect();
                    Some((
                        format!(" {} of {} VFP ports lack the DECAP layer: {} — the regression has hit.", without.len(), dumped.len(), list(&names, 4)),
                        without.iter().take(4).map(|p| p.prov.clone()).collect(),
                        Severity::Error,
                    ))
                }
            }
        }
    }
}

impl Rule for KnownIssue {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn needs(&self) -> &'static [Fact] {
        self.needs
    }
    fn unmet(&self, ctx: &Ctx<'_>) -> Vec<Fact> {
        if ctx.model.has(Fact::OsBuild) && ctx.model.os.as_ref().is_some_and(|o| o.build > 0) {
            Vec::new()
        } else {
            vec![Fact::OsBuild]
        }
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let Some((m, host, prov)) = kb_match(ctx, self.id) else {
            return;
        };
        let (conf, note) = match &m.status {
            IssueStatus::Applies => (Confidence::High, String::new()),
            IssueStatus::AssumedRtm => (
                Confidence::Low,
                " The UBR is not in the data; the build's first release is affected, a later UBR may not be.".to_string(),
            ),
            IssueStatus::Fixed { .. } | IssueStatus::LaterUbr { .. } => return,
        };
        let Some((extra, provs, sev)) = self.refined(ctx) else {
            return;
        };
        let (sev, conf) = if m.disputed {
            (Severity::Info, Confidence::Low)
        } else {
            (sev, conf)
        };
        let caveat = if m.hotpatch_caveat {
            " This build has hotpatch revisions: a UBR just below the fix may be the fixing month's hotpatch."
        } else {
            ""
        };
        ctx.finding(
            self,
            format!(
                "Build {host} is affected by \"{}\": affected {}.{note}{extra}{caveat}{}",
                m.entry.title,
                range_text(&m),
                if m.disputed {
                    " Only some sources list this range."
                } else {
                    ""
                }
            ),
        )
        .severity(sev)
        .confidence(conf)
        .why(self.why)
        .evidence(&prov)
        .evidence_all(provs.iter())
        .push(out);
    }
}

/// The model's images as knowledge-base queries (same order, so `image_index` indexes both).
#[must_use]
pub fn image_queries(images: &[hnsdoctor_model::ContainerImage]) -> Vec<ImageQuery<'_>> {
    images
        .iter()
        .map(|i| ImageQuery {
            repository: &i.repository,
            tag: i.tag.as_deref(),
            os_version: i.os_build.map(|b| (b, i.os_revision)),
        })
        .collect()
}

/// A known issue in a container image, keyed by the image's repository and Windows revision
/// (e.g. `ltsc2019-dns-2023-09`: the 2023-09 `servercore:ltsc2019` image, 10.0.17763.4851),
/// not by the host's build.
#[derive(Debug, Clone, Copy)]
pub struct ImageIssue {
    /// Catalogue / KB id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Severity when an image's revision is in the affected range.
    pub severity: Severity,
    /// Why it matters.
    pub why: &'static str,
}

impl Rule for ImageIssue {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::ContainerImages]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let queries = image_queries(&ctx.model.images);
        let matches = ctx.kb.kb().issues_for_images(&queries);
        let mut hit: Vec<(String, Prov)> = Vec::new();
        let mut unknown: Vec<(String, Prov)> = Vec::new();
        let mut range_text = String::new();
        for (m, img) in matches
            .iter()
            .filter(|m| m.entry.id == self.id)
            .filter_map(|m| ctx.model.images.get(m.image_index).map(|i| (m, i)))
        {
            let r = m.range;
            range_text = format!(
                "{}.{} up to before {}",
                r.build,
                r.from_rev,
                r.until_rev.map_or_else(
                    || "no fixed image known".to_string(),
                    |u| format!("{}.{u}", r.build)
                )
            );
            match m.status {
                ImageStatus::Applies => hit.push((m.image.clone(), img.prov.clone())),
                ImageStatus::RevisionUnknown { .. } => {
                    unknown.push((m.image.clone(), img.prov.clone()));
                }
                ImageStatus::Fixed { .. } => {}
            }
        }
        if !hit.is_empty() {
            let names: Vec<&str> = hit.iter().map(|(n, _)| n.as_str()).collect();
            ctx.finding(
                self,
                format!(
                    "Container image {} is affected by \"{}\": affected image revisions {range_text}.",
                    list(&names, 3),
                    self.title
                ),
            )
            .confidence(Confidence::High)
            .why(self.why)
            .evidence_all(hit.iter().map(|(_, p)| p).take(4))
            .push(out);
        } else if !unknown.is_empty() {
            let names: Vec<&str> = unknown.iter().map(|(n, _)| n.as_str()).collect();
            ctx.finding(
                self,
                format!(
                    "Container image {} is of an affected repository and build, but its revision is not shown (affected: {range_text}); `docker image inspect` shows it (OsVersion).",
                    list(&names, 3)
                ),
            )
            .severity(Severity::Info)
            .confidence(Confidence::Low)
            .why(self.why)
            .evidence_all(unknown.iter().map(|(_, p)| p).take(4))
            .push(out);
        }
    }
}

/// A platform gap from the knowledge base: reported (info) when the gap is open — or of unknown
/// status, at low confidence — on the host's build.
#[derive(Debug, Clone, Copy)]
pub struct PlatformGap {
    /// Catalogue / KB id (`gap-…`).
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
}

impl Rule for PlatformGap {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn severity(&self) -> Severity {
        Severity::Info
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::OsBuild]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let Some((host, _, prov)) = host_version(ctx) else {
            return;
        };
        let Some(g) = ctx
            .kb
            .kb()
            .gaps(Some(host.build))
            .into_iter()
            .find(|g| g.entry.id == self.id)
        else {
            return;
        };
        let conf = match g.status {
            hnsdoctor_kb::GapStatus::Closed => return,
            hnsdoctor_kb::GapStatus::Open => Confidence::High,
            hnsdoctor_kb::GapStatus::Unknown => Confidence::Low,
        };
        let status = g.entry.status_note.clone().unwrap_or_default();
        ctx.finding(
            self,
            format!(
                "Build {} has the platform gap \"{}\" ({}).{}",
                host.build,
                g.entry.title,
                match g.status {
                    hnsdoctor_kb::GapStatus::Open => "still a limitation",
                    _ => "status never documented",
                },
                if status.is_empty() {
                    String::new()
                } else {
                    format!(" {status}")
                }
            ),
        )
        .confidence(conf)
        .why(self.why)
        .evidence(&prov)
        .push(out);
    }
}
