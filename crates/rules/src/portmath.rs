//! Port arithmetic shared by the port rules: free contiguous 64-port blocks per protocol,
//! computed from that protocol's own data only.

use hnsdoctor_model::{Fact, HostModel, Prov, Transport};

/// HNS and WinNAT reserve ports in blocks of this size (SDN `portReservationTest` emulates 64).
pub const BLOCK: u32 = 64;
/// At or below this many free blocks the pool is exhausted (WCN networkhealth's threshold).
pub const EXHAUSTED_BLOCKS: u32 = 10;
/// At or below this many free blocks the pool is running low (an eighth of the default range).
pub const LOW_BLOCKS: u32 = 32;

/// The facts that describe one protocol's port space.
#[must_use]
pub fn facts(t: Transport) -> (Fact, Fact, Fact) {
    match t {
        Transport::Tcp => (
            Fact::DynamicPortRangeTcp,
            Fact::ExcludedPortRangeTcp,
            Fact::TcpListeners,
        ),
        Transport::Udp => (
            Fact::DynamicPortRangeUdp,
            Fact::ExcludedPortRangeUdp,
            Fact::UdpListeners,
        ),
    }
}

/// Free-block count of one protocol's dynamic range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolState {
    /// Protocol.
    pub protocol: Transport,
    /// Dynamic range start.
    pub start: u16,
    /// Dynamic range end (inclusive).
    pub end: u16,
    /// Ports inside the range covered by exclusions of this protocol.
    pub excluded_ports: u32,
    /// Listening ports of this protocol inside the range.
    pub listening_ports: u32,
    /// Free contiguous 64-port blocks.
    pub free_blocks: u32,
    /// Excluded ranges were read for this protocol.
    pub had_exclusions: bool,
    /// Listeners were read for this protocol.
    pub had_listeners: bool,
    /// Provenance of the facts used.
    pub evidence: Vec<Prov>,
}

/// Compute the pool state of protocol `t`, or `None` when its dynamic range was not read.
/// Only `t`'s own exclusions and listeners count (TCP listeners never reduce the UDP pool).
#[must_use]
pub fn pool(m: &HostModel, t: Transport) -> Option<PoolState> {
    let (fd, fe, fl) = facts(t);
    if !m.has(fd) {
        return None;
    }
    let dynr = m.ports.dynamic_for(t)?;
    let (start, end) = (dynr.start, dynr.end());
    let mut used = vec![false; 65536];
    let mut evidence = vec![dynr.prov.clone()];
    let mut excluded_ports = 0;
    for x in m.ports.excluded.iter().filter(|x| x.protocol == t) {
        let mut touched = false;
        for p in x.start.max(start)..=x.end.min(end) {
            if !used[usize::from(p)] {
                used[usize::from(p)] = true;
                excluded_ports += 1;
            }
            touched = true;
        }
        if touched && evidence.len() < 12 {
            evidence.push(x.prov.clone());
        }
    }
    let mut listening_ports = 0;
    for l in m
        .ports
        .listeners
        .iter()
        .filter(|l| l.protocol == t && l.is_listening())
    {
        let p = l.local_port;
        if p >= start && p <= end && !used[usize::from(p)] {
            used[usize::from(p)] = true;
            listening_ports += 1;
        }
    }
    let mut free_blocks = 0;
    let mut run = 0u32;
    for p in start..=end {
        if used[usize::from(p)] {
            free_blocks += run / BLOCK;
            run = 0;
        } else {
            run += 1;
        }
    }
    free_blocks += run / BLOCK;
    Some(PoolState {
        protocol: t,
        start,
        end,
        excluded_ports,
        listening_ports,
        free_blocks,
        had_exclusions: m.has(fe),
        had_listeners: m.has(fl),
        evidence,
    })
}

