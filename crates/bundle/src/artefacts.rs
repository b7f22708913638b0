//! The one artefact table: every file hnsdoctor writes into a bundle or reads from someone
//! else's folder, and how it is read.
//!
//! [`ARTEFACTS`] holds three kinds of row ([`Origin`]):
//!
//! * **bundle**: a path the collector writes (`hns/networks.json`). Each is a named constant
//!   ([`HNS_NETWORKS`]) that the collector's source table points at, so the source, the bundle
//!   path and the format that reads it back cannot drift apart.
//! * **CollectLogs**: a file `collectlogs.ps1` (microsoft/SDN) writes at its output root, with
//!   what it held; [`is_collectlogs_name`] is how [`crate::open()`] tells a legacy folder, and the
//!   collector's parity page (`docs/collectlogs-parity.md`) is rendered from these rows.
//! * **elsewhere**: names other collectors and people give the same output (`systeminfo.txt`,
//!   `kubelet.err.log`).
//!
//! Every row says how it is read: with one or more parser formats ([`Format`], the ids of
//! `hnsdoctor_parse::formats::FORMATS`; a legacy `network.txt` is JSON on some versions of
//! the script and a list on others, so it has two), or kept raw with the reason. The parser selects formats by name through [`matching`];
//! a test in `hnsdoctor-parse` checks that every [`Format`] has a parser and every parser a
//! [`Format`].
//!
//! To add an artefact: add a row here (a named constant when the collector writes it), then
//! point the collector source or the parser format at it.

use serde::Serialize;
use std::fmt;

