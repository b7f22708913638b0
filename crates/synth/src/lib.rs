//! # hnsdoctor-synth — synthetic nodes at a chosen scale, with planted faults
//!
//! Writes what a collector would have gathered from one Windows Kubernetes node with `N`
//! endpoints and `M` load balancers, for the benchmarks (`crates/hnsdoctor/benches/scale.rs`)
//! and the scale tests. Everything is deterministic: the same [`Spec`] gives byte-identical
//! files.
//!
//! The node: one L2Bridge network `cbr0` (management IP 10.240.0.35, pod subnet 10.200.0.0/16);
//! [`Spec::locals`] local endpoints (10.200.x.y, each with a VFP port) and the rest remote
//! endpoints (10.244.x.y, one per pod elsewhere in the cluster); [`Spec::lbs`] DSR ClusterIP
//! load balancers (VIP 10.97.x.y, TCP 80→8080) with 1–5 backends each, picked round-robin from
//! the endpoints; default dynamic port ranges; VFP ports and, for the first
//! [`Spec::vfp_ports`] local ports, a full `/list-rule` dump with the LB_DSR / NAT / ALLOW_NAT
//! rules every DSR load balancer needs; a kube-proxy log of [`Spec::log_lines`] lines;
//! `kubeclusterconfig.json` with the service CIDR and DNS IP.
//!
//! Planted faults (each found by the rule of the same id, see [`PLANTED`]):
//! * `stale-remote-endpoint`: the last [`Spec::stale`] remote endpoints back no load balancer,
//!   and one more remote endpoint holds the IP of local endpoint 0;
//! * `lb-dangling-endpoint`: load balancers 0 and `lbs/2` reference an endpoint that does not
//!   exist;
//! * `dns-lb-missing`: no load balancer for the cluster DNS VIP 10.96.0.10;
//! * `port-pool-exhaustion`: the whole TCP dynamic range is excluded in 64-port blocks;
//! * `dsr-vfp-rules-missing`: the LB_DSR rule of load balancer `lbs/3` is missing on the first
//!   dumped port;
//! * `endpoint-not-attached`: local endpoint 1 is Detached (state 4);
//! * `port-already-exists`: kube-proxy logged HNS error 0x803b0013 once.
//!
//! Layouts ([`Layout`]): the legacy `CollectLogs.ps1` folder (UTF-16LE with BOM and CRLF, as
//! Windows PowerShell 5.1 redirects write it; the kube-proxy log is ASCII, the cluster config
//! UTF-8) and the hnsdoctor bundle (UTF-8 files under `hns/`, `ports/`, `vfp/`, `logs/`,
//! `k8s/` and a `manifest.json`).
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let spec = hnsdoctor_synth::Spec::new(200);
//! let written = hnsdoctor_synth::write(dir.path(), &spec, hnsdoctor_synth::Layout::Legacy).unwrap();
//! assert!(written.iter().any(|f| f.path.ends_with("endpoint.txt")));
//! ```
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Finding ids the planted faults produce, at every scale.
pub const PLANTED: &[&str] = &[
    "stale-remote-endpoint",
    "lb-dangling-endpoint",
    "dns-lb-missing",
    "port-pool-exhaustion",
    "dsr-vfp-rules-missing",
    "endpoint-not-attached",
    "port-already-exists",
];

/// Management IP of the node.
pub const NODE_IP: &str = "10.240.0.35";
/// Cluster DNS VIP (no load balancer exists for it: planted `dns-lb-missing`).
pub const DNS_IP: &str = "10.96.0.10";
/// Service CIDR.
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
const NET_ID: &str = "3F6A2B1C-8D4E-4F5A-9B6C-7D8E9F0A1B2C";
const HOST_VNIC_PORT: &str = "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D";
const VERSION_9_2: u64 = 38_654_705_666;

/// The size and shape of a synthetic node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Endpoints in total (local + remote).
    pub endpoints: usize,
    /// Local endpoints (pods on this node), each with a VFP port.
    pub locals: usize,
    /// Load balancers (DSR ClusterIP services).
    pub lbs: usize,
    /// Local VFP ports whose rules are dumped in full.
    pub vfp_ports: usize,
    /// Remote endpoints that back no load balancer (planted stale endpoints).
    pub stale: usize,
    /// kube-proxy log lines.
    pub log_lines: usize,
    /// Ids (from [`PLANTED`]) of the faults to plant; [`Spec::new`] plants them all, an empty
    /// list gives a healthy node (with a DNS load balancer, free ports, no stale endpoints).
    pub planted: Vec<&'static str>,
    /// Host name written in the bundle manifest (the legacy layout has none).
    pub host: String,
    /// OS build written in the bundle manifest (`10.0.20348.2966`), when set.
    pub os_build: Option<String>,
}

