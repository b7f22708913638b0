//! The mutation seam: [`HostChange`], every change `hnsdoctor fix` can make to a host.
//!
//! [`Host`](crate::Host) stays read-only by contract; everything that writes (registry values,
//! service state, HNS objects, files, the dynamic port range, WinNAT) goes through this
//! separate trait, so that the fake (`fake::change::FakeChange`, feature `testkit`) records every change and a
//! build that only collects never links a writer.
//!
//! Each write has a matching read (the value now, the service state now, the objects now), so
//! the caller can back up before a change, skip a change that is already in place
//! (idempotency) and restore the recorded state (undo).
//!
//! Implementations: the real one on Windows ([`real_change`]: `reg.exe`, `sc.exe`,
//! PowerShell service cmdlets, `netsh`, `NetNat` cmdlets, and `computenetwork.dll` /
//! `vmcompute.dll` loaded at run time for HNS objects), and `fake::change::FakeChange` (feature `testkit`).
//! Registry and service operations take a [`Scope`]: the host itself, or a container reached
//! through `docker exec` / `ctr task exec` / `crictl exec` (the command argv is built by
//! [`container_argv`]).

use crate::HostError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A container runtime CLI that can run a command inside a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerRuntime {
    /// `docker exec <id> …`.
    Docker,
    /// `ctr -n k8s.io task exec --exec-id <n> <id> …`.
    Ctr,
    /// `crictl exec <id> …`.
    Crictl,
}

impl ContainerRuntime {
    /// The program name.
    #[must_use]
    pub fn program(self) -> &'static str {
        match self {
            Self::Docker => "docker.exe",
            Self::Ctr => "ctr.exe",
            Self::Crictl => "crictl.exe",
        }
    }
}

/// Where a registry or service operation runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The host itself.
    Host,
    /// Inside a container, through its runtime's exec.
    Container {
        /// The runtime used.
        runtime: ContainerRuntime,
        /// Container id (or name).
        id: String,
    },
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Host => f.write_str("host"),
            Self::Container { id, .. } => write!(f, "container {id}"),
        }
    }
}

/// The command line that runs `argv` inside container `id` with `runtime`.
#[must_use]
pub fn container_argv(runtime: ContainerRuntime, id: &str, argv: &[String]) -> Vec<String> {
    let mut v: Vec<String> = match runtime {
        ContainerRuntime::Docker => vec!["exec".into(), id.into()],
        ContainerRuntime::Ctr => vec![
            "-n".into(),
            "k8s.io".into(),
            "task".into(),
            "exec".into(),
            "--exec-id".into(),
            format!("hnsdoctor-fix-{}", std::process::id()),
            id.into(),
        ],
        ContainerRuntime::Crictl => vec!["exec".into(), id.into()],
    };
    v.extend(argv.iter().cloned());
    v
}

/// A registry value's data, as read back or written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "data")]
pub enum RegData {
    /// `REG_DWORD`.
    Dword(u32),
    /// `REG_QWORD`.
    Qword(u64),
    /// `REG_SZ`.
    Sz(String),
    /// `REG_EXPAND_SZ`.
    ExpandSz(String),
    /// `REG_MULTI_SZ`.
    MultiSz(Vec<String>),
}

impl std::fmt::Display for RegData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Dword(v) => write!(f, "REG_DWORD {v} (0x{v:x})"),
            Self::Qword(v) => write!(f, "REG_QWORD {v}"),
            Self::Sz(s) => write!(f, "REG_SZ {s:?}"),
            Self::ExpandSz(s) => write!(f, "REG_EXPAND_SZ {s:?}"),
            Self::MultiSz(v) => write!(f, "REG_MULTI_SZ {v:?}"),
        }
    }
}

impl RegData {
    /// The `reg add` type and data arguments (`/t REG_DWORD /d 0`).
    #[must_use]
    pub fn reg_args(&self) -> Vec<String> {
        let (t, d) = match self {
            Self::Dword(v) => ("REG_DWORD", v.to_string()),
            Self::Qword(v) => ("REG_QWORD", v.to_string()),
            Self::Sz(s) => ("REG_SZ", s.clone()),
            Self::ExpandSz(s) => ("REG_EXPAND_SZ", s.clone()),
            Self::MultiSz(v) => ("REG_MULTI_SZ", v.join("\\0")),
        };
        vec!["/t".into(), t.into(), "/d".into(), d]
    }

