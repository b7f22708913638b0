//! `apipa-management-ip` — the HNS network's management IP is a 169.254.x.x address.
//!
//! # What it finds
//! HNS networks whose `ManagementIP` is an IPv4 link-local (APIPA, 169.254.0.0/16) address.
//!
//! # Why it matters
//! The management IP is the host vNIC's address on the network; an APIPA address means the
//! vNIC got no real address when the network was created (DHCP failed, the adapter moved), so
//! host ↔ pod and node ↔ node traffic on this network fails.
//!
//! # Evidence used
//! HNS networks (`hns-networks`) with `ManagementIP` (v1 or detailed v2 query). Unlike WCN
//! networkhealth — whose check read a property its model never set and so could never fail —
//! this reads the parsed field and is tested to fire.
//!
//! # Fix
//! From the knowledge base entry `apipa-management-ip` (recreate the HNS network).
//!
//! # Applies to
//! All builds.
//!
//! # References
//! WCN networkhealth `IncorrectManagementIpTest`; domain facts §2.2 L11.

use crate::rules::prelude::*;

/// The rule.
pub struct ApipaManagementIp;

impl Rule for ApipaManagementIp {
    fn id(&self) -> &'static str {
        "apipa-management-ip"
    }
    fn title(&self) -> &'static str {
        "HNS network management IP is APIPA"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsNetworks]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        for n in &ctx.model.hns.networks {
            let Some(ip) = n.management_ip.as_deref() else {
                continue;
            };
            if !is_apipa(ip) {
                continue;
            }
            ctx.finding(
                self,
                format!(
                    "HNS network '{}' ({}, {}) has management IP {ip}, a 169.254.x.x link-local address.",
                    n.name, n.net_type, n.id
                ),
            )
            .why("The host vNIC of this network has no routable address, so host-to-pod and node-to-node traffic over it fails.")
            .evidence(&n.prov)
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(ip: &str) -> HostModel {
        let mut m = model(&[Fact::HnsNetworks]);
        let mut n = network("N1", "cbr0", "L2Bridge");
        n.management_ip = Some(ip.into());
        m.hns.networks.push(n);
        m
    }

    /// networkhealth defect: its APIPA test could never fail. Ours does.
    #[test]
    fn fires_on_apipa() {
        let f = findings(&ApipaManagementIp, &m("169.254.20.7"));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("169.254.20.7"));
        assert!(f[0].observed.contains("cbr0"));
    }

    #[test]
    fn quiet_on_routable() {
        assert!(findings(&ApipaManagementIp, &m("10.240.0.35")).is_empty());
    }

    #[test]
    fn not_evaluated_without_networks() {
        assert_eq!(
            missing(&ApipaManagementIp, &model(&[])),
            vec![Fact::HnsNetworks]
        );
    }
}
