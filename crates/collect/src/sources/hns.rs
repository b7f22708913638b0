//! HNS objects and the HNS service's own state: one HCN enumeration per object type (v2,
//! detailed), v1 look-ups through `HNSCall` for the fields only v1 carries (`IsRemoteEndpoint`,
//! `State`), the HNS version, port pools, `hnsdiag`, HNS registry flags, HNS.data metadata and the
//! HNS process. Replaces `hns.v2.psm1` calls in CollectLogs (N+1 enumerations, 3 queries per
//! endpoint) with one in-process enumeration per type.

use crate::source::{secs, Cmd, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;
use hnsdoctor_host::HcnKind;

/// HNS sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "hns.networks",
        what: "HNS networks, v2 detailed JSON (subnets, policies, flags, layered on which adapter)",
        via: Via::Hcn {
            kind: HcnKind::Networks,
            schema: 2,
        },
        timeout: secs(30),
        max_bytes: 32 * MIB,
        artefact: &artefacts::HNS_NETWORKS,
        legacy: &["network.txt", "networkdetailed.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.endpoints",
        what: "HNS endpoints, v2 detailed JSON",
        via: Via::Hcn {
            kind: HcnKind::Endpoints,
            schema: 2,
        },
        timeout: secs(60),
        max_bytes: 64 * MIB,
        artefact: &artefacts::HNS_ENDPOINTS,
        legacy: &["endpoint.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.endpoints_v1",
        what: "HNS endpoints, v1 shape (IsRemoteEndpoint, State) in one HNSCall",
        via: Via::HnsCall {
            method: "GET",
            path: "/endpoints",
        },
        timeout: secs(60),
        max_bytes: 64 * MIB,
        artefact: &artefacts::HNS_ENDPOINTS_V1,
        legacy: &["endpoint.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.loadbalancers",
        what: "HNS load balancers, v2 detailed JSON (VIPs, ports, DIP endpoints, flags)",
        via: Via::Hcn {
            kind: HcnKind::LoadBalancers,
            schema: 2,
        },
        timeout: secs(60),
        max_bytes: 64 * MIB,
        artefact: &artefacts::HNS_LOADBALANCERS,
        legacy: &["policy.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.policylists",
        what: "HNS v1 policy lists (ELB policies as kube-proxy's compatibility probe sees them)",
        via: Via::HnsCall {
            method: "GET",
            path: "/policylists",
        },
        timeout: secs(60),
        max_bytes: 64 * MIB,
        artefact: &artefacts::HNS_POLICYLISTS,
        legacy: &["policy.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.namespaces",
        what: "HNS namespaces (compartments) and their endpoints, v2 detailed JSON",
        via: Via::Hcn {
            kind: HcnKind::Namespaces,
            schema: 2,
        },
        timeout: secs(30),
        max_bytes: 16 * MIB,
        artefact: &artefacts::HNS_NAMESPACES,
        legacy: &["namespaces.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.portpools",
        what: "HNS port-pool allocations (PortPoolAllocations)",
        via: Via::HnsCall {
            method: "GET",
            path: "/portpools",
        },
        timeout: secs(30),
        max_bytes: 4 * MIB,
        artefact: &artefacts::HNS_PORTPOOLS,
        legacy: &["hnsportpoolallocs.txt", "reservedports.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.version",
        what: "HNS service version (/globals/version): which HCN features the host supports",
        via: Via::HnsCall {
            method: "GET",
            path: "/globals/version",
        },
        timeout: secs(15),
        max_bytes: MIB,
        artefact: &artefacts::HNS_VERSION,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.hnsdiag",
        what: "hnsdiag list all -d (inbox tool's view, detailed)",
        via: Via::Command(Cmd {
            program: "hnsdiag.exe",
            args: &["list", "all", "-d"],
        }),
        timeout: secs(60),
        max_bytes: 64 * MIB,
        artefact: &artefacts::HNS_HNSDIAG,
        legacy: &["hnsdiag.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.hnsdiag_adapters",
        what: "hnsdiag list adapters",
        via: Via::Command(Cmd {
            program: "hnsdiag.exe",
            args: &["list", "adapters"],
        }),
        timeout: secs(30),
        max_bytes: 4 * MIB,
        artefact: &artefacts::HNS_HNSDIAG_ADAPTERS,
        legacy: &["hnsdiag.adapters.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.registry",
        what: "HNS and vmsmp registry settings (HNSControlFlag and other fix-gating flags)",
        via: Via::Registry(&[
            r"HKLM\SYSTEM\CurrentControlSet\Services\hns\State",
            r"HKLM\SYSTEM\CurrentControlSet\Services\hns\Parameters",
            r"HKLM\SYSTEM\CurrentControlSet\Services\vmsmp\parameters",
            r"HKLM\SYSTEM\CurrentControlSet\Services\VfpExt\Parameters",
        ]),
        timeout: secs(15),
        max_bytes: 4 * MIB,
        artefact: &artefacts::HNS_REGISTRY,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.data",
        what: "HNS.data size and last write time (metadata only: HNS is never stopped)",
        via: Via::FileMeta(&[r"C:\ProgramData\Microsoft\Windows\HNS\HNS.data"]),
        timeout: secs(10),
        max_bytes: MIB,
        artefact: &artefacts::HNS_DATA,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "hns.process",
        what: "HNS service process: thread count and working set (leak and hang signs)",
        via: Via::Process("hns"),
        timeout: secs(10),
        max_bytes: MIB,
        artefact: &artefacts::HNS_PROCESS,
        ..SourceDef::DEFAULT
    },
];
