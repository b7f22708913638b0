//! # hnsdoctor-collect — the collector
//!
//! Pipeline stage: **sources**. The source table ([`sources`], one file per subsystem), the
//! [`runner`] (parallel, timeouts, caps, budgets) and the [`bundle_writer`] (atomic folder +
//! zip + manifest). [`collect`] ties them together for `hnsdoctor collect`.
//!
//! ```
//! use hnsdoctor_collect::{collect, CollectOptions};
//! use hnsdoctor_host::fake::{FakeHost, ok};
//! use std::sync::Arc;
//! let dir = tempfile::tempdir().unwrap();
//! let host = Arc::new(FakeHost::new().command("ipconfig", ok("Windows IP Configuration\r\n")));
//! let opts = CollectOptions { parent: Some(dir.path().into()), zip: false, only: vec!["ip.ipconfig".into()],
//!     ..CollectOptions::default() };
//! let report = collect(host, &opts, &mut |_| {}).unwrap();
//! assert_eq!(report.manifest.sources[0].path.as_deref(), Some("net/ipconfig.txt"));
//! assert!(report.paths.dir.join("net/ipconfig.txt").exists());
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bundle_writer;
pub mod drops;
pub mod parity;
/// The redaction engine (shared with `hnsdoctor redact`): see [`hnsdoctor_redact::secrets`].
pub use hnsdoctor_redact::secrets as redact;
pub mod runner;
pub mod source;
pub mod sources;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

use bundle_writer::{BundlePaths, BundleWriteError, BundleWriter};
use hnsdoctor_bundle::manifest::{CodePages, Manifest, SourceStatus, MANIFEST_FORMAT_VERSION};
use hnsdoctor_host::Host;
use runner::{Progress, RunOptions};
use source::{SourceDef, Via};
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;

/// Errors that stop a collection (a failing source never does).
#[derive(Debug, Error)]
pub enum CollectError {
    /// `--only`/`--skip` named something that is neither a source id nor a subsystem.
    #[error("unknown source or subsystem: {0} (see --list-sources)")]
    UnknownSource(String),
    /// Nothing left to run after `--only`/`--skip`.
    #[error("no source selected")]
    NothingSelected,
    /// `--drops` cannot run (another Packet Monitor session, bounds, pktmon missing).
    #[error(transparent)]
    Drops(#[from] drops::DropsError),
    /// The bundle could not be written.
    #[error(transparent)]
    Bundle(#[from] BundleWriteError),
    /// Stopped by the user (Ctrl-C) before the bundle was complete: nothing was kept.
    #[error("collection interrupted after {done} of {total} sources: no bundle written (the partial output was removed)")]
    Cancelled {
        /// Sources that had finished.
        done: usize,
        /// Sources selected.
        total: usize,
    },
}

/// Options of `hnsdoctor collect`.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Exact bundle folder (`--out`); otherwise a new folder in `parent`.
    pub out: Option<PathBuf>,
    /// Where the bundle folder is created when `out` is not given; `None`:
    /// `%ProgramData%\hnsdoctor` (created administrators-only), or the current folder on a host
    /// without known folders (not Windows).
    pub parent: Option<PathBuf>,
    /// Also write `<bundle>.zip`.
    pub zip: bool,
    /// Parallelism, event window, timeout scale (`admin` is taken from the host).
    pub run: RunOptions,
    /// Only these source ids or subsystems (empty = all).
    pub only: Vec<String>,
    /// Not these source ids or subsystems.
    pub skip: Vec<String>,
    /// `--drops <duration>`: also run a drops-only Packet Monitor capture (off by default).
    pub drops: Option<drops::DropsOptions>,
}

impl Default for CollectOptions {
    fn default() -> Self {
        Self {
            out: None,
            parent: None,
            zip: true,
            run: RunOptions::default(),
            only: Vec::new(),
            skip: Vec::new(),
            drops: None,
        }
    }
}

/// What `collect` produced.
#[derive(Debug, Clone)]
pub struct CollectReport {
    /// Where the bundle and zip are.
    pub paths: BundlePaths,
    /// The manifest written.
    pub manifest: Manifest,
}

impl CollectReport {
    /// Count of sources per status: (ok, failed, timeout, skipped).
    #[must_use]
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let c = |st| {
            self.manifest
                .sources
                .iter()
                .filter(|s| s.status == st)
                .count()
        };
        (
            c(SourceStatus::Ok),
            c(SourceStatus::Failed),
            c(SourceStatus::Timeout),
            c(SourceStatus::Skipped),
        )
    }
}

fn matches(s: &SourceDef, sel: &str) -> bool {
    s.id.eq_ignore_ascii_case(sel) || s.subsystem().eq_ignore_ascii_case(sel)
}

