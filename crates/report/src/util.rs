//! Helpers shared by the renderers: wrapping, escaping, labels, and the input notes
//! ("what was missing / skipped in the input") every format shows.

use hnsdoctor_model::InputSummary;
use hnsdoctor_rules::{Finding, Report, Severity};

/// Lower-case severity word as used in JSON (`error`, `warning`, `info`).
/// "Knowledge base reviewed YYYY-MM-DD": how current the advice is (the report's `kb_reviewed`).
pub(crate) fn kb_line(report: &Report) -> String {
    if report.kb_reviewed.is_empty() {
        "Knowledge base review date unknown".to_string()
    } else {
        format!("Knowledge base reviewed {}", report.kb_reviewed)
    }
}

pub(crate) fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// "1 error", "2 warnings"…
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "2 errors, 1 warning, 0 info".
pub(crate) fn counts_phrase(report: &Report) -> String {
    let (e, w, i) = crate::counts(report);
    format!(
        "{}, {}, {} info",
        plural(e, "error", "errors"),
        plural(w, "warning", "warnings"),
        i
    )
}

/// The headline subject: "ノード-01 (build 17763.5458)" / "unknown host".
pub(crate) fn subject(report: &Report) -> String {
    let host = report
        .host
        .as_deref()
        .or(report.model.host_name.as_deref())
        .unwrap_or("unknown host");
    match &report.os_build {
        Some(b) => format!("{host} (build {b})"),
        None => format!("{host} (build unknown)"),
    }
}

/// How many evidence lines of one finding the text, Markdown and HTML reports quote; the rest
/// are counted ("… and K more evidence lines") and kept in full in the JSON report.
pub(crate) const EVIDENCE_SHOWN: usize = 10;

/// The evidence lines a human-readable report quotes, and how many it leaves out.
pub(crate) fn shown_evidence(f: &hnsdoctor_rules::Finding) -> (&[hnsdoctor_model::Prov], usize) {
    let n = f.evidence.len().min(EVIDENCE_SHOWN);
    (&f.evidence[..n], f.evidence.len() - n)
}

/// The line that stands for evidence left out of a human-readable report.
pub(crate) fn more_evidence(k: usize) -> String {
    if k == 1 {
        "… and 1 more evidence line (all of them in --format json)".to_string()
    } else {
        format!("… and {k} more evidence lines (all of them in --format json)")
    }
}

/// The `file:line` of an evidence line, plus its quoted text when present.
pub(crate) fn evidence_line(p: &hnsdoctor_model::Prov) -> (String, Option<&str>) {
    (p.to_string(), p.text.as_deref())
}

/// Fix-step markers: `["last resort", "changes the host"]` as applicable.
pub(crate) fn step_marks(step: &hnsdoctor_rules::FixStep) -> Vec<&'static str> {
    let mut v = Vec::new();
    if step.last_resort {
        v.push("last resort");
    }
    if step.changes_host {
        v.push("changes the host");
    }
    v
}

/// One note about an input source that did not fully make it into the model.
pub(crate) struct InputNote<'a> {
    /// Source name.
    pub source: &'a str,
    /// Kind: `refused`, `skipped`, `warning`.
    pub kind: &'static str,
    /// Human text.
    pub text: String,
}

/// Notes about refused sources, skipped lines and warnings, in input order.
pub(crate) fn input_notes(inputs: &[InputSummary]) -> Vec<InputNote<'_>> {
    let mut notes = Vec::new();
    for i in inputs {
        if let Some(why) = &i.refused {
            notes.push(InputNote {
                source: &i.source,
                kind: "refused",
                text: why.clone(),
            });
        }
        if i.skipped_count > 0 {
            let mut text = plural(i.skipped_count, "line skipped", "lines skipped");
            let shown: Vec<String> = i
                .skipped
                .iter()
                .take(3)
                .map(|s| format!("line {}: {}", s.line, s.reason))
                .collect();
            if !shown.is_empty() {
                text.push_str(" (");
                text.push_str(&shown.join("; "));
                if i.skipped_count > shown.len() {
                    text.push_str("; …");
                }
                text.push(')');
            }
            notes.push(InputNote {
                source: &i.source,
                kind: "skipped",
                text,
            });
        }
        for w in &i.warnings {
            notes.push(InputNote {
                source: &i.source,
                kind: "warning",
                text: w.clone(),
            });
        }
    }
    notes
}

