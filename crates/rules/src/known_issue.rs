//! Known issues, image issues and platform gaps reported straight from the knowledge base: one
//! generic rule per KB entry that has an `[entry.finding]` table (severity and "why"); its id,
//! title, fix steps and references are the entry's. Adding a known issue for a new build is an
//! edit of `crates/kb/data/` plus a row in the table test of `rules/known/mod.rs`; no Rust.
//!
//! * [`KnownIssue`] — keyed by build / UBR / hotfix. Matching is done by the knowledge base
//!   (`Kb::issues_for`): UBR ranges against the host's build.UBR, counting a listed hotfix when
//!   the KB→UBR map puts it at or past the fix. An issue that needs a condition on the data
//!   beyond the build (an overlay network, DSR load balancers, a VFP layer) keeps a rule file
//!   under `rules/known/` that holds that condition as a [`Refine`] function and registers
//!   [`KnownIssue::refined`]; [`kb_rules`] then leaves the id to that file.
//! * [`ImageIssue`] — the break is in a container image rather than the host
//!   (`[[entry.affected_images]]`), matched by `Kb::issues_for_images` against the images the
//!   model read (`docker images`, `ctr images ls`, `crictl images`, container lists, image
//!   references with a revision).
//! * [`PlatformGap`] — a `kind = "gap"` entry of `gaps.toml`, reported where the gap is open.

use crate::engine::{Ctx, Rule};
use crate::finding::{Confidence, Finding, Severity};
use crate::util::list;
use hnsdoctor_kb::{
    Entry, EntryKind, FindingSeverity, HostVersion, ImageQuery, ImageStatus, IssueMatch,
    IssueStatus, Kb,
};
use hnsdoctor_model::{Fact, Prov};

/// What a refinement found in the data: a sentence added to the finding, evidence, and a
/// severity when it differs from the entry's.
#[derive(Debug, Clone, Default)]
pub struct Refinement {
    /// Appended to the observation (starts with a space).
    pub note: String,
    /// Evidence for the condition.
    pub evidence: Vec<Prov>,
    /// `Some` to override the entry's severity (e.g. the regression has visibly hit).
    pub severity: Option<Severity>,
}

/// A condition on the data beyond the build match, defined in the rule's own file. `None`: the
/// condition does not hold, no finding.
pub type Refine = fn(&Ctx<'_>) -> Option<Refinement>;

/// The KB entry `id` (entries are embedded, so `'static`).
fn kb_entry(id: &str) -> Option<&'static Entry> {
    Kb::get().entry(id)
}

/// The severity and "why" of the KB entry `id` (`[entry.finding]`); info and no text when the
/// entry has none (a registry test rules that out for every registered KB rule).
fn spec(id: &str) -> (Severity, &'static str) {
    kb_entry(id)
        .and_then(|e| e.finding.as_ref())
        .map_or((Severity::Info, ""), |f| {
            (severity_of(f.severity), f.why.as_str())
        })
}

/// The finding severity of a KB severity.
#[must_use]
pub fn severity_of(s: FindingSeverity) -> Severity {
    match s {
        FindingSeverity::Info => Severity::Info,
        FindingSeverity::Warning => Severity::Warning,
        FindingSeverity::Error => Severity::Error,
    }
}

fn title_of(id: &'static str) -> &'static str {
    kb_entry(id).map_or(id, |e| e.title.as_str())
}

/// A known issue from the knowledge base, keyed by build / UBR / hotfix.
#[derive(Debug, Clone, Copy)]
pub struct KnownIssue {
    /// Catalogue / KB id.
    pub id: &'static str,
    /// Facts needed beyond the OS build (those the refinement reads).
    pub needs: &'static [Fact],
    /// Condition on the data beyond the build, if any.
    pub refine: Option<Refine>,
}

impl KnownIssue {
    /// The build match alone.
    #[must_use]
    pub const fn new(id: &'static str) -> Self {
        Self {
            id,
            needs: &[],
            refine: None,
        }
    }

    /// The build match and a condition on the data (which reads `needs`).
    #[must_use]
    pub const fn refined(id: &'static str, needs: &'static [Fact], refine: Refine) -> Self {
        Self {
            id,
            needs,
            refine: Some(refine),
        }
    }
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

impl Rule for KnownIssue {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        title_of(self.id)
    }
    fn severity(&self) -> Severity {
        spec(self.id).0
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
        let (severity, why) = spec(self.id);
        let refinement = match self.refine {
            None => Refinement::default(),
            Some(refine) => match refine(ctx) {
                Some(r) => r,
                None => return,
            },
        };
        let extra = &refinement.note;
        let provs = &refinement.evidence;
        let sev = refinement.severity.unwrap_or(severity);
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
        .why(why)
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
}

impl Rule for ImageIssue {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        title_of(self.id)
    }
    fn severity(&self) -> Severity {
        spec(self.id).0
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
                    self.title()
                ),
            )
            .confidence(Confidence::High)
            .why(spec(self.id).1)
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
            .why(spec(self.id).1)
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
}

impl Rule for PlatformGap {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        title_of(self.id)
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
        .why(spec(self.id).1)
        .evidence(&prov)
        .push(out);
    }
}

/// A rule generated from a KB entry with `[entry.finding]`.
#[derive(Debug, Clone, Copy)]
pub enum KbRule {
    /// Keyed by build / UBR / hotfix.
    Known(KnownIssue),
    /// Keyed by container-image revision.
    Image(ImageIssue),
    /// A platform gap.
    Gap(PlatformGap),
}

impl KbRule {
    /// The rule as a trait object.
    #[must_use]
    pub fn as_rule(&self) -> &dyn Rule {
        match self {
            KbRule::Known(r) => r,
            KbRule::Image(r) => r,
            KbRule::Gap(r) => r,
        }
    }
}

/// One generic rule per KB entry with `[entry.finding]`, in KB order, except the ids in
/// `taken` (registered by a rule file: a refinement or a rule with more evidence than the build).
#[must_use]
pub fn kb_rules(kb: &'static Kb, taken: &[&str]) -> Vec<KbRule> {
    kb.entries()
        .iter()
        .filter(|e| e.finding.is_some() && !taken.contains(&e.id.as_str()))
        .map(|e| {
            let id = e.id.as_str();
            match e.kind {
                EntryKind::Gap => KbRule::Gap(PlatformGap { id }),
                _ if !e.affected_images.is_empty() => KbRule::Image(ImageIssue { id }),
                _ => KbRule::Known(KnownIssue::new(id)),
            }
        })
        .collect()
}
