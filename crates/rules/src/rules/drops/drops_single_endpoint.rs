//! `drops-single-endpoint` — drop counters rise on one pod's port only.
//!
//! # What it finds
//! Among the vSwitch ports joined to HNS endpoints, exactly one drops packets (its counter rose
//! during a capture, or is above zero in a single snapshot) while at least two others drop
//! none; with its pod, count and last drop reason.
//!
//! # Why it matters
//! Drops confined to one endpoint point at that pod or its programming (a policy, a stale
//! VFP rule, a wrong MAC), not at the node: recreating that pod or fixing its policy is the
//! fix, and the rest of the node is fine.
//!
//! # Evidence used
//! `pktmon counters` and the component map, HNS endpoints (to join ports to pods).
//!
//! # Fix
//! From the knowledge-base entry `drops-single-endpoint`.
//!
//! # Applies to
//! Windows Server 2019 and later (Packet Monitor).
//!
//! # References
//! `pktmon counters` (learn.microsoft.com).

use crate::packets::{PacketPath, Role};
use crate::rules::prelude::*;

/// The rule.
pub struct SingleEndpoint;

impl Rule for SingleEndpoint {
    fn id(&self) -> &'static str {
        "drops-single-endpoint"
    }
    fn title(&self) -> &'static str {
        "Packets dropped on one endpoint only"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[
            Fact::PktmonCounters,
            Fact::PktmonComponents,
            Fact::HnsEndpoints,
        ]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let path = PacketPath::build(ctx.model);
        let ports: Vec<_> = path
            .hops
            .iter()
            .filter(|h| h.role == Role::EndpointPort)
            .collect();
        let dropping: Vec<_> = ports.iter().filter(|h| h.dropped() > 0).collect();
        let [h] = dropping.as_slice() else { return };
        let quiet = ports.len() - 1;
        if quiet < 2 {
            return;
        }
        let how = if h.rose.is_some() { "rose by" } else { "show" };
        let reason = h
            .reasons
            .first()
            .map(|(r, _)| *r)
            .or(h.last_reason)
            .map(|r| format!(" (last reason: {r})"))
            .unwrap_or_default();
        ctx.finding(
            self,
            format!(
                "Drop counters {how} {} packets on the port of {} only{reason}; {quiet} other pod ports dropped none.",
                h.dropped(),
                h.owner.as_deref().unwrap_or("an endpoint"),
            ),
        )
        .why("Drops confined to one endpoint point at that pod or its programming (policy, stale VFP rule, MAC), not at the node.")
        .evidence_all(h.prov.iter().copied())
        .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packets::tests::joined;
    use crate::testkit::*;

    #[test]
    fn fires_when_one_port_of_three_drops() {
        let f = findings(&SingleEndpoint, &joined());
        assert_eq!(f.len(), 1);
        let o = &f[0].observed;
        assert!(o.contains("rose by 312 packets on the port of pod default/web-7f9 (10.244.1.5) only (last reason: VFP Rule Drop); 2 other pod ports dropped none"), "{o}");
    }

    #[test]
    fn quiet_when_several_drop_or_none() {
        let mut m = joined();
        m.packets.counters[2].drops_out = 5;
        assert!(findings(&SingleEndpoint, &m).is_empty());
        let mut m = joined();
        m.packets.counters[1].drops_out = 100;
        assert!(findings(&SingleEndpoint, &m).is_empty(), "rose by 0");
    }
}
