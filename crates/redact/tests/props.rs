//! Property tests of obfuscation: relations between addresses survive (shared prefixes, CIDR
//! membership, distinctness), well-known addresses keep their value, and the same key gives the
//! same stand-ins.

use hnsdoctor_redact::obfuscate::{ipv4_kept_bits, Obfuscator};
use proptest::prelude::*;
use std::net::{Ipv4Addr, Ipv6Addr};

fn common_prefix(a: u32, b: u32) -> u32 {
    (a ^ b).leading_zeros()
}

fn any_v4() -> impl Strategy<Value = Ipv4Addr> {
    prop_oneof![
        any::<u32>().prop_map(Ipv4Addr::from),
        (0u32..1 << 24).prop_map(|x| Ipv4Addr::from(0x0a00_0000 | x)),
        (0u32..1 << 20).prop_map(|x| Ipv4Addr::from(0xac10_0000 | x)),
        (0u32..1 << 16).prop_map(|x| Ipv4Addr::from(0xc0a8_0000 | x)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, rng_seed: proptest::test_runner::RngSeed::Fixed(14), ..ProptestConfig::default() })]

    #[test]
    fn ipv4_prefixes_are_preserved_and_the_map_is_one_to_one(key in any::<[u8; 32]>(), a in any_v4(), b in any_v4()) {
        let mut o = Obfuscator::new(key, &[]);
        let (ma, mb) = (o.map_ipv4(a), o.map_ipv4(b));
        // The common prefix of the stand-ins is exactly that of the originals.
        prop_assert_eq!(common_prefix(u32::from(a), u32::from(b)), common_prefix(u32::from(ma), u32::from(mb)));
        prop_assert_eq!(a == b, ma == mb);
        // The class prefix and the last octet stay; well-known addresses stay whole.
        let keep = ipv4_kept_bits(a);
        prop_assert_eq!(common_prefix(u32::from(a), u32::from(ma)) >= keep.min(32), true);
        prop_assert_eq!(a.octets()[3], ma.octets()[3]);
        prop_assert_eq!(ipv4_kept_bits(ma), keep);
        // Deterministic per key.
        let mut again = Obfuscator::new(key, &[]);
        prop_assert_eq!(again.map_ipv4(a), ma);
    }

    #[test]
    fn a_cidr_still_holds_the_same_addresses_in_text(key in any::<[u8; 32]>(), base in (0u32..1 << 24), len in 8u32..=30, hosts in proptest::collection::vec(any::<u32>(), 1..6), outside in any::<u32>()) {
        let mask = u32::MAX << (32 - len);
        let net = (0x0a00_0000 | base) & mask;
        let inside: Vec<Ipv4Addr> = hosts.iter().map(|h| Ipv4Addr::from(net | (h & !mask))).collect();
        let out_addr = Ipv4Addr::from((net ^ (1 << (32 - len))) | (outside & !mask));
        let mut text = format!("cidr {}/{len} out {out_addr}", Ipv4Addr::from(net));
        for h in &inside {
            text.push_str(&format!(" in {h}"));
        }
        let mut o = Obfuscator::new(key, &[]);
        let got = String::from_utf8(o.apply(text.as_bytes())).unwrap();
        let w: Vec<&str> = got.split_whitespace().collect();
        let (cnet, clen) = w[1].split_once('/').unwrap();
        prop_assert_eq!(clen, len.to_string());
        let cnet = u32::from(cnet.parse::<Ipv4Addr>().unwrap());
        prop_assert_eq!(cnet & mask, cnet, "{} is not a network address", w[1]);
        for (i, h) in w.iter().skip(5).step_by(2).enumerate() {
            let m = u32::from(h.parse::<Ipv4Addr>().unwrap());
            prop_assert_eq!(m & mask, cnet, "{} of {} left {}", h, inside[i], w[1]);
        }
        let mo = u32::from(w[3].parse::<Ipv4Addr>().unwrap());
        prop_assert_ne!(mo & mask, cnet);
        // The same text through a second obfuscator with the same key: the same output.
        prop_assert_eq!(String::from_utf8(Obfuscator::new(key, &[]).apply(text.as_bytes())).unwrap(), got);
    }

    #[test]
    fn ipv6_prefixes_are_preserved(key in any::<[u8; 32]>(), a in any::<u128>(), flip in 0u32..112) {
        let a6 = Ipv6Addr::from((a & !(0xe000u128 << 112)) | (0x2000u128 << 112));
        let b6 = Ipv6Addr::from(u128::from(a6) ^ (1u128 << (127 - flip.max(3))));
        let mut o = Obfuscator::new(key, &[]);
        let (ma, mb) = (o.map_ipv6(a6), o.map_ipv6(b6));
        let cp = |x: Ipv6Addr, y: Ipv6Addr| (u128::from(x) ^ u128::from(y)).leading_zeros();
        prop_assert_eq!(cp(a6, b6), cp(ma, mb));
        prop_assert_eq!(u128::from(ma) >> 125, 1, "left 2000::/3");
    }
}
