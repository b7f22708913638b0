//! `hnsdoctor fleet <paths…>`: many nodes at once → one cluster summary.
//!
//! Inputs, each one node unless said otherwise: an hnsdoctor bundle (folder or zip), a legacy
//! CollectLogs folder or zip, an `analyze --format json` report (`*.json`), a
//! `kubectl logs --prefix` capture (lines starting `[pod/NAME/CONTAINER] `: one node per pod,
//! its lines either a JSON report or evidence text), or a folder holding only such inputs
//! (folders, zips, `*.json` reports), which is expanded one level; any other folder is one
//! node.
//!
//! Nodes are read in parallel by `--jobs` worker threads (default: the cores available); each
//! worker holds one node's model at a time and keeps only a [`NodeSummary`] (finding ids with
//! severity, object counts, build, HNS version), so memory does not grow with the node count
//! beyond those summaries.
//!
//! The summary says which nodes have which findings and which nodes differ from their peers
//! ([`Deviation`]): load balancer or endpoint counts far from the median, a cluster DNS load
//! balancer missing on some nodes only, an OS build (with UBR) or HNS version other than the
//! majority's. Formats: text, JSON (`schema_version` 1), Markdown (a node × finding table) and
//! HTML (the same table on a self-contained, sortable, filterable page: [`html`]).
//!
//! Exit codes: 0 nothing flagged, 1 warnings or differences only (or unreadable inputs), 2 an
//! error finding on some node, 3 when no input could be read at all.

mod html;

use crate::cmd::{analyze, BadInput, PathContext};
use crate::exit::Exit;
use anyhow::Context as _;
use hnsdoctor_model::{Fact, HostModel};
use hnsdoctor_rules::{Options, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// `--format` of `fleet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FleetFormat {
    /// Text for the terminal.
    #[default]
    Text,
    /// JSON (`schema_version` 1).
    Json,
    /// Markdown: a node × finding table.
    Markdown,
    /// HTML: one self-contained page, a sortable and filterable node × finding table.
    Html,
}

/// Arguments of `fleet`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Node inputs: bundles (folders or zips), CollectLogs folders, `analyze --format json`
    /// reports, `kubectl logs --prefix` captures, or folders of these.
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FleetFormat::Text)]
    pub format: FleetFormat,
    /// Write the summary to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: the cores available).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Findings below this severity are not listed (warnings and errors by default).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = analyze::MinSeverity::Warning)]
    pub min_severity: analyze::MinSeverity,
    /// A count (load balancers, endpoints) differs from its peers when it is further than this
    /// percentage from the fleet's median.
    #[arg(long, value_name = "PERCENT", default_value_t = 50)]
    pub deviation: u32,
}

