//! Whole-engine tests: a healthy node through every rule, the engine's contract (not evaluated,
//! `only`, ordering), and the WCN networkhealth defects we must not repeat (prior-art §2).

use crate::engine::{run, Options};
use crate::finding::Severity;
use crate::testkit::*;
use chrono::TimeZone;
use hnsdoctor_model::*;

/// A healthy WS2019 l2bridge Kubernetes node with every kind of evidence present.
pub fn healthy() -> HostModel {
    let mut m = model(&[
        Fact::OsBuild,
        Fact::OsUbr,
        Fact::Hotfixes,
        Fact::HnsVersion,
        Fact::ContainerImages,
        Fact::HnsNetworks,
        Fact::HnsEndpoints,
        Fact::HnsEndpointState,
        Fact::HnsNamespaces,
        Fact::HnsLoadBalancers,
        Fact::HnsPortPools,
        Fact::HnsProcess,
        Fact::IpConfig,
        Fact::IpConfigAllCompartments,
        Fact::InterfaceMtu,
        Fact::DynamicPortRangeTcp,
        Fact::DynamicPortRangeUdp,
        Fact::ExcludedPortRangeTcp,
        Fact::ExcludedPortRangeUdp,
        Fact::TcpListeners,
        Fact::UdpListeners,
        Fact::Services,
        Fact::VfpPorts,
        Fact::VfpPortState,
        Fact::VfpRules,
        Fact::PktmonComponents,
        Fact::PktmonCounters,
        Fact::PktmonDrops,
        Fact::NetNat,
        Fact::VSwitches,
        Fact::Tcpip6Params,
        Fact::DnsCacheParams,
        Fact::CniConfig,
        Fact::KubeContext,
        Fact::KubeProxyLog,
        Fact::KubeletLog,
        Fact::SystemEventLog,
    ]);
    m.host_name = Some("akswin000001".into());
    m.collected_at = Some("2025-06-01T00:00:00Z".into());
    m.os = Some(OsInfo {
        build: 17763,
        ubr: Some(7009),
        prov: prov("systeminfo.txt", 3, "OS Version: 10.0.17763"),
        ..OsInfo::default()
    });
    m.hns.version = Some(HnsVersion {
        major: 10,
        minor: 4,
    });
    let mut net = network("N1", "cbr0", "L2Bridge");
    net.management_ip = Some("10.240.0.35".into());
    net.subnets.push(Subnet {
        prefix: "10.244.1.0/24".into(),
        gateway: Some("10.244.1.1".into()),
    });
    net.host_vnic_port = Some("P-HOST".into());
    net.external_port = Some("P-EXT".into());
    m.hns.networks.push(net);
    let mut e1 = local_ep("E1", "10.244.1.5", Some(3));
    e1.vfp_port = Some("P-E1".into());
    e1.namespace_id = Some("NS1".into());
    m.hns.endpoints.push(e1);
    m.hns.endpoints.push(remote_ep("R1", "10.244.2.7"));
    m.hns.namespaces.push(Namespace {
        id: "NS1".into(),
        compartment_id: Some(3),
        ns_type: Some("Host".into()),
        is_default: Some(false),
        endpoint_ids: vec!["E1".into()],
        container_ids: vec!["c1".into()],
        prov: prov("hns/namespaces.json", 2, "NS1"),
    });
    m.hns.load_balancers = vec![
        lb(
            "DNSU",
            &["10.96.0.10"],
            &["E1", "R1"],
            protocol::UDP,
            53,
            false,
        ),
        lb(
            "DNST",
            &["10.96.0.10"],
            &["E1", "R1"],
            protocol::TCP,
            53,
            false,
        ),
        lb("WEB", &["10.96.0.20"], &["E1"], protocol::TCP, 80, false),
    ];
    m.hns.process = Some(ProcessInfo {
        pid: Some(2000),
        threads: Some(60),
        working_set: None,
        prov: prov("hns/process.txt", 1, "60"),
    });
    m.net.compartments = vec![
        Compartment {
            id: Some(1),
            adapters: vec![IpAdapter {
                name: "vEthernet (Ethernet)".into(),
                ipv4: vec![IpAddrInfo {
                    address: "10.240.0.35".into(),
                    prefix_length: Some(16),
                    state: None,
                }],
                ..IpAdapter::default()
            }],
            ..Compartment::default()
        },
        Compartment {
            id: Some(3),
            adapters: vec![IpAdapter {
                name: "vEthernet (E1)".into(),
                ..IpAdapter::default()
            }],
            ..Compartment::default()
        },
    ];
    m.net.interfaces = vec![
        Interface {
            name: "vEthernet (Ethernet)".into(),
            mtu: Some(1500),
            compartment_id: Some(1),
            ..Interface::default()
        },
        Interface {
            name: "vEthernet (E1)".into(),
            mtu: Some(1450),
            compartment_id: Some(3),
            ..Interface::default()
        },
    ];
    m.ports.dynamic = vec![
        dynamic(Transport::Tcp, 49152, 16384),
        dynamic(Transport::Udp, 49152, 16384),
    ];
    m.ports.excluded = vec![excluded(Transport::Tcp, 50000, 50059, true)];
    m.ports.listeners = vec![
        listener(Transport::Tcp, "0.0.0.0", 10250, Some("kubelet")),
        listener(Transport::Tcp, "0.0.0.0", 10256, Some("kube-proxy")),
        listener(Transport::Udp, "0.0.0.0", 5353, Some("svchost")),
    ];
    m.services = ["hns", "vmcompute", "kubelet", "kubeproxy", "containerd"]
        .iter()
        .map(|n| service(n, ServiceState::Running))
        .collect();
    m.vfp.ports = ["P-E1", "P-HOST", "P-EXT"]
        .iter()
        .map(|n| VfpPort {
            name: (*n).into(),
            blocked: Some(false),
            layers: vec![VfpLayer {
                name: "DECAP_IN".into(),
                groups: vec![],
            }],
            prov: prov("vfp/ports.txt", 1, n),
            ..VfpPort::default()
        })
        .collect();
    m.nat.switches.push(VSwitch {
        name: "Ethernet".into(),
        switch_type: Some("External".into()),
        adapter_description: None,
        allow_management_os: Some(true),
        prov: prov("vmswitch.txt", 1, "Ethernet External"),
    });
    m.cni.push(CniConfig {
        path: "C:/etc/cni/net.d/10-sdnbridge.conf".into(),
        plugin_types: vec!["sdnbridge".into()],
        prov: prov("cni/10-sdnbridge.conf", 1, "sdnbridge"),
        ..CniConfig::default()
    });
    m.k8s = KubeContext {
        service_cidr: Some("10.96.0.0/12".into()),
        cluster_cidr: Some("10.244.0.0/16".into()),
        dns_ip: Some("10.96.0.10".into()),
        network_name: Some("cbr0".into()),
        enable_dsr: Some(false),
        node_ip: Some("10.240.0.35".into()),
        runtime: Some("containerd".into()),
        ..KubeContext::default()
    };
    m.log_events.push(log(
        Component::KubeProxy,
        "Policy creation succeeded for 10.96.0.20:80",
        &[],
    ));
    m.mark(Fact::LbCountSeries);
    m.lb_count_samples = [212, 212, 214, 213]
        .iter()
        .enumerate()
        .map(|(i, c)| CountSample {
            time: None,
            count: *c,
            prov: prov(
                "lbcount.txt",
                u32::try_from(i).unwrap_or(0) + 1,
                &c.to_string(),
            ),
        })
        .collect();
    let img = "mcr.microsoft.com/windows/servercore:10.0.17763.7009";
    m.images.extend(ContainerImage::from_reference(
        img,
        prov("containers/images.txt", 2, img),
    ));
    m
}

