//! `lb-policy-invalid-state` — a load balancer / policy list is not in the applied state.
//!
//! # What it finds
//! v1 policy lists (load balancers) whose `State` is not 2 (applied). v2 load balancers carry no
//! such state and are not judged.
//!
//! # Why it matters
//! A policy list that HNS did not apply programs no VFP rules: the service's VIP or NodePort
//! does not answer on this node.
//!
//! # Evidence used
//! HNS load balancers (`hns-load-balancers`) with their v1 `State`.
//!
//! # Fix
//! From the knowledge base entry `lb-policy-invalid-state` (let kube-proxy recreate the policy).
//!
//! # Applies to
//! All builds with v1 policy lists.
//!
//! # References
//! WCN networkhealth `LoadBalancerPolicyState`; domain facts §2.2 L11.

use crate::rules::prelude::*;

/// The rule.
pub struct LbPolicyInvalidState;

impl Rule for LbPolicyInvalidState {
    fn id(&self) -> &'static str {
        "lb-policy-invalid-state"
    }
    fn title(&self) -> &'static str {
        "Load balancer policy not applied"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsLoadBalancers]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        for lb in &ctx.model.hns.load_balancers {
            let Some(state) = lb.state else { continue };
            if state == 2 {
                continue;
            }
            let ports: Vec<String> = lb
                .port_mappings
                .iter()
                .map(|p| format!("{}/{}", proto_name(p.protocol), p.external_port))
                .collect();
            ctx.finding(
                self,
                format!(
                    "Load balancer {} (VIP {}, {}) is in state {state}, expected 2 (applied).",
                    lb.id,
                    if lb.vips.is_empty() { "none/NodePort".to_string() } else { list(&lb.vips, 3) },
                    list(&ports, 4)
                ),
            )
            .why("HNS did not apply this policy list, so VFP has no rules for the service on this node.")
            .evidence(&lb.prov)
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(state: Option<u32>) -> HostModel {
        let mut m = model(&[Fact::HnsLoadBalancers]);
        let mut l = lb("L1", &["10.96.0.20"], &["a"], 6, 80, false);
        l.state = state;
        m.hns.load_balancers.push(l);
        m
    }

    #[test]
    fn fires_on_state_not_two() {
        let f = findings(&LbPolicyInvalidState, &m(Some(1)));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("state 1"));
        assert!(f[0].observed.contains("10.96.0.20"));
    }

    #[test]
    fn quiet_when_applied_or_v2() {
        assert!(findings(&LbPolicyInvalidState, &m(Some(2))).is_empty());
        assert!(findings(&LbPolicyInvalidState, &m(None)).is_empty());
    }

    #[test]
    fn not_evaluated_without_lbs() {
        assert_eq!(
            missing(&LbPolicyInvalidState, &model(&[])),
            vec![Fact::HnsLoadBalancers]
        );
    }
}
