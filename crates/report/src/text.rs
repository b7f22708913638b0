//! Text renderer: a doctor-style checklist for the terminal.
//!
//! Layout, top to bottom: a headline (host, build, counts); the findings grouped by severity
//! (errors, warnings, info), each with title and id, what was observed, why it matters, the
//! evidence quoted as `file:line  text` (the first ten lines, then "… and K more": a finding
//! over thousands of objects stays readable; the JSON report keeps all), the fix steps with their commands (steps that change the
//! host or are a last resort say so), references and confidence; then the rules that passed
//! (compact), the rules that were not evaluated with what was missing, and what was refused,
//! skipped or truncated in the input.
//!
//! Prose is word-wrapped to [`RenderOptions::width`]; commands and evidence lines are never
//! wrapped so they stay copy-pasteable. ANSI colours only when [`RenderOptions::color`] is set.
//! Markers are ASCII (`[X]` error, `[!]` warning, `[i]` info, `[?]` not evaluated) so the output
//! reads the same in an old Windows console and in a CI log.

use crate::util::{
    counts_phrase, evidence_line, input_notes, inputs_phrase, missing_list, more_evidence, plural,
    shown_evidence, step_marks, subject, wrap,
};
use crate::{ordered, RenderOptions};
use hnsdoctor_rules::{Confidence, Finding, Report, Severity};
use std::fmt::Write as _;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";

struct Painter {
    on: bool,
}

impl Painter {
    fn paint(&self, style: &str, s: &str) -> String {
        if self.on && !s.is_empty() {
            format!("{style}{s}{RESET}")
        } else {
            s.to_string()
        }
    }
}

fn marker(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Error => ("[X]", RED),
        Severity::Warning => ("[!]", YELLOW),
        Severity::Info => ("[i]", CYAN),
    }
}

fn confidence_word(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// Render the report as a terminal checklist.
#[must_use]
pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let width = opts.width.max(40);
    let p = Painter { on: opts.color };
    let mut out = String::new();

    let _ = writeln!(
        out,
        "{}",
        p.paint(BOLD, &format!("hnsdoctor analyze: {}", subject(report)))
    );
    let summary = format!(
        "{} · {} passed · {} not evaluated · {}",
        counts_phrase(report),
        report.passed.len(),
        report.not_evaluated.len(),
        inputs_phrase(&report.inputs)
    );
    for l in wrap(&summary, width, "", "") {
        let _ = writeln!(out, "{l}");
    }

    let findings = ordered(report);
    if findings.is_empty() {
        out.push('\n');
        let msg = if report.not_evaluated.is_empty() {
            "No problems found."
        } else {
            "No problems found in what could be checked (see \"not evaluated\" below)."
        };
        let _ = writeln!(out, "{}", p.paint(GREEN, msg));
    }
    for (sev, heading) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Info"),
    ] {
        let group: Vec<&&Finding> = findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        let (_, colour) = marker(sev);
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                &format!("{BOLD}{colour}"),
                &format!("{heading} ({})", group.len())
            )
        );
        for f in group {
            finding(&mut out, f, width, &p);
        }
    }

    if !report.passed.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                &format!("{BOLD}{GREEN}"),
                &format!("Passed ({})", report.passed.len())
            )
        );
        let mut passed: Vec<&str> = report.passed.iter().map(String::as_str).collect();
        passed.sort_unstable();
        for line in wrap(&passed.join(", "), width, "[ok] ", "     ") {
            let _ = writeln!(out, "{line}");
        }
    }

    if !report.not_evaluated.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                BOLD,
                &format!("Not evaluated ({})", report.not_evaluated.len())
            )
        );
        let mut ne: Vec<_> = report.not_evaluated.iter().collect();
        ne.sort_by(|a, b| a.id.cmp(&b.id));
        for n in ne {
            let line = format!(
                "{} ({}): not evaluated: missing {}",
                n.id,
                n.title,
                missing_list(n)
            );
            for l in wrap(&line, width, "[?] ", "    ") {
                let _ = writeln!(out, "{l}");
            }
        }
    }

    let notes = input_notes(&report.inputs);
    out.push('\n');
    let _ = writeln!(out, "{}", p.paint(BOLD, "Input"));
    let _ = writeln!(out, "    {}", inputs_phrase(&report.inputs));
    if notes.is_empty() {
        if !report.inputs.is_empty() {
            let _ = writeln!(out, "    nothing was refused or skipped");
        }
    } else {
        let _ = writeln!(out, "    what was missing / skipped in the input:");
        for n in notes {
            let head = format!("    {:<8} {}: ", n.kind, n.source);
            let indent = " ".repeat(13);
            for l in wrap(&n.text, width, &head, &indent) {
                let _ = writeln!(out, "{l}");
            }
        }
    }
    out
}

