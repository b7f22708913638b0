//! `outbound-lost-after-restart` — Container outbound connectivity lost after a node restart (1709).
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! After a restart, surviving policy lists and networks block outbound container traffic until they are removed and recreated.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `outbound-lost-after-restart`.
//!
//! # Applies to
//! 16299 (1709).
//!
//! # References
//! Domain facts §2.1 K6.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "outbound-lost-after-restart",
    title: "Container outbound connectivity lost after a node restart (1709)",
    severity: Severity::Warning,
    refine: Refine::None,
    needs: &[],
    why: "After a restart, surviving policy lists and networks block outbound container traffic until they are removed and recreated.",
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
        let f = findings(&RULE, &host(16299, 402));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("16299.402"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(17134, 1)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
