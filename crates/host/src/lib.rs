//! # hnsdoctor-host — the only platform seam
//!
//! Everything that touches Windows (HCN/HNS DLLs, registry, processes, services, event logs)
//! sits behind the [`Host`] trait; a scripted fake host ([`fake::FakeHost`]) replays latency,
//! hangs and failures so the collector can be tested on Linux.
//!
//! Implementations:
//! * `windows` (cfg(windows)): the real thing. The container DLLs (`computenetwork.dll`,
//!   `vmcompute.dll`) are loaded at run time, so the binary starts on hosts without the
//!   Containers feature; every HNS call then fails with [`HostError::NotAvailable`].
//! * [`local::LocalHost`] (non-Windows): commands run for real, Windows-only calls report
//!   [`HostError::NotAvailable`]; lets `hnsdoctor collect` run (and be tried) on Linux.
//! * [`fake::FakeHost`]: scripted, for tests and benches.
//!
//! Nothing in this crate mutates the host: every call is a read.
#![deny(missing_docs)]

mod error;
mod exec;
pub mod fake;
mod files;
pub mod glob;
#[cfg(not(windows))]
pub mod local;
#[cfg(windows)]
mod windows;
pub mod winparse;

pub use error::HostError;

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A command to run: program, arguments, limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRequest {
    /// Program name or path (`ipconfig`, `vfpctrl.exe`, `powershell.exe`).
    pub program: String,
    /// Arguments, passed as-is.
    pub args: Vec<String>,
    /// After this long the whole process tree is killed and the output so far is returned.
    pub timeout: Duration,
    /// Keep at most this many bytes of stdout (the tail); `truncated` says when bytes were dropped.
    pub max_bytes: u64,
}

impl CommandRequest {
    /// A request with the given limits.
    #[must_use]
    pub fn new(program: &str, args: &[&str], timeout: Duration, max_bytes: u64) -> Self {
        Self {
            program: program.to_string(),
            args: args.iter().map(|a| (*a).to_string()).collect(),
            timeout,
            max_bytes,
        }
    }

    /// The command line for display (`ipconfig /allcompartments /all`).
    #[must_use]
    pub fn display(&self) -> String {
        let mut s = self.program.clone();
        for a in &self.args {
            s.push(' ');
            if a.contains(' ') {
                s.push('"');
                s.push_str(a);
                s.push('"');
            } else {
                s.push_str(a);
            }
        }
        s
    }
}

/// What a command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    /// Stdout bytes as produced (the tail, when `truncated`).
    pub stdout: Vec<u8>,
    /// A short excerpt of stderr (its tail), lossily decoded.
    pub stderr: String,
    /// Exit code, `None` when killed.
    pub exit_code: Option<i64>,
    /// Killed at the timeout.
    pub timed_out: bool,
    /// Stdout was longer than the cap; only the tail is kept.
    pub truncated: bool,
    /// Total stdout bytes seen (before capping).
    pub total_bytes: u64,
}

/// Bytes kept of stderr.
pub const STDERR_EXCERPT: usize = 4096;

/// The kinds of HNS object the HCN (v2) API enumerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HcnKind {
    /// `HcnEnumerateNetworks`.
    Networks,
    /// `HcnEnumerateEndpoints`.
    Endpoints,
    /// `HcnEnumerateNamespaces`.
    Namespaces,
    /// `HcnEnumerateLoadBalancers`.
    LoadBalancers,
}

impl HcnKind {
    /// The object name in the HCN function names (`Network` in `HcnOpenNetwork`).
    #[must_use]
    pub fn object(self) -> &'static str {
        match self {
            Self::Networks => "Network",
            Self::Endpoints => "Endpoint",
            Self::Namespaces => "Namespace",
            Self::LoadBalancers => "LoadBalancer",
        }
    }

    /// The plural used by `HcnEnumerate<X>`.
    #[must_use]
    pub fn plural(self) -> &'static str {
        match self {
            Self::Networks => "Networks",
            Self::Endpoints => "Endpoints",
            Self::Namespaces => "Namespaces",
            Self::LoadBalancers => "LoadBalancers",
        }
    }

    /// Human description of the call sequence, for the manifest's `via`.
    #[must_use]
    pub fn via(self) -> String {
        let o = self.object();
        format!(
            "HcnEnumerate{} + HcnOpen{o}/HcnQuery{o}Properties/HcnClose{o} per object",
            self.plural()
        )
    }
}

