//! # hnsdoctor-report — text, JSON, Markdown and HTML reports
//!
//! Pipeline stage: **reporters** (… → rules → findings → *reporters*).
//!
//! Every renderer takes the same [`Report`] (the contract in `hnsdoctor_findings::finding`) and
//! returns a `String`; none of them reads the clock or the environment, so the same report always
//! renders to the same bytes:
//!
//! * [`text`] — a doctor-style checklist for the terminal (optional ANSI colours through the one
//!   [`paint`]er, wrapped by `textwrap`);
//! * [`json`] — the versioned machine format (`schema_version`, JSON Schema in
//!   `schema/report.schema.json`, documented in `docs/json.md`);
//! * [`markdown`] — a summary to paste into a GitHub issue or a chat;
//! * [`html`] — one self-contained page (inline CSS, no external assets) with the findings first
//!   and the host model's tables after them.
//!
//! ```
//! use hnsdoctor_report::{render, Format, RenderOptions};
//! use hnsdoctor_findings::{Report, REPORT_SCHEMA_VERSION};
//!
//! let report = Report {
//!     schema_version: REPORT_SCHEMA_VERSION,
//!     tool_version: "0.1.0".into(),
//!     kb_reviewed: "2026-11-30".into(),
//!     host: Some("node-1".into()),
//!     os_build: None,
//!     findings: vec![],
//!     passed: vec!["hns-crash".into()],
//!     not_evaluated: vec![],
//!     inputs: vec![],
//!     model: Default::default(),
//! };
//! let text = render(&report, Format::Text, &RenderOptions::default());
//! assert!(text.contains("No problems found"));
//! ```
#![forbid(unsafe_code)]

pub mod diff;
pub mod html;
pub mod json;
pub mod markdown;
pub mod needs;
pub mod packet_path;
pub mod paint;
pub mod summary;
pub mod text;
mod util;

#[cfg(any(test, feature = "testkit"))]
pub mod test_fixture;

pub use hnsdoctor_findings::{Finding, Report, Severity};

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Terminal checklist ([`text`]).
    #[default]
    Text,
    /// Versioned JSON ([`json`]).
    Json,
    /// Markdown for issues and chats ([`markdown`]).
    Markdown,
    /// Self-contained HTML page ([`html`]).
    Html,
}

impl Format {
    /// The usual file extension for this format.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// Options that affect rendering (colour and width: text only; verbose and quiet: text and
/// Markdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Use ANSI colours (text format only).
    pub color: bool,
    /// Wrap prose at this many columns (text format only; commands and evidence are never
    /// wrapped so they stay copy-pasteable). Values below 40 are treated as 40.
    pub width: usize,
    /// List every passed and not-evaluated rule instead of folding them (text).
    pub verbose: bool,
    /// The verdict and the findings only, each finding short (text and Markdown).
    pub quiet: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
            verbose: false,
            quiet: false,
        }
    }
}

/// Render `report` in `format`.
#[must_use]
pub fn render(report: &Report, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Text => text::render(report, opts),
        Format::Json => json::render(report),
        Format::Markdown => markdown::render_with(report, opts),
        Format::Html => html::render(report),
    }
}

/// [`render`] straight into a writer: the JSON report is streamed (no copy of the document in
/// memory, see [`json::write`]); the other formats are written once rendered.
///
/// # Errors
/// Write errors from `out`.
pub fn write(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, out),
        _ => out.write_all(render(report, format, opts).as_bytes()),
    }
}

/// Counts of findings per severity: `(errors, warnings, infos)`.
#[must_use]
pub fn counts(report: &Report) -> (usize, usize, usize) {
    let n = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

/// Findings in display order (severity, errors first, then id, then first evidence) without
/// mutating the report — renderers never trust the caller to have sorted.
#[must_use]
pub fn ordered(report: &Report) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = report.findings.iter().collect();
    v.sort_by(|a, b| Finding::report_order(a, b));
    v
}

#[cfg(test)]
mod tests {

    /// A finding over thousands of objects quotes its first evidence lines in text, Markdown
    /// and HTML, and says how many more there are; the JSON report keeps every line.
    #[test]
    fn long_evidence_is_capped_in_prose_formats_and_kept_in_json() {
        let mut r = crate::test_fixture::sample_report();
        r.findings.truncate(1);
        r.findings[0].evidence = (1..=25)
            .map(|n| hnsdoctor_model::Prov::new("endpoint.txt", n * 100))
            .collect();
        let opts = RenderOptions::default();
        for fmt in [Format::Text, Format::Markdown, Format::Html] {
            let out = render(&r, fmt, &opts);
            assert!(
                out.contains("endpoint.txt:1000"),
                "{fmt:?}: 10th line shown"
            );
            assert!(
                !out.contains("endpoint.txt:1100"),
                "{fmt:?}: 11th line left out"
            );
            assert!(
                out.contains("and 15 more evidence lines"),
                "{fmt:?}: the rest counted"
            );
        }
        let json = render(&r, Format::Json, &opts);
        assert!(json.contains("\"line\": 2500"), "JSON keeps all evidence");
    }
    use super::*;

    #[test]
    fn counts_and_order() {
        let r = test_fixture::sample_report();
        let (e, w, i) = counts(&r);
        assert!(e >= 1 && w >= 1 && i >= 1, "{e} {w} {i}");
        let ids: Vec<&str> = ordered(&r).iter().map(|f| f.severity_rank()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
    }

    trait Rank {
        fn severity_rank(&self) -> &'static str;
    }
    impl Rank for &Finding {
        fn severity_rank(&self) -> &'static str {
            match self.severity {
                Severity::Error => "0",
                Severity::Warning => "1",
                Severity::Info => "2",
            }
        }
    }

    #[test]
    fn every_format_renders_the_empty_report() {
        let r = test_fixture::empty_report();
        for f in [Format::Text, Format::Json, Format::Markdown, Format::Html] {
            let out = render(&r, f, &RenderOptions::default());
            assert!(!out.is_empty(), "{f:?}");
            assert!(out.ends_with('\n'), "{f:?} should end with a newline");
        }
        assert_eq!(Format::Markdown.extension(), "md");
    }
}
