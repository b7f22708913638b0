//! `docker-slow-start-hnsdata` — Docker slow to start after a node restart (1709, HNS.data).
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! Docker takes a long time to start after a restart because of a large HNS.data.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `docker-slow-start-hnsdata`.
//!
//! # Applies to
//! 16299 < .402.
//!
//! # References
//! Domain facts §2.1 K7.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "docker-slow-start-hnsdata",
    title: "Docker slow to start after a node restart (1709, HNS.data)",
    severity: Severity::Info,
    refine: Refine::None,
    needs: &[],
    why: "Docker takes a long time to start after a restart because of a large HNS.data.",
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
        let f = findings(&RULE, &host(16299, 334));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("16299.334"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(16299, 402)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
