//! `lb-dangling-endpoint` — a load balancer references an endpoint that no longer exists.
//!
//! # What it finds
//! Backend endpoint IDs of load balancers (v2 `HostComputeEndpoints`, v1 `References`) that
//! match no HNS endpoint. Enabled, unlike WCN networkhealth's copy ("TODO fix").
//!
//! # Why it matters
//! Connections balanced to a backend that is gone fail: a share of requests to the service time
//! out while others work.
//!
//! # Evidence used
//! HNS endpoints (`hns-endpoints`) and load balancers (`hns-load-balancers`).
//!
//! # Fix
//! From the knowledge base entry `lb-dangling-endpoint`.
//!
//! # Applies to
//! All builds.
//!
//! # References
//! WCN networkhealth `LoadBalancerStaleRemoteEndpoints`; domain facts §2.2 L9.

use crate::rules::prelude::*;

/// The rule.
pub struct LbDanglingEndpoint;

impl Rule for LbDanglingEndpoint {
    fn id(&self) -> &'static str {
        "lb-dangling-endpoint"
    }
    fn title(&self) -> &'static str {
        "Load balancer references a missing endpoint"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsEndpoints, Fact::HnsLoadBalancers]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let hns = &ctx.model.hns;
        let ix = ctx.index();
        for (i, lb) in hns.load_balancers.iter().enumerate() {
            let gone: Vec<&String> = ix
                .lb_missing_backends(i)
                .iter()
                .filter_map(|&r| lb.endpoint_ids.get(r))
                .collect();
            if gone.is_empty() {
                continue;
            }
            let vip = if lb.vips.is_empty() {
                "NodePort (no VIP)".to_string()
            } else {
                list(&lb.vips, 3)
            };
            ctx.finding(
                self,
                format!(
                    "Load balancer {} ({vip}) references {} of {} backends that do not exist: {}.",
                    lb.id,
                    gone.len(),
                    lb.endpoint_ids.len(),
                    list(&gone, 5)
                ),
            )
            .why("Flows balanced to a backend that no longer exists are dropped, so some requests to the service fail.")
            .evidence(&lb.prov)
            .targets([&lb.id])
            .assumes_complete(ctx.model, &[Fact::HnsEndpoints])
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(backends: &[&str]) -> HostModel {
        let mut m = model(&[Fact::HnsEndpoints, Fact::HnsLoadBalancers]);
        m.hns.endpoints = vec![local_ep("a1", "10.244.1.5", Some(3))];
        m.hns.load_balancers = vec![lb("LB1", &["10.96.0.50"], backends, 6, 80, false)];
        m
    }

    /// networkhealth shipped this check disabled; ours runs.
    #[test]
    fn fires_on_missing_backend() {
        let f = findings(&LbDanglingEndpoint, &m(&["A1", "dead"]));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("DEAD"));
        assert!(f[0].observed.contains("1 of 2"));
        let t: Vec<&Vec<String>> = f[0]
            .fix
            .iter()
            .map(|s| &s.targets)
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(t, vec![&vec!["LB1".to_string()]]);
    }

    /// A cut-off endpoints file cannot prove an endpoint is gone: confidence drops to low.
    #[test]
    fn partial_endpoint_list_lowers_confidence() {
        let mut model = m(&["A1", "dead"]);
        model.mark_partial(Fact::HnsEndpoints);
        let f = findings(&LbDanglingEndpoint, &model);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].confidence, Confidence::Low);
        assert!(f[0].observed.contains("cut off"), "{}", f[0].observed);
        let full = findings(&LbDanglingEndpoint, &m(&["A1", "dead"]));
        assert_eq!(full[0].confidence, Confidence::High);
    }

    #[test]
    fn quiet_when_backends_exist_case_insensitively() {
        assert!(findings(&LbDanglingEndpoint, &m(&["{a1}"])).is_empty());
    }

    #[test]
    fn not_evaluated_without_endpoints() {
        let m = model(&[Fact::HnsLoadBalancers]);
        assert_eq!(missing(&LbDanglingEndpoint, &m), vec![Fact::HnsEndpoints]);
    }
}
