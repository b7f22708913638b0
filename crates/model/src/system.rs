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

/// A container image the runtime has, or a container runs, as a listing or a pasted text shows
/// it (`docker images`, `ctr images ls`, `crictl images`, `ctr c ls`, `docker ps`, an image
/// reference in a log or a pod spec).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerImage {
    /// Repository as printed, registry included: `mcr.microsoft.com/windows/servercore`.
    pub repository: String,
    /// Tag, e.g. `ltsc2019`, `10.0.17763.4851`, `1809-KB5030214`.
    pub tag: Option<String>,
    /// Content digest (`sha256:…`), when shown.
    pub digest: Option<String>,
    /// Image ID as printed (short or full), when shown.
    pub image_id: Option<String>,
    /// Windows build the image is for, when the tag or the text shows it (17763).
    pub os_build: Option<u32>,
    /// Image revision (the UBR of its `10.0.<build>.<rev>` version), when shown.
    pub os_revision: Option<u32>,
    /// Where it was read.
    pub prov: Prov,
}

impl ContainerImage {
    /// Split an image reference (`mcr.microsoft.com/windows/servercore:ltsc2019`,
    /// `…/nanoserver:10.0.17763.4851`, `repo@sha256:…`, `repo:tag@sha256:…`) into repository,
    /// tag and digest, and read the Windows build and revision from the tag when it carries
    /// them (`10.0.17763.4851`, `17763.4851`, `ltsc2019-amd64-10.0.17763.4851`). `None` when
    /// the text is not a reference (empty, spaces, or no repository).
    #[must_use]
    pub fn from_reference(reference: &str, prov: Prov) -> Option<ContainerImage> {
        let r = reference
            .trim()
            .trim_matches(|c| c == '"' || c == '\'' || c == '`');
        if r.is_empty() || r.contains(char::is_whitespace) {
            return None;
        }
        let (name, digest) = match r.split_once('@') {
            Some((n, d)) if d.contains(':') => (n, Some(d.to_string())),
            Some(_) => return None,
            None => (r, None),
        };
        // A ':' after the last '/' separates the tag (a ':' before it is a registry port).
        let slash = name.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match name[slash..].rfind(':') {
            Some(i) => (&name[..slash + i], Some(name[slash + i + 1..].to_string())),
            None => (name, None),
        };
        if repository.is_empty() || tag.as_deref() == Some("") {
            return None;
        }
        let (os_build, os_revision) = tag.as_deref().and_then(windows_version_in).unzip();
        Some(ContainerImage {
            repository: repository.to_string(),
            tag,
            digest,
            image_id: None,
            os_build,
            os_revision,
            prov,
        })
    }

    /// The reference as users write it: `repository[:tag][@digest]`.
    #[must_use]
    pub fn reference(&self) -> String {
        let mut s = self.repository.clone();
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

/// The `(build, revision)` of a Windows version inside `s`: `10.0.17763.4851`, or a bare
/// `17763.4851` standing alone or after `-`/`_`.
#[must_use]
pub fn windows_version_in(s: &str) -> Option<(u32, u32)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit()
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'.')
        {
            let rest = &s[i..];
            let parts: Vec<&str> = rest
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .next()
                .unwrap_or("")
                .split('.')
                .collect();
            let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
            if let Some(n) = nums {
                match n.as_slice() {
                    [10, 0, b, r] if (10_000..100_000).contains(b) => return Some((*b, *r)),
                    [b, r] if (10_000..100_000).contains(b) && parts[0].len() == 5 => {
                        return Some((*b, *r))
                    }
                    _ => {}
                }
            }
            i += rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod image_tests {
    use super::*;

    #[test]
    fn references_split() {
        let p = Prov::default();
        let i = ContainerImage::from_reference(
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            p.clone(),
        )
        .unwrap();
        assert_eq!(i.repository, "mcr.microsoft.com/windows/servercore");
        assert_eq!(i.tag.as_deref(), Some("ltsc2019"));
        assert_eq!((i.os_build, i.os_revision), (None, None));
        let i = ContainerImage::from_reference(
            "mcr.microsoft.com/windows/nanoserver:10.0.17763.4851",
            p.clone(),
        )
        .unwrap();
        assert_eq!((i.os_build, i.os_revision), (Some(17763), Some(4851)));
        let i =
            ContainerImage::from_reference("localhost:5000/app@sha256:abcd", p.clone()).unwrap();
        assert_eq!(i.repository, "localhost:5000/app");
        assert_eq!(i.tag, None);
        assert_eq!(i.digest.as_deref(), Some("sha256:abcd"));
        assert_eq!(i.reference(), "localhost:5000/app@sha256:abcd");
        let i = ContainerImage::from_reference(
            "registry:5000/x/y:ltsc2019-amd64-10.0.17763.4974",
            p.clone(),
        )
        .unwrap();
        assert_eq!((i.os_build, i.os_revision), (Some(17763), Some(4974)));
        assert!(ContainerImage::from_reference("", p.clone()).is_none());
        assert!(ContainerImage::from_reference("two words", p.clone()).is_none());
        assert!(ContainerImage::from_reference("repo:", p).is_none());
    }

    #[test]
    fn versions_in_text() {
        assert_eq!(
            windows_version_in("OsVersion 10.0.17763.4851"),
            Some((17763, 4851))
        );
        assert_eq!(windows_version_in("1809-17763.4974"), Some((17763, 4974)));
        assert_eq!(windows_version_in("10.244.3.2"), None);
        assert_eq!(windows_version_in("v1.17763.4"), None);
        assert_eq!(windows_version_in("3.9"), None);
    }
}
