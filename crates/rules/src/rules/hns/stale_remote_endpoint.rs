//! `stale-remote-endpoint` — remote endpoints no load balancer uses, or holding a local IP.
//!
//! # What it finds
//! (a) Remote endpoints whose IP is the IP of no load-balancer backend (and not a VIP or source
//! VIP kube-proxy creates remote endpoints for on overlay); (b) remote endpoints whose IP is
//! also the IP of a local endpoint — the pod moved to this node but the remote copy stayed.
//!
//! # Why it matters
//! (b) breaks traffic to the local pod: VFP may send it to the old node. (a) is leaked state
//! that grows until HNS operations slow down and addresses collide.
//!
//! # Evidence used
//! HNS endpoints (`hns-endpoints`, with the remote flag) and load balancers
//! (`hns-load-balancers`).
//!
//! # Fix
//! From the knowledge base entry `stale-remote-endpoint`.
//!
//! # Applies to
//! All builds; most often overlay clusters.
//!
//! # References
//! WCN networkhealth `StaleRemoteEndpoints`; domain facts §2.2 L9.

use crate::rules::prelude::*;

/// The rule.
pub struct StaleRemoteEndpoint;

impl Rule for StaleRemoteEndpoint {
    fn id(&self) -> &'static str {
        "stale-remote-endpoint"
    }
    fn title(&self) -> &'static str {
        "Stale remote endpoint"
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
        let mut unused = Vec::new();
        for (i, ep) in hns
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| e.remote() == Some(true))
        {
            let addrs = ix.endpoint_addrs(i);
            // the first local endpoint (model order) sharing an address with this one
            let local = addrs
                .iter()
                .filter_map(|a| {
                    ix.endpoints_with_addr(a)
                        .iter()
                        .copied()
                        .find(|&l| hns.endpoints[l].remote() == Some(false))
                })
                .min()
                .map(|l| &hns.endpoints[l]);
            if let Some(local) = local {
                ctx.finding(
                    self,
                    format!(
                        "Remote endpoint {} holds IP {}, which local endpoint {} also has.",
                        ep.id,
                        list(&ep.ips, 2),
                        local.id
                    ),
                )
                .severity(Severity::Error)
                .why("Two endpoints with the same IP: traffic for the local pod can be sent to the remote copy, i.e. to the node the pod used to run on.")
                .evidence(&ep.prov)
                .evidence(&local.prov)
                .targets([&ep.id])
                .push(out);
                continue;
            }
            let used = addrs
                .iter()
                .any(|a| ix.is_backend_addr(a) || ix.is_vip_addr(a));
            if !used {
                unused.push(ep);
            }
        }
        if !unused.is_empty() {
            let ips: Vec<String> = unused.iter().map(|e| list(&e.ips, 1)).collect();
            ctx.finding(
                self,
                format!(
                    "{} used by no load balancer: {}.",
                    if unused.len() == 1 {
                        "1 remote endpoint is".to_string()
                    } else {
                        format!("{} remote endpoints are", unused.len())
                    },
                    list(&ips, 10)
                ),
            )
            .why("Remote endpoints exist only to be load-balancer backends; unused ones are leftovers of deleted pods or services and pile up in HNS.")
            .evidence_all(unused.iter().map(|e| &e.prov))
            .targets(unused.iter().map(|e| &e.id))
            .assumes_complete(ctx.model, &[Fact::HnsLoadBalancers])
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn base() -> HostModel {
        let mut m = model(&[Fact::HnsEndpoints, Fact::HnsLoadBalancers]);
        m.hns.endpoints = vec![
            local_ep("L1", "10.244.1.5", Some(3)),
            remote_ep("R1", "10.244.2.7"),
        ];
        m.hns.load_balancers = vec![lb("LB1", &["10.96.0.50"], &["L1", "R1"], 6, 80, false)];
        m
    }

    #[test]
    fn fires_on_unused_and_duplicate_ip() {
        let mut m = base();
        m.hns.endpoints.push(remote_ep("R2", "10.244.9.9"));
        m.hns.endpoints.push(remote_ep("R3", "10.244.1.5"));
        let f = findings(&StaleRemoteEndpoint, &m);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f
            .iter()
            .any(|f| f.severity == Severity::Error && f.observed.contains("10.244.1.5")));
        assert!(f
            .iter()
            .any(|f| f.observed.contains("10.244.9.9")
                && f.observed.starts_with("1 remote endpoint is")));
        // `hnsdoctor fix` removes exactly the named objects: the deletion step carries them.
        let targets: Vec<&Vec<String>> = f
            .iter()
            .flat_map(|f| {
                f.fix
                    .iter()
                    .filter(|s| !s.targets.is_empty())
                    .map(|s| &s.targets)
            })
            .collect();
        assert_eq!(
            targets,
            vec![&vec!["R3".to_string()], &vec!["R2".to_string()]],
            "{f:#?}"
        );
    }

    #[test]
    fn quiet_when_every_remote_is_a_backend_or_vip() {
        let mut m = base();
        m.hns.endpoints.push(remote_ep("R4", "10.96.0.50"));
        assert!(findings(&StaleRemoteEndpoint, &m).is_empty());
    }

    #[test]
    fn not_evaluated_without_lbs() {
        let m = model(&[Fact::HnsEndpoints]);
        assert_eq!(
            missing(&StaleRemoteEndpoint, &m),
            vec![Fact::HnsLoadBalancers]
        );
    }
}
