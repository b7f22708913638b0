//! The runner: sources run concurrently on a bounded number of worker threads (`--jobs`), each
//! with its own timeout (a command's process tree is killed by the host; an in-process call that
//! does not return is abandoned at its deadline), its own size cap and captured stderr, and a
//! time budget per subsystem. A failing or hanging source never stops the others; every attempt
//! becomes one result. Progress goes to a callback — nothing here prints.
//!
//! With [`RunOptions::out_dir`] (what [`crate::collect`] sets: the bundle's staging folder) the
//! output of commands, PowerShell, event exports and copied files is streamed straight into its
//! file, never held whole in memory; each source reserves its cap from the bundle's total
//! ([`RunOptions::bundle_max_bytes`]) and multi-file sources stop at their own total
//! (`max_total_bytes`). Copied files pass the deny-list and the redaction pass of
//! [`crate::redact`]. Every tool runs by absolute path ([`hnsdoctor_host::resolve_tool`]), and a
//! source needing a host feature the host lacks is skipped as "absent by design".
//!
//! Read-only by design: the runner only executes what the table declares, and the table's
//! conformance test asserts that no source has `mutates: true`.

use crate::redact::{withhold_reason, Redactor};
use crate::source::{Cmd, Requirement, SourceDef, Via};
use crate::sources;
use hnsdoctor_bundle::manifest::{Redacted, SourceStatus, Withheld};
use hnsdoctor_host::{
    events_request, resolve_tool, CommandRequest, HcnQuery, Host, HostError, KnownFolders,
};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of one run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Sources running at the same time (at least 1).
    pub jobs: usize,
    /// Event-log window in hours.
    pub since_hours: u32,
    /// Multiplies every timeout and budget (`--timeout-scale`).
    pub timeout_scale: f64,
    /// Whether the process is elevated; sources needing admin are skipped otherwise.
    pub admin: bool,
    /// The bundle's staging folder: command output and copied files are streamed straight into
    /// their files there (never held whole in memory). `None`: outputs are returned in memory.
    pub out_dir: Option<PathBuf>,
    /// Cap of the whole bundle: each source reserves its own cap from what is left before it
    /// starts and gives back what it did not use; a source finding nothing left is skipped.
    pub bundle_max_bytes: u64,
    /// Timeouts of single sources (source id → timeout), used as given instead of the scaled
    /// default: tests give hanging sources a short one without shortening everyone's.
    pub timeout_overrides: HashMap<String, Duration>,
    /// Set (e.g. by a Ctrl-C handler) to stop: no source starts any more, the ones running are
    /// abandoned and [`run`] returns at once; the caller discards the bundle.
    pub cancel: Option<Arc<std::sync::atomic::AtomicBool>>,
}

/// Default cap of a whole bundle (2 GiB).
pub const BUNDLE_MAX_BYTES: u64 = 2 * 1024 * 1024 * 1024;

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            jobs: 8,
            since_hours: 24,
            timeout_scale: 1.0,
            admin: true,
            out_dir: None,
            bundle_max_bytes: BUNDLE_MAX_BYTES,
            timeout_overrides: HashMap::new(),
            cancel: None,
        }
    }
}

impl RunOptions {
    /// Whether [`Self::cancel`] was set.
    #[must_use]
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
    }

    /// Apply the scale to a duration (never below 1 ms).
    #[must_use]
    pub fn scale(&self, d: Duration) -> Duration {
        let s = if self.timeout_scale.is_finite() && self.timeout_scale > 0.0 {
            self.timeout_scale
        } else {
            1.0
        };
        Duration::from_secs_f64((d.as_secs_f64() * s).min(86_400.0)).max(Duration::from_millis(1))
    }
}

/// A progress event, for the binary to show as a bar or as lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A source started.
    Started {
        /// Source id.
        id: &'static str,
    },
    /// A source ended (or was skipped).
    Finished {
        /// Source id.
        id: &'static str,
        /// Outcome.
        status: SourceStatus,
        /// Wall time.
        duration: Duration,
        /// Error text, if any.
        error: Option<String>,
    },
}

/// What a source produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Output {
    /// Nothing to write.
    #[default]
    None,
    /// One file's bytes.
    File(Vec<u8>),
    /// Several files: (file name inside the source's folder, bytes, truncated).
    Folder(Vec<(String, Vec<u8>, bool)>),
    /// Already written into [`RunOptions::out_dir`]: (bundle path, truncated) per file.
    Written(Vec<(String, bool)>),
}

impl Output {
    /// Bytes of the output (files written are measured on disk under `out_dir`).
    #[must_use]
    pub fn len(&self, out_dir: Option<&Path>) -> u64 {
        match self {
            Self::None => 0,
            Self::File(b) => b.len() as u64,
            Self::Folder(f) => f.iter().map(|(_, b, _)| b.len() as u64).sum(),
            Self::Written(f) => f
                .iter()
                .filter_map(|(rel, _)| out_dir.map(|d| bundle_file(d, rel)))
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum(),
        }
    }

    /// Whether there is no output.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::None)
    }
}

/// Create the folders above `p` inside the staging folder `root` — never `root` itself: a source
/// abandoned by a cancelled run must not bring back the staging folder the run removed.
fn make_parent(root: &Path, p: &Path) -> std::io::Result<()> {
    if !root.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "{}: the bundle's staging folder is gone (collection cancelled?)",
                root.display()
            ),
        ));
    }
    p.parent().map_or(Ok(()), std::fs::create_dir_all)
}

