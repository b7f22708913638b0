//! `hns-deadlock` — HNS thread count above the deadlock threshold.
//!
//! # What it finds
//! The HNS process has more than 200 threads (warning: likely hung) or 1000 or more (error:
//! deadlocked).
//!
//! # Why it matters
//! A deadlocked HNS answers no requests: pods cannot start, kube-proxy cannot program load
//! balancers, and everything waits on timeouts.
//!
//! # Evidence used
//! HNS process vital signs (`hns-process`): thread count.
//!
//! # Fix
//! From the knowledge base entry `hns-deadlock`.
//!
//! # Applies to
//! WS2019 and later (seen mostly on WS2019).
//!
//! # References
//! WCN networkhealth `HNSPotentialDeadlock` (> 200); SDN hnsautomitigator (≥ 200 high, ≥ 1000
//! critical); domain facts §2.2 L8.

use crate::rules::prelude::*;

/// Above this many threads HNS is likely hung.
pub const WARN_THREADS: u32 = 200;
/// From this many threads HNS is deadlocked.
pub const ERROR_THREADS: u32 = 1000;

/// The rule.
pub struct HnsDeadlock;

impl Rule for HnsDeadlock {
    fn id(&self) -> &'static str {
        "hns-deadlock"
    }
    fn title(&self) -> &'static str {
        "HNS thread count suggests a deadlock"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsProcess]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let Some(p) = &ctx.model.hns.process else {
            return;
        };
        let Some(t) = p.threads else { return };
        if t <= WARN_THREADS {
            return;
        }
        let critical = t >= ERROR_THREADS;
        ctx.finding(
            self,
            format!(
                "The HNS process{} has {t} threads (threshold: > {WARN_THREADS} likely hung, ≥ {ERROR_THREADS} deadlocked).",
                p.pid.map(|p| format!(" (PID {p})")).unwrap_or_default()
            ),
        )
        .severity(if critical { Severity::Error } else { Severity::Warning })
        .confidence(if critical { Confidence::High } else { Confidence::Medium })
        .why("Threads pile up in HNS when its calls block on each other; a hung HNS serves no endpoint or load-balancer requests, so pods do not start and services are not programmed.")
        .evidence(&p.prov)
        .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(threads: Option<u32>) -> HostModel {
        let mut m = model(&[Fact::HnsProcess]);
        m.hns.process = Some(ProcessInfo {
            pid: Some(2222),
            threads,
            working_set: None,
            prov: prov("hns/process.txt", 2, "Threads 350"),
        });
        m
    }

    #[test]
    fn fires_with_graded_severity() {
        let f = findings(&HnsDeadlock, &m(Some(350)));
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].observed.contains("350 threads"));
        assert_eq!(
            findings(&HnsDeadlock, &m(Some(1000)))[0].severity,
            Severity::Error
        );
    }

    #[test]
    fn quiet_at_or_below_threshold() {
        assert!(findings(&HnsDeadlock, &m(Some(200))).is_empty());
        assert!(findings(&HnsDeadlock, &m(None)).is_empty());
    }

    #[test]
    fn not_evaluated_without_process() {
        assert_eq!(missing(&HnsDeadlock, &model(&[])), vec![Fact::HnsProcess]);
    }
}
