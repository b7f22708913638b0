//! HNS objects and the HNS service's own state: one HCN enumeration per object type (v2,
//! detailed), v1 look-ups through `HNSCall` for the fields only v1 carries (`IsRemoteEndpoint`,
//! `State`), the HNS version, port pools, `hnsdiag`, HNS registry flags, HNS.data metadata and the
//! HNS process. Replaces `hns.v2.psm1` calls in CollectLogs (N+1 enumerations, 3 queries per
//! endpoint) with one in-process enumeration per type.

use crate::source::{secs, Cmd, Parser, Source, Via, MIB};
use hnsdoctor_host::HcnKind;

/// HNS sources.
pub const SOURCES: &[Source] = &[
    Source {
        id: "hns.networks",
        what: "HNS networks, v2 detailed JSON (subnets, policies, flags, layered on which adapter)",
        via: Via::Hcn {
            kind: HcnKind::Networks,
            schema: 2,
        },
        timeout: secs(30),
        max_bytes: 32 * MIB,
        path: "hns/networks.json",
        parser: Parser::Format("hns-networks-json"),
        legacy: &["network.txt", "networkdetailed.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "hns.endpoints",
        what: "HNS endpoints, v2 detailed JSON",
        via: Via::Hcn {
            kind: HcnKind::Endpoints,
            schema: 2,
        },
        timeout: secs(60),
        max_bytes: 64 * MIB,
        path: "hns/endpoints.json",
        parser: Parser::Format("hns-endpoints-json"),
        legacy: &["endpoint.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "hns.endpoints_v1",
        what: "HNS endpoints, v1 shape (IsRemoteEndpoint, State) in one HNSCall",
        via: Via::HnsCall {
            method: "GET",
            path: "/endpoints",
        },
        timeout: secs(60),
        max_bytes: 64 * MIB,
        path: "hns/endpoints.v1.json",
        parser: Parser::Format("hns-endpoints-json"),
        legacy: &["endpoint.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "hns.loadbalancers",
        what: "HNS load balancers, v2 detailed JSON (VIPs, ports, DIP endpoints, flags)",
        via: Via::Hcn {
            kind: HcnKind::LoadBalancers,
            schema: 2,
        },
        timeout: secs(60),
        max_bytes: 64 * MIB,
        path: "hns/loadbalancers.json",
        parser: Parser::Format("hns-loadbalancers-json"),
        legacy: &["policy.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "hns.policylists",
        what: "HNS v1 policy lists (ELB policies as kube-proxy's compatibility probe sees them)",
        via: Via::HnsCall {
            method: "GET",
            path: "/policylists",
        },
        timeout: secs(60),
        max_bytes: 64 * MIB,
        path: "hns/policylists.json",
        parser: Parser::Format("hns-policylists-json"),
        legacy: &["policy.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "hns.namespaces",
        what: "HNS namespaces (compartments) and their endpoints, v2 detailed JSON",
        via: Via::Hcn {
            kind: HcnKind::Namespaces,
            schema: 2,
        },
        timeout: secs(30),
        max_bytes: 16 * MIB,
        path: "hns/namespaces.json",
        parser: Parser::Format("hns-namespaces-json"),
        legacy: &["namespaces.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "hns.portpools",
        what: "HNS port-pool allocations (PortPoolAllocations)",
        via: Via::HnsCall {
            method: "GET",
            path: "/portpools",
        },
        timeout: secs(30),
        max_bytes: 4 * MIB,
        path: "hns/portpools.json",
        parser: Parser::Format("hns-portpools-json"),
        legacy: &["hnsportpoolallocs.txt", "reservedports.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "hns.version",
        what: "HNS service version (/globals/version): which HCN features the host supports",
        via: Via::HnsCall {
            method: "GET",
            path: "/globals/version",
        },
        timeout: secs(15),
        max_bytes: MIB,
        path: "hns/version.json",
        parser: Parser::Format("hns-version-json"),
        ..Source::DEFAULT
    },
    Source {
        id: "hns.hnsdiag",
        what: "hnsdiag list all -d (inbox tool's view, detailed)",
        via: Via::Command(Cmd {
            program: "hnsdiag.exe",
            args: &["list", "all", "-d"],
        }),
        timeout: secs(60),
        max_bytes: 64 * MIB,
        path: "hns/hnsdiag.txt",
        parser: Parser::Format("hnsdiag-detailed-json"),
        legacy: &["hnsdiag.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "hns.hnsdiag_adapters",
        what: "hnsdiag list adapters",
        via: Via::Command(Cmd {
            program: "hnsdiag.exe",
            args: &["list", "adapters"],
        }),
        timeout: secs(30),
        max_bytes: 4 * MIB,
        path: "hns/hnsdiag-adapters.txt",
        parser: Parser::RawOnly("adapter list for people; the model takes adapters from HCN JSON"),
        legacy: &["hnsdiag.adapters.txt"],
        ..Source::DEFAULT
    },
    Source {
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
        path: "registry/hns.json",
        parser: Parser::RawOnly("HNS flags for people; no parser reads them yet"),
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "hns.data",
        what: "HNS.data size and last write time (metadata only: HNS is never stopped)",
        via: Via::FileMeta(&[r"C:\ProgramData\Microsoft\Windows\HNS\HNS.data"]),
        timeout: secs(10),
        max_bytes: MIB,
        path: "hns/hnsdata.json",
        parser: Parser::Format("hns-data-file"),
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "hns.process",
        what: "HNS service process: thread count and working set (leak and hang signs)",
        via: Via::Process("hns"),
        timeout: secs(10),
        max_bytes: MIB,
        path: "hns/process.json",
        parser: Parser::Format("hns-process"),
        ..Source::DEFAULT
    },
];
