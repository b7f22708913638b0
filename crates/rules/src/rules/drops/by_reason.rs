//! Drops by reason class: `drops-vfp-acl`, `drops-mtu`, `drops-encap-mismatch`,
//! `drops-mac-spoofing`, `drops-vfp-extension-missing`.
//!
//! # What it finds
//! Packet Monitor drops whose reason belongs to one class ([`DropClass`]): from a drops-only
//! capture (each drop's reason, component and addresses) and, for components without captured
//! drops, from `pktmon counters` (the drop count with its most recent reason — medium
//! confidence, since only the last reason is known). The finding lists the top reasons with
//! counts and the pods hit, e.g. "pod default/web-7f9 (10.244.1.5): 312 packets dropped by
//! VFP rule (ACL / network policy) at its port in 60 s".
//!
//! # Why it matters
//! Each class has its own cause: a network policy or ACL that blocks the traffic, an MTU too
//! large for the VXLAN overhead, an encapsulation (VSID / VNI) mismatch between nodes, a pod
//! sending with a MAC its port does not allow, or a vSwitch without the VFP extension.
//!
//! # Evidence used
//! `pktmon-drops` or `pktmon-counters` (at least one); the pktmon component map and HNS
//! endpoints, load balancers and `kubectl get pods`, when read, to name the pods.
//!
//! # Fix
//! From the knowledge-base entry of each id.
//!
//! # Applies to
//! Windows Server 2019 and later (Packet Monitor).
//!
//! # References
//! `pktmon counters`, `pktmon start --type drop` (learn.microsoft.com); microsoft/Windows-Containers#439.

use crate::packets::{class_of, DropClass, PacketPath};
use crate::rules::drops::{place, top, window};
use crate::rules::prelude::*;
use std::collections::HashMap;

/// One rule per reason class.
pub struct ByReason {
    id: &'static str,
    title: &'static str,
    class: DropClass,
    severity: Severity,
    what: &'static str,
    why: &'static str,
}

/// VFP rule / ACL drops (network policy).
pub const VFP_ACL: ByReason = ByReason {
    id: "drops-vfp-acl",
    title: "Packets dropped by a VFP rule (ACL / network policy)",
    class: DropClass::Acl,
    severity: Severity::Warning,
    what: "by a VFP rule (ACL / network policy)",
    why: "A VFP ACL drops this traffic: a Kubernetes NetworkPolicy, an HNS ACL policy on the endpoint or a stale rule blocks it. If the traffic should pass, the policy or the rule programmed from it is wrong.",
};
/// MTU / fragment drops.
pub const MTU: ByReason = ByReason {
    id: "drops-mtu",
    title: "Packets dropped for size (MTU / fragments)",
    class: DropClass::Mtu,
    severity: Severity::Error,
    what: "for size (MTU / fragments)",
    why: "Packets larger than the path allows are dropped: with VXLAN the pod MTU must leave room for the encapsulation overhead (50 bytes), or large transfers stall while small requests work.",
};
/// Encapsulation mismatch drops.
pub const ENCAP: ByReason = ByReason {
    id: "drops-encap-mismatch",
    title: "Packets dropped for an encapsulation mismatch (VSID / VXLAN)",
    class: DropClass::Encap,
    severity: Severity::Error,
    what: "for an encapsulation mismatch (virtual subnet / VXLAN)",
    why: "The virtual subnet id (VNI) or encapsulation of the packets does not match what this node's network expects: overlay traffic between nodes is lost, usually after a network was recreated with another VNI or on nodes with different CNI settings.",
};
/// MAC spoofing drops.
pub const MAC_SPOOFING: ByReason = ByReason {
    id: "drops-mac-spoofing",
    title: "Packets dropped as MAC spoofing",
    class: DropClass::MacSpoofing,
    severity: Severity::Warning,
    what: "as MAC spoofing (source MAC not allowed on the port)",
    why: "The vSwitch drops frames whose source MAC is not the port's own: a pod or VM that bridges, bonds or routes with another MAC needs MAC spoofing allowed, or its endpoint carries the wrong MAC.",
};
/// A required extension missing.
pub const EXTENSION_MISSING: ByReason = ByReason {
    id: "drops-vfp-extension-missing",
    title: "Packets dropped because a required vSwitch extension is missing",
    class: DropClass::ExtensionMissing,
    severity: Severity::Error,
    what: "because a required vSwitch extension (VFP) is missing",
    why: "The vSwitch drops traffic of ports that need an extension it does not have running: without the VFP extension no HNS policy (NAT, load balancing, ACLs) applies and container traffic stops.",
};