impl Spec {
    /// The default shape for `endpoints` endpoints: 40 local (fewer on tiny nodes), half as many
    /// load balancers as endpoints, 4 dumped VFP ports, 1 stale remote per 500, a log line per 4
    /// endpoints.
    #[must_use]
    pub fn new(endpoints: usize) -> Self {
        let endpoints = endpoints.max(20);
        let locals = 40.min(endpoints / 4);
        Self {
            endpoints,
            locals,
            lbs: endpoints / 2,
            vfp_ports: 4.min(locals),
            stale: (endpoints / 500).max(2),
            log_lines: endpoints / 4,
            planted: PLANTED.to_vec(),
            host: "SYNTH-NODE".into(),
            os_build: None,
        }
    }

    /// The same shape with no planted fault: a healthy node.
    #[must_use]
    pub fn healthy(mut self) -> Self {
        self.planted.clear();
        self
    }

    /// Whether the fault of finding id `id` is planted.
    #[must_use]
    pub fn plants(&self, id: &str) -> bool {
        self.planted.contains(&id)
    }

    /// Check the shape can hold every planted fault.
    ///
    /// # Errors
    /// A sentence naming the field that is too small.
    pub fn validate(&self) -> Result<(), String> {
        if self.locals < 2 {
            return Err(format!(
                "need at least 2 local endpoints, got {}",
                self.locals
            ));
        }
        if self.endpoints < self.locals + self.stale + 3 {
            return Err(format!(
                "{} endpoints cannot hold {} local and {} stale remote endpoints plus 3 in use",
                self.endpoints, self.locals, self.stale
            ));
        }
        if self.lbs < 3 {
            return Err(format!("need at least 3 load balancers, got {}", self.lbs));
        }
        if self.vfp_ports == 0 || self.vfp_ports > self.locals {
            return Err(format!(
                "vfp_ports must be 1..={} (local endpoints), got {}",
                self.locals, self.vfp_ports
            ));
        }
        if let Some(id) = self.planted.iter().find(|id| !PLANTED.contains(id)) {
            return Err(format!(
                "cannot plant {id:?}: not one of {}",
                PLANTED.join(", ")
            ));
        }
        if self.locals > 60_000 || self.endpoints - self.locals > 60_000 || self.lbs > 60_000 {
            return Err("at most 60,000 local, 60,000 remote endpoints and 60,000 LBs".into());
        }
        Ok(())
    }
}

/// Which on-disk layout to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A legacy `CollectLogs.ps1` output folder (UTF-16LE + BOM text files).
    Legacy,
    /// An hnsdoctor bundle (UTF-8 files and `manifest.json`).
    Bundle,
}

/// One file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Full path.
    pub path: PathBuf,
    /// Size in bytes.
    pub bytes: u64,
    /// Whether the file is JSON (alone or after a table): the benchmark floor JSON-parses these.
    pub json: bool,
}

/// Deterministic GUID number `i` of object kind `kind`.
#[must_use]
pub fn guid(kind: u32, i: usize) -> String {
    let i = i as u64;
    let a = (i.wrapping_mul(7919)) & 0xFFFF;
    let b = (i.wrapping_mul(104_729)) & 0xFFF;
    let c = (i.wrapping_mul(1_299_709)) & 0xFFF;
    format!("{kind:08X}-{a:04X}-4{b:03X}-8{c:03X}-{i:012X}")
}

const K_LOCAL: u32 = 0x1A0C_A100;
const K_REMOTE: u32 = 0x2E30_7E00;
const K_PORT: u32 = 0x3F0F_0000;
const K_LB: u32 = 0x4B1B_0000;
const K_GONE: u32 = 0x5DEA_D000;
const K_NS: u32 = 0x6A5E_0000;

fn local_ip(j: usize) -> String {
    format!("10.200.{}.{}", j / 250, j % 250 + 2)
}

fn remote_ip(r: usize) -> String {
    format!("10.244.{}.{}", r / 250, r % 250 + 2)
}

fn vip(i: usize) -> String {
    format!("10.97.{}.{}", i / 250, i % 250 + 1)
}

fn mac(kind: u8, i: usize) -> String {
    format!(
        "00-15-5D-{kind:02X}-{:02X}-{:02X}",
        (i >> 8) & 0xFF,
        i & 0xFF
    )
}

/// One endpoint of the node.
struct Ep {
    id: String,
    ip: String,
    local: bool,
    index: usize,
}

/// The objects of the node, derived from the spec.
struct Node {
    eps: Vec<Ep>,
    /// Per LB: backend endpoint ids (upper case, as HNS stores them), plus dangling ones.
    backends: Vec<Vec<String>>,
    /// Per LB: whether local endpoint `j` is a backend, as a sorted list of local indices.
    local_backends: Vec<Vec<usize>>,
    /// Whether local endpoint 1 is Detached (planted `endpoint-not-attached`).
    detach: bool,
    /// The backend of the cluster DNS load balancer, when there is one (healthy DNS).
    dns_backend: Option<String>,
}

