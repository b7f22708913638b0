//! # hnsdoctor-findings — the findings contract
//!
//! Findings and the report they make up: what the rule engine (`hnsdoctor-rules`) produces and
//! the renderers (`hnsdoctor-report`) consume, so that the renderers do not depend on the
//! engine. Serialised as-is into the versioned JSON report. [`Finding::report_order`] is the one
//! finding order (severity, worst first; then id; then first evidence line).
#![forbid(unsafe_code)]

use hnsdoctor_model::{Fact, HostModel, InputSummary, Prov};
use serde::{Deserialize, Serialize};

/// Version of the JSON report shape ([`Report`]). Bump on any rename or removal.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// How bad a finding is. `Error`: breaks traffic now. `Warning`: will break under load, after a
/// restart, or for some flows. `Info`: worth knowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Will break under some conditions.
    Warning,
    /// Breaks traffic now.
    Error,
}

/// How sure the rule is that the finding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A guess from indirect evidence.
    Low,
    /// Likely.
    Medium,
    /// The data shows it directly.
    High,
}

/// One step of a fix: a plain sentence and, where there is one, the exact command.
///
/// This is the step as a report shows it. A known issue's workaround is authored as
/// `hnsdoctor_kb::Step`, which also carries the typed host operations `hnsdoctor fix` runs, the
/// disruption and whether a reboot is needed; a report never serialises those, and a finding's
/// step carries what only the data knows ([`FixStep::targets`]). The rules copy the four shared
/// fields from the KB step (`hnsdoctor_rules::knowledge`), so the sentence and the command are
/// written once, in the KB.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FixStep {
    /// What to do, in a sentence.
    pub text: String,
    /// The exact command (PowerShell or cmd), if any.
    pub command: Option<String>,
    /// Only when nothing else helped.
    pub last_resort: bool,
    /// Changes the host (registry, services, HNS objects, reboot).
    pub changes_host: bool,
    /// The ids of the HNS objects this step acts on, when the finding names them (e.g. the
    /// stale remote endpoints): `hnsdoctor fix` removes exactly these. Omitted when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

/// One diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable catalogue id, kebab-case (`port-pool-exhaustion`).
    pub id: String,
    /// Severity.
    pub severity: Severity,
    /// Short title.
    pub title: String,
    /// What was observed, with the numbers (e.g. "3 free 64-port blocks in the TCP range").
    pub observed: String,
    /// Why it matters.
    pub why: String,
    /// The evidence: file and line, with the quoted text.
    pub evidence: Vec<Prov>,
    /// The fix, step by step (from the knowledge base where the issue is a known one).
    pub fix: Vec<FixStep>,
    /// Documentation, KB articles, GitHub issues.
    pub references: Vec<String>,
    /// Confidence.
    pub confidence: Confidence,
}

/// A rule that could not run for lack of data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotEvaluated {
    /// Rule / finding id.
    pub id: String,
    /// Rule title.
    pub title: String,
    /// The kinds of evidence that were missing (all of them, including `any_of`).
    pub missing: Vec<Fact>,
    /// The part of `missing` where any one fact would do (e.g. any log); empty when every
    /// missing fact is needed. Omitted from JSON when empty (additive field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Fact>,
}

/// The result of `analyze`: findings, rules that passed, rules not evaluated, what was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`REPORT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Version of hnsdoctor that produced it.
    pub tool_version: String,
    /// Data version of the knowledge base the advice came from: the date (YYYY-MM-DD) of its
    /// last review against primary sources (`hnsdoctor_kb::data_reviewed`).
    #[serde(default)]
    pub kb_reviewed: String,
    /// Host name, when known.
    pub host: Option<String>,
    /// OS build with UBR, when known, e.g. `17763.5458`.
    pub os_build: Option<String>,
    /// Findings, sorted by severity (errors first) then id.
    pub findings: Vec<Finding>,
    /// Ids of rules that ran and found nothing.
    pub passed: Vec<String>,
    /// Rules that could not run, with what was missing.
    pub not_evaluated: Vec<NotEvaluated>,
    /// What was read, per source.
    pub inputs: Vec<InputSummary>,
    /// The host model the rules ran on (the HTML report renders its tables).
    pub model: HostModel,
}

impl Report {
    /// The highest severity among the findings.
    #[must_use]
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// Sort findings by severity (errors first), then id, then first evidence — deterministic.
    pub fn sort(&mut self) {
        self.findings.sort_by(Finding::report_order);
        self.passed.sort();
        self.not_evaluated.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

impl Finding {
    /// The one finding order of reports and renderers: severity (worst first), then id, then
    /// the first evidence line.
    #[must_use]
    pub fn report_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.evidence.first().cmp(&b.evidence.first()))
    }
}