impl Rule for ByReason {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[Fact::PktmonDrops, Fact::PktmonCounters]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let path = PacketPath::build(m);
        let mut reasons: HashMap<String, u64> = HashMap::new();
        let mut places: HashMap<String, u64> = HashMap::new();
        let mut evidence: Vec<&Prov> = Vec::new();
        let mut captured: HashMap<u32, u64> = HashMap::new();
        // a capture: every drop with its reason, component and addresses
        for d in m.packets.drops.iter().filter(|d| class_of(&d.reason) == Some(self.class)) {
            *reasons.entry(d.reason.clone()).or_default() += d.count;
            *captured.entry(d.component).or_default() += d.count;
            let hop = path.hop(d.component);
            let owner = hop
                .and_then(|h| h.owner.clone())
                .or_else(|| {
                    [d.dst.as_deref(), d.src.as_deref()]
                        .into_iter()
                        .flatten()
                        .find_map(|ip| path.owner_of_ip(ip))
                        .map(str::to_string)
                });
            let at = hop.map_or_else(|| format!("component {}", d.component), place);
            let key = match owner {
                Some(o) => format!("{o}: {{n}} packets dropped {} at {at}", self.what),
                None => format!("{{n}} packets dropped {} at {at}", self.what),
            };
            *places.entry(key).or_default() += d.count;
            if evidence.len() < 6 {
                evidence.push(&d.prov);
            }
        }
        let from_capture = !captured.is_empty();
        // counters: components without captured drops of this class, by their last reason
        for h in path.hops.iter().filter(|h| !captured.contains_key(&h.id)) {
            let Some(r) = h.last_reason.filter(|r| class_of(r) == Some(self.class)) else {
                continue;
            };
            let n = h.rose.unwrap_or(h.drops);
            if n == 0 {
                continue;
            }
            *reasons.entry(r.to_string()).or_default() += n;
            let key = match &h.owner {
                Some(o) => format!("{o}: {{n}} packets dropped {} at {}", self.what, place(h)),
                None => format!("{{n}} packets dropped {} at {}", self.what, place(h)),
            };
            *places.entry(key).or_default() += n;
            evidence.extend(h.prov.iter().copied().take(3));
        }
        if places.is_empty() {
            return;
        }
        let total: u64 = places.values().sum();
        let win = if from_capture {
            window(m.packets.capture_seconds)
        } else {
            String::new()
        };
        let shown = top(&places, 5);
        let mut observed = shown
            .iter()
            .map(|(k, n)| format!("{}{win}", k.replace("{n}", &n.to_string())))
            .collect::<Vec<_>>()
            .join("; ");
        if places.len() > shown.len() {
            observed.push_str(&format!(" (and {} more places)", places.len() - shown.len()));
        }
        let rs = top(&reasons, 5)
            .iter()
            .map(|(r, n)| format!("{r} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ");
        observed.push_str(&format!(". {total} drops in all; top reasons: {rs}."));
        if !from_capture {
            observed.push_str(
                " (From pktmon counters, which keep only the most recent reason per component: run `hnsdoctor collect --drops 60s` for every drop's reason.)",
            );
        }
        let mut d = ctx
            .finding(self, observed)
            .why(self.why)
            .evidence_all(evidence);
        if !from_capture {
            d = d.confidence(Confidence::Medium);
        }
        d.push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packets::tests::joined;
    use crate::testkit::*;

    #[test]
    fn acl_fires_from_counters_with_pod_and_rise() {
        let m = joined();
        let f = findings(&VFP_ACL, &m);
        assert_eq!(f.len(), 1);
        let o = &f[0].observed;
        assert!(
            o.contains("pod default/web-7f9 (10.244.1.5): 312 packets dropped by a VFP rule (ACL / network policy) at its port"),
            "{o}"
        );
        assert!(o.contains("VFP Rule Drop ×312"), "{o}");
        assert_eq!(f[0].confidence, Confidence::Medium);
        assert!(!f[0].evidence.is_empty());
    }

    #[test]
    fn capture_gives_reasons_window_and_pods_behind_a_nic() {
        let mut m = joined();
        m.packets.capture_seconds = Some(60);
        m.mark(Fact::PktmonDrops);
        m.packets.drops = vec![
            PktDrop {
                component: 31,
                reason: "VFP Rule Drop".into(),
                dst: Some("10.244.1.5".into()),
                count: 3,
                prov: prov("pktmon/drops.txt", 40, "Drop: …"),
                ..PktDrop::default()
            },
            PktDrop {
                component: 9,
                reason: "Drop_MTUMismatch".into(),
                dst: Some("10.244.1.6".into()),
                count: 4,
                prov: prov("pktmon/drops.txt", 50, "Drop: …"),
                ..PktDrop::default()
            },
        ];
        let f = findings(&VFP_ACL, &m);
        assert!(f[0].observed.contains("3 packets dropped by a VFP rule (ACL / network policy) at its port in 60 s"), "{}", f[0].observed);
        assert_eq!(f[0].confidence, Confidence::High);
        let f = findings(&MTU, &m);
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("endpoint"), "{}", f[0].observed);
        assert!(f[0].observed.contains("host NIC 'Ethernet0'"), "{}", f[0].observed);
        assert!(f[0].observed.contains("Drop_MTUMismatch ×4"));
    }

    #[test]
    fn each_class_fires_on_its_reason_only() {
        for (rule, reason) in [
            (&ENCAP, "Drop_VirtualSubnetId"),
            (&MAC_SPOOFING, "Drop_MacSpoofing"),
            (&EXTENSION_MISSING, "Drop_RequiredExtensionMissing"),
            (&MTU, "MTU Mismatch"),
        ] {
            let mut m = model(&[Fact::PktmonDrops]);
            m.packets.drops.push(PktDrop {
                component: 7,
                reason: reason.into(),
                count: 2,
                prov: prov("pktmon/drops.txt", 3, "Drop"),
                ..PktDrop::default()
            });
            assert_eq!(findings(rule, &m).len(), 1, "{}", rule.id);
            assert!(findings(&VFP_ACL, &m).is_empty(), "acl quiet on {reason}");
        }
    }

    #[test]
    fn quiet_without_drops_and_not_evaluated_without_pktmon() {
        let mut m = joined();
        for c in &mut m.packets.counters {
            c.drops_out = 0;
        }
        for r in [&VFP_ACL, &MTU, &ENCAP, &MAC_SPOOFING, &EXTENSION_MISSING] {
            assert!(findings(r, &m).is_empty(), "{}", r.id);
        }
        let r = run_one(&VFP_ACL, &model(&[Fact::HnsEndpoints]), &Options::default());
        assert_eq!(r.not_evaluated.len(), 1);
    }
}
