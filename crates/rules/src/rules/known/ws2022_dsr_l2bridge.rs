//! `ws2022-dsr-l2bridge` — a known issue from the knowledge base, refined by the data.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue, refined by the data (see Applies to).
//!
//! # Why it matters
//! The knowledge base entry `ws2022-dsr-l2bridge` (`[entry.finding]` why, symptom and cause).
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`, and HnsNetworks, HnsLoadBalancers.
//!
//! # Fix
//! From the knowledge base entry `ws2022-dsr-l2bridge`.
//!
//! # Applies to
//! The builds and UBR ranges of the entry's `[[entry.affected]]`; only with an l2bridge network and DSR load balancers.
//!
//! # References
//! Domain facts §2.2 L15; kubernetes/website#31759.

use crate::engine::Ctx;
use crate::known_issue::{KnownIssue, Refinement};
use hnsdoctor_model::Fact;

/// The rule: the KB's build match, when an l2bridge network and DSR load balancers exist.
pub const RULE: KnownIssue = KnownIssue::refined(
    "ws2022-dsr-l2bridge",
    &[Fact::HnsNetworks, Fact::HnsLoadBalancers],
    l2bridge_with_dsr,
);

/// The condition: an l2bridge network and at least one DSR load balancer.
fn l2bridge_with_dsr(ctx: &Ctx<'_>) -> Option<Refinement> {
    let m = ctx.model;
    let n = m
        .hns
        .networks
        .iter()
        .find(|n| n.net_type.eq_ignore_ascii_case("l2bridge"))?;
    let dsr: Vec<&hnsdoctor_model::LoadBalancer> = m
        .hns
        .load_balancers
        .iter()
        .filter(|l| l.dsr == Some(true))
        .collect();
    if dsr.is_empty() {
        return None;
    }
    let mut evidence = vec![n.prov.clone()];
    evidence.extend(dsr.iter().take(3).map(|l| l.prov.clone()));
    Some(Refinement {
        note: format!(
            " The host has l2bridge network '{}' and {} DSR load balancers.",
            n.name,
            dsr.len()
        ),
        evidence,
        severity: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    #[allow(unused_imports)]
    use hnsdoctor_model::*;

    fn host(build: u32, ubr: u32) -> HostModel {
        let mut m = os_model(build, Some(ubr));
        m.mark(Fact::HnsNetworks);
        m.mark(Fact::HnsLoadBalancers);
        m.hns.networks.push(network("N", "cbr0", "L2Bridge"));
        m.hns
            .load_balancers
            .push(lb("L", &["10.96.0.20"], &["x"], 6, 80, true));
        m
    }

    #[test]
    fn fires_on_affected_build() {
        let f = findings(&RULE, &host(20348, 300));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("20348.300"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(20348, 100)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }

    #[test]
    fn quiet_without_the_network_condition() {
        let mut m = host(20348, 300);
        m.mark(Fact::HnsNetworks);
        m.mark(Fact::HnsLoadBalancers);
        m.hns.networks = vec![network("N", "nat", "NAT")];
        m.hns.load_balancers.clear();
        assert!(findings(&RULE, &m).is_empty());
    }
}