/// The file of bundle path `rel` (forward slashes) under `root`; `.`/`..`/empty segments are
/// dropped, so the result always stays under `root`.
#[must_use]
pub fn bundle_file(root: &Path, rel: &str) -> PathBuf {
    let mut p = root.to_path_buf();
    for seg in rel
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
    {
        p.push(seg);
    }
    p
}

/// The result of one source attempt.
#[derive(Debug, Clone)]
pub struct Collected {
    /// The table entry.
    pub source: &'static SourceDef,
    /// Outcome.
    pub status: SourceStatus,
    /// Bytes to write.
    pub output: Output,
    /// Exit code or HRESULT.
    pub exit_code: Option<i64>,
    /// Error text.
    pub error: Option<String>,
    /// Wall time.
    pub duration: Duration,
    /// Output cut at the cap.
    pub truncated: bool,
    /// How the output's text is known to be encoded (`oem`, `utf-8`, `utf-16le`).
    pub encoding: Option<&'static str>,
    /// Files not copied because they hold credentials.
    pub withheld: Vec<Withheld>,
    /// Secrets replaced in copied files.
    pub redacted: Vec<Redacted>,
}

/// The outcome of executing a source (before timing is attached).
#[derive(Debug, Clone, Default)]
struct Exec {
    status: SourceStatus,
    output: Output,
    exit_code: Option<i64>,
    error: Option<String>,
    truncated: bool,
    withheld: Vec<Withheld>,
    redacted: Vec<Redacted>,
}

impl Exec {
    fn failed(e: &HostError) -> Self {
        Self {
            status: if matches!(e, HostError::Timeout(_)) {
                SourceStatus::Timeout
            } else {
                SourceStatus::Failed
            },
            exit_code: e.code(),
            error: Some(e.to_string()),
            ..Self::default()
        }
    }

    fn skipped(why: impl Into<String>) -> Self {
        Self {
            status: SourceStatus::Skipped,
            error: Some(why.into()),
            ..Self::default()
        }
    }
}

struct Ctx {
    timeout: Duration,
    deadline: Instant,
    since_hours: u32,
    scale_item_timeout: Duration,
    dep: Option<Vec<u8>>,
    /// This source's cap after the bundle's reservation (per file for Files sources).
    max: u64,
    /// Files sources: the cap of all files together.
    max_total: u64,
    out_dir: Option<PathBuf>,
    folders: Option<KnownFolders>,
}

impl Ctx {
    /// Where a single-file source's output is streamed to (its parent folder created).
    fn sink(&self, rel: &str) -> Option<PathBuf> {
        let root = self.out_dir.as_deref()?;
        let p = bundle_file(root, rel);
        make_parent(root, &p).ok()?;
        Some(p)
    }

    /// A command request with the program resolved to its absolute path.
    fn request(&self, program: &str, args: Vec<String>, timeout: Duration) -> CommandRequest {
        CommandRequest {
            program: resolve_tool(program, self.folders.as_ref()),
            args,
            ..CommandRequest::new(program, &[], timeout, self.max)
        }
    }
}

/// The PowerShell command line for an inline pipeline: no profile, no prompts, no execution
/// policy in the way, UTF-8 output (`[Console]::OutputEncoding`, so the bytes do not depend on
/// the console's OEM code page), progress records off, output streamed line by line
/// (`Out-String -Stream`, so what was printed before a timeout is kept).
#[must_use]
pub fn powershell_args(pipeline: &str) -> Vec<String> {
    vec![
        "-NoProfile".into(),
        "-NonInteractive".into(),
        "-ExecutionPolicy".into(),
        "Bypass".into(),
        "-Command".into(),
        format!(
            "$ProgressPreference='SilentlyContinue'; \
             [Console]::OutputEncoding=[Text.UTF8Encoding]::new($false); \
             $OutputEncoding=[Console]::OutputEncoding; \
             {pipeline} | Out-String -Stream -Width 4096"
        ),
    ]
}

/// Environment variables removed for the child `powershell.exe`: a `PSModulePath` inherited from
/// PowerShell 7 (hnsdoctor started from `pwsh`) makes Windows PowerShell load 7.x modules and
/// fail on `Out-String`, `Format-*`, `Get-Service` (PowerShell/PowerShell#27774); without it
/// Windows PowerShell builds its own default.
pub const POWERSHELL_ENV_REMOVE: &[&str] = &["PSModulePath"];

/// The full request for an inline PowerShell pipeline.
fn powershell_request(ctx: &Ctx, pipeline: &str, timeout: Duration) -> CommandRequest {
    let mut r = ctx.request("powershell.exe", powershell_args(pipeline), timeout);
    r.env_remove = POWERSHELL_ENV_REMOVE
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    r
}

fn cap(bytes: Vec<u8>, max: u64) -> (Vec<u8>, bool) {
    hnsdoctor_host::keep_tail(bytes, max)
}

/// Run a request; with `rel`, stdout is streamed into that bundle file.
fn run_streamed(host: &dyn Host, mut req: CommandRequest, ctx: &Ctx, rel: &str) -> Exec {
    let sink = ctx.sink(rel);
    req.stdout_file.clone_from(&sink);
    let mut ex = run_req(host, &req);
    if let Some(p) = sink {
        let len = std::fs::metadata(&p).map_or(0, |m| m.len());
        if len > 0 {
            ex.output = Output::Written(vec![(rel.to_string(), ex.truncated)]);
        } else {
            let _ = std::fs::remove_file(&p);
            if ex.error.is_none() && ex.status == SourceStatus::Ok {
                ex.error = Some("the command printed nothing".into());
            }
        }
    }
    ex
}

