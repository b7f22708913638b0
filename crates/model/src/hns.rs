//! HNS objects (networks, endpoints, namespaces, load balancers, port pools) and HNS's own state.
//!
//! One type per object whatever its source: HCN v2 JSON, HNSCall v1 JSON, Get-Hns* Format-List
//! text or `hnsdiag` tables. Fields a source cannot provide stay `None`; [`ApiSchema`] says which
//! shape the object was read from. GUIDs are stored upper-case so they compare directly.

use crate::Prov;
use serde::{Deserialize, Serialize};

/// Which HNS API shape an object was read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApiSchema {
    /// HNSCall / Get-Hns* v1 objects (`IsRemoteEndpoint`, `State`, policy lists).
    V1,
    /// HCN v2 objects (`Flags`, `IpConfigurations`, `HostComputeEndpoints`).
    V2,
    /// A text table (hnsdiag) with only some fields.
    Table,
    /// Not known.
    #[default]
    Unknown,
}

/// Normalise a GUID for comparison: trimmed, braces removed, upper case.
#[must_use]
pub fn norm_guid(s: &str) -> String {
    s.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_uppercase()
}

/// HNS's own state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hns {
    /// HNS version from `/globals/version`.
    #[serde(with = "hnsdoctor_version::as_parts")]
    pub version: Option<HnsVersion>,
    /// Networks.
    pub networks: Vec<Network>,
    /// Endpoints, local and remote.
    pub endpoints: Vec<Endpoint>,
    /// Namespaces (compartments).
    pub namespaces: Vec<Namespace>,
    /// Load balancers (v2) or policy lists (v1).
    pub load_balancers: Vec<LoadBalancer>,
    /// Port-pool allocations made by HNS.
    pub port_pools: Vec<PortPoolAllocation>,
    /// The HNS process (thread count is the deadlock heuristic).
    pub process: Option<ProcessInfo>,
    /// The `HNS.data` persistence file.
    pub data_file: Option<FileInfo>,
}

/// HNS version `{Major, Minor}`: the workspace's one type (serialised here as
/// `{"major":…,"minor":…}`, see [`hnsdoctor_version::as_parts`]).
pub use hnsdoctor_version::HnsVersion;

/// A generic HNS policy: its type string and raw settings, as read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// `Type` as written (e.g. `OutBoundNAT`, `ELB`, `ROUTE`, `ProviderAddress`, `EncapOverhead`).
    pub kind: String,
    /// v2 `Settings`, or for v1 the policy object without `Type`.
    pub settings: serde_json::Value,
}

/// An HNS network.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Network {
    /// GUID (upper case).
    pub id: String,
    /// Name (`cbr0`, `vxlan0`, `azure`, `nat`, `Calico`…).
    pub name: String,
    /// Type as written (`L2Bridge`, `Overlay`, `NAT`, …); v2 JSON without `Type` means NAT.
    pub net_type: String,
    /// `ManagementIP` (v1 and detailed v2 queries).
    pub management_ip: Option<String>,
    /// Network adapter the switch is bound to.
    pub adapter_name: Option<String>,
    /// Subnets.
    pub subnets: Vec<Subnet>,
    /// DNS servers configured on the network.
    pub dns_servers: Vec<String>,
    /// Numeric flags (v2).
    pub flags: Option<u64>,
    /// Network policies.
    pub policies: Vec<Policy>,
    /// Switch extensions with their enabled state.
    pub extensions: Vec<SwitchExtension>,
    /// Host vNIC VFP port GUID (detailed query, allocator tag "Host Vnic").
    pub host_vnic_port: Option<String>,
    /// External adapter VFP port GUID (detailed query, "External Adapter Info").
    pub external_port: Option<String>,
    /// v1 `Version` (major<<32 | minor of the HNS that created the object).
    pub object_version: Option<u64>,
    /// v1 `State`.
    pub state: Option<u32>,
    /// Source shape.
    pub schema: ApiSchema,
    /// Where it was read.
    pub prov: Prov,
}

/// A network subnet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Subnet {
    /// CIDR prefix.
    pub prefix: String,
    /// Gateway address.
    pub gateway: Option<String>,
}

/// A vSwitch extension listed on a network.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SwitchExtension {
    /// Extension GUID.
    pub id: String,
    /// Name, when given.
    pub name: Option<String>,
    /// Enabled.
    pub enabled: bool,
}

/// v1 endpoint states (`State`, uint16).
pub mod endpoint_state {
    /// Uninitialized.
    pub const UNINITIALIZED: u32 = 0;
    /// Created.
    pub const CREATED: u32 = 1;
    /// Attached.
    pub const ATTACHED: u32 = 2;
    /// AttachedSharing — the healthy state of a pod endpoint.
    pub const ATTACHED_SHARING: u32 = 3;
    /// Detached.
    pub const DETACHED: u32 = 4;
    /// Degraded.
    pub const DEGRADED: u32 = 5;
    /// Destroyed.
    pub const DESTROYED: u32 = 6;

    /// Name of a state value.
    #[must_use]
    pub fn name(state: u32) -> &'static str {
        match state {
            0 => "Uninitialized",
            1 => "Created",
            2 => "Attached",
            3 => "AttachedSharing",
            4 => "Detached",
            5 => "Degraded",
            6 => "Destroyed",
            _ => "Unknown",
        }
    }
}

