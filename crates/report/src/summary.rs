//! The verdict and the summary every format leads with: one sentence a reader gets at a glance
//! ("2 errors, 1 warning — …" or "No problems found in what was read …"), and the counts behind
//! it, which the JSON report carries as its `summary` block.

use crate::needs::fold;
use crate::util::{plural, severity_word};
use crate::{counts, ordered};
use hnsdoctor_findings::{Report, Severity};
use serde::Serialize;

/// How many finding titles the verdict names before "and N more".
const VERDICT_TITLES: usize = 2;

/// The verdict: "2 errors, 1 warning — Title A; Title B and 1 more" when there is
/// something to fix, otherwise "No problems found in what was read — 30 checks passed, 12 not
/// evaluated for lack of input" (info findings alone are not problems; they are counted).
#[must_use]
pub fn verdict(report: &Report) -> String {
    let (e, w, i) = counts(report);
    let passed = plural(report.passed.len(), "check passed", "checks passed");
    let ne = report.not_evaluated.len();
    if e + w > 0 {
        let mut head = Vec::new();
        if e > 0 {
            head.push(plural(e, "error", "errors"));
        }
        if w > 0 {
            head.push(plural(w, "warning", "warnings"));
        }
        if i > 0 {
            head.push(format!("{i} info"));
        }
        // each title once: two findings of one rule often share it
        let mut serious: Vec<&str> = Vec::new();
        for f in ordered(report) {
            if f.severity >= Severity::Warning && !serious.contains(&f.title.as_str()) {
                serious.push(f.title.as_str());
            }
        }
        let mut titles = serious
            .iter()
            .take(VERDICT_TITLES)
            .copied()
            .collect::<Vec<_>>()
            .join("; ");
        if serious.len() > VERDICT_TITLES {
            titles.push_str(&format!(" and {} more", serious.len() - VERDICT_TITLES));
        }
        return format!("{} — {titles}", head.join(", "));
    }
    let mut s = String::from("No problems found in what was read");
    if i > 0 {
        s.push_str(&format!(
            " ({} worth knowing)",
            plural(i, "info note", "info notes")
        ));
    }
    if ne > 0 {
        s.push_str(&format!(
            " — {passed}, {ne} not evaluated for lack of input"
        ));
    } else {
        s.push_str(&format!(" — {passed}"));
    }
    s
}

/// One group of the not-evaluated rules (see [`crate::needs`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedGroup {
    /// "22 checks need the OS build: add `cmd /c ver` or `systeminfo` output".
    pub text: String,
    /// The rule ids in the group, sorted.
    pub ids: Vec<String>,
}

/// The `summary` block of the JSON report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// [`verdict`].
    pub verdict: String,
    /// Highest severity found: `error`, `warning`, `info`, or null when nothing was found.
    pub worst: Option<&'static str>,
    /// Number of error findings.
    pub errors: usize,
    /// Number of warning findings.
    pub warnings: usize,
    /// Number of info findings.
    pub info: usize,
    /// Number of rules that ran and found nothing.
    pub passed: usize,
    /// Number of rules that could not run for lack of input.
    pub not_evaluated: usize,
    /// The not-evaluated rules grouped by the input they need, biggest group first.
    pub not_evaluated_by_need: Vec<NeedGroup>,
}

/// The summary of a report.
#[must_use]
pub fn summary(report: &Report) -> Summary {
    let (errors, warnings, info) = counts(report);
    Summary {
        verdict: verdict(report),
        worst: report.worst().map(severity_word),
        errors,
        warnings,
        info,
        passed: report.passed.len(),
        not_evaluated: report.not_evaluated.len(),
        not_evaluated_by_need: fold(report)
            .into_iter()
            .map(|g| NeedGroup {
                text: g.sentence(),
                ids: g.ids,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixture::{empty_report, sample_report};

    #[test]
    fn verdict_names_counts_and_titles() {
        let r = sample_report();
        let v = verdict(&r);
        assert!(v.starts_with("2 errors, 1 warning, 1 info — "), "{v}");
        assert!(v.ends_with(" and 1 more"), "{v}");
        let mut many = r.clone();
        for k in 0..3 {
            let mut f = many.findings[0].clone();
            f.id = format!("extra-{k}");
            many.findings.push(f);
        }
        assert!(
            verdict(&many).ends_with(" and 1 more"),
            "same titles once: {}",
            verdict(&many)
        );
        for (k, f) in many.findings.iter_mut().enumerate() {
            f.title = format!("T{k}");
        }
        assert!(
            verdict(&many).ends_with(" and 4 more"),
            "{}",
            verdict(&many)
        );
    }

    #[test]
    fn healthy_verdict_says_no_problems() {
        let mut r = sample_report();
        r.findings.retain(|f| f.severity == Severity::Info);
        let v = verdict(&r);
        assert!(
            v.starts_with("No problems found in what was read (1 info note worth knowing) — 5 checks passed, 3 not evaluated"),
            "{v}"
        );
        let v = verdict(&empty_report());
        assert!(
            v.starts_with("No problems found in what was read — "),
            "{v}"
        );
    }

    #[test]
    fn summary_counts() {
        let s = summary(&sample_report());
        assert_eq!((s.errors, s.warnings, s.info), (2, 1, 1));
        assert_eq!(s.worst, Some("error"));
        assert_eq!(s.not_evaluated, 3);
        let grouped: usize = s.not_evaluated_by_need.iter().map(|g| g.ids.len()).sum();
        assert_eq!(grouped, 3, "every not-evaluated rule is in one group");
    }
}
