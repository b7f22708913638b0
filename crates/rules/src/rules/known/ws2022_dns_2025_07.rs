//! `ws2022-dns-2025-07` — WS2022 July 2025 update: Docker containers cannot resolve names.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! Docker containers on this update cannot resolve names.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `ws2022-dns-2025-07`.
//!
//! # Applies to
//! 20348.3932 onwards (fix unknown).
//!
//! # References
//! Domain facts §2.2 L17; microsoft/Windows-Containers#606.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "ws2022-dns-2025-07",
    title: "WS2022 July 2025 update: Docker containers cannot resolve names",
    severity: Severity::Warning,
    refine: Refine::None,
    needs: &[],
    why: "Docker containers on this update cannot resolve names.",
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
        let f = findings(&RULE, &host(20348, 3932));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("20348.3932"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(20348, 3000)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
