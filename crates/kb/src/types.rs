//! The typed records of the knowledge base, deserialised from the TOML files in `data/`.
//!
//! Every struct denies unknown fields, so a typo in the data is a load error rather than a
//! silently ignored key. All of them serialise (the `kb` and `explain` JSON output uses them).

pub use hnsdoctor_version::{HnsVersion, HnsVersionError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How sure the sources are about a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Seen in a primary source.
    Verified,
    /// Deduced from sources.
    Inferred,
    /// From general knowledge, not confirmed.
    Unverified,
}

/// Servicing channel of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// Windows 10/11 client release.
    Client,
    /// Long-Term Servicing Channel (Windows Server 2016, 2019, 2022, 2025).
    Ltsc,
    /// Semi-Annual Channel (Windows Server 1709 … 20H2).
    Sac,
    /// Annual Channel for containers (Windows Server 23H2).
    Annual,
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Client => "client",
            Channel::Ltsc => "LTSC",
            Channel::Sac => "SAC",
            Channel::Annual => "annual",
        })
    }
}

/// One Windows release (a row of the release catalog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// Build number, e.g. 17763.
    pub build: u32,
    /// Marketing name, e.g. "Windows Server 2019".
    pub name: String,
    /// Version / codename, e.g. "1809", "21H2".
    pub version: String,
    /// Servicing channel.
    pub channel: Channel,
    /// What users type for it ("RS5", "ltsc2019", "WS2019" …); unique across the catalog.
    pub aliases: Vec<String>,
    /// First availability (ISO date, possibly only year or year-month).
    pub available: String,
    /// End of mainstream support (LTSC only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mainstream_end: Option<String>,
    /// End of all support: extended support for LTSC, end of servicing for SAC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_end: Option<String>,
    /// Container base-image tags.
    pub base_images: Vec<String>,
    /// Whether hotpatch revisions exist (WS2022 Azure Edition, WS2025): their UBR is slightly
    /// lower than the regular update of the same month.
    #[serde(default)]
    pub hotpatch: bool,
    /// Where sources disagree about dates: both values, in words.
    #[serde(default)]
    pub date_notes: Vec<String>,
    /// Support end per edition where it differs by edition (Windows 10 21H2: Home/Pro,
    /// Enterprise/Education, Enterprise LTSC); `support_end` then holds the longest of the
    /// general-availability editions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edition_support: Vec<EditionSupport>,
    /// Confidence in the build number.
    pub confidence: Confidence,
    /// Where the values come from: URLs or `owner/repo#N` (at least one; checked by
    /// [`Kb::validate`](crate::Kb::validate)).
    #[serde(default)]
    pub sources: Vec<String>,
}

/// The end of support of one edition (or edition group) of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionSupport {
    /// Edition or edition group, e.g. "Home and Pro", "Enterprise LTSC 2021".
    pub edition: String,
    /// End of support (ISO date).
    pub support_end: String,
}

/// One cumulative update: KB number → build.UBR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// `KB` + digits, upper case.
    pub kb: String,
    /// Build it applies to.
    pub build: u32,
    /// Revision the host has after installing it.
    pub ubr: u32,
    /// Release date (ISO; may be only year-month).
    pub date: String,
    /// What it matters for.
    #[serde(default)]
    pub note: String,
    /// Where the mapping and the note come from: URLs or `owner/repo#N` (at least one).
    #[serde(default)]
    pub sources: Vec<String>,
    /// The note (not the KB → build.UBR mapping) is deduced rather than stated by a source.
    #[serde(default)]
    pub inferred: bool,
}

/// What sort of knowledge-base entry this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A known issue keyed by build/UBR (`affected` non-empty) or by an error signature.
    Issue,
    /// A condition rules find in host data.
    Finding,
    /// A platform gap (a feature the platform lacks).
    Gap,
}

/// Later status of a platform gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GapStatus {
    /// Still a limitation.
    Open,
    /// No longer a limitation (see `closed_from_build`).
    Closed,
    /// Never documented either way.
    Unknown,
}

