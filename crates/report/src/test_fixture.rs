//! The representative report every renderer is snapshot-tested on (ruff's
//! `create_diagnostics()`): every severity, a not-evaluated rule, several evidence lines, a
//! non-ASCII host name, long fix text, refused and partly skipped inputs, and a host model with
//! networks, endpoints, load balancers, port ranges, hotfixes and services — plus an empty
//! report. Everything is fixed (tool version, collection time), so renders are deterministic.
//!
//! Compiled for this crate's tests and, with the `testkit` feature (never in release builds),
//! for other crates' tests.

use hnsdoctor_findings::{
    Confidence, Finding, FixStep, NotEvaluated, Report, Severity, REPORT_SCHEMA_VERSION,
};
use hnsdoctor_model::{
    endpoint_state, protocol, ApiSchema, DynamicPortRange, Endpoint, ExcludedPortRange, Fact,
    HostModel, Hotfix, InputSummary, Listener, LoadBalancer, Network, OsInfo, PortMapping, Prov,
    Service, ServiceState, SkippedLine, Subnet, Transport,
};

/// Tool version stamped into fixture reports (not the crate version, so snapshots survive
/// releases).
pub const FIXTURE_TOOL_VERSION: &str = "0.0.0-fixture";
/// Knowledge-base data version the fixtures carry (fixed, so snapshots do not follow the data).
pub const FIXTURE_KB_REVIEWED: &str = "2026-11-30";

fn q(source: &str, line: u32, text: &str) -> Prov {
    Prov::quoted(source, line, text)
}

fn step(text: &str, command: Option<&str>, last_resort: bool, changes_host: bool) -> FixStep {
    FixStep {
        targets: Vec::new(),
        text: text.to_string(),
        command: command.map(str::to_string),
        last_resort,
        changes_host,
    }
}

/// A report with nothing in it (no findings, no inputs, empty model).
#[must_use]
pub fn empty_report() -> Report {
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        tool_version: FIXTURE_TOOL_VERSION.to_string(),
        kb_reviewed: FIXTURE_KB_REVIEWED.to_string(),
        host: None,
        os_build: None,
        findings: Vec::new(),
        passed: Vec::new(),
        not_evaluated: Vec::new(),
        inputs: Vec::new(),
        model: HostModel::new(),
    }
}