/// One node, reduced to what the fleet summary needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSummary {
    /// Node name: the host name the input names, else the input's file or pod name.
    pub node: String,
    /// The input it was read from.
    pub input: String,
    /// OS build with UBR, when known.
    pub os_build: Option<String>,
    /// HNS version, when known.
    pub hns_version: Option<String>,
    /// HNS networks, when read.
    pub networks: Option<usize>,
    /// Local endpoints, when endpoints were read.
    pub local_endpoints: Option<usize>,
    /// Remote endpoints, when endpoints were read.
    pub remote_endpoints: Option<usize>,
    /// Load balancers, when read.
    pub load_balancers: Option<usize>,
    /// Whether the cluster DNS VIP has its load balancers (`None`: not evaluated).
    pub dns_lb: Option<bool>,
    /// Findings: id → worst severity.
    pub findings: BTreeMap<String, Severity>,
    /// Why the input could not be read (then everything else is empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl NodeSummary {
    /// Summarise a node from its findings, passed rules and model.
    #[must_use]
    pub fn from_parts<'a>(
        input: &str,
        fallback_name: &str,
        findings: impl IntoIterator<Item = (&'a str, Severity)>,
        passed: &[String],
        model: &HostModel,
    ) -> Self {
        let mut f: BTreeMap<String, Severity> = BTreeMap::new();
        for (id, sev) in findings {
            let e = f.entry(id.to_string()).or_insert(sev);
            *e = (*e).max(sev);
        }
        let has = |fact: Fact| model.facts.contains(&fact);
        let eps = has(Fact::HnsEndpoints).then(|| {
            let remote = model
                .hns
                .endpoints
                .iter()
                .filter(|e| e.is_remote == Some(true))
                .count();
            (model.hns.endpoints.len() - remote, remote)
        });
        let dns_lb = if f.contains_key("dns-lb-missing") {
            Some(false)
        } else if passed.iter().any(|p| p == "dns-lb-missing") {
            Some(true)
        } else {
            None
        };
        Self {
            node: model
                .host_name
                .clone()
                .filter(|h| !h.trim().is_empty())
                .unwrap_or_else(|| fallback_name.to_string()),
            input: input.to_string(),
            os_build: model.os.as_ref().map(|o| match o.ubr {
                Some(u) => format!("{}.{u}", o.build),
                None => o.build.to_string(),
            }),
            hns_version: model.hns.version.map(|v| v.to_string()),
            networks: has(Fact::HnsNetworks).then_some(model.hns.networks.len()),
            local_endpoints: eps.map(|e| e.0),
            remote_endpoints: eps.map(|e| e.1),
            load_balancers: has(Fact::HnsLoadBalancers).then_some(model.hns.load_balancers.len()),
            dns_lb,
            findings: f,
            error: None,
        }
    }

    /// A node that could not be read (or, for `kubectl hnsdoctor`, not collected): it is
    /// listed as unreadable and flagged.
    #[must_use]
    pub fn failed_with(input: &str, name: &str, message: String) -> Self {
        Self {
            node: name.to_string(),
            input: input.to_string(),
            error: Some(message),
            ..Self::default()
        }
    }

    fn failed(input: &str, name: &str, err: &anyhow::Error) -> Self {
        Self {
            node: name.to_string(),
            input: input.to_string(),
            error: Some(format!("{err:#}")),
            ..Self::default()
        }
    }

    fn endpoints(&self) -> Option<usize> {
        Some(self.local_endpoints? + self.remote_endpoints?)
    }
}

/// A way one node differs from its peers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deviation {
    /// Node name.
    pub node: String,
    /// `load-balancers`, `endpoints`, `dns-lb`, `os-build` or `hns-version`.
    pub kind: String,
    /// This node's value.
    pub value: String,
    /// What its peers have (the median, or the majority's value).
    pub peers: String,
}

impl Deviation {
    fn message(&self) -> String {
        match self.kind.as_str() {
            "load-balancers" => format!(
                "{} load balancers (fleet median {})",
                self.value, self.peers
            ),
            "endpoints" => format!("{} endpoints (fleet median {})", self.value, self.peers),
            "dns-lb" => format!(
                "no cluster DNS load balancer, which {} nodes have",
                self.peers
            ),
            "os-build" => format!("OS build {} (most nodes: {})", self.value, self.peers),
            _ => format!("HNS version {} (most nodes: {})", self.value, self.peers),
        }
    }
}

/// The cluster summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FleetSummary {
    /// 1; additive changes keep the number.
    pub schema_version: u32,
    /// Every node, sorted by name.
    pub nodes: Vec<NodeSummary>,
    /// Per finding id: worst severity and the nodes that have it.
    pub findings: BTreeMap<String, FindingNodes>,
    /// Nodes that differ from their peers.
    pub deviations: Vec<Deviation>,
    /// Names of the nodes that need attention: a listed finding, a deviation or unreadable input.
    pub flagged: Vec<String>,
}

/// One finding id across the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingNodes {
    /// Worst severity on any node.
    pub severity: Severity,
    /// Nodes that have it, sorted.
    pub nodes: Vec<String>,
}

fn median(mut v: Vec<usize>) -> Option<usize> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[v.len() / 2])
}

/// `value` is further than `pct` percent from `median` (and by at least 3, so that tiny
/// counts do not flap).
fn far(value: usize, median: usize, pct: u32) -> bool {
    let diff = value.abs_diff(median);
    diff >= 3 && diff as u64 * 100 > median as u64 * u64::from(pct)
}

/// The most common value and its count, ties broken by the smaller value.
fn majority<'a>(values: impl Iterator<Item = &'a str>) -> Option<(&'a str, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
}

