//! Shared helpers of the fuzz targets: the parser families (format ids of
//! `hnsdoctor_parse::formats::FORMATS`) and the one way a family target drives a parser.

use hnsdoctor_parse::formats::{by_id, FormatDef};
use hnsdoctor_parse::{HostModel, Input, InputSummary};

/// HNS and VFP state: JSON dumps, `Get-Hns*` lists, hnsdiag, vfpctrl, inline HCN settings.
pub const HNS: &[&str] = &[
    "hns-networks-json",
    "hns-endpoints-json",
    "hns-namespaces-json",
    "hns-loadbalancers-json",
    "hns-policylists-json",
    "hns-portpools-json",
    "hns-version-json",
    "hnsdiag-detailed-json",
    "hns-networks-list",
    "hns-endpoints-list",
    "hns-policylists-list",
    "hns-namespaces-list",
    "hns-process",
    "hns-data-file",
    "hnsdiag-list",
    "vfpctrl",
    "hcn-settings-inline",
    "hns-lb-count-series",
];

/// Windows command output: ipconfig, netsh, route, NAT, services, listeners, registry, OS.
pub const WINDOWS: &[&str] = &[
    "netsh-excludedportrange",
    "netsh-dynamicportrange",
    "osversion",
    "get-hotfix",
    "ipconfig",
    "sc-queryex",
    "get-service",
    "netstat",
    "netsh-tcpconnections",
    "get-nettcpconnection",
    "reg-query-netparams",
    "netsh-interfaces",
    "arp",
    "reservedports-probe",
    "route-print",
    "get-netroute",
    "get-netnat",
    "get-netnatstaticmapping",
    "get-vmswitch",
    "get-netadapter",
    "name-resolution",
];

/// Logs and events: klog component logs, event logs, Kubernetes events and pods, crashes, errors.
pub const LOGS: &[&str] = &[
    "component-log",
    "kube-events",
    "wevtutil-xml",
    "get-winevent-list",
    "event-table",
    "powershell-error",
    "docker-error",
    "go-crash",
    "kubectl-get-pods",
    "container-images",
    "container-list",
];

/// Configuration files: CNI, kube-proxy cluster config, flannel's subnet.env, containerd.
pub const CONFIG: &[&str] = &[
    "cni-config",
    "kube-cluster-config",
    "flannel-subnet-env",
    "containerd-config",
];

/// Run one parser of `family`: the first byte picks the format, the rest is the text (lossy
/// UTF-8, as the decoder never hands a parser anything else). Also runs the format's detector.
pub fn run_family(family: &[&str], data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let id = family[usize::from(pick) % family.len()];
    let def: &FormatDef = by_id(id).unwrap_or_else(|| panic!("format {id} is not in FORMATS"));
    let text = String::from_utf8_lossy(rest);
    let _ = (def.detect)(&text);
    let mut model = HostModel::new();
    let mut summary = InputSummary::default();
    let _ = (def.parse)(&Input::new(id, &text), &mut model, &mut summary);
}
