//! `hns-crash` — HNS terminated unexpectedly within the time window examined.
//!
//! # What it finds
//! System-log records from the Service Control Manager saying "The Host Network Service
//! terminated unexpectedly" (event 7031/7034) dated within `--window-hours` (default 24) before
//! the reference time (`--now`, else the bundle's `collected_at`, else the newest time in the
//! data). Older crashes are mentioned only when recent ones exist; records without a usable
//! time are reported with low confidence.
//!
//! # Why it matters
//! When HNS restarts, endpoints and load balancers are rehydrated or lost; kube-proxy and the CNI
//! see failures (0xb7 "already exists", missing VFP layers on some builds), pods lose networking.
//!
//! # Evidence used
//! System event log (`system-event-log`). Unlike WCN networkhealth — whose crash test never
//! passed and had no time window — this passes when no crash lies in the window.
//!
//! # Fix
//! From the knowledge base entry `hns-crash`.
//!
//! # Applies to
//! All builds (repeated crashes on 2004 were fixed by its 2020-09 update).
//!
//! # References
//! WCN networkhealth `HNSCrash`; domain facts §2.2 L8.

use crate::rules::prelude::*;
use chrono::Duration;

/// The rule.
pub struct HnsCrash;

/// Whether an event record reports an HNS crash.
#[must_use]
pub fn is_hns_crash(e: &EventRecord) -> bool {
    let scm = e
        .provider
        .as_deref()
        .is_none_or(|p| contains_ci(p, "Service Control Manager"));
    // SCM 7031/7034 read "The Host Network Service service terminated unexpectedly. It has done
    // this N time(s)…": match the service name and the verb separately.
    scm && contains_ci(&e.message, "Host Network Service")
        && contains_ci(&e.message, "terminated unexpectedly")
}

impl Rule for HnsCrash {
    fn id(&self) -> &'static str {
        "hns-crash"
    }
    fn title(&self) -> &'static str {
        "HNS crashed recently"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::SystemEventLog]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let crashes: Vec<&EventRecord> = ctx
            .model
            .event_records
            .iter()
            .filter(|e| is_hns_crash(e))
            .collect();
        if crashes.is_empty() {
            return;
        }
        let hours = ctx.opts.window_hours.max(1);
        let now = ctx.now();
        let mut recent = Vec::new();
        let mut undated = Vec::new();
        for e in &crashes {
            match (e.time.as_deref().and_then(crate::engine::parse_time), now) {
                (Some(t), Some(now)) => {
                    if t <= now && now - t <= Duration::hours(i64::from(hours)) {
                        recent.push(*e);
                    }
                }
                _ => undated.push(*e),
            }
        }
        if !recent.is_empty() {
            let last = recent
                .iter()
                .filter_map(|e| e.time.as_deref())
                .max()
                .unwrap_or("?");
            ctx.finding(
                self,
                format!(
                    "HNS terminated unexpectedly {} in the {hours} h before {} (last at {last}); {} in all.",
                    if recent.len() == 1 { "once".to_string() } else { format!("{} times", recent.len()) },
                    now.map(|n| n.to_rfc3339()).unwrap_or_default(),
                    plural(crashes.len(), "crash record")
                ),
            )
            .why("Each HNS crash drops or rehydrates endpoints and load balancers; pods lose connectivity and kube-proxy/CNI calls fail until state is rebuilt.")
            .evidence_all(recent.iter().take(5).map(|e| &e.prov))
            .push(out);
        } else if !undated.is_empty() {
            ctx.finding(
                self,
                format!(
                    "{} without a usable time (or no reference time): cannot tell whether {} in the {hours} h window.",
                    plural(undated.len(), "HNS crash record"),
                    if undated.len() == 1 { "it falls" } else { "they fall" }
                ),
            )
            .severity(Severity::Warning)
            .confidence(Confidence::Low)
            .why("An HNS crash drops or rehydrates endpoints and load balancers; whether this one is current cannot be told from the data.")
            .evidence_all(undated.iter().take(5).map(|e| &e.prov))
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn crash(time: Option<&str>) -> EventRecord {
        EventRecord {
            channel: "System".into(),
            provider: Some("Service Control Manager".into()),
            event_id: 7031,
            level: Some(2),
            time: time.map(str::to_string),
            // SCM's real wording repeats "service" after the display name.
            message: "The Host Network Service service terminated unexpectedly.  It has done this 1 time(s)."
                .into(),
            prov: prov(
                "events/system.txt",
                12,
                "The Host Network Service terminated unexpectedly.",
            ),
        }
    }

    fn m(events: Vec<EventRecord>) -> HostModel {
        let mut m = model(&[Fact::SystemEventLog]);
        m.collected_at = Some("2024-05-02T12:00:00Z".into());
        m.event_records = events;
        m
    }

    #[test]
    fn matches_scm_wording_but_not_other_services() {
        assert!(is_hns_crash(&crash(None)));
        let mut other = crash(None);
        other.message = "The Windows Update service terminated unexpectedly.".into();
        assert!(!is_hns_crash(&other));
        let mut stopped = crash(None);
        stopped.message = "The Host Network Service service entered the stopped state.".into();
        assert!(!is_hns_crash(&stopped));
    }

    #[test]
    fn fires_within_window() {
        let f = findings(&HnsCrash, &m(vec![crash(Some("2024-05-02T08:00:00Z"))]));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].observed.contains("once"));
        assert!(
            f[0].observed.ends_with("; 1 crash record in all."),
            "{}",
            f[0].observed
        );
        let two = m(vec![
            crash(Some("2024-05-02T08:00:00Z")),
            crash(Some("2024-05-02T09:00:00Z")),
        ]);
        let f = findings(&HnsCrash, &two);
        assert!(
            f[0].observed.ends_with("; 2 crash records in all."),
            "{}",
            f[0].observed
        );
    }

    /// networkhealth defect: its crash test could never pass and had no window. Ours passes
    /// when the only crash is older than the window, and honours `window_hours`.
    #[test]
    fn passes_outside_window_and_window_is_respected() {
        let old = m(vec![crash(Some("2024-04-20T08:00:00Z"))]);
        let r = run_one(&HnsCrash, &old, &Options::default());
        assert_eq!(r.passed, vec!["hns-crash".to_string()]);
        let wide = Options {
            window_hours: 24 * 30,
            ..Options::default()
        };
        assert_eq!(findings_with(&HnsCrash, &old, &wide).len(), 1);
        assert!(findings(&HnsCrash, &m(vec![])).is_empty());
    }

    #[test]
    fn undated_is_low_confidence() {
        let mut mm = m(vec![crash(None)]);
        mm.collected_at = None;
        let f = findings(&HnsCrash, &mm);
        assert_eq!(f[0].confidence, Confidence::Low);
        assert!(
            f[0].observed
                .starts_with("1 HNS crash record without a usable time")
                && f[0].observed.contains("whether it falls"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn not_evaluated_without_system_log() {
        assert_eq!(missing(&HnsCrash, &model(&[])), vec![Fact::SystemEventLog]);
    }
}