fn run_req(host: &dyn Host, req: &CommandRequest) -> Exec {
    let timeout = req.timeout;
    match host.run(req) {
        Err(e) => Exec::failed(&e),
        Ok(o) => {
            let status = if o.timed_out {
                SourceStatus::Timeout
            } else if o.exit_code == Some(0) {
                SourceStatus::Ok
            } else {
                SourceStatus::Failed
            };
            let error = match status {
                SourceStatus::Timeout => Some(format!(
                    "killed after {} ms (process tree ended)",
                    timeout.as_millis()
                )),
                SourceStatus::Failed if !o.stderr.is_empty() => Some(o.stderr.clone()),
                SourceStatus::Failed => Some(format!(
                    "exit code {}",
                    o.exit_code
                        .map_or_else(|| "unknown".into(), |c| c.to_string())
                )),
                _ if !o.stderr.is_empty() => Some(format!("stderr: {}", o.stderr)),
                _ if o.total_bytes == 0 => Some("the command printed nothing".into()),
                _ => None,
            };
            Exec {
                status,
                output: if o.stdout.is_empty() {
                    Output::None
                } else {
                    Output::File(o.stdout)
                },
                exit_code: o.exit_code,
                error,
                truncated: o.truncated || o.timed_out,
                ..Exec::default()
            }
        }
    }
}

fn owned_args(c: &Cmd, item: Option<&str>) -> Vec<String> {
    c.args
        .iter()
        .map(|a| match item {
            Some(it) => a.replace("{item}", it),
            None => (*a).to_string(),
        })
        .collect()
}

/// Items of a fan-out: the value after the first `:` on lines containing `marker`.
#[must_use]
pub fn fan_out_items(listing: &[u8], marker: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(listing);
    let mut seen = HashSet::new();
    text.lines()
        .filter(|l| l.contains(marker))
        .filter_map(|l| l.split_once(':').map(|(_, v)| v.trim().to_string()))
        .filter(|v| !v.is_empty() && seen.insert(v.clone()))
        .collect()
}

fn hns_response(text: String) -> Exec {
    let err = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .filter(|v| v.get("Success").and_then(serde_json::Value::as_bool) == Some(false))
        .map(|v| {
            format!(
                "HNS error: {}",
                v.get("Error")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("Success=false")
            )
        });
    Exec {
        status: if err.is_some() {
            SourceStatus::Failed
        } else {
            SourceStatus::Ok
        },
        output: Output::File(text.into_bytes()),
        error: err,
        ..Exec::default()
    }
}

fn json_bytes(v: &serde_json::Value) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).unwrap_or_default();
    b.push(b'\n');
    b
}

fn file_name_for(path: &str, used: &mut HashSet<String>) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let segs = hnsdoctor_host::glob::segments(path);
    let base = clean(segs.last().copied().unwrap_or("file"));
    let mut name = base.clone();
    if used.contains(&name.to_ascii_lowercase()) && segs.len() >= 2 {
        name = format!("{}_{base}", clean(segs[segs.len() - 2]));
    }
    let mut n = 2;
    while used.contains(&name.to_ascii_lowercase()) {
        name = format!("{base}~{n}");
        n += 1;
    }
    used.insert(name.to_ascii_lowercase());
    name
}

