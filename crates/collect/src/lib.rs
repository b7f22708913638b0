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
//! let opts = CollectOptions { parent: dir.path().into(), zip: false, only: vec!["ip.ipconfig".into()],
//!     ..CollectOptions::default() };
//! let report = collect(host, &opts, &mut |_| {}).unwrap();
//! assert_eq!(report.manifest.sources[0].path.as_deref(), Some("net/ipconfig.txt"));
//! assert!(report.paths.dir.join("net/ipconfig.txt").exists());
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bundle_writer;
pub mod parity;
pub mod runner;
pub mod source;
pub mod sources;
pub mod testkit;

use bundle_writer::{BundleError, BundlePaths, BundleWriter};
use hnsdoctor_bundle::manifest::{Manifest, SourceStatus, MANIFEST_FORMAT_VERSION};
use hnsdoctor_host::Host;
use runner::{Progress, RunOptions};
use source::{Source, Via};
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
    /// The bundle could not be written.
    #[error(transparent)]
    Bundle(#[from] BundleError),
}

/// Options of `hnsdoctor collect`.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Exact bundle folder (`--out`); otherwise a new folder in `parent`.
    pub out: Option<PathBuf>,
    /// Where the bundle folder is created when `out` is not given.
    pub parent: PathBuf,
    /// Also write `<bundle>.zip`.
    pub zip: bool,
    /// Parallelism, event window, timeout scale (`admin` is taken from the host).
    pub run: RunOptions,
    /// Only these source ids or subsystems (empty = all).
    pub only: Vec<String>,
    /// Not these source ids or subsystems.
    pub skip: Vec<String>,
}

impl Default for CollectOptions {
    fn default() -> Self {
        Self {
            out: None,
            parent: PathBuf::from("."),
            zip: true,
            run: RunOptions::default(),
            only: Vec::new(),
            skip: Vec::new(),
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

fn matches(s: &Source, sel: &str) -> bool {
    s.id.eq_ignore_ascii_case(sel) || s.subsystem().eq_ignore_ascii_case(sel)
}

/// The sources to run for `--only`/`--skip` (ids or subsystem names), in table order. A
/// selected fan-out source brings its listing source along.
pub fn select(only: &[String], skip: &[String]) -> Result<Vec<&'static Source>, CollectError> {
    let all = sources::all();
    for sel in only.iter().chain(skip) {
        if !all.iter().any(|s| matches(s, sel)) {
            return Err(CollectError::UnknownSource(sel.clone()));
        }
    }
    let mut chosen: Vec<&'static Source> = all
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
    let order = |s: &Source| all.iter().position(|a| a.id == s.id).unwrap_or(usize::MAX);
    chosen.sort_by_key(|s| order(s));
    if chosen.is_empty() {
        return Err(CollectError::NothingSelected);
    }
    Ok(chosen)
}

fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Run the selected sources on `host` and write the bundle.
pub fn collect(
    host: Arc<dyn Host>,
    opts: &CollectOptions,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<CollectReport, CollectError> {
    let selected = select(&opts.only, &opts.skip)?;
    let started = chrono::Utc::now();
    let started_at = now_rfc3339();
    let host_name = host.host_name();
    let admin = host.is_admin();
    let os_build = host.os_version().ok().map(|v| v.build_string());
    let mut writer = BundleWriter::create(opts.out.as_deref(), &opts.parent, &host_name, started)?;
    let run_opts = RunOptions {
        admin,
        ..opts.run.clone()
    };
    let mut records = Vec::new();
    runner::run(&host, &selected, &run_opts, on_progress, &mut |c| {
        records.push(writer.write(c));
    });
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
        sources: records,
    };
    let paths = writer.finish(&manifest, opts.zip)?;
    Ok(CollectReport { paths, manifest })
}

#[cfg(test)]
mod tests {
    use super::*;

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
