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
    /// Where it was read.
    pub prov: Prov,
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
