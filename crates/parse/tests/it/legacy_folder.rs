//! The complete legacy CollectLogs fixture (`examples/legacy-collectlogs-ws2019`, written by
//! `tools/fixtures/make_legacy_collectlogs.py`) opened and assembled end to end: every part of
//! the model a WS2019 l2bridge node's collection holds must be filled.

use hnsdoctor_bundle::InputKind;
use hnsdoctor_model::{Fact, ServiceState, Transport};
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/legacy-collectlogs-ws2019")
}

#[test]
fn legacy_folder_fills_the_model() {
    let opened = hnsdoctor_bundle::open(fixture().to_str().unwrap()).unwrap();
    assert_eq!(opened.kind, InputKind::LegacyCollectLogs);
    let m = hnsdoctor_parse::assemble::assemble(&opened);
    let summary = |name: &str| {
        m.inputs
            .iter()
            .find(|s| s.source == name)
            .unwrap_or_else(|| panic!("{name} not in inputs: {:#?}", m.inputs))
    };
    for name in ["network.txt", "endpoint.txt", "policy.txt", "winver.txt"] {
        let s = summary(name);
        assert_eq!(s.encoding.as_deref(), Some("utf-16le-bom"), "{name}");
        assert!(s.refused.is_none(), "{name}: {s:?}");
        assert_ne!(s.format, "unknown", "{name}");
    }

    // HNS: one L2Bridge network with its management IP, 4 local + 3 remote endpoints, 5 LBs.
    assert_eq!(m.hns.networks.len(), 1, "{:#?}", m.hns.networks);
    let net = &m.hns.networks[0];
    assert_eq!(net.name, "cbr0");
    assert!(net.net_type.eq_ignore_ascii_case("l2bridge"));
    assert_eq!(net.management_ip.as_deref(), Some("10.240.0.35"));
    assert_eq!(m.hns.endpoints.len(), 7);
    let remote = m
        .hns
        .endpoints
        .iter()
        .filter(|e| e.remote() == Some(true))
        .count();
    assert_eq!(remote, 3);
    assert!(m
        .hns
        .endpoints
        .iter()
        .any(|e| e.ips.iter().any(|ip| ip == "10.244.3.17") && e.state == Some(3)));
    assert_eq!(m.hns.load_balancers.len(), 5);
    let dns: Vec<_> = m
        .hns
        .load_balancers
        .iter()
        .filter(|lb| lb.vips.iter().any(|v| v == "10.96.0.10"))
        .flat_map(|lb| {
            lb.port_mappings
                .iter()
                .map(|p| (p.protocol, p.external_port))
        })
        .collect();
    assert!(dns.contains(&(6, 53)) && dns.contains(&(17, 53)), "{dns:?}");
    assert!(m.has(Fact::HnsNetworks) && m.has(Fact::HnsEndpoints) && m.has(Fact::HnsLoadBalancers));

    // Ports: default dynamic ranges, the exclusions (administered ones marked).
    let tcp = m
        .ports
        .dynamic_for(Transport::Tcp)
        .expect("tcp dynamic range");
    assert_eq!((tcp.start, tcp.count), (49152, 16384));
    assert!(m.ports.dynamic_for(Transport::Udp).is_some());
    assert!(m.ports.excluded.iter().any(|x| x.protocol == Transport::Tcp
        && x.start == 50000
        && x.end == 50059
        && x.administered));
    assert!(m.has(Fact::ExcludedPortRangeTcp) && m.has(Fact::DynamicPortRangeUdp));

    // OS: build from the OSVersion line (no UBR there), the hotfix table.
    let os = m.os.as_ref().expect("os");
    assert_eq!(os.build, 17763);
    assert_eq!(os.ubr, None, "[Environment]::OSVersion carries no UBR");
    assert!(os.hotfixes.iter().any(|h| h.id == "KB5034768"));

    // Services: hns and kube-proxy running.
    for name in ["hns", "kubeproxy", "kubelet", "containerd"] {
        assert!(
            m.services
                .iter()
                .any(|s| s.name == name && s.state == ServiceState::Running),
            "{name}: {:#?}",
            m.services
        );
    }
    assert!(m.has(Fact::Services));
}
