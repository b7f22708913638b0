use super::*;
use crate::psformat::decode_fixture;
use hnsdoctor_model::endpoint_state;

fn run(
    f: crate::ParseFn,
    source: &str,
    text: &str,
) -> (HostModel, InputSummary, Result<(), ParseError>) {
    let mut m = HostModel::new();
    let mut s = InputSummary::default();
    let r = f(&Input::new(source, text), &mut m, &mut s);
    (m, s, r)
}

fn ok(f: crate::ParseFn, source: &str, text: &str) -> (HostModel, InputSummary) {
    let (m, s, r) = run(f, source, text);
    assert_eq!(r, Ok(()), "{s:#?}");
    (m, s)
}

fn fx(bytes: &[u8]) -> String {
    decode_fixture(bytes)
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| u32::try_from(i + 1).unwrap())
        .unwrap()
}

#[test]
fn v1_detailed_networks_ps51_utf16() {
    let text = fx(include_bytes!(
        "../../fixtures/hns_json/networkdetailed-v1-ps51.txt"
    ));
    let (m, s) = ok(parse_networks, "networkdetailed.txt", &text);
    assert_eq!(s.objects, 2);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert!(m.has(Fact::HnsNetworks));
    let n = &m.hns.networks[0];
    assert_eq!(n.id, "3F6A2B1C-8D4E-4F5A-9B6C-7D8E9F0A1B2C");
    assert_eq!(n.name, "cbr0");
    assert_eq!(n.net_type, "L2Bridge");
    assert_eq!(n.schema, ApiSchema::V1);
    assert_eq!(n.management_ip.as_deref(), Some("10.240.0.35"));
    assert_eq!(n.adapter_name.as_deref(), Some("Ethernet 2"));
    assert_eq!(n.subnets[0].prefix, "10.244.3.0/24");
    assert_eq!(n.subnets[0].gateway.as_deref(), Some("10.244.3.1"));
    assert_eq!(n.dns_servers, ["10.96.0.10"]);
    assert_eq!(n.object_version, Some(38_654_705_666));
    assert_eq!(n.state, Some(1));
    assert_eq!(n.extensions.len(), 3);
    let vfp = &n.extensions[1];
    assert_eq!(vfp.id, "E9B59CFA-2BE1-4B21-828F-B6FBDBDDC017");
    assert!(vfp.enabled);
    assert!(!n.extensions[0].enabled);
    assert_eq!(
        n.host_vnic_port.as_deref(),
        Some("7A2B9C4D-1E3F-4A5B-8C6D-9E0F1A2B3C4D")
    );
    assert_eq!(
        n.external_port.as_deref(),
        Some("4D5E6F7A-8B9C-4D0E-9F1A-2B3C4D5E6F7A")
    );
    assert_eq!(n.policies[0].kind, "VLAN");
    // provenance: the object's first line, quoting its ID line
    assert_eq!(n.prov.source, "networkdetailed.txt");
    assert_eq!(n.prov.line, 2);
    assert_eq!(
        n.prov.text.as_deref(),
        Some("\"ID\":  \"3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c\",")
    );
    let nat = &m.hns.networks[1];
    assert_eq!(nat.name, "nat");
    assert_eq!(nat.net_type, "nat");
    assert_eq!(
        nat.prov.line,
        line_of(&text, "\"ActivityId\":  \"0F2E3D4C") - 1
    );
    assert_eq!(nat.host_vnic_port, None);
}