#[test]
fn healthy_node_has_no_errors_and_runs_every_rule() {
    let r = run(&healthy(), &Options::default());
    let errors: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "errors on a healthy node: {errors:#?}");
    let warnings: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| f.id.as_str())
        .collect();
    assert!(
        warnings.is_empty(),
        "warnings on a healthy node: {warnings:?}"
    );
    assert!(
        r.not_evaluated.is_empty(),
        "not evaluated on a full model: {:?}",
        r.not_evaluated
    );
    assert!(r.passed.len() > 40, "only {} passed", r.passed.len());
    assert_eq!(r.os_build.as_deref(), Some("17763.7009"));
    assert_eq!(r.host.as_deref(), Some("akswin000001"));
}

#[test]
fn empty_model_passes_nothing_silently() {
    let r = run(&HostModel::new(), &Options::default());
    // only rules that need no fact may pass on an empty model
    assert_eq!(
        r.passed,
        vec![
            "hns-api-unavailable".to_string(),
            "input-not-recognised".to_string()
        ]
    );
    assert!(r.not_evaluated.iter().all(|n| !n.missing.is_empty()));
    assert!(r.not_evaluated.iter().any(|n| n.id == "dns-lb-missing"));
}

/// A rule that needs any one of several facts says so: `any_of` lists the alternatives (all of
/// them in `missing` too), and rules that need every fact leave `any_of` empty.
#[test]
fn not_evaluated_separates_any_of_from_all_of() {
    let r = run(&HostModel::new(), &Options::default());
    let dns = r
        .not_evaluated
        .iter()
        .find(|n| n.id == "dns-resolution-failing")
        .expect("dns-resolution-failing needs any log");
    // any log, or name-resolution output (nslookup / Resolve-DnsName …)
    let mut want = Fact::LOGS.to_vec();
    want.push(Fact::NameResolution);
    assert_eq!(dns.any_of, want);
    assert!(dns.any_of.iter().all(|f| dns.missing.contains(f)));
    let lb = r
        .not_evaluated
        .iter()
        .find(|n| n.id == "dns-lb-missing")
        .expect("dns-lb-missing");
    assert!(lb.any_of.is_empty(), "{lb:?}");
    // once one log is read, the alternatives are satisfied and the rule runs
    let mut m = HostModel::new();
    m.facts.insert(Fact::KubeletLog);
    let r = run(&m, &Options::default());
    assert!(r
        .not_evaluated
        .iter()
        .all(|n| n.id != "dns-resolution-failing" || n.any_of.is_empty()));
}

