//! `hns-operation-failed` — HNS/HCN calls failing in logs, not explained by a more specific rule.
//!
//! # What it finds
//! Log lines of failed HNS operations ("hnsCall failed", "… failed in Win32", "HNS failed with
//! error", HCN facility codes 0x803bxxxx) that no specific signature rule (`port-already-exists`,
//! `hns-address-reserved`, `switch-port-not-found`, `lb-already-exists`, `lb-too-many-backends`,
//! `hns-data-incompatible`, `hns-network-not-found`, `hns-object-missing`,
//! `hcn-request-invalid`) claims. "Element not found" (0x490) lands here when the registry shows
//! IPv6 enabled (so `ipv6-disabled` does not apply): then stale HNS state is the known cause.
//!
//! # Why it matters
//! Every failed HNS call is an endpoint, network or load balancer that was not created or
//! removed: pods without network, services not programmed.
//!
//! # Evidence used
//! Any log.
//!
//! # Fix
//! From the knowledge base entry `hns-operation-failed` (see `hnsdoctor explain <code>` for the
//! individual codes).
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Domain facts §4.1 (error wrapping), §4.6 (HCN codes), §2.2 L2.

use crate::rules::logs;
use crate::rules::prelude::*;
use crate::signature::{describe, Signature};

/// The rule.
pub struct HnsOperationFailed;

const NEEDLES: &[&str] = &[
    "hnscall failed",
    "failed in win32",
    "hns failed with error",
    "hcn failed with error",
];

/// The specific signatures; lines they match are theirs.
const SPECIFIC: &[&Signature] = &[
    &logs::hns_address_reserved::RULE,
    &logs::switch_port_not_found::RULE,
    &logs::lb_already_exists::RULE,
    &logs::lb_too_many_backends::RULE,
    &logs::hns_data_incompatible::RULE,
    &logs::hns_network_not_found::RULE,
    &logs::hns_v2_required::RULE,
    &logs::hns_object_missing::RULE,
    &logs::hcn_request_invalid::RULE,
];

fn claimed(m: &HostModel, e: &LogEvent) -> bool {
    if SPECIFIC.iter().any(|s| s.matches(e)) {
        return true;
    }
    if e.error_codes
        .contains(&crate::rules::ports::port_already_exists::CODE)
        || contains_ci(&e.message, "the specified port already exists")
    {
        return true;
    }
    // 0x490 belongs to ipv6-disabled unless the registry shows IPv6 enabled
    let element_not_found = e.error_codes.contains(&logs::ipv6_disabled::CODE)
        || contains_ci(&e.message, "element not found");
    let ipv6_on = m.has(Fact::Tcpip6Params)
        && m.registry
            .ipv6_disabled_components
            .is_none_or(|v| !logs::ipv6_disabled::disables_ipv6(v));
    element_not_found && !ipv6_on
}

