//! Markdown renderer: a summary to paste into a GitHub issue, a PR comment or a chat.
//!
//! The verdict as the headline, a line with host, build and counts, a table of findings
//! (severity, id, title), then one *open* `<details open>` block per finding with what was
//! observed, why it matters, the evidence in a code block, the fix steps with their commands and
//! the references as links (`owner/repo#n` → its GitHub issue); then the passed rules
//! (collapsed), the rules not evaluated folded by the input they need with the full list
//! collapsed, and notes on refused or skipped input. [`render_with`] with `quiet` stops after
//! the findings.
//!
//! Escaping: prose and table cells escape Markdown punctuation (`\`, `` ` ``, `*`, `_`, `[`, `]`,
//! `|`, `#`) with a backslash and `<`, `>`, `&` as entities, so host data cannot break the table or
//! inject HTML; `<summary>` content is HTML-escaped; code blocks use a fence longer than any
//! backtick run inside them.

use crate::needs::{fold, missing_phrase};
use crate::summary::verdict;
use crate::util::{
    counts_phrase, html_escape, input_notes, inputs_phrase, kb_line, reference_url, severity_word,
    step_marks, subject,
};
use crate::{ordered, RenderOptions};
use hnsdoctor_rules::{Finding, Report, Severity};
use std::fmt::Write as _;

/// Escape text for Markdown prose and table cells (single line: newlines become spaces).
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A fenced code block whose fence cannot be closed by the content.
fn code_block(out: &mut String, lang: &str, body: &str) {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    let _ = writeln!(out, "{fence}{lang}");
    for l in body.lines() {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out, "{fence}");
}

fn badge(s: Severity) -> &'static str {
    match s {
        Severity::Error => "🛑 error",
        Severity::Warning => "⚠️ warning",
        Severity::Info => "ℹ️ info",
    }
}

/// Render the report as Markdown (default options).
#[must_use]
pub fn render(report: &Report) -> String {
    render_with(report, &RenderOptions::default())
}

