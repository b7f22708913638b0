//! `ltsc2019-dns-2023-09` — DNS from ltsc2019 containers fails after the September 2023 update.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! Every DNS lookup from containers fails on this update.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `ltsc2019-dns-2023-09`.
//!
//! # Applies to
//! 17763.4851 up to before 17763.4974.
//!
//! # References
//! Domain facts §2.2 L17; microsoft/Windows-Containers#420.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "ltsc2019-dns-2023-09",
    title: "DNS from ltsc2019 containers fails after the September 2023 update",
    severity: Severity::Warning,
    refine: Refine::None,
    needs: &[],
    why: "Every DNS lookup from containers fails on this update.",
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
        let f = findings(&RULE, &host(17763, 4900));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("17763.4900"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(17763, 4974)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
