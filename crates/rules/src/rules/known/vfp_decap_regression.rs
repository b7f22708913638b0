//! `vfp-decap-regression` — a known issue from the knowledge base, refined by the data.
//!
//! # What it finds
//! The host's build.UBR (and hotfix list) lies in the range the knowledge base lists for this
//! known issue, refined by the data (see Applies to).
//!
//! # Why it matters
//! The knowledge base entry `vfp-decap-regression` (`[entry.finding]` why, symptom and cause).
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is assumed,
//! at low confidence), `hotfixes`.
//!
//! # Fix
//! From the knowledge base entry `vfp-decap-regression`.
//!
//! # Applies to
//! The builds and UBR ranges of the entry's `[[entry.affected]]`; an error when VFP ports with layers lack the DECAP layer (the regression has hit).
//!
//! # References
//! Domain facts §2.2 L7; microsoft/Windows-Containers#61.

use crate::engine::Ctx;
use crate::finding::Severity;
use crate::known_issue::{KnownIssue, Refinement};
use crate::util::list;
use hnsdoctor_model::Fact;

/// The rule: the KB's build match, raised to an error when VFP ports lack the DECAP layer.
pub const RULE: KnownIssue = KnownIssue::refined("vfp-decap-regression", &[], decap_layer);

/// The condition: always holds on an affected build; says whether the DECAP layer is missing.
fn decap_layer(ctx: &Ctx<'_>) -> Option<Refinement> {
    let m = ctx.model;
    if !m.has(Fact::VfpRules) {
        return Some(Refinement {
            note:
                " VFP layers were not in the data, so the missing DECAP layer could not be checked."
                    .into(),
            ..Refinement::default()
        });
    }
    let dumped: Vec<&hnsdoctor_model::VfpPort> = m
        .vfp
        .ports
        .iter()
        .filter(|p| !p.layers.is_empty())
        .collect();
    let without: Vec<&hnsdoctor_model::VfpPort> = dumped
        .iter()
        .copied()
        .filter(|p| {
            !p.layers
                .iter()
                .any(|l| l.name.to_ascii_uppercase().contains("DECAP"))
        })
        .collect();
    if without.is_empty() {
        return Some(Refinement {
            note: format!(" All {} VFP ports with layers have their DECAP layer (not hit yet; an HNS restart may trigger it).", dumped.len()),
            ..Refinement::default()
        });
    }
    let names: Vec<&str> = without.iter().map(|p| p.name.as_str()).collect();
    Some(Refinement {
        note: format!(
            " {} of {} VFP ports lack the DECAP layer: {} — the regression has hit.",
            without.len(),
            dumped.len(),
            list(&names, 4)
        ),
        evidence: without.iter().take(4).map(|p| p.prov.clone()).collect(),
        severity: Some(Severity::Error),
    })
}

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
