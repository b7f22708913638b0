//! A scripted fake host for tests and benches: per command, HCN kind, HNS path, registry key,
//! file, event channel or process it replays a scripted [`Outcome`] — canned output, latency,
//! a hang, a failure with an exit code, a huge output, missing DLLs, access denied.
//!
//! ```
//! use hnsdoctor_host::fake::{FakeHost, ok, fail, ms};
//! use hnsdoctor_host::{CommandRequest, Host, HcnKind, HcnQuery};
//! use std::time::Duration;
//! let host = FakeHost::new()
//!     .command("ipconfig", ok("Windows IP Configuration").after(ms(5)))
//!     .command("vfpctrl", fail(1, "switch not found"))
//!     .hcn(HcnKind::Networks, ok(r#"[{"Name":"nat"}]"#));
//! let out = host.run(&CommandRequest::new("ipconfig.exe", &["/all"], Duration::from_secs(1), 1 << 20)).unwrap();
//! assert_eq!(out.stdout, b"Windows IP Configuration");
//! assert_eq!(host.hcn_list(HcnKind::Networks, HcnQuery::V2_DETAILED).unwrap(), r#"[{"Name":"nat"}]"#);
//! ```
//!
//! Hangs are interruptible: a hanging command returns as "timed out" at its request's timeout
//! (as a killed process would); a hanging in-process call (HCN, registry) blocks until
//! [`FakeHost::release_hangs`] or the fake's hang limit, so tests never wait long.

use crate::glob::{path_match, wildcard_match};
use crate::{
    CodePages, CommandOutput, CommandRequest, FileData, FileMeta, FoundFile, HcnKind, HcnQuery,
    Host, HostError, Keep, KnownFolders, OsVersion, RegistryKey, RunningProcess,
};
use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Milliseconds, for builder readability: `ok(text).after(ms(50))`.
#[must_use]
pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What a scripted call does.
#[derive(Debug, Clone)]
pub struct Outcome {
    result: Result<Vec<u8>, HostError>,
    exit_code: i64,
    stderr: String,
    latency: Duration,
    hang: bool,
}

/// Succeeds with this output (exit code 0).
#[must_use]
pub fn ok(output: impl Into<Vec<u8>>) -> Outcome {
    Outcome {
        result: Ok(output.into()),
        exit_code: 0,
        stderr: String::new(),
        latency: Duration::ZERO,
        hang: false,
    }
}

/// Succeeds with JSON text (same as [`ok`], reads better for HNS).
#[must_use]
pub fn json(text: &str) -> Outcome {
    ok(text.as_bytes().to_vec())
}

/// A command that exits with `code` and prints `stderr` (no stdout).
#[must_use]
pub fn fail(code: i64, stderr: &str) -> Outcome {
    Outcome {
        result: Ok(Vec::new()),
        exit_code: code,
        stderr: stderr.to_string(),
        latency: Duration::ZERO,
        hang: false,
    }
}

/// A call that returns this host error.
#[must_use]
pub fn error(e: HostError) -> Outcome {
    Outcome {
        result: Err(e),
        exit_code: 0,
        stderr: String::new(),
        latency: Duration::ZERO,
        hang: false,
    }
}

/// A call that never returns by itself (until its timeout kills it, or hangs are released).
#[must_use]
pub fn hang() -> Outcome {
    Outcome {
        hang: true,
        ..ok(Vec::new())
    }
}

/// A command that prints `output` and then hangs until killed at its timeout (the partial
/// output is what a killed process leaves in the pipe).
#[must_use]
pub fn partial(output: impl Into<Vec<u8>>) -> Outcome {
    Outcome {
        hang: true,
        ..ok(output)
    }
}

/// A successful output of `len` bytes of numbered lines.
#[must_use]
pub fn huge(len: usize) -> Outcome {
    let mut v = Vec::with_capacity(len + 32);
    let mut i = 0u64;
    while v.len() < len {
        v.extend_from_slice(format!("line {i:08}\n").as_bytes());
        i += 1;
    }
    v.truncate(len);
    ok(v)
}

impl Outcome {
    /// Add latency before the outcome.
    #[must_use]
    pub fn after(mut self, d: Duration) -> Self {
        self.latency = d;
        self
    }

    /// Also print this on stderr.
    #[must_use]
    pub fn stderr(mut self, s: &str) -> Self {
        self.stderr = s.to_string();
        self
    }
}

#[derive(Debug, Default)]
struct Gate {
    released: Mutex<bool>,
    cv: Condvar,
}

