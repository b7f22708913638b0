//! The runner: sources run concurrently on a bounded number of worker threads (`--jobs`), each
//! with its own timeout (a command's process tree is killed by the host; an in-process call that
//! does not return is abandoned at its deadline), its own size cap and captured stderr, and a
//! time budget per subsystem. A failing or hanging source never stops the others; every attempt
//! becomes one result. Progress goes to a callback — nothing here prints.
//!
//! Read-only by design: the runner only executes what the table declares, and the table's
//! conformance test asserts that no source has `mutates: true`.

use crate::source::{Cmd, Source, Via};
use crate::sources;
use hnsdoctor_bundle::manifest::SourceStatus;
use hnsdoctor_host::{CommandRequest, HcnQuery, Host, HostError};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
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
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            jobs: 8,
            since_hours: 24,
            timeout_scale: 1.0,
            admin: true,
        }
    }
}

impl RunOptions {
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
}

/// The result of one source attempt.
#[derive(Debug, Clone)]
pub struct Collected {
    /// The table entry.
    pub source: &'static Source,
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
}

/// The outcome of executing a source (before timing is attached).
#[derive(Debug, Clone, Default)]
struct Exec {
    status: SourceStatus,
    output: Output,
    exit_code: Option<i64>,
    error: Option<String>,
    truncated: bool,
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
}

/// The PowerShell command line for an inline pipeline (no script file, no profile).
#[must_use]
pub fn powershell_args(pipeline: &str) -> Vec<String> {
    vec![
        "-NoProfile".into(),
        "-NonInteractive".into(),
        "-Command".into(),
        format!("$ProgressPreference='SilentlyContinue'; {pipeline} | Out-String -Width 4096"),
    ]
}

fn cap(bytes: Vec<u8>, max: u64) -> (Vec<u8>, bool) {
    hnsdoctor_host::keep_tail(bytes, max)
}

fn run_cmd(host: &dyn Host, program: &str, args: Vec<String>, timeout: Duration, max: u64) -> Exec {
    let req = CommandRequest {
        program: program.to_string(),
        args,
        timeout,
        max_bytes: max,
    };
    match host.run(&req) {
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
                _ if o.stdout.is_empty() => Some("the command printed nothing".into()),
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
                truncated: o.truncated,
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
fn execute(host: &dyn Host, s: &'static Source, ctx: &Ctx) -> Exec {
    let max = s.max_bytes;
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
        Via::Command(c) => run_cmd(host, c.program, owned_args(&c, None), ctx.timeout, max),
        Via::PowerShell(p) => run_cmd(host, "powershell.exe", powershell_args(p), ctx.timeout, max),
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
            match host.export_events(channel, ctx.since_hours, ctx.timeout, max) {
                Err(e) => Exec::failed(&e),
                Ok(d) => Exec {
                    output: Output::File(d.bytes),
                    truncated: d.truncated,
                    ..Exec::default()
                },
            }
        }
        Via::Files { globs, max_files } => copy_files(host, globs, max_files, max, ctx),
    }
}

fn copy_files(host: &dyn Host, globs: &[&str], max_files: usize, max: u64, ctx: &Ctx) -> Exec {
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
    let mut used = HashSet::new();
    let mut files = Vec::new();
    for f in found {
        if Instant::now() >= ctx.deadline {
            errors.push("time budget used up; remaining files not copied".into());
            truncated = true;
            break;
        }
        match host.read_file(&f.path, max) {
            Ok(d) => {
                truncated |= d.truncated;
                files.push((file_name_for(&f.path, &mut used), d.bytes, d.truncated));
            }
            Err(e) => errors.push(format!("{}: {e}", f.path)),
        }
    }
    Exec {
        status: if files.is_empty() {
            SourceStatus::Failed
        } else {
            SourceStatus::Ok
        },
        output: Output::Folder(files),
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        truncated,
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
        let ex = run_cmd(host, c.program, owned_args(c, None), left, max);
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
            let ex = run_cmd(host, c.program, args, ctx.scale_item_timeout.min(left), max);
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

fn dependency(s: &Source) -> Option<&'static str> {
    match s.via {
        Via::FanOut { from, .. } => Some(from),
        _ => None,
    }
}

struct Running {
    start: Instant,
    deadline: Instant,
}

/// Run `sources` on `host`. Calls `on_progress` for every start and end, and `on_result` once per
/// source (in completion order). Returns when every source has a result; in-process calls that
/// overran their deadline are abandoned (their threads end when the call returns).
pub fn run(
    host: &Arc<dyn Host>,
    sources: &[&'static Source],
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
        on_result(Collected {
            source: s,
            status: ex.status,
            output: ex.output,
            exit_code: ex.exit_code,
            error: ex.error,
            duration,
            truncated: ex.truncated,
        });
    };

    loop {
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
            let mut timeout = opts.scale(s.timeout);
            if let Some(b) = sources::budget(sub) {
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
                } => opts.scale(per_command_timeout),
                _ => timeout,
            };
            let ctx = Ctx {
                timeout,
                deadline: now + timeout,
                since_hours: opts.since_hours,
                scale_item_timeout: item_timeout,
                dep: dep_bytes,
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
        match rx.recv_timeout(next.saturating_duration_since(Instant::now())) {
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