#[test]
fn only_selects_rules() {
    let opts = Options {
        only: Some(vec!["hns-deadlock".into(), "hns-crash".into()]),
        ..Options::default()
    };
    let r = run(&healthy(), &opts);
    let mut ran: Vec<String> = r.passed.clone();
    ran.extend(r.findings.iter().map(|f| f.id.clone()));
    ran.extend(r.not_evaluated.iter().map(|n| n.id.clone()));
    ran.sort();
    assert_eq!(
        ran,
        vec!["hns-crash".to_string(), "hns-deadlock".to_string()]
    );
}

#[test]
fn findings_sorted_errors_first() {
    let mut m = healthy();
    if let Some(p) = m.hns.process.as_mut() {
        p.threads = Some(5000);
    }
    m.ports.dynamic[0].start = 1025;
    m.ports.dynamic[0].count = 64511;
    let r = run(&m, &Options::default());
    assert!(r.findings.len() >= 2);
    assert!(r
        .findings
        .windows(2)
        .all(|w| w[0].severity >= w[1].severity));
    assert_eq!(r.findings[0].id, "hns-deadlock");
    assert!(!r.findings[0].fix.is_empty(), "fix steps come from the KB");
}

// ---- networkhealth defects (prior-art §2): one test each, pointing at the rule tests ----

/// Defect: the APIPA test could never fail. Full-pipeline check on the healthy node.
#[test]
fn defect_apipa_check_can_fail() {
    let mut m = healthy();
    m.hns.networks[0].management_ip = Some("169.254.1.9".into());
    let r = run(&m, &Options::default());
    assert!(r
        .findings
        .iter()
        .any(|f| f.id == "apipa-management-ip" && f.severity == Severity::Error));
}

/// Defect: the crash test never passed and had no time window.
#[test]
fn defect_hns_crash_can_pass_and_respects_window() {
    let crash = |t: &str| EventRecord {
        channel: "System".into(),
        provider: Some("Service Control Manager".into()),
        event_id: 7031,
        level: Some(2),
        time: Some(t.into()),
        message: "The Host Network Service terminated unexpectedly.".into(),
        prov: prov("events/system.txt", 1, "x"),
    };
    let mut m = healthy();
    m.event_records.push(crash("2025-05-01T00:00:00Z"));
    let now = chrono::Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).single();
    let opts = Options {
        now,
        ..Options::default()
    };
    let r = run(&m, &opts);
    assert!(r.passed.contains(&"hns-crash".to_string()));
    m.event_records.push(crash("2025-05-31T20:00:00Z"));
    let r = run(&m, &opts);
    assert!(r.findings.iter().any(|f| f.id == "hns-crash"));
    let narrow = Options {
        now,
        window_hours: 2,
        ..Options::default()
    };
    assert!(run(&m, &narrow).passed.contains(&"hns-crash".to_string()));
}

/// Defect: UDP free blocks were computed from TCP connections.
#[test]
fn defect_udp_exhaustion_from_udp_data() {
    let mut m = healthy();
    for p in (49200..65535).step_by(50) {
        m.ports
            .listeners
            .push(listener(Transport::Tcp, "10.240.0.35", p, None));
    }
    let r = run(&m, &Options::default());
    let f: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.id == "port-pool-exhaustion")
        .collect();
    assert_eq!(f.len(), 1);
    assert!(f[0].observed.contains("TCP dynamic range"));
    assert!(!f[0].observed.contains("UDP"));
}

/// Defect: the DSR test reported the LB_DSR rule even when NAT/ALLOW_NAT was missing —
/// covered in `rules::vfp::dsr_vfp_rules_missing::tests::names_the_rule_actually_missing`;
/// here: the rule is registered and runs in the full pipeline.
#[test]
fn defect_dsr_check_registered() {
    assert!(crate::registry::rule("dsr-vfp-rules-missing").is_some());
    assert!(run(&healthy(), &Options::default())
        .passed
        .contains(&"dsr-vfp-rules-missing".to_string()));
}

/// Defect: replay was not offline (tests queried/mutated the live host). The rules crate must
/// not depend on the host or collector crates.
#[test]
fn defect_analysis_is_offline() {
    let toml = include_str!("../Cargo.toml");
    for forbidden in [
        "hnsdoctor-host",
        "hnsdoctor-collect",
        "windows-sys",
        "libloading",
    ] {
        assert!(
            !toml.contains(forbidden),
            "hnsdoctor-rules depends on {forbidden}"
        );
    }
    assert!(toml.contains("hnsdoctor-model"));
}

/// Defect: the dangling-LB check was disabled ("TODO fix"). Ours is registered and fires.
#[test]
fn defect_dangling_lb_check_enabled() {
    let mut m = healthy();
    m.hns.load_balancers[2].endpoint_ids.push("GONE".into());
    let r = run(&m, &Options::default());
    assert!(r
        .findings
        .iter()
        .any(|f| f.id == "lb-dangling-endpoint" && f.observed.contains("GONE")));
}
