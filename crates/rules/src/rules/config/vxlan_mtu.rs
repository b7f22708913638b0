//! `vxlan-mtu` — pod MTU does not leave room for the VXLAN overhead.
//!
//! # What it finds
//! On hosts with an Overlay (VXLAN) network: endpoints of that network whose `EncapOverhead`
//! (field or policy) is below 50 bytes, and pod-compartment interfaces whose MTU is less than 50
//! bytes below the host uplink's MTU.
//!
//! # Why it matters
//! VXLAN adds 50 bytes; without that headroom full-size pod packets are fragmented or dropped —
//! small requests work, large transfers and TLS handshakes hang.
//!
//! # Evidence used
//! `hns-networks` (needed: an Overlay network must exist), endpoints (`hns-endpoints`) and/or
//! interface MTUs (`interface-mtu`).
//!
//! # Fix
//! From the knowledge base entry `vxlan-mtu`.
//!
//! # Applies to
//! Overlay networks on all builds.
//!
//! # References
//! Domain facts §2.2 L18; kubernetes-sigs/cluster-api-provider-azure#1353.

use crate::rules::prelude::*;

/// The rule.
pub struct VxlanMtu;

/// VXLAN encapsulation overhead in bytes.
pub const VXLAN_OVERHEAD: u32 = 50;

fn encap(ep: &Endpoint) -> Option<u32> {
    ep.encap_overhead.or_else(|| {
        ep.policies
            .iter()
            .find(|p| p.kind.eq_ignore_ascii_case("EncapOverhead"))
            .and_then(|p| {
                p.settings
                    .get("Overhead")
                    .and_then(serde_json::Value::as_u64)
            })
            .and_then(|v| u32::try_from(v).ok())
    })
}

impl Rule for VxlanMtu {
    fn id(&self) -> &'static str {
        "vxlan-mtu"
    }
    fn title(&self) -> &'static str {
        "Pod MTU leaves no room for VXLAN"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsNetworks]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[Fact::HnsEndpoints, Fact::InterfaceMtu]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let overlays: Vec<&Network> = m
            .hns
            .networks
            .iter()
            .filter(|n| n.net_type.eq_ignore_ascii_case("overlay"))
            .collect();
        if overlays.is_empty() {
            return;
        }
        // overlay networks by parsed id and by lower-case name, so each endpoint is one lookup
        let ids: std::collections::HashSet<crate::ObjId> = overlays
            .iter()
            .filter_map(|n| crate::ObjId::parse(&n.id))
            .collect();
        let names: std::collections::HashSet<String> = overlays
            .iter()
            .map(|n| n.name.to_ascii_lowercase())
            .collect();
        let on_overlay = |e: &Endpoint| {
            e.network_id
                .as_deref()
                .and_then(crate::ObjId::parse)
                .is_some_and(|id| ids.contains(&id))
                || e.network_name
                    .as_deref()
                    .is_some_and(|x| names.contains(&x.to_ascii_lowercase()))
        };
        let low: Vec<(&Endpoint, u32)> = m
            .hns
            .endpoints
            .iter()
            .filter(|e| e.remote() != Some(true) && on_overlay(e))
            .filter_map(|e| encap(e).map(|v| (e, v)))
            .filter(|(_, v)| *v < VXLAN_OVERHEAD)
            .collect();
        if !low.is_empty() {
            let items: Vec<String> = low
                .iter()
                .map(|(e, v)| format!("{} ({}): {v}", e.id, list(&e.ips, 1)))
                .collect();
            ctx.finding(
                self,
                format!("{} on overlay network '{}' carry an EncapOverhead below {VXLAN_OVERHEAD} bytes: {}.", plural(low.len(), "endpoint"), overlays[0].name, list(&items, 5)),
            )
            .why("VXLAN adds 50 bytes per packet; endpoints that reserve less send full-size packets that are fragmented or dropped after encapsulation.")
            .evidence_all(low.iter().take(5).map(|(e, _)| &e.prov))
            .push(out);
        }
        if m.has(Fact::InterfaceMtu) {
            let uplink = m
                .net
                .interfaces
                .iter()
                .filter(|i| i.compartment_id.is_none_or(|c| c == 1))
                .filter(|i| !contains_ci(&i.name, "loopback"))
                .filter_map(|i| i.mtu.map(|mtu| (i, mtu)))
                .max_by_key(|(_, mtu)| *mtu);
            let Some((up, up_mtu)) = uplink else { return };
            let tight: Vec<(&Interface, u32)> = m
                .net
                .interfaces
                .iter()
                .filter(|i| i.compartment_id.is_some_and(|c| c != 1))
                .filter_map(|i| i.mtu.map(|mtu| (i, mtu)))
                .filter(|(_, mtu)| up_mtu.saturating_sub(*mtu) < VXLAN_OVERHEAD)
                .collect();
            if tight.is_empty() {
                return;
            }
            let items: Vec<String> = tight
                .iter()
                .map(|(i, mtu)| {
                    format!(
                        "{} (compartment {}): MTU {mtu}",
                        i.name,
                        i.compartment_id.unwrap_or(0)
                    )
                })
                .collect();
            ctx.finding(
                self,
                format!(
                    "Pod interfaces leave less than {VXLAN_OVERHEAD} bytes below the host uplink '{}' MTU {up_mtu}: {}.",
                    up.name,
                    list(&items, 5)
                ),
            )
            .confidence(Confidence::Medium)
            .why("VXLAN adds 50 bytes per packet; a pod MTU within 50 bytes of the uplink MTU makes full-size packets too big after encapsulation.")
            .evidence(&up.prov)
            .evidence_all(tight.iter().take(5).map(|(i, _)| &i.prov))
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(overhead: u32, net_type: &str) -> HostModel {
        let mut m = model(&[Fact::HnsNetworks, Fact::HnsEndpoints]);
        m.hns.networks.push(network("N1", "vxlan0", net_type));
        let mut e = local_ep("E1", "10.244.1.5", Some(3));
        e.network_id = Some("n1".into());
        e.encap_overhead = Some(overhead);
        m.hns.endpoints.push(e);
        m
    }

    #[test]
    fn fires_on_small_overhead_and_tight_mtu() {
        let f = findings(&VxlanMtu, &m(0, "Overlay"));
        assert!(
            f[0].observed.contains("E1 (10.244.1.5): 0"),
            "{}",
            f[0].observed
        );
        let mut mm = m(50, "overlay");
        mm.mark(Fact::InterfaceMtu);
        mm.net.interfaces = vec![
            Interface {
                name: "Ethernet".into(),
                mtu: Some(1500),
                compartment_id: Some(1),
                ..Interface::default()
            },
            Interface {
                name: "vEthernet (pod)".into(),
                mtu: Some(1480),
                compartment_id: Some(5),
                ..Interface::default()
            },
        ];
        let f = findings(&VxlanMtu, &mm);
        assert!(f[0].observed.contains("MTU 1480"));
    }

    #[test]
    fn quiet_with_headroom_or_no_overlay() {
        assert!(findings(&VxlanMtu, &m(50, "Overlay")).is_empty());
        assert!(findings(&VxlanMtu, &m(0, "L2Bridge")).is_empty());
    }

    #[test]
    fn not_evaluated_without_networks() {
        assert!(missing(&VxlanMtu, &model(&[Fact::HnsEndpoints])).contains(&Fact::HnsNetworks));
    }
}
