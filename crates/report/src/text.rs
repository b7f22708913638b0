//! Text renderer: a doctor-style checklist for the terminal.
//!
//! Layout, top to bottom: the verdict ([`crate::summary::verdict`]: "2 errors, 1 warning — …"
//! or "No problems found in what was read — …"); a headline (host, build, counts); the findings
//! grouped by severity (errors, warnings, info), each with title and id, what was observed, why
//! it matters, the evidence quoted as `file:line  text` (the first ten lines, then "… and K
//! more": a finding over thousands of objects stays readable; the JSON report keeps all), the fix
//! steps with their commands (steps that change the host or are a last resort say so), references
//! (with their address for `owner/repo#n` and KB numbers) and confidence; then the rules that
//! passed (one line unless `verbose`), the rules that were not evaluated folded by the input they
//! need ([`crate::needs`], at most [`NOT_EVALUATED_MAX_LINES`] lines; every rule with what it
//! misses when `verbose`), and what was refused, skipped or truncated in the input. With
//! [`RenderOptions::quiet`]: the verdict and the findings only — errors and warnings as title,
//! observation and first fix step, info as its title line.
//!
//! Prose is word-wrapped to [`RenderOptions::width`]; commands and evidence lines are never
//! wrapped so they stay copy-pasteable. ANSI colours only when [`RenderOptions::color`] is set.
//! Markers are ASCII (`[X]` error, `[!]` warning, `[i]` info, `[?]` not evaluated) so the output
//! reads the same in an old Windows console and in a CI log.

use crate::needs::{fold, missing_phrase, Group};
use crate::paint::Style;
use crate::paint::{Painter, BOLD, CYAN, DIM, GREEN, RED, YELLOW};
use crate::summary::verdict;
use crate::util::{
    display_width, evidence_line, input_notes, inputs_phrase, kb_line, more_evidence, plural,
    reference_url, shown_evidence, step_marks, subject, wrap,
};
use crate::{ordered, RenderOptions};
use hnsdoctor_rules::{Confidence, Finding, Report, Severity};
use std::fmt::Write as _;

