//! One finding card: severity badge, title and id, observed / why, evidence, fix steps (with
//! their host / last-resort tags and commands in `<pre>`), confidence and references.

use super::evidence;
use crate::util::{anchor, reference_url, severity_word, step_marks};
use hnsdoctor_rules::{Confidence, Finding};
use maud::{html, Markup};

/// The `<section>` for one finding.
pub(super) fn card(f: &Finding) -> Markup {
    let sev = severity_word(f.severity);
    let conf = match f.confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    };
    html! {
        section class={ "finding " (sev) } id=(anchor(f)) data-id=(f.id) {
            "\n"
            h3 {
                span class={ "badge " (sev) } { (sev) }
                span { (f.title) }
                span class="fid" { (f.id) }
            }
            "\n"
            dl class="kv" {
                @if !f.observed.is_empty() { dt { "Observed" } dd { (f.observed) } }
                @if !f.why.is_empty() { dt { "Why" } dd { (f.why) } }
            }
            "\n"
            @if !f.evidence.is_empty() {
                div class="meta" { "Evidence" }
                (evidence::block(f))
                "\n"
            }
            @if !f.fix.is_empty() {
                div class="meta" { "Fix" }
                ol class="fix" {
                    "\n"
                    @for s in &f.fix {
                        li {
                            @for m in step_marks(s) {
                                span class={ "tag " (if m == "last resort" { "last" } else { "host" }) } { (m) }
                            }
                            (s.text)
                            @if let Some(c) = &s.command {
                                pre class="cmd" { (c) }
                            }
                        }
                        "\n"
                    }
                }
                "\n"
            }
            div class="meta" {
                "Confidence: " (conf)
                @for r in &f.references {
                    " · "
                    @match reference_url(r) {
                        Some(u) => a href=(u) { (r) },
                        None => (r),
                    }
                }
            }
            "\n"
        }
        "\n"
    }
}
