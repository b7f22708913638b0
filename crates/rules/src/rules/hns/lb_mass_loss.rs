//! `lb-mass-loss` — the number of HNS load balancers collapses between samples.
//!
//! # What it finds
//! A series of load-balancer counts (a loop printing `hnsdiag list loadbalancers` /
//! `Get-HnsPolicyList` counts) in which one sample is less than half the highest count seen
//! before it, from at least 10 load balancers. It reports the drop (from → to, with times when
//! printed) and whether the count came back.
//!
//! # Why it matters
//! Load balancers are the Services of the node: when most of them vanish at once, Service
//! traffic fails node-wide until kube-proxy re-creates them. Mass loss follows an HNS restart or
//! crash, or kube-proxy deleting "stale" load balancers after losing its state.
//!
//! # Evidence used
//! `lb-count-series` (needed).
//!
//! # Fix
//! From the knowledge base entry `lb-mass-loss`.
//!
//! # Applies to
//! Windows nodes with kube-proxy (winkernel).
//!
//! # References
//! kubernetes/kubernetes#110849; kubernetes/kubernetes#110674.

use crate::rules::prelude::*;

/// The rule.
pub struct LbMassLoss;

/// Smallest peak worth reasoning about.
const MIN_PEAK: u32 = 10;

impl Rule for LbMassLoss {
    fn id(&self) -> &'static str {
        "lb-mass-loss"
    }
    fn title(&self) -> &'static str {
        "HNS load balancers lost en masse"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::LbCountSeries]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let s = &ctx.model.lb_count_samples;
        let mut peak: Option<&CountSample> = None;
        let mut drop: Option<(&CountSample, &CountSample)> = None;
        for x in s {
            if let (Some(p), None) = (peak, drop) {
                if p.count >= MIN_PEAK && u64::from(x.count) * 2 < u64::from(p.count) {
                    drop = Some((p, x));
                }
            }
            if peak.is_none_or(|p| x.count > p.count) {
                peak = Some(x);
            }
        }
        let Some((p, low)) = drop else {
            return;
        };
        let lowest = s
            .iter()
            .skip_while(|x| !std::ptr::eq(*x, low))
            .map(|x| x.count)
            .min()
            .unwrap_or(low.count);
        let last = s.last().map_or(low.count, |l| l.count);
        let at = |x: &CountSample| {
            x.time
                .as_deref()
                .map(|t| format!(" at {t}"))
                .unwrap_or_default()
        };
        let recovered = if u64::from(last) * 5 >= u64::from(p.count) * 4 {
            format!(" The count came back to {last} by the last sample: load balancers were re-created.")
        } else {
            format!(" The last sample is still {last}.")
        };
        ctx.finding(
            self,
            format!(
                "The load-balancer count fell from {}{} to {}{} (lowest {lowest}) over {} samples.{recovered}",
                p.count,
                at(p),
                low.count,
                at(low),
                s.len()
            ),
        )
        .why("Load balancers are the node's Services: when most vanish at once, Service traffic fails node-wide until kube-proxy re-creates them.")
        .evidence(&p.prov)
        .evidence(&low.prov)
        .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn series(counts: &[u32]) -> HostModel {
        let mut m = model(&[Fact::LbCountSeries]);
        m.lb_count_samples = counts
            .iter()
            .enumerate()
            .map(|(i, c)| CountSample {
                time: Some(format!("10:00:{:02}", i * 5)),
                count: *c,
                prov: prov("paste#1", u32::try_from(i).unwrap() + 1, &c.to_string()),
            })
            .collect();
        m
    }

    #[test]
    fn fires_on_collapse_and_says_whether_it_recovered() {
        let f = findings(&LbMassLoss, &series(&[642, 642, 631, 2, 2]));
        assert_eq!(f.len(), 1);
        let o = &f[0].observed;
        assert!(o.contains("from 642 at 10:00:00 to 2 at 10:00:15"), "{o}");
        assert!(o.contains("still 2"), "{o}");
        assert_eq!(f[0].evidence[1].line, 4);
        let f = findings(&LbMassLoss, &series(&[900, 12, 880]));
        assert!(
            f[0].observed.contains("came back to 880"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn quiet_on_small_changes_and_small_numbers() {
        assert!(findings(&LbMassLoss, &series(&[642, 630, 655, 420])).is_empty());
        assert!(findings(&LbMassLoss, &series(&[6, 1, 0])).is_empty());
    }

    #[test]
    fn partial_single_sample_and_not_evaluated() {
        assert!(findings(&LbMassLoss, &series(&[642])).is_empty());
        assert_eq!(missing(&LbMassLoss, &model(&[])), vec![Fact::LbCountSeries]);
    }
}
