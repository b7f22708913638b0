//! `management-ip-invalid` — the management IP given to the network setup is not a valid address
//! of this host.
//!
//! # What it finds
//! An HNS network `ManagementIP` (or the Kubernetes node IP) that is not an IP address at all
//! (e.g. an interface name), or an address no adapter of the host has according to
//! `ipconfig /all`. APIPA addresses are left to `apipa-management-ip`.
//!
//! # Why it matters
//! The network was (or will be) created on the wrong adapter or with a wrong host address:
//! node-to-pod traffic, source NAT and the kube-proxy source VIP use it.
//!
//! # Evidence used
//! `hns-networks` or the Kubernetes context (the node IP, or `-ManagementIP` of a set-up script
//! shown in the paste); `ip-config` to tell an address foreign to the host (without it only "not
//! an IP address at all" is said).
//!
//! # Fix
//! From the knowledge base entry `management-ip-invalid`.
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Finding catalogue; domain facts §4.2 (`ManagementIP`).

use crate::rules::prelude::*;

/// The rule.
pub struct ManagementIpInvalid;

/// Every address of any adapter in any compartment listed.
fn all_addresses(m: &HostModel) -> Vec<&str> {
    m.net
        .compartments
        .iter()
        .flat_map(|c| c.adapters.iter())
        .flat_map(|a| a.ipv4.iter().chain(a.ipv6.iter()))
        .map(|a| a.address.as_str())
        .collect()
}

impl Rule for ManagementIpInvalid {
    fn id(&self) -> &'static str {
        "management-ip-invalid"
    }
    fn title(&self) -> &'static str {
        "Management IP is not an address of this host"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[Fact::HnsNetworks, Fact::KubeContext]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let addrs = all_addresses(m);
        let mut cands: Vec<(String, String, Option<&Prov>)> = m
            .hns
            .networks
            .iter()
            .filter_map(|n| {
                n.management_ip.as_ref().map(|ip| {
                    (
                        ip.clone(),
                        format!("management IP of HNS network '{}'", n.name),
                        Some(&n.prov),
                    )
                })
            })
            .collect();
        if let Some(ip) = &m.k8s.node_ip {
            let p = m
                .k8s
                .prov
                .iter()
                .find(|(k, _)| k == "node_ip")
                .map(|(_, p)| p);
            cands.push((ip.clone(), "Kubernetes node IP".into(), p));
        }
        if let Some(ip) = &m.k8s.management_ip {
            let p = m
                .k8s
                .prov
                .iter()
                .find(|(k, _)| k == "management_ip")
                .map(|(_, p)| p);
            cands.push((
                ip.clone(),
                "management IP given to the node set-up".into(),
                p,
            ));
        }
        // Whether an address belongs to the host can only be said when ipconfig was read.
        let addresses_shown = m.has(Fact::IpConfig);
        let shown: Vec<String> = addrs
            .iter()
            .filter(|a| !a.contains(':'))
            .map(|a| (*a).to_string())
            .collect();
        let host_addrs: std::collections::HashSet<crate::Addr> =
            addrs.iter().map(|a| crate::Addr::parse(a)).collect();
        for (ip, what, prov) in cands {
            if ip.trim().is_empty() || is_apipa(&ip) {
                continue;
            }
            let observed = if parse_ip(&ip).is_none() {
                format!("The {what} is '{ip}', which is not an IP address (an interface name?).")
            } else if addresses_shown && !host_addrs.contains(&crate::Addr::parse(&ip)) {
                format!(
                    "The {what} is {ip}, but no adapter of this host has that address (ipconfig shows {}).",
                    list(&shown, 6)
                )
            } else {
                continue;
            };
            let mut d = ctx
                .finding(self, observed)
                .why("HNS binds the network's host side to this address; with a wrong one, node-to-pod traffic, outbound NAT and kube-proxy's source VIP go through the wrong or no adapter.");
            if let Some(p) = prov {
                d = d.evidence(p);
            }
            d.push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(mgmt: &str) -> HostModel {
        let mut m = model(&[Fact::HnsNetworks, Fact::IpConfig]);
        let mut n = network("N", "cbr0", "L2Bridge");
        n.management_ip = Some(mgmt.into());
        m.hns.networks.push(n);
        m.net.compartments.push(Compartment {
            id: None,
            adapters: vec![IpAdapter {
                name: "vEthernet (Ethernet)".into(),
                ipv4: vec![IpAddrInfo {
                    address: "10.240.0.35".into(),
                    prefix_length: Some(16),
                    state: None,
                }],
                ..IpAdapter::default()
            }],
            ..Compartment::default()
        });
        m
    }

    #[test]
    fn fires_on_name_and_foreign_address() {
        let f = findings(&ManagementIpInvalid, &m("Ethernet 2"));
        assert!(f[0].observed.contains("not an IP address"));
        let f = findings(&ManagementIpInvalid, &m("10.240.0.99"));
        assert!(
            f[0].observed.contains("ipconfig shows 10.240.0.35"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn quiet_on_host_address_and_apipa() {
        assert!(findings(&ManagementIpInvalid, &m("10.240.0.35")).is_empty());
        assert!(findings(&ManagementIpInvalid, &m("169.254.3.3")).is_empty());
    }

    #[test]
    fn not_evaluated_without_a_management_ip_source() {
        assert_eq!(
            missing(&ManagementIpInvalid, &model(&[Fact::IpConfig])),
            vec![Fact::HnsNetworks, Fact::KubeContext]
        );
        // with the networks but no ipconfig, a foreign address cannot be told: quiet
        let mut m = m("10.240.0.99");
        m.facts.remove(&Fact::IpConfig);
        assert!(findings(&ManagementIpInvalid, &m).is_empty());
    }

    #[test]
    fn setup_script_interface_name_without_hns_networks() {
        // `.\start.ps1 -ManagementIP eth0` read from a paste; no HNS network shown.
        let mut m = model(&[Fact::KubeContext]);
        m.k8s.management_ip = Some("eth0".into());
        m.k8s.prov.push((
            "management_ip".into(),
            prov("paste#1", 1, ".\\start.ps1 -ManagementIP eth0"),
        ));
        let f = findings(&ManagementIpInvalid, &m);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].observed.contains("'eth0', which is not an IP address"));
        assert_eq!(f[0].evidence[0].line, 1);
        // an IP without ipconfig: cannot say it is foreign, so quiet
        m.k8s.management_ip = Some("10.1.2.3".into());
        assert!(findings(&ManagementIpInvalid, &m).is_empty());
    }
}
