//! `overlay-hotfix-missing` — a known issue from the knowledge base, refined by the data.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue, refined by the data (see Applies to).
//!
//! # Why it matters
//! The knowledge base entry `overlay-hotfix-missing` (`[entry.finding]` why, symptom and cause).
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`, and HnsNetworks.
//!
//! # Fix
//! From the knowledge base entry `overlay-hotfix-missing`.
//!
//! # Applies to
//! The builds and UBR ranges of the entry's `[[entry.affected]]`; only when an Overlay network exists.
//!
//! # References
//! Domain facts §2.2 L18.

use crate::engine::Ctx;
use crate::known_issue::{KnownIssue, Refinement};
use hnsdoctor_model::Fact;

/// The rule: the KB's build match, when the host has an overlay network.
pub const RULE: KnownIssue = KnownIssue::refined(
    "overlay-hotfix-missing",
    &[Fact::HnsNetworks],
    overlay_network,
);

/// The condition: an Overlay network exists.
fn overlay_network(ctx: &Ctx<'_>) -> Option<Refinement> {
    let n = ctx
        .model
        .hns
        .networks
        .iter()
        .find(|n| n.net_type.eq_ignore_ascii_case("overlay"))?;
    Some(Refinement {
        note: format!(" The host has overlay network '{}'.", n.name),
        evidence: vec![n.prov.clone()],
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
        m.hns.networks.push(network("N", "vxlan0", "Overlay"));
        m
    }

    #[test]
    fn fires_on_affected_build() {
        let f = findings(&RULE, &host(17763, 300));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("17763.300"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(17763, 379)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }

    #[test]
    fn quiet_without_the_network_condition() {
        let mut m = host(17763, 300);
        m.mark(Fact::HnsNetworks);
        m.mark(Fact::HnsLoadBalancers);
        m.hns.networks = vec![network("N", "nat", "NAT")];
        m.hns.load_balancers.clear();
        assert!(findings(&RULE, &m).is_empty());
    }
}