/// An HCN query document (`{"SchemaVersion":{"Major":2,"Minor":0},"Flags":1,"Filter":""}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HcnQuery {
    /// Schema major version: 2 for v2 objects, 1 for v1-shaped objects.
    pub schema_major: u32,
    /// Schema minor version.
    pub schema_minor: u32,
    /// 1 = detailed.
    pub flags: u32,
}

impl HcnQuery {
    /// v2 schema, detailed.
    pub const V2_DETAILED: Self = Self {
        schema_major: 2,
        schema_minor: 0,
        flags: 1,
    };
    /// v1 schema (v1-shaped objects through the HCN API), detailed.
    pub const V1_DETAILED: Self = Self {
        schema_major: 1,
        schema_minor: 0,
        flags: 1,
    };

    /// The JSON query document, with an empty filter.
    #[must_use]
    pub fn to_json(&self) -> String {
        format!(
            r#"{{"SchemaVersion":{{"Major":{},"Minor":{}}},"Flags":{},"Filter":""}}"#,
            self.schema_major, self.schema_minor, self.flags
        )
    }
}

/// One registry value, rendered to JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryValue {
    /// Value name (`""` for the default value).
    pub name: String,
    /// `REG_SZ`, `REG_DWORD`, …
    pub kind: String,
    /// Strings as strings, numbers as numbers, multi-strings as arrays, binary as hex.
    pub data: serde_json::Value,
}

/// A registry key: its values and the names of its sub-keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistryKey {
    /// Full path, e.g. `HKLM\SYSTEM\CurrentControlSet\Services\hns\State`.
    pub path: String,
    /// Values, in enumeration order.
    pub values: Vec<RegistryValue>,
    /// Sub-key names.
    pub subkeys: Vec<String>,
}

/// Bytes read from a file (tail-capped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileData {
    /// The bytes kept (the tail when `truncated`).
    pub bytes: Vec<u8>,
    /// The file was larger than the cap.
    pub truncated: bool,
    /// The file's full length.
    pub total_len: u64,
}

/// File metadata (no content).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    /// The path asked for.
    pub path: String,
    /// Size in bytes.
    pub len: u64,
    /// Last write time, seconds since the Unix epoch.
    pub modified_unix: Option<i64>,
    /// A directory rather than a file.
    pub is_dir: bool,
}

/// The OS version as the registry states it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsVersion {
    /// 10 on every supported Windows.
    pub major: u32,
    /// 0.
    pub minor: u32,
    /// Build number, e.g. 17763.
    pub build: u32,
    /// Update build revision, e.g. 5458.
    pub ubr: Option<u32>,
    /// `DisplayVersion` (e.g. `21H2`) or `ReleaseId` on older builds.
    pub display_version: Option<String>,
    /// `ProductName`, e.g. `Windows Server 2019 Datacenter`.
    pub product_name: Option<String>,
}

impl OsVersion {
    /// `10.0.17763.5458` (or `10.0.17763` without a UBR).
    #[must_use]
    pub fn build_string(&self) -> String {
        match self.ubr {
            Some(u) => format!("{}.{}.{}.{u}", self.major, self.minor, self.build),
            None => format!("{}.{}.{}", self.major, self.minor, self.build),
        }
    }
}

/// One running process.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInfo {
    /// Process id.
    pub pid: u32,
    /// Image name, e.g. `svchost.exe`.
    pub name: String,
    /// Thread count.
    pub threads: u32,
    /// Working set in bytes, when readable.
    pub working_set_bytes: Option<u64>,
}

/// One file found by a glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// Full path.
    pub path: String,
    /// Size in bytes.
    pub len: u64,
}

/// The platform seam. Every method is a read; none changes the host.
///
/// In-process calls (HCN, HNSCall, registry) cannot be interrupted; the runner gives them a
/// deadline and abandons a call that does not return. Commands are killed (with their whole
/// process tree) at their timeout by the host itself.
pub trait Host: Send + Sync {
    /// Run a command with a timeout and an output cap.
    fn run(&self, req: &CommandRequest) -> Result<CommandOutput, HostError>;

