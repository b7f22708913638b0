//! `collect --drops <duration>`: a drops-only Packet Monitor capture, off by default.
//!
//! Steps, each recorded in the manifest as a source of its own (with its latency):
//! 1. `pktmon status` — when another session is running the capture is **refused** (before the
//!    collection starts, see [`preflight`]), unless `--drops-take-over` was given: then that
//!    session is stopped first and the manifest says so. pktmon.exe has one session per host
//!    (the Pktmon API's private sessions of WS2022 are not used yet), so hnsdoctor never stops
//!    a capture it did not start without being told to.
//! 2. `pktmon counters --json` before, and the component map `pktmon list --json` taken with the
//!    trace (component ids change across reboots).
//! 3. `pktmon start -c --comp all --type drop --pkt-size 128 -m circular -s <MB> -f <bundle>\pktmon\drops.etl`
//!    — drops only, headers only, a circular file of bounded size; then wait `<duration>`
//!    (1 s … [`MAX_DURATION`]); then `pktmon stop`, which is attempted whatever happened after a
//!    successful start.
//! 4. `pktmon counters --json` after; `pktmon etl2txt` of the trace into `pktmon/drops.txt`
//!    (cut to [`DropsOptions::max_text_bytes`], head kept: the component map is at the start).
//! 5. `pktmon/capture.json`: duration, bounds, whether a session was taken over.

use crate::runner::{Collected, Output};
use crate::source::{secs, Cmd, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;
use hnsdoctor_bundle::manifest::SourceStatus;
use hnsdoctor_host::{resolve_tool, CommandRequest, Host, Keep};
use std::path::Path;
use std::time::{Duration, Instant};
use thiserror::Error;

/// Longest capture allowed.
pub const MAX_DURATION: Duration = secs(600);
/// Shortest capture allowed.
pub const MIN_DURATION: Duration = secs(1);
/// Default size of the circular ETL file, in MiB.
pub const DEFAULT_ETL_MB: u32 = 64;

/// Why a drops capture cannot run.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DropsError {
    /// Another Packet Monitor session is running.
    #[error(
        "another Packet Monitor session is running on this host (pktmon status: {0}); hnsdoctor \
         does not stop a capture it did not start: wait for it to end, or pass --drops-take-over \
         to stop it and capture drops"
    )]
    SessionActive(String),
    /// The duration is out of bounds.
    #[error("--drops duration must be between 1s and 10m, got {0:?}")]
    Duration(Duration),
    /// The ETL size is out of bounds.
    #[error("--drops-max-mb must be between 1 and 1024, got {0}")]
    Size(u32),
    /// `pktmon status` could not run (pktmon missing, not elevated).
    #[error("pktmon status failed: {0}")]
    Status(String),
}

/// Options of the drops capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropsOptions {
    /// How long to capture.
    pub duration: Duration,
    /// Size of the circular ETL file in MiB.
    pub etl_mb: u32,
    /// Cap of the `etl2txt` text in the bundle.
    pub max_text_bytes: u64,
    /// Stop another running session first (`--drops-take-over`).
    pub take_over: bool,
}

impl DropsOptions {
    /// Options with bounds checked.
    ///
    /// # Errors
    /// [`DropsError::Duration`] / [`DropsError::Size`] when out of bounds.
    pub fn new(duration: Duration, etl_mb: u32, take_over: bool) -> Result<Self, DropsError> {
        if !(MIN_DURATION..=MAX_DURATION).contains(&duration) {
            return Err(DropsError::Duration(duration));
        }
        if !(1..=1024).contains(&etl_mb) {
            return Err(DropsError::Size(etl_mb));
        }
        Ok(Self {
            duration,
            etl_mb,
            max_text_bytes: u64::from(etl_mb) * 4 * MIB,
            take_over,
        })
    }
}

const fn pk(args: &'static [&'static str]) -> Via {
    Via::Command(Cmd {
        program: "pktmon.exe",
        args,
    })
}

/// `pktmon start` for the drops-only capture: one list for the manifest (with its `{mb}` and
/// `{etl}` placeholders) and for the run (placeholders filled).
const START_ARGS: &[&str] = &[
    "start",
    "-c",
    "--comp",
    "all",
    "--type",
    "drop",
    "--pkt-size",
    "128",
    "-m",
    "circular",
    "-s",
    "{mb}",
    "-f",
    "{etl}",
];

