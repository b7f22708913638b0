//! `ws2022-dsr-l2bridge` — WS2022: l2bridge pod-to-pod breaks with DSR.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue, refined by the data (see Applies to).
//!
//! # Why it matters
//! On WS2022 from KB5005619, l2bridge pod-to-pod traffic breaks when DSR is on (the overlay NodePort issue is a separate entry, `ws2022-overlay-nodeport`).
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`, and HnsNetworks, HnsLoadBalancers.
//!
//! # Fix
//! From the knowledge base entry `ws2022-dsr-l2bridge`.
//!
//! # Applies to
//! 20348.261 onwards (no fixing update identified); only with an l2bridge network and DSR load
//! balancers.
//!
//! # References
//! Domain facts §2.2 L15; kubernetes/website#31759.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};
use hnsdoctor_model::Fact;

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "ws2022-dsr-l2bridge",
    title: "WS2022: l2bridge pod-to-pod breaks with DSR",
    severity: Severity::Warning,
    refine: Refine::L2BridgeWithDsr,
    needs: &[Fact::HnsNetworks, Fact::HnsLoadBalancers],
    why: "On WS2022 from KB5005619, l2bridge pod-to-pod traffic breaks when DSR is on.",
};

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
