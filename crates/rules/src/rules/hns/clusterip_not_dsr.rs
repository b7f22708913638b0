//! `clusterip-not-dsr` — DSR is intended but ClusterIP load balancers are not DSR.
//!
//! # What it finds
//! Load balancers whose VIP lies in the service CIDR (ClusterIP services) and that are not DSR,
//! when DSR is intended: kube-proxy runs with `--enable-dsr=true`, or other load balancers on
//! the node are DSR.
//!
//! # Why it matters
//! Each non-DSR load balancer takes a port pool from the dynamic port range; mixed DSR/non-DSR
//! programming means kube-proxy did not apply its configuration consistently, and the node
//! drifts towards port exhaustion (0x803b0013).
//!
//! # Evidence used
//! HNS load balancers (`hns-load-balancers`) with their DSR flag, the service CIDR
//! (`--service-cidr` or the model's Kubernetes context) and kube-proxy's `--enable-dsr`.
//! Without a service CIDR the rule is not evaluated.
//!
//! # Fix
//! From the knowledge base entry `clusterip-not-dsr`.
//!
//! # Applies to
//! WS2019 with DSR support (17763.1432+) and later.
//!
//! # References
//! WCN networkhealth `ClusterIPServiceDSR`; domain facts §2.2 L6, L11.

use crate::rules::prelude::*;

/// The rule.
pub struct ClusterIpNotDsr;

impl Rule for ClusterIpNotDsr {
    fn id(&self) -> &'static str {
        "clusterip-not-dsr"
    }
    fn title(&self) -> &'static str {
        "ClusterIP load balancers not in DSR mode"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsLoadBalancers]
    }
    fn unmet(&self, ctx: &Ctx<'_>) -> Vec<Fact> {
        if ctx.service_cidr().is_some() {
            Vec::new()
        } else {
            vec![Fact::KubeContext]
        }
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let Some(cidr) = ctx.service_cidr() else {
            return;
        };
        let lbs = &ctx.model.hns.load_balancers;
        let flag = ctx.model.k8s.enable_dsr;
        let dsr_lbs = lbs.iter().filter(|l| l.dsr == Some(true)).count();
        let intended = flag == Some(true) || (flag.is_none() && dsr_lbs > 0);
        if !intended {
            return;
        }
        let Some(net) = parse_cidr(&cidr.value) else {
            return;
        };
        let ix = ctx.index();
        let in_cidr = |i: usize| {
            ix.lb_vips(i)
                .iter()
                .any(|a| a.ip().is_some_and(|ip| net.contains(&ip)))
        };
        let clusterip: Vec<usize> = (0..lbs.len()).filter(|&i| in_cidr(i)).collect();
        let bad: Vec<&LoadBalancer> = clusterip
            .iter()
            .map(|&i| &lbs[i])
            .filter(|l| l.dsr == Some(false))
            .collect();
        if bad.is_empty() {
            return;
        }
        let vips: Vec<String> = bad.iter().map(|l| list(&l.vips, 1)).collect();
        let because = if flag == Some(true) {
            "kube-proxy runs with --enable-dsr=true".to_string()
        } else {
            format!("{dsr_lbs} other load balancers on this node are DSR")
        };
        let mut d = ctx
            .finding(
                self,
                format!(
                    "{} of {} ClusterIP load balancers (service CIDR {}) are not DSR although {because}: {}.",
                    bad.len(),
                    clusterip.len(),
                    cidr.value,
                    list(&vips, 8)
                ),
            )
            .why("Every non-DSR load balancer reserves a port pool from the dynamic range; DSR was meant to avoid that, so this node is drifting towards port exhaustion and behaves unlike its peers.")
            .evidence_all(bad.iter().take(10).map(|l| &l.prov));
        if let Some((_, p)) = ctx.model.k8s.prov.iter().find(|(k, _)| k == "enable_dsr") {
            d = d.evidence(p);
        }
        d.push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(enable_dsr: Option<bool>) -> HostModel {
        let mut m = model(&[Fact::HnsLoadBalancers, Fact::KubeContext]);
        m.k8s.service_cidr = Some("10.96.0.0/12".into());
        m.k8s.enable_dsr = enable_dsr;
        m.hns.load_balancers = vec![
            lb("a", &["10.96.0.20"], &["x"], 6, 80, false),
            lb("b", &["10.240.0.4"], &["x"], 6, 80, false),
        ];
        m
    }

    #[test]
    fn fires_when_dsr_intended() {
        let f = findings(&ClusterIpNotDsr, &m(Some(true)));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed.contains("1 of 1 ClusterIP"),
            "{}",
            f[0].observed
        );
        let mut mm = m(None);
        mm.hns
            .load_balancers
            .push(lb("c", &["10.96.0.30"], &["x"], 6, 80, true));
        assert_eq!(findings(&ClusterIpNotDsr, &mm).len(), 1);
    }

    #[test]
    fn quiet_when_dsr_not_intended() {
        assert!(findings(&ClusterIpNotDsr, &m(Some(false))).is_empty());
        assert!(findings(&ClusterIpNotDsr, &m(None)).is_empty());
    }

    #[test]
    fn not_evaluated_without_service_cidr() {
        let mut mm = m(Some(true));
        mm.k8s.service_cidr = None;
        assert_eq!(missing(&ClusterIpNotDsr, &mm), vec![Fact::KubeContext]);
    }
}