/// The manifest entries of the capture's steps (not part of the default table).
pub const STEPS: &[SourceDef] = &[
    SourceDef {
        id: "pktmon.status",
        what: "Packet Monitor session state before the drops capture",
        via: pk(&["status"]),
        timeout: secs(20),
        artefact: &artefacts::PKTMON_STATUS,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "pktmon.take_over",
        what: "stop the Packet Monitor session that was running (--drops-take-over)",
        via: pk(&["stop"]),
        timeout: secs(60),
        artefact: &artefacts::PKTMON_TAKE_OVER,
        mutates: true,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "pktmon.counters_before",
        what: "Packet Monitor counters before the drops capture",
        via: pk(&["counters", "--json"]),
        timeout: secs(30),
        max_bytes: 8 * MIB,
        artefact: &artefacts::PKTMON_COUNTERS_BEFORE,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "pktmon.capture_list",
        what: "Packet Monitor component map taken with the trace",
        via: pk(&["list", "--json"]),
        timeout: secs(30),
        max_bytes: 8 * MIB,
        artefact: &artefacts::PKTMON_CAPTURE_LIST,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "pktmon.capture",
        what: "drops-only capture (pktmon start -c --comp all --type drop … ; wait ; pktmon stop)",
        via: pk(START_ARGS),
        timeout: secs(660),
        max_bytes: 1024 * MIB,
        artefact: &artefacts::PKTMON_CAPTURE,
        mutates: true,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "pktmon.counters_after",
        what: "Packet Monitor counters after the drops capture",
        via: pk(&["counters", "--json"]),
        timeout: secs(30),
        max_bytes: 8 * MIB,
        artefact: &artefacts::PKTMON_COUNTERS_AFTER,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "pktmon.drops",
        what: "the capture as text (pktmon etl2txt)",
        via: pk(&["etl2txt", "{etl}", "-o", "{txt}"]),
        timeout: secs(300),
        artefact: &artefacts::PKTMON_DROPS,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "pktmon.capture_record",
        what: "what the drops capture did: duration, bounds, session",
        via: Via::FileMeta(&[]),
        timeout: secs(1),
        artefact: &artefacts::PKTMON_CAPTURE_RECORD,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
];

fn step(id: &str) -> &'static SourceDef {
    STEPS.iter().find(|s| s.id == id).unwrap_or(&STEPS[0])
}

fn run(
    host: &dyn Host,
    args: &[&str],
    timeout: Duration,
    max: u64,
) -> (Result<Vec<u8>, String>, Option<i64>, Duration) {
    let t = Instant::now();
    let req = CommandRequest {
        keep: Keep::Head,
        ..CommandRequest::new(
            &resolve_tool("pktmon.exe", host.known_folders().as_ref()),
            args,
            timeout,
            max,
        )
    };
    match host.run(&req) {
        Ok(o) if o.exit_code == Some(0) => (Ok(o.stdout), o.exit_code, t.elapsed()),
        Ok(o) => {
            let why = if o.timed_out {
                format!("timed out after {timeout:?}")
            } else {
                format!(
                    "exit code {:?}: {}",
                    o.exit_code,
                    o.stderr.trim().chars().take(300).collect::<String>()
                )
            };
            (Err(why), o.exit_code, t.elapsed())
        }
        Err(e) => (Err(e.to_string()), e.code(), t.elapsed()),
    }
}

fn collected(
    id: &str,
    r: Result<Vec<u8>, String>,
    exit_code: Option<i64>,
    duration: Duration,
) -> Collected {
    let (status, output, error) = match r {
        Ok(b) => (SourceStatus::Ok, Output::File(b), None),
        Err(e) => (SourceStatus::Failed, Output::None, Some(e)),
    };
    Collected {
        source: step(id),
        status,
        output,
        exit_code,
        error,
        duration,
        truncated: false,
        encoding: Some("utf-8"),
        withheld: Vec::new(),
        redacted: Vec::new(),
    }
}

/// Whether `pktmon status` output says a session is running: any locale's "not running"
/// message is one short line; a running session prints its logger, providers and file.
#[must_use]
pub fn session_running(status: &str) -> bool {
    let low = status.to_lowercase();
    if low.contains("not running") || low.contains("nicht ausgeführt") || low.contains("n'est pas")
    {
        return false;
    }
    status.lines().filter(|l| !l.trim().is_empty()).count() >= 3
}