/// Build the fleet summary from node summaries: findings at or above `min`, deviations beyond
/// `pct` percent of the median.
#[must_use]
pub fn summarise(mut nodes: Vec<NodeSummary>, min: Severity, pct: u32) -> FleetSummary {
    nodes.sort_by(|a, b| a.node.cmp(&b.node).then(a.input.cmp(&b.input)));
    for n in &mut nodes {
        n.findings.retain(|_, s| *s >= min);
    }
    let mut findings: BTreeMap<String, FindingNodes> = BTreeMap::new();
    for n in &nodes {
        for (id, sev) in &n.findings {
            let e = findings.entry(id.clone()).or_insert(FindingNodes {
                severity: *sev,
                nodes: Vec::new(),
            });
            e.severity = e.severity.max(*sev);
            e.nodes.push(n.node.clone());
        }
    }
    let mut deviations = Vec::new();
    let ok: Vec<&NodeSummary> = nodes.iter().filter(|n| n.error.is_none()).collect();
    for (kind, get) in [
        (
            "load-balancers",
            (|n: &NodeSummary| n.load_balancers) as fn(&NodeSummary) -> Option<usize>,
        ),
        ("endpoints", NodeSummary::endpoints),
    ] {
        let vals: Vec<usize> = ok.iter().filter_map(|n| get(n)).collect();
        if vals.len() < 3 {
            continue; // no meaningful median
        }
        let Some(med) = median(vals) else { continue };
        for n in &ok {
            if let Some(v) = get(n).filter(|&v| far(v, med, pct)) {
                deviations.push(Deviation {
                    node: n.node.clone(),
                    kind: kind.into(),
                    value: v.to_string(),
                    peers: med.to_string(),
                });
            }
        }
    }
    let with_dns = ok.iter().filter(|n| n.dns_lb == Some(true)).count();
    if with_dns > 0 {
        for n in ok.iter().filter(|n| n.dns_lb == Some(false)) {
            deviations.push(Deviation {
                node: n.node.clone(),
                kind: "dns-lb".into(),
                value: "missing".into(),
                peers: with_dns.to_string(),
            });
        }
    }
    for (kind, get) in [
        (
            "os-build",
            (|n: &NodeSummary| n.os_build.as_deref()) as fn(&NodeSummary) -> Option<&str>,
        ),
        ("hns-version", |n: &NodeSummary| n.hns_version.as_deref()),
    ] {
        let Some((top, count)) = majority(ok.iter().filter_map(|n| get(n))) else {
            continue;
        };
        let known = ok.iter().filter(|n| get(n).is_some()).count();
        if count == known {
            continue; // all the same
        }
        for n in &ok {
            if let Some(v) = get(n).filter(|v| *v != top) {
                deviations.push(Deviation {
                    node: n.node.clone(),
                    kind: kind.into(),
                    value: v.to_string(),
                    peers: top.to_string(),
                });
            }
        }
    }
    deviations.sort_by(|a, b| a.node.cmp(&b.node).then(a.kind.cmp(&b.kind)));
    let mut flagged: BTreeSet<String> = deviations.iter().map(|d| d.node.clone()).collect();
    for n in &nodes {
        if n.error.is_some() || !n.findings.is_empty() {
            flagged.insert(n.node.clone());
        }
    }
    FleetSummary {
        schema_version: 1,
        nodes,
        findings,
        deviations,
        flagged: flagged.into_iter().collect(),
    }
}

// ------------------------------------------------------------------------------------------
// inputs

/// One unit of work: a node to read.
#[derive(Debug, Clone)]
enum Job {
    /// A path `analyze` can read, or a JSON report.
    Path(PathBuf),
    /// One pod's lines from a `kubectl logs --prefix` capture.
    Pod {
        file: PathBuf,
        pod: String,
        text: Arc<String>,
    },
}

/// The pod name of a `kubectl logs --prefix` line, `[pod/NAME/CONTAINER] rest`, and the rest.
fn prefixed(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("[pod/")?;
    let (inside, text) = rest.split_once("] ")?;
    let pod = inside.split('/').next()?;
    Some((pod, text))
}

fn is_kubectl_prefix_capture(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    let mut r = std::io::BufReader::new(f);
    while first.trim().is_empty() {
        first.clear();
        match r.read_line(&mut first) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
    }
    prefixed(first.trim_start_matches('\u{feff}')).is_some()
}