    /// Parse one value line of `reg query <key> /v <name>` (`    Name    REG_DWORD    0x0`).
    #[must_use]
    pub fn from_reg_query(out: &str, name: &str) -> Option<Self> {
        for line in out.lines() {
            let mut parts = line.split_whitespace();
            let (Some(n), Some(t)) = (parts.next(), parts.next()) else {
                continue;
            };
            if !n.eq_ignore_ascii_case(name) || !t.starts_with("REG_") {
                continue;
            }
            // the data is the rest of the line after the type, spacing kept
            let data = line
                .split_once(t)
                .map(|(_, d)| d.trim())
                .unwrap_or_default();
            let num = |d: &str| {
                d.strip_prefix("0x")
                    .and_then(|h| u64::from_str_radix(h, 16).ok())
            };
            return match t {
                "REG_DWORD" => num(data)
                    .and_then(|v| u32::try_from(v).ok())
                    .map(Self::Dword),
                "REG_QWORD" => num(data).map(Self::Qword),
                "REG_SZ" => Some(Self::Sz(data.to_string())),
                "REG_EXPAND_SZ" => Some(Self::ExpandSz(data.to_string())),
                "REG_MULTI_SZ" => Some(Self::MultiSz(
                    data.split("\\0")
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                )),
                _ => None,
            };
        }
        None
    }
}

/// A service's start type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StartType {
    /// Boot or system driver start.
    Boot,
    /// Automatic.
    Auto,
    /// Manual (demand).
    Manual,
    /// Disabled.
    Disabled,
}

impl StartType {
    /// The `sc config … start=` word.
    #[must_use]
    pub fn sc_word(self) -> &'static str {
        match self {
            Self::Boot => "boot",
            Self::Auto => "auto",
            Self::Manual => "demand",
            Self::Disabled => "disabled",
        }
    }
}

/// A service's state now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceStatus {
    /// Running (or start pending).
    pub running: bool,
    /// Start type.
    pub start: StartType,
}

/// The HNS object kinds that can be listed, removed and re-created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HnsObject {
    /// Network (HCN).
    Network,
    /// Endpoint (HCN).
    Endpoint,
    /// Load balancer (HCN v2; falls back to a v1 policy list of that id).
    LoadBalancer,
    /// v1 policy list (`HNSCall /policylists`).
    PolicyList,
}

impl std::fmt::Display for HnsObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Network => "network",
            Self::Endpoint => "endpoint",
            Self::LoadBalancer => "load-balancer",
            Self::PolicyList => "policy-list",
        })
    }
}

/// One HNS object as listed: its id, name and full JSON (kept as the backup).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HnsRecord {
    /// Id (GUID as HNS prints it).
    pub id: String,
    /// `Name`, where the object has one.
    pub name: Option<String>,
    /// The object as HNS returned it.
    pub json: serde_json::Value,
}

impl HnsRecord {
    /// A record from an object's JSON (`ID`/`Id`, `Name`).
    #[must_use]
    pub fn from_json(json: serde_json::Value) -> Option<Self> {
        let get = |k: &str| {
            json.as_object().and_then(|o| {
                o.iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(k))
                    .and_then(|(_, v)| v.as_str())
                    .map(str::to_string)
            })
        };
        let id = get("Id")?;
        let name = get("Name");
        Some(Self { id, name, json })
    }
}

/// TCP or UDP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PortProtocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl PortProtocol {
    /// `tcp` / `udp`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Udp => "udp",
        }
    }
}

/// A dynamic port range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortRange {
    /// First port.
    pub start: u16,
    /// Number of ports.
    pub count: u16,
}

impl PortRange {
    /// Parse `netsh int ipv4 show dynamicportrange <proto>`: the first two numbers of the
    /// output are the start port and the count (the labels are localised; the order is not).
    #[must_use]
    pub fn from_netsh(out: &str) -> Option<Self> {
        let mut nums = out
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse::<u32>().ok())
            // "ipv4" yields a 4 before the numbers in some layouts
            .filter(|n| *n > 4);
        let start = u16::try_from(nums.next()?).ok()?;
        let count = u16::try_from(nums.next()?).ok()?;
        Some(Self { start, count })
    }
}

/// A WinNAT instance (`Get-NetNat`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatInstance {
    /// Name.
    pub name: String,
    /// `InternalIPInterfaceAddressPrefix`, e.g. `172.20.0.0/16`.
    pub prefix: String,
}

/// Every change `hnsdoctor fix` can make, each with the read it needs for backup and
/// idempotency. Implementations must not do anything a method does not name.
pub trait HostChange: Send + Sync {
    /// Whether the process runs elevated.
    fn is_admin(&self) -> bool;
    /// The container runtime CLI found on the host (docker, then ctr, then crictl).
    fn container_runtime(&self) -> Option<ContainerRuntime>;

    /// A registry value now (`None`: the value does not exist).
    fn registry_value(
        &self,
        scope: &Scope,
        key: &str,
        name: &str,
    ) -> Result<Option<RegData>, HostError>;
    /// Set a registry value (creating the key if needed).
    fn set_registry_value(
        &self,
        scope: &Scope,
        key: &str,
        name: &str,
        data: &RegData,
    ) -> Result<(), HostError>;
    /// Delete a registry value.
    fn delete_registry_value(&self, scope: &Scope, key: &str, name: &str) -> Result<(), HostError>;

