//! Services, registry settings, CNI configuration, Kubernetes context and containers.

use crate::Prov;
use serde::{Deserialize, Serialize};

/// Service state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceState {
    /// Running.
    Running,
    /// Stopped.
    Stopped,
    /// Start or stop pending, paused…
    Pending,
    /// Listed as not installed ("The specified service does not exist").
    Missing,
    /// Not known.
    #[default]
    Unknown,
}

/// A Windows service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Service {
    /// Service name (`hns`, `vmcompute`, `kubelet`, `kubeproxy`, `containerd`, `docker`…), lower case.
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// State.
    pub state: ServiceState,
    /// Process ID (sc queryex).
    pub pid: Option<u32>,
    /// Start type (Automatic, Manual, Disabled).
    pub start_type: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}

/// Registry values that matter to container networking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrySettings {
    /// `Dnscache\Parameters\MaxCacheTtl`.
    pub dns_max_cache_ttl: Option<u32>,
    /// `Dnscache\Parameters\MaxNegativeCacheTtl`.
    pub dns_max_negative_cache_ttl: Option<u32>,
    /// `Tcpip6\Parameters\DisabledComponents`.
    pub ipv6_disabled_components: Option<u32>,
    /// Where each value was read (value name → provenance).
    pub prov: Vec<(String, Prov)>,
}

/// A CNI configuration file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CniConfig {
    /// Path as found.
    pub path: String,
    /// `name`.
    pub name: Option<String>,
    /// `cniVersion`.
    pub cni_version: Option<String>,
    /// `type` of each plugin (conflist) or of the config.
    pub plugin_types: Vec<String>,
    /// Network name the plugin uses for HNS, when stated.
    pub network_name: Option<String>,
    /// The parsed document.
    pub raw: serde_json::Value,
    /// Where it was read.
    pub prov: Prov,
}

/// Kubernetes context needed by rules that know the cluster (from kubeclusterconfig.json,
/// kube-proxy flags, CNI config or `--service-cidr` / `--dns-ip` / `--network`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KubeContext {
    /// Service CIDR.
    pub service_cidr: Option<String>,
    /// Cluster (pod) CIDR.
    pub cluster_cidr: Option<String>,
    /// Cluster DNS service IP.
    pub dns_ip: Option<String>,
    /// HNS network name kube-proxy / the CNI uses.
    pub network_name: Option<String>,
    /// kube-proxy `--enable-dsr`.
    pub enable_dsr: Option<bool>,
    /// kube-proxy `--source-vip`.
    pub source_vip: Option<String>,
    /// Node IP.
    pub node_ip: Option<String>,
    /// Container runtime: `containerd` or `docker`.
    pub runtime: Option<String>,
    /// CNI plugin binary directory (containerd `bin_dir`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cni_bin_dir: Option<String>,
    /// CNI configuration directory (containerd `conf_dir`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cni_conf_dir: Option<String>,
    /// Pod sandbox (pause) image (containerd `sandbox_image`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sandbox_image: Option<String>,
    /// The management IP (or interface) given to the node's network setup (`start.ps1
    /// -ManagementIP`, `-InterfaceName` of the SDN scripts), as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub management_ip: Option<String>,
    /// Where each value was read (key → provenance).
    pub prov: Vec<(String, Prov)>,
}

/// A container known to the runtime.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Container {
    /// ID.
    pub id: String,
    /// Image.
    pub image: Option<String>,
    /// Runtime / type as printed.
    pub runtime: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}
