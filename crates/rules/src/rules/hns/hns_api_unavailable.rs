//! `hns-api-unavailable` — the HNS API could not be used: the Containers feature is missing.
//!
//! # What it finds
//! Inputs the collector refused with "HNS API not available" (computenetwork.dll / vmcompute.dll
//! could not be loaded, error 126 "The specified module could not be found"), or the same text
//! in logs (Docker's "failed to load vmcompute.dll, ensure that the Containers feature is
//! installed", kube-proxy's "Windows kernel is not compatible for Kernel mode").
//!
//! # Why it matters
//! Without the Containers feature there is no HNS: no container can get a network, and no other
//! HNS check can run.
//!
//! # Evidence used
//! `inputs[].refused` of the collected sources (always present, so this rule always runs), and
//! log lines when any were read.
//!
//! # Fix
//! From the knowledge base entry `hns-api-unavailable` (install the Containers feature).
//!
//! # Applies to
//! Hosts without the Containers (and Hyper-V) features; pre-1803 builds lack HCN v2.
//!
//! # References
//! Domain facts §4.1 ("Containers feature absent").

use crate::rules::prelude::*;

/// The rule.
pub struct HnsApiUnavailable;

const INPUT_SIGNS: &[&str] = &[
    "hns api not available",
    "computenetwork.dll",
    "vmcompute.dll",
    "the specified module could not be found",
];
const LOG_SIGNS: &[&str] = &[
    "failed to load vmcompute.dll",
    "ensure that the containers feature is installed",
    "windows kernel is not compatible for kernel mode",
];

impl Rule for HnsApiUnavailable {
    fn id(&self) -> &'static str {
        "hns-api-unavailable"
    }
    fn title(&self) -> &'static str {
        "HNS API not available (Containers feature missing)"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let refused: Vec<&InputSummary> = ctx
            .model
            .inputs
            .iter()
            .filter(|i| {
                i.refused
                    .as_deref()
                    .is_some_and(|r| INPUT_SIGNS.iter().any(|s| contains_ci(r, s)))
            })
            .collect();
        let logs = log_matches(ctx.model, LOG_SIGNS, &[]);
        if refused.is_empty() && logs.is_empty() {
            return;
        }
        let mut what = Vec::new();
        if !refused.is_empty() {
            let names: Vec<&str> = refused.iter().map(|i| i.source.as_str()).collect();
            what.push(format!(
                "the collector could not query HNS for {} ({})",
                list(&names, 4),
                refused[0].refused.as_deref().unwrap_or_default()
            ));
        }
        if let Some(l) = logs.first() {
            what.push(format!(
                "{} say so, e.g. {}",
                plural(logs.len(), "log line"),
                quote(&l.message)
            ));
        }
        let provs: Vec<Prov> = refused
            .iter()
            .map(|i| Prov::new(i.source.clone(), 0))
            .collect();
        ctx.finding(self, format!("HNS API not available: {}.", what.join("; ")))
            .why("computenetwork.dll/vmcompute.dll are part of the Containers feature; without them there is no HNS, so no container gets a network and the other HNS checks cannot run.")
            .evidence_all(provs.iter())
            .evidence_all(logs.iter().take(3).map(|l| &l.prov))
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_on_refused_input() {
        let mut m = model(&[]);
        m.inputs.push(InputSummary {
            source: "hns/networks.json".into(),
            refused: Some("HNS API not available: computenetwork.dll: The specified module could not be found. (126)".into()),
            ..InputSummary::default()
        });
        let f = findings(&HnsApiUnavailable, &m);
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("hns/networks.json"));
        assert_eq!(f[0].evidence[0].source, "hns/networks.json");
    }

    #[test]
    fn quiet_on_other_refusals() {
        let mut m = model(&[]);
        m.inputs.push(InputSummary {
            source: "vfp/ports.txt".into(),
            refused: Some("binary file".into()),
            ..InputSummary::default()
        });
        assert!(findings(&HnsApiUnavailable, &m).is_empty());
    }

    /// Needs no fact: the input list is always there, so it is never "not evaluated".
    #[test]
    fn always_evaluated() {
        let r = run_one(&HnsApiUnavailable, &model(&[]), &Options::default());
        assert!(r.not_evaluated.is_empty());
        assert_eq!(r.passed, vec!["hns-api-unavailable".to_string()]);
    }
}