impl Rule for HnsOperationFailed {
    fn id(&self) -> &'static str {
        "hns-operation-failed"
    }
    fn title(&self) -> &'static str {
        "HNS operations failing"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        Fact::LOGS
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let kb = hnsdoctor_kb::Kb::get();
        let hits: Vec<&LogEvent> = m
            .log_events
            .iter()
            .filter(|e| {
                e.error_codes
                    .iter()
                    .any(|c| c >> 16 == 0x803b || kb.error_code(*c).is_some())
                    || NEEDLES.iter().any(|n| contains_ci(&e.message, n))
            })
            .filter(|e| !claimed(m, e))
            .collect();
        if hits.is_empty() {
            return;
        }
        let stale = hits.iter().any(|e| {
            e.error_codes.contains(&logs::ipv6_disabled::CODE)
                || contains_ci(&e.message, "element not found")
        });
        let mut observed = describe(&hits, "show failed HNS operations");
        // What each code means (from errors.toml), and what was being done when it was raised.
        let mut codes: Vec<u32> = hits
            .iter()
            .flat_map(|e| e.error_codes.iter().copied())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        let meanings: Vec<String> = codes
            .iter()
            .filter_map(|c| kb.error_code(*c))
            .take(4)
            .map(|c| format!("0x{:08x} {}: {}", c.value, c.name, c.meaning))
            .collect();
        if !meanings.is_empty() {
            observed.push_str(&format!(" Meaning: {}.", meanings.join("; ")));
        }
        let mut ops: Vec<HnsOperation> = hits.iter().filter_map(|e| e.operation).collect();
        ops.sort_unstable();
        ops.dedup();
        if !ops.is_empty() {
            let words: Vec<&str> = ops.iter().map(|o| o.describe()).collect();
            observed.push_str(&format!(" Raised while {}.", words.join(", ")));
        }
        if stale {
            observed.push_str(" \"Element not found\" with IPv6 enabled points at stale or corrupt HNS state (a network or switch that is gone).");
        }
        ctx.finding(self, observed)
            .why("Each failed HNS call is an endpoint, network or load balancer that was not created or removed: pods without network, services not programmed.")
            .confidence(Confidence::Medium)
            .evidence_all(hits.iter().take(5).map(|h| &h.prov))
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_on_unclaimed_failure() {
        let mut m = model(&[Fact::KubeProxyLog]);
        m.log_events.push(log(
            Component::KubeProxy,
            "hcnCreateEndpoint failed in Win32: The object is degraded. (0x803b0017)",
            &[0x803b_0017],
        ));
        let f = findings(&HnsOperationFailed, &m);
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("0x803b0017"));
    }

    #[test]
    fn element_not_found_with_ipv6_on_is_stale_state() {
        let mut m = model(&[Fact::KubeletLog, Fact::Tcpip6Params]);
        m.log_events.push(log(
            Component::Kubelet,
            "HNS failed with error : Element not found.",
            &[0x8007_0490],
        ));
        let f = findings(&HnsOperationFailed, &m);
        assert!(f[0].observed.contains("stale or corrupt HNS state"));
    }

    #[test]
    fn quiet_when_a_specific_rule_claims_the_line() {
        let mut m = model(&[Fact::KubeProxyLog]);
        m.log_events.push(log(Component::KubeProxy, "hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013)", &[0x803b_0013]));
        m.log_events.push(log(
            Component::KubeProxy,
            "hnsCall failed in Win32: The wrong diskette is in the drive. (0x22)",
            &[0x8007_0022],
        ));
        m.log_events.push(log(
            Component::KubeProxy,
            "HNS failed with error : Element not found.",
            &[0x8007_0490],
        ));
        assert!(findings(&HnsOperationFailed, &m).is_empty());
    }

    #[test]
    fn not_evaluated_without_logs() {
        assert_eq!(
            missing(&HnsOperationFailed, &model(&[])).len(),
            Fact::LOGS.len()
        );
    }

    #[test]
    fn every_known_code_is_explained_with_its_operation() {
        // A Win32 code from errors.toml that no specific rule claims, on an endpoint creation.
        let mut m = model(&[Fact::PastedLog]);
        let mut e = log(
            Component::Docker,
            "failed to create endpoint web on network nat: The parameter is incorrect.",
            &[0x8007_0057],
        );
        e.operation = Some(HnsOperation::CreateEndpoint);
        m.log_events.push(e);
        let f = findings(&HnsOperationFailed, &m);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].observed.contains("0x80070057 ERROR_INVALID_PARAMETER"),
            "{}",
            f[0].observed
        );
        assert!(
            f[0].observed.contains("creating an endpoint"),
            "{}",
            f[0].observed
        );
        // a code nobody knows and no HNS wording: not this rule's
        let mut m = model(&[Fact::PastedLog]);
        m.log_events.push(log(
            Component::Unknown,
            "tool exited (0x1234)",
            &[0x8007_1234],
        ));
        assert!(findings(&HnsOperationFailed, &m).is_empty());
    }
}