    /// Enumerate all objects of a kind and query each one's properties with `query`; returns a
    /// JSON array of the objects (one enumeration per call, no process launches).
    fn hcn_list(&self, kind: HcnKind, query: HcnQuery) -> Result<String, HostError>;

    /// HNS v1: `HNSCall(method, path, body)`; returns the response JSON as produced.
    fn hns_call(&self, method: &str, path: &str, body: &str) -> Result<String, HostError>;

    /// Read a registry key (`HKLM\…`): all its values and sub-key names.
    fn registry_key(&self, path: &str) -> Result<RegistryKey, HostError>;

    /// Read a file, keeping at most `max_bytes` (the tail).
    fn read_file(&self, path: &str, max_bytes: u64) -> Result<FileData, HostError>;

    /// Files matching a pattern with `*`/`?` wildcards in any path segment (`C:\k\*.log`).
    fn glob(&self, pattern: &str) -> Result<Vec<FoundFile>, HostError>;

    /// Metadata of a file or folder.
    fn metadata(&self, path: &str) -> Result<FileMeta, HostError>;

    /// The events of the last `since_hours` hours of an event channel as XML
    /// (`wevtutil qe <channel> /q:<time filter> /f:xml /e:Events`, oldest first), tail-capped.
    fn export_events(
        &self,
        channel: &str,
        since_hours: u32,
        timeout: Duration,
        max_bytes: u64,
    ) -> Result<FileData, HostError>;

    /// Whether the process runs elevated (administrator).
    fn is_admin(&self) -> bool;

    /// The host name.
    fn host_name(&self) -> String;

    /// OS version with UBR, from the registry.
    fn os_version(&self) -> Result<OsVersion, HostError>;

    /// Running processes with this image name (case-insensitive, e.g. `svchost.exe`), or, for
    /// a service name such as `hns`, the process hosting that service where the host can tell.
    fn processes(&self, name: &str) -> Result<Vec<ProcessInfo>, HostError>;
}

/// The real host for this platform: the Windows implementation on Windows, [`local::LocalHost`]
/// elsewhere.
#[must_use]
pub fn real() -> Box<dyn Host> {
    #[cfg(windows)]
    {
        Box::new(windows::WindowsHost::new())
    }
    #[cfg(not(windows))]
    {
        Box::new(local::LocalHost::new())
    }
}

/// Keep the last `max` bytes of `bytes`; returns whether anything was dropped.
#[must_use]
pub fn keep_tail(mut bytes: Vec<u8>, max: u64) -> (Vec<u8>, bool) {
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    if bytes.len() > max {
        let cut = bytes.len() - max;
        bytes.drain(..cut);
        (bytes, true)
    } else {
        (bytes, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_json_has_schema_and_flags() {
        let q = HcnQuery::V1_DETAILED.to_json();
        let v: serde_json::Value = serde_json::from_str(&q).unwrap();
        assert_eq!(v["SchemaVersion"]["Major"], 1);
        assert_eq!(v["Flags"], 1);
    }

    #[test]
    fn keep_tail_keeps_the_end() {
        let (b, t) = keep_tail(b"0123456789".to_vec(), 3);
        assert_eq!(b, b"789");
        assert!(t);
        let (b, t) = keep_tail(b"01".to_vec(), 3);
        assert_eq!(b, b"01");
        assert!(!t);
    }

    #[test]
    fn build_string_with_and_without_ubr() {
        let mut v = OsVersion {
            major: 10,
            build: 17763,
            ubr: Some(5458),
            ..OsVersion::default()
        };
        assert_eq!(v.build_string(), "10.0.17763.5458");
        v.ubr = None;
        assert_eq!(v.build_string(), "10.0.17763");
    }

    #[test]
    fn display_quotes_spaced_args() {
        let r = CommandRequest::new("sc.exe", &["qc", "a b"], Duration::from_secs(1), 10);
        assert_eq!(r.display(), r#"sc.exe qc "a b""#);
    }
}