/// Whether `p` starts like an `analyze --format json` report (not any JSON file: a folder of
/// HNS JSON dumps is one node, not many).
fn looks_like_report(p: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 512];
    let n = std::fs::File::open(p)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
        && head.contains("\"schema_version\"")
        && !head.contains("\"format_version\"")
}

fn is_node_input(p: &Path) -> bool {
    p.is_dir()
        || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        || (p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            && looks_like_report(p))
}

/// Expand the command-line inputs into jobs.
fn expand(inputs: &[PathBuf]) -> anyhow::Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for input in inputs {
        if !input.exists() {
            return Err(BadInput(format!("{}: no such file or folder", input.display())).into());
        }
        if input.is_dir() {
            if input.join("manifest.json").is_file() {
                jobs.push(Job::Path(input.clone()));
                continue;
            }
            let mut children: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| PathContext(input.clone(), "reading"))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect();
            children.sort();
            if !children.is_empty() && children.iter().all(|c| is_node_input(c)) {
                jobs.extend(children.into_iter().map(Job::Path));
            } else {
                jobs.push(Job::Path(input.clone()));
            }
        } else if is_kubectl_prefix_capture(input) {
            let f = std::fs::File::open(input)
                .with_context(|| PathContext(input.clone(), "reading"))?;
            let mut pods: BTreeMap<String, String> = BTreeMap::new();
            for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
                let line = line.with_context(|| format!("{}:{}", input.display(), n + 1))?;
                let line = line.trim_start_matches('\u{feff}');
                if let Some((pod, text)) = prefixed(line) {
                    let t = pods.entry(pod.to_string()).or_default();
                    t.push_str(text);
                    t.push('\n');
                }
            }
            jobs.extend(pods.into_iter().map(|(pod, text)| Job::Pod {
                file: input.clone(),
                pod,
                text: Arc::new(text),
            }));
        } else {
            jobs.push(Job::Path(input.clone()));
        }
    }
    Ok(jobs)
}

/// The fields of an `analyze --format json` report the fleet needs.
#[derive(Deserialize)]
struct ReportDoc {
    schema_version: u32,
    #[serde(default)]
    findings: Vec<FindingDoc>,
    #[serde(default)]
    passed: Vec<String>,
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    model: Option<HostModel>,
}

#[derive(Deserialize)]
struct FindingDoc {
    id: String,
    severity: Severity,
}

/// A JSON report, when `text` is one (the last one, when several follow each other).
fn report_doc(text: &str) -> Option<ReportDoc> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if !t.starts_with('{') {
        return None;
    }
    serde_json::Deserializer::from_str(t)
        .into_iter::<serde_json::Value>()
        .map_while(Result::ok)
        .filter(|v| v.get("findings").is_some() && v.get("schema_version").is_some())
        .last()
        .and_then(|v| serde_json::from_value::<ReportDoc>(v).ok())
}

fn from_doc(input: &str, name: &str, doc: &ReportDoc) -> NodeSummary {
    let _ = doc.schema_version;
    let empty = HostModel::new();
    let model = doc.model.as_ref().unwrap_or(&empty);
    let mut s = NodeSummary::from_parts(
        input,
        name,
        doc.findings.iter().map(|f| (f.id.as_str(), f.severity)),
        &doc.passed,
        model,
    );
    if model.host_name.is_none() {
        if let Some(h) = doc.host.as_ref().filter(|h| !h.is_empty()) {
            s.node.clone_from(h);
        }
    }
    s
}

fn analyse(input: &str, name: &str, opts: &Options) -> anyhow::Result<NodeSummary> {
    let model = analyze::load_model(&[input.to_string()])?;
    let report = hnsdoctor_rules::run(&model, opts);
    Ok(NodeSummary::from_parts(
        input,
        name,
        report.findings.iter().map(|f| (f.id.as_str(), f.severity)),
        &report.passed,
        &model,
    ))
}

fn stem(p: &Path) -> String {
    let name = p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    for ext in [".zip", ".json", ".ZIP", ".JSON"] {
        if let Some(s) = name.strip_suffix(ext) {
            return s.to_string();
        }
    }
    name
}

