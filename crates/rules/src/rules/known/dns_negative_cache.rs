//! `dns-negative-cache` — DNS negative cache after a target node goes away.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! The DNS client keeps a negative answer after a target moved; names fail to resolve until the cache expires.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `dns-negative-cache`.
//!
//! # Applies to
//! 14393, 15063, 16299; 17134 disputed.
//!
//! # References
//! Domain facts §2.1 K5.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "dns-negative-cache",
    title: "DNS negative cache after a target node goes away",
    severity: Severity::Info,
    refine: Refine::None,
    needs: &[],
    why: "The DNS client keeps a negative answer after a target moved; names fail to resolve until the cache expires.",
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
        let f = findings(&RULE, &host(15063, 900));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("15063.900"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(17763, 100)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
