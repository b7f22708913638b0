//! The evidence block of a finding: one `file:line` location per line (padded to a column),
//! then the quoted text, and a "… more" line when the list was cut.

use crate::util::{more_evidence, shown_evidence};
use hnsdoctor_rules::Finding;
use maud::{html, Markup};

/// `<pre class="evidence">` with the shown evidence lines.
pub(super) fn block(f: &Finding) -> Markup {
    let (shown, more) = shown_evidence(f);
    let locs: Vec<String> = shown.iter().map(ToString::to_string).collect();
    let pad = locs.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    html! {
        pre class="evidence" {
            @for (i, (e, loc)) in shown.iter().zip(&locs).enumerate() {
                @if i > 0 { "\n" }
                span class="loc" { (loc) }
                (" ".repeat(pad.saturating_sub(loc.chars().count())))
                @if let Some(t) = &e.text { "  " (t) }
            }
            @if more > 0 { "\n" (more_evidence(more)) }
        }
    }
}
