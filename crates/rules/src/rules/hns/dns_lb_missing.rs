//! `dns-lb-missing` — no load balancer for the cluster DNS VIP on port 53 (TCP and UDP).
//!
//! # What it finds
//! The cluster DNS service IP (from `--dns-ip`, else kubeclusterconfig.json / kubelet flags in
//! the model) has no load balancer with that VIP and frontend port 53 for TCP, for UDP, or both;
//! the finding names the missing protocol(s).
//!
//! # Why it matters
//! Without the UDP 53 load balancer no pod on the node resolves names; without TCP 53, large
//! answers (truncated UDP) fail.
//!
//! # Evidence used
//! HNS load balancers (`hns-load-balancers`) and the DNS IP. Without a DNS IP the rule is *not
//! evaluated* (missing `kube-context`), never passed.
//!
//! # Fix
//! From the knowledge base entry `dns-lb-missing` (restart kube-proxy).
//!
//! # Applies to
//! Kubernetes nodes, all builds.
//!
//! # References
//! WCN networkhealth `ValidDNSLoadbalancerPolicy`; SDN hnsautomitigator `IsDnsMissing`; domain
//! facts §2.2 L10.

use crate::rules::prelude::*;

/// The rule.
pub struct DnsLbMissing;

impl Rule for DnsLbMissing {
    fn id(&self) -> &'static str {
        "dns-lb-missing"
    }
    fn title(&self) -> &'static str {
        "No load balancer for the cluster DNS VIP"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsLoadBalancers]
    }
    fn unmet(&self, ctx: &Ctx<'_>) -> Vec<Fact> {
        if ctx.dns_ip().is_some() {
            Vec::new()
        } else {
            vec![Fact::KubeContext]
        }
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let Some(dns) = ctx.dns_ip() else { return };
        let lbs: Vec<&LoadBalancer> = ctx
            .index()
            .lbs_with_vip(&crate::Addr::parse(&dns.value))
            .iter()
            .map(|&i| &ctx.model.hns.load_balancers[i])
            .collect();
        let has = |proto: u32| {
            lbs.iter().any(|lb| {
                lb.port_mappings
                    .iter()
                    .any(|p| p.protocol == proto && p.external_port == 53)
            })
        };
        let missing: Vec<&str> = [(protocol::UDP, "UDP"), (protocol::TCP, "TCP")]
            .iter()
            .filter(|(p, _)| !has(*p))
            .map(|(_, n)| *n)
            .collect();
        if missing.is_empty() {
            return;
        }
        let observed = format!(
            "No load balancer for DNS VIP {}:53 over {} ({} load balancers in total, {} with that VIP).",
            dns.value,
            missing.join(" and "),
            ctx.model.hns.load_balancers.len(),
            lbs.len()
        );
        let only_tcp = missing == ["TCP"];
        let mut d = ctx
            .finding(self, observed)
            .why(if only_tcp {
                "UDP DNS works, but answers too large for UDP (retried over TCP) fail."
            } else {
                "Pods on this node send DNS queries to the cluster DNS VIP; without its UDP load balancer every lookup times out."
            })
            .severity(if only_tcp { Severity::Warning } else { Severity::Error })
            .evidence_all(lbs.iter().map(|lb| &lb.prov));
        if let Some(p) = &dns.prov {
            d = d.evidence(p);
        }
        d.assumes_complete(ctx.model, &[Fact::HnsLoadBalancers])
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(lbs: Vec<LoadBalancer>) -> HostModel {
        let mut m = model(&[Fact::HnsLoadBalancers, Fact::KubeContext]);
        m.k8s.dns_ip = Some("10.96.0.10".into());
        m.hns.load_balancers = lbs;
        m
    }

    #[test]
    fn fires_and_names_missing_protocol() {
        let f = findings(
            &DnsLbMissing,
            &m(vec![lb("a", &["10.96.0.10"], &["x"], 6, 53, false)]),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("over UDP ("), "{}", f[0].observed);
        assert_eq!(f[0].severity, Severity::Error);
        let f = findings(&DnsLbMissing, &m(vec![]));
        assert!(f[0].observed.contains("UDP and TCP"));
    }

    #[test]
    fn quiet_with_both() {
        let f = findings(
            &DnsLbMissing,
            &m(vec![
                lb("a", &["10.96.0.10"], &["x"], 6, 53, false),
                lb("b", &["10.96.0.10"], &["x"], 17, 53, false),
            ]),
        );
        assert!(f.is_empty());
    }

    #[test]
    fn dns_ip_from_options_and_not_evaluated_without() {
        let mut mm = m(vec![]);
        mm.k8s.dns_ip = None;
        assert_eq!(missing(&DnsLbMissing, &mm), vec![Fact::KubeContext]);
        let opts = Options {
            dns_ip: Some("10.0.0.10".into()),
            ..Options::default()
        };
        let f = findings_with(&DnsLbMissing, &mm, &opts);
        assert!(f[0].observed.contains("10.0.0.10"));
    }
}
