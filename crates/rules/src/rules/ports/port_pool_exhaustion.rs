//! `port-pool-exhaustion` — too few free contiguous 64-port blocks in the TCP or UDP dynamic range.
//!
//! # What it finds
//! For TCP and for UDP separately, each from its own data: the dynamic port range minus that
//! protocol's excluded ranges and listening ports, counted as free contiguous 64-port blocks.
//! ≤ 10 blocks → error, ≤ 32 → warning. Also a failed port-reservation probe (collectlogs
//! `reservedports.txt`: "Running out of ephemeral ports", or fewer successful reservations than
//! attempted), and the number of HNS port-pool allocations when they were dumped.
//!
//! # Why it matters
//! HNS reserves a 64-port pool from the dynamic range for every non-DSR load balancer (and
//! WinNAT for its mappings); when no block is left, kube-proxy's policy creation fails with
//! 0x803b0013 "The specified port already exists", services are programmed inconsistently and
//! DNS can stop when the kube-dns load balancer is missing.
//!
//! # Evidence used
//! `dynamic-port-range-{tcp,udp}` (needed per protocol), `excluded-port-range-{tcp,udp}` and
//! `{tcp,udp}-listeners` (used when read; confidence drops without them),
//! `port-reservation-probe`, `hns-port-pools`. UDP is never computed from TCP listeners (a
//! networkhealth defect).
//!
//! # Fix
//! From the knowledge base entry `port-pool-exhaustion` (DSR, KB4551853 port-pool sharing,
//! widening the range).
//!
//! # Applies to
//! All builds; eased on WS2019 from 17763.1217 (KB4551853).
//!
//! # References
//! WCN networkhealth `PortExhaustionTest`; SDN `portReservationTest`; domain facts §2.2 L3.

use crate::portmath::{pool, EXHAUSTED_BLOCKS, LOW_BLOCKS};
use crate::rules::prelude::*;

/// The rule.
pub struct PortPoolExhaustion;

impl Rule for PortPoolExhaustion {
    fn id(&self) -> &'static str {
        "port-pool-exhaustion"
    }
    fn title(&self) -> &'static str {
        "Dynamic port range nearly exhausted"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[
            Fact::DynamicPortRangeTcp,
            Fact::DynamicPortRangeUdp,
            Fact::PortReservationProbe,
        ]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let pools_note = if m.has(Fact::HnsPortPools) {
            format!(
                " HNS reports {} port-pool allocations.",
                m.hns.port_pools.len()
            )
        } else {
            String::new()
        };
        for t in [Transport::Tcp, Transport::Udp] {
            let Some(p) = pool(m, t) else { continue };
            if p.free_blocks > LOW_BLOCKS {
                continue;
            }
            let proto = t.to_string().to_uppercase();
            let mut gaps = Vec::new();
            if !p.had_exclusions {
                gaps.push(format!("{proto} excluded ranges"));
            }
            if !p.had_listeners {
                gaps.push(format!("{proto} listeners"));
            }
            let caveat = if gaps.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} not read; the real number may be lower.)",
                    gaps.join(", ")
                )
            };
            let exhausted = p.free_blocks <= EXHAUSTED_BLOCKS;
            ctx.finding(
                self,
                format!(
                    "{} free contiguous 64-port blocks left in the {proto} dynamic range {}-{} ({} ports excluded, {} listening).{caveat}{pools_note}",
                    p.free_blocks, p.start, p.end, p.excluded_ports, p.listening_ports
                ),
            )
            .severity(if exhausted { Severity::Error } else { Severity::Warning })
            .why(format!(
                "HNS needs a free 64-port block in the {proto} dynamic range for each non-DSR load balancer and WinNAT for its mappings; {} new load balancers fail with 0x803b0013 \"The specified port already exists\".",
                if exhausted { "with this few left," } else { "when they run out," }
            ))
            .evidence_all(p.evidence.iter())
            .confidence(if gaps.is_empty() { Confidence::High } else { Confidence::Medium })
            .push(out);
        }
        if let Some(probe) = &m.ports.reservation_probe {
            let short = match (probe.attempted, probe.succeeded) {
                (Some(a), Some(s)) => s < a,
                (None, Some(s)) => s < 10,
                _ => false,
            };
            if probe.exhausted || short {
                ctx.finding(
                    self,
                    format!(
                        "The port-reservation probe {}{}.{pools_note}",
                        if probe.exhausted { "reported \"Running out of ephemeral ports\"" } else { "could not reserve every block" },
                        match (probe.attempted, probe.succeeded) {
                            (Some(a), Some(s)) => format!(" ({s} of {a} 64-port reservations succeeded)"),
                            (None, Some(s)) => format!(" ({s} 64-port reservations succeeded)"),
                            _ => String::new(),
                        }
                    ),
                )
                .why("The probe reserves 64-port blocks the way HNS does; when it fails, HNS's own reservations for load balancers fail too (0x803b0013).")
                .evidence(&probe.prov)
                .push(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(tcp_excl_end: u16) -> HostModel {
        let mut m = model(&[
            Fact::DynamicPortRangeTcp,
            Fact::DynamicPortRangeUdp,
            Fact::ExcludedPortRangeTcp,
            Fact::ExcludedPortRangeUdp,
            Fact::TcpListeners,
            Fact::UdpListeners,
        ]);
        m.ports.dynamic = vec![
            dynamic(Transport::Tcp, 49152, 16384),
            dynamic(Transport::Udp, 49152, 16384),
        ];
        m.ports.excluded = vec![excluded(Transport::Tcp, 49152, tcp_excl_end, false)];
        m
    }

    #[test]
    fn fires_on_few_tcp_blocks() {
        let f = findings(&PortPoolExhaustion, &m(65535 - 64 * 8));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].observed
                .starts_with("8 free contiguous 64-port blocks left in the TCP"),
            "{}",
            f[0].observed
        );
        let f = findings(&PortPoolExhaustion, &m(65535 - 64 * 20));
        assert_eq!(f[0].severity, Severity::Warning);
    }

    /// networkhealth defect: UDP blocks were computed from TCP connections. Here thousands of
    /// TCP listeners in the range leave the UDP pool untouched.
    #[test]
    fn udp_is_computed_from_udp_data_only() {
        let mut mm = m(49152);
        for p in (49300..65535).step_by(60) {
            mm.ports
                .listeners
                .push(listener(Transport::Tcp, "0.0.0.0", p, None));
        }
        let f = findings(&PortPoolExhaustion, &mm);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].observed.contains("TCP dynamic range"));
        assert!(!f.iter().any(|f| f.observed.contains("UDP")));
    }

    #[test]
    fn fires_on_failed_probe() {
        let mut mm = model(&[Fact::PortReservationProbe]);
        mm.ports.reservation_probe = Some(ReservationProbe {
            attempted: Some(10),
            succeeded: Some(3),
            exhausted: true,
            prov: prov(
                "reservedports.txt",
                5,
                "ERROR: Running out of ephemeral ports",
            ),
        });
        let f = findings(&PortPoolExhaustion, &mm);
        assert!(f[0].observed.contains("3 of 10"));
    }

    #[test]
    fn quiet_on_default_range() {
        assert!(findings(&PortPoolExhaustion, &m(49160)).is_empty());
    }

    #[test]
    fn not_evaluated_without_port_data() {
        let miss = missing(&PortPoolExhaustion, &model(&[Fact::TcpListeners]));
        assert!(miss.contains(&Fact::DynamicPortRangeTcp));
    }
}