/// An HNS endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Endpoint {
    /// GUID (upper case).
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Network GUID.
    pub network_id: Option<String>,
    /// Network name (v1 `VirtualNetworkName`).
    pub network_name: Option<String>,
    /// IP addresses (v4 and v6).
    pub ips: Vec<String>,
    /// Prefix length of the first address.
    pub prefix_length: Option<u8>,
    /// MAC address.
    pub mac: Option<String>,
    /// Remote endpoint (v1 `IsRemoteEndpoint`, v2 `Flags & 1`); `None` when not shown.
    pub is_remote: Option<bool>,
    /// v1 state, see [`endpoint_state`].
    pub state: Option<u32>,
    /// Namespace GUID.
    pub namespace_id: Option<String>,
    /// Compartment ID, when known.
    pub compartment_id: Option<u32>,
    /// VFP port GUID of the endpoint (allocator "Endpoint Port").
    pub vfp_port: Option<String>,
    /// `EncapOverhead` (v1 field or policy).
    pub encap_overhead: Option<u32>,
    /// Gateway.
    pub gateway: Option<String>,
    /// Policies.
    pub policies: Vec<Policy>,
    /// v2 flags.
    pub flags: Option<u64>,
    /// Source shape.
    pub schema: ApiSchema,
    /// Where it was read.
    pub prov: Prov,
}

impl Endpoint {
    /// Remote when the data says so; unknown counts as local only if the caller decides so.
    #[must_use]
    pub fn remote(&self) -> Option<bool> {
        self.is_remote.or_else(|| self.flags.map(|f| f & 1 == 1))
    }
}

/// An HNS namespace (compartment).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Namespace {
    /// GUID.
    pub id: String,
    /// TCP/IP compartment ID (`NamespaceId` / `CompartmentId`).
    pub compartment_id: Option<u32>,
    /// Host, HostDefault, Guest, GuestDefault.
    pub ns_type: Option<String>,
    /// Is the default namespace.
    pub is_default: Option<bool>,
    /// Endpoint GUIDs attached.
    pub endpoint_ids: Vec<String>,
    /// Container IDs attached.
    pub container_ids: Vec<String>,
    /// Where it was read.
    pub prov: Prov,
}

/// IP protocol numbers used in HNS port mappings.
pub mod protocol {
    /// TCP.
    pub const TCP: u32 = 6;
    /// UDP.
    pub const UDP: u32 = 17;
    /// SCTP.
    pub const SCTP: u32 = 132;

    /// The name of a protocol number (`6` → `"TCP"`), `None` for a number without one here.
    /// The one number → name mapping: renderers and rules format the unnamed case their own way.
    #[must_use]
    pub const fn name(p: u32) -> Option<&'static str> {
        match p {
            TCP => Some("TCP"),
            UDP => Some("UDP"),
            SCTP => Some("SCTP"),
            _ => None,
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn names_of_the_mapped_numbers() {
            assert_eq!(super::name(6), Some("TCP"));
            assert_eq!(super::name(17), Some("UDP"));
            assert_eq!(super::name(132), Some("SCTP"));
            assert_eq!(super::name(47), None);
        }
    }
}

/// A load balancer: a v2 `HostComputeLoadBalancer` or a v1 policy list with an `ELB` policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoadBalancer {
    /// GUID.
    pub id: String,
    /// Frontend VIPs (empty for NodePort LBs).
    pub vips: Vec<String>,
    /// Source VIP.
    pub source_vip: Option<String>,
    /// Backend endpoint GUIDs (v1 `References` `"/endpoints/<guid>"` stripped).
    pub endpoint_ids: Vec<String>,
    /// Port mappings.
    pub port_mappings: Vec<PortMapping>,
    /// Direct Server Return (v2 `Flags & 1`, v1 `IsDSR`); `None` when not shown.
    pub dsr: Option<bool>,
    /// Internal LB (v1 `ILB` or mapping flag 1).
    pub ilb: Option<bool>,
    /// LB-level flags (v2).
    pub flags: Option<u64>,
    /// v1 policy-list `State` (2 = applied).
    pub state: Option<u32>,
    /// Source shape.
    pub schema: ApiSchema,
    /// Where it was read.
    pub prov: Prov,
}

/// One frontend→backend port mapping of a load balancer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortMapping {
    /// IP protocol number (6 TCP, 17 UDP).
    pub protocol: u32,
    /// Backend port.
    pub internal_port: u16,
    /// Frontend port.
    pub external_port: u16,
    /// Mapping flags (1 ILB, 2 LocalRoutedVip, 4 UseMux, 8 PreserveDip, 16 VipExternalIP).
    pub flags: u64,
    /// Distribution type (0 none, 1 SourceIPProtocol, 2 SourceIP).
    pub distribution: u32,
}

/// A port-pool allocation reported by HNS (`/portpools`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortPoolAllocation {
    /// Protocol number, when given.
    pub protocol: Option<u32>,
    /// First port.
    pub start: Option<u16>,
    /// Number of ports.
    pub count: Option<u32>,
    /// Owner / purpose as given.
    pub owner: Option<String>,
    /// The raw object, for the report.
    pub raw: serde_json::Value,
    /// Where it was read.
    pub prov: Prov,
}

/// A process's vital signs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcessInfo {
    /// Process ID.
    pub pid: Option<u32>,
    /// Thread count.
    pub threads: Option<u32>,
    /// Working set in bytes.
    pub working_set: Option<u64>,
    /// Where it was read.
    pub prov: Prov,
}

/// A file's size and modification time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileInfo {
    /// Path on the host.
    pub path: String,
    /// Size in bytes.
    pub size: Option<u64>,
    /// Last write time (RFC 3339).
    pub modified: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}
