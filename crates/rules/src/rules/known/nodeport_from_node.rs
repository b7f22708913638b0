//! `nodeport-from-node` — NodePort not reachable from the Windows node itself (WS2019).
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! Connecting to a NodePort from the node itself fails on these builds.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `nodeport-from-node`.
//!
//! # Applies to
//! 17763 < .1432 (KB4571748).
//!
//! # References
//! Domain facts §2.2 L5.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "nodeport-from-node",
    title: "NodePort not reachable from the Windows node itself (WS2019)",
    severity: Severity::Info,
    refine: Refine::None,
    needs: &[],
    why: "Connecting to a NodePort from the node itself fails on these builds.",
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
        let f = findings(&RULE, &host(17763, 1000));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("17763.1000"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(17763, 1432)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