/// Check before the collection starts that a capture may run.
///
/// # Errors
/// [`DropsError::SessionActive`] when another session runs and `take_over` is off;
/// [`DropsError::Status`] when `pktmon status` fails.
pub fn preflight(host: &dyn Host, opts: &DropsOptions) -> Result<Vec<u8>, DropsError> {
    let (r, _, _) = run(host, &["status"], secs(20), MIB);
    let out = r.map_err(DropsError::Status)?;
    let text = String::from_utf8_lossy(&out);
    if session_running(&text) && !opts.take_over {
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
            .chars()
            .take(120)
            .collect();
        return Err(DropsError::SessionActive(first));
    }
    Ok(out)
}

/// Run the capture into the bundle's staging folder `staging`; every step is handed to
/// `record` (in order) for the manifest. `status` is what [`preflight`] returned.
pub fn capture(
    host: &dyn Host,
    opts: &DropsOptions,
    status: Vec<u8>,
    staging: &Path,
    record: &mut dyn FnMut(Collected),
) {
    let running = session_running(&String::from_utf8_lossy(&status));
    record(collected(
        "pktmon.status",
        Ok(status),
        Some(0),
        Duration::ZERO,
    ));
    let mut took_over = false;
    if running && opts.take_over {
        let (r, c, d) = run(host, &["stop"], secs(60), MIB);
        took_over = r.is_ok();
        record(collected("pktmon.take_over", r, c, d));
    }
    let (r, c, d) = run(host, &["counters", "--json"], secs(30), 8 * MIB);
    record(collected("pktmon.counters_before", r, c, d));
    let (r, c, d) = run(host, &["list", "--json"], secs(30), 8 * MIB);
    record(collected("pktmon.capture_list", r, c, d));

    let dir = staging.join("pktmon");
    let _ = std::fs::create_dir_all(&dir);
    let etl = dir.join("drops.etl");
    let txt = dir.join("drops.txt");
    let etl_s = etl.to_string_lossy().into_owned();
    let txt_s = txt.to_string_lossy().into_owned();
    let mb = opts.etl_mb.to_string();
    let start_args: Vec<&str> = START_ARGS
        .iter()
        .map(|a| match *a {
            "{mb}" => mb.as_str(),
            "{etl}" => etl_s.as_str(),
            a => a,
        })
        .collect();
    let t0 = Instant::now();
    let (started, code, _) = run(host, &start_args, secs(60), MIB);
    let mut capture_error = started.as_ref().err().cloned();
    if started.is_ok() {
        std::thread::sleep(opts.duration);
        let (stopped, _, _) = run(host, &["stop"], secs(120), MIB);
        if let Err(e) = stopped {
            capture_error = Some(format!("pktmon stop failed: {e}"));
        }
    }
    let captured_for = t0.elapsed();
    let etl_written = etl.exists();
    record(Collected {
        source: step("pktmon.capture"),
        status: if capture_error.is_none() {
            SourceStatus::Ok
        } else {
            SourceStatus::Failed
        },
        output: if etl_written {
            Output::Written(vec![("pktmon/drops.etl".into(), false)])
        } else {
            Output::None
        },
        exit_code: code,
        error: capture_error.clone(),
        duration: captured_for,
        truncated: false,
        encoding: None,
        withheld: Vec::new(),
        redacted: Vec::new(),
    });
    let (r, c, d) = run(host, &["counters", "--json"], secs(30), 8 * MIB);
    record(collected("pktmon.counters_after", r, c, d));

    if started.is_ok() {
        let (r, c, d) = run(
            host,
            &["etl2txt", etl_s.as_str(), "-o", txt_s.as_str()],
            secs(300),
            opts.max_text_bytes.saturating_add(1),
        );
        let rec = match r {
            Ok(stdout) => {
                // pktmon writes the file itself; some builds print to stdout instead
                if !txt.exists() && !stdout.is_empty() {
                    let _ = std::fs::write(&txt, &stdout);
                }
                let mut truncated = false;
                if let Ok(m) = std::fs::metadata(&txt) {
                    if m.len() > opts.max_text_bytes {
                        truncated = std::fs::OpenOptions::new()
                            .write(true)
                            .open(&txt)
                            .and_then(|f| f.set_len(opts.max_text_bytes))
                            .is_ok();
                    }
                }
                if txt.exists() {
                    Collected {
                        truncated,
                        output: Output::Written(vec![("pktmon/drops.txt".into(), truncated)]),
                        ..collected("pktmon.drops", Ok(Vec::new()), c, d)
                    }
                } else {
                    collected(
                        "pktmon.drops",
                        Err("pktmon etl2txt wrote no text".into()),
                        c,
                        d,
                    )
                }
            }
            Err(e) => collected("pktmon.drops", Err(e), c, d),
        };
        record(rec);
    }
    let summary = serde_json::json!({
        "duration_s": u64::try_from(opts.duration.as_millis().div_ceil(1000)).unwrap_or(u64::MAX),
        "captured_ms": u64::try_from(captured_for.as_millis()).unwrap_or(u64::MAX),
        "etl_max_mb": opts.etl_mb,
        "text_max_bytes": opts.max_text_bytes,
        "session": "pktmon.exe (one session per host), started and stopped by hnsdoctor",
        "took_over_running_session": took_over,
        "started": started.is_ok(),
        "error": capture_error,
    });
    record(collected(
        "pktmon.capture_record",
        Ok(serde_json::to_vec_pretty(&summary).unwrap_or_default()),
        None,
        Duration::ZERO,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_host::fake::{fail, ok, FakeHost};

    const RUNNING: &str = "Collected Data:\r\n    Packet counters, packet capture\r\n\r\nCapture Type:\r\n    All packets\r\n\r\nLog file: C:\\capture\\PktMon.etl (Circular, 512 MB)\r\n";

    fn host(status: &str) -> FakeHost {
        FakeHost::new()
            .command("pktmon status", ok(status))
            .command("pktmon counters --json", ok("[{\"Id\": 31, \"Name\": \"p\"}]"))
            .command("pktmon list --json", ok("[{\"Id\": 31, \"Name\": \"p\"}]"))
            .command("pktmon start", ok("Logger Parameters: ...\r\n"))
            .command("pktmon stop", ok("Stopped.\r\n"))
            .command(
                "pktmon etl2txt",
                ok("[00]0A4C.1B2C::2026-11-30 09:14:02.1 [Microsoft-Windows-PktMon] Component 31, Type vSwitch Port , Name vmswitch.sys, p\r\n"),
            )
    }

    fn opts(take_over: bool) -> DropsOptions {
        DropsOptions::new(Duration::from_secs(1), 16, take_over).unwrap()
    }

    fn quick(mut o: DropsOptions) -> DropsOptions {
        o.duration = Duration::from_millis(5);
        o
    }

    #[test]
    fn bounds_are_checked() {
        assert_eq!(
            DropsOptions::new(Duration::from_secs(3600), 16, false),
            Err(DropsError::Duration(Duration::from_secs(3600)))
        );
        assert!(matches!(
            DropsOptions::new(Duration::from_millis(10), 16, false),
            Err(DropsError::Duration(_))
        ));
        assert_eq!(
            DropsOptions::new(Duration::from_secs(60), 4096, false),
            Err(DropsError::Size(4096))
        );
        assert_eq!(opts(false).max_text_bytes, 64 * MIB);
    }

    #[test]
    fn refuses_when_another_session_runs() {
        let h = host(RUNNING);
        let e = preflight(&h, &opts(false)).unwrap_err();
        assert!(matches!(e, DropsError::SessionActive(ref s) if s.contains("Collected Data")));
        assert!(e.to_string().contains("--drops-take-over"));
        // nothing was started or stopped
        assert!(h
            .calls()
            .iter()
            .all(|c| !c.contains("start") && !c.contains("stop")));
    }

    #[test]
    fn not_running_in_english_and_german() {
        assert!(!session_running("Packet Monitor is not running.\r\n"));
        assert!(!session_running("Paketmonitor wird nicht ausgeführt.\r\n"));
        assert!(session_running(RUNNING));
    }

    #[test]
    fn own_session_start_wait_stop_with_bounds() {
        let h = host("Packet Monitor is not running.\r\n");
        let o = quick(opts(false));
        let status = preflight(&h, &o).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut recs = Vec::new();
        capture(&h, &o, status, dir.path(), &mut |c| recs.push(c));
        let ids: Vec<_> = recs.iter().map(|c| c.source.id).collect();
        assert_eq!(
            ids,
            vec![
                "pktmon.status",
                "pktmon.counters_before",
                "pktmon.capture_list",
                "pktmon.capture",
                "pktmon.counters_after",
                "pktmon.drops",
                "pktmon.capture_record"
            ]
        );
        let calls = h.calls();
        let start = calls
            .iter()
            .position(|c| c.contains("pktmon start"))
            .unwrap();
        let stop = calls
            .iter()
            .position(|c| c.contains("pktmon stop"))
            .unwrap();
        assert!(start < stop, "stop after start: {calls:?}");
        assert_eq!(
            calls.iter().filter(|c| c.contains("pktmon stop")).count(),
            1
        );
        let s = &calls[start];
        for a in [
            "-c",
            "--comp all",
            "--type drop",
            "-m circular",
            "-s 16",
            "drops.etl",
        ] {
            assert!(s.contains(a), "{a} missing in {s}");
        }
        let txt = std::fs::read_to_string(dir.path().join("pktmon/drops.txt")).unwrap();
        assert!(txt.contains("Microsoft-Windows-PktMon"));
        let rec = recs.last().unwrap();
        let Output::File(b) = &rec.output else {
            panic!("capture record is a file")
        };
        let v: serde_json::Value = serde_json::from_slice(b).unwrap();
        assert_eq!(v["took_over_running_session"], false);
        assert_eq!(v["etl_max_mb"], 16);
        assert!(
            recs.iter().all(|c| c.status == SourceStatus::Ok),
            "{recs:?}"
        );
    }

    #[test]
    fn take_over_stops_the_other_session_first_and_says_so() {
        let h = host(RUNNING);
        let o = quick(opts(true));
        let status = preflight(&h, &o).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut recs = Vec::new();
        capture(&h, &o, status, dir.path(), &mut |c| recs.push(c));
        assert_eq!(recs[1].source.id, "pktmon.take_over");
        let calls = h.calls();
        let first_stop = calls
            .iter()
            .position(|c| c.contains("pktmon stop"))
            .unwrap();
        let start = calls
            .iter()
            .position(|c| c.contains("pktmon start"))
            .unwrap();
        assert!(first_stop < start);
        let Output::File(b) = &recs.last().unwrap().output else {
            panic!()
        };
        assert!(String::from_utf8_lossy(b).contains("\"took_over_running_session\": true"));
    }

    #[test]
    fn failed_start_never_stops_and_text_is_capped() {
        let h = host("Packet Monitor is not running.\r\n")
            .command("pktmon start", fail(1, "access denied"));
        let o = quick(opts(false));
        let dir = tempfile::tempdir().unwrap();
        let mut recs = Vec::new();
        capture(&h, &o, b"not running".to_vec(), dir.path(), &mut |c| {
            recs.push(c)
        });
        assert!(h.calls().iter().all(|c| !c.contains("pktmon stop")));
        let cap = recs
            .iter()
            .find(|c| c.source.id == "pktmon.capture")
            .unwrap();
        assert_eq!(cap.status, SourceStatus::Failed);
        assert!(cap.error.as_deref().unwrap_or("").contains("access denied"));
        assert!(recs.iter().all(|c| c.source.id != "pktmon.drops"));

        // a big etl2txt output is cut to the cap, head kept
        let big =
            "[00]x [Microsoft-Windows-PktMon] Component 1, Type 1, Name a.sys, a\r\n".repeat(2000);
        let h = host("Packet Monitor is not running.\r\n").command("pktmon etl2txt", ok(big));
        let mut o = quick(opts(false));
        o.max_text_bytes = 1000;
        let dir = tempfile::tempdir().unwrap();
        let mut recs = Vec::new();
        capture(&h, &o, b"not running".to_vec(), dir.path(), &mut |c| {
            recs.push(c)
        });
        let d = recs.iter().find(|c| c.source.id == "pktmon.drops").unwrap();
        assert!(d.truncated);
        assert_eq!(
            std::fs::metadata(dir.path().join("pktmon/drops.txt"))
                .unwrap()
                .len(),
            1000
        );
    }
}
