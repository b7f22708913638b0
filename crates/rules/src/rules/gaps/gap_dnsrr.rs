//! `gap-dnsrr` — DNS round-robin load balancing not supported.
//!
//! # What it finds
//! The knowledge base's platform gap `gap-dnsrr` is open (or of undocumented status, at low
//! confidence) on the host's build.
//!
//! # Why it matters
//! Balancing across pods or services with DNS round-robin is not available to Kubernetes on Windows; service load balancing goes through kube-proxy's VFP load balancers.
//!
//! # Evidence used
//! OS build (`os-build`).
//!
//! # Fix
//! From the knowledge base entry `gap-dnsrr` (workarounds; a newer release where the gap closed).
//!
//! # Applies to
//! Builds where the knowledge base lists the gap as open; see `hnsdoctor kb gaps`.
//!
//! # References
//! Domain facts §3; SDN-DIAG platform-gap list (2018).

use crate::known_issue::PlatformGap;

/// The rule.
pub const RULE: PlatformGap = PlatformGap {
    id: "gap-dnsrr",
    title: "DNS round-robin load balancing not supported",
    why: "Balancing across pods or services with DNS round-robin is not available to Kubernetes on Windows; service load balancing goes through kube-proxy's VFP load balancers.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::testkit::*;
    use hnsdoctor_model::Fact;

    #[test]
    fn reports_per_kb_status_and_is_info() {
        let kb = hnsdoctor_kb::Kb::get();
        let st = kb
            .gaps(Some(17763))
            .into_iter()
            .find(|g| g.entry.id == "gap-dnsrr")
            .map(|g| g.status);
        let f = findings(&RULE, &os_model(17763, Some(1)));
        match st {
            Some(hnsdoctor_kb::GapStatus::Closed) | None => assert!(f.is_empty()),
            Some(_) => {
                assert_eq!(f.len(), 1);
                assert_eq!(f[0].severity, Severity::Info);
                assert!(f[0].observed.contains("Build 17763"));
            }
        }
    }

    #[test]
    fn quiet_where_kb_says_closed() {
        let kb = hnsdoctor_kb::Kb::get();
        let closed = kb
            .gaps(Some(99999))
            .into_iter()
            .find(|g| g.entry.id == "gap-dnsrr")
            .map(|g| g.status);
        let f = findings(&RULE, &os_model(99999, None));
        assert_eq!(
            f.is_empty(),
            matches!(closed, Some(hnsdoctor_kb::GapStatus::Closed) | None)
        );
    }

    #[test]
    fn not_evaluated_without_build() {
        assert_eq!(missing(&RULE, &model(&[])), vec![Fact::OsBuild]);
    }
}