/// Read one node.
fn run_job(job: &Job, opts: &Options) -> NodeSummary {
    match job {
        Job::Path(p) => {
            let input = p.display().to_string();
            let name = stem(p);
            let json = p.is_file()
                && p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if json {
                match std::fs::read_to_string(p) {
                    Ok(text) => {
                        if let Some(doc) = report_doc(&text) {
                            return from_doc(&input, &name, &doc);
                        }
                    }
                    Err(e) => {
                        let e = anyhow::Error::new(e).context(format!("reading {input}"));
                        return NodeSummary::failed(&input, &name, &e);
                    }
                }
            }
            analyse(&input, &name, opts).unwrap_or_else(|e| NodeSummary::failed(&input, &name, &e))
        }
        Job::Pod { file, pod, text } => {
            let input = format!("{} (pod {pod})", file.display());
            if let Some(doc) = report_doc(text) {
                return from_doc(&input, pod, &doc);
            }
            // Evidence text printed by the pod: analyse it like a pasted file.
            let res = (|| -> anyhow::Result<NodeSummary> {
                let mut tmp = tempfile::Builder::new()
                    .prefix("hnsdoctor-fleet-")
                    .suffix(".txt")
                    .tempfile()?;
                tmp.write_all(text.as_bytes())?;
                tmp.flush()?;
                let mut s = analyse(&tmp.path().to_string_lossy(), pod, opts)?;
                s.input.clone_from(&input);
                Ok(s)
            })();
            res.unwrap_or_else(|e| NodeSummary::failed(&input, pod, &e))
        }
    }
}

/// Read every job on `workers` threads; each keeps one node in memory at a time.
fn run_jobs(jobs: &[Job], workers: usize, opts: &Options) -> Vec<NodeSummary> {
    let next = AtomicUsize::new(0);
    let out = Mutex::new(Vec::with_capacity(jobs.len()));
    std::thread::scope(|s| {
        for _ in 0..workers.clamp(1, jobs.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let summary = run_job(job, opts);
                out.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(summary);
            });
        }
    });
    out.into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

// ------------------------------------------------------------------------------------------
// rendering