fn finding(out: &mut String, f: &Finding, width: usize, p: &Painter) {
    let (mark, colour) = marker(f.severity);
    out.push('\n');
    let title = format!("{mark} {}  [{}]", f.title, f.id);
    for (i, l) in wrap(&title, width, "", "    ").into_iter().enumerate() {
        let styled = if i == 0 {
            format!(
                "{} {}",
                p.paint(&format!("{BOLD}{colour}"), mark),
                p.paint(BOLD, l.trim_start_matches(mark).trim_start())
            )
        } else {
            p.paint(BOLD, &l)
        };
        let _ = writeln!(out, "{styled}");
    }
    const IND: &str = "              ";
    for (label, text) in [("observed", &f.observed), ("why", &f.why)] {
        if text.is_empty() {
            continue;
        }
        let head = format!("    {label:<9} ");
        for l in wrap(text, width, &head, IND) {
            let _ = writeln!(out, "{l}");
        }
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "    evidence");
        let (shown, more) = shown_evidence(f);
        let pad = shown
            .iter()
            .map(|e| e.to_string().chars().count())
            .max()
            .unwrap_or(0);
        for e in shown {
            let (loc, text) = evidence_line(e);
            let line = match text {
                Some(t) => format!("{loc:<pad$}  {t}"),
                None => loc,
            };
            let _ = writeln!(out, "      {}", p.paint(DIM, &line));
        }
        if more > 0 {
            let _ = writeln!(out, "      {}", p.paint(DIM, &more_evidence(more)));
        }
    }
    if !f.fix.is_empty() {
        let _ = writeln!(out, "    fix");
        for (i, s) in f.fix.iter().enumerate() {
            let marks = step_marks(s);
            let mut text = String::new();
            if !marks.is_empty() {
                text.push_str(&format!("({}) ", marks.join(", ")));
            }
            text.push_str(&s.text);
            let head = format!("      {}. ", i + 1);
            let ind = " ".repeat(head.len());
            for l in wrap(&text, width, &head, &ind) {
                let _ = writeln!(out, "{l}");
            }
            if let Some(cmd) = &s.command {
                for cl in cmd.lines() {
                    let _ = writeln!(out, "{ind}{}", p.paint(CYAN, &format!("> {cl}")));
                }
            }
        }
    }
    if !f.references.is_empty() {
        let _ = writeln!(out, "    see");
        for r in &f.references {
            let _ = writeln!(out, "      {r}");
        }
    }
    let _ = writeln!(
        out,
        "    {}",
        p.paint(
            DIM,
            &format!(
                "confidence {}, {}",
                confidence_word(f.confidence),
                plural(f.evidence.len(), "evidence line", "evidence lines")
            )
        )
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixture::{empty_report, sample_report};

    #[test]
    fn snapshot_sample() {
        insta::assert_snapshot!(render(&sample_report(), &RenderOptions::default()));
    }

    #[test]
    fn snapshot_sample_narrow_colour() {
        let out = render(
            &sample_report(),
            &RenderOptions {
                color: true,
                width: 60,
            },
        );
        assert!(out.contains("\x1b[31m"), "errors are red");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn snapshot_empty() {
        insta::assert_snapshot!(render(&empty_report(), &RenderOptions::default()));
    }

    #[test]
    fn no_ansi_without_colour_and_prose_wrapped() {
        let out = render(
            &sample_report(),
            &RenderOptions {
                color: false,
                width: 60,
            },
        );
        assert!(!out.contains('\x1b'));
        for line in out.lines() {
            let is_verbatim = line.trim_start().starts_with("> ")
                || line.contains(".txt:")
                || line.contains(".json:")
                || line.contains(".log:")
                || line.trim_start().starts_with("http");
            if !is_verbatim {
                assert!(
                    crate::util::display_width(line) <= 60,
                    "line too wide: {line:?}"
                );
            }
        }
        // groups in order, with markers
        let e = out.find("Errors (2)").unwrap_or(usize::MAX);
        let w = out.find("Warnings (1)").unwrap_or(0);
        let i = out.find("Info (1)").unwrap_or(0);
        assert!(e < w && w < i, "{e} {w} {i}");
        let out = render(&sample_report(), &RenderOptions::default());
        assert!(out.contains("(last resort, changes the host) If the blocks"));
        assert!(out.contains("not evaluated: missing tcpip6-params"));
        assert!(out.contains("refused  vfp/ports.txt: binary data"));
        assert!(out.contains("skipped  netsh/excludedportrange-tcp.txt: 7 lines skipped"));
        assert!(out.contains("netsh/excludedportrange-tcp.txt:5    49152       49215"));
        assert!(out.contains("netsh/excludedportrange-tcp.txt:238  65472       65535     *"));
    }

    #[test]
    fn deterministic() {
        let o = RenderOptions::default();
        assert_eq!(render(&sample_report(), &o), render(&sample_report(), &o));
    }
}