/// Execute one source on the calling thread.
fn execute(host: &dyn Host, s: &'static SourceDef, ctx: &Ctx) -> Exec {
    let max = ctx.max;
    match s.via {
        Via::Hcn { kind, schema } => {
            let q = if schema == 1 {
                HcnQuery::V1_DETAILED
            } else {
                HcnQuery::V2_DETAILED
            };
            match host.hcn_list(kind, q) {
                Err(e) => Exec::failed(&e),
                Ok(json) => {
                    let (bytes, truncated) = cap(json.into_bytes(), max);
                    Exec {
                        output: Output::File(bytes),
                        truncated,
                        ..Exec::default()
                    }
                }
            }
        }
        Via::HnsCall { method, path } => match host.hns_call(method, path, "") {
            Err(e) => Exec::failed(&e),
            Ok(text) => {
                let mut ex = hns_response(text);
                if let Output::File(b) = std::mem::take(&mut ex.output) {
                    let (b, t) = cap(b, max);
                    ex.output = Output::File(b);
                    ex.truncated = t;
                }
                ex
            }
        },
        Via::Command(c) => run_streamed(
            host,
            ctx.request(c.program, owned_args(&c, None), ctx.timeout),
            ctx,
            s.path(),
        ),
        Via::PowerShell(p) => {
            run_streamed(host, powershell_request(ctx, p, ctx.timeout), ctx, s.path())
        }
        Via::Commands(cmds) => run_seq(host, cmds, ctx, max),
        Via::FanOut {
            marker, per_item, ..
        } => run_fan_out(host, marker, per_item, ctx, max),
        Via::Registry(keys) => {
            let mut arr = Vec::new();
            let mut errors = Vec::new();
            for k in keys {
                match host.registry_key(k) {
                    Ok(key) => arr.push(serde_json::to_value(key).unwrap_or_default()),
                    Err(e) => {
                        errors.push(format!("{k}: {e}"));
                        arr.push(serde_json::json!({ "path": k, "error": e.to_string() }));
                    }
                }
            }
            let any_ok = errors.len() < keys.len();
            let (bytes, truncated) = cap(json_bytes(&serde_json::Value::Array(arr)), max);
            Exec {
                status: if any_ok {
                    SourceStatus::Ok
                } else {
                    SourceStatus::Failed
                },
                output: if any_ok {
                    Output::File(bytes)
                } else {
                    Output::None
                },
                error: (!errors.is_empty()).then(|| errors.join("; ")),
                truncated,
                ..Exec::default()
            }
        }
        Via::FileMeta(paths) => {
            let mut arr = Vec::new();
            let mut errors = Vec::new();
            for p in paths {
                match host.metadata(p) {
                    Ok(m) => {
                        let modified = m
                            .modified_unix
                            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
                        // The shape of `Get-Item | Select FullName, Length, LastWriteTimeUtc`.
                        arr.push(serde_json::json!({
                            "FullName": p, "Length": m.len, "LastWriteTimeUtc": modified,
                            "PSIsContainer": m.is_dir
                        }));
                    }
                    Err(e) => {
                        errors.push(format!("{p}: {e}"));
                        arr.push(serde_json::json!({ "FullName": p, "error": e.to_string() }));
                    }
                }
            }
            let any_ok = errors.len() < paths.len();
            let doc = if arr.len() == 1 {
                arr.pop().unwrap_or_default()
            } else {
                serde_json::Value::Array(arr)
            };
            Exec {
                status: if any_ok {
                    SourceStatus::Ok
                } else {
                    SourceStatus::Failed
                },
                output: Output::File(json_bytes(&doc)),
                error: (!errors.is_empty()).then(|| errors.join("; ")),
                ..Exec::default()
            }
        }
        Via::Process(name) => match host.processes(name) {
            Err(e) => Exec::failed(&e),
            Ok(ps) => Exec {
                // The shape of `Get-Process | Select Id, ProcessName, ThreadCount, WorkingSet64`.
                output: Output::File(json_bytes(&serde_json::Value::Array(
                    ps.iter()
                        .map(|p| {
                            serde_json::json!({
                                "Id": p.pid, "ProcessName": p.name,
                                "ThreadCount": p.threads, "WorkingSet64": p.working_set_bytes
                            })
                        })
                        .collect(),
                ))),
                error: ps
                    .is_empty()
                    .then(|| format!("no running process for {name}")),
                ..Exec::default()
            },
        },
        Via::Events(channel) => {
            let wevtutil = resolve_tool("wevtutil.exe", ctx.folders.as_ref());
            let req = events_request(&wevtutil, channel, ctx.since_hours, ctx.timeout, max);
            let mut ex = run_streamed(host, req, ctx, s.path());
            if ex.status == SourceStatus::Timeout && !ex.output.is_empty() {
                ex.error = Some(format!(
                    "{}; the newest events exported before the timeout are kept",
                    ex.error.unwrap_or_default()
                ));
            }
            ex
        }
        Via::Files { globs, max_files } => copy_files(host, s, globs, max_files, ctx),
    }
}

/// Whether bytes look like UTF-16LE text (BOM, or NULs in most odd positions).
fn looks_utf16le(head: &[u8]) -> bool {
    if head.starts_with(&[0xff, 0xfe]) {
        return true;
    }
    let pairs = head.len() / 2;
    pairs >= 4
        && head.iter().skip(1).step_by(2).filter(|b| **b == 0).count() * 10 >= pairs * 8
        && !head.iter().step_by(2).any(|b| *b == 0)
}

/// What copying one file produced.
struct Copied {
    truncated: bool,
    redacted: Vec<(String, u32)>,
}

/// Copy one opened file into `out` through the redactor: 8-bit text line by line (a cut first
/// line is dropped when only the tail is copied), UTF-16LE text decoded, redacted and written
/// back as UTF-16LE with BOM, binary data verbatim but only whole.
fn copy_one(
    mut reader: Box<dyn Read + Send>,
    truncated: bool,
    odd_start: bool,
    out: &mut dyn Write,
) -> Result<Option<Copied>, String> {
    let mut head = vec![0u8; 16 * 1024];
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    head.truncate(n);
    let mut red = Redactor::new();
    let werr = |e: std::io::Error| e.to_string();
    if looks_utf16le(&head) {
        let mut all = head;
        reader.read_to_end(&mut all).map_err(werr)?;
        let start = if all.starts_with(&[0xff, 0xfe]) {
            2
        } else {
            usize::from(odd_start)
        };
        let body = all.get(start..).unwrap_or_default();
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(body);
        out.write_all(&[0xff, 0xfe]).map_err(werr)?;
        for line in text.split_inclusive('\n') {
            let r = red.line(line.as_bytes());
            let s = String::from_utf8_lossy(&r);
            let units: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
            out.write_all(&units).map_err(werr)?;
        }
        return Ok(Some(Copied {
            truncated,
            redacted: red.findings(),
        }));
    }
    if head.contains(&0) {
        // Binary (etl, cab, evtx…): its tail is useless and it cannot be redacted.
        if truncated {
            return Ok(None);
        }
        out.write_all(&head).map_err(werr)?;
        std::io::copy(&mut reader, out).map_err(werr)?;
        return Ok(Some(Copied {
            truncated: false,
            redacted: Vec::new(),
        }));
    }
    let mut r = std::io::BufReader::new(std::io::Cursor::new(head).chain(reader));
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        let k = r.read_until(b'\n', &mut line).map_err(werr)?;
        if k == 0 {
            break;
        }
        if first && truncated {
            first = false;
            continue; // the cut line at the start of a tail
        }
        first = false;
        out.write_all(&red.line(&line)).map_err(werr)?;
    }
    Ok(Some(Copied {
        truncated,
        redacted: red.findings(),
    }))
}