fn sev_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn headline(f: &FleetSummary) -> String {
    let failed = f.nodes.iter().filter(|n| n.error.is_some()).count();
    format!(
        "{} nodes read{}, {} need attention ({} with findings, {} differing from their peers)",
        f.nodes.len() - failed,
        if failed > 0 {
            format!(" ({failed} unreadable)")
        } else {
            String::new()
        },
        f.flagged.len(),
        f.nodes.iter().filter(|n| !n.findings.is_empty()).count(),
        f.deviations
            .iter()
            .map(|d| d.node.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    )
}

/// Text rendering.
#[must_use]
pub fn render_text(f: &FleetSummary) -> String {
    use std::fmt::Write as _;
    let mut o = format!("fleet: {}\n", headline(f));
    if !f.findings.is_empty() {
        o.push_str("\nFindings across the fleet:\n");
        let mut list: Vec<(&String, &FindingNodes)> = f.findings.iter().collect();
        list.sort_by(|a, b| b.1.severity.cmp(&a.1.severity).then(a.0.cmp(b.0)));
        for (id, fnodes) in list {
            let shown: Vec<&str> = fnodes.nodes.iter().take(10).map(String::as_str).collect();
            let more = fnodes.nodes.len().saturating_sub(shown.len());
            let _ = writeln!(
                o,
                "  {:<7} {id}: {} of {} nodes: {}{}",
                sev_name(fnodes.severity),
                fnodes.nodes.len(),
                f.nodes.len(),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    if !f.deviations.is_empty() {
        o.push_str("\nNodes that differ from their peers:\n");
        for d in &f.deviations {
            let _ = writeln!(o, "  {}: {}", d.node, d.message());
        }
    }
    let failed: Vec<&NodeSummary> = f.nodes.iter().filter(|n| n.error.is_some()).collect();
    if !failed.is_empty() {
        o.push_str("\nUnreadable inputs:\n");
        for n in failed {
            let _ = writeln!(
                o,
                "  {}: {}",
                n.input,
                n.error.as_deref().unwrap_or_default()
            );
        }
    }
    if !f.flagged.is_empty() {
        o.push_str("\nBy node:\n");
        let by: HashMap<&str, &NodeSummary> =
            f.nodes.iter().map(|n| (n.node.as_str(), n)).collect();
        for name in &f.flagged {
            let mut parts: Vec<String> = by
                .get(name.as_str())
                .map(|n| {
                    n.findings
                        .iter()
                        .map(|(id, s)| format!("{id} ({})", sev_name(*s)))
                        .collect()
                })
                .unwrap_or_default();
            parts.extend(
                f.deviations
                    .iter()
                    .filter(|d| &d.node == name)
                    .map(|d| format!("differs: {}", d.kind)),
            );
            if by.get(name.as_str()).is_some_and(|n| n.error.is_some()) {
                parts.push("unreadable".into());
            }
            let _ = writeln!(o, "  {name}: {}", parts.join(", "));
        }
    }
    o
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Markdown rendering: a node × finding table of the flagged nodes.
#[must_use]
pub fn render_markdown(f: &FleetSummary) -> String {
    use std::fmt::Write as _;
    let mut o = format!("## hnsdoctor fleet\n\n{}\n", headline(f));
    if f.flagged.is_empty() {
        return o;
    }
    let ids: Vec<&String> = f.findings.keys().collect();
    o.push_str("\n| node |");
    for id in &ids {
        let _ = write!(o, " `{id}` |");
    }
    o.push_str(" differs from peers |\n|---|");
    for _ in &ids {
        o.push_str(":-:|");
    }
    o.push_str("---|\n");
    let by: HashMap<&str, &NodeSummary> = f.nodes.iter().map(|n| (n.node.as_str(), n)).collect();
    for name in &f.flagged {
        let n = by.get(name.as_str());
        let _ = write!(o, "| {} |", md_escape(name));
        for id in &ids {
            let cell = match n.and_then(|n| n.findings.get(id.as_str())) {
                Some(Severity::Error) => "❌ error",
                Some(Severity::Warning) => "⚠️ warning",
                Some(Severity::Info) => "ℹ️ info",
                None => "",
            };
            let _ = write!(o, " {cell} |");
        }
        let mut diffs: Vec<String> = f
            .deviations
            .iter()
            .filter(|d| &d.node == name)
            .map(Deviation::message)
            .collect();
        if let Some(e) = n.and_then(|n| n.error.as_deref()) {
            diffs.push(format!("unreadable: {e}"));
        }
        let _ = writeln!(o, " {} |", md_escape(&diffs.join("; ")));
    }
    o
}

/// Read every input, summarise, render in `format`; returns the text and the exit code.
///
/// # Errors
/// [`BadInput`] when an input does not exist or nothing at all could be read.
pub fn fleet(args: &Args) -> anyhow::Result<(String, Exit)> {
    fleet_with(args, Vec::new())
}

/// [`fleet`] with more nodes known beforehand (nodes whose evidence could not be collected).
///
/// # Errors
/// As [`fleet`].
pub fn fleet_with(args: &Args, extra: Vec<NodeSummary>) -> anyhow::Result<(String, Exit)> {
    let jobs = expand(&args.inputs)?;
    if jobs.is_empty() && extra.is_empty() {
        return Err(BadInput("fleet: no node inputs found".into()).into());
    }
    let workers = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    let mut nodes = run_jobs(&jobs, workers, &Options::default());
    nodes.extend(extra);
    if nodes.iter().all(|n| n.error.is_some()) {
        let first = nodes
            .iter()
            .find_map(|n| n.error.clone())
            .unwrap_or_default();
        return Err(BadInput(format!("fleet: no input could be read ({first})")).into());
    }
    let summary = summarise(nodes, args.min_severity.into(), args.deviation);
    let text = match args.format {
        FleetFormat::Text => render_text(&summary),
        FleetFormat::Json => {
            let mut s = serde_json::to_string_pretty(&summary)?;
            s.push('\n');
            hnsdoctor_report::json::ascii_escape(&s)
        }
        FleetFormat::Markdown => render_markdown(&summary),
        FleetFormat::Html => html::render(&summary),
    };
    let worst = summary.findings.values().map(|f| f.severity).max();
    let code = if worst == Some(Severity::Error) {
        Exit::Errors
    } else if summary.flagged.is_empty() {
        Exit::Ok
    } else {
        Exit::Warnings
    };
    Ok((text, code))
}

/// Run `fleet`.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let (text, code) = fleet(args)?;
    match &args.out {
        Some(p) => std::fs::write(p, text).with_context(|| PathContext(p.clone(), "writing"))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, lbs: usize, build: &str) -> NodeSummary {
        NodeSummary {
            node: name.into(),
            input: name.into(),
            os_build: Some(build.into()),
            load_balancers: Some(lbs),
            local_endpoints: Some(10),
            remote_endpoints: Some(90),
            dns_lb: Some(true),
            ..NodeSummary::default()
        }
    }

    #[test]
    fn deviations_from_the_median_and_the_majority() {
        let mut nodes: Vec<NodeSummary> = (0..9)
            .map(|i| node(&format!("n{i}"), 100 + i, "20348.2966"))
            .collect();
        nodes[2].load_balancers = Some(1); // 577 → 1 style loss
        nodes[5].os_build = Some("20348.2849".into());
        nodes[7].dns_lb = Some(false);
        nodes[7]
            .findings
            .insert("dns-lb-missing".into(), Severity::Error);
        nodes[8].findings.insert("some-info".into(), Severity::Info);
        let f = summarise(nodes, Severity::Warning, 50);
        let kinds: Vec<(&str, &str)> = f
            .deviations
            .iter()
            .map(|d| (d.node.as_str(), d.kind.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("n2", "load-balancers"),
                ("n5", "os-build"),
                ("n7", "dns-lb")
            ]
        );
        assert_eq!(f.flagged, ["n2", "n5", "n7"], "info alone is not flagged");
        assert_eq!(f.findings["dns-lb-missing"].nodes, ["n7"]);
        let md = render_markdown(&f);
        assert!(md.contains("| n7 | ❌ error |"), "{md}");
        let text = render_text(&f);
        assert!(
            text.contains("n2: 1 load balancers (fleet median 104)"),
            "{text}"
        );
    }

    #[test]
    fn a_folder_of_reports_is_many_nodes_a_folder_of_dumps_is_one() {
        let d = tempfile::tempdir().unwrap();
        let reports = d.path().join("reports");
        let dumps = d.path().join("dumps");
        std::fs::create_dir_all(&reports).unwrap();
        std::fs::create_dir_all(&dumps).unwrap();
        for n in ["a", "b"] {
            std::fs::write(
                reports.join(format!("{n}.json")),
                r#"{"schema_version": 1, "findings": [], "passed": []}"#,
            )
            .unwrap();
        }
        std::fs::write(dumps.join("endpoints.json"), r#"[{"ID": "x"}]"#).unwrap();
        std::fs::write(dumps.join("network.json"), r#"{"ID": "y"}"#).unwrap();
        let jobs = expand(&[reports, dumps.clone()]).unwrap();
        let paths: Vec<String> = jobs
            .iter()
            .map(|j| match j {
                Job::Path(p) => p.file_name().unwrap().to_string_lossy().into_owned(),
                Job::Pod { pod, .. } => pod.clone(),
            })
            .collect();
        assert_eq!(paths, ["a.json", "b.json", "dumps"]);
    }

    #[test]
    fn kubectl_prefix_lines() {
        assert_eq!(
            prefixed("[pod/hnsdoctor-x7k2p/hnsdoctor] {\"a\": 1}"),
            Some(("hnsdoctor-x7k2p", "{\"a\": 1}"))
        );
        assert_eq!(prefixed("{\"a\": 1}"), None);
    }

    #[test]
    fn the_last_of_several_reports_is_taken() {
        let a = r#"{"schema_version":1,"findings":[{"id":"a","severity":"error"}],"passed":[]}"#;
        let b = r#"{"schema_version":1,"findings":[],"passed":["dns-lb-missing"],"host":"n1"}"#;
        let doc = report_doc(&format!("{a}\n{b}\n")).expect("a report");
        assert!(doc.findings.is_empty());
        assert_eq!(doc.host.as_deref(), Some("n1"));
        assert!(report_doc("not json").is_none());
    }
}