    /// A service's state now (`None`: not installed).
    fn service(&self, scope: &Scope, name: &str) -> Result<Option<ServiceStatus>, HostError>;
    /// Stop a service (and wait until it has stopped).
    fn stop_service(&self, scope: &Scope, name: &str) -> Result<(), HostError>;
    /// Start a service (and wait until it runs).
    fn start_service(&self, scope: &Scope, name: &str) -> Result<(), HostError>;
    /// Set a service's start type.
    fn set_service_start(
        &self,
        scope: &Scope,
        name: &str,
        start: StartType,
    ) -> Result<(), HostError>;

    /// All HNS objects of a kind now.
    fn hns_objects(&self, kind: HnsObject) -> Result<Vec<HnsRecord>, HostError>;
    /// Delete one HNS object by id.
    fn delete_hns_object(&self, kind: HnsObject, id: &str) -> Result<(), HostError>;
    /// Re-create an HNS object from the JSON a listing returned (undo of a delete).
    fn create_hns_object(&self, kind: HnsObject, record: &HnsRecord) -> Result<(), HostError>;

    /// Whether a file exists on the host.
    fn file_exists(&self, path: &str) -> Result<bool, HostError>;
    /// Copy a host file into the local backup folder; returns the bytes copied.
    fn copy_file(&self, from: &str, to: &Path) -> Result<u64, HostError>;
    /// Rename a host file (both paths on the host).
    fn rename_file(&self, from: &str, to: &str) -> Result<(), HostError>;

    /// The IPv4 dynamic port range of a protocol now.
    fn dynamic_port_range(&self, protocol: PortProtocol) -> Result<PortRange, HostError>;
    /// Set the IPv4 dynamic port range of a protocol.
    fn set_dynamic_port_range(
        &self,
        protocol: PortProtocol,
        range: PortRange,
    ) -> Result<(), HostError>;

    /// The WinNAT instances now.
    fn nat_instances(&self) -> Result<Vec<NatInstance>, HostError>;
    /// Remove a WinNAT instance by name.
    fn remove_nat_instance(&self, name: &str) -> Result<(), HostError>;
    /// Create a WinNAT instance (undo of a removal).
    fn add_nat_instance(&self, nat: &NatInstance) -> Result<(), HostError>;
}

/// The real mutator of this host: the Windows implementation, or
/// [`HostError::NotAvailable`] on another OS.
///
/// # Errors
/// `NotAvailable` when the host is not Windows.
pub fn real_change() -> Result<Box<dyn HostChange>, HostError> {
    #[cfg(windows)]
    {
        Ok(Box::new(crate::change_windows::WindowsChange::new()))
    }
    #[cfg(not(windows))]
    {
        Err(HostError::not_available(
            "host changes",
            format!(
                "hnsdoctor fix --apply changes a Windows host and this host is {}",
                std::env::consts::OS
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reg_query_output_parses() {
        let out = "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters\r\n    MaxCacheTtl    REG_DWORD    0x15180\r\n    Name    REG_SZ    a b\r\n";
        assert_eq!(
            RegData::from_reg_query(out, "maxcachettl"),
            Some(RegData::Dword(86400))
        );
        assert_eq!(
            RegData::from_reg_query(out, "Name"),
            Some(RegData::Sz("a b".into()))
        );
        assert_eq!(RegData::from_reg_query(out, "Other"), None);
    }

    #[test]
    fn netsh_range_parses_in_any_language() {
        let en = "\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 49152\r\nNumber of Ports : 16384\r\n";
        assert_eq!(
            PortRange::from_netsh(en),
            Some(PortRange {
                start: 49152,
                count: 16384
            })
        );
        let de = "Dynamischer Portbereich für tcp-Protokoll\nStartport    : 1025\nAnzahl der Ports : 64511\n";
        assert_eq!(
            PortRange::from_netsh(de),
            Some(PortRange {
                start: 1025,
                count: 64511
            })
        );
    }

    #[test]
    fn container_exec_argv_per_runtime() {
        let cmd = vec!["reg.exe".to_string(), "query".into()];
        assert_eq!(
            container_argv(ContainerRuntime::Docker, "c1", &cmd),
            vec!["exec", "c1", "reg.exe", "query"]
        );
        assert_eq!(
            container_argv(ContainerRuntime::Crictl, "c1", &cmd)[..2],
            ["exec".to_string(), "c1".to_string()]
        );
        let ctr = container_argv(ContainerRuntime::Ctr, "c1", &cmd);
        assert_eq!(ctr[..4], ["-n", "k8s.io", "task", "exec"].map(String::from));
        assert_eq!(ctr[6], "c1");
        assert_eq!(
            RegData::Dword(0).reg_args(),
            vec!["/t", "REG_DWORD", "/d", "0"]
        );
    }

    #[test]
    fn hns_record_reads_id_and_name_any_case() {
        let r = HnsRecord::from_json(serde_json::json!({"ID": "abc", "Name": "l2bridge"})).unwrap();
        assert_eq!(
            (r.id.as_str(), r.name.as_deref()),
            ("abc", Some("l2bridge"))
        );
        assert!(HnsRecord::from_json(serde_json::json!({"Name": "x"})).is_none());
    }
}