/// One build and UBR interval an issue affects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedRange {
    /// The build.
    pub build: u32,
    /// First affected UBR (0 = from the first release of the build).
    #[serde(default)]
    pub from_ubr: u32,
    /// First UBR that is fixed (exclusive end); `None` = no fix known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_ubr: Option<u32>,
    /// The update that brings `until_ubr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_by: Option<String>,
    /// Updates that help but do not fix it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partial_fixes: Vec<String>,
    /// Only some sources include this range.
    #[serde(default)]
    pub disputed: bool,
    /// Caveat for this range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The range (typically its fixing update) is deduced rather than stated by a source.
    #[serde(default)]
    pub inferred: bool,
}

/// A container-image revision interval an issue affects: the break is in the image, not in the
/// host (e.g. the 2023-09 `servercore:ltsc2019` image, 10.0.17763.4851).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedImage {
    /// Image repositories, matched on the last path segment(s) of the reference, e.g.
    /// `windows/servercore`, `windows/nanoserver` (also the old `servercore`, `nanoserver`).
    pub repositories: Vec<String>,
    /// The Windows build the image is for (17763 for `ltsc2019`).
    pub build: u32,
    /// First affected image revision (the UBR in the image's `10.0.<build>.<rev>` tag).
    pub from_rev: u32,
    /// First fixed image revision (exclusive end); `None` = no fixed image known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_rev: Option<u32>,
    /// The image tag, or the update it carries, that fixes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_by: Option<String>,
    /// Caveat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Deduced rather than stated by a source.
    #[serde(default)]
    pub inferred: bool,
}

impl AffectedImage {
    /// Whether an image of `repository` (as written in a reference, registry included or not)
    /// for `build` at revision `rev` lies in the range.
    pub fn matches(&self, repository: &str, build: u32, rev: u32) -> bool {
        self.covers(repository, build)
            && rev >= self.from_rev
            && self.until_rev.is_none_or(|u| rev < u)
    }

    /// Whether an image of `repository` for `build` is of this range's repositories and build
    /// (at any revision). `windows/servercore` matches `mcr.microsoft.com/windows/servercore`,
    /// not `contoso.io/notwindows/servercore2`.
    pub fn covers(&self, repository: &str, build: u32) -> bool {
        let repo = repository.to_ascii_lowercase();
        build == self.build
            && self.repositories.iter().any(|r| {
                let r = r.to_ascii_lowercase();
                repo == r || repo.ends_with(&format!("/{r}"))
            })
    }
}

impl AffectedRange {
    /// Whether `ubr` lies in `[from_ubr, until_ubr)`.
    pub fn contains(&self, ubr: u32) -> bool {
        ubr >= self.from_ubr && self.until_ubr.is_none_or(|u| ubr < u)
    }
}

/// One step of a workaround: a plain sentence and, where there is one, the exact command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to do.
    pub text: String,
    /// The exact command (PowerShell or cmd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Only when nothing else helped.
    #[serde(default)]
    pub last_resort: bool,
    /// Changes the host (registry, services, HNS objects, updates, reboot).
    #[serde(default)]
    pub changes_host: bool,
    /// The typed operations `hnsdoctor fix` runs for this step, in order; empty = manual only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<crate::Action>,
    /// The actions run inside a container (`hnsdoctor fix --container <id>`), not on the host.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_container: bool,
    /// The change takes effect only after a reboot (which `fix` never does).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reboot_needed: bool,
    /// What the step disrupts and for how long (required when there are actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disruption: Option<String>,
}

