//! `ws2019-container-dns-loss` — WS2019: DNS requests from containers lost in the host.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! On WS2019 some DNS requests from Windows containers are lost in the host; the only fix offered is moving to WS2022.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `ws2019-container-dns-loss`.
//!
//! # Applies to
//! 17763, all UBRs (no fix).
//!
//! # References
//! Domain facts §2.2 L17; Azure/AKS#2988.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "ws2019-container-dns-loss",
    title: "WS2019: DNS requests from containers lost in the host",
    severity: Severity::Info,
    refine: Refine::None,
    needs: &[],
    why: "On WS2019 some DNS requests from Windows containers are lost in the host; the only fix offered is moving to WS2022.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    #[allow(unused_imports)]
    use hnsdoctor_model::*;

    fn host(build: u32, ubr: u32) -> HostModel {
        os_model(build, Some(ubr))
    }

    #[test]
    fn fires_on_affected_build() {
        let f = findings(&RULE, &host(17763, 5000));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("17763.5000"), "{}", f[0].observed);
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
}