fn copy_files(host: &dyn Host, s: &SourceDef, globs: &[&str], max_files: usize, ctx: &Ctx) -> Exec {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for g in globs {
        match host.glob(g) {
            Ok(f) => found.extend(f),
            Err(e) => errors.push(format!("{g}: {e}")),
        }
    }
    if found.is_empty() {
        if errors.is_empty() {
            return Exec::skipped(format!("no file matches {}", globs.join(", ")));
        }
        return Exec {
            status: SourceStatus::Failed,
            error: Some(errors.join("; ")),
            ..Exec::default()
        };
    }
    let mut truncated = false;
    if found.len() > max_files {
        errors.push(format!(
            "{} files match; the first {max_files} are kept",
            found.len()
        ));
        found.truncate(max_files);
        truncated = true;
    }
    let dir = s.path().trim_end_matches('/');
    let mut used = HashSet::new();
    let mut mem: Vec<(String, Vec<u8>, bool)> = Vec::new();
    let mut written: Vec<(String, bool)> = Vec::new();
    let mut withheld = Vec::new();
    let mut redacted = Vec::new();
    let mut left = ctx.max_total;
    for f in found {
        if Instant::now() >= ctx.deadline {
            errors.push("time budget used up; remaining files not copied".into());
            truncated = true;
            break;
        }
        if left == 0 {
            errors.push(format!(
                "size cap of the source ({} bytes) reached; remaining files not copied",
                ctx.max_total
            ));
            truncated = true;
            break;
        }
        let ext = f
            .path
            .rsplit(['\\', '/'])
            .next()
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if !s.only_ext.is_empty() && !s.only_ext.contains(&ext.as_str()) {
            withheld.push(Withheld {
                path: f.path.clone(),
                reason: withhold_reason(&f.path, &[]).unwrap_or_else(|| {
                    format!("not copied: only {} files are", s.only_ext.join(", "))
                }),
            });
            continue;
        }
        if let Some(why) = withhold_reason(&f.path, &[]) {
            withheld.push(Withheld {
                path: f.path.clone(),
                reason: why,
            });
            continue;
        }
        let file_cap = ctx.max.min(left);
        let (reader, meta) = match host.open_file(&f.path, file_cap) {
            Ok(x) => x,
            Err(e) => {
                errors.push(format!("{}: {e}", f.path));
                continue;
            }
        };
        // Read the head once for the content check, then copy head + rest.
        let mut reader = reader;
        let mut head = Vec::new();
        if let Err(e) = (&mut reader).take(16 * 1024).read_to_end(&mut head) {
            errors.push(format!("{}: {e}", f.path));
            continue;
        }
        if let Some(why) = withhold_reason(&f.path, &head) {
            withheld.push(Withheld {
                path: f.path.clone(),
                reason: why,
            });
            continue;
        }
        let name = file_name_for(&f.path, &mut used);
        let rel = format!("{dir}/{name}");
        let whole: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(head).chain(reader));
        let odd = meta.truncated && (meta.total_len - file_cap) % 2 == 1;
        let result = match ctx.out_dir.as_deref() {
            Some(root) => {
                let p = bundle_file(root, &rel);
                let file = make_parent(root, &p).and_then(|()| std::fs::File::create(&p));
                match file {
                    Err(e) => Err(format!("{}: {e}", p.display())),
                    Ok(file) => {
                        let mut w = std::io::BufWriter::new(file);
                        let r = copy_one(whole, meta.truncated, odd, &mut w);
                        let r = r.and_then(|c| w.flush().map(|()| c).map_err(|e| e.to_string()));
                        if !matches!(r, Ok(Some(_))) {
                            drop(w);
                            let _ = std::fs::remove_file(&p);
                        }
                        r.map(|c| c.map(|c| (c, None)))
                    }
                }
            }
            None => {
                let mut buf = Vec::new();
                copy_one(whole, meta.truncated, odd, &mut buf).map(|c| c.map(|c| (c, Some(buf))))
            }
        };
        match result {
            Err(e) => errors.push(format!("{}: {e}", f.path)),
            Ok(None) => errors.push(format!(
                "{}: binary file larger than the cap ({} bytes): not copied",
                f.path, meta.total_len
            )),
            Ok(Some((c, bytes))) => {
                truncated |= c.truncated;
                for (what, count) in c.redacted {
                    redacted.push(Redacted {
                        path: rel.clone(),
                        what,
                        count,
                    });
                }
                let len = match bytes {
                    Some(b) => {
                        let n = b.len() as u64;
                        mem.push((name, b, c.truncated));
                        n
                    }
                    None => {
                        let n = ctx
                            .out_dir
                            .as_deref()
                            .and_then(|root| std::fs::metadata(bundle_file(root, &rel)).ok())
                            .map_or(0, |m| m.len());
                        written.push((rel, c.truncated));
                        n
                    }
                };
                left = left.saturating_sub(len);
                if c.truncated && file_cap < ctx.max {
                    // Cut by what was left of the source's cap: the cap is used up.
                    left = 0;
                }
            }
        }
    }
    let any = !mem.is_empty() || !written.is_empty();
    Exec {
        status: if any || (errors.is_empty() && !withheld.is_empty()) {
            SourceStatus::Ok
        } else {
            SourceStatus::Failed
        },
        output: if !written.is_empty() {
            Output::Written(written)
        } else if !mem.is_empty() {
            Output::Folder(mem)
        } else {
            Output::None
        },
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        truncated,
        withheld,
        redacted,
        ..Exec::default()
    }
}