/// A knowledge-base entry: a known issue, a finding or a platform gap, keyed by its stable id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable kebab-case id (the finding catalogue id).
    pub id: String,
    /// Issue, finding or gap.
    pub kind: EntryKind,
    /// Short title.
    pub title: String,
    /// What the user sees.
    pub symptom: String,
    /// Why it happens.
    pub cause: String,
    /// Strings, error codes and conditions a rule can look for.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Builds and UBRs affected (empty when the entry is not build-specific).
    #[serde(default)]
    pub affected: Vec<AffectedRange>,
    /// Container-image revisions affected (the issue is in the image, not in the host).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected_images: Vec<AffectedImage>,
    /// The fix / workaround, step by step.
    #[serde(default)]
    pub workaround: Vec<Step>,
    /// URLs or `owner/repo#N`.
    #[serde(default)]
    pub references: Vec<String>,
    /// Disagreements between sources, caveats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// A key claim of the entry (its cause, a build, the fix) is deduced rather than stated by
    /// the sources; `notes` say which.
    #[serde(default)]
    pub inferred: bool,
    /// Gaps only: the later status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap_status: Option<GapStatus>,
    /// Gaps only: the first build without the gap, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_from_build: Option<u32>,
    /// Gaps only: the later history, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_note: Option<String>,
    /// Present when the generic known-issue rule of `hnsdoctor-rules` reports this entry on its
    /// own (issues: by build/UBR/hotfix or image revision; gaps: where open). The finding takes
    /// its id, title, fix and references from the entry and its severity and "why" from here.
    /// Not part of the `kb`/`explain` JSON.
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub finding: Option<FindingSpec>,
}

/// How severe a finding reported straight from a knowledge-base entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    /// Worth knowing.
    Info,
    /// Likely to cause trouble.
    Warning,
    /// Breaks networking.
    Error,
}

/// `[entry.finding]`: the entry is reported by the generic known-issue rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingSpec {
    /// Severity of the finding when the build (or image) matches.
    pub severity: FindingSeverity,
    /// One sentence on why it matters, shown with the finding.
    pub why: String,
}

/// An interval of HNS versions: `from` inclusive, `until` exclusive (`None` = open-ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HnsInterval {
    /// First version with the feature.
    pub from: HnsVersion,
    /// First version without it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<HnsVersion>,
}

impl HnsInterval {
    /// Whether `v` lies in the interval.
    pub fn contains(&self, v: HnsVersion) -> bool {
        v >= self.from && self.until.is_none_or(|u| v < u)
    }
}

/// An HNS feature gate (hcsshim `hcnglobals.go`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    /// Stable kebab-case id, e.g. `dsr`, `dual-stack`, `session-affinity`.
    pub id: String,
    /// Name.
    pub title: String,
    /// HNS versions that support it.
    pub hns: Vec<HnsInterval>,
    /// Caveat (e.g. documentation that disagrees).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the gate comes from: URLs or `owner/repo#N` (at least one).
    #[serde(default)]
    pub sources: Vec<String>,
}

impl Feature {
    /// Whether HNS version `v` supports the feature.
    pub fn available_in(&self, v: HnsVersion) -> bool {
        self.hns.iter().any(|i| i.contains(v))
    }
}

/// An HNS version observed (or inferred) on a build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HnsObservation {
    /// Build.
    pub build: u32,
    /// HNS version.
    pub hns: HnsVersion,
    /// Deduced rather than seen.
    #[serde(default)]
    pub inferred: bool,
    /// Where it was seen.
    pub source: String,
}

/// An HCN or Win32 error code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// The HRESULT as written in the data, e.g. `0x803b0013` (Win32 codes as `0x8007xxxx`).
    pub code: String,
    /// The HRESULT value (filled in at load time).
    #[serde(skip_deserializing)]
    pub value: u32,
    /// Symbolic name, e.g. `HCN_E_PORT_ALREADY_EXISTS`.
    pub name: String,
    /// The Windows message text as it appears in logs, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// What it means, in our words.
    pub meaning: String,
    /// Knowledge-base ids it points to.
    pub findings: Vec<String>,
    /// Caveat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the name, message and meaning come from: URLs or `owner/repo#N` (at least one).
    #[serde(default)]
    pub sources: Vec<String>,
    /// The HNS-specific meaning is deduced rather than stated by a source (the name and the
    /// Windows message are always from the SDK).
    #[serde(default)]
    pub inferred: bool,
}

impl ErrorCode {
    /// The value as a signed 32-bit integer (how .NET and some logs print it).
    pub fn signed(&self) -> i32 {
        self.value as i32
    }

    /// The plain Win32 code when this is a `0x8007xxxx` HRESULT.
    pub fn win32(&self) -> Option<u32> {
        crate::codes::hresult_to_win32(self.value)
    }
}