#[test]
fn legacy_network_txt_table_then_json_v2() {
    let text = fx(include_bytes!(
        "../../fixtures/hns_json/network-table-then-json.txt"
    ));
    let (m, s) = ok(parse_networks, "network.txt", &text);
    assert_eq!(m.hns.networks.len(), 2);
    let vx = &m.hns.networks[0];
    assert_eq!(vx.schema, ApiSchema::V2);
    assert_eq!(vx.net_type, "Overlay");
    assert_eq!(vx.adapter_name.as_deref(), Some("Ethernet"));
    assert_eq!(vx.subnets[0].prefix, "10.244.7.0/24");
    assert_eq!(vx.subnets[0].gateway.as_deref(), Some("10.244.7.1"));
    assert_eq!(vx.dns_servers, ["10.96.0.10"]);
    assert_eq!(vx.policies.len(), 3);
    assert_eq!(vx.policies[2].kind, "RemoteSubnetRoute");
    assert_eq!(vx.policies[2].settings["ProviderAddress"], "10.0.1.7");
    // v2 without Type is NAT
    let nat = &m.hns.networks[1];
    assert_eq!(nat.net_type, "NAT");
    assert_eq!(nat.flags, Some(8));
    assert_eq!(vx.prov.line, line_of(&text, "\"ID\":  \"5B3A2C1D") - 1);
    // the table before the JSON is noted, not parsed here
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("network.txt:2:") && w.contains("4 non-JSON lines")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn v2_endpoints_local_remote_encap() {
    let text = fx(include_bytes!("../../fixtures/hns_json/endpoints-v2.json"));
    let (m, s) = ok(parse_endpoints, "hns/endpoints.json", &text);
    assert_eq!(s.objects, 2);
    assert!(m.has(Fact::HnsEndpoints));
    assert!(!m.has(Fact::HnsEndpointState));
    let e = &m.hns.endpoints[0];
    assert_eq!(e.schema, ApiSchema::V2);
    assert_eq!(e.ips, ["10.244.7.17", "fd00:10:244:7::11"]);
    assert_eq!(e.prefix_length, Some(24));
    assert_eq!(
        e.network_id.as_deref(),
        Some("5B3A2C1D-0E9F-4A8B-9C7D-6E5F4A3B2C1D")
    );
    assert_eq!(
        e.namespace_id.as_deref(),
        Some("4EA04396-A6E5-478F-915E-909B8C80B2EF")
    );
    assert_eq!(e.is_remote, Some(false));
    assert_eq!(e.encap_overhead, Some(50));
    assert_eq!(e.gateway.as_deref(), Some("10.244.7.1"));
    assert_eq!(e.mac.as_deref(), Some("02-11-0a-f4-07-11"));
    assert_eq!(e.prov.line, 2);
    let r = &m.hns.endpoints[1];
    assert_eq!(r.is_remote, Some(true));
    assert_eq!(r.remote(), Some(true));
    assert_eq!(r.flags, Some(1));
    assert_eq!(r.prov.line, 3);
    assert!(r
        .prov
        .text
        .as_deref()
        .unwrap()
        .starts_with("\"ID\":\"9E1D4C2B"));
}

#[test]
fn truncated_json_keeps_complete_objects_and_warns() {
    let text = fx(include_bytes!(
        "../../fixtures/hns_json/endpoints-truncated.json"
    ));
    let (m, s) = ok(parse_endpoints, "hns/endpoints.json", &text);
    assert_eq!(m.hns.endpoints.len(), 2);
    assert_eq!(
        m.hns.endpoints[1].id,
        "9E1D4C2B-7A6F-4E3D-8C2B-1A0F9E8D7C6B"
    );
    let last = u32::try_from(text.trim_end().lines().count()).unwrap();
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    let w = &s.warnings[0];
    assert!(
        w.starts_with(&format!("hns/endpoints.json:{last}: JSON is truncated")),
        "{w}"
    );
    assert!(w.contains("kept 2 complete objects"), "{w}");
    // the list is real but not complete: rules reasoning from absence must know
    assert!(m.has(Fact::HnsEndpoints));
    assert!(m.is_partial(Fact::HnsEndpoints));
}

#[test]
fn truncated_single_object_is_broken() {
    let text = "{\n  \"ID\": \"0B4C9E52-6F1D-4A8E-93C2-5D7E8F9A0B1C\",\n  \"IpConfigurations\": [";
    let (m, _, r) = run(parse_endpoints, "hns/endpoints.json", text);
    assert!(m.hns.endpoints.is_empty());
    match r {
        Err(ParseError::Broken { line, .. }) => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn legacy_v1_endpoints_with_state_allocators_and_namespace() {
    let text = fx(include_bytes!(
        "../../fixtures/hns_json/endpoint-v1-legacy.txt"
    ));
    let (m, _) = ok(parse_endpoints, "endpoint.txt", &text);
    assert!(m.has(Fact::HnsEndpointState));
    assert!(
        !m.is_partial(Fact::HnsEndpoints),
        "a complete file is not partial"
    );
    assert_eq!(m.hns.endpoints.len(), 2);
    let e = &m.hns.endpoints[0];
    assert_eq!(e.schema, ApiSchema::V1);
    assert_eq!(e.id, "028ABAED-7FF6-4FDC-992C-D3B004936BE0");
    assert_eq!(e.state, Some(endpoint_state::ATTACHED_SHARING));
    assert_eq!(e.is_remote, Some(false));
    assert_eq!(e.ips, ["10.244.3.17"]);
    assert_eq!(e.network_name.as_deref(), Some("cbr0"));
    assert_eq!(
        e.vfp_port.as_deref(),
        Some("2E3F4A5B-6C7D-4E8F-9A0B-1C2D3E4F5A6B")
    );
    assert_eq!(e.compartment_id, Some(7));
    assert_eq!(
        e.namespace_id.as_deref(),
        Some("4EA04396-A6E5-478F-915E-909B8C80B2EF")
    );
    assert_eq!(e.encap_overhead, Some(50));
    assert_eq!(e.policies[0].kind, "OutBoundNAT");
    assert_eq!(e.policies[1].settings["DestinationPrefix"], "10.96.0.0/12");
    let r = &m.hns.endpoints[1];
    assert_eq!(r.is_remote, Some(true));
    assert_eq!(r.state, Some(endpoint_state::CREATED));
    assert_eq!(r.id, "E1F2A3B4-C5D6-4E7F-8A9B-0C1D2E3F4A5B");
}

#[test]
fn depth_truncated_value_count_wrapper() {
    let text = fx(include_bytes!(
        "../../fixtures/hns_json/endpoints-depth2-valuecount.txt"
    ));
    let (m, s) = ok(parse_endpoints, "endpoint.txt", &text);
    assert_eq!(m.hns.endpoints.len(), 2);
    let e = &m.hns.endpoints[0];
    // @{ID=…} read back
    assert_eq!(
        e.namespace_id.as_deref(),
        Some("4EA04396-A6E5-478F-915E-909B8C80B2EF")
    );
    // policies recovered from their text, allocators lost
    assert_eq!(e.policies.len(), 2);
    assert_eq!(e.policies[1].kind, "ROUTE");
    assert_eq!(e.policies[1].settings["NeedEncap"], "True");
    assert_eq!(e.vfp_port, None);
    assert_eq!(e.state, Some(3));
    // element lines point into the wrapper's array
    assert_eq!(e.prov.line, 3);
    for f in ["Namespace", "Policies"] {
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains(&format!("`{f}` is depth-truncated"))),
            "{f}: {:?}",
            s.warnings
        );
    }
}

#[test]
fn v1_policy_lists_elb_only() {
    let text = fx(include_bytes!("../../fixtures/hns_json/policy-v1.txt"));
    let (m, s) = ok(parse_load_balancers, "policy.txt", &text);
    assert!(m.has(Fact::HnsLoadBalancers));
    assert_eq!(m.hns.load_balancers.len(), 2);
    assert_eq!(s.skipped_count, 1);
    assert_eq!(s.skipped[0].line, line_of(&text, "C557FBB9") - 1);
    assert!(s.skipped[0].reason.contains("without an ELB"));
    let a = &m.hns.load_balancers[0];
    assert_eq!(a.schema, ApiSchema::V1);
    assert_eq!(a.vips, ["10.99.234.145"]);
    assert_eq!(a.endpoint_ids, ["028ABAED-7FF6-4FDC-992C-D3B004936BE0"]);
    assert_eq!(a.dsr, Some(false));
    assert_eq!(a.ilb, Some(false));
    assert_eq!(a.state, Some(2));
    assert_eq!(
        a.port_mappings[0],
        PortMapping {
            protocol: 6,
            internal_port: 8080,
            external_port: 80,
            flags: 0,
            distribution: 0
        }
    );
    let dns = &m.hns.load_balancers[1];
    assert_eq!(dns.dsr, Some(true));
    assert_eq!(dns.ilb, Some(true));
    assert_eq!(dns.state, Some(1));
    assert_eq!(dns.port_mappings[0].flags, 3);
    assert_eq!(dns.port_mappings[0].protocol, 17);
    assert_eq!(dns.endpoint_ids.len(), 2);
    assert_eq!(dns.endpoint_ids[1], "E1F2A3B4-C5D6-4E7F-8A9B-0C1D2E3F4A5B");
}

#[test]
fn v2_load_balancers_in_envelope() {
    let text = fx(include_bytes!(
        "../../fixtures/hns_json/loadbalancers-v2-envelope.json"
    ));
    let (m, _) = ok(parse_load_balancers, "hns/loadbalancers.json", &text);
    assert_eq!(m.hns.load_balancers.len(), 2);
    let np = &m.hns.load_balancers[0];
    assert_eq!(np.schema, ApiSchema::V2);
    assert!(np.vips.is_empty());
    assert_eq!(np.dsr, Some(true));
    assert_eq!(np.ilb, Some(false));
    assert_eq!(np.port_mappings[0].flags, 18);
    assert_eq!(np.port_mappings[0].external_port, 30080);
    assert_eq!(np.endpoint_ids[1], "0B4C9E52-6F1D-4A8E-93C2-5D7E8F9A0B1C");
    assert_eq!(np.prov.line, 4);
    let dns = &m.hns.load_balancers[1];
    assert_eq!(dns.dsr, Some(false));
    assert_eq!(dns.ilb, Some(true));
    assert_eq!(dns.port_mappings[0].distribution, 1);
    assert_eq!(dns.vips, ["10.96.0.10"]);
}

#[test]
fn namespaces_port_pools_version() {
    let text = fx(include_bytes!("../../fixtures/hns_json/namespaces-v2.json"));
    let (m, _) = ok(parse_namespaces, "hns/namespaces.json", &text);
    assert!(m.has(Fact::HnsNamespaces));
    let n = &m.hns.namespaces[0];
    assert_eq!(n.compartment_id, Some(7));
    assert_eq!(n.ns_type.as_deref(), Some("Host"));
    assert_eq!(n.endpoint_ids, ["0B4C9E52-6F1D-4A8E-93C2-5D7E8F9A0B1C"]);
    assert_eq!(n.container_ids.len(), 1);
    assert_eq!(m.hns.namespaces[1].compartment_id, Some(1));

    let text = fx(include_bytes!(
        "../../fixtures/hns_json/hnsportpoolallocs.txt"
    ));
    let (m, s) = ok(parse_port_pools, "hnsportpoolallocs.txt", &text);
    assert!(m.has(Fact::HnsPortPools));
    assert_eq!(s.objects, 2);
    let p = &m.hns.port_pools[1];
    assert_eq!(p.protocol, Some(17));
    assert_eq!(p.start, Some(49216));
    assert_eq!(p.count, Some(64));
    assert!(p.owner.as_deref().unwrap().starts_with("OutBoundNAT"));
    assert_eq!(p.raw["StartPort"], 49216);

    let text = fx(include_bytes!("../../fixtures/hns_json/version.json"));
    let (m, _) = ok(parse_version, "hns/version.json", &text);
    assert!(m.has(Fact::HnsVersion));
    assert_eq!(
        m.hns.version,
        Some(HnsVersion {
            major: 13,
            minor: 3
        })
    );
}

#[test]
fn empty_port_pool_and_endpoint_lists_mark_facts() {
    let (m, s) = ok(parse_endpoints, "hns/endpoints.json", "[]\n");
    assert!(m.has(Fact::HnsEndpoints));
    assert_eq!(s.objects, 0);
    let (m, _) = ok(
        parse_port_pools,
        "hns/portpools.json",
        "{\"PortPoolAllocations\":[]}",
    );
    assert!(m.has(Fact::HnsPortPools));
}

#[test]
fn hnsdiag_detailed_mixed_kinds() {
    let text = fx(include_bytes!(
        "../../fixtures/hns_json/hnsdiag-detailed.txt"
    ));
    assert!(detect_any(&text) >= 80);
    let (m, s) = ok(parse_any, "hnsdiag.txt", &text);
    assert_eq!(s.objects, 5);
    assert_eq!(m.hns.networks.len(), 1);
    assert_eq!(m.hns.endpoints.len(), 2);
    assert_eq!(m.hns.namespaces.len(), 1);
    assert_eq!(m.hns.load_balancers.len(), 1);
    assert_eq!(m.hns.endpoints[1].prov.line, 6);
    for f in [
        Fact::HnsNetworks,
        Fact::HnsEndpoints,
        Fact::HnsNamespaces,
        Fact::HnsLoadBalancers,
    ] {
        assert!(m.has(f), "{f}");
    }
}

#[test]
fn paste_infers_kind_per_object() {
    // a load balancer pasted where endpoints were expected is filed as a load balancer
    let text = r#"{"ID":"c0ffee00-1111-4222-8333-944455566677","FrontendVIPs":["10.96.0.1"],"PortMappings":[{"Protocol":6,"InternalPort":6443,"ExternalPort":443}]}"#;
    let (m, _) = ok(parse_endpoints, "paste#1", text);
    assert_eq!(m.hns.load_balancers.len(), 1);
    assert!(m.hns.endpoints.is_empty());
    assert_eq!(
        m.hns.load_balancers[0].id,
        "C0FFEE00-1111-4222-8333-944455566677"
    );
}

#[test]
fn skips() {
    for (t, why) in [
        ("", "empty"),
        ("  \n\n", "empty"),
        (
            "Get-HnsEndpoint : The term 'Get-HnsEndpoint' is not recognized as the name of a cmdlet, function",
            "collector error",
        ),
        ("Access is denied.", "collector error"),
        ("HNS API not available on this host", "collector error"),
        (
            "hcnOpenNetwork failed in Win32: Element not found. (0x490)",
            "collector error",
        ),
        ("Error: 0x803b0001 querying networks", "collector error"),
        (
            r#"{"Success":false,"Error":"The HNS service is not running. ","ErrorCode":2151350272}"#,
            "HNS returned an error: The HNS service is not running.",
        ),
        ("Name Type\n---- ----\ncbr0 L2Bridge\n", "no JSON"),
    ] {
        let (_, _, r) = run(parse_networks, "network.txt", t);
        match r {
            Err(ParseError::Skip { reason }) => assert!(reason.contains(why), "{t:?}: {reason}"),
            other => panic!("{t:?}: {other:?}"),
        }
    }
}

#[test]
fn broken_json_reports_line() {
    let text = "\n{\n  \"ID\": \"x\",\n  \"Name\" \"cbr0\"\n}\n";
    let (_, _, r) = run(parse_networks, "hns/networks.json", text);
    match r {
        Err(ParseError::Broken { line, path, .. }) => {
            assert_eq!(path, "hns/networks.json");
            assert_eq!(line, 4);
        }
        other => panic!("{other:?}"),
    }
    let (_, _, r) = run(parse_networks, "x", "[\n {\"ID\":\"a\"}\n}\n");
    // a mismatched bracket after one good element keeps it and warns
    assert_eq!(r, Ok(()));
    let (_, _, r) = run(parse_networks, "x", "{\n]\n");
    assert!(
        matches!(r, Err(ParseError::Broken { line: 2, .. })),
        "{r:?}"
    );
}

#[test]
fn bad_element_is_skipped_with_line() {
    let text =
        "[\n{\"ID\":\"a\",\"Subnets\":[]},\n{\"ID\" \"b\"},\n{\"ID\":\"c\",\"Subnets\":[]}\n]";
    let (m, s) = ok(parse_networks, "n", text);
    assert_eq!(m.hns.networks.len(), 2);
    assert_eq!(s.skipped[0].line, 3);
}

#[test]
fn detectors() {
    let ep = fx(include_bytes!("../../fixtures/hns_json/endpoints-v2.json"));
    assert_eq!(detect_endpoints(&ep), 85);
    assert_eq!(detect_networks(&ep), 0);
    let pl = fx(include_bytes!("../../fixtures/hns_json/policy-v1.txt"));
    assert_eq!(detect_load_balancers(&pl), 85);
    let net = fx(include_bytes!(
        "../../fixtures/hns_json/networkdetailed-v1-ps51.txt"
    ));
    assert_eq!(detect_networks(&net), 85);
    assert_eq!(detect_version(r#"{"Major":13,"Minor":3}"#), 85);
    assert_eq!(detect_port_pools("{\"PortPoolAllocations\":[]}"), 85);
    assert_eq!(detect_namespaces("[{\"ID\":\"x\",\"NamespaceId\":3}]"), 85);
    assert_eq!(detect_endpoints("hello world"), 0);
    assert_eq!(detect_any(&ep), 0);
}

#[test]
fn never_panics_on_prefixes() {
    // every cut of a real file parses or errors cleanly
    let text = fx(include_bytes!("../../fixtures/hns_json/policy-v1.txt"));
    let mut cuts = 0;
    for (i, _) in text.char_indices().step_by(37) {
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        let _ = parse_any(&Input::new("p", &text[..i]), &mut m, &mut s);
        cuts += 1;
    }
    assert!(cuts > 50);
}

#[test]
fn snapshot_v1_endpoint_model() {
    let text = fx(include_bytes!(
        "../../fixtures/hns_json/endpoint-v1-legacy.txt"
    ));
    let (m, _) = ok(parse_endpoints, "endpoint.txt", &text);
    insta::assert_json_snapshot!(m.hns.endpoints);
}

/// v1 JSON omits `IsRemoteEndpoint` when false (omitempty): a v1 endpoint with a State and no
/// such field is local; a v1 remote endpoint says so explicitly.
#[test]
fn v1_endpoint_without_is_remote_field_is_local() {
    let text = r#"[
 {"ID":"0B4C9E52-6F1D-4A8E-93C2-5D7E8F9A0B1C","VirtualNetwork":"3F6A2B1C-8D4E-4F5A-9B6C-7D8E9F0A1B2C",
  "VirtualNetworkName":"cbr0","IPAddress":"10.244.3.40","State":4},
 {"ID":"1C4C9E52-6F1D-4A8E-93C2-5D7E8F9A0B1D","VirtualNetwork":"3F6A2B1C-8D4E-4F5A-9B6C-7D8E9F0A1B2C",
  "IPAddress":"10.244.7.9","IsRemoteEndpoint":true,"State":1}
]"#;
    let (m, _) = ok(parse_endpoints, "hns/endpoints.json", text);
    assert_eq!(m.hns.endpoints.len(), 2);
    assert_eq!(m.hns.endpoints[0].is_remote, Some(false));
    assert_eq!(m.hns.endpoints[0].state, Some(4));
    assert_eq!(m.hns.endpoints[1].is_remote, Some(true));
}
