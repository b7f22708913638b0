//! `drops-service-vip-at-nic` — traffic to a service VIP dropped at the host's NIC or vNIC.
//!
//! # What it finds
//! Drops of a capture at a host NIC or host vNIC component whose destination is the VIP of an
//! HNS load balancer (a Kubernetes service), with the reasons, counts and the service's
//! backend pods.
//!
//! # Why it matters
//! Service traffic that reaches the node but dies at its adapter never gets to VFP's load
//! balancer: the service looks down from outside although its pods are healthy (DSR / VIP
//! programming, the host's own firewall or an MTU problem on the uplink).
//!
//! # Evidence used
//! A drops-only capture (`pktmon-drops`) and HNS load balancers; the pktmon map and HNS
//! endpoints and pods to name the backends.
//!
//! # Fix
//! From the knowledge-base entry `drops-service-vip-at-nic`.
//!
//! # Applies to
//! Windows Server 2019 and later (Packet Monitor).
//!
//! # References
//! `pktmon start --type drop` (learn.microsoft.com); kubernetes/kubernetes#110849.

use super::{top, window};
use crate::packets::{PacketPath, Role};
use crate::rules::prelude::*;
use crate::Addr;
use std::collections::HashMap;

/// Drops to one VIP at one adapter: count, reasons, evidence, the VIP.
type PerVip<'m> = (u64, HashMap<String, u64>, Vec<&'m Prov>, Addr);

/// The rule.
pub struct VipAtNic;

impl Rule for VipAtNic {
    fn id(&self) -> &'static str {
        "drops-service-vip-at-nic"
    }
    fn title(&self) -> &'static str {
        "Service VIP traffic dropped at the host NIC"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::PktmonDrops, Fact::HnsLoadBalancers]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let ix = ctx.index();
        let path = PacketPath::build(m);
        // per VIP:port: count, reasons, where, evidence
        let mut per_vip: HashMap<String, PerVip<'_>> = HashMap::new();
        for d in &m.packets.drops {
            let Some(h) = path.hop(d.component) else {
                continue;
            };
            if !matches!(h.role, Role::HostNic | Role::HostVnic) {
                continue;
            }
            let Some(dst) = d.dst.as_deref() else {
                continue;
            };
            let a = Addr::parse(dst);
            if !ix.is_vip_addr(&a) {
                continue;
            }
            let key = match d.dst_port {
                Some(p) => format!("{dst}:{p} at the {} '{}'", h.role.label(), h.name),
                None => format!("{dst} at the {} '{}'", h.role.label(), h.name),
            };
            let e = per_vip
                .entry(key)
                .or_insert_with(|| (0, HashMap::new(), Vec::new(), a.clone()));
            e.0 += d.count;
            *e.1.entry(d.reason.clone()).or_default() += d.count;
            if e.2.len() < 4 {
                e.2.push(&d.prov);
            }
        }
        let mut keys: Vec<_> = per_vip.keys().cloned().collect();
        keys.sort();
        for k in keys {
            let (n, reasons, ev, addr) = &per_vip[&k];
            let rs = top(reasons, 5)
                .iter()
                .map(|(r, c)| format!("{r} ×{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut backends: Vec<String> = Vec::new();
            for &li in ix.lbs_with_vip(addr) {
                for &ei in ix.lb_backends(li) {
                    if let Some(o) = path.owner_of_endpoint(ei) {
                        if !backends.iter().any(|b| b == o) && backends.len() < 5 {
                            backends.push(o.to_string());
                        }
                    }
                }
            }
            let lb_prov: Vec<&Prov> = ix
                .lbs_with_vip(addr)
                .iter()
                .take(2)
                .map(|&li| &m.hns.load_balancers[li].prov)
                .collect();
            let back = if backends.is_empty() {
                String::new()
            } else {
                format!(" Backends: {}.", backends.join(", "))
            };
            ctx.finding(
                self,
                format!(
                    "{n} packets to service VIP {k} were dropped{}: {rs}.{back}",
                    window(m.packets.capture_seconds)
                ),
            )
            .why("Service traffic dies at the node's adapter before VFP can load-balance it to a pod: the service fails from outside although its pods may be healthy.")
            .evidence_all(ev.iter().copied())
            .evidence_all(lb_prov)
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packets::tests::joined;
    use crate::testkit::*;

    fn drop_at(component: u32, dst: &str) -> PktDrop {
        PktDrop {
            component,
            reason: "Drop_NL_NoRoute".into(),
            dst: Some(dst.into()),
            dst_port: Some(80),
            count: 9,
            prov: prov("pktmon/drops.txt", 12, "Drop: …"),
            ..PktDrop::default()
        }
    }

    #[test]
    fn fires_for_vip_at_nic_with_backends() {
        let mut m = joined();
        m.mark(Fact::PktmonDrops);
        m.packets.capture_seconds = Some(30);
        m.packets.drops.push(drop_at(9, "10.96.0.20"));
        let f = findings(&VipAtNic, &m);
        assert_eq!(f.len(), 1);
        let o = &f[0].observed;
        assert!(o.contains("9 packets to service VIP 10.96.0.20:80 at the host NIC 'Ethernet0' were dropped in 30 s: Drop_NL_NoRoute ×9"), "{o}");
        assert!(o.contains("pod default/web-7f9 (10.244.1.5)"), "{o}");
    }

    #[test]
    fn quiet_for_non_vip_or_not_at_nic() {
        let mut m = joined();
        m.mark(Fact::PktmonDrops);
        m.packets.drops.push(drop_at(9, "10.244.1.5"));
        m.packets.drops.push(drop_at(31, "10.96.0.20"));
        assert!(findings(&VipAtNic, &m).is_empty());
        assert_eq!(missing(&VipAtNic, &joined()), vec![Fact::PktmonDrops]);
    }
}