/// "3 sources read (1 refused), 7 lines skipped".
pub(crate) fn inputs_phrase(inputs: &[InputSummary]) -> String {
    let refused = inputs.iter().filter(|i| i.refused.is_some()).count();
    let skipped: usize = inputs.iter().map(|i| i.skipped_count).sum();
    let mut s = plural(inputs.len(), "source read", "sources read");
    if refused > 0 {
        s.push_str(&format!(" ({refused} refused)"));
    }
    if skipped > 0 {
        s.push_str(&format!(
            ", {}",
            plural(skipped, "line skipped", "lines skipped")
        ));
    }
    s
}

/// Where a reference points: `http(s)://…` as is, `owner/repo#123` as its GitHub issue or pull
/// request (GitHub redirects `/issues/N` to the pull request when N is one), `KB1234567` as
/// its Microsoft support page; `None` for anything else (plain text).
pub(crate) fn reference_url(r: &str) -> Option<String> {
    let r = r.trim();
    if r.starts_with("https://") || r.starts_with("http://") {
        return Some(r.to_string());
    }
    if let Some((repo, num)) = r.split_once('#') {
        let ok_num = !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = repo.split('/').collect();
        let ok_part = |p: &str| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        };
        if ok_num && parts.len() == 2 && parts.iter().all(|p| ok_part(p)) {
            return Some(format!("https://github.com/{repo}/issues/{num}"));
        }
    }
    if let Some(n) = r.strip_prefix("KB") {
        if (6..=8).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!("https://support.microsoft.com/help/{n}"));
        }
    }
    None
}

/// Escape text for HTML element content and attribute values.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Display width of a string in terminal columns (East Asian wide characters count two,
/// combining marks zero), from `unicode-width`.
pub(crate) fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Word-wrap `text` to `width` columns; the first line is prefixed by `first`, the rest by
/// `rest` (a hanging indent). Words longer than the line are kept whole (URLs, GUIDs). Each
/// `\n` starts a new paragraph; runs of blanks inside a paragraph count as one space.
///
/// The line breaking is `textwrap`'s (first fit, no hyphenation, widths from `unicode-width`).
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let lead = if lines.is_empty() { first } else { rest };
        let words = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.is_empty() {
            lines.push(lead.trim_end().to_string());
            continue;
        }
        let opts = textwrap::Options::new(width)
            .initial_indent(lead)
            .subsequent_indent(rest)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        lines.extend(
            textwrap::wrap(&words, opts)
                .into_iter()
                .map(|l| l.trim_end().to_string()),
        );
    }
    lines
}

/// The id a DOM element / anchor uses for a finding.
pub(crate) fn anchor(f: &Finding) -> String {
    format!("f-{}", f.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_hangs_and_keeps_long_words() {
        let v = wrap(
            "one two three four five six seven eight",
            16,
            "  why  ",
            "       ",
        );
        assert_eq!(v[0], "  why  one two");
        assert!(v.iter().all(|l| display_width(l) <= 16), "{v:?}");
        assert!(v[1].starts_with("       "));
        let long = wrap("https://example.invalid/a/very/long/url/indeed", 10, "", "");
        assert_eq!(long, vec!["https://example.invalid/a/very/long/url/indeed"]);
    }

    #[test]
    fn references_become_links() {
        assert_eq!(
            reference_url("kubernetes/community#8883").as_deref(),
            Some("https://github.com/kubernetes/community/issues/8883")
        );
        assert_eq!(
            reference_url("https://learn.microsoft.com/x").as_deref(),
            Some("https://learn.microsoft.com/x")
        );
        assert_eq!(
            reference_url("KB4551853").as_deref(),
            Some("https://support.microsoft.com/help/4551853")
        );
        for plain in [
            "see the README",
            "a/b/c#1",
            "owner/repo#",
            "owner/re po#1",
            "KB12",
        ] {
            assert_eq!(reference_url(plain), None, "{plain}");
        }
    }

    #[test]
    fn wide_chars_count_double() {
        assert_eq!(display_width("ノード-01"), 9);
        assert_eq!(display_width("knoten-ü"), 8);
    }

    #[test]
    fn html_escapes_everything_dangerous() {
        assert_eq!(
            html_escape(r#"<script>alert("x")&'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;)&amp;&#39;&lt;/script&gt;"
        );
    }
}
