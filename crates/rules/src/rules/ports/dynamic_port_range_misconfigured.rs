//! `dynamic-port-range-misconfigured` — the dynamic port range is not the default and overlaps
//! well-known or NodePort ports, or is too small.
//!
//! # What it finds
//! A TCP or UDP dynamic range other than Windows' default (49152, 16384 ports) that starts below
//! 1024 (well-known ports), overlaps the Kubernetes NodePort range 30000-32767, overlaps ports
//! the node's own components listen on (kubelet 10250, kube-proxy 10249/10256), or holds fewer
//! than 4096 ports (64 blocks).
//!
//! # Why it matters
//! Ephemeral ports are handed out from this range: an overlap lets outbound connections and HNS
//! port pools take ports that services or NodePorts need (bind failures, 0x803b0013), and a small
//! range exhausts quickly.
//!
//! # Evidence used
//! `dynamic-port-range-tcp` / `dynamic-port-range-udp` (at least one).
//!
//! # Fix
//! From the knowledge base entry `dynamic-port-range-misconfigured`.
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Domain facts §2.2 L3 (AKS used start=1025 num=64511, which overlaps NodePorts).

use crate::rules::prelude::*;

/// The rule.
pub struct DynamicPortRangeMisconfigured;

/// Fewer ports than this is too small for HNS port pools.
pub const MIN_PORTS: u32 = 4096;

impl Rule for DynamicPortRangeMisconfigured {
    fn id(&self) -> &'static str {
        "dynamic-port-range-misconfigured"
    }
    fn title(&self) -> &'static str {
        "Dynamic port range misconfigured"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[Fact::DynamicPortRangeTcp, Fact::DynamicPortRangeUdp]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        for d in &ctx.model.ports.dynamic {
            if d.start == DEFAULT_DYNAMIC_START && d.count == DEFAULT_DYNAMIC_COUNT {
                continue;
            }
            let (s, e) = (d.start, d.end());
            let mut problems = Vec::new();
            if s < 1024 {
                problems.push("it starts inside the well-known ports (< 1024)".to_string());
            }
            if s <= 32767 && e >= 30000 {
                problems.push("it overlaps the Kubernetes NodePort range 30000-32767".to_string());
            }
            let node_ports: Vec<String> = [10249u16, 10250, 10256]
                .iter()
                .filter(|p| (s..=e).contains(*p))
                .map(u16::to_string)
                .collect();
            if !node_ports.is_empty() {
                problems.push(format!(
                    "it contains the kubelet/kube-proxy ports {}",
                    node_ports.join(", ")
                ));
            }
            if d.count < MIN_PORTS {
                problems.push(format!(
                    "it holds only {} ports ({} 64-port blocks)",
                    d.count,
                    d.count / 64
                ));
            }
            if problems.is_empty() {
                continue;
            }
            let proto = d.protocol.to_string().to_uppercase();
            ctx.finding(
                self,
                format!(
                    "The {proto} dynamic port range is {s}-{e} ({} ports; default 49152-65535): {}.",
                    d.count,
                    problems.join("; ")
                ),
            )
            .why("Windows hands out ephemeral ports and HNS port pools from this range; where it overlaps ports services need, binds fail at random, and a small range runs out.")
            .evidence(&d.prov)
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(start: u16, count: u32) -> HostModel {
        let mut m = model(&[Fact::DynamicPortRangeTcp]);
        m.ports.dynamic = vec![dynamic(Transport::Tcp, start, count)];
        m
    }

    #[test]
    fn fires_on_overlaps_and_small() {
        let f = findings(&DynamicPortRangeMisconfigured, &m(1025, 64511));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("NodePort"));
        assert!(f[0].observed.contains("10250"));
        let f = findings(&DynamicPortRangeMisconfigured, &m(60000, 1000));
        assert!(f[0].observed.contains("only 1000 ports"));
    }

    #[test]
    fn quiet_on_default_or_sane_custom() {
        assert!(findings(&DynamicPortRangeMisconfigured, &m(49152, 16384)).is_empty());
        assert!(findings(&DynamicPortRangeMisconfigured, &m(40000, 25000)).is_empty());
    }

    #[test]
    fn not_evaluated_without_ranges() {
        assert_eq!(
            missing(&DynamicPortRangeMisconfigured, &model(&[])).len(),
            2
        );
    }
}