/// The representative report (see the module doc).
#[must_use]
pub fn sample_report() -> Report {
    let findings = vec![
        Finding {
            id: "port-pool-exhaustion".into(),
            severity: Severity::Error,
            title: "Too few free 64-port blocks in the TCP dynamic port range".into(),
            observed: "3 free contiguous 64-port blocks left in TCP 49152-65535 \
                       (16384 ports, 14976 excluded in 234 ranges); HNS needs at least 10"
                .into(),
            why: "HNS reserves ports for load balancers and WinNAT in blocks of 64. When no block \
                  is left, new services and pods fail with 0x803b0013 (\"The port already \
                  exists\")."
                .into(),
            evidence: vec![
                q("netsh/excludedportrange-tcp.txt", 5, "49152       49215"),
                q("netsh/excludedportrange-tcp.txt", 6, "49216       49279"),
                q("netsh/excludedportrange-tcp.txt", 238, "65472       65535     *"),
                q(
                    "logs/kube-proxy.log",
                    4711,
                    "E0412 10:15:02.123456 4321 proxier.go:1234] Policy creation failed: \
                     hcnCreateLoadBalancer failed in Win32: The port already exists. \
                     (0x803b0013)",
                ),
            ],
            fix: vec![
                step(
                    "Move the dynamic range so it does not collide with the excluded blocks, and \
                     make it large enough for every load balancer and NodePort on this node; \
                     pick a start above the NodePort range (30000-32767) and keep at least 16384 \
                     ports. Repeat for UDP. The new range applies to new allocations at once; \
                     existing reservations stay until HNS releases them.",
                    Some("netsh int ipv4 set dynamicport tcp start=33000 num=32535"),
                    false,
                    true,
                ),
                step(
                    "Find who holds the excluded blocks (Hyper-V, WinNAT, HNS) before deleting \
                     any of them.",
                    Some("netsh int ipv4 show excludedportrange protocol=tcp"),
                    false,
                    false,
                ),
                step(
                    "If the blocks do not come back, restart the node.",
                    Some("Restart-Computer -Force"),
                    true,
                    true,
                ),
            ],
            references: vec![
                "https://learn.microsoft.com/troubleshoot/windows-server/networking/default-dynamic-port-range-tcpip-chang".into(),
            ],
            confidence: Confidence::High,
        },
        Finding {
            id: "endpoint-not-attached".into(),
            severity: Severity::Error,
            title: "Local endpoint `web-7d4` is Detached | not AttachedSharing".into(),
            observed: "Endpoint 6A1E…C0DE (10.244.1.17, network cbr0) is in state 4 (Detached); \
                       a pod endpoint should be 3 (AttachedSharing)."
                .into(),
            why: "A detached endpoint has no VFP port in the pod's compartment: the pod has no \
                  network at all."
                .into(),
            evidence: vec![
                q("hns/endpoints.json", 88, "\"State\": 4,"),
                q("hns/endpoints.json", 91, "\"IPAddress\": \"10.244.1.17\","),
            ],
            fix: vec![
                step(
                    "Delete the pod so its controller recreates it with a new endpoint.",
                    Some("kubectl delete pod web-7d4 -n shop"),
                    false,
                    false,
                ),
                step(
                    "Remove the orphaned endpoint if it stays after the pod is gone.",
                    Some("Get-HnsEndpoint | ? Id -eq '6A1E0000-0000-0000-0000-00000000C0DE' | Remove-HnsEndpoint"),
                    false,
                    true,
                ),
            ],
            references: vec![],
            confidence: Confidence::High,
        },
        Finding {
            id: "stale-remote-endpoint".into(),
            severity: Severity::Warning,
            title: "2 remote endpoints are not used by any load balancer".into(),
            observed: "Remote endpoints 10.244.2.9 and 10.244.3.4 are referenced by no load \
                       balancer; 10.244.2.9 is also held by a local endpoint."
                .into(),
            why: "Stale remote endpoints keep an IP claimed; traffic to a pod that now owns it \
                  goes to the wrong node."
                .into(),
            evidence: vec![
                q("hns/endpoints.json", 140, "\"IsRemoteEndpoint\": true,"),
                q("hns/endpoints.json", 162, "\"IsRemoteEndpoint\": true,"),
            ],
            fix: vec![step(
                "Restart kube-proxy so it reconciles remote endpoints.",
                Some("Restart-Service kubeproxy"),
                false,
                true,
            )],
            references: vec!["https://github.com/kubernetes/kubernetes/issues/1".into()],
            confidence: Confidence::Medium,
        },
        Finding {
            id: "os-outdated".into(),
            severity: Severity::Info,
            title: "Windows Server 2019 build 17763.5458 is not the latest update".into(),
            observed: "UBR 5458 (2024-02); later cumulative updates fix HNS issues on this build."
                .into(),
            why: "Known HNS and VFP fixes ship in cumulative updates.".into(),
            evidence: vec![q("os/version.txt", 1, "Microsoft Windows [Version 10.0.17763.5458]")],
            fix: vec![step(
                "Install the latest cumulative update in the next maintenance window.",
                None,
                false,
                true,
            )],
            references: vec![],
            confidence: Confidence::Low,
        },
    ];

    let mut model = HostModel::new();
    model.host_name = Some("ノード-01".into());
    model.collected_at = Some("2024-04-12T10:20:00Z".into());
    for f in [
        Fact::OsBuild,
        Fact::OsUbr,
        Fact::Hotfixes,
        Fact::HnsNetworks,
        Fact::HnsEndpoints,
        Fact::HnsEndpointState,
        Fact::HnsLoadBalancers,
        Fact::DynamicPortRangeTcp,
        Fact::DynamicPortRangeUdp,
        Fact::ExcludedPortRangeTcp,
        Fact::TcpListeners,
        Fact::Services,
        Fact::KubeProxyLog,
    ] {
        model.mark(f);
    }
    model.os = Some(OsInfo {
        build: 17763,
        ubr: Some(5458),
        product_name: Some("Windows Server 2019 Datacenter".into()),
        display_version: Some("1809".into()),
        hotfixes: vec![
            Hotfix {
                id: "KB5034768".into(),
                description: Some("Security Update".into()),
                installed_on: Some("2/14/2024".into()),
                prov: Prov::new("os/hotfixes.txt", 4),
            },
            Hotfix {
                id: "KB5005112".into(),
                description: Some("Update".into()),
                installed_on: None,
                prov: Prov::new("os/hotfixes.txt", 5),
            },
        ],
        prov: Prov::new("os/version.txt", 1),
    });
    model.hns.networks = vec![Network {
        id: "9D4B2C1A-0000-4000-8000-00000000CB00".into(),
        name: "cbr0".into(),
        net_type: "L2Bridge".into(),
        management_ip: Some("10.0.0.4".into()),
        adapter_name: Some("Ethernet 2".into()),
        subnets: vec![Subnet {
            prefix: "10.244.1.0/24".into(),
            gateway: Some("10.244.1.1".into()),
        }],
        schema: ApiSchema::V1,
        prov: Prov::new("hns/networks.json", 3),
        ..Network::default()
    }];
    let ep = |id: &str, ip: &str, remote: bool, state: u32, line: u32| Endpoint {
        id: id.into(),
        name: Some(format!("ep-{}", &id[..4])),
        network_id: Some("9D4B2C1A-0000-4000-8000-00000000CB00".into()),
        network_name: Some("cbr0".into()),
        ips: vec![ip.into()],
        is_remote: Some(remote),
        state: Some(state),
        schema: ApiSchema::V1,
        prov: Prov::new("hns/endpoints.json", line),
        ..Endpoint::default()
    };
    model.hns.endpoints = vec![
        ep(
            "11110000-0000-0000-0000-000000000001",
            "10.244.1.5",
            false,
            endpoint_state::ATTACHED_SHARING,
            2,
        ),
        ep(
            "6A1E0000-0000-0000-0000-00000000C0DE",
            "10.244.1.17",
            false,
            endpoint_state::DETACHED,
            80,
        ),
        ep(
            "22220000-0000-0000-0000-000000000002",
            "10.244.2.9",
            true,
            endpoint_state::ATTACHED,
            130,
        ),
    ];
    model.hns.load_balancers = vec![
        LoadBalancer {
            id: "AAAA0000-0000-0000-0000-00000000D0D5".into(),
            vips: vec!["10.96.0.10".into()],
            endpoint_ids: vec!["11110000-0000-0000-0000-000000000001".into()],
            port_mappings: vec![
                PortMapping {
                    protocol: protocol::UDP,
                    internal_port: 53,
                    external_port: 53,
                    ..PortMapping::default()
                },
                PortMapping {
                    protocol: protocol::TCP,
                    internal_port: 53,
                    external_port: 53,
                    ..PortMapping::default()
                },
            ],
            dsr: Some(true),
            state: Some(2),
            schema: ApiSchema::V1,
            prov: Prov::new("hns/policylists.json", 1),
            ..LoadBalancer::default()
        },
        LoadBalancer {
            id: "BBBB0000-0000-0000-0000-000000000443".into(),
            vips: vec![],
            endpoint_ids: vec![
                "11110000-0000-0000-0000-000000000001".into(),
                "6A1E0000-0000-0000-0000-00000000C0DE".into(),
            ],
            port_mappings: vec![PortMapping {
                protocol: protocol::TCP,
                internal_port: 8443,
                external_port: 30443,
                ..PortMapping::default()
            }],
            dsr: None,
            state: Some(1),
            schema: ApiSchema::V1,
            prov: Prov::new("hns/policylists.json", 40),
            ..LoadBalancer::default()
        },
    ];
    let dynamic = |protocol: Transport, line: u32| DynamicPortRange {
        protocol,
        start: 49152,
        count: 16384,
        prov: Prov::new("netsh/dynamicportrange.txt", line),
    };
    model.ports.dynamic = vec![dynamic(Transport::Tcp, 4), dynamic(Transport::Udp, 12)];
    model.ports.excluded = (0u16..5)
        .map(|i| ExcludedPortRange {
            protocol: Transport::Tcp,
            start: 49152 + i * 64,
            end: 49152 + i * 64 + 63,
            administered: i == 4,
            prov: Prov::new("netsh/excludedportrange-tcp.txt", 5 + u32::from(i)),
        })
        .collect();
    model.ports.listeners = vec![
        Listener {
            protocol: Transport::Tcp,
            local_address: "0.0.0.0".into(),
            local_port: 10256,
            state: Some("LISTENING".into()),
            pid: Some(4321),
            process: Some("kube-proxy".into()),
            prov: Prov::new("netstat.txt", 9),
        },
        Listener {
            protocol: Transport::Tcp,
            local_address: "10.0.0.4".into(),
            local_port: 10250,
            state: Some("LISTENING".into()),
            pid: Some(1234),
            process: Some("kubelet".into()),
            prov: Prov::new("netstat.txt", 10),
        },
    ];
    let svc = |name: &str, state: ServiceState, line: u32| Service {
        name: name.into(),
        display_name: None,
        state,
        pid: None,
        start_type: Some("Automatic".into()),
        prov: Prov::new("services.txt", line),
    };
    model.services = vec![
        svc("hns", ServiceState::Running, 3),
        svc("kubeproxy", ServiceState::Running, 4),
        svc("containerd", ServiceState::Stopped, 5),
    ];

    let inputs = vec![
        InputSummary {
            source: "hns/endpoints.json".into(),
            format: "hns-json-v1".into(),
            encoding: Some("utf-8".into()),
            objects: 3,
            facts: vec![Fact::HnsEndpoints, Fact::HnsEndpointState],
            ..InputSummary::default()
        },
        InputSummary {
            source: "netsh/excludedportrange-tcp.txt".into(),
            format: "netsh-excludedportrange".into(),
            encoding: Some("utf-16le-bom".into()),
            objects: 234,
            facts: vec![Fact::ExcludedPortRangeTcp],
            skipped: vec![
                SkippedLine {
                    line: 240,
                    reason: "not a port range: \"* - Administered port exclusions.\"".into(),
                },
                SkippedLine {
                    line: 241,
                    reason: "not a port range: \"|garbled|\"".into(),
                },
            ],
            skipped_count: 7,
            ..InputSummary::default()
        },
        InputSummary {
            source: "logs/kube-proxy.log".into(),
            format: "klog".into(),
            encoding: Some("utf-8".into()),
            objects: 12,
            facts: vec![Fact::KubeProxyLog],
            warnings: vec![
                "file was truncated by the collector: the first 2 MiB are missing".into(),
            ],
            ..InputSummary::default()
        },
        InputSummary {
            source: "vfp/ports.txt".into(),
            format: "unknown".into(),
            refused: Some("binary data (NUL bytes at offset 12), not a text dump".into()),
            ..InputSummary::default()
        },
    ];
    model.inputs.clone_from(&inputs);

    let mut report = Report {
        schema_version: REPORT_SCHEMA_VERSION,
        tool_version: FIXTURE_TOOL_VERSION.to_string(),
        kb_reviewed: FIXTURE_KB_REVIEWED.to_string(),
        host: Some("ノード-01".into()),
        os_build: Some("17763.5458".into()),
        findings,
        passed: vec![
            "hns-crash".into(),
            "apipa-management-ip".into(),
            "hns-deadlock".into(),
            "lb-dangling-endpoint".into(),
            "dns-lb-missing".into(),
        ],
        not_evaluated: vec![
            NotEvaluated {
                id: "vfp-port-blocked".into(),
                title: "VFP port of an endpoint is blocked".into(),
                missing: vec![Fact::VfpPorts, Fact::VfpPortState],
                any_of: vec![],
            },
            NotEvaluated {
                id: "ipv6-disabled".into(),
                title: "IPv6 disabled on the host".into(),
                missing: vec![Fact::Tcpip6Params],
                any_of: vec![],
            },
            NotEvaluated {
                id: "hns-address-reserved".into(),
                title: "HNS address already reserved".into(),
                missing: vec![Fact::KubeProxyLog, Fact::KubeletLog, Fact::PastedLog],
                any_of: vec![Fact::KubeProxyLog, Fact::KubeletLog, Fact::PastedLog],
            },
        ],
        inputs,
        model,
    };
    report.sort();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_covers_what_renderers_need() {
        let r = sample_report();
        for s in [Severity::Error, Severity::Warning, Severity::Info] {
            assert!(r.findings.iter().any(|f| f.severity == s), "{s:?}");
        }
        assert!(!r.not_evaluated.is_empty());
        assert!(r.inputs.iter().any(|i| i.refused.is_some()));
        assert!(r.findings.iter().any(|f| f.evidence.len() >= 3));
        assert!(r.host.as_deref().is_some_and(|h| !h.is_ascii()));
        assert_eq!(r.findings[0].severity, Severity::Error, "sorted");
        assert!(empty_report().findings.is_empty());
    }
}
