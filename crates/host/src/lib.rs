//! # hnsdoctor-host — the only platform seam
//!
//! Everything that touches Windows (HCN/HNS DLLs, registry, processes, services, event logs)
//! sits behind the [`Host`] trait; a scripted fake host (`fake::FakeHost`) replays latency,
//! hangs and failures so the collector can be tested on Linux.
//!
//! Implementations:
//! * `windows` (cfg(windows)): the real thing. The container DLLs (`computenetwork.dll`,
//!   `vmcompute.dll`) are loaded at run time, so the binary starts on hosts without the
//!   Containers feature; every HNS call then fails with [`HostError::NotAvailable`].
//! * [`local::LocalHost`] (non-Windows): commands run for real, Windows-only calls report
//!   [`HostError::NotAvailable`]; lets `hnsdoctor collect` run (and be tried) on Linux.
//! * `fake::FakeHost`: scripted, for tests and benches. Behind the cargo feature `testkit`
//!   (which the dev-dependencies of the crates that test with it enable), so release builds of
//!   the binary do not contain it: the binary never uses it.
//!
//! Nothing behind [`Host`] mutates the host: every call is a read. Changes (`hnsdoctor fix
//! --apply`) go through the separate [`change::HostChange`] seam.
#![deny(missing_docs)]

pub mod change;
#[cfg(windows)]
mod change_windows;
mod error;
mod exec;
#[cfg(any(test, feature = "testkit"))]
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
use std::path::PathBuf;
use std::time::Duration;

/// Which end of an over-long output is kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    /// The last `max_bytes` (logs and listings that grow at the end).
    #[default]
    Tail,
    /// The first `max_bytes` (outputs written newest first, such as `wevtutil qe /rd:true`).
    Head,
}

/// A command to run: program, arguments, limits, environment changes, where stdout goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRequest {
    /// Program name or path (`ipconfig`, `vfpctrl.exe`, `powershell.exe`). The collector always
    /// passes an absolute path on Windows (see [`resolve_tool`]).
    pub program: String,
    /// Arguments, passed as-is.
    pub args: Vec<String>,
    /// After this long the whole process tree is killed and the output so far is returned.
    pub timeout: Duration,
    /// Keep at most this many bytes of stdout (which end: [`Self::keep`]); `truncated` says when
    /// bytes were dropped.
    pub max_bytes: u64,
    /// Which end of an over-long stdout is kept.
    pub keep: Keep,
    /// Variables removed from the child's environment (e.g. `PSModulePath`).
    pub env_remove: Vec<String>,
    /// Variables set in the child's environment.
    pub env: Vec<(String, String)>,
    /// Stream stdout straight into this file (created or truncated) instead of memory; the
    /// returned [`CommandOutput::stdout`] is then empty and `total_bytes`/`truncated` describe
    /// the file.
    pub stdout_file: Option<PathBuf>,
}