impl Node {
    fn new(s: &Spec) -> Self {
        let remotes = s.endpoints - s.locals;
        let stale = s.plants("stale-remote-endpoint");
        let mut eps = Vec::with_capacity(s.endpoints);
        for j in 0..s.locals {
            eps.push(Ep {
                id: guid(K_LOCAL, j),
                ip: local_ip(j),
                local: true,
                index: j,
            });
        }
        for r in 0..remotes {
            // the last remote endpoint holds local endpoint 0's IP (pod moved here)
            let ip = if stale && r == remotes - 1 {
                local_ip(0)
            } else {
                remote_ip(r)
            };
            eps.push(Ep {
                id: guid(K_REMOTE, r),
                ip,
                local: false,
                index: r,
            });
        }
        // backend pool: locals and remotes except the stale ones and the moved one
        let pool = if stale {
            s.locals + remotes - s.stale - 1
        } else {
            s.locals + remotes
        };
        let mut cursor = 0usize;
        let mut backends = Vec::with_capacity(s.lbs);
        let mut local_backends = Vec::with_capacity(s.lbs);
        for i in 0..s.lbs {
            let k = 1 + i % 5;
            let mut ids = Vec::with_capacity(k + 1);
            let mut locs = Vec::new();
            for _ in 0..k {
                let e = &eps[cursor % pool];
                cursor += 1;
                if !ids.contains(&e.id) {
                    ids.push(e.id.clone());
                    if e.local {
                        locs.push(e.index);
                    }
                }
            }
            if s.plants("lb-dangling-endpoint") && (i == 0 || i == s.lbs / 2) {
                ids.push(guid(K_GONE, i));
            }
            locs.sort_unstable();
            backends.push(ids);
            local_backends.push(locs);
        }
        let dns_backend = (!s.plants("dns-lb-missing")).then(|| eps[0].id.clone());
        Self {
            eps,
            backends,
            local_backends,
            detach: s.plants("endpoint-not-attached"),
            dns_backend,
        }
    }
}

// ------------------------------------------------------------------------------------------
// a tiny JSON writer in the ConvertTo-Json pretty-print shape (4-space steps)

