//! `vfp-decap-regression` — WS2019 2020-08/09 updates drop the VFP DECAP layer on HNS restart.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue, refined by the data (see Applies to).
//!
//! # Why it matters
//! After an HNS restart or reboot pod-to-service traffic fails on these updates because a VFP layer is dropped.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `vfp-decap-regression`.
//!
//! # Applies to
//! 17763.1432 up to before 17763.1554.
//!
//! # References
//! Domain facts §2.2 L7; microsoft/Windows-Containers#61.

use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refine};

/// The rule.
pub const RULE: KnownIssue = KnownIssue {
    id: "vfp-decap-regression",
    title: "WS2019 2020-08/09 updates drop the VFP DECAP layer on HNS restart",
    severity: Severity::Warning,
    refine: Refine::DecapLayer,
    needs: &[],
    why: "After an HNS restart or reboot pod-to-service traffic fails on these updates because a VFP layer is dropped.",
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
        let f = findings(&RULE, &host(17763, 1457));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("17763.1457"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(17763, 1554)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert!(missing(&RULE, &model(&[])).contains(&Fact::OsBuild));
    }

    #[test]
    fn missing_decap_layer_is_an_error() {
        let mut m = host(17763, 1457);
        m.mark(Fact::VfpRules);
        m.vfp.ports.push(VfpPort {
            name: "P1".into(),
            layers: vec![VfpLayer {
                name: "SLB_NAT_LAYER".into(),
                groups: vec![],
            }],
            prov: prov("vfp/layers.txt", 3, "P1"),
            ..VfpPort::default()
        });
        let f = findings(&RULE, &m);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].observed.contains("lack the DECAP layer"),
            "{}",
            f[0].observed
        );
        m.vfp.ports[0].layers.push(VfpLayer {
            name: "DECAP_IN".into(),
            groups: vec![],
        });
        assert_eq!(findings(&RULE, &m)[0].severity, Severity::Warning);
    }
}