impl CommandRequest {
    /// A request with the given limits (tail kept, environment inherited, stdout in memory).
    #[must_use]
    pub fn new(program: &str, args: &[&str], timeout: Duration, max_bytes: u64) -> Self {
        Self {
            program: program.to_string(),
            args: args.iter().map(|a| (*a).to_string()).collect(),
            timeout,
            max_bytes,
            keep: Keep::Tail,
            env_remove: Vec::new(),
            env: Vec::new(),
            stdout_file: None,
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

/// An HCN query document (`{"SchemaVersion":{"Major":2,"Minor":0},"Flags":1}`): no `Filter`
/// member, as hcsshim sends it (`omitempty`); `"Filter":""` is a value no Microsoft client sends.
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

    /// The JSON query document, without a filter (hcsshim's `defaultQuery()` form).
    #[must_use]
    pub fn to_json(&self) -> String {
        format!(
            r#"{{"SchemaVersion":{{"Major":{},"Minor":{}}},"Flags":{}}}"#,
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

/// The console code pages of the host (`GetOEMCP()`, `GetACP()`): native tools write pipe
/// output in the OEM one, "ANSI" programs and many log files in the ANSI one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodePages {
    /// OEM code page, e.g. 437 (en-US), 850 (de-DE), 932 (ja-JP), 936 (zh-CN), 949 (ko-KR).
    pub oem: u32,
    /// ANSI code page, e.g. 1252 (Western), 932 (ja-JP).
    pub ansi: u32,
}

/// The host's well-known folders, as absolute Windows paths without a trailing `\`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownFolders {
    /// `GetSystemDirectoryW()`, e.g. `C:\Windows\System32`.
    pub system32: String,
    /// `%ProgramFiles%`, e.g. `C:\Program Files`.
    pub program_files: String,
    /// `%ProgramData%`, e.g. `C:\ProgramData`.
    pub program_data: String,
}

impl KnownFolders {
    /// The folders of a default Windows installation on `C:`.
    #[must_use]
    pub fn default_windows() -> Self {
        Self {
            system32: r"C:\Windows\System32".into(),
            program_files: r"C:\Program Files".into(),
            program_data: r"C:\ProgramData".into(),
        }
    }
}

/// Tools that are not in System32 itself, relative to a known folder.
const TOOL_HOMES: &[(&str, &str, &str)] = &[
    (
        "powershell.exe",
        "system32",
        r"WindowsPowerShell\v1.0\powershell.exe",
    ),
    ("ctr.exe", "program_files", r"containerd\ctr.exe"),
    ("docker.exe", "program_files", r"Docker\docker.exe"),
];

/// The absolute path a tool is run from: inbox tools from System32, `powershell.exe` from
/// `System32\WindowsPowerShell\v1.0`, `ctr.exe`/`docker.exe` from `%ProgramFiles%`. Never a
/// bare name, so an elevated run never searches the application folder, the current folder
/// or `PATH` (where a planted `netsh.exe` would run as administrator). A program that already
/// is a path is returned unchanged; without known folders (a non-Windows host) the name is too.
#[must_use]
pub fn resolve_tool(program: &str, folders: Option<&KnownFolders>) -> String {
    let Some(f) = folders else {
        return program.to_string();
    };
    if program.contains(['\\', '/']) {
        return program.to_string();
    }
    let mut exe = program.to_ascii_lowercase();
    if !exe.ends_with(".exe") {
        exe.push_str(".exe");
    }
    if let Some((_, base, rel)) = TOOL_HOMES.iter().find(|(n, _, _)| *n == exe) {
        let base = if *base == "system32" {
            &f.system32
        } else {
            &f.program_files
        };
        return format!("{base}\\{rel}");
    }
    format!("{}\\{exe}", f.system32)
}

/// The `wevtutil qe` request for the last `since_hours` hours of a channel: newest first
/// (`/rd:true`, so a size cap or a timeout keeps the newest events), UTF-16 output
/// (`/uni:true`, so event data is not squeezed through the console code page), XML wrapped in
/// one `<Events>` root; the head of the output is kept.
#[must_use]
pub fn events_request(
    program: &str,
    channel: &str,
    since_hours: u32,
    timeout: Duration,
    max_bytes: u64,
) -> CommandRequest {
    let ms = u64::from(since_hours) * 3_600_000;
    CommandRequest {
        keep: Keep::Head,
        args: vec![
            "qe".into(),
            channel.into(),
            format!("/q:*[System[TimeCreated[timediff(@SystemTime) <= {ms}]]]"),
            "/rd:true".into(),
            "/f:xml".into(),
            "/uni:true".into(),
            "/e:Events".into(),
        ],
        ..CommandRequest::new(program, &[], timeout, max_bytes)
    }
}

/// One running process.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningProcess {
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

    /// Open a file for a streamed copy: a reader positioned so that at most `max_bytes` (the
    /// tail) remain, with the [`FileData`] facts (`bytes` left empty).
    fn open_file(
        &self,
        path: &str,
        max_bytes: u64,
    ) -> Result<(Box<dyn std::io::Read + Send>, FileData), HostError>;

    /// Give a folder or file an ACL for SYSTEM and Administrators only (full control, not
    /// inherited from the parent; new children inherit it). Bundles hold WFP dumps, firewall
    /// rules, DNS caches, event logs: not for every local user.
    fn restrict_to_admins(&self, path: &std::path::Path) -> Result<(), HostError>;

    /// The console code pages, where the host has them (Windows).
    fn code_pages(&self) -> Option<CodePages> {
        None
    }

    /// The host's well-known folders, where the host has them (Windows).
    fn known_folders(&self) -> Option<KnownFolders> {
        None
    }

    /// Whether the process runs elevated (administrator).
    fn is_admin(&self) -> bool;

    /// The host name.
    fn host_name(&self) -> String;

    /// OS version with UBR, from the registry.
    fn os_version(&self) -> Result<OsVersion, HostError>;

    /// Running processes with this image name (case-insensitive, e.g. `svchost.exe`), or, for
    /// a service name such as `hns`, the process hosting that service where the host can tell.
    fn processes(&self, name: &str) -> Result<Vec<RunningProcess>, HostError>;
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

    /// Fault 5: hcsshim omits an empty `Filter` (omitempty); `"Filter":""` is never sent.
    #[test]
    fn query_json_has_no_empty_filter() {
        for q in [HcnQuery::V1_DETAILED, HcnQuery::V2_DETAILED] {
            let v: serde_json::Value = serde_json::from_str(&q.to_json()).unwrap();
            assert!(v.get("Filter").is_none(), "{}", q.to_json());
        }
        assert_eq!(
            HcnQuery::V2_DETAILED.to_json(),
            r#"{"SchemaVersion":{"Major":2,"Minor":0},"Flags":1}"#
        );
    }

    /// Fault 8: every tool gets an absolute path; nothing is left to a search.
    #[test]
    fn tools_resolve_to_absolute_paths() {
        let f = KnownFolders::default_windows();
        assert_eq!(
            resolve_tool("netsh.exe", Some(&f)),
            r"C:\Windows\System32\netsh.exe"
        );
        assert_eq!(
            resolve_tool("ipconfig", Some(&f)),
            r"C:\Windows\System32\ipconfig.exe"
        );
        assert_eq!(
            resolve_tool("powershell.exe", Some(&f)),
            r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"
        );
        assert_eq!(
            resolve_tool("ctr.exe", Some(&f)),
            r"C:\Program Files\containerd\ctr.exe"
        );
        assert_eq!(resolve_tool(r"D:\x\y.exe", Some(&f)), r"D:\x\y.exe");
        assert_eq!(resolve_tool("ls", None), "ls");
    }

    /// Fault 6: newest first, Unicode, head kept.
    #[test]
    fn events_request_is_newest_first_and_unicode() {
        let r = events_request("wevtutil.exe", "System", 2, Duration::from_secs(1), 10);
        assert!(r.args.contains(&"/rd:true".to_string()));
        assert!(r.args.contains(&"/uni:true".to_string()));
        assert!(r.args[2].contains("<= 7200000"));
        assert_eq!(r.keep, Keep::Head);
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