impl Gate {
    /// Sleep `d`, or until released; returns true when released early.
    fn sleep(&self, d: Duration) -> bool {
        let deadline = Instant::now() + d;
        let mut g = self.released.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if *g {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            g = self
                .cv
                .wait_timeout(g, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// The scripted host. Build it with the chained methods, then share it (`Arc`) with the runner.
#[derive(Debug)]
pub struct FakeHost {
    commands: Vec<(String, Outcome)>,
    default_command: Outcome,
    hcn: BTreeMap<(HcnKind, u32), Outcome>,
    hns: BTreeMap<String, Outcome>,
    registry: BTreeMap<String, Result<RegistryKey, HostError>>,
    files: BTreeMap<String, Vec<u8>>,
    processes: Vec<RunningProcess>,
    code_pages: Option<CodePages>,
    folders: Option<KnownFolders>,
    admin: bool,
    host_name: String,
    os: Result<OsVersion, HostError>,
    dll_error: Option<HostError>,
    hang_limit: Duration,
    gate: Arc<Gate>,
    calls: Mutex<Vec<String>>,
    requests: Mutex<Vec<CommandRequest>>,
}

impl Default for FakeHost {
    fn default() -> Self {
        Self::new()
    }
}

fn norm_cmd(program: &str, args: &[String]) -> String {
    let base = program
        .rsplit(['\\', '/'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    let stem = base.strip_suffix(".exe").unwrap_or(&base).to_string();
    let mut s = stem;
    for a in args {
        s.push(' ');
        s.push_str(&a.to_ascii_lowercase());
    }
    s
}

impl FakeHost {
    /// An elevated host `FAKEHOST`, Windows 10.0.17763.5458, with no commands scripted (unknown
    /// commands are "not found"), no HNS objects, no files.
    #[must_use]
    pub fn new() -> Self {
        Self {
            commands: Vec::new(),
            default_command: error(HostError::not_available(
                "program",
                "program not found on this host",
            )),
            hcn: BTreeMap::new(),
            hns: BTreeMap::new(),
            registry: BTreeMap::new(),
            files: BTreeMap::new(),
            processes: Vec::new(),
            code_pages: Some(CodePages {
                oem: 437,
                ansi: 1252,
            }),
            folders: Some(KnownFolders::default_windows()),
            admin: true,
            host_name: "FAKEHOST".to_string(),
            os: Ok(OsVersion {
                major: 10,
                minor: 0,
                build: 17763,
                ubr: Some(5458),
                display_version: Some("1809".into()),
                product_name: Some("Windows Server 2019 Datacenter".into()),
            }),
            dll_error: None,
            hang_limit: Duration::from_secs(30),
            gate: Arc::new(Gate::default()),
            calls: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
        }
    }

    /// Script a command. `pattern` is the program name without `.exe`, optionally followed by
    /// leading arguments (`"netsh int ipv4 sh excludedportrange"`); the longest matching
    /// pattern wins, case-insensitively.
    #[must_use]
    pub fn command(mut self, pattern: &str, outcome: Outcome) -> Self {
        let p = pattern.to_ascii_lowercase();
        let p = p.strip_suffix(".exe").map(str::to_string).unwrap_or(p);
        self.commands.retain(|(k, _)| *k != p);
        self.commands.push((p, outcome));
        self
    }

    /// Script a command that hangs until its timeout.
    #[must_use]
    pub fn hang(self, pattern: &str) -> Self {
        self.command(pattern, hang())
    }

    /// What unscripted commands do (default: "program not found").
    #[must_use]
    pub fn default_command(mut self, outcome: Outcome) -> Self {
        self.default_command = outcome;
        self
    }

    /// Script the v2 (schema 2) HCN listing of a kind.
    #[must_use]
    pub fn hcn(mut self, kind: HcnKind, outcome: Outcome) -> Self {
        self.hcn.insert((kind, 2), outcome);
        self
    }

    /// Script the HCN listing of a kind with schema 1.0 (v1-shaped objects).
    #[must_use]
    pub fn hcn_v1(mut self, kind: HcnKind, outcome: Outcome) -> Self {
        self.hcn.insert((kind, 1), outcome);
        self
    }

    /// Script an `HNSCall` path (any method), e.g. `/globals/version`.
    #[must_use]
    pub fn hns(mut self, path: &str, outcome: Outcome) -> Self {
        self.hns.insert(path.to_ascii_lowercase(), outcome);
        self
    }

    /// Script a registry key.
    #[must_use]
    pub fn registry(mut self, key: RegistryKey) -> Self {
        self.registry.insert(key.path.to_ascii_lowercase(), Ok(key));
        self
    }

    /// Script a registry key that fails to open.
    #[must_use]
    pub fn registry_error(mut self, path: &str, e: HostError) -> Self {
        self.registry.insert(path.to_ascii_lowercase(), Err(e));
        self
    }

    /// Add a file (path matching is case-insensitive, either separator).
    #[must_use]
    pub fn file(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.to_string(), bytes.into());
        self
    }

    /// Script an event channel export (`wevtutil qe <channel> …`).
    #[must_use]
    pub fn events(self, channel: &str, outcome: Outcome) -> Self {
        self.command(&format!("wevtutil qe {channel}"), outcome)
    }

    /// The console code pages the host reports (default OEM 437, ANSI 1252; `None`: unknown).
    #[must_use]
    pub fn code_pages(mut self, cp: Option<CodePages>) -> Self {
        self.code_pages = cp;
        self
    }

    /// The well-known folders (default: a Windows installation on `C:`).
    #[must_use]
    pub fn folders(mut self, f: Option<KnownFolders>) -> Self {
        self.folders = f;
        self
    }

    /// Add a running process.
    #[must_use]
    pub fn process(mut self, p: RunningProcess) -> Self {
        self.processes.push(p);
        self
    }

    /// Elevated or not.
    #[must_use]
    pub fn admin(mut self, admin: bool) -> Self {
        self.admin = admin;
        self
    }

    /// Host name.
    #[must_use]
    pub fn host_name(mut self, name: &str) -> Self {
        self.host_name = name.to_string();
        self
    }

    /// OS version.
    #[must_use]
    pub fn os(mut self, os: OsVersion) -> Self {
        self.os = Ok(os);
        self
    }

    /// The Containers feature is absent: every HCN and HNSCall fails as on such a host.
    #[must_use]
    pub fn missing_dlls(mut self) -> Self {
        self.dll_error = Some(HostError::not_available(
            "HNS API",
            "computenetwork.dll could not be loaded (126): The specified module could not be found.",
        ));
        self
    }

    /// Longest a hanging in-process call blocks (default 30 s).
    #[must_use]
    pub fn hang_limit(mut self, d: Duration) -> Self {
        self.hang_limit = d;
        self
    }

    /// Let every hanging call return now (tests call this at the end).
    pub fn release_hangs(&self) {
        let mut g = self
            .gate
            .released
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *g = true;
        self.gate.cv.notify_all();
    }

    /// Every call made so far, e.g. `run ipconfig /all`, `hcn Networks v2`.
    #[must_use]
    pub fn calls(&self) -> Vec<String> {
        self.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every command request so far, as the host received it (program, arguments,
    /// environment changes, limits).
    #[must_use]
    pub fn requests(&self) -> Vec<CommandRequest> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn log(&self, s: String) {
        self.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(s);
    }

    /// Play an in-process outcome: latency, hang, then the result.
    fn play(&self, o: &Outcome) -> Result<Vec<u8>, HostError> {
        if o.hang {
            self.gate.sleep(self.hang_limit);
            return Err(HostError::Timeout(
                u64::try_from(self.hang_limit.as_millis()).unwrap_or(u64::MAX),
            ));
        }
        self.gate.sleep(o.latency);
        o.result.clone()
    }

    fn play_text(&self, o: &Outcome) -> Result<String, HostError> {
        self.play(o)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

fn keep_head(mut bytes: Vec<u8>, max: u64) -> (Vec<u8>, bool) {
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    let cut = bytes.len() > max;
    bytes.truncate(max);
    (bytes, cut)
}

impl Host for FakeHost {
    fn run(&self, req: &CommandRequest) -> Result<CommandOutput, HostError> {
        let line = norm_cmd(&req.program, &req.args);
        self.log(format!("run {line}"));
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(req.clone());
        let o = self
            .commands
            .iter()
            .filter(|(k, _)| line == *k || line.starts_with(&format!("{k} ")))
            .max_by_key(|(k, _)| k.len())
            .map_or(&self.default_command, |(_, o)| o);
        let timed_out = o.hang || o.latency >= req.timeout;
        if timed_out {
            // A killed process: whatever it printed before it hung, no exit code.
            self.gate.sleep(req.timeout);
        } else {
            self.gate.sleep(o.latency);
        }
        let bytes = o.result.clone()?;
        let total = bytes.len() as u64;
        let (stdout, truncated) = match req.keep {
            Keep::Tail => crate::keep_tail(bytes, req.max_bytes),
            Keep::Head => keep_head(bytes, req.max_bytes),
        };
        let stdout = match &req.stdout_file {
            Some(p) => {
                std::fs::write(p, &stdout)
                    .map_err(|e| HostError::Io(format!("{}: {e}", p.display())))?;
                Vec::new()
            }
            None => stdout,
        };
        Ok(CommandOutput {
            stdout,
            stderr: o.stderr.clone(),
            exit_code: (!timed_out).then_some(o.exit_code),
            timed_out,
            truncated,
            total_bytes: total,
        })
    }

    fn hcn_list(&self, kind: HcnKind, query: HcnQuery) -> Result<String, HostError> {
        self.log(format!("hcn {} v{}", kind.plural(), query.schema_major));
        if let Some(e) = &self.dll_error {
            return Err(e.clone());
        }
        match self.hcn.get(&(kind, query.schema_major)) {
            Some(o) => self.play_text(o),
            None => Ok("[]".to_string()),
        }
    }

    fn hns_call(&self, method: &str, path: &str, _body: &str) -> Result<String, HostError> {
        self.log(format!("hns {method} {path}"));
        if let Some(e) = &self.dll_error {
            return Err(HostError::not_available(
                "HNS API",
                e.to_string()
                    .replace("computenetwork.dll", "vmcompute.dll")
                    .trim_start_matches("HNS API not available: ")
                    .to_string(),
            ));
        }
        let o = self
            .hns
            .get(&path.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| json(r#"{"Success":true,"Output":[]}"#));
        self.play_text(&o)
    }

    fn registry_key(&self, path: &str) -> Result<RegistryKey, HostError> {
        self.log(format!("reg {path}"));
        self.registry
            .get(&path.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| Err(HostError::NotFound(path.to_string())))
    }

    fn read_file(&self, path: &str, max_bytes: u64) -> Result<FileData, HostError> {
        self.log(format!("read {path}"));
        let (_, bytes) = self
            .files
            .iter()
            .find(|(k, _)| path_match(k, path))
            .ok_or_else(|| HostError::NotFound(path.to_string()))?;
        let total_len = bytes.len() as u64;
        let (bytes, truncated) = crate::keep_tail(bytes.clone(), max_bytes);
        Ok(FileData {
            bytes,
            truncated,
            total_len,
        })
    }

    fn glob(&self, pattern: &str) -> Result<Vec<FoundFile>, HostError> {
        self.log(format!("glob {pattern}"));
        Ok(self
            .files
            .iter()
            .filter(|(k, _)| path_match(pattern, k))
            .map(|(k, v)| FoundFile {
                path: k.clone(),
                len: v.len() as u64,
            })
            .collect())
    }

    fn metadata(&self, path: &str) -> Result<FileMeta, HostError> {
        self.log(format!("stat {path}"));
        let (k, v) = self
            .files
            .iter()
            .find(|(k, _)| path_match(k, path))
            .ok_or_else(|| HostError::NotFound(path.to_string()))?;
        Ok(FileMeta {
            path: k.clone(),
            len: v.len() as u64,
            modified_unix: Some(1_764_000_000),
            is_dir: false,
        })
    }

    fn open_file(
        &self,
        path: &str,
        max_bytes: u64,
    ) -> Result<(Box<dyn std::io::Read + Send>, FileData), HostError> {
        let mut d = self.read_file(path, max_bytes)?;
        let bytes = std::mem::take(&mut d.bytes);
        Ok((Box::new(std::io::Cursor::new(bytes)), d))
    }

    fn restrict_to_admins(&self, path: &std::path::Path) -> Result<(), HostError> {
        self.log(format!("acl {}", path.display()));
        Ok(())
    }

    fn code_pages(&self) -> Option<CodePages> {
        self.code_pages
    }

    fn known_folders(&self) -> Option<KnownFolders> {
        self.folders.clone()
    }

    fn is_admin(&self) -> bool {
        self.admin
    }

    fn host_name(&self) -> String {
        self.host_name.clone()
    }

    fn os_version(&self) -> Result<OsVersion, HostError> {
        self.os.clone()
    }

    fn processes(&self, name: &str) -> Result<Vec<RunningProcess>, HostError> {
        self.log(format!("ps {name}"));
        Ok(self
            .processes
            .iter()
            .filter(|p| wildcard_match(name, &p.name))
            .cloned()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(p: &str, args: &[&str], timeout_ms: u64) -> CommandRequest {
        CommandRequest::new(p, args, ms(timeout_ms), 1 << 20)
    }

    #[test]
    fn longest_pattern_wins_and_exe_is_ignored() {
        let h = FakeHost::new()
            .command("netsh", ok("generic"))
            .command("netsh int ipv4 sh excludedportrange", ok("ranges"));
        let o = h
            .run(&req(
                "NETSH.EXE",
                &["int", "ipv4", "sh", "excludedportrange", "tcp"],
                1000,
            ))
            .unwrap();
        assert_eq!(o.stdout, b"ranges");
        let o = h
            .run(&req("netsh", &["wfp", "show", "state"], 1000))
            .unwrap();
        assert_eq!(o.stdout, b"generic");
        assert!(h.run(&req("nothing", &[], 1000)).is_err());
    }

    #[test]
    fn partial_output_survives_the_timeout_and_head_is_kept() {
        let h = FakeHost::new().command("wevtutil", partial("<Events><Event>newest"));
        let mut r = req("wevtutil", &["qe", "System"], 20);
        r.keep = Keep::Head;
        r.max_bytes = 14;
        let o = h.run(&r).unwrap();
        assert!(o.timed_out);
        assert_eq!(o.stdout, b"<Events><Event");
        assert!(o.truncated);
        assert_eq!(h.requests()[0].keep, Keep::Head);
    }

    #[test]
    fn hanging_command_returns_timed_out_at_its_timeout() {
        let h = FakeHost::new().hang("vfpctrl");
        let o = h
            .run(&req("vfpctrl", &["/list-vmswitch-port"], 20))
            .unwrap();
        assert!(o.timed_out);
        assert_eq!(o.exit_code, None);
    }

    #[test]
    fn failure_keeps_exit_code_and_huge_is_capped() {
        let h = FakeHost::new()
            .command("sc", fail(1060, "service does not exist"))
            .command("big", huge(10_000));
        let o = h.run(&req("sc", &["qc", "x"], 1000)).unwrap();
        assert_eq!(o.exit_code, Some(1060));
        assert_eq!(o.stderr, "service does not exist");
        let o = h
            .run(&CommandRequest::new("big", &[], ms(1000), 100))
            .unwrap();
        assert!(o.truncated);
        assert_eq!(o.stdout.len(), 100);
        assert_eq!(o.total_bytes, 10_000);
    }

    #[test]
    fn missing_dlls_fail_hns_calls() {
        let h = FakeHost::new().missing_dlls();
        let e = h
            .hcn_list(HcnKind::Endpoints, HcnQuery::V2_DETAILED)
            .unwrap_err();
        assert!(e
            .to_string()
            .starts_with("HNS API not available: computenetwork.dll"));
        let e = h.hns_call("GET", "/globals/version", "").unwrap_err();
        assert!(e.to_string().contains("vmcompute.dll"));
        assert_eq!(h.calls().len(), 2);
    }

    #[test]
    fn released_hang_returns() {
        let h = Arc::new(FakeHost::new().hcn(HcnKind::Networks, hang()));
        let h2 = Arc::clone(&h);
        let t = std::thread::spawn(move || h2.hcn_list(HcnKind::Networks, HcnQuery::V2_DETAILED));
        std::thread::sleep(ms(10));
        h.release_hangs();
        assert!(matches!(t.join().unwrap(), Err(HostError::Timeout(_))));
    }

    #[test]
    fn files_glob_and_read() {
        let h = FakeHost::new()
            .file(r"C:\k\kubelet.log", "a\nb\n")
            .file(r"C:\k\kube-proxy.log", "c\n")
            .file(r"C:\k\config", "x");
        let found = h.glob(r"c:\k\*.log").unwrap();
        assert_eq!(found.len(), 2);
        let d = h.read_file(r"C:\k\kubelet.log", 2).unwrap();
        assert_eq!(d.bytes, b"b\n");
        assert!(d.truncated);
        assert!(h.metadata(r"C:\k\none").is_err());
    }
}

/// A stateful fake of [`HostChange`](crate::change::HostChange): it holds registry values,
/// services, HNS objects, files, port ranges and WinNAT instances, applies every change to
/// that state and records it in [`FakeChange::changes`](change::FakeChange::changes) (reads are not recorded), so tests
/// can assert the exact operations and their order, and that undo restores the state.
///
/// [`FakeChange::fail_on`](change::FakeChange::fail_on) makes the first change whose record starts with a prefix fail;
/// [`FakeChange::watch`](change::FakeChange::watch) records, at every change, which files a folder holds (to prove
/// backups were written before the first change).
pub mod change {
    use crate::change::{
        ContainerRuntime, HnsObject, HnsRecord, HostChange, NatInstance, PortProtocol, PortRange,
        RegData, Scope, ServiceStatus, StartType,
    };
    use crate::HostError;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, PoisonError};

    /// The fake's state (public so tests can compare before and after).
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct State {
        /// `(scope, key, name)` → value; keys compared case-insensitively (stored lower case).
        pub registry: BTreeMap<(String, String, String), RegData>,
        /// `(scope, service)` → status.
        pub services: BTreeMap<(String, String), ServiceStatus>,
        /// Objects per kind, in creation order.
        pub hns: BTreeMap<HnsObject, Vec<HnsRecord>>,
        /// Files: path → bytes.
        pub files: BTreeMap<String, Vec<u8>>,
        /// Dynamic port ranges.
        pub ports: BTreeMap<PortProtocol, PortRange>,
        /// WinNAT instances.
        pub nat: Vec<NatInstance>,
    }

    /// The recording fake. Build with the `with_*` methods.
    #[derive(Debug)]
    pub struct FakeChange {
        admin: bool,
        runtime: Option<ContainerRuntime>,
        state: Mutex<State>,
        log: Mutex<Vec<String>>,
        fail_on: Mutex<Option<String>>,
        watch: Option<PathBuf>,
        seen: Mutex<Vec<Vec<String>>>,
    }

    impl Default for FakeChange {
        fn default() -> Self {
            Self::new()
        }
    }

    fn sk(scope: &Scope) -> String {
        scope.to_string()
    }

    fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        m.lock().unwrap_or_else(PoisonError::into_inner)
    }

    impl FakeChange {
        /// An elevated host with docker, nothing else.
        #[must_use]
        pub fn new() -> Self {
            let mut ports = BTreeMap::new();
            for p in [PortProtocol::Tcp, PortProtocol::Udp] {
                ports.insert(
                    p,
                    PortRange {
                        start: 49152,
                        count: 16384,
                    },
                );
            }
            Self {
                admin: true,
                runtime: Some(ContainerRuntime::Docker),
                state: Mutex::new(State {
                    ports,
                    ..State::default()
                }),
                log: Mutex::new(Vec::new()),
                fail_on: Mutex::new(None),
                watch: None,
                seen: Mutex::new(Vec::new()),
            }
        }

        /// Elevated or not.
        #[must_use]
        pub fn admin(mut self, admin: bool) -> Self {
            self.admin = admin;
            self
        }

        /// The container runtime found (`None`: none).
        #[must_use]
        pub fn runtime(mut self, rt: Option<ContainerRuntime>) -> Self {
            self.runtime = rt;
            self
        }

        /// A registry value.
        #[must_use]
        pub fn with_value(self, scope: &Scope, key: &str, name: &str, data: RegData) -> Self {
            lock(&self.state).registry.insert(
                (
                    sk(scope),
                    key.to_ascii_lowercase(),
                    name.to_ascii_lowercase(),
                ),
                data,
            );
            self
        }

        /// A service.
        #[must_use]
        pub fn with_service(
            self,
            scope: &Scope,
            name: &str,
            running: bool,
            start: StartType,
        ) -> Self {
            lock(&self.state).services.insert(
                (sk(scope), name.to_ascii_lowercase()),
                ServiceStatus { running, start },
            );
            self
        }

        /// An HNS object (`json` gets `ID` and `Name`).
        #[must_use]
        pub fn with_hns(self, kind: HnsObject, id: &str, name: Option<&str>) -> Self {
            let mut json = serde_json::json!({ "ID": id });
            if let Some(n) = name {
                json["Name"] = serde_json::Value::from(n);
            }
            lock(&self.state)
                .hns
                .entry(kind)
                .or_default()
                .push(HnsRecord {
                    id: id.to_string(),
                    name: name.map(str::to_string),
                    json,
                });
            self
        }

        /// A file.
        #[must_use]
        pub fn with_file(self, path: &str, bytes: &[u8]) -> Self {
            lock(&self.state)
                .files
                .insert(path.to_string(), bytes.to_vec());
            self
        }

        /// A dynamic port range.
        #[must_use]
        pub fn with_ports(self, p: PortProtocol, start: u16, count: u16) -> Self {
            lock(&self.state)
                .ports
                .insert(p, PortRange { start, count });
            self
        }

        /// A WinNAT instance.
        #[must_use]
        pub fn with_nat(self, name: &str, prefix: &str) -> Self {
            lock(&self.state).nat.push(NatInstance {
                name: name.into(),
                prefix: prefix.into(),
            });
            self
        }

        /// Record the files of `dir` at every change.
        #[must_use]
        pub fn watch(mut self, dir: &Path) -> Self {
            self.watch = Some(dir.to_path_buf());
            self
        }

        /// The next change whose record starts with `prefix` fails (once).
        pub fn fail_on(&self, prefix: &str) {
            *lock(&self.fail_on) = Some(prefix.to_string());
        }

        /// The changes made, in order (`stop-service host kube-proxy`, …).
        #[must_use]
        pub fn changes(&self) -> Vec<String> {
            lock(&self.log).clone()
        }

        /// Forget the recorded changes (state kept).
        pub fn clear_changes(&self) {
            lock(&self.log).clear();
            lock(&self.seen).clear();
        }

        /// For each recorded change, the file names (recursive, relative, sorted) the watched
        /// folder held at that moment.
        #[must_use]
        pub fn seen(&self) -> Vec<Vec<String>> {
            lock(&self.seen).clone()
        }

        /// A copy of the state.
        #[must_use]
        pub fn state(&self) -> State {
            lock(&self.state).clone()
        }

        fn change(&self, what: String) -> Result<(), HostError> {
            {
                let mut f = lock(&self.fail_on);
                if f.as_deref().is_some_and(|p| what.starts_with(p)) {
                    *f = None;
                    return Err(HostError::Failed {
                        code: 5,
                        message: format!("scripted failure: {what}"),
                    });
                }
            }
            if let Some(dir) = &self.watch {
                let mut names = Vec::new();
                list_files(dir, dir, &mut names);
                names.sort();
                lock(&self.seen).push(names);
            }
            lock(&self.log).push(what);
            Ok(())
        }
    }

    fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                list_files(root, &p, out);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    fn not_found(what: String) -> HostError {
        HostError::NotFound(what)
    }

    impl HostChange for FakeChange {
        fn is_admin(&self) -> bool {
            self.admin
        }

        fn container_runtime(&self) -> Option<ContainerRuntime> {
            self.runtime
        }

        fn registry_value(
            &self,
            scope: &Scope,
            key: &str,
            name: &str,
        ) -> Result<Option<RegData>, HostError> {
            Ok(lock(&self.state)
                .registry
                .get(&(
                    sk(scope),
                    key.to_ascii_lowercase(),
                    name.to_ascii_lowercase(),
                ))
                .cloned())
        }

        fn set_registry_value(
            &self,
            scope: &Scope,
            key: &str,
            name: &str,
            data: &RegData,
        ) -> Result<(), HostError> {
            self.change(format!("set-registry {scope} {key} {name} = {data}"))?;
            lock(&self.state).registry.insert(
                (
                    sk(scope),
                    key.to_ascii_lowercase(),
                    name.to_ascii_lowercase(),
                ),
                data.clone(),
            );
            Ok(())
        }

        fn delete_registry_value(
            &self,
            scope: &Scope,
            key: &str,
            name: &str,
        ) -> Result<(), HostError> {
            self.change(format!("delete-registry {scope} {key} {name}"))?;
            lock(&self.state)
                .registry
                .remove(&(
                    sk(scope),
                    key.to_ascii_lowercase(),
                    name.to_ascii_lowercase(),
                ))
                .map(|_| ())
                .ok_or_else(|| not_found(format!("{key}\\{name}")))
        }

        fn service(&self, scope: &Scope, name: &str) -> Result<Option<ServiceStatus>, HostError> {
            Ok(lock(&self.state)
                .services
                .get(&(sk(scope), name.to_ascii_lowercase()))
                .copied())
        }

        fn stop_service(&self, scope: &Scope, name: &str) -> Result<(), HostError> {
            self.change(format!("stop-service {scope} {name}"))?;
            let mut s = lock(&self.state);
            let st = s
                .services
                .get_mut(&(sk(scope), name.to_ascii_lowercase()))
                .ok_or_else(|| not_found(format!("service {name}")))?;
            st.running = false;
            Ok(())
        }

        fn start_service(&self, scope: &Scope, name: &str) -> Result<(), HostError> {
            self.change(format!("start-service {scope} {name}"))?;
            let mut s = lock(&self.state);
            let st = s
                .services
                .get_mut(&(sk(scope), name.to_ascii_lowercase()))
                .ok_or_else(|| not_found(format!("service {name}")))?;
            if st.start == StartType::Disabled {
                return Err(HostError::Failed {
                    code: 1058,
                    message: format!("service {name} is disabled"),
                });
            }
            st.running = true;
            Ok(())
        }

        fn set_service_start(
            &self,
            scope: &Scope,
            name: &str,
            start: StartType,
        ) -> Result<(), HostError> {
            self.change(format!(
                "set-service-start {scope} {name} {}",
                start.sc_word()
            ))?;
            let mut s = lock(&self.state);
            let st = s
                .services
                .get_mut(&(sk(scope), name.to_ascii_lowercase()))
                .ok_or_else(|| not_found(format!("service {name}")))?;
            st.start = start;
            Ok(())
        }

        fn hns_objects(&self, kind: HnsObject) -> Result<Vec<HnsRecord>, HostError> {
            Ok(lock(&self.state)
                .hns
                .get(&kind)
                .cloned()
                .unwrap_or_default())
        }

        fn delete_hns_object(&self, kind: HnsObject, id: &str) -> Result<(), HostError> {
            self.change(format!("delete-hns {kind} {id}"))?;
            let mut s = lock(&self.state);
            let v = s.hns.entry(kind).or_default();
            let before = v.len();
            v.retain(|r| !r.id.eq_ignore_ascii_case(id));
            if v.len() == before {
                return Err(not_found(format!("{kind} {id}")));
            }
            Ok(())
        }

        fn create_hns_object(&self, kind: HnsObject, record: &HnsRecord) -> Result<(), HostError> {
            self.change(format!("create-hns {kind} {}", record.id))?;
            lock(&self.state)
                .hns
                .entry(kind)
                .or_default()
                .push(record.clone());
            Ok(())
        }

        fn file_exists(&self, path: &str) -> Result<bool, HostError> {
            Ok(lock(&self.state).files.contains_key(path))
        }

        fn copy_file(&self, from: &str, to: &Path) -> Result<u64, HostError> {
            let bytes = lock(&self.state)
                .files
                .get(from)
                .cloned()
                .ok_or_else(|| not_found(from.to_string()))?;
            std::fs::write(to, &bytes)
                .map_err(|e| HostError::from_io(&to.display().to_string(), &e))?;
            Ok(bytes.len() as u64)
        }

        fn rename_file(&self, from: &str, to: &str) -> Result<(), HostError> {
            self.change(format!("rename {from} -> {to}"))?;
            let mut s = lock(&self.state);
            if s.files.contains_key(to) {
                return Err(HostError::Failed {
                    code: 183,
                    message: format!("{to} already exists"),
                });
            }
            let b = s
                .files
                .remove(from)
                .ok_or_else(|| not_found(from.to_string()))?;
            s.files.insert(to.to_string(), b);
            Ok(())
        }

        fn dynamic_port_range(&self, protocol: PortProtocol) -> Result<PortRange, HostError> {
            lock(&self.state)
                .ports
                .get(&protocol)
                .copied()
                .ok_or_else(|| not_found(format!("{} range", protocol.as_str())))
        }

        fn set_dynamic_port_range(
            &self,
            protocol: PortProtocol,
            range: PortRange,
        ) -> Result<(), HostError> {
            self.change(format!(
                "set-port-range {} start={} num={}",
                protocol.as_str(),
                range.start,
                range.count
            ))?;
            lock(&self.state).ports.insert(protocol, range);
            Ok(())
        }

        fn nat_instances(&self) -> Result<Vec<NatInstance>, HostError> {
            Ok(lock(&self.state).nat.clone())
        }

        fn remove_nat_instance(&self, name: &str) -> Result<(), HostError> {
            self.change(format!("remove-nat {name}"))?;
            let mut s = lock(&self.state);
            let before = s.nat.len();
            s.nat.retain(|n| n.name != name);
            if s.nat.len() == before {
                return Err(not_found(format!("NAT {name}")));
            }
            Ok(())
        }

        fn add_nat_instance(&self, nat: &NatInstance) -> Result<(), HostError> {
            self.change(format!("add-nat {} {}", nat.name, nat.prefix))?;
            lock(&self.state).nat.push(nat.clone());
            Ok(())
        }
    }
}