macro_rules! formats {
    ($($(#[$doc:meta])* $v:ident = $id:literal,)*) => {
        /// A parser format: the typed id of one entry of `hnsdoctor_parse::formats::FORMATS`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Format {
            $($(#[$doc])* #[doc = concat!("`", $id, "`")] $v,)*
        }

        impl Format {
            /// Every format, in the order of this table.
            pub const ALL: &'static [Format] = &[$(Format::$v,)*];

            /// The id: kebab-case, as recorded in manifests and input summaries.
            #[must_use]
            pub const fn id(self) -> &'static str {
                match self {
                    $(Format::$v => $id,)*
                }
            }

            /// The format with this id.
            #[must_use]
            pub fn from_id(id: &str) -> Option<Format> {
                match id {
                    $($id => Some(Format::$v),)*
                    _ => None,
                }
            }
        }
    };
}

formats! {
    NetshExcludedportrange = "netsh-excludedportrange",
    NetshDynamicportrange = "netsh-dynamicportrange",
    Osversion = "osversion",
    GetHotfix = "get-hotfix",
    ContainerImages = "container-images",
    ContainerList = "container-list",
    ComponentLog = "component-log",
    HnsNetworksJson = "hns-networks-json",
    HnsEndpointsJson = "hns-endpoints-json",
    HnsNamespacesJson = "hns-namespaces-json",
    HnsLoadbalancersJson = "hns-loadbalancers-json",
    HnsPolicylistsJson = "hns-policylists-json",
    HnsPortpoolsJson = "hns-portpools-json",
    HnsVersionJson = "hns-version-json",
    HnsdiagDetailedJson = "hnsdiag-detailed-json",
    Ipconfig = "ipconfig",
    CniConfig = "cni-config",
    KubeClusterConfig = "kube-cluster-config",
    FlannelSubnetEnv = "flannel-subnet-env",
    HnsNetworksList = "hns-networks-list",
    HnsEndpointsList = "hns-endpoints-list",
    HnsPolicylistsList = "hns-policylists-list",
    HnsNamespacesList = "hns-namespaces-list",
    ScQueryex = "sc-queryex",
    GetService = "get-service",
    HnsProcess = "hns-process",
    HnsDataFile = "hns-data-file",
    Netstat = "netstat",
    NetshTcpconnections = "netsh-tcpconnections",
    GetNettcpconnection = "get-nettcpconnection",
    HnsdiagList = "hnsdiag-list",
    KubeEvents = "kube-events",
    RegQueryNetparams = "reg-query-netparams",
    Vfpctrl = "vfpctrl",
    NetshInterfaces = "netsh-interfaces",
    Arp = "arp",
    ReservedportsProbe = "reservedports-probe",
    WevtutilXml = "wevtutil-xml",
    GetWineventList = "get-winevent-list",
    RoutePrint = "route-print",
    GetNetroute = "get-netroute",
    GetNetnat = "get-netnat",
    GetNetnatstaticmapping = "get-netnatstaticmapping",
    GetVmswitch = "get-vmswitch",
    GetNetadapter = "get-netadapter",
    NameResolution = "name-resolution",
    PowershellError = "powershell-error",
    DockerError = "docker-error",
    ContainerdConfig = "containerd-config",
    EventTable = "event-table",
    HcnSettingsInline = "hcn-settings-inline",
    HnsLbCountSeries = "hns-lb-count-series",
    GoCrash = "go-crash",
    KubectlGetPods = "kubectl-get-pods",
    PktmonList = "pktmon-list",
    PktmonCounters = "pktmon-counters",
    PktmonEtl2txt = "pktmon-etl2txt",
    PktmonCapture = "pktmon-capture",
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// How an artefact is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// With these parser formats (every one runs; most artefacts have one).
    Formats(&'static [Format]),
    /// Kept for people, not parsed; the reason says why.
    Raw(&'static str),
}

/// Who writes an artefact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `hnsdoctor collect`, at this bundle path.
    Bundle,
    /// `collectlogs.ps1` at its output root; what the file held.
    CollectLogs(&'static str),
    /// Another collector, or a person saving command output.
    Elsewhere,
}

/// One artefact: a file name (or bundle path) and how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Artefact {
    /// A bundle path (`hns/networks.json`, a folder ends in `/`) or a file name
    /// (`network.txt`, `winevt\System.evtx`, patterns with `*` for CollectLogs folders).
    pub name: &'static str,
    /// How it is read.
    pub read: Read,
    /// Who writes it.
    pub origin: Origin,
}

impl Artefact {
    /// The formats that read it (empty when it is kept raw).
    #[must_use]
    pub fn formats(&self) -> &'static [Format] {
        match self.read {
            Read::Formats(f) => f,
            Read::Raw(_) => &[],
        }
    }

    /// Whether a source path names this artefact: the artefact's name is the path or its end on a
    /// `/` boundary, compared case-insensitively. Folders and patterns never match by name.
    #[must_use]
    pub fn matches(&self, path: &str) -> bool {
        let n = self.name;
        if n.ends_with('/') || n.contains('*') {
            return false;
        }
        let (p, n) = (path.as_bytes(), n.as_bytes());
        p.len() >= n.len()
            && p[p.len() - n.len()..].eq_ignore_ascii_case(n)
            && (p.len() == n.len() || p[p.len() - n.len() - 1] == b'/')
    }
}

/// Bundle path `containers/hcsdiag.txt` (collector source `containers.hcsdiag`).
pub const CONTAINERS_HCSDIAG: Artefact = Artefact {
    name: "containers/hcsdiag.txt",
    read: Read::Raw("compute-system list for people; no parser yet"),
    origin: Origin::Bundle,
};
/// Bundle path `containers/ctr.txt` (collector source `containers.ctr`).
pub const CONTAINERS_CTR: Artefact = Artefact {
    name: "containers/ctr.txt",
    read: Read::Formats(&[Format::ContainerList]),
    origin: Origin::Bundle,
};
/// Bundle path `containers/docker-ps.txt` (collector source `containers.docker`).
pub const CONTAINERS_DOCKER: Artefact = Artefact {
    name: "containers/docker-ps.txt",
    read: Read::Formats(&[Format::ContainerList]),
    origin: Origin::Bundle,
};
/// Bundle path `registry/dnscache.txt` (collector source `dns.client_registry`).
pub const DNS_CLIENT_REGISTRY: Artefact = Artefact {
    name: "registry/dnscache.txt",
    read: Read::Formats(&[Format::RegQueryNetparams]),
    origin: Origin::Bundle,
};
/// Bundle path `net/dns-servers.txt` (collector source `dns.servers`).
pub const DNS_SERVERS: Artefact = Artefact {
    name: "net/dns-servers.txt",
    read: Read::Raw("DNS servers per interface are parsed from ipconfig"),
    origin: Origin::Bundle,
};
/// Bundle path `net/displaydns.txt` (collector source `dns.cache`).
pub const DNS_CACHE: Artefact = Artefact {
    name: "net/displaydns.txt",
    read: Read::Raw("cache listing for people"),
    origin: Origin::Bundle,
};
/// Bundle path `events/system.xml` (collector source `events.system`).
pub const EVENTS_SYSTEM: Artefact = Artefact {
    name: "events/system.xml",
    read: Read::Formats(&[Format::WevtutilXml]),
    origin: Origin::Bundle,
};
/// Bundle path `events/application.xml` (collector source `events.application`).
pub const EVENTS_APPLICATION: Artefact = Artefact {
    name: "events/application.xml",
    read: Read::Formats(&[Format::WevtutilXml]),
    origin: Origin::Bundle,
};
/// Bundle path `events/hns-admin.xml` (collector source `events.hns_admin`).
pub const EVENTS_HNS_ADMIN: Artefact = Artefact {
    name: "events/hns-admin.xml",
    read: Read::Formats(&[Format::WevtutilXml]),
    origin: Origin::Bundle,
};
/// Bundle path `events/hns-operational.xml` (collector source `events.hns_operational`).
pub const EVENTS_HNS_OPERATIONAL: Artefact = Artefact {
    name: "events/hns-operational.xml",
    read: Read::Formats(&[Format::WevtutilXml]),
    origin: Origin::Bundle,
};
/// Bundle path `events/hyperv-compute-admin.xml` (collector source `events.compute_admin`).
pub const EVENTS_COMPUTE_ADMIN: Artefact = Artefact {
    name: "events/hyperv-compute-admin.xml",
    read: Read::Formats(&[Format::WevtutilXml]),
    origin: Origin::Bundle,
};
/// Bundle path `events/hyperv-compute-operational.xml` (collector source `events.compute_operational`).
pub const EVENTS_COMPUTE_OPERATIONAL: Artefact = Artefact {
    name: "events/hyperv-compute-operational.xml",
    read: Read::Formats(&[Format::WevtutilXml]),
    origin: Origin::Bundle,
};
/// Bundle path `events/hyperv-vmswitch-operational.xml` (collector source `events.vmswitch`).
pub const EVENTS_VMSWITCH: Artefact = Artefact {
    name: "events/hyperv-vmswitch-operational.xml",
    read: Read::Formats(&[Format::WevtutilXml]),
    origin: Origin::Bundle,
};
/// Bundle path `events/hyperv-worker-admin.xml` (collector source `events.worker`).
pub const EVENTS_WORKER: Artefact = Artefact {
    name: "events/hyperv-worker-admin.xml",
    read: Read::Formats(&[Format::WevtutilXml]),
    origin: Origin::Bundle,
};
/// Bundle path `firewall/rules.txt` (collector source `firewall.rules`).
pub const FIREWALL_RULES: Artefact = Artefact {
    name: "firewall/rules.txt",
    read: Read::Raw("rule dump for people; no rule reads the firewall yet"),
    origin: Origin::Bundle,
};
/// Bundle path `firewall/wfpstate.xml` (collector source `firewall.wfp_state`).
pub const FIREWALL_WFP_STATE: Artefact = Artefact {
    name: "firewall/wfpstate.xml",
    read: Read::Raw("WFP XML for Microsoft support"),
    origin: Origin::Bundle,
};
/// Bundle path `firewall/wfpfilters.xml` (collector source `firewall.wfp_filters`).
pub const FIREWALL_WFP_FILTERS: Artefact = Artefact {
    name: "firewall/wfpfilters.xml",
    read: Read::Raw("WFP XML for Microsoft support"),
    origin: Origin::Bundle,
};
/// Bundle path `firewall/wfpnetevents.xml` (collector source `firewall.wfp_netevents`).
pub const FIREWALL_WFP_NETEVENTS: Artefact = Artefact {
    name: "firewall/wfpnetevents.xml",
    read: Read::Raw("WFP XML for Microsoft support"),
    origin: Origin::Bundle,
};
/// Bundle path `hns/networks.json` (collector source `hns.networks`).
pub const HNS_NETWORKS: Artefact = Artefact {
    name: "hns/networks.json",
    read: Read::Formats(&[Format::HnsNetworksJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/endpoints.json` (collector source `hns.endpoints`).
pub const HNS_ENDPOINTS: Artefact = Artefact {
    name: "hns/endpoints.json",
    read: Read::Formats(&[Format::HnsEndpointsJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/endpoints.v1.json` (collector source `hns.endpoints_v1`).
pub const HNS_ENDPOINTS_V1: Artefact = Artefact {
    name: "hns/endpoints.v1.json",
    read: Read::Formats(&[Format::HnsEndpointsJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/loadbalancers.json` (collector source `hns.loadbalancers`).
pub const HNS_LOADBALANCERS: Artefact = Artefact {
    name: "hns/loadbalancers.json",
    read: Read::Formats(&[Format::HnsLoadbalancersJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/policylists.json` (collector source `hns.policylists`).
pub const HNS_POLICYLISTS: Artefact = Artefact {
    name: "hns/policylists.json",
    read: Read::Formats(&[Format::HnsPolicylistsJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/namespaces.json` (collector source `hns.namespaces`).
pub const HNS_NAMESPACES: Artefact = Artefact {
    name: "hns/namespaces.json",
    read: Read::Formats(&[Format::HnsNamespacesJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/portpools.json` (collector source `hns.portpools`).
pub const HNS_PORTPOOLS: Artefact = Artefact {
    name: "hns/portpools.json",
    read: Read::Formats(&[Format::HnsPortpoolsJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/version.json` (collector source `hns.version`).
pub const HNS_VERSION: Artefact = Artefact {
    name: "hns/version.json",
    read: Read::Formats(&[Format::HnsVersionJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/hnsdiag.txt` (collector source `hns.hnsdiag`).
pub const HNS_HNSDIAG: Artefact = Artefact {
    name: "hns/hnsdiag.txt",
    read: Read::Formats(&[Format::HnsdiagDetailedJson]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/hnsdiag-adapters.txt` (collector source `hns.hnsdiag_adapters`).
pub const HNS_HNSDIAG_ADAPTERS: Artefact = Artefact {
    name: "hns/hnsdiag-adapters.txt",
    read: Read::Raw("adapter list for people; the model takes adapters from HCN JSON"),
    origin: Origin::Bundle,
};
/// Bundle path `registry/hns.json` (collector source `hns.registry`).
pub const HNS_REGISTRY: Artefact = Artefact {
    name: "registry/hns.json",
    read: Read::Raw("HNS flags for people; no parser reads them yet"),
    origin: Origin::Bundle,
};
/// Bundle path `hns/hnsdata.json` (collector source `hns.data`).
pub const HNS_DATA: Artefact = Artefact {
    name: "hns/hnsdata.json",
    read: Read::Formats(&[Format::HnsDataFile]),
    origin: Origin::Bundle,
};
/// Bundle path `hns/process.json` (collector source `hns.process`).
pub const HNS_PROCESS: Artefact = Artefact {
    name: "hns/process.json",
    read: Read::Formats(&[Format::HnsProcess]),
    origin: Origin::Bundle,
};
/// Bundle path `net/ipconfig.txt` (collector source `ip.ipconfig`).
pub const IP_IPCONFIG: Artefact = Artefact {
    name: "net/ipconfig.txt",
    read: Read::Formats(&[Format::Ipconfig]),
    origin: Origin::Bundle,
};
/// Bundle path `net/netipaddress.txt` (collector source `ip.addresses`).
pub const IP_ADDRESSES: Artefact = Artefact {
    name: "net/netipaddress.txt",
    read: Read::Raw("addresses per compartment are parsed from ipconfig"),
    origin: Origin::Bundle,
};
/// Bundle path `net/netipinterface.txt` (collector source `ip.interfaces`).
pub const IP_INTERFACES: Artefact = Artefact {
    name: "net/netipinterface.txt",
    read: Read::Raw("interface table for people; MTU is parsed from mtu.txt"),
    origin: Origin::Bundle,
};
/// Bundle path `net/route-print.txt` (collector source `ip.route_print`).
pub const IP_ROUTE_PRINT: Artefact = Artefact {
    name: "net/route-print.txt",
    read: Read::Formats(&[Format::RoutePrint]),
    origin: Origin::Bundle,
};
/// Bundle path `net/netroute.txt` (collector source `ip.routes`).
pub const IP_ROUTES: Artefact = Artefact {
    name: "net/netroute.txt",
    read: Read::Formats(&[Format::GetNetroute]),
    origin: Origin::Bundle,
};
/// Bundle path `net/mtu.txt` (collector source `ip.mtu`).
pub const IP_MTU: Artefact = Artefact {
    name: "net/mtu.txt",
    read: Read::Formats(&[Format::NetshInterfaces]),
    origin: Origin::Bundle,
};
/// Bundle path `net/arp.txt` (collector source `ip.arp`).
pub const IP_ARP: Artefact = Artefact {
    name: "net/arp.txt",
    read: Read::Formats(&[Format::Arp]),
    origin: Origin::Bundle,
};
/// Bundle path `net/netneighbor.txt` (collector source `ip.neighbors`).
pub const IP_NEIGHBORS: Artefact = Artefact {
    name: "net/netneighbor.txt",
    read: Read::Raw("neighbour facts are parsed from arp -a"),
    origin: Origin::Bundle,
};
/// Bundle path `net/netadapter.txt` (collector source `ip.adapters`).
pub const IP_ADAPTERS: Artefact = Artefact {
    name: "net/netadapter.txt",
    read: Read::Formats(&[Format::GetNetadapter]),
    origin: Origin::Bundle,
};
/// Bundle path `net/adapter-interfaces.txt` (collector source `ip.adapter_interfaces`).
pub const IP_ADAPTER_INTERFACES: Artefact = Artefact {
    name: "net/adapter-interfaces.txt",
    read: Read::Raw("per-adapter detail for people; MTU and adapters are parsed from mtu.txt and netadapter.txt"),
    origin: Origin::Bundle,
};
/// Bundle path `registry/tcpip.txt` (collector source `ip.tcpip_registry`).
pub const IP_TCPIP_REGISTRY: Artefact = Artefact {
    name: "registry/tcpip.txt",
    read: Read::Raw("TCP/IP v4 parameters for people; no rule reads them yet"),
    origin: Origin::Bundle,
};
/// Bundle path `registry/tcpip6.txt` (collector source `ip.tcpip6_registry`).
pub const IP_TCPIP6_REGISTRY: Artefact = Artefact {
    name: "registry/tcpip6.txt",
    read: Read::Formats(&[Format::RegQueryNetparams]),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/kubelet/` (collector source `k8s.kubelet_logs`).
pub const K8S_KUBELET_LOGS: Artefact = Artefact {
    name: "k8s/kubelet/",
    read: Read::Formats(&[Format::ComponentLog]),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/kube-proxy/` (collector source `k8s.kube_proxy_logs`).
pub const K8S_KUBE_PROXY_LOGS: Artefact = Artefact {
    name: "k8s/kube-proxy/",
    read: Read::Formats(&[Format::ComponentLog]),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/containerd/` (collector source `k8s.containerd_logs`).
pub const K8S_CONTAINERD_LOGS: Artefact = Artefact {
    name: "k8s/containerd/",
    read: Read::Formats(&[Format::ComponentLog]),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/cni-logs/` (collector source `k8s.cni_logs`).
pub const K8S_CNI_LOGS: Artefact = Artefact {
    name: "k8s/cni-logs/",
    read: Read::Formats(&[Format::ComponentLog]),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/cni/` (collector source `k8s.cni_config`).
pub const K8S_CNI_CONFIG: Artefact = Artefact {
    name: "k8s/cni/",
    read: Read::Formats(&[Format::CniConfig]),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/cni-state/` (collector source `k8s.cni_state`).
pub const K8S_CNI_STATE: Artefact = Artefact {
    name: "k8s/cni-state/",
    read: Read::Raw("CNI state for people; no parser yet"),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/config/` (collector source `k8s.cluster_config`).
pub const K8S_CLUSTER_CONFIG: Artefact = Artefact {
    name: "k8s/config/",
    read: Read::Formats(&[Format::KubeClusterConfig]),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/containerd-config/` (collector source `k8s.containerd_config`).
pub const K8S_CONTAINERD_CONFIG: Artefact = Artefact {
    name: "k8s/containerd-config/",
    read: Read::Raw("runtime configuration for people"),
    origin: Origin::Bundle,
};
/// Bundle path `k8s/kubelet-config/` (collector source `k8s.kubelet_config`).
pub const K8S_KUBELET_CONFIG: Artefact = Artefact {
    name: "k8s/kubelet-config/",
    read: Read::Raw("kubelet flags for people"),
    origin: Origin::Bundle,
};
/// Bundle path `nat/netnat.txt` (collector source `nat.instances`).
pub const NAT_INSTANCES: Artefact = Artefact {
    name: "nat/netnat.txt",
    read: Read::Formats(&[Format::GetNetnat]),
    origin: Origin::Bundle,
};
/// Bundle path `nat/static-mappings.txt` (collector source `nat.static_mappings`).
pub const NAT_STATIC_MAPPINGS: Artefact = Artefact {
    name: "nat/static-mappings.txt",
    read: Read::Formats(&[Format::GetNetnatstaticmapping]),
    origin: Origin::Bundle,
};
/// Bundle path `nat/sessions.txt` (collector source `nat.sessions`).
pub const NAT_SESSIONS: Artefact = Artefact {
    name: "nat/sessions.txt",
    read: Read::Raw("session table for people"),
    origin: Origin::Bundle,
};
/// Bundle path `os/currentversion-reg.txt` (collector source `os.version`).
pub const OS_VERSION: Artefact = Artefact {
    name: "os/currentversion-reg.txt",
    read: Read::Formats(&[Format::Osversion]),
    origin: Origin::Bundle,
};
/// Bundle path `os/hotfix.txt` (collector source `os.hotfixes`).
pub const OS_HOTFIXES: Artefact = Artefact {
    name: "os/hotfix.txt",
    read: Read::Formats(&[Format::GetHotfix]),
    origin: Origin::Bundle,
};
/// Bundle path `logs/netsetup/` (collector source `os.netsetup_logs`).
pub const OS_NETSETUP_LOGS: Artefact = Artefact {
    name: "logs/netsetup/",
    read: Read::Raw("setup logs for Microsoft support"),
    origin: Origin::Bundle,
};
/// Bundle path `logs/dism/` (collector source `os.dism_logs`).
pub const OS_DISM_LOGS: Artefact = Artefact {
    name: "logs/dism/",
    read: Read::Raw("servicing logs for Microsoft support"),
    origin: Origin::Bundle,
};
/// Bundle path `logs/cbs/` (collector source `os.cbs_logs`).
pub const OS_CBS_LOGS: Artefact = Artefact {
    name: "logs/cbs/",
    read: Read::Raw("servicing logs for Microsoft support"),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/counters.json` (collector source `pktmon.counters`).
pub const PKTMON_COUNTERS: Artefact = Artefact {
    name: "pktmon/counters.json",
    read: Read::Formats(&[Format::PktmonCounters]),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/list.json` (collector source `pktmon.list`).
pub const PKTMON_LIST: Artefact = Artefact {
    name: "pktmon/list.json",
    read: Read::Formats(&[Format::PktmonList]),
    origin: Origin::Bundle,
};
/// Bundle path `ports/excludedportrange.txt` (collector source `ports.excluded`).
pub const PORTS_EXCLUDED: Artefact = Artefact {
    name: "ports/excludedportrange.txt",
    read: Read::Formats(&[Format::NetshExcludedportrange]),
    origin: Origin::Bundle,
};
/// Bundle path `ports/dynamicportrange.txt` (collector source `ports.dynamic`).
pub const PORTS_DYNAMIC: Artefact = Artefact {
    name: "ports/dynamicportrange.txt",
    read: Read::Formats(&[Format::NetshDynamicportrange]),
    origin: Origin::Bundle,
};
/// Bundle path `ports/tcpconnections.txt` (collector source `ports.tcpconnections`).
pub const PORTS_TCPCONNECTIONS: Artefact = Artefact {
    name: "ports/tcpconnections.txt",
    read: Read::Formats(&[Format::NetshTcpconnections]),
    origin: Origin::Bundle,
};
/// Bundle path `ports/netstat.txt` (collector source `ports.netstat`).
pub const PORTS_NETSTAT: Artefact = Artefact {
    name: "ports/netstat.txt",
    read: Read::Formats(&[Format::Netstat]),
    origin: Origin::Bundle,
};
/// Bundle path `services/services.txt` (collector source `services.status`).
pub const SERVICES_STATUS: Artefact = Artefact {
    name: "services/services.txt",
    read: Read::Formats(&[Format::GetService]),
    origin: Origin::Bundle,
};
/// Bundle path `services/scqueryex.txt` (collector source `services.queryex`).
pub const SERVICES_QUERYEX: Artefact = Artefact {
    name: "services/scqueryex.txt",
    read: Read::Formats(&[Format::ScQueryex]),
    origin: Origin::Bundle,
};
/// Bundle path `services/scqc.txt` (collector source `services.config`).
pub const SERVICES_CONFIG: Artefact = Artefact {
    name: "services/scqc.txt",
    read: Read::Raw("service start settings for people; states are parsed from sc queryex"),
    origin: Origin::Bundle,
};
/// Bundle path `services/scqc-hyperv.txt` (collector source `services.config_hyperv`).
pub const SERVICES_CONFIG_HYPERV: Artefact = Artefact {
    name: "services/scqc-hyperv.txt",
    read: Read::Raw("service start settings for people"),
    origin: Origin::Bundle,
};
/// Bundle path `vfp/ports.txt` (collector source `vfp.ports`).
pub const VFP_PORTS: Artefact = Artefact {
    name: "vfp/ports.txt",
    read: Read::Formats(&[Format::Vfpctrl]),
    origin: Origin::Bundle,
};
/// Bundle path `vfp/port-counters.txt` (collector source `vfp.port_counters`).
pub const VFP_PORT_COUNTERS: Artefact = Artefact {
    name: "vfp/port-counters.txt",
    read: Read::Raw("counter dump kept for people; no rule reads VFP counters yet"),
    origin: Origin::Bundle,
};
/// Bundle path `vfp/port-policies.txt` (collector source `vfp.port_policies`).
pub const VFP_PORT_POLICIES: Artefact = Artefact {
    name: "vfp/port-policies.txt",
    read: Read::Formats(&[Format::Vfpctrl]),
    origin: Origin::Bundle,
};
/// Bundle path `vswitch/nvspinfo.txt` (collector source `vfp.nvspinfo`).
pub const VFP_NVSPINFO: Artefact = Artefact {
    name: "vswitch/nvspinfo.txt",
    read: Read::Raw("vSwitch internals for Microsoft support; undocumented layout"),
    origin: Origin::Bundle,
};
/// Bundle path `vswitch/nmscrub.txt` (collector source `vfp.nmscrub`).
pub const VFP_NMSCRUB: Artefact = Artefact {
    name: "vswitch/nmscrub.txt",
    read: Read::Raw("vSwitch internals for Microsoft support; undocumented layout"),
    origin: Origin::Bundle,
};
/// Bundle path `vswitch/nmbind.txt` (collector source `vfp.nmbind`).
pub const VFP_NMBIND: Artefact = Artefact {
    name: "vswitch/nmbind.txt",
    read: Read::Raw("binding dump for Microsoft support; undocumented layout"),
    origin: Origin::Bundle,
};
/// Bundle path `vswitch/vmswitch.txt` (collector source `vfp.vmswitch`).
pub const VFP_VMSWITCH: Artefact = Artefact {
    name: "vswitch/vmswitch.txt",
    read: Read::Formats(&[Format::GetVmswitch]),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/status.txt` (collector source `pktmon.status`).
pub const PKTMON_STATUS: Artefact = Artefact {
    name: "pktmon/status.txt",
    read: Read::Raw("checked for a running session; kept for people"),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/take-over.txt` (collector source `pktmon.take_over`).
pub const PKTMON_TAKE_OVER: Artefact = Artefact {
    name: "pktmon/take-over.txt",
    read: Read::Raw("output of pktmon stop"),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/counters-before.json` (collector source `pktmon.counters_before`).
pub const PKTMON_COUNTERS_BEFORE: Artefact = Artefact {
    name: "pktmon/counters-before.json",
    read: Read::Formats(&[Format::PktmonCounters]),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/capture-list.json` (collector source `pktmon.capture_list`).
pub const PKTMON_CAPTURE_LIST: Artefact = Artefact {
    name: "pktmon/capture-list.json",
    read: Read::Formats(&[Format::PktmonList]),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/drops.etl` (collector source `pktmon.capture`).
pub const PKTMON_CAPTURE: Artefact = Artefact {
    name: "pktmon/drops.etl",
    read: Read::Raw("binary ETL; read through pktmon etl2txt (pktmon/drops.txt)"),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/counters-after.json` (collector source `pktmon.counters_after`).
pub const PKTMON_COUNTERS_AFTER: Artefact = Artefact {
    name: "pktmon/counters-after.json",
    read: Read::Formats(&[Format::PktmonCounters]),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/drops.txt` (collector source `pktmon.drops`).
pub const PKTMON_DROPS: Artefact = Artefact {
    name: "pktmon/drops.txt",
    read: Read::Formats(&[Format::PktmonEtl2txt]),
    origin: Origin::Bundle,
};
/// Bundle path `pktmon/capture.json` (collector source `pktmon.capture_record`).
pub const PKTMON_CAPTURE_RECORD: Artefact = Artefact {
    name: "pktmon/capture.json",
    read: Read::Formats(&[Format::PktmonCapture]),
    origin: Origin::Bundle,
};

/// Every artefact: bundle paths in the collector's run order, then CollectLogs files in the
/// order of its script, then names used elsewhere.
pub static ARTEFACTS: &[Artefact] = &[
    CONTAINERS_HCSDIAG,
    CONTAINERS_CTR,
    CONTAINERS_DOCKER,
    DNS_CLIENT_REGISTRY,
    DNS_SERVERS,
    DNS_CACHE,
    EVENTS_SYSTEM,
    EVENTS_APPLICATION,
    EVENTS_HNS_ADMIN,
    EVENTS_HNS_OPERATIONAL,
    EVENTS_COMPUTE_ADMIN,
    EVENTS_COMPUTE_OPERATIONAL,
    EVENTS_VMSWITCH,
    EVENTS_WORKER,
    FIREWALL_RULES,
    FIREWALL_WFP_STATE,
    FIREWALL_WFP_FILTERS,
    FIREWALL_WFP_NETEVENTS,
    HNS_NETWORKS,
    HNS_ENDPOINTS,
    HNS_ENDPOINTS_V1,
    HNS_LOADBALANCERS,
    HNS_POLICYLISTS,
    HNS_NAMESPACES,
    HNS_PORTPOOLS,
    HNS_VERSION,
    HNS_HNSDIAG,
    HNS_HNSDIAG_ADAPTERS,
    HNS_REGISTRY,
    HNS_DATA,
    HNS_PROCESS,
    IP_IPCONFIG,
    IP_ADDRESSES,
    IP_INTERFACES,
    IP_ROUTE_PRINT,
    IP_ROUTES,
    IP_MTU,
    IP_ARP,
    IP_NEIGHBORS,
    IP_ADAPTERS,
    IP_ADAPTER_INTERFACES,
    IP_TCPIP_REGISTRY,
    IP_TCPIP6_REGISTRY,
    K8S_KUBELET_LOGS,
    K8S_KUBE_PROXY_LOGS,
    K8S_CONTAINERD_LOGS,
    K8S_CNI_LOGS,
    K8S_CNI_CONFIG,
    K8S_CNI_STATE,
    K8S_CLUSTER_CONFIG,
    K8S_CONTAINERD_CONFIG,
    K8S_KUBELET_CONFIG,
    NAT_INSTANCES,
    NAT_STATIC_MAPPINGS,
    NAT_SESSIONS,
    OS_VERSION,
    OS_HOTFIXES,
    OS_NETSETUP_LOGS,
    OS_DISM_LOGS,
    OS_CBS_LOGS,
    PKTMON_COUNTERS,
    PKTMON_LIST,
    PORTS_EXCLUDED,
    PORTS_DYNAMIC,
    PORTS_TCPCONNECTIONS,
    PORTS_NETSTAT,
    SERVICES_STATUS,
    SERVICES_QUERYEX,
    SERVICES_CONFIG,
    SERVICES_CONFIG_HYPERV,
    VFP_PORTS,
    VFP_PORT_COUNTERS,
    VFP_PORT_POLICIES,
    VFP_NVSPINFO,
    VFP_NMSCRUB,
    VFP_NMBIND,
    VFP_VMSWITCH,
    PKTMON_STATUS,
    PKTMON_TAKE_OVER,
    PKTMON_COUNTERS_BEFORE,
    PKTMON_CAPTURE_LIST,
    PKTMON_CAPTURE,
    PKTMON_COUNTERS_AFTER,
    PKTMON_DROPS,
    PKTMON_CAPTURE_RECORD,
    Artefact {
        name: "network.txt",
        read: Read::Formats(&[Format::HnsNetworksJson, Format::HnsNetworksList]),
        origin: Origin::CollectLogs("Get-HnsNetwork summary + JSON"),
    },
    Artefact {
        name: "networkdetailed.txt",
        read: Read::Formats(&[Format::HnsNetworksJson]),
        origin: Origin::CollectLogs("Get-HnsNetwork -Detailed JSON per network"),
    },
    Artefact {
        name: "endpoint.txt",
        read: Read::Formats(&[Format::HnsEndpointsJson, Format::HnsEndpointsList]),
        origin: Origin::CollectLogs("Get-HnsEndpoint summary (IsRemoteEndpoint, State) + JSON"),
    },
    Artefact {
        name: "policy.txt",
        read: Read::Formats(&[Format::HnsPolicylistsJson, Format::HnsPolicylistsList]),
        origin: Origin::CollectLogs("Get-HnsPolicyList / load balancers JSON"),
    },
    Artefact {
        name: "namespaces.txt",
        read: Read::Formats(&[Format::HnsNamespacesJson, Format::HnsNamespacesList]),
        origin: Origin::CollectLogs("HNS namespaces"),
    },
    Artefact {
        name: "hnsportpoolallocs.txt",
        read: Read::Formats(&[Format::HnsPortpoolsJson]),
        origin: Origin::CollectLogs("HNS portpools (PortPoolAllocations)"),
    },
    Artefact {
        name: "ports.txt",
        read: Read::Formats(&[Format::Vfpctrl]),
        origin: Origin::CollectLogs("vfpctrl /list-vmswitch-port + /get-port-counter per port"),
    },
    Artefact {
        name: "vfpOutput.txt",
        read: Read::Formats(&[Format::Vfpctrl]),
        origin: Origin::CollectLogs("dumpVfpPolicies.ps1: per-port spaces, mappings, rules, counters, state, NAT ranges, flow stats"),
    },
    Artefact {
        name: "ip.txt",
        read: Read::Formats(&[Format::Ipconfig]),
        origin: Origin::CollectLogs("ipconfig /allcompartments /all + Get-NetIPAddress/-NetIPInterface -IncludeAllCompartments"),
    },
    Artefact {
        name: "routes.txt",
        read: Read::Formats(&[Format::RoutePrint]),
        origin: Origin::CollectLogs("route print + Get-NetRoute -IncludeAllCompartments"),
    },
    Artefact {
        name: "mtu.txt",
        read: Read::Formats(&[Format::NetshInterfaces]),
        origin: Origin::CollectLogs("netsh int ipv4 sh int"),
    },
    Artefact {
        name: "nvspinfo.txt",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("nvspinfo -a -i -h -D -p -d -m -q"),
    },
    Artefact {
        name: "nmscrub.txt",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("nmscrub -a -n -t"),
    },
    Artefact {
        name: "nmbind.txt",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("nmbind"),
    },
    Artefact {
        name: "arp.txt",
        read: Read::Formats(&[Format::Arp]),
        origin: Origin::CollectLogs("arp -a + Get-NetNeighbor -IncludeAllCompartments"),
    },
    Artefact {
        name: "windowsServices.txt",
        read: Read::Formats(&[Format::GetService]),
        origin: Origin::CollectLogs("Get-Service hns, vfpext, kubeproxy, tcpip, kubelet, containerd, docker"),
    },
    Artefact {
        name: "scqueryex.txt",
        read: Read::Formats(&[Format::ScQueryex]),
        origin: Origin::CollectLogs("sc queryex + sc qc of 16 services"),
    },
    Artefact {
        name: "netadapter.txt",
        read: Read::Formats(&[Format::GetNetadapter]),
        origin: Origin::CollectLogs("Get-NetAdapter -IncludeHidden"),
    },
    Artefact {
        name: r"adapters\*_int.txt",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("per adapter: netsh int ipv4 sh int <idx> + Format-List *"),
    },
    Artefact {
        name: "firewall.txt",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("Get-NetFirewallRule -PolicyStore ActiveStore"),
    },
    Artefact {
        name: r"wfp\*",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("netsh wfp show netevents/state/filters XML"),
    },
    Artefact {
        name: "hnsdiag.txt",
        read: Read::Formats(&[Format::HnsdiagDetailedJson, Format::HnsdiagList]),
        origin: Origin::CollectLogs("hnsdiag list all -d"),
    },
    Artefact {
        name: "hnsdiag.adapters.txt",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("hnsdiag list adapters"),
    },
    Artefact {
        name: "hcsdiag.txt",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("hcsdiag list"),
    },
    Artefact {
        name: "containers.txt",
        read: Read::Formats(&[Format::ContainerList]),
        origin: Origin::CollectLogs("ctr -n k8s.io c ls"),
    },
    Artefact {
        name: "docker.txt",
        read: Read::Formats(&[Format::ContainerList]),
        origin: Origin::CollectLogs("docker ps -a"),
    },
    Artefact {
        name: "reservedports.txt",
        read: Read::Formats(&[Format::ReservedportsProbe]),
        origin: Origin::CollectLogs("free 64-port chunk estimate + portReservationTest.ps1 (active probe)"),
    },
    Artefact {
        name: "excludedportrange.txt",
        read: Read::Formats(&[Format::NetshExcludedportrange]),
        origin: Origin::CollectLogs("netsh int ipv4 sh excludedportrange tcp + udp"),
    },
    Artefact {
        name: "dynamicportrange.txt",
        read: Read::Formats(&[Format::NetshDynamicportrange]),
        origin: Origin::CollectLogs("netsh int ipv4 sh dynamicportrange tcp + udp"),
    },
    Artefact {
        name: "tcpconnections.txt",
        read: Read::Formats(&[Format::NetshTcpconnections]),
        origin: Origin::CollectLogs("netsh int ipv4 sh tcpconnections"),
    },
    Artefact {
        name: "winver.txt",
        read: Read::Formats(&[Format::Osversion]),
        origin: Origin::CollectLogs("[Environment]::OSVersion (no UBR) + Get-HotFix"),
    },
    Artefact {
        name: r"winevt\Application.evtx",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("whole Application log copy"),
    },
    Artefact {
        name: r"winevt\System.evtx",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("whole System log copy"),
    },
    Artefact {
        name: r"winevt\Microsoft-Windows-Hyper-V*.evtx",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("whole Hyper-V logs copies"),
    },
    Artefact {
        name: r"winevt\Microsoft-Windows-Host-Network-Service*.evtx",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs("whole HNS logs copies"),
    },
    Artefact {
        name: r"logs\NetSetup\*",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs(r"C:\Windows\logs\NetSetup (unbounded)"),
    },
    Artefact {
        name: r"logs\dism\*",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs(r"C:\Windows\logs\dism (unbounded)"),
    },
    Artefact {
        name: r"logs\cbs\*",
        read: Read::Raw("not parsed"),
        origin: Origin::CollectLogs(r"C:\Windows\logs\CBS (unbounded)"),
    },
    Artefact {
        name: "os/winver.txt",
        read: Read::Formats(&[Format::Osversion]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "os/ver.txt",
        read: Read::Formats(&[Format::Osversion]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "os/systeminfo.txt",
        read: Read::Formats(&[Format::Osversion]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "systeminfo.txt",
        read: Read::Formats(&[Format::Osversion]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hotfix.txt",
        read: Read::Formats(&[Format::GetHotfix]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hotfixes.txt",
        read: Read::Formats(&[Format::GetHotfix]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containers/images.txt",
        read: Read::Formats(&[Format::ContainerImages]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containers/ctr-images.txt",
        read: Read::Formats(&[Format::ContainerImages]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containers/crictl-images.txt",
        read: Read::Formats(&[Format::ContainerImages]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containers/docker-images.txt",
        read: Read::Formats(&[Format::ContainerImages]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containers/image-inspect.json",
        read: Read::Formats(&[Format::ContainerImages]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "images.txt",
        read: Read::Formats(&[Format::ContainerImages]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "kube-proxy.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "kube-proxy.err.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "kubeproxy.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "kubeproxy.err.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "kubelet.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "kubelet.err.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containerd.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containerd.err.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "docker.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "dockerd.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "flanneld.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "flanneld.err.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "azure-vnet.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "azure-vnet-ipam.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "calico.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "calico-cni.log",
        read: Read::Formats(&[Format::ComponentLog]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hnsdiag.json",
        read: Read::Formats(&[Format::HnsdiagDetailedJson]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hns/hnsdiag.json",
        read: Read::Formats(&[Format::HnsdiagDetailedJson]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "ipconfig.txt",
        read: Read::Formats(&[Format::Ipconfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "cni.conf",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "cni.json",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "10-flannel.conf",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "10-flannel.conflist",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "10-azure.conflist",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "10-calico.conflist",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "l2bridge.conf",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "sdnbridge.conf",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "sdnoverlay.conf",
        read: Read::Formats(&[Format::CniConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "kubeclusterconfig.json",
        read: Read::Formats(&[Format::KubeClusterConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "net-conf.json",
        read: Read::Formats(&[Format::KubeClusterConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "subnet.env",
        read: Read::Formats(&[Format::FlannelSubnetEnv]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hns/networks.txt",
        read: Read::Formats(&[Format::HnsNetworksList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hns/endpoints.txt",
        read: Read::Formats(&[Format::HnsEndpointsList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hns/policylists.txt",
        read: Read::Formats(&[Format::HnsPolicylistsList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hns/namespaces.txt",
        read: Read::Formats(&[Format::HnsNamespacesList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hnsprocess.txt",
        read: Read::Formats(&[Format::HnsProcess]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hns_threads.txt",
        read: Read::Formats(&[Format::HnsProcess]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hnsdata.txt",
        read: Read::Formats(&[Format::HnsDataFile]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "netstat.txt",
        read: Read::Formats(&[Format::Netstat]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "ports/nettcpconnection.txt",
        read: Read::Formats(&[Format::GetNettcpconnection]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "ports/netudpendpoint.txt",
        read: Read::Formats(&[Format::GetNettcpconnection]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "hns/hnsdiag-list.txt",
        read: Read::Formats(&[Format::HnsdiagList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "k8s/events.txt",
        read: Read::Formats(&[Format::KubeEvents]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "events.txt",
        read: Read::Formats(&[Format::KubeEvents]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "kubectl-events.txt",
        read: Read::Formats(&[Format::KubeEvents]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "vfp/port-state.txt",
        read: Read::Formats(&[Format::Vfpctrl]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "vfp/rules.txt",
        read: Read::Formats(&[Format::Vfpctrl]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "ports/reservedports.txt",
        read: Read::Formats(&[Format::ReservedportsProbe]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "system.xml",
        read: Read::Formats(&[Format::WevtutilXml]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "events/system.txt",
        read: Read::Formats(&[Format::GetWineventList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "systemevents.txt",
        read: Read::Formats(&[Format::GetWineventList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "dns/nslookup.txt",
        read: Read::Formats(&[Format::NameResolution]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "dns/resolve-dnsname.txt",
        read: Read::Formats(&[Format::NameResolution]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containerd/config.toml",
        read: Read::Formats(&[Format::ContainerdConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "containerd-config.toml",
        read: Read::Formats(&[Format::ContainerdConfig]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "k8s/pods.txt",
        read: Read::Formats(&[Format::KubectlGetPods]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "pktmon/list.txt",
        read: Read::Formats(&[Format::PktmonList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "pktmon-list.txt",
        read: Read::Formats(&[Format::PktmonList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "pktmon-list.json",
        read: Read::Formats(&[Format::PktmonList]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "pktmon/counters.txt",
        read: Read::Formats(&[Format::PktmonCounters]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "pktmon-counters.txt",
        read: Read::Formats(&[Format::PktmonCounters]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "pktmon-counters.json",
        read: Read::Formats(&[Format::PktmonCounters]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "pktmon.txt",
        read: Read::Formats(&[Format::PktmonEtl2txt]),
        origin: Origin::Elsewhere,
    },
    Artefact {
        name: "pktmon-drops.txt",
        read: Read::Formats(&[Format::PktmonEtl2txt]),
        origin: Origin::Elsewhere,
    },
];

/// Every artefact a source path names ([`Artefact::matches`]).
pub fn matching(path: &str) -> impl Iterator<Item = &'static Artefact> + '_ {
    ARTEFACTS.iter().filter(move |a| a.matches(path))
}

/// The formats that read a source by its path, each once, in [`Format::ALL`] order.
#[must_use]
pub fn formats_for(path: &str) -> Vec<Format> {
    let mut found: Vec<Format> = matching(path)
        .flat_map(Artefact::formats)
        .copied()
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The CollectLogs rows, in the order of its script.
pub fn collectlogs() -> impl Iterator<Item = (&'static Artefact, &'static str)> {
    ARTEFACTS.iter().filter_map(|a| match a.origin {
        Origin::CollectLogs(held) => Some((a, held)),
        _ => None,
    })
}

/// Whether a file name at a folder's root is one `collectlogs.ps1` writes (case-insensitive;
/// patterns and sub-folder entries do not count).
#[must_use]
pub fn is_collectlogs_name(name: &str) -> bool {
    collectlogs()
        .any(|(a, _)| !a.name.contains(['*', '\\', '/']) && a.name.eq_ignore_ascii_case(name))
}
