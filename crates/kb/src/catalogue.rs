//! The stable finding ids fixed by the shared finding catalogue (`finding-catalogue.md`):
//! scripts, dashboards and metrics key on them, so they are never renamed. Every one has a
//! knowledge-base entry and a rule (both checked by tests, which also check this list against
//! the catalogue file when it is beside the repository).

/// The catalogue's ids, in catalogue order.
pub const CATALOGUE_IDS: &[&str] = &[
    "dns-blackout-15min",
    "winnat-port-collision",
    "service-vip-unreachable",
    "netns-cleanup-on-crash",
    "dns-negative-cache",
    "outbound-lost-after-restart",
    "docker-slow-start-hnsdata",
    "os-outdated",
    "gap-dnsrr",
    "gap-node-to-service-vip",
    "gap-ipsec",
    "gap-http-proxy",
    "gap-endpoint-hot-add",
    "port-pool-exhaustion",
    "port-reservation-conflict",
    "dynamic-port-range-misconfigured",
    "port-already-exists",
    "stale-remote-endpoint",
    "lb-dangling-endpoint",
    "dns-lb-missing",
    "endpoint-not-attached",
    "lb-policy-invalid-state",
    "vfp-port-blocked",
    "apipa-management-ip",
    "management-ip-invalid",
    "clusterip-not-dsr",
    "hns-deadlock",
    "hns-crash",
    "hns-data-incompatible",
    "ipv6-disabled",
    "hns-address-reserved",
    "switch-port-not-found",
    "lb-already-exists",
    "lb-too-many-backends",
    "hns-network-not-found",
    "hns-v2-required",
    "dsr-unsupported",
    "pod-without-adapter",
    "vfp-decap-regression",
    "ws2022-pod-network-regression",
    "ws2022-dsr-l2bridge",
    "overlay-hotfix-missing",
    "vxlan-mtu",
    "cni-runtime-mismatch",
    "cni-nat-config-conflict",
    "service-not-running",
    "nat-switch-private",
    "dns-resolution-failing",
    "azure-cni-store-lock",
];

/// The ids listed in the catalogue's Markdown: lines of the form ``- `id` — …``, kebab-case only.
#[must_use]
pub fn ids_in_catalogue_markdown(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("- `"))
        .filter_map(|l| l.split_once('`').map(|(id, _)| id))
        .filter(|id| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_kebab_ids_from_list_lines_only() {
        let md = "# Title\n- `port-pool-exhaustion` — too few blocks\n  - `hns-crash` — nested\n- `Not_Kebab` — no\n- plain bullet\nText with `inline-code`.\n";
        assert_eq!(
            ids_in_catalogue_markdown(md),
            vec!["port-pool-exhaustion".to_string(), "hns-crash".to_string()]
        );
    }

    #[test]
    fn ids_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        assert!(CATALOGUE_IDS.iter().all(|id| seen.insert(*id)));
    }
}