/// A JSON value to print.
enum J {
    S(String),
    N(u64),
    B(bool),
    A(Vec<J>),
    O(Vec<(&'static str, J)>),
}

fn s(v: impl Into<String>) -> J {
    J::S(v.into())
}

fn pretty(out: &mut String, v: &J, indent: usize) {
    match v {
        J::S(x) => {
            out.push('"');
            for c in x.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        J::N(n) => {
            let _ = write!(out, "{n}");
        }
        J::B(b) => out.push_str(if *b { "true" } else { "false" }),
        J::A(items) => {
            if items.is_empty() {
                out.push_str("[\n\n");
                pad(out, indent);
                out.push(']');
                return;
            }
            out.push_str("[\n");
            for (n, it) in items.iter().enumerate() {
                pad(out, indent + 4);
                pretty(out, it, indent + 4);
                out.push_str(if n + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push(']');
        }
        J::O(fields) => {
            out.push_str("{\n");
            for (n, (k, it)) in fields.iter().enumerate() {
                pad(out, indent + 4);
                let _ = write!(out, "\"{k}\":  ");
                pretty(out, it, indent + 4);
                out.push_str(if n + 1 < fields.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push('}');
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn health() -> J {
    J::O(vec![
        ("LastErrorCode", J::N(0)),
        ("LastUpdateTime", J::N(133_512_345_678_901_234)),
    ])
}

fn network_json() -> J {
    J::O(vec![
        ("ActivityId", s("5C1E0A9B-3D44-4C0E-9E0B-2C7A1F0D9A11")),
        ("AdditionalParams", J::O(vec![])),
        ("DrMacAddress", s("00-15-5D-A4-2F-FE")),
        (
            "Extensions",
            J::A(vec![J::O(vec![
                ("Id", s("E9B59CFA-2BE1-4B21-828F-B6FBDBDDC017")),
                ("IsEnabled", J::B(true)),
                ("Name", s("Microsoft Azure VFP Switch Extension")),
            ])]),
        ),
        ("Flags", J::N(0)),
        ("Health", health()),
        ("ID", s(NET_ID)),
        ("IPv6", J::B(false)),
        ("ManagementIP", s(NODE_IP)),
        ("Name", s("cbr0")),
        ("NetworkAdapterName", s("Ethernet 2")),
        ("Policies", J::A(vec![])),
        (
            "Resources",
            J::O(vec![
                ("AdditionalParams", J::O(vec![])),
                ("AllocationOrder", J::N(2)),
                (
                    "Allocators",
                    J::A(vec![J::O(vec![
                        ("AllocationOrder", J::N(0)),
                        ("Connected", J::B(true)),
                        ("EndpointPortGuid", s(HOST_VNIC_PORT)),
                        ("Flags", J::N(0)),
                        ("Health", health()),
                        ("ID", s("4C8D2E1F-6A7B-4C9D-8E0F-1A2B3C4D5E6F")),
                        ("ManagementPort", J::B(true)),
                        ("State", J::N(3)),
                        ("Tag", s("Host Vnic")),
                    ])]),
                ),
                ("Health", health()),
                ("ID", s("5C1E0A9B-3D44-4C0E-9E0B-2C7A1F0D9A11")),
                ("State", J::N(1)),
            ]),
        ),
        ("State", J::N(1)),
        (
            "Subnets",
            J::A(vec![J::O(vec![
                ("AddressPrefix", s("10.200.0.0/16")),
                ("GatewayAddress", s("10.200.0.1")),
                ("Policies", J::A(vec![])),
            ])]),
        ),
        ("Type", s("L2Bridge")),
        ("Version", J::N(VERSION_9_2)),
    ])
}

fn endpoint_json(e: &Ep, detach: bool) -> J {
    let mut o = vec![
        ("ActivityId", s(guid(0x7AC7_0000, e.index))),
        ("AdditionalParams", J::O(vec![])),
        ("CreateProcessingStartTime", J::N(133_512_345_123_456_789)),
        ("DNSServerList", s(DNS_IP)),
        (
            "DNSSuffix",
            s("default.svc.cluster.local,svc.cluster.local,cluster.local"),
        ),
        ("GatewayAddress", s("10.200.0.1")),
        ("Health", health()),
        ("ID", s(e.id.as_str())),
        ("IPAddress", s(e.ip.as_str())),
    ];
    if !e.local {
        o.push(("IsRemoteEndpoint", J::B(true)));
    }
    o.push((
        "MacAddress",
        s(mac(if e.local { 0xA4 } else { 0xB7 }, e.index)),
    ));
    o.push(("Name", s(if e.local { "pod_cbr0" } else { "Ethernet" })));
    if e.local {
        o.push((
            "Namespace",
            J::O(vec![
                ("ID", s(guid(K_NS, e.index))),
                ("IsDefault", J::B(false)),
            ]),
        ));
        o.push((
            "Policies",
            J::A(vec![
                J::O(vec![
                    (
                        "ExceptionList",
                        J::A(vec![
                            s("10.200.0.0/16"),
                            s("10.244.0.0/16"),
                            s(SERVICE_CIDR),
                        ]),
                    ),
                    ("Type", s("OutBoundNAT")),
                ]),
                J::O(vec![
                    ("DestinationPrefix", s(SERVICE_CIDR)),
                    ("NeedEncap", J::B(true)),
                    ("Type", s("ROUTE")),
                ]),
            ]),
        ));
    } else {
        o.push((
            "Policies",
            J::A(vec![J::O(vec![
                (
                    "PA",
                    s(format!("10.240.{}.{}", e.index / 250, e.index % 250 + 4)),
                ),
                ("Type", s("PA")),
            ])]),
        ));
    }
    o.push(("PrefixLength", J::N(if e.local { 16 } else { 24 })));
    let mut allocators = Vec::new();
    if e.local {
        allocators.push(J::O(vec![
            ("AllocationOrder", J::N(0)),
            ("CompartmendId", J::N(e.index as u64 + 2)),
            ("Connected", J::B(true)),
            ("EndpointNicGuid", s(e.id.as_str())),
            ("EndpointPortGuid", s(guid(K_PORT, e.index))),
            ("Flags", J::N(0)),
            ("Health", health()),
            ("ID", s(guid(K_PORT, e.index))),
            ("ManagementPort", J::B(false)),
            ("State", J::N(3)),
            ("Tag", s("Endpoint Port")),
        ]));
    }
    o.push((
        "Resources",
        J::O(vec![
            ("AdditionalParams", J::O(vec![])),
            ("AllocationOrder", J::N(1)),
            ("Allocators", J::A(allocators)),
            ("Health", health()),
            ("ID", s(guid(0x8E50_0000, e.index))),
            ("State", J::N(1)),
            ("parentId", s("5C1E0A9B-3D44-4C0E-9E0B-2C7A1F0D9A11")),
        ]),
    ));
    let state = match (e.local, e.index) {
        (false, _) => 1,
        (true, 1) if detach => 4, // planted: endpoint-not-attached
        (true, _) => 3,
    };
    o.push(("StartTime", J::N(133_512_345_123_456_789)));
    o.push(("State", J::N(state)));
    o.push(("Type", s("L2Bridge")));
    o.push(("Version", J::N(VERSION_9_2)));
    o.push(("VirtualNetwork", s(NET_ID)));
    o.push(("VirtualNetworkName", s("cbr0")));
    J::O(o)
}

fn policy_list_json(i: usize, backends: &[String]) -> J {
    J::O(vec![
        ("ActivityId", s(guid(0x9BAC_0000, i))),
        ("AdditionalParams", J::O(vec![])),
        ("Health", health()),
        ("ID", s(guid(K_LB, i))),
        ("IsApplied", J::B(true)),
        (
            "Policies",
            J::A(vec![J::O(vec![
                ("ExternalPort", J::N(80)),
                ("ILB", J::B(false)),
                ("InternalPort", J::N(8080)),
                ("IsDSR", J::B(true)),
                ("Protocol", J::N(6)),
                ("SourceVIP", s("10.200.0.1")),
                ("Type", s("ELB")),
                ("VIPs", J::A(vec![s(vip(i))])),
            ])]),
        ),
        (
            "References",
            J::A(
                backends
                    .iter()
                    .map(|id| s(format!("/endpoints/{}", id.to_ascii_lowercase())))
                    .collect(),
            ),
        ),
        ("State", J::N(2)),
        ("Version", J::N(VERSION_9_2)),
    ])
}

// ------------------------------------------------------------------------------------------
// file contents

fn network_txt(table: bool) -> String {
    let mut out = String::new();
    if table {
        out.push_str("\nName Type     Id                                   AddressPrefix\n");
        out.push_str("---- ----     --                                   -------------\n");
        let _ = writeln!(out, "cbr0 L2Bridge {}\n\n", NET_ID.to_ascii_lowercase());
    }
    pretty(&mut out, &network_json(), 0);
    out.push('\n');
    out
}

fn endpoint_txt(node: &Node, table: bool) -> String {
    let mut out = String::with_capacity(node.eps.len() * 1600);
    if table {
        out.push_str("\nId                                   IpAddress    MacAddress        IsRemoteEndpoint\n");
        out.push_str("--                                   ---------    ----------        ----------------\n");
        for e in &node.eps {
            let _ = writeln!(
                out,
                "{} {:<12} {} {}",
                e.id.to_ascii_lowercase(),
                e.ip,
                mac(if e.local { 0xA4 } else { 0xB7 }, e.index),
                if e.local { "" } else { "True" }
            );
        }
        out.push_str("\n\n");
    }
    out.push_str("[\n");
    for (n, e) in node.eps.iter().enumerate() {
        pad(&mut out, 4);
        pretty(&mut out, &endpoint_json(e, node.detach), 4);
        out.push_str(if n + 1 < node.eps.len() { ",\n" } else { "\n" });
    }
    out.push_str("]\n");
    out
}

/// The cluster DNS load balancer (not DSR, like kube-proxy's for a ClusterIP with UDP and TCP
/// 53), with id number `i`.
fn dns_policy_list_json(i: usize, backend: &str) -> J {
    let elb = |proto: u64| {
        J::O(vec![
            ("ExternalPort", J::N(53)),
            ("ILB", J::B(false)),
            ("InternalPort", J::N(53)),
            ("Protocol", J::N(proto)),
            ("SourceVIP", s("10.200.0.1")),
            ("Type", s("ELB")),
            ("VIPs", J::A(vec![s(DNS_IP)])),
        ])
    };
    J::O(vec![
        ("ActivityId", s(guid(0x9BAC_0000, i))),
        ("AdditionalParams", J::O(vec![])),
        ("Health", health()),
        ("ID", s(guid(K_LB, i))),
        ("IsApplied", J::B(true)),
        ("Policies", J::A(vec![elb(17), elb(6)])),
        (
            "References",
            J::A(vec![s(format!(
                "/endpoints/{}",
                backend.to_ascii_lowercase()
            ))]),
        ),
        ("State", J::N(2)),
        ("Version", J::N(VERSION_9_2)),
    ])
}

fn policy_txt(node: &Node) -> String {
    let mut out = String::with_capacity(node.backends.len() * 1600);
    out.push_str("[\n");
    let total = node.backends.len() + usize::from(node.dns_backend.is_some());
    for (i, b) in node.backends.iter().enumerate() {
        pad(&mut out, 4);
        pretty(&mut out, &policy_list_json(i, b), 4);
        out.push_str(if i + 1 < total { ",\n" } else { "\n" });
    }
    if let Some(b) = &node.dns_backend {
        pad(&mut out, 4);
        pretty(&mut out, &dns_policy_list_json(node.backends.len(), b), 4);
        out.push('\n');
    }
    out.push_str("]\n");
    out
}

fn excludedportrange_txt(exhaust: bool) -> String {
    let mut out = String::from(
        "\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n",
    );
    let _ = writeln!(out, "{:>10}  {:>10}", 5357, 5357);
    // planted: the whole TCP dynamic range taken by 64-port blocks
    let mut p: u32 = 49152;
    while exhaust && p + 63 <= 65535 {
        let _ = writeln!(out, "{:>10}  {:>10}", p, p + 63);
        p += 64;
    }
    out.push_str("\n* - Administered port exclusions.\n\n");
    out.push_str(
        "\nProtocol udp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n",
    );
    let _ = writeln!(out, "{:>10}  {:>10}     *", 50000, 50059);
    out.push_str("\n* - Administered port exclusions.\n\n");
    out
}

fn dynamicportrange_txt() -> String {
    let mut out = String::new();
    for proto in ["tcp", "udp"] {
        let _ = write!(
            out,
            "\nProtocol {proto} Dynamic Port Range\n---------------------------------\n\
             Start Port      : 49152\nNumber of Ports : 16384\n\n"
        );
    }
    out
}

fn ports_txt(s: &Spec) -> String {
    let mut out = String::from("ITEM LIST\n===========\n\n");
    let mut port = |name: &str, friendly: &str, mac: &str, vm: &str| {
        let _ = write!(
            out,
            "   Port name            : {name}\n   Port Friendly name   : {friendly}\n   \
             Port Switch name     : {NET_ID}\n   Port Switch Friendly name : cbr0\n   \
             Port VM name         : {vm}\n   Port MAC             : {mac}\n   \
             Port is Blocked      : FALSE\n\n"
        );
    };
    port(
        HOST_VNIC_PORT,
        "Host Vnic",
        "00-15-5D-A4-20-01",
        "WINWORKER01",
    );
    for j in 0..s.locals {
        let id = guid(K_LOCAL, j);
        port(
            &guid(K_PORT, j),
            &format!("Container NIC {}", &id[..8].to_ascii_lowercase()),
            &mac(0xA4, j),
            &format!("pod{j:05}"),
        );
    }
    out.push_str("Command list-vmswitch-port succeeded!\n");
    out
}

fn rule_block(out: &mut String, name: &str, proto: u32, ip: &str, port: u32, kind: &str) {
    let _ = write!(
        out,
        "      RULE : {name}\n        Friendly name : {name}\n        Priority : 100\n        \
         Flags : 1 terminating\n        Type : {kind}\n        Conditions:\n          \
         Protocols : {proto}\n          Destination IP : {ip}\n          Destination ports : {port}\n        \
         Flow TTL: 240\n\n"
    );
}

fn group_head(out: &mut String, name: &str, dir: &str) {
    let _ = write!(
        out,
        "    GROUP : {name}\n      Friendly name : {name}\n      Priority : 100\n      \
         Direction : {dir}\n      Type : IPv4\n      Conditions:\n        <none>\n      \
         Match type : Priority-based match\n\n"
    );
}

/// The `/list-rule` dumps of the first `vfp_ports` local ports, written in pieces to `w`.
fn vfp_rules(s: &Spec, node: &Node, w: &mut dyn FnMut(&str) -> io::Result<()>) -> io::Result<()> {
    // planted: its LB_DSR rule is missing on port 0
    let skip_lb = if s.plants("dsr-vfp-rules-missing") {
        s.lbs / 3
    } else {
        usize::MAX
    };
    for j in 0..s.vfp_ports {
        let port = guid(K_PORT, j);
        let mut out = String::with_capacity(1 << 16);
        let _ = write!(
            out,
            "Policy list for port : {port}\nvfpctrl.exe /port {port} /get-port-state\nPort State\n  \
             Enabled : TRUE\n  Blocked : FALSE\nCommand get-port-state succeeded!\n\
             vfpctrl.exe /port {port} /list-rule\nITEM LIST\n===========\n\n  LAYER : LB_DSR\n    \
             Friendly name : LB_DSR\n    Priority : 5\n    Flags : 0x1 - Stateful\n\n"
        );
        group_head(&mut out, "LB_DSR_IPv4_OUT", "OUT");
        for i in 0..s.lbs {
            if j == 0 && i == skip_lb {
                continue;
            }
            let v = vip(i);
            rule_block(
                &mut out,
                &format!("LB_DSR_{i}_{NODE_IP}_{v}_80_8080_6"),
                6,
                &v,
                80,
                "lb",
            );
            if out.len() > 1 << 20 {
                w(&out)?;
                out.clear();
            }
        }
        out.push_str(
            "  LAYER : SLB_NAT_LAYER\n    Friendly name : SLB_NAT_LAYER\n    Priority : 10\n\n",
        );
        let mine: Vec<usize> = (0..s.lbs)
            .filter(|&i| node.local_backends[i].binary_search(&j).is_ok())
            .collect();
        group_head(&mut out, "SLB_GROUP_NAT_IPv4_IN", "IN");
        for &i in &mine {
            let v = vip(i);
            rule_block(&mut out, &format!("NAT_{i}_{v}_80_6"), 6, &v, 80, "nat");
        }
        group_head(&mut out, "SLB_GROUP_NAT_IPv4_OUT", "OUT");
        for &i in &mine {
            let v = vip(i);
            rule_block(
                &mut out,
                &format!("ALLOW_NAT_{i}_{v}_80_6"),
                6,
                &v,
                80,
                "allow",
            );
        }
        out.push_str("Command list-rule succeeded!\n");
        w(&out)?;
    }
    Ok(())
}

fn kube_proxy_log(s: &Spec) -> String {
    let mut out = String::with_capacity(s.log_lines * 100);
    for n in 0..s.log_lines {
        let (sec, us) = (n / 1000 % 60, n % 1000 * 1000 + 1);
        if n % 2 == 0 {
            let _ = writeln!(
                out,
                "I0412 10:{:02}:{sec:02}.{us:06}    4321 proxier.go:1112] \"Syncing proxy rules\"",
                n / 60_000 % 60
            );
        } else {
            let _ = writeln!(
                out,
                "I0412 10:{:02}:{sec:02}.{us:06}    4321 hns.go:{}] \"Policy creation succeeded\" vip=\"{}\"",
                n / 60_000 % 60,
                300 + n % 7,
                vip(n % s.lbs.max(1))
            );
        }
    }
    // planted: port-already-exists
    if !s.plants("port-already-exists") {
        return out;
    }
    out.push_str(
        "E0412 11:00:02.123456    4321 proxier.go:1352] \"Policy creation failed\" \
         err=\"hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013)\"\n",
    );
    out
}

fn kubeclusterconfig_json() -> String {
    format!(
        "{{\n    \"Cri\": {{ \"Name\": \"containerd\" }},\n    \"Cni\": {{ \"Name\": \"flannel\" }},\n    \
         \"Kubernetes\": {{\n        \"Network\": {{\n            \"ServiceCidr\": \"{SERVICE_CIDR}\",\n            \
         \"ClusterCidr\": \"10.244.0.0/16\",\n            \"DnsIp\": \"{DNS_IP}\"\n        }},\n        \
         \"Kubeproxy\": {{ \"FeatureGates\": [ \"WinDSR=true\" ] }}\n    }}\n}}\n"
    )
}

// ------------------------------------------------------------------------------------------
// writers

/// How a file is encoded on disk.
#[derive(Clone, Copy)]
enum Enc {
    /// UTF-16LE with BOM and CRLF (Windows PowerShell 5.1 `>`).
    Utf16,
    /// As is (UTF-8 / ASCII, LF).
    Utf8,
}

struct Out {
    w: BufWriter<File>,
    enc: Enc,
    buf: Vec<u8>,
}

impl Out {
    fn create(path: &Path, enc: Enc) -> io::Result<Self> {
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
        if matches!(enc, Enc::Utf16) {
            w.write_all(&[0xFF, 0xFE])?;
        }
        Ok(Self {
            w,
            enc,
            buf: Vec::new(),
        })
    }

    fn put(&mut self, text: &str) -> io::Result<()> {
        match self.enc {
            Enc::Utf8 => self.w.write_all(text.as_bytes()),
            Enc::Utf16 => {
                self.buf.clear();
                self.buf.reserve(text.len() * 2 + 64);
                for u in text.encode_utf16() {
                    if u == u16::from(b'\n') {
                        self.buf.extend_from_slice(&[b'\r', 0]);
                    }
                    self.buf.extend_from_slice(&u.to_le_bytes());
                }
                self.w.write_all(&self.buf)
            }
        }
    }

    fn finish(mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Write a synthetic node of shape `spec` into `dir` (created if missing) in `layout`.
///
/// # Errors
/// An invalid spec ([`Spec::validate`]) as `InvalidInput`; I/O errors.
pub fn write(dir: &Path, spec: &Spec, layout: Layout) -> io::Result<Vec<Written>> {
    spec.validate()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    std::fs::create_dir_all(dir)?;
    let node = Node::new(spec);
    let legacy = layout == Layout::Legacy;
    let text_enc = if legacy { Enc::Utf16 } else { Enc::Utf8 };
    // (legacy name, bundle path, parser id, source id, encoding, json)
    struct F {
        legacy: &'static str,
        bundle: &'static str,
        parser: &'static str,
        id: &'static str,
        enc: Enc,
        json: bool,
    }
    let f = |legacy, bundle, parser, id, enc, json| F {
        legacy,
        bundle,
        parser,
        id,
        enc,
        json,
    };
    let files = [
        f(
            "network.txt",
            "hns/networks.json",
            "hns-networks-json",
            "hns.networks",
            text_enc,
            true,
        ),
        f(
            "endpoint.txt",
            "hns/endpoints.json",
            "hns-endpoints-json",
            "hns.endpoints",
            text_enc,
            true,
        ),
        f(
            "policy.txt",
            "hns/policylists.json",
            "hns-policylists-json",
            "hns.policylists",
            text_enc,
            true,
        ),
        f(
            "excludedportrange.txt",
            "ports/excludedportrange.txt",
            "netsh-excludedportrange",
            "ports.excluded",
            text_enc,
            false,
        ),
        f(
            "dynamicportrange.txt",
            "ports/dynamicportrange.txt",
            "netsh-dynamicportrange",
            "ports.dynamic",
            text_enc,
            false,
        ),
        f(
            "ports.txt",
            "vfp/ports.txt",
            "vfpctrl",
            "vfp.ports",
            text_enc,
            false,
        ),
        f(
            "vfpOutput.txt",
            "vfp/rules.txt",
            "vfpctrl",
            "vfp.rules",
            text_enc,
            false,
        ),
        f(
            "kube-proxy.log",
            "logs/kube-proxy.log",
            "component-log",
            "logs.kube-proxy",
            Enc::Utf8,
            false,
        ),
        f(
            "kubeclusterconfig.json",
            "k8s/kubeclusterconfig.json",
            "kube-cluster-config",
            "k8s.clusterconfig",
            Enc::Utf8,
            true,
        ),
    ];
    let mut written = Vec::new();
    for file in &files {
        let rel = if legacy { file.legacy } else { file.bundle };
        let path = dir.join(rel);
        let mut out = Out::create(&path, file.enc)?;
        match file.legacy {
            "network.txt" => out.put(&network_txt(legacy))?,
            "endpoint.txt" => out.put(&endpoint_txt(&node, legacy))?,
            "policy.txt" => out.put(&policy_txt(&node))?,
            "excludedportrange.txt" => {
                out.put(&excludedportrange_txt(spec.plants("port-pool-exhaustion")))?
            }
            "dynamicportrange.txt" => out.put(&dynamicportrange_txt())?,
            "ports.txt" => out.put(&ports_txt(spec))?,
            "vfpOutput.txt" => vfp_rules(spec, &node, &mut |t| out.put(t))?,
            "kube-proxy.log" => out.put(&kube_proxy_log(spec))?,
            _ => out.put(&kubeclusterconfig_json())?,
        }
        out.finish()?;
        written.push(Written {
            bytes: std::fs::metadata(&path)?.len(),
            path,
            json: file.json,
        });
    }
    if !legacy {
        let mut m = String::from(
            "{\n  \"format_version\": 1,\n  \"tool\": \"hnsdoctor\",\n  \"tool_version\": \"synthetic\",\n  \
             \"host\": \"{host}\",\n  {os_build}\"started_at\": \"2026-11-24T02:00:00Z\",\n  \
             \"finished_at\": \"2026-11-24T02:00:07Z\",\n  \"admin\": true,\n  \"sources\": [\n",
        )
        .replace(
            "{host}",
            &spec.host.replace('\\', "\\\\").replace('"', "\\\""),
        )
        .replace(
            "{os_build}",
            &spec
                .os_build
                .as_deref()
                .map(|b| format!("\"os_build\": \"{}\",\n  ", b.replace(['\\', '"'], "")))
                .unwrap_or_default(),
        );
        for (n, (file, w)) in files.iter().zip(&written).enumerate() {
            let _ = writeln!(
                m,
                "    {{ \"id\": \"{}\", \"status\": \"ok\", \"via\": \"synthetic\", \"parser\": \"{}\", \
                 \"path\": \"{}\", \"duration_ms\": 1, \"bytes\": {} }}{}",
                file.id,
                file.parser,
                file.bundle,
                w.bytes,
                if n + 1 < files.len() { "," } else { "" }
            );
        }
        m.push_str("  ]\n}\n");
        let path = dir.join("manifest.json");
        std::fs::write(&path, m)?;
        written.push(Written {
            bytes: std::fs::metadata(&path)?.len(),
            path,
            json: true,
        });
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..5000 {
            let g = guid(K_REMOTE, i);
            assert_eq!(g.len(), 36, "{g}");
            assert_eq!(g.matches('-').count(), 4, "{g}");
            assert!(seen.insert(g));
        }
    }

    #[test]
    fn spec_validation_names_the_problem() {
        let mut s = Spec::new(1000);
        assert!(s.validate().is_ok());
        s.lbs = 2;
        assert!(s.validate().unwrap_err().contains("load balancers"));
        let mut s = Spec::new(1000);
        s.vfp_ports = 0;
        assert!(s.validate().unwrap_err().contains("vfp_ports"));
    }

    #[test]
    fn legacy_files_are_utf16_with_bom_and_crlf() {
        let d = tempfile::tempdir().unwrap();
        let w = write(d.path(), &Spec::new(100), Layout::Legacy).unwrap();
        let ep = std::fs::read(d.path().join("endpoint.txt")).unwrap();
        assert_eq!(&ep[..2], &[0xFF, 0xFE]);
        let units: Vec<u16> = ep[2..]
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let text = String::from_utf16(&units).unwrap();
        assert!(text.contains("\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        assert_eq!(text.matches("\"IsRemoteEndpoint\"").count(), 100 - 25);
        assert_eq!(w.len(), 9);
        assert!(!d.path().join("manifest.json").exists());
    }

    #[test]
    fn every_lb_has_backends_and_two_dangle() {
        let s = Spec::new(1000);
        let n = Node::new(&s);
        assert_eq!(n.backends.len(), 500);
        assert!(n.backends.iter().all(|b| !b.is_empty()));
        let gone = n
            .backends
            .iter()
            .flatten()
            .filter(|id| id.starts_with("5DEAD000"))
            .count();
        assert_eq!(gone, 2);
        let used: std::collections::HashSet<&String> = n.backends.iter().flatten().collect();
        let stale = n
            .eps
            .iter()
            .filter(|e| !e.local && !used.contains(&e.id))
            .count();
        assert_eq!(stale, s.stale + 1, "stale ones plus the moved one");
    }

    #[test]
    fn bundle_has_a_manifest_naming_every_file() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), &Spec::new(100), Layout::Bundle).unwrap();
        let m = std::fs::read_to_string(d.path().join("manifest.json")).unwrap();
        for p in ["hns/endpoints.json", "vfp/rules.txt", "logs/kube-proxy.log"] {
            assert!(m.contains(p), "{p}");
            assert!(d.path().join(p).exists(), "{p}");
        }
    }
}