/// Render the report as Markdown: the verdict as the headline, the findings expanded, the
/// passed and not-evaluated rules collapsed; with [`RenderOptions::quiet`] only the verdict and
/// the findings.
#[must_use]
pub fn render_with(report: &Report, opts: &RenderOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}", escape(&verdict(report)));
    out.push('\n');
    let _ = writeln!(
        out,
        "hnsdoctor {} on {} · {} · {} passed · {} not evaluated · {}",
        escape(&report.tool_version),
        escape(&subject(report)),
        counts_phrase(report),
        report.passed.len(),
        report.not_evaluated.len(),
        inputs_phrase(&report.inputs),
    );
    out.push('\n');

    let findings = ordered(report);
    if !findings.is_empty() {
        let _ = writeln!(out, "| severity | id | title |");
        let _ = writeln!(out, "|---|---|---|");
        for f in &findings {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} |",
                badge(f.severity),
                f.id.replace('|', "\\|").replace('`', "'"),
                escape(&f.title)
            );
        }
        out.push('\n');
        for f in &findings {
            finding(&mut out, f);
        }
    }
    if opts.quiet {
        return out;
    }
    if let Some(section) = crate::packet_path::markdown(report) {
        let _ = writeln!(out, "\n{section}");
    }

    if !report.passed.is_empty() {
        let mut passed: Vec<&str> = report.passed.iter().map(String::as_str).collect();
        passed.sort_unstable();
        let list: Vec<String> = passed.iter().map(|p| format!("`{p}`")).collect();
        let _ = writeln!(
            out,
            "<details><summary>Passed: {} checks</summary>\n\n{}\n\n</details>",
            passed.len(),
            list.join(", ")
        );
        out.push('\n');
    }
    if !report.not_evaluated.is_empty() {
        let groups = fold(report);
        let _ = writeln!(
            out,
            "**Not evaluated** ({}, for lack of input):",
            report.not_evaluated.len()
        );
        out.push('\n');
        for g in &groups {
            // our own wording (labels and commands, no host data): code spans stay code
            let _ = writeln!(out, "- {}", g.sentence());
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "<details><summary>Every check not evaluated, with what it misses</summary>"
        );
        out.push('\n');
        let mut ne: Vec<_> = report.not_evaluated.iter().collect();
        ne.sort_by(|a, b| a.id.cmp(&b.id));
        for n in ne {
            let _ = writeln!(
                out,
                "- `{}` {} — {}",
                n.id,
                escape(&n.title),
                escape(&missing_phrase(n))
            );
        }
        out.push('\n');
        let _ = writeln!(out, "</details>");
        out.push('\n');
    }
    let notes = input_notes(&report.inputs);
    if !notes.is_empty() {
        let _ = writeln!(out, "**What was missing / skipped in the input:**");
        out.push('\n');
        for n in notes {
            let _ = writeln!(
                out,
                "- {} `{}`: {}",
                n.kind,
                n.source.replace('`', "'"),
                escape(&n.text)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "<sub>hnsdoctor {} · report schema {} · {}</sub>",
        html_escape(&report.tool_version),
        report.schema_version,
        html_escape(&kb_line(report))
    );
    out
}

fn finding(out: &mut String, f: &Finding) {
    let _ = writeln!(
        out,
        "<details open><summary><b>{}</b> <code>{}</code> — {}</summary>",
        severity_word(f.severity),
        html_escape(&f.id),
        html_escape(&f.title)
    );
    out.push('\n');
    if !f.observed.is_empty() {
        let _ = writeln!(out, "**Observed:** {}", escape(&f.observed));
        out.push('\n');
    }
    if !f.why.is_empty() {
        let _ = writeln!(out, "**Why it matters:** {}", escape(&f.why));
        out.push('\n');
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "**Evidence:**");
        out.push('\n');
        let (shown, more) = crate::util::shown_evidence(f);
        let mut body: Vec<String> = shown
            .iter()
            .map(|e| match &e.text {
                Some(t) => format!("{e}  {t}"),
                None => e.to_string(),
            })
            .collect();
        if more > 0 {
            body.push(crate::util::more_evidence(more));
        }
        code_block(out, "text", &body.join("\n"));
        out.push('\n');
    }
    if !f.fix.is_empty() {
        let _ = writeln!(out, "**Fix:**");
        out.push('\n');
        for (i, s) in f.fix.iter().enumerate() {
            let marks = step_marks(s);
            let marks = if marks.is_empty() {
                String::new()
            } else {
                format!(" _({})_", marks.join(", "))
            };
            let _ = writeln!(out, "{}. {}{}", i + 1, escape(&s.text), marks);
            if let Some(cmd) = &s.command {
                let mut block = String::new();
                code_block(&mut block, "powershell", cmd);
                out.push('\n');
                for l in block.lines() {
                    let _ = writeln!(out, "   {l}");
                }
            }
        }
        out.push('\n');
    }
    if !f.references.is_empty() {
        let refs: Vec<String> = f
            .references
            .iter()
            .map(|r| match reference_url(r) {
                Some(u) if u == *r => format!("<{u}>"),
                Some(u) => format!("[{}]({u})", escape(r)),
                None => escape(r),
            })
            .collect();
        let _ = writeln!(out, "**See:** {}", refs.join(" · "));
        out.push('\n');
    }
    let _ = writeln!(out, "</details>");
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixture::{empty_report, sample_report};

    #[test]
    fn snapshot_sample() {
        insta::assert_snapshot!(render(&sample_report()));
    }

    #[test]
    fn snapshot_empty() {
        insta::assert_snapshot!(render(&empty_report()));
    }

    #[test]
    fn pipes_and_backticks_cannot_break_the_table() {
        let out = render(&sample_report());
        let row = out
            .lines()
            .find(|l| l.contains("`endpoint-not-attached`") && l.starts_with('|'))
            .unwrap_or_default();
        assert!(
            row.contains(r"Local endpoint \`web-7d4\` is Detached \| not AttachedSharing"),
            "{row}"
        );
        // exactly 4 unescaped pipes: the cell separators
        let unescaped = row
            .char_indices()
            .filter(|&(i, c)| c == '|' && (i == 0 || row.as_bytes()[i - 1] != b'\\'))
            .count();
        assert_eq!(unescaped, 4, "{row}");
        assert!(
            out.contains("<details open><summary><b>error</b> <code>port-pool-exhaustion</code>")
        );
        assert!(out.contains("   ```powershell\n   Restart-Computer -Force\n   ```"));
    }

    #[test]
    fn verdict_first_findings_open_not_evaluated_collapsed() {
        let mut r = sample_report();
        r.findings[0].references = vec![
            "kubernetes/community#8883".into(),
            "https://learn.microsoft.com/x".into(),
        ];
        let out = render(&r);
        assert!(
            out.starts_with("### 2 errors, 1 warning, 1 info — "),
            "{out}"
        );
        assert!(out.contains(
            "[kubernetes/community\\#8883](https://github.com/kubernetes/community/issues/8883)"
        ));
        assert!(out.contains("<https://learn.microsoft.com/x>"));
        assert!(!out.contains("<kubernetes/community"), "not an autolink");
        let folded = out.find("- 1 check needs").unwrap_or(usize::MAX);
        let collapsed = out
            .find("<details><summary>Every check not evaluated")
            .unwrap_or(0);
        let listed = out.find("- `ipv6-disabled`").unwrap_or(0);
        assert!(folded < collapsed && collapsed < listed, "{out}");
        assert!(out.contains("needs any of kube-proxy-log, kubelet-log, pasted-log"));
        let quiet = render_with(
            &r,
            &RenderOptions {
                quiet: true,
                ..RenderOptions::default()
            },
        );
        assert!(!quiet.contains("Not evaluated") && !quiet.contains("Passed"));
        assert!(quiet.contains("<code>port-pool-exhaustion</code>"));
    }

    #[test]
    fn fences_outgrow_backticks_in_content() {
        let mut s = String::new();
        code_block(&mut s, "text", "a ``` b");
        assert!(s.starts_with("````text\n"), "{s}");
        assert!(s.ends_with("\n````\n"), "{s}");
        assert_eq!(escape("a|b`c<d>"), r"a\|b\`c&lt;d&gt;");
    }
}
