//! `winnat-port-collision` — Port collisions when WinNAT reserves ports (pre-1803).
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue.
//!
//! # Why it matters
//! WinNAT/Hyper-V reservations can cover ports services or published container ports need; binds and connections fail.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `winnat-port-collision`.
//!
//! # Applies to
//! 14393 < .2068, 15063 < .909, 16299 < .248.
//!
//! # References
//! Domain facts §2.1 K2.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "winnat-port-collision",
    title: "Port collisions when WinNAT reserves ports (pre-1803)",
    severity: Severity::Info,
    refine: Refine::None,
    needs: &[],
    why: "WinNAT/Hyper-V reservations can cover ports services or published container ports need; binds and connections fail.",
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
        let f = findings(&RULE, &host(14393, 1000));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("14393.1000"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(14393, 2068)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }
}
