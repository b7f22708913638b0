//! Log lines and event-log records, with the error codes they carry.

use crate::Prov;
use serde::{Deserialize, Serialize};

/// Which component wrote a log line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Component {
    /// kube-proxy (winkernel).
    KubeProxy,
    /// kubelet.
    Kubelet,
    /// containerd.
    Containerd,
    /// Docker / moby.
    Docker,
    /// A CNI plugin; the plugin name (flannel, sdnoverlay, win-bridge, azure-vnet, calico, nat…).
    Cni(String),
    /// HNS (event log or trace).
    Hns,
    /// Kubernetes events (`kubectl describe` / `get events`).
    KubeEvents,
    /// Not known.
    #[default]
    Unknown,
}

/// Severity of a log line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Debug / trace.
    Debug,
    /// Info.
    #[default]
    Info,
    /// Warning.
    Warning,
    /// Error.
    Error,
    /// Fatal / panic.
    Fatal,
}

/// A log line of interest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogEvent {
    /// Time (RFC 3339, or as printed when a year is missing, e.g. klog `0412 10:15:02.123456`).
    pub time: Option<String>,
    /// Writer.
    pub component: Component,
    /// Severity.
    pub level: LogLevel,
    /// Message (the line without its prefix).
    pub message: String,
    /// HRESULT / Win32 codes found in the line, normalised to the unsigned 32-bit HRESULT form
    /// (`0x803b0013`, Win32 `0x57` → `0x80070057`, decimal `2151350291` → `0x803b0013`).
    pub error_codes: Vec<u32>,
    /// The HNS/HCS operation the line reports on (`hcnCreateLoadBalancer`, "failed to create
    /// endpoint", `CreateContainer` …), when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<HnsOperation>,
    /// Where it was read.
    pub prov: Prov,
}

/// An operation on an HNS object (or on a container, through HCS) that an error was raised on.
/// It refines what an error code means: `0xb7` creating a load balancer is a stale policy after
/// an HNS restart; `0x1392` creating a network is a leftover network of that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HnsOperation {
    /// Create a network (`hcnCreateNetwork`, "failed to create network").
    CreateNetwork,
    /// Delete a network.
    DeleteNetwork,
    /// Create an endpoint (`hcnCreateEndpoint`, "failed to create endpoint", `ProvisionEndpoint`).
    CreateEndpoint,
    /// Delete an endpoint.
    DeleteEndpoint,
    /// Modify an endpoint (policies).
    ModifyEndpoint,
    /// Attach an endpoint to a namespace / compartment (`AddNamespaceEndpoint`, hot add).
    AttachEndpoint,
    /// Create a load balancer / ELB policy list (`hcnCreateLoadBalancer`).
    CreateLoadBalancer,
    /// Delete a load balancer.
    DeleteLoadBalancer,
    /// Create a namespace.
    CreateNamespace,
    /// Look an object up (`hcnOpen*`, `hcnQuery*`, "not found" lookups).
    Query,
    /// Create a container (HCS `CreateContainer`, `CreateComputeSystem`).
    CreateContainer,
    /// Start a container or pod sandbox.
    StartContainer,
}

impl HnsOperation {
    /// Words for reports: "creating a load balancer".
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::CreateNetwork => "creating a network",
            Self::DeleteNetwork => "deleting a network",
            Self::CreateEndpoint => "creating an endpoint",
            Self::DeleteEndpoint => "deleting an endpoint",
            Self::ModifyEndpoint => "modifying an endpoint",
            Self::AttachEndpoint => "attaching an endpoint to a namespace",
            Self::CreateLoadBalancer => "creating a load balancer",
            Self::DeleteLoadBalancer => "deleting a load balancer",
            Self::CreateNamespace => "creating a namespace",
            Self::Query => "looking an HNS object up",
            Self::CreateContainer => "creating a container",
            Self::StartContainer => "starting a container or pod sandbox",
        }
    }
}

/// A Windows event-log record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventRecord {
    /// Channel (`System`, `Microsoft-Windows-Host-Network-Service-Admin` …).
    pub channel: String,
    /// Provider name (`Service Control Manager`, …).
    pub provider: Option<String>,
    /// Event ID.
    pub event_id: u32,
    /// Level (1 critical, 2 error, 3 warning, 4 info).
    pub level: Option<u8>,
    /// Time created (RFC 3339).
    pub time: Option<String>,
    /// Rendered message or the event data joined.
    pub message: String,
    /// Where it was read.
    pub prov: Prov,
}
