//! The one table of rules, [`RULES`], in finding-catalogue order. Adding a rule = one file under
//! `src/rules/<area>/` and one line here.

use crate::engine::Rule;
use crate::rules::{config, drops, gaps, hns, input, known, logs, ports, vfp};

/// Every rule, in catalogue order.
pub static RULES: &[&dyn Rule] = &[
    // Known issues keyed by build and hotfix
    &known::dns_blackout_15min::RULE,
    &known::winnat_port_collision::RULE,
    &known::service_vip_unreachable::RULE,
    &known::netns_cleanup_on_crash::RULE,
    &known::dns_negative_cache::RULE,
    &known::outbound_lost_after_restart::RULE,
    &known::docker_slow_start_hnsdata::RULE,
    &known::os_outdated::OsOutdated,
    // Platform gaps
    &gaps::gap_dnsrr::RULE,
    &gaps::gap_node_to_service_vip::RULE,
    &gaps::gap_ipsec::RULE,
    &gaps::gap_http_proxy::RULE,
    &gaps::gap_endpoint_hot_add::RULE,
    // Ports
    &ports::port_pool_exhaustion::PortPoolExhaustion,
    &ports::port_reservation_conflict::PortReservationConflict,
    &ports::dynamic_port_range_misconfigured::DynamicPortRangeMisconfigured,
    &ports::port_already_exists::PortAlreadyExists,
    // HNS / VFP state
    &hns::stale_remote_endpoint::StaleRemoteEndpoint,
    &hns::lb_dangling_endpoint::LbDanglingEndpoint,
    &hns::dns_lb_missing::DnsLbMissing,
    &hns::endpoint_not_attached::EndpointNotAttached,
    &hns::lb_policy_invalid_state::LbPolicyInvalidState,
    &vfp::vfp_port_blocked::VfpPortBlocked,
    &hns::apipa_management_ip::ApipaManagementIp,
    &config::management_ip_invalid::ManagementIpInvalid,
    &hns::clusterip_not_dsr::ClusterIpNotDsr,
    &hns::hns_deadlock::HnsDeadlock,
    &hns::hns_crash::HnsCrash,
    &logs::hns_data_incompatible::RULE,
    &logs::ipv6_disabled::Ipv6Disabled,
    &logs::hns_address_reserved::RULE,
    &logs::switch_port_not_found::RULE,
    &logs::lb_already_exists::RULE,
    &logs::lb_too_many_backends::RULE,
    &logs::hns_network_not_found::RULE,
    &logs::hns_v2_required::RULE,
    &logs::dsr_unsupported::DsrUnsupported,
    &hns::pod_without_adapter::PodWithoutAdapter,
    // Build-specific regressions and prerequisites
    &known::vfp_decap_regression::RULE,
    &known::ws2022_pod_network_regression::RULE,
    &known::ws2022_dsr_l2bridge::RULE,
    &known::overlay_hotfix_missing::RULE,
    &config::vxlan_mtu::VxlanMtu,
    // Configuration, services, NAT
    &config::cni_runtime_mismatch::CniRuntimeMismatch,
    &config::cni_nat_config_conflict::CniNatConfigConflict,
    &config::service_not_running::ServiceNotRunning,
    &config::nat_switch_private::NatSwitchPrivate,
    &logs::dns_resolution_failing::DnsResolutionFailing,
    &logs::azure_cni_store_lock::RULE,
    // added beyond the catalogue
    &known::nodeport_from_node::RULE,
    &known::ltsc2019_dns_2023_09::RULE,
    &known::ws2019_container_dns_loss::RULE,
    &known::ws2022_dns_2025_07::RULE,
    &vfp::dsr_vfp_rules_missing::DsrVfpRulesMissing,
    &hns::hns_api_unavailable::HnsApiUnavailable,
    &logs::hns_operation_failed::HnsOperationFailed,
    &logs::hns_object_missing::RULE,
    &logs::hcn_request_invalid::RULE,
    &ports::port_check::PortCheck,
    // real-world pastes (issue 8)
    &config::winnat_preexisting_nat::WinnatPreexistingNat,
    &config::winnat_stale_static_mapping::WinnatStaleStaticMapping,
    &logs::kube_proxy_crash::KubeProxyCrash,
    &logs::kube_proxy_start_failure::KubeProxyStartFailure,
    &config::cni_config_invalid_value::CniConfigInvalidValue,
    &hns::lb_mass_loss::LbMassLoss,
    &input::input_not_recognised::InputNotRecognised,
    // packet drops (issue 17)
    &drops::drops_vfp_acl::RULE,
    &drops::drops_mtu::RULE,
    &drops::drops_encap_mismatch::RULE,
    &drops::drops_mac_spoofing::RULE,
    &drops::drops_vfp_extension_missing::RULE,
    &drops::drops_service_vip_at_nic::VipAtNic,
    &drops::drops_single_endpoint::SingleEndpoint,
];

