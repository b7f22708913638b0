//! Packet drops from Packet Monitor (`pktmon counters`, a drops-only capture), joined to the
//! endpoint and pod they hit ([`crate::packets::PacketPath`]).

pub mod drops_encap_mismatch;
pub mod drops_mac_spoofing;
pub mod drops_mtu;
pub mod drops_service_vip_at_nic;
pub mod drops_single_endpoint;
pub mod drops_vfp_acl;
pub mod drops_vfp_extension_missing;

use crate::packets::{class_of, DropClass, Hop, PacketPath, Role};
use crate::rules::prelude::*;
use std::collections::HashMap;

/// Where a hop is, in words: "its port" for a pod's port, else the component.
pub(crate) fn place(h: &Hop<'_>) -> String {
    match h.role {
        Role::EndpointPort => "its port".to_string(),
        r => format!("the {} '{}' (component {})", r.label(), h.name, h.id),
    }
}

/// " in 60 s" when the capture length is known.
pub(crate) fn window(secs: Option<u64>) -> String {
    secs.map(|s| format!(" in {s} s")).unwrap_or_default()
}

/// Top `n` of a tally, most first, as `name ×count` joined with `, `.
pub(crate) fn top(tally: &std::collections::HashMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = tally.iter().map(|(k, c)| (k.clone(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// A drop-reason rule: one class of reasons, its id and words (one file per id).
pub struct ByReason {
    /// Catalogue id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// The reason class.
    pub class: DropClass,
    /// Severity.
    pub severity: Severity,
    /// How the packets were dropped, in words.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
}

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
        for d in m
            .packets
            .drops
            .iter()
            .filter(|d| class_of(&d.reason) == Some(self.class))
        {
            *reasons.entry(d.reason.clone()).or_default() += d.count;
            *captured.entry(d.component).or_default() += d.count;
            let hop = path.hop(d.component);
            let owner = hop.and_then(|h| h.owner.clone()).or_else(|| {
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
            observed.push_str(&format!(
                " (and {} more places)",
                places.len() - shown.len()
            ));
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
    use super::drops_encap_mismatch::RULE as ENCAP;
    use super::drops_mac_spoofing::RULE as MAC_SPOOFING;
    use super::drops_mtu::RULE as MTU;
    use super::drops_vfp_acl::RULE as VFP_ACL;
    use super::drops_vfp_extension_missing::RULE as EXTENSION_MISSING;
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
        assert!(
            f[0].observed.contains(
                "3 packets dropped by a VFP rule (ACL / network policy) at its port in 60 s"
            ),
            "{}",
            f[0].observed
        );
        assert_eq!(f[0].confidence, Confidence::High);
        let f = findings(&MTU, &m);
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("endpoint"), "{}", f[0].observed);
        assert!(
            f[0].observed.contains("host NIC 'Ethernet0'"),
            "{}",
            f[0].observed
        );
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
