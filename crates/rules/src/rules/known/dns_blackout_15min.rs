//! `dns-blackout-15min` — 15-minute DNS blackout (pre-1803).
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! Name resolution from containers fails for about 15 minutes at a time on these builds; lookups that fail now succeed later.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `dns-blackout-15min`.
//!
//! # Applies to
//! 14393 < .2068, 15063 < .909, 16299 < .248.
//!
//! # References
//! Domain facts §2.1 K1.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "dns-blackout-15min",
    title: "15-minute DNS blackout (pre-1803)",
    severity: Severity::Info,
    refine: Refine::None,
    needs: &[],
    why: "Name resolution from containers fails for about 15 minutes at a time on these builds; lookups that fail now succeed later.",
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
        let f = findings(&RULE, &host(16299, 100));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("16299.100"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(16299, 248)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
