//! The "Checks" section: passed rules, the not-evaluated rules folded by the input they need
//! (the full list collapsed in `<details>`), and what was missing or skipped in the input.

use crate::needs::{fold, missing_phrase};
use crate::util::input_notes;
use hnsdoctor_rules::Report;
use maud::{html, Markup};

/// The whole "Checks" section.
pub(super) fn checks(report: &Report) -> Markup {
    let mut passed: Vec<&str> = report.passed.iter().map(String::as_str).collect();
    passed.sort_unstable();
    let mut ne: Vec<_> = report.not_evaluated.iter().collect();
    ne.sort_by(|a, b| a.id.cmp(&b.id));
    let notes = input_notes(&report.inputs);
    html! {
        h2 id="checks" { "Checks" } "\n"
        @if passed.is_empty() {
            p class="empty" { "No rule passed." } "\n"
        } @else {
            p class="ok-list" {
                span class="pill ok" { "passed " (passed.len()) }
                " "
                @for (i, p) in passed.iter().enumerate() {
                    @if i > 0 { ", " }
                    code { (p) }
                }
            }
            "\n"
        }
        @if !ne.is_empty() {
            // Folded by what they miss; the full list stays collapsed.
            h3 { "Not evaluated " span class="meta" { "(" (ne.len()) ", for lack of input)" } } "\n"
            ul class="ne" {
                "\n"
                @for g in fold(report) { li { (g.sentence()) } "\n" }
            }
            "\n"
            details {
                summary class="meta" { "Every check not evaluated, with what it misses" } "\n"
                ul class="ne" {
                    "\n"
                    @for n in &ne {
                        li { code { (n.id) } " " (n.title) " — " i { (missing_phrase(n)) } } "\n"
                    }
                }
                "\n"
            }
            "\n"
        }
        @if !notes.is_empty() {
            h3 { "What was missing / skipped in the input" } "\n"
            ul class="notes" {
                "\n"
                @for n in &notes {
                    li { b { (n.kind) } " " code { (n.source) } ": " (n.text) } "\n"
                }
            }
            "\n"
        }
    }
}
