//! IP configuration per compartment, routes, MTU, neighbours, VFP, WinNAT and switches.

use crate::Prov;
use serde::{Deserialize, Serialize};

/// The host's IP stack as seen by ipconfig / Get-NetIP* / route / netsh.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetState {
    /// Compartments (1 = host; pods have their own) with their adapters.
    pub compartments: Vec<Compartment>,
    /// Routes.
    pub routes: Vec<Route>,
    /// Interface MTUs.
    pub interfaces: Vec<Interface>,
    /// ARP / neighbour entries.
    pub neighbors: Vec<Neighbor>,
    /// Physical / virtual adapters (Get-NetAdapter).
    pub adapters: Vec<NetAdapter>,
}

impl NetState {
    /// Every IPv4/IPv6 address of the host compartment (1, or the only one listed).
    #[must_use]
    pub fn host_addresses(&self) -> Vec<&str> {
        let host = self
            .compartments
            .iter()
            .find(|c| c.id == Some(1))
            .or_else(|| self.compartments.first());
        host.map(|c| {
            c.adapters
                .iter()
                .flat_map(|a| a.ipv4.iter().chain(a.ipv6.iter()))
                .map(|ip| ip.address.as_str())
                .collect()
        })
        .unwrap_or_default()
    }
}

/// A TCP/IP compartment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Compartment {
    /// Compartment number; `None` for plain `ipconfig /all` (implicitly the current one).
    pub id: Option<u32>,
    /// Marked `(ACTIVE)`.
    pub active: bool,
    /// Host name line.
    pub host_name: Option<String>,
    /// Adapters in this compartment.
    pub adapters: Vec<IpAdapter>,
    /// The output was shown complete (its global block through `WINS Proxy Enabled`) and listed
    /// no adapter at all: "no adapters" is a fact here, not merely nothing shown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_adapters: bool,
    /// Where it was read.
    pub prov: Prov,
}

/// An adapter block of ipconfig.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IpAdapter {
    /// Adapter name, e.g. `vEthernet (Ethernet 2)`.
    pub name: String,
    /// Type words before "adapter" (`Ethernet`, `Wireless LAN`, `Unknown`), or localized.
    pub kind: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// MAC address.
    pub mac: Option<String>,
    /// DHCP enabled.
    pub dhcp: Option<bool>,
    /// Media disconnected.
    pub disconnected: bool,
    /// IPv4 addresses.
    pub ipv4: Vec<IpAddrInfo>,
    /// IPv6 addresses.
    pub ipv6: Vec<IpAddrInfo>,
    /// Default gateways.
    pub gateways: Vec<String>,
    /// DNS servers.
    pub dns_servers: Vec<String>,
    /// Connection-specific DNS suffix.
    pub dns_suffix: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}

/// An address with optional mask / prefix and state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IpAddrInfo {
    /// Address without `(Preferred)` or `%zone`.
    pub address: String,
    /// Prefix length, when known.
    pub prefix_length: Option<u8>,
    /// `Preferred`, `Deprecated`, `Tentative`, `Duplicate`…
    pub state: Option<String>,
}

/// A route.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Route {
    /// Destination prefix in CIDR form.
    pub destination: String,
    /// Next hop (`On-link` → `0.0.0.0`).
    pub next_hop: Option<String>,
    /// Interface address or index as printed.
    pub interface: Option<String>,
    /// Metric.
    pub metric: Option<u32>,
    /// Compartment, when known.
    pub compartment_id: Option<u32>,
    /// Persistent route.
    pub persistent: bool,
    /// Where it was read.
    pub prov: Prov,
}

/// An IP interface (from `netsh int ipv4 sh int` / Get-NetIPInterface).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Interface {
    /// Interface index.
    pub index: Option<u32>,
    /// Name.
    pub name: String,
    /// IPv4 or IPv6 MTU.
    pub mtu: Option<u32>,
    /// connected / disconnected.
    pub state: Option<String>,
    /// Compartment, when known.
    pub compartment_id: Option<u32>,
    /// Where it was read.
    pub prov: Prov,
}

/// A neighbour (ARP) entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Neighbor {
    /// Interface address / name of the block.
    pub interface: Option<String>,
    /// IP address.
    pub address: String,
    /// MAC.
    pub mac: Option<String>,
    /// dynamic / static / unreachable …
    pub kind: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}

/// A network adapter (Get-NetAdapter).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetAdapter {
    /// Name.
    pub name: String,
    /// Interface description.
    pub description: Option<String>,
    /// ifIndex.
    pub if_index: Option<u32>,
    /// Status (Up, Disconnected…).
    pub status: Option<String>,
    /// MAC.
    pub mac: Option<String>,
    /// Link speed as printed.
    pub link_speed: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}

/// VFP switch state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Vfp {
    /// Switch ports.
    pub ports: Vec<VfpPort>,
}

/// One VFP switch port.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VfpPort {
    /// Port name (a GUID, upper case) — matches an endpoint's `vfp_port`.
    pub name: String,
    /// Friendly name.
    pub friendly_name: Option<String>,
    /// MAC address.
    pub mac: Option<String>,
    /// VM / container name the port belongs to.
    pub vm_name: Option<String>,
    /// `Blocked` from `/get-port-state`; `None` when not shown.
    pub blocked: Option<bool>,
    /// Layers present, with their groups and rules.
    pub layers: Vec<VfpLayer>,
    /// Where it was read.
    pub prov: Prov,
}

/// A VFP layer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VfpLayer {
    /// Layer name (e.g. `LB_DSR`, `SLB_NAT_LAYER`, `DECAP_IN` …).
    pub name: String,
    /// Groups of the layer.
    pub groups: Vec<VfpGroup>,
}

/// A VFP rule group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VfpGroup {
    /// Group name.
    pub name: String,
    /// Direction (IN/OUT), when printed.
    pub direction: Option<String>,
    /// Rule names in the group.
    pub rules: Vec<String>,
}

/// WinNAT and switch state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NatState {
    /// Get-NetNat objects.
    pub nats: Vec<NetNat>,
    /// Get-NetNatStaticMapping objects.
    pub static_mappings: Vec<NatStaticMapping>,
    /// Get-VMSwitch objects.
    pub switches: Vec<VSwitch>,
}

/// A WinNAT instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetNat {
    /// Name.
    pub name: String,
    /// InternalIPInterfaceAddressPrefix.
    pub internal_prefix: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Where it was read.
    pub prov: Prov,
}

/// A WinNAT static mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NatStaticMapping {
    /// NAT name.
    pub nat_name: Option<String>,
    /// TCP / UDP.
    pub protocol: Option<String>,
    /// External IP.
    pub external_ip: Option<String>,
    /// External port.
    pub external_port: Option<u16>,
    /// Internal IP.
    pub internal_ip: Option<String>,
    /// Internal port.
    pub internal_port: Option<u16>,
    /// Where it was read.
    pub prov: Prov,
}

/// A Hyper-V virtual switch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VSwitch {
    /// Name.
    pub name: String,
    /// External / Internal / Private.
    pub switch_type: Option<String>,
    /// NetAdapterInterfaceDescription.
    pub adapter_description: Option<String>,
    /// AllowManagementOS (host vNIC present).
    pub allow_management_os: Option<bool>,
    /// Where it was read.
    pub prov: Prov,
}
