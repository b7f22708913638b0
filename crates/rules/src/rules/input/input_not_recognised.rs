//! `input-not-recognised` — nothing in the input could be diagnosed.
//!
//! # What it finds
//! An input (paste, file, folder) from which no parser took any evidence: no command output of a
//! known shape, no log line, no error code or error message. Said as an `info` finding, never as
//! a refusal, so a person who pasted the wrong thing learns what to paste instead.
//!
//! # Why it matters
//! "No findings" on such an input would read as "healthy"; it only means "not shown".
//!
//! # Evidence used
//! The input summaries (what was read, how many lines were not recognised); no facts.
//!
//! # Fix
//! From the knowledge base entry `input-not-recognised`: what to run and paste instead.
//!
//! # Applies to
//! Every input.
//!
//! # References
//! Issue #8 (real-world input).

use crate::rules::prelude::*;

/// The rule.
pub struct InputNotRecognised;

impl Rule for InputNotRecognised {
    fn id(&self) -> &'static str {
        "input-not-recognised"
    }
    fn title(&self) -> &'static str {
        "Nothing in the input could be diagnosed"
    }
    fn severity(&self) -> Severity {
        Severity::Info
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let read_something = !m.facts.is_empty()
            || !m.log_events.is_empty()
            || !m.event_records.is_empty()
            || m.inputs.iter().any(|s| s.objects > 0);
        if read_something || m.inputs.is_empty() {
            return;
        }
        let lines: usize = m.inputs.iter().map(|s| s.skipped_count).sum();
        let refused = m.inputs.iter().filter(|s| s.refused.is_some()).count();
        let mut observed = format!(
            "{} read: {} not recognised as any command output, log line or error message",
            plural(m.inputs.len(), "source"),
            plural(lines, "line"),
        );
        if refused > 0 {
            observed.push_str(&format!(", {} refused", plural(refused, "source")));
        }
        observed.push_str(
            ". Nothing is known about the host from it: this is \"not shown\", not \"healthy\".",
        );
        let evidence: Vec<Prov> = m
            .inputs
            .iter()
            .filter_map(|s| {
                s.skipped
                    .first()
                    .map(|k| Prov::quoted(&s.source, k.line, &k.reason))
            })
            .take(3)
            .collect();
        ctx.finding(self, observed)
            .why("Without evidence no rule can run; the advice below says what output hnsdoctor reads.")
            .confidence(Confidence::High)
            .evidence_all(evidence.iter())
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_on_prose_only() {
        let mut m = model(&[]);
        m.inputs.push(InputSummary {
            source: "paste".into(),
            format: "unknown".into(),
            skipped: vec![SkippedLine {
                line: 1,
                reason: "not recognised as any known format: \"hello\"".into(),
            }],
            skipped_count: 4,
            ..InputSummary::default()
        });
        let f = findings(&InputNotRecognised, &m);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0].observed.contains("4 lines"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].line, 1);
    }

    #[test]
    fn quiet_when_anything_was_read() {
        let mut m = model(&[Fact::OsBuild]);
        m.inputs.push(InputSummary {
            source: "winver.txt".into(),
            ..InputSummary::default()
        });
        assert!(findings(&InputNotRecognised, &m).is_empty());
        // a log line alone is something
        let mut m = model(&[]);
        m.inputs.push(InputSummary::default());
        m.log_events.push(log(Component::Unknown, "x failed", &[]));
        assert!(findings(&InputNotRecognised, &m).is_empty());
        // no input at all: nothing to say (the binary refuses empty input itself)
        assert!(findings(&InputNotRecognised, &model(&[])).is_empty());
    }
}