/// The sources to run for `--only`/`--skip` (ids or subsystem names), in table order. A
/// selected fan-out source brings its listing source along.
pub fn select(only: &[String], skip: &[String]) -> Result<Vec<&'static SourceDef>, CollectError> {
    let all = sources::all();
    for sel in only.iter().chain(skip) {
        if !all.iter().any(|s| matches(s, sel)) {
            return Err(CollectError::UnknownSource(sel.clone()));
        }
    }
    let mut chosen: Vec<&'static SourceDef> = all
        .iter()
        .copied()
        .filter(|s| only.is_empty() || only.iter().any(|o| matches(s, o)))
        .filter(|s| !skip.iter().any(|k| matches(s, k)))
        .collect();
    let deps: Vec<&str> = chosen
        .iter()
        .filter_map(|s| match s.via {
            Via::FanOut { from, .. } => Some(from),
            _ => None,
        })
        .collect();
    for d in deps {
        if !chosen.iter().any(|s| s.id == d) {
            if let Some(src) = sources::by_id(d) {
                chosen.push(src);
            }
        }
    }
    let order = |s: &SourceDef| all.iter().position(|a| a.id == s.id).unwrap_or(usize::MAX);
    chosen.sort_by_key(|s| order(s));
    if chosen.is_empty() {
        return Err(CollectError::NothingSelected);
    }
    Ok(chosen)
}

fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `%ProgramData%\hnsdoctor`, created if missing and then restricted to SYSTEM and
/// Administrators; the current folder on a host without known folders.
pub fn default_parent(host: &dyn Host) -> Result<PathBuf, CollectError> {
    let Some(f) = host.known_folders() else {
        return Ok(PathBuf::from("."));
    };
    let dir = PathBuf::from(f.program_data).join("hnsdoctor");
    let io = |source| {
        CollectError::Bundle(BundleWriteError::Io {
            path: dir.clone(),
            source,
        })
    };
    let existed = dir.is_dir();
    std::fs::create_dir_all(&dir).map_err(io)?;
    if !existed {
        host.restrict_to_admins(&dir)
            .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    }
    Ok(dir)
}