/// Whether a port lies in the Kubernetes default NodePort range.
#[must_use]
pub fn is_nodeport(p: u16) -> bool {
    (30000..=32767).contains(&p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn blocks_counted_per_protocol() {
        let mut m = model(&[Fact::DynamicPortRangeTcp, Fact::DynamicPortRangeUdp]);
        m.ports.dynamic = vec![
            dynamic(Transport::Tcp, 49152, 16384),
            dynamic(Transport::Udp, 49152, 16384),
        ];
        m.ports.excluded = vec![excluded(Transport::Tcp, 49152, 65535 - 64 * 5, false)];
        m.ports.listeners = vec![listener(Transport::Tcp, "0.0.0.0", 65535 - 64, None)];
        let tcp = pool(&m, Transport::Tcp).unwrap_or_else(|| panic!("tcp pool"));
        // 5*64 ports free minus one listener splitting the last block
        assert_eq!(tcp.free_blocks, 4);
        let udp = pool(&m, Transport::Udp).unwrap_or_else(|| panic!("udp pool"));
        assert_eq!(udp.free_blocks, 256);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// Free 64-port blocks by brute force: runs of ports not excluded and not listened on.
        fn brute(start: u16, end: u16, ex: &[(u16, u16)], ls: &[u16]) -> u32 {
            let used = |p: u16| ex.iter().any(|(a, b)| *a <= p && p <= *b) || ls.contains(&p);
            let (mut free, mut run) = (0, 0u32);
            for p in start..=end {
                if used(p) {
                    free += run / BLOCK;
                    run = 0;
                } else {
                    run += 1;
                }
            }
            free + run / BLOCK
        }

        fn pool_model(
            start: u16,
            count: u32,
            tcp_ex: &[(u16, u16)],
            udp_ex: &[(u16, u16)],
            ls: &[u16],
        ) -> HostModel {
            let mut m = model(&[
                Fact::DynamicPortRangeTcp,
                Fact::ExcludedPortRangeTcp,
                Fact::TcpListeners,
            ]);
            m.ports.dynamic = vec![dynamic(Transport::Tcp, start, count)];
            m.ports.excluded = tcp_ex
                .iter()
                .map(|(a, b)| excluded(Transport::Tcp, *a, *b, false))
                .chain(
                    udp_ex
                        .iter()
                        .map(|(a, b)| excluded(Transport::Udp, *a, *b, false)),
                )
                .collect();
            m.ports.listeners = ls
                .iter()
                .map(|p| listener(Transport::Tcp, "0.0.0.0", *p, None))
                .collect();
            m
        }

        fn range() -> impl Strategy<Value = (u16, u16)> {
            (1024u16..65535, 0u16..3000).prop_map(|(a, n)| (a, a.saturating_add(n)))
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 200, rng_seed: proptest::test_runner::RngSeed::Fixed(14), ..ProptestConfig::default() })]

            #[test]
            fn free_blocks_match_brute_force_and_only_shrink(
                start in 1024u16..60000,
                count in 1u32..16384,
                ex in proptest::collection::vec(range(), 0..8),
                udp in proptest::collection::vec(range(), 0..4),
                ls in proptest::collection::vec(1024u16..65535, 0..20),
                extra in range(),
            ) {
                let count = count.min(65536 - u32::from(start));
                let m = pool_model(start, count, &ex, &udp, &ls);
                let p = pool(&m, Transport::Tcp).unwrap();
                prop_assert_eq!((p.start, p.end), (start, m.ports.dynamic[0].end()));
                prop_assert_eq!(p.free_blocks, brute(p.start, p.end, &ex, &ls));
                prop_assert!(p.free_blocks <= (u32::from(p.end) - u32::from(p.start) + 1) / BLOCK);
                prop_assert!(p.excluded_ports + p.listening_ports <= u32::from(p.end) - u32::from(p.start) + 1);
                // UDP exclusions never touch the TCP pool.
                let no_udp = pool(&pool_model(start, count, &ex, &[], &ls), Transport::Tcp).unwrap();
                prop_assert_eq!(no_udp.free_blocks, p.free_blocks);
                // One more exclusion never frees a block.
                let mut more = ex.clone();
                more.push(extra);
                let q = pool(&pool_model(start, count, &more, &udp, &ls), Transport::Tcp).unwrap();
                prop_assert!(q.free_blocks <= p.free_blocks);
                prop_assert!(q.excluded_ports >= p.excluded_ports);
            }
        }
    }
}