fn marker(s: Severity) -> (&'static str, Style) {
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

/// Most lines the folded "Not evaluated" section takes, its heading included.
pub const NOT_EVALUATED_MAX_LINES: usize = 5;

/// Render the report as a terminal checklist.
#[must_use]
pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let width = opts.width.max(40);
    let p = Painter::new(opts.color);
    let mut out = String::new();

    // The verdict comes first: what a reader needs at a glance.
    let findings = ordered(report);
    let verdict_style = match report.worst() {
        Some(Severity::Error) => RED.bold(),
        Some(Severity::Warning) => YELLOW.bold(),
        _ => GREEN.bold(),
    };
    for l in wrap(&verdict(report), width, "", "  ") {
        let _ = writeln!(out, "{}", p.paint(verdict_style, &l));
    }
    let summary = format!(
        "hnsdoctor analyze: {} · {} passed · {} not evaluated · {}",
        subject(report),
        report.passed.len(),
        report.not_evaluated.len(),
        inputs_phrase(&report.inputs)
    );
    if !opts.quiet {
        for l in wrap(&summary, width, "", "  ") {
            let _ = writeln!(out, "{}", p.paint(DIM, &l));
        }
    }
    let _ = writeln!(out, "{}", p.paint(DIM, &kb_line(report)));

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
            p.paint(colour.bold(), &format!("{heading} ({})", group.len()))
        );
        for f in group {
            if opts.quiet && sev == Severity::Info {
                // worth knowing, not a problem: its title only
                title_line(&mut out, f, width, &p);
            } else if opts.quiet {
                finding_short(&mut out, f, width, &p);
            } else {
                finding(&mut out, f, width, &p);
            }
        }
    }
    if opts.quiet {
        return out;
    }
    if let Some(section) = crate::packet_path::text(report) {
        out.push('\n');
        out.push_str(&section);
    }

    if !report.passed.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            p.paint(GREEN.bold(), &format!("Passed ({})", report.passed.len()))
        );
        let mut passed: Vec<&str> = report.passed.iter().map(String::as_str).collect();
        passed.sort_unstable();
        let lines = wrap(&passed.join(", "), width, "[ok] ", "     ");
        if opts.verbose || lines.len() <= 2 {
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
        } else {
            // one line of ids, then how many more; --verbose lists them all
            let more_note = |k: usize| format!(" … and {k} more (--verbose lists them)");
            let mut shown = Vec::new();
            let mut used = display_width("[ok] ");
            for id in &passed {
                let k = passed.len() - shown.len() - 1;
                let add = display_width(id) + 2;
                if used + add + display_width(&more_note(k)) > width {
                    break;
                }
                used += add;
                shown.push(*id);
            }
            let rest = passed.len() - shown.len();
            let _ = writeln!(out, "[ok] {}{}", shown.join(", "), more_note(rest));
        }
    }

    if !report.not_evaluated.is_empty() {
        out.push('\n');
        not_evaluated(&mut out, report, width, opts.verbose, &p);
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

/// The "Not evaluated" section: every rule with what it misses when `verbose`, otherwise the
/// rules folded by the input they need, in at most [`NOT_EVALUATED_MAX_LINES`] lines.
fn not_evaluated(out: &mut String, report: &Report, width: usize, verbose: bool, p: &Painter) {
    let n = report.not_evaluated.len();
    if verbose {
        let _ = writeln!(out, "{}", p.paint(BOLD, &format!("Not evaluated ({n})")));
        let mut ne: Vec<_> = report.not_evaluated.iter().collect();
        ne.sort_by(|a, b| a.id.cmp(&b.id));
        for n in ne {
            let line = format!("{} ({}): {}", n.id, n.title, missing_phrase(n));
            for l in wrap(&line, width, "[?] ", "    ") {
                let _ = writeln!(out, "{l}");
            }
        }
        return;
    }
    let heading = format!(
        "Not evaluated ({n}, for lack of input{})",
        if n > 1 { "; --verbose lists them" } else { "" }
    );
    let _ = writeln!(out, "{}", p.paint(BOLD, &heading));
    let groups = fold(report);
    for l in folded_lines(&groups, width, NOT_EVALUATED_MAX_LINES - 1) {
        let _ = writeln!(out, "{l}");
    }
}

/// The groups in at most `budget` lines: each group as its full sentence ("… need X: add Y")
/// where that leaves a line for every group after it, else as its short form ("… need X");
/// groups that still do not fit become one "N more checks need other input" line.
fn folded_lines(groups: &[Group], width: usize, budget: usize) -> Vec<String> {
    let full: Vec<Vec<String>> = groups
        .iter()
        .map(|g| wrap(&g.sentence(), width, "[?] ", "    "))
        .collect();
    if full.iter().map(Vec::len).sum::<usize>() <= budget {
        return full.into_iter().flatten().collect();
    }
    let short: Vec<Vec<String>> = groups
        .iter()
        .map(|g| wrap(&g.short(), width, "[?] ", "    "))
        .collect();
    let n = groups.len();
    // with more groups than lines, the last line says how many checks are left
    let slots = if n <= budget { n } else { budget - 1 };
    let reserve = usize::from(n > slots);
    let mut lines: Vec<String> = Vec::new();
    let mut shown = 0;
    let mut checks = 0;
    for (i, g) in groups.iter().enumerate().take(slots) {
        // every later group needs at least one line; one line stays free for "more" if needed
        let later = slots - i - 1;
        let left = budget - reserve - lines.len();
        let pick = if full[i].len() + later <= left {
            &full[i]
        } else if short[i].len() + later <= left {
            &short[i]
        } else {
            break;
        };
        lines.extend(pick.iter().cloned());
        shown += 1;
        checks += g.ids.len();
    }
    if shown < groups.len() {
        let total: usize = groups.iter().map(|g| g.ids.len()).sum();
        lines.push(format!(
            "[?] {} need other input (--verbose)",
            plural(total - checks, "more check", "more checks")
        ));
    }
    lines
}

/// A finding's marker, title and id, wrapped (`--quiet`).
fn title_line(out: &mut String, f: &Finding, width: usize, p: &Painter) {
    let (mark, colour) = marker(f.severity);
    let title = format!("{} [{}]", f.title, f.id);
    for (i, l) in wrap(&title, width, &format!("{mark} "), "    ")
        .into_iter()
        .enumerate()
    {
        if i == 0 {
            let rest = l.trim_start_matches(mark).trim_start();
            let _ = writeln!(
                out,
                "{} {}",
                p.paint(colour.bold(), mark),
                p.paint(BOLD, rest)
            );
        } else {
            let _ = writeln!(out, "{}", p.paint(BOLD, &l));
        }
    }
}

/// A finding in two to a few lines (`--quiet`): title, what was observed, the first fix step.
fn finding_short(out: &mut String, f: &Finding, width: usize, p: &Painter) {
    title_line(out, f, width, p);
    if !f.observed.is_empty() {
        for l in wrap(&f.observed, width, "    ", "    ") {
            let _ = writeln!(out, "{l}");
        }
    }
    if let Some(s) = f.fix.first() {
        // the first sentence of the first step; the rest without --quiet
        let text = s.text.trim();
        let first = match text.find(". ") {
            Some(i) => &text[..=i],
            None => text,
        };
        let cut = first.len() < text.len();
        let more = match (f.fix.len() - 1, cut) {
            (0, false) => String::new(),
            (0, true) => " (more without --quiet)".to_string(),
            (n, _) => format!(
                " ({} without --quiet)",
                plural(n, "more step", "more steps")
            ),
        };
        for l in wrap(&format!("{first}{more}"), width, "    fix: ", "         ") {
            let _ = writeln!(out, "{l}");
        }
        if let Some(cmd) = &s.command {
            for cl in cmd.lines() {
                let _ = writeln!(out, "         {}", p.paint(CYAN, &format!("> {cl}")));
            }
        }
    }
}

fn finding(out: &mut String, f: &Finding, width: usize, p: &Painter) {
    let (mark, colour) = marker(f.severity);
    out.push('\n');
    let title = format!("{mark} {}  [{}]", f.title, f.id);
    for (i, l) in wrap(&title, width, "", "    ").into_iter().enumerate() {
        let styled = if i == 0 {
            format!(
                "{} {}",
                p.paint(colour.bold(), mark),
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
            // `owner/repo#n` and KB numbers as their address, so a terminal can open them
            match reference_url(r) {
                Some(u) if u != *r => {
                    let _ = writeln!(out, "      {r}  {u}");
                }
                _ => {
                    let _ = writeln!(out, "      {r}");
                }
            }
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
    use hnsdoctor_model::Fact;
    use hnsdoctor_rules::NotEvaluated;

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
                ..RenderOptions::default()
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
                ..RenderOptions::default()
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
        assert!(
            out.contains(
                "[?] 1 check needs DNS client and IPv6 registry settings: add `reg query`"
            ),
            "{out}"
        );
        assert!(
            !out.contains("missing tcpip6-params"),
            "folded without --verbose"
        );
        let verbose = render(
            &sample_report(),
            &RenderOptions {
                verbose: true,
                ..RenderOptions::default()
            },
        );
        assert!(
            verbose.contains("ipv6-disabled (IPv6 disabled on the host): missing tcpip6-params")
        );
        let wide = render(
            &sample_report(),
            &RenderOptions {
                verbose: true,
                width: 200,
                ..RenderOptions::default()
            },
        );
        assert!(wide.contains(
            "hns-address-reserved (HNS address already reserved): needs any of kube-proxy-log, \
             kubelet-log, pasted-log"
        ));
        assert!(out.contains("refused  vfp/ports.txt: binary data"));
        assert!(out.contains("skipped  netsh/excludedportrange-tcp.txt: 7 lines skipped"));
        assert!(out.contains("netsh/excludedportrange-tcp.txt:5    49152       49215"));
        assert!(out.contains("netsh/excludedportrange-tcp.txt:238  65472       65535     *"));
    }

    #[test]
    fn verdict_first_and_not_evaluated_folded_to_five_lines() {
        let mut r = sample_report();
        let out = render(&r, &RenderOptions::default());
        assert!(out.starts_with("2 errors, 1 warning, 1 info — "), "{out}");
        // many rules missing many different things still fold into five lines
        let facts = [
            Fact::OsBuild,
            Fact::Hotfixes,
            Fact::Routes,
            Fact::NetNat,
            Fact::VSwitches,
            Fact::Firewall,
            Fact::Containers,
        ];
        for (k, f) in facts.iter().cycle().take(40).enumerate() {
            r.not_evaluated.push(NotEvaluated {
                id: format!("rule-{k:02}"),
                title: format!("Rule {k}"),
                missing: vec![*f],
                any_of: vec![],
            });
        }
        let out = render(&r, &RenderOptions::default());
        let section: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.starts_with("Not evaluated"))
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(section.len() <= NOT_EVALUATED_MAX_LINES, "{section:#?}");
        assert!(
            section[0].starts_with("Not evaluated (43, for lack of input; --verbose lists them)")
        );
        assert!(
            section
                .last()
                .unwrap()
                .contains("more checks need other input (--verbose)"),
            "{section:#?}"
        );
        let verbose = render(
            &r,
            &RenderOptions {
                verbose: true,
                ..RenderOptions::default()
            },
        );
        assert!(verbose.contains("rule-39 (Rule 39): missing "));
    }

    #[test]
    fn quiet_is_verdict_and_short_findings() {
        let out = render(
            &sample_report(),
            &RenderOptions {
                quiet: true,
                ..RenderOptions::default()
            },
        );
        assert!(out.starts_with("2 errors, 1 warning, 1 info — "), "{out}");
        for gone in ["Passed", "Not evaluated", "Input", "evidence", "confidence"] {
            assert!(!out.contains(gone), "--quiet shows {gone}:\n{out}");
        }
        assert!(out.contains("[port-pool-exhaustion]"));
        assert!(out.contains("    fix: "), "{out}");
        assert!(out.lines().count() < 30, "{out}");
        // info findings: the title line only
        let info = out
            .lines()
            .skip_while(|l| !l.starts_with("Info ("))
            .collect::<Vec<_>>();
        assert_eq!(info.len(), 2, "{info:#?}");
        assert!(info[1].starts_with("[i] ") && info[1].ends_with("[os-outdated]"));
    }

    #[test]
    fn references_show_their_address() {
        let mut r = sample_report();
        r.findings[0].references = vec!["kubernetes/community#8883".into()];
        let out = render(&r, &RenderOptions::default());
        assert!(out.contains(
            "kubernetes/community#8883  https://github.com/kubernetes/community/issues/8883"
        ));
    }

    #[test]
    fn deterministic() {
        let o = RenderOptions::default();
        assert_eq!(render(&sample_report(), &o), render(&sample_report(), &o));
    }
}