/// Run the selected sources on `host` and write the bundle.
pub fn collect(
    host: Arc<dyn Host>,
    opts: &CollectOptions,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<CollectReport, CollectError> {
    let selected = select(&opts.only, &opts.skip)?;
    // refuse before anything is collected when a drops capture cannot run
    let drops_status = match &opts.drops {
        Some(d) => Some(drops::preflight(host.as_ref(), d)?),
        None => None,
    };
    let started = chrono::Utc::now();
    let started_at = now_rfc3339();
    let host_name = host.host_name();
    let admin = host.is_admin();
    let os_build = host.os_version().ok().map(|v| v.build_string());
    let parent = match (&opts.out, &opts.parent) {
        (_, Some(p)) => p.clone(),
        (Some(_), None) => PathBuf::from("."),
        (None, None) => default_parent(host.as_ref())?,
    };
    let writer = BundleWriter::create(opts.out.as_deref(), &parent, &host_name, started)?;
    let mut writer = writer.restrict_to_admins(Arc::clone(&host))?;
    let run_opts = RunOptions {
        admin,
        out_dir: Some(writer.staging_dir().to_path_buf()),
        ..opts.run.clone()
    };
    redact::warm_up();
    let mut records = Vec::new();
    runner::run(&host, &selected, &run_opts, on_progress, &mut |c| {
        records.push(writer.write(c));
    });
    if run_opts.cancelled() {
        // Dropping the writer removes the staging folder: no bundle under the final name.
        drop(writer);
        return Err(CollectError::Cancelled {
            done: records.len(),
            total: selected.len(),
        });
    }
    if let (Some(d), Some(status)) = (&opts.drops, drops_status) {
        let staging = writer.staging_dir().to_path_buf();
        drops::capture(host.as_ref(), d, status, &staging, &mut |c| {
            records.push(writer.write(c));
        });
    }
    let order = |id: &str| {
        selected
            .iter()
            .position(|s| s.id == id)
            .unwrap_or(usize::MAX)
    };
    records.sort_by_key(|r| order(&r.id));
    let manifest = Manifest {
        format_version: MANIFEST_FORMAT_VERSION,
        tool: "hnsdoctor".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        host: host_name,
        os_build,
        started_at,
        finished_at: now_rfc3339(),
        admin: Some(admin),
        since_hours: Some(run_opts.since_hours),
        code_pages: host.code_pages().map(|c| CodePages {
            oem: c.oem,
            ansi: c.ansi,
        }),
        sources: records,
    };
    let paths = writer.finish(&manifest, opts.zip)?;
    Ok(CollectReport { paths, manifest })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_host::fake::{ok, FakeHost};
    use hnsdoctor_host::RegistryKey;

    fn pktmon_host(status: &str) -> Arc<FakeHost> {
        Arc::new(
            FakeHost::new()
                .registry(RegistryKey {
                    path: source::Requirement::Pktmon.probe_key().to_string(),
                    ..RegistryKey::default()
                })
                .command("pktmon counters --json", ok("[{\"Id\": 9, \"Name\": \"Ethernet0\", \"DropCounters\": {\"Inbound\": {\"Packets\": 7}}}]"))
                .command("pktmon list --json", ok("[{\"Id\": 9, \"Name\": \"Ethernet0\"}]"))
                .command("pktmon status", ok(status))
                .command("pktmon start", ok("started\r\n"))
                .command("pktmon stop", ok("stopped\r\n"))
                .command(
                    "pktmon etl2txt",
                    ok("[00]1.2::2026-11-30 09:14:02.1 [Microsoft-Windows-PktMon] Component 9, Type Miniport , Name netvsc.sys, Ethernet0\r\n"),
                ),
        )
    }

    #[test]
    fn pktmon_counters_only_by_default() {
        let dir = tempfile::tempdir().unwrap();
        let host = pktmon_host("Packet Monitor is not running.\r\n");
        let opts = CollectOptions {
            parent: Some(dir.path().into()),
            zip: false,
            only: vec!["pktmon".into()],
            ..CollectOptions::default()
        };
        let r = collect(host.clone(), &opts, &mut |_| {}).unwrap();
        let ids: Vec<_> = r.manifest.sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["pktmon.counters", "pktmon.list"]);
        assert!(r
            .manifest
            .sources
            .iter()
            .all(|s| s.status == SourceStatus::Ok));
        assert!(r.paths.dir.join("pktmon/counters.json").exists());
        let calls = host.calls();
        assert!(
            calls
                .iter()
                .all(|c| !c.contains("pktmon start") && !c.contains("pktmon status")),
            "{calls:?}"
        );
    }

    #[test]
    fn pktmon_drops_refused_before_collecting_when_a_session_runs() {
        let dir = tempfile::tempdir().unwrap();
        let host = pktmon_host("Collected Data:\r\n  counters\r\nLog file: C:\\x.etl\r\n");
        let opts = CollectOptions {
            parent: Some(dir.path().into()),
            zip: false,
            only: vec!["pktmon".into()],
            drops: Some(
                drops::DropsOptions::new(std::time::Duration::from_secs(1), 8, false).unwrap(),
            ),
            ..CollectOptions::default()
        };
        let e = collect(host.clone(), &opts, &mut |_| {}).unwrap_err();
        assert!(matches!(
            e,
            CollectError::Drops(drops::DropsError::SessionActive(_))
        ));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no bundle started"
        );
        assert!(host.calls().iter().all(|c| !c.contains("counters")));
    }

    #[test]
    fn pktmon_drops_capture_lands_in_the_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let host = pktmon_host("Packet Monitor is not running.\r\n");
        let mut d = drops::DropsOptions::new(std::time::Duration::from_secs(1), 8, false).unwrap();
        d.duration = std::time::Duration::from_millis(5);
        let opts = CollectOptions {
            parent: Some(dir.path().into()),
            zip: false,
            only: vec!["pktmon".into()],
            drops: Some(d),
            ..CollectOptions::default()
        };
        let r = collect(host, &opts, &mut |_| {}).unwrap();
        let m = &r.manifest.sources;
        for id in [
            "pktmon.counters_before",
            "pktmon.capture",
            "pktmon.counters_after",
            "pktmon.drops",
            "pktmon.capture_record",
        ] {
            let s = m
                .iter()
                .find(|s| s.id == id)
                .unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(s.status, SourceStatus::Ok, "{id}: {:?}", s.error);
        }
        let drops_rec = m.iter().find(|s| s.id == "pktmon.drops").unwrap();
        assert_eq!(drops_rec.path.as_deref(), Some("pktmon/drops.txt"));
        assert_eq!(drops_rec.parser.as_deref(), Some("pktmon-etl2txt"));
        assert!(r.paths.dir.join("pktmon/drops.txt").exists());
        assert!(r.paths.dir.join("pktmon/capture.json").exists());
    }

    #[test]
    fn select_by_subsystem_and_id_with_dependencies() {
        let s = select(&["vfp.port_counters".into()], &[]).unwrap();
        let ids: Vec<_> = s.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec!["vfp.ports", "vfp.port_counters"]);
        let hns = select(&["hns".into()], &["hns.hnsdiag".into()]).unwrap();
        assert!(hns.iter().all(|s| s.subsystem() == "hns"));
        assert!(!hns.iter().any(|s| s.id == "hns.hnsdiag"));
        assert!(matches!(
            select(&["nope".into()], &[]),
            Err(CollectError::UnknownSource(_))
        ));
        assert!(matches!(
            select(&["hns".into()], &["hns".into()]),
            Err(CollectError::NothingSelected)
        ));
    }
}