fn run_seq(host: &dyn Host, cmds: &[Cmd], ctx: &Ctx, max: u64) -> Exec {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut oks = 0usize;
    let mut timed_out = false;
    let mut truncated = false;
    for c in cmds {
        let left = ctx.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            timed_out = true;
            errors.push(format!("{}: not run, time used up", c.display()));
            continue;
        }
        let ex = run_req(host, &ctx.request(c.program, owned_args(c, None), left));
        truncated |= ex.truncated;
        if let Output::File(b) = ex.output {
            out.extend_from_slice(&b);
        }
        match ex.status {
            SourceStatus::Ok => oks += 1,
            SourceStatus::Timeout => {
                timed_out = true;
                errors.push(format!("{}: timed out", c.display()));
            }
            _ => errors.push(format!(
                "{}: {}",
                c.display(),
                ex.error.unwrap_or_else(|| "failed".into())
            )),
        }
    }
    let (out, t) = cap(out, max);
    Exec {
        status: if oks == cmds.len() {
            SourceStatus::Ok
        } else if timed_out && oks == 0 {
            SourceStatus::Timeout
        } else if oks == 0 {
            SourceStatus::Failed
        } else {
            SourceStatus::Ok
        },
        output: if out.is_empty() {
            Output::None
        } else {
            Output::File(out)
        },
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        truncated: truncated || t,
        ..Exec::default()
    }
}

fn run_fan_out(host: &dyn Host, marker: &str, per_item: &[Cmd], ctx: &Ctx, max: u64) -> Exec {
    let items = ctx
        .dep
        .as_deref()
        .map(|d| fan_out_items(d, marker))
        .unwrap_or_default();
    if items.is_empty() {
        return Exec {
            output: Output::File(b"(no items listed)\n".to_vec()),
            error: Some("the listing named no items".into()),
            ..Exec::default()
        };
    }
    let mut out = Vec::new();
    let mut failures = 0usize;
    let mut done_items = 0usize;
    let mut stopped = false;
    'items: for item in &items {
        for c in per_item {
            let left = ctx.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                stopped = true;
                break 'items;
            }
            let args = owned_args(c, Some(item));
            let line = std::iter::once(c.program.to_string())
                .chain(args.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            out.extend_from_slice(format!("==== {line} ====\n").as_bytes());
            let ex = run_req(
                host,
                &ctx.request(c.program, args, ctx.scale_item_timeout.min(left)),
            );
            if let Output::File(b) = ex.output {
                out.extend_from_slice(&b);
                if !b.ends_with(b"\n") {
                    out.push(b'\n');
                }
            }
            if ex.status != SourceStatus::Ok {
                failures += 1;
                out.extend_from_slice(
                    format!("(failed: {})\n", ex.error.unwrap_or_default()).as_bytes(),
                );
            }
        }
        done_items += 1;
    }
    let total_cmds = items.len() * per_item.len();
    let (out, t) = cap(out, max);
    let mut errors = Vec::new();
    if stopped {
        errors.push(format!(
            "time budget used up after {done_items} of {} items",
            items.len()
        ));
    }
    if failures > 0 {
        errors.push(format!("{failures} of {total_cmds} commands failed"));
    }
    Exec {
        status: if failures == total_cmds {
            SourceStatus::Failed
        } else {
            SourceStatus::Ok
        },
        output: Output::File(out),
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        truncated: t || stopped,
        ..Exec::default()
    }
}

fn dependency(s: &SourceDef) -> Option<&'static str> {
    match s.via {
        Via::FanOut { from, .. } => Some(from),
        _ => None,
    }
}

struct Running {
    start: Instant,
    deadline: Instant,
}

/// Take up to `want` bytes from the bundle's budget; returns what was taken.
fn reserve(left: &AtomicU64, want: u64) -> u64 {
    let mut got = 0;
    let _ = left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| {
        got = l.min(want);
        Some(l - got)
    });
    got
}

/// The features the selected sources need that the host does not have (probed once each).
fn absent_features(host: &dyn Host, sources: &[&'static SourceDef]) -> Vec<Requirement> {
    let mut needed: Vec<Requirement> = Vec::new();
    for r in sources.iter().filter_map(|s| s.requires) {
        if !needed.contains(&r) {
            needed.push(r);
        }
    }
    needed
        .into_iter()
        .filter(|r| {
            matches!(
                host.registry_key(r.probe_key()),
                Err(HostError::NotFound(_))
            )
        })
        .collect()
}

/// How a source's output text is encoded, as far as the collector knows.
#[must_use]
pub fn encoding_of(s: &SourceDef) -> Option<&'static str> {
    match s.via {
        Via::Command(_) | Via::Commands(_) | Via::FanOut { .. } => Some("oem"),
        Via::PowerShell(_) => Some("utf-8"),
        Via::Events(_) => Some("utf-16le"),
        _ => None,
    }
}

