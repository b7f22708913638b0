//! [`Fact`]: the kinds of evidence a rule can need, recorded when read.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A kind of evidence. Parsers mark a fact when they read a source of that kind (even an empty
/// one); rules list the facts they need and are "not evaluated" when one is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fact {
    /// OS build number (from a version string, registry, systeminfo…).
    OsBuild,
    /// OS update build revision (UBR) — `[Environment]::OSVersion` does not carry it.
    OsUbr,
    /// Installed hotfix list (Get-HotFix / systeminfo).
    Hotfixes,
    /// HNS service version (`/globals/version`).
    HnsVersion,
    /// HNS networks.
    HnsNetworks,
    /// HNS endpoints (local and remote).
    HnsEndpoints,
    /// Whether endpoints carry the v1 `State` / `IsRemoteEndpoint` fields.
    HnsEndpointState,
    /// HNS namespaces / compartments.
    HnsNamespaces,
    /// HNS load balancers / policy lists.
    HnsLoadBalancers,
    /// HNS port-pool allocations.
    HnsPortPools,
    /// HNS process thread count / working set.
    HnsProcess,
    /// HNS.data file size and time.
    HnsDataFile,
    /// `ipconfig /all` (any compartment).
    IpConfig,
    /// `ipconfig /allcompartments`: all compartments were listed, not just the host's.
    IpConfigAllCompartments,
    /// Routing table.
    Routes,
    /// Interface MTUs (`netsh int ipv4 sh int`, subinterfaces).
    InterfaceMtu,
    /// ARP / neighbour cache.
    Neighbors,
    /// Network adapters (Get-NetAdapter).
    Adapters,
    /// TCP dynamic port range.
    DynamicPortRangeTcp,
    /// UDP dynamic port range.
    DynamicPortRangeUdp,
    /// TCP excluded port ranges.
    ExcludedPortRangeTcp,
    /// UDP excluded port ranges.
    ExcludedPortRangeUdp,
    /// TCP listeners / connections.
    TcpListeners,
    /// UDP listeners.
    UdpListeners,
    /// Result of a port-reservation probe (collectlogs `reservedports.txt`).
    PortReservationProbe,
    /// Windows services.
    Services,
    /// VFP switch ports list.
    VfpPorts,
    /// VFP port state (blocked or not).
    VfpPortState,
    /// VFP layers / groups / rules.
    VfpRules,
    /// WinNAT objects (Get-NetNat).
    NetNat,
    /// Hyper-V virtual switches (Get-VMSwitch).
    VSwitches,
    /// Dnscache registry parameters.
    DnsCacheParams,
    /// Tcpip6 registry parameters (DisabledComponents).
    Tcpip6Params,
    /// CNI configuration files.
    CniConfig,
    /// Kubernetes cluster context (kubeclusterconfig.json, kube-proxy flags).
    KubeContext,
    /// kube-proxy log.
    KubeProxyLog,
    /// kubelet log.
    KubeletLog,
    /// containerd / docker log.
    RuntimeLog,
    /// CNI plugin log.
    CniLog,
    /// Log lines of unknown origin (a paste).
    PastedLog,
    /// Kubernetes events (`kubectl get events`, `kubectl describe pod` Events section).
    KubeEvents,
    /// System event log (Service Control Manager).
    SystemEventLog,
    /// HNS / Hyper-V-Compute / VmSwitch event logs.
    HnsEventLog,
    /// Firewall rules.
    Firewall,
    /// Containers list (ctr / hcsdiag).
    Containers,
    /// Name-resolution attempts (nslookup, ping, Resolve-DnsName, curl).
    NameResolution,
    /// Load-balancer counts sampled over time.
    LbCountSeries,
    /// `kubectl get pods` rows.
    KubePods,
    /// Container runtime configuration (containerd `config.toml`).
    RuntimeConfig,
    /// Container image list (`docker images`, `ctr images ls`, `crictl images`) or image
    /// references with a revision.
    ContainerImages,
    /// Ports a command shown in the input publishes (`docker run -p`).
    PublishedPorts,
    /// Packet Monitor component map (`pktmon list`, or the component events of `etl2txt`).
    PktmonComponents,
    /// Packet Monitor drop counters (`pktmon counters`).
    PktmonCounters,
    /// Drops of a drops-only Packet Monitor capture (`pktmon etl2txt`).
    PktmonDrops,
}

impl Fact {
    /// The kebab-case name used in JSON and in "not evaluated: missing …" messages.
    #[must_use]
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Any log facts at all (rules over error signatures need one of these).
    pub const LOGS: &'static [Fact] = &[
        Fact::KubeProxyLog,
        Fact::KubeletLog,
        Fact::RuntimeLog,
        Fact::CniLog,
        Fact::PastedLog,
        Fact::KubeEvents,
        Fact::HnsEventLog,
        Fact::SystemEventLog,
    ];
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab() {
        assert_eq!(Fact::HnsLoadBalancers.name(), "hns-load-balancers");
        assert_eq!(Fact::OsUbr.to_string(), "os-ubr");
    }
}
