//! When `watch` keeps a full bundle: a finding of a chosen severity appears, or a threshold is
//! crossed between two samples. Bundles go to one folder, newest kept, oldest removed.
//!
//! Every condition is edge-triggered: it fires on the run where it becomes true, not on every
//! run while it stays true (a node whose port pool is dry writes one bundle, not one per
//! interval). The conditions ([`Thresholds`]):
//! * a finding at or above `--bundle-on SEVERITY` that the previous run did not have;
//! * the load balancer count dropped by more than `--lb-drop PERCENT` since the previous run
//!   (the "577 → 1" of an HNS that lost its load balancers);
//! * free 64-port blocks of the dynamic range (TCP or UDP) below `--min-free-blocks N`;
//! * HNS threads above `--max-hns-threads N`;
//! * `--on-dns-lb-missing`: the cluster DNS VIP lost its load balancers (finding
//!   `dns-lb-missing`).
//!
//! A value whose evidence was not read is unknown, and an unknown value crosses nothing.

use hnsdoctor_model::{Fact, HostModel, Transport};
use hnsdoctor_rules::{Report, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What makes `watch` keep a bundle (all off by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thresholds {
    /// A new finding at or above this severity.
    pub on_severity: Option<Severity>,
    /// A drop of the load balancer count by more than this percentage between two runs.
    pub lb_drop_pct: Option<u32>,
    /// Free 64-port blocks (either protocol) below this.
    pub min_free_blocks: Option<u32>,
    /// HNS threads above this.
    pub max_hns_threads: Option<u32>,
    /// The `dns-lb-missing` finding.
    pub dns_lb_missing: bool,
}

impl Thresholds {
    /// Whether any condition is set.
    #[must_use]
    pub fn any(&self) -> bool {
        self.on_severity.is_some()
            || self.lb_drop_pct.is_some()
            || self.min_free_blocks.is_some()
            || self.max_hns_threads.is_some()
            || self.dns_lb_missing
    }
}

/// What one run measured, as far as the thresholds are concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sample {
    /// Load balancers, when read.
    pub load_balancers: Option<usize>,
    /// The fewest free 64-port blocks over TCP and UDP, with the protocol, when read.
    pub free_blocks: Option<(u32, &'static str)>,
    /// HNS threads, when read.
    pub hns_threads: Option<u32>,
    /// Findings: id → severity.
    pub findings: BTreeMap<String, Severity>,
}

impl Sample {
    /// The sample of one run.
    #[must_use]
    pub fn of(model: &HostModel, report: &Report) -> Self {
        let mut findings = BTreeMap::new();
        for f in &report.findings {
            let e = findings.entry(f.id.clone()).or_insert(f.severity);
            *e = (*e).max(f.severity);
        }
        let free_blocks = [(Transport::Tcp, "tcp"), (Transport::Udp, "udp")]
            .into_iter()
            .filter_map(|(t, name)| {
                hnsdoctor_rules::portmath::pool(model, t).map(|p| (p.free_blocks, name))
            })
            .min();
        Self {
            load_balancers: model
                .facts
                .contains(&Fact::HnsLoadBalancers)
                .then_some(model.hns.load_balancers.len()),
            free_blocks,
            hns_threads: model.hns.process.as_ref().and_then(|p| p.threads),
            findings,
        }
    }
}

/// The conditions that hold on `cur` alone (edge detection compares two of these lists).
fn holding(t: &Thresholds, prev: Option<&Sample>, cur: &Sample) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(min) = t.on_severity {
        for (id, sev) in cur.findings.iter().filter(|(_, s)| **s >= min) {
            out.push((
                format!("finding:{id}"),
                format!("new finding {id} ({})", super::sev_name(*sev)),
            ));
        }
    }
    if let (Some(pct), Some(p), Some(c)) = (
        t.lb_drop_pct,
        prev.and_then(|p| p.load_balancers),
        cur.load_balancers,
    ) {
        if c < p && (p - c) as u64 * 100 > p as u64 * u64::from(pct) {
            out.push((
                "lb-drop".into(),
                format!(
                    "load balancers dropped {p} → {c} (-{}%)",
                    (p - c) * 100 / p.max(1)
                ),
            ));
        }
    }
    if let (Some(min), Some((free, proto))) = (t.min_free_blocks, cur.free_blocks) {
        if free < min {
            out.push((
                "free-blocks".into(),
                format!("{free} free 64-port blocks ({proto}), fewer than {min}"),
            ));
        }
    }
    if let (Some(max), Some(n)) = (t.max_hns_threads, cur.hns_threads) {
        if n > max {
            out.push((
                "hns-threads".into(),
                format!("HNS has {n} threads, more than {max}"),
            ));
        }
    }
    if t.dns_lb_missing && cur.findings.contains_key("dns-lb-missing") {
        out.push((
            "dns-lb-missing".into(),
            "the cluster DNS VIP has no load balancer (dns-lb-missing)".into(),
        ));
    }
    out
}

/// Why this run should keep a bundle: the conditions that hold now and did not on the previous
/// run (the first run compares with nothing: everything holding fires). The LB drop compares
/// the two runs itself, so it fires whenever it holds.
#[must_use]
pub fn reasons(t: &Thresholds, prev: Option<&Sample>, cur: &Sample) -> Vec<String> {
    let before: std::collections::HashSet<String> = match prev {
        Some(p) => holding(t, None, p).into_iter().map(|(k, _)| k).collect(),
        None => std::collections::HashSet::new(),
    };
    holding(t, prev, cur)
        .into_iter()
        .filter(|(k, _)| !before.contains(k))
        .map(|(_, m)| m)
        .collect()
}

/// The prefix of the bundles `watch` keeps (and the only folders [`prune`] removes).
pub const PREFIX: &str = "hnsdoctor-watch-";

/// The folder name of run `run`'s bundle: sorts in time order.
#[must_use]
pub fn bundle_name(time: chrono::DateTime<chrono::Utc>, run: u64) -> String {
    format!("{PREFIX}{}-run{run:06}", time.format("%Y%m%dT%H%M%SZ"))
}

fn copy_into(src: &Path, dest: &Path) -> std::io::Result<()> {
    if src.is_dir() {
        std::fs::create_dir_all(dest)?;
        for e in std::fs::read_dir(src)? {
            let e = e?;
            copy_into(&e.path(), &dest.join(e.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(src, dest).map(|_| ())
    }
}

/// Keep the evidence of this run as `dir/name`: a collected bundle folder is moved (copied when
/// the move crosses file systems); inputs given on the command line are copied (one folder: its
/// content, so that the kept bundle reads like the input; several: each under its own name).
///
/// # Errors
/// The I/O error, naming the path.
pub fn keep(dir: &Path, name: &str, evidence: &Evidence<'_>) -> anyhow::Result<PathBuf> {
    use anyhow::Context as _;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let dest = dir.join(name);
    match evidence {
        Evidence::Collected(src) => {
            if std::fs::rename(src, &dest).is_err() {
                copy_into(src, &dest)
                    .with_context(|| format!("copying {} to {}", src.display(), dest.display()))?;
            }
        }
        Evidence::Inputs(inputs) => {
            let single_dir = inputs.len() == 1 && Path::new(&inputs[0]).is_dir();
            for input in *inputs {
                let src = Path::new(input);
                let to = if single_dir {
                    dest.clone()
                } else {
                    std::fs::create_dir_all(&dest)
                        .with_context(|| format!("creating {}", dest.display()))?;
                    dest.join(src.file_name().unwrap_or(src.as_os_str()))
                };
                copy_into(src, &to)
                    .with_context(|| format!("copying {} to {}", src.display(), to.display()))?;
            }
        }
    }
    Ok(dest)
}

/// The evidence of one run.
#[derive(Debug)]
pub enum Evidence<'a> {
    /// A bundle folder collected from the live host.
    Collected(&'a Path),
    /// Paths given on the command line.
    Inputs(&'a [String]),
}

/// Remove the oldest kept bundles of `dir` so that at most `keep` remain; returns the removed
/// names. Only folders named [`PREFIX`]… are touched.
///
/// # Errors
/// The I/O error, naming the path.
pub fn prune(dir: &Path, keep: usize) -> anyhow::Result<Vec<String>> {
    use anyhow::Context as _;
    let mut kept: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(PREFIX))
        .collect();
    kept.sort();
    let excess = kept.len().saturating_sub(keep);
    let removed: Vec<String> = kept.into_iter().take(excess).collect();
    for n in &removed {
        let p = dir.join(n);
        std::fs::remove_dir_all(&p).with_context(|| format!("removing {}", p.display()))?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(lbs: usize, free: u32, threads: u32, findings: &[(&str, Severity)]) -> Sample {
        Sample {
            load_balancers: Some(lbs),
            free_blocks: Some((free, "tcp")),
            hns_threads: Some(threads),
            findings: findings
                .iter()
                .map(|(i, s)| ((*i).to_string(), *s))
                .collect(),
        }
    }

    fn all() -> Thresholds {
        Thresholds {
            on_severity: Some(Severity::Error),
            lb_drop_pct: Some(50),
            min_free_blocks: Some(10),
            max_hns_threads: Some(200),
            dns_lb_missing: true,
        }
    }

    #[test]
    fn each_threshold_fires_once_when_crossed() {
        let t = all();
        let healthy = s(577, 200, 60, &[]);
        assert!(reasons(&t, None, &healthy).is_empty());
        assert!(
            reasons(&t, Some(&healthy), &s(300, 200, 60, &[])).is_empty(),
            "-48%"
        );
        assert_eq!(
            reasons(&t, Some(&healthy), &s(1, 200, 60, &[])),
            ["load balancers dropped 577 → 1 (-99%)"]
        );
        assert!(reasons(&t, Some(&s(1, 200, 60, &[])), &s(1, 200, 60, &[])).is_empty());
        assert_eq!(
            reasons(&t, Some(&healthy), &s(577, 3, 250, &[])),
            [
                "3 free 64-port blocks (tcp), fewer than 10",
                "HNS has 250 threads, more than 200"
            ]
        );
        // still below / above: no new bundle
        assert!(reasons(&t, Some(&s(577, 3, 250, &[])), &s(577, 2, 260, &[])).is_empty());
        let dns = [("dns-lb-missing", Severity::Error)];
        assert_eq!(
            reasons(&t, Some(&healthy), &s(577, 200, 60, &dns)),
            [
                "new finding dns-lb-missing (error)",
                "the cluster DNS VIP has no load balancer (dns-lb-missing)"
            ]
        );
        // a warning is below --bundle-on error
        let warn = [("stale-remote-endpoint", Severity::Warning)];
        assert!(reasons(&t, Some(&healthy), &s(577, 200, 60, &warn)).is_empty());
        // off by default
        assert!(!Thresholds::default().any());
        assert!(reasons(&Thresholds::default(), Some(&healthy), &s(1, 0, 999, &dns)).is_empty());
    }

    #[test]
    fn unknown_values_cross_nothing() {
        let t = all();
        let unknown = Sample::default();
        assert!(reasons(&t, Some(&s(577, 200, 60, &[])), &unknown).is_empty());
        assert!(reasons(&t, Some(&unknown), &s(1, 200, 60, &[])).is_empty());
    }

    #[test]
    fn keep_copies_and_prune_keeps_the_newest() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("bundle");
        std::fs::create_dir_all(src.join("hns")).unwrap();
        std::fs::write(src.join("manifest.json"), "{}").unwrap();
        std::fs::write(src.join("hns/lbs.json"), "[]").unwrap();
        let out = d.path().join("kept");
        let input = [src.to_string_lossy().into_owned()];
        for run in 1..=4 {
            let t = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
            let p = keep(&out, &bundle_name(t, run), &Evidence::Inputs(&input)).unwrap();
            assert!(p.join("hns/lbs.json").is_file());
        }
        std::fs::create_dir_all(out.join("someone-elses")).unwrap();
        let removed = prune(&out, 2).unwrap();
        assert_eq!(
            removed,
            [
                "hnsdoctor-watch-20270115T080000Z-run000001",
                "hnsdoctor-watch-20270115T080000Z-run000002"
            ]
        );
        let mut left: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "hnsdoctor-watch-20270115T080000Z-run000003",
                "hnsdoctor-watch-20270115T080000Z-run000004",
                "someone-elses"
            ]
        );
        // a collected bundle is moved
        let t = chrono::DateTime::from_timestamp(1_800_000_060, 0).unwrap();
        let p = keep(&out, &bundle_name(t, 5), &Evidence::Collected(&src)).unwrap();
        assert!(p.join("manifest.json").is_file() && !src.exists());
    }
}