/// Look a rule up by id (renamed ids are followed through [`crate::redirects`]).
#[must_use]
pub fn rule(id: &str) -> Option<&'static dyn Rule> {
    let id = crate::redirects::resolve(id);
    RULES.iter().copied().find(|r| r.id() == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_kb::CATALOGUE_IDS;
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn is_kebab(s: &str) -> bool {
        !s.is_empty()
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    #[test]
    fn ids_unique_and_kebab() {
        let mut seen = BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id()), "duplicate rule id {}", r.id());
            assert!(is_kebab(r.id()), "not kebab-case: {}", r.id());
            assert!(!r.title().is_empty(), "{} has no title", r.id());
        }
        assert!(rule("hns-crash").is_some() || RULES.len() < 10);
        assert!(rule("no-such-rule").is_none());
    }

    fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                rule_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs")
                && p.file_name().is_some_and(|n| n != "mod.rs")
            {
                out.push(p);
            }
        }
    }

    /// Every rule file has the fixed doc headings and its id is registered; every registered id
    /// has a file named after it.
    #[test]
    fn rule_files_have_doc_headings_and_are_registered() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut files = Vec::new();
        rule_files(&dir, &mut files);
        assert!(!files.is_empty());
        let mut file_ids = BTreeSet::new();
        for f in &files {
            let text = std::fs::read_to_string(f).expect("rule source readable");
            if f.parent().is_some_and(|p| p.ends_with("rules")) {
                continue; // shared helpers directly under src/rules
            }
            for h in [
                "# What it finds",
                "# Why it matters",
                "# Evidence used",
                "# Fix",
                "# Applies to",
                "# References",
            ] {
                assert!(
                    text.contains(&format!("//! {h}")),
                    "{} lacks heading {h}",
                    f.display()
                );
            }
            let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            // Tests live in the rule's file, or — for rules sharing one generic implementation —
            // in a table-driven test of the area's mod.rs that names the rule's module.
            let area_tests = f
                .parent()
                .and_then(|p| std::fs::read_to_string(p.join("mod.rs")).ok())
                .is_some_and(|m| {
                    m.contains("#[cfg(test)]") && m.contains(&format!("super::{stem}::"))
                });
            assert!(
                text.contains("#[cfg(test)]") || area_tests,
                "{} has no tests",
                f.display()
            );
            let id = stem.replace('_', "-");
            assert!(
                text.starts_with(&format!("//! `{id}`")),
                "{} must start with //! `{id}`",
                f.display()
            );
            assert!(
                rule(&id).is_some(),
                "{id} ({}) is not registered",
                f.display()
            );
            file_ids.insert(id);
        }
        for r in RULES {
            assert!(file_ids.contains(r.id()), "{} has no rule file", r.id());
        }
    }

    fn catalogue_ids() -> Vec<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/finding-catalogue.md"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            return CATALOGUE_IDS.iter().map(|s| (*s).to_string()).collect();
        };
        let ids = hnsdoctor_kb::ids_in_catalogue_markdown(&text);
        // the file parsed into the same list we embed (guards the fallback going stale)
        for id in CATALOGUE_IDS {
            assert!(
                ids.iter().any(|i| i == id),
                "fallback id {id} not in the catalogue"
            );
        }
        ids
    }

    #[test]
    fn every_catalogue_id_has_a_rule() {
        let ids = catalogue_ids();
        assert!(ids.len() >= 49, "catalogue parsed to {} ids", ids.len());
        let missing: Vec<&String> = ids.iter().filter(|id| rule(id).is_none()).collect();
        assert!(
            missing.is_empty(),
            "catalogue ids without a rule: {missing:?}"
        );
    }

    /// Ids registered here that the KB has no fix steps for yet. The test fails when the KB
    /// gains an entry (so this list shrinks) or when a new rule lacks one.
    const NO_KB_ENTRY_YET: &[&str] = &[];

    #[test]
    fn every_rule_takes_its_fix_from_the_kb() {
        let kb = crate::knowledge::Knowledge::get();
        for r in RULES {
            let listed = NO_KB_ENTRY_YET.contains(&r.id());
            assert_eq!(
                kb.has_fix(r.id()),
                !listed,
                "{}: KB fix present = {}, listed as lacking = {listed}",
                r.id(),
                kb.has_fix(r.id())
            );
        }
    }

    #[test]
    fn ids_and_severities_snapshot() {
        let lines: Vec<String> = RULES
            .iter()
            .map(|r| format!("{:<34}  {:?}", r.id(), r.severity()).to_lowercase())
            .collect();
        insta::assert_snapshot!(lines.join("\n"));
    }
}
