//! `ws2022-pod-network-regression` — WS2022 July 2024 update breaks pod networking.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! Pods cannot reach external networks or other pods on these updates (Calico / overlay).
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `ws2022-pod-network-regression`.
//!
//! # Applies to
//! 20348.2582 up to before 20348.2762; 20348.2322-2581 disputed.
//!
//! # References
//! Domain facts §2.2 L16; microsoft/Windows-Containers#516.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "ws2022-pod-network-regression",
    title: "WS2022 July 2024 update breaks pod networking",
    severity: Severity::Warning,
    refine: Refine::None,
    needs: &[],
    why: "Pods cannot reach external networks or other pods on these updates (Calico / overlay).",
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
        let f = findings(&RULE, &host(20348, 2600));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("20348.2600"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(20348, 2762)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