/// Run `sources` on `host`. Calls `on_progress` for every start and end, and `on_result` once per
/// source (in completion order). Returns when every source has a result; in-process calls that
/// overran their deadline are abandoned (their threads end when the call returns).
pub fn run(
    host: &Arc<dyn Host>,
    sources: &[&'static SourceDef],
    opts: &RunOptions,
    on_progress: &mut dyn FnMut(&Progress),
    on_result: &mut dyn FnMut(Collected),
) {
    let jobs = opts.jobs.max(1);
    let selected: HashSet<&str> = sources.iter().map(|s| s.id).collect();
    let needed: HashSet<&str> = sources.iter().filter_map(|s| dependency(s)).collect();
    let mut dep_out: HashMap<&str, Option<Vec<u8>>> = HashMap::new();
    let mut pending: VecDeque<usize> = (0..sources.len()).collect();
    let mut running: BTreeMap<usize, Running> = BTreeMap::new();
    let mut sub_start: HashMap<&str, Instant> = HashMap::new();
    let (tx, rx) = mpsc::channel::<(usize, Exec)>();
    let grace = opts
        .scale(Duration::from_secs(2))
        .max(Duration::from_millis(50));
    let folders = host.known_folders();
    let absent = absent_features(host.as_ref(), sources);
    let budget_left = Arc::new(AtomicU64::new(opts.bundle_max_bytes));
    let reserved: std::cell::RefCell<HashMap<usize, u64>> = std::cell::RefCell::default();

    let mut finish = |idx: usize,
                      ex: Exec,
                      start: Instant,
                      dep_out: &mut HashMap<&str, Option<Vec<u8>>>,
                      on_progress: &mut dyn FnMut(&Progress)| {
        let s = sources[idx];
        let duration = start.elapsed();
        if needed.contains(s.id) {
            let keep = match (&ex.status, &ex.output) {
                (SourceStatus::Ok, Output::File(b)) => Some(b.clone()),
                // A listing streamed into the bundle is read back for its dependants.
                (SourceStatus::Ok, Output::Written(f)) => f.first().and_then(|(rel, _)| {
                    std::fs::read(bundle_file(opts.out_dir.as_deref()?, rel)).ok()
                }),
                _ => None,
            };
            dep_out.insert(s.id, keep);
        }
        on_progress(&Progress::Finished {
            id: s.id,
            status: ex.status,
            duration,
            error: ex.error.clone(),
        });
        if let Some(r) = reserved.borrow_mut().remove(&idx) {
            let used = ex.output.len(opts.out_dir.as_deref());
            budget_left.fetch_add(r.saturating_sub(used), Ordering::SeqCst);
        }
        on_result(Collected {
            source: s,
            status: ex.status,
            output: ex.output,
            exit_code: ex.exit_code,
            error: ex.error,
            duration,
            truncated: ex.truncated,
            encoding: encoding_of(s),
            withheld: ex.withheld,
            redacted: ex.redacted,
        });
    };

    // How often a cancellation is noticed while sources run.
    let poll = Duration::from_millis(100);
    loop {
        if opts.cancelled() {
            // Let the sources writing into the bundle finish (up to the grace period) so the
            // caller can remove the staging folder; hung ones are abandoned.
            let until = Instant::now() + grace;
            while !running.is_empty() {
                let left = until.saturating_duration_since(Instant::now());
                match rx.recv_timeout(left) {
                    Ok((idx, _)) => {
                        running.remove(&idx);
                    }
                    Err(_) => break,
                }
            }
            return;
        }
        let mut i = 0;
        while running.len() < jobs && i < pending.len() {
            let idx = pending[i];
            let s = sources[idx];
            let dep = dependency(s);
            if let Some(d) = dep {
                if selected.contains(d) && !dep_out.contains_key(d) {
                    i += 1;
                    continue; // wait for the listing
                }
            }
            pending.remove(i);
            let now = Instant::now();
            if s.admin_required && !opts.admin {
                on_progress(&Progress::Started { id: s.id });
                finish(
                    idx,
                    Exec::skipped("needs administrator rights (run hnsdoctor elevated)"),
                    now,
                    &mut dep_out,
                    on_progress,
                );
                continue;
            }
            if let Some(req) = s.requires.filter(|r| absent.contains(r)) {
                on_progress(&Progress::Started { id: s.id });
                finish(
                    idx,
                    Exec::skipped(req.absent_reason()),
                    now,
                    &mut dep_out,
                    on_progress,
                );
                continue;
            }
            let dep_bytes = match dep {
                Some(d) => match dep_out.get(d) {
                    Some(Some(b)) => Some(b.clone()),
                    _ => {
                        on_progress(&Progress::Started { id: s.id });
                        finish(
                            idx,
                            Exec::skipped(format!("needs the output of {d}, which is missing")),
                            now,
                            &mut dep_out,
                            on_progress,
                        );
                        continue;
                    }
                },
                None => None,
            };
            let sub = s.subsystem();
            let sub_first = *sub_start.entry(sub).or_insert(now);
            let overridden = opts.timeout_overrides.get(s.id).copied();
            let mut timeout = overridden.unwrap_or_else(|| opts.scale(s.timeout));
            if let Some(b) = sources::budget(sub).filter(|_| overridden.is_none()) {
                let left = opts.scale(b).saturating_sub(now - sub_first);
                if left.is_zero() {
                    on_progress(&Progress::Started { id: s.id });
                    finish(
                        idx,
                        Exec::skipped(format!(
                            "time budget of the {sub} subsystem used up ({} s)",
                            opts.scale(b).as_secs()
                        )),
                        now,
                        &mut dep_out,
                        on_progress,
                    );
                    continue;
                }
                timeout = timeout.min(left);
            }
            let item_timeout = match s.via {
                Via::FanOut {
                    per_command_timeout,
                    ..
                } if overridden.is_none() => opts.scale(per_command_timeout),
                _ => timeout,
            };
            let want = if matches!(s.via, Via::Files { .. }) {
                s.max_total_bytes
            } else {
                s.max_bytes
            };
            let got = reserve(&budget_left, want);
            if got == 0 {
                on_progress(&Progress::Started { id: s.id });
                finish(
                    idx,
                    Exec::skipped(format!(
                        "size cap of the bundle ({} bytes) reached",
                        opts.bundle_max_bytes
                    )),
                    now,
                    &mut dep_out,
                    on_progress,
                );
                continue;
            }
            reserved.borrow_mut().insert(idx, got);
            let ctx = Ctx {
                timeout,
                deadline: now + timeout,
                since_hours: opts.since_hours,
                scale_item_timeout: item_timeout,
                dep: dep_bytes,
                max: s.max_bytes.min(got),
                max_total: got,
                out_dir: opts.out_dir.clone(),
                folders: folders.clone(),
            };
            on_progress(&Progress::Started { id: s.id });
            let h = Arc::clone(host);
            let tx = tx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("src-{}", s.id))
                .spawn(move || {
                    let ex = execute(h.as_ref(), s, &ctx);
                    let _ = tx.send((idx, ex));
                });
            match spawned {
                Ok(_) => {
                    running.insert(
                        idx,
                        Running {
                            start: now,
                            deadline: now + timeout + grace,
                        },
                    );
                }
                Err(e) => finish(
                    idx,
                    Exec {
                        status: SourceStatus::Failed,
                        error: Some(format!("could not start a worker thread: {e}")),
                        ..Exec::default()
                    },
                    now,
                    &mut dep_out,
                    on_progress,
                ),
            }
        }
        if running.is_empty() {
            if pending.is_empty() {
                break;
            }
            // Only sources waiting for a dependency that will never come: skip them.
            while let Some(idx) = pending.pop_front() {
                on_progress(&Progress::Started {
                    id: sources[idx].id,
                });
                finish(
                    idx,
                    Exec::skipped("dependency did not run"),
                    Instant::now(),
                    &mut dep_out,
                    on_progress,
                );
            }
            break;
        }
        let next = running
            .values()
            .map(|r| r.deadline)
            .min()
            .unwrap_or_else(Instant::now);
        let wait = next.saturating_duration_since(Instant::now());
        let wait = if opts.cancel.is_some() {
            wait.min(poll)
        } else {
            wait
        };
        match rx.recv_timeout(wait) {
            Ok((idx, ex)) => {
                // A late answer from an abandoned call is ignored.
                if let Some(r) = running.remove(&idx) {
                    finish(idx, ex, r.start, &mut dep_out, on_progress);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                let expired: Vec<usize> = running
                    .iter()
                    .filter(|(_, r)| r.deadline <= now)
                    .map(|(i, _)| *i)
                    .collect();
                for idx in expired {
                    if let Some(r) = running.remove(&idx) {
                        let ex = Exec {
                            status: SourceStatus::Timeout,
                            error: Some(format!(
                                "no answer within {} ms; call abandoned",
                                (r.deadline - r.start).as_millis()
                            )),
                            ..Exec::default()
                        };
                        finish(idx, ex, r.start, &mut dep_out, on_progress);
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fan_out_items_from_vfpctrl_listing() {
        let listing = b"ITEM LIST\n===========\n\n  Port name            : 1F1E5F2B-AAAA\n  Port Friendly name   : x\n  Port name            : 2C9A-BBBB\n  Port name            : 2C9A-BBBB\n";
        assert_eq!(
            fan_out_items(listing, "Port name"),
            vec!["1F1E5F2B-AAAA", "2C9A-BBBB"]
        );
        assert!(fan_out_items(b"nothing here", "Port name").is_empty());
    }

    #[test]
    fn file_names_stay_unique() {
        let mut used = HashSet::new();
        assert_eq!(file_name_for(r"C:\k\kubelet.log", &mut used), "kubelet.log");
        assert_eq!(
            file_name_for(r"C:\var\log\kubelet\kubelet.log", &mut used),
            "kubelet_kubelet.log"
        );
        assert_eq!(
            file_name_for(r"C:\x\kubelet\kubelet.log", &mut used),
            "kubelet.log~2"
        );
        assert_eq!(file_name_for(r"C:\a b\c:d.log", &mut used), "c_d.log");
    }

    #[test]
    fn scale_is_bounded_and_sane() {
        let o = RunOptions {
            timeout_scale: 0.01,
            ..RunOptions::default()
        };
        assert_eq!(o.scale(Duration::from_secs(10)), Duration::from_millis(100));
        let bad = RunOptions {
            timeout_scale: f64::NAN,
            ..RunOptions::default()
        };
        assert_eq!(bad.scale(Duration::from_secs(3)), Duration::from_secs(3));
    }

    #[test]
    fn hns_success_false_is_a_failure_with_text() {
        let ex = hns_response(r#"{"Success":false,"Error":"Element not found."}"#.into());
        assert_eq!(ex.status, SourceStatus::Failed);
        assert_eq!(ex.error.as_deref(), Some("HNS error: Element not found."));
        let ok = hns_response(r#"{"Success":true,"Output":{"Major":9}}"#.into());
        assert_eq!(ok.status, SourceStatus::Ok);
    }
}
