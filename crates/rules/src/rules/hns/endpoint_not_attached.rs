//! `endpoint-not-attached` — a local endpoint is not in the attached state.
//!
//! # What it finds
//! Local (non-remote) HNS endpoints whose v1 `State` is not 3 (AttachedSharing), e.g. 1 Created,
//! 4 Detached, 5 Degraded, 6 Destroyed. Remote endpoints are skipped: they are never attached.
//! An endpoint whose remote flag is not shown is treated as local only when it has a namespace
//! or compartment (otherwise it is skipped, so kube-proxy's remote endpoints never count).
//!
//! # Why it matters
//! A pod whose endpoint is not attached has no working network path: its traffic is dropped.
//!
//! # Evidence used
//! HNS endpoints read through the v1 schema (`State`, `IsRemoteEndpoint`): facts
//! `hns-endpoints` and `hns-endpoint-state`. HCN v2 output without `State` is not enough.
//!
//! # Fix
//! From the knowledge base entry `endpoint-not-attached` (delete and recreate the pod).
//!
//! # Applies to
//! All builds.
//!
//! # References
//! WCN networkhealth `EndpointStateTest`; domain facts §2.2 L11, §4.3.

use crate::rules::prelude::*;

/// The rule.
pub struct EndpointNotAttached;

impl Rule for EndpointNotAttached {
    fn id(&self) -> &'static str {
        "endpoint-not-attached"
    }
    fn title(&self) -> &'static str {
        "Local endpoint not attached"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsEndpoints, Fact::HnsEndpointState]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        for ep in &ctx.model.hns.endpoints {
            let local = match ep.remote() {
                Some(r) => !r,
                None => ep.namespace_id.is_some() || ep.compartment_id.is_some(),
            };
            let Some(state) = ep.state else { continue };
            if !local || state == endpoint_state::ATTACHED_SHARING {
                continue;
            }
            let name = ep.name.as_deref().unwrap_or("(unnamed)");
            ctx.finding(
                self,
                format!(
                    "Local endpoint {} ({name}, IP {}) is in state {state} ({}), expected 3 (AttachedSharing).",
                    ep.id,
                    list(&ep.ips, 2),
                    endpoint_state::name(state)
                ),
            )
            .why("A pod endpoint that is not attached to its container's compartment carries no traffic: the pod is cut off.")
            .evidence(&ep.prov)
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(eps: Vec<Endpoint>) -> HostModel {
        let mut m = model(&[Fact::HnsEndpoints, Fact::HnsEndpointState]);
        m.hns.endpoints = eps;
        m
    }

    #[test]
    fn fires_on_detached_local_endpoint() {
        let f = findings(
            &EndpointNotAttached,
            &m(vec![local_ep("a", "10.244.1.5", Some(4))]),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("Detached"), "{}", f[0].observed);
        assert!(f[0].observed.contains("10.244.1.5"));
        assert_eq!(f[0].evidence[0].source, "hns/endpoints.json");
    }

    #[test]
    fn quiet_on_attached_and_remote() {
        let mut r = remote_ep("b", "10.244.2.5");
        r.state = Some(1);
        let f = findings(
            &EndpointNotAttached,
            &m(vec![local_ep("a", "10.244.1.5", Some(3)), r]),
        );
        assert!(f.is_empty());
    }

    #[test]
    fn not_evaluated_without_v1_state() {
        let mut mm = model(&[Fact::HnsEndpoints]);
        mm.hns.endpoints.push(local_ep("a", "10.244.1.5", None));
        assert_eq!(
            missing(&EndpointNotAttached, &mm),
            vec![Fact::HnsEndpointState]
        );
    }
}
