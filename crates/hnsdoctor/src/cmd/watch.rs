//! `hnsdoctor watch [PATH…] --interval <dur> [--metrics ADDR:PORT] [--runs N]`: re-run the
//! analysis on an interval, print one JSON line per run, and serve Prometheus metrics.
//!
//! Without `PATH` each run collects the live host (as `doctor` does, Windows only); with paths
//! each run re-reads them (a bundle folder refreshed by something else, or the tests).
//!
//! `--metrics` serves `GET /metrics` in the OpenMetrics text format (`prometheus-client`) on a
//! plain blocking listener (default `127.0.0.1:9922`; port 0 picks a free port, and the bound
//! address is printed on stderr as `metrics: http://ADDR/metrics`). Metrics, all prefixed
//! `hnsdoctor_`: `finding{id,severity}` (1 per finding present), `findings{severity}`,
//! `hns_networks`, `hns_endpoints{location}`, `hns_load_balancers`, `free_port_blocks{protocol}`
//! (free 64-port blocks of the dynamic range), `hns_threads`, `inputs_refused`,
//! `last_run_timestamp_seconds`, `last_run_duration_seconds`, `runs_total`. A count whose
//! evidence was not read is left out rather than reported as 0.
//!
//! Bundles on a trigger ([`trigger`]): `--bundle-on SEVERITY`, `--lb-drop PERCENT`,
//! `--min-free-blocks N`, `--max-hns-threads N`, `--on-dns-lb-missing` keep the run's full
//! evidence under `--bundle-dir` (the newest `--keep K`) when a condition becomes true; the JSON
//! line then names the `bundle` and its `triggers`. `--sequence` replays PATHs as successive
//! samples of one node (run N reads PATH N), for testing thresholds or re-playing history.

pub mod trigger;

use crate::cmd::{analyze, collect, BadInput};
use crate::exit::Exit;
use hnsdoctor_model::{Fact, HostModel, Transport};
use hnsdoctor_rules::{Options, Report, Severity};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Arguments of `watch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Evidence to re-read on every run instead of collecting this host.
    #[arg(value_name = "PATH")]
    pub inputs: Vec<String>,
    /// Time between runs: `30s`, `5m`, `1h`, `500ms`.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub interval: Duration,
    /// Serve Prometheus metrics on this address (`/metrics`).
    #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1, default_missing_value = "127.0.0.1:9922")]
    pub metrics: Option<SocketAddr>,
    /// Stop after this many runs (0: run until stopped). With `--metrics` the endpoint keeps
    /// serving the last run's values until the process is stopped.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub runs: u64,
    /// Read the PATHs one per run, in order, as successive samples of one node (stops after the
    /// last), instead of all of them on every run.
    #[arg(long, requires = "inputs")]
    pub sequence: bool,
    /// Keep a full bundle when a finding at or above this severity appears.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub bundle_on: Option<analyze::MinSeverity>,
    /// Keep a full bundle when the load balancer count drops by more than PERCENT between two
    /// runs.
    #[arg(long, value_name = "PERCENT")]
    pub lb_drop: Option<u32>,
    /// Keep a full bundle when free 64-port blocks (TCP or UDP) fall below N.
    #[arg(long, value_name = "N")]
    pub min_free_blocks: Option<u32>,
    /// Keep a full bundle when HNS has more than N threads.
    #[arg(long, value_name = "N")]
    pub max_hns_threads: Option<u32>,
    /// Keep a full bundle when the cluster DNS VIP loses its load balancers.
    #[arg(long)]
    pub on_dns_lb_missing: bool,
    /// Where kept bundles go (`hnsdoctor-watch-<UTC time>-run<N>` folders).
    #[arg(long, value_name = "DIR", default_value = "hnsdoctor-watch")]
    pub bundle_dir: PathBuf,
    /// How many kept bundles to keep; the oldest are removed.
    #[arg(long, value_name = "K", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub keep: u64,
    /// Write error findings as warning events to the Windows Application log (source
    /// `hnsdoctor`), each when it appears.
    #[arg(long)]
    pub eventlog: bool,
    /// Post error findings as Kubernetes Events on this Node (in-cluster API; needs
    /// `NODE_NAME` and the DaemonSet's ServiceAccount), each when it appears.
    #[arg(long)]
    pub k8s_events: bool,
}

impl Args {
    /// The trigger conditions given on the command line.
    #[must_use]
    pub fn thresholds(&self) -> trigger::Thresholds {
        trigger::Thresholds {
            on_severity: self.bundle_on.map(Into::into),
            lb_drop_pct: self.lb_drop,
            min_free_blocks: self.min_free_blocks,
            max_hns_threads: self.max_hns_threads,
            dns_lb_missing: self.on_dns_lb_missing,
        }
    }
}

/// Parse `500ms`, `30s`, `5m`, `1h` (a bare number is seconds).
///
/// # Errors
/// A sentence naming the bad value.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("not a duration (e.g. 30s, 5m, 1h): {s:?}"))?;
    let d = match unit {
        "ms" => Duration::from_millis(n),
        "" | "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        _ => return Err(format!("unknown unit {unit:?} in {s:?} (ms, s, m, h)")),
    };
    if d.is_zero() {
        return Err("the interval must be more than 0".into());
    }
    Ok(d)
}

type Labels = Vec<(String, String)>;

/// The metrics of one watcher; the handles share their values with the registry.
pub struct Metrics {
    registry: Registry,
    finding: Family<Labels, Gauge>,
    findings: Family<Labels, Gauge>,
    networks: Family<Labels, Gauge>,
    endpoints: Family<Labels, Gauge>,
    lbs: Family<Labels, Gauge>,
    free_blocks: Family<Labels, Gauge>,
    threads: Family<Labels, Gauge>,
    refused: Gauge,
    last_run: Gauge<f64, AtomicU64>,
    duration: Gauge<f64, AtomicU64>,
    runs: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry with every metric, no values yet.
    #[must_use]
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("hnsdoctor");
        let m = Self {
            registry: Registry::default(),
            finding: Family::default(),
            findings: Family::default(),
            networks: Family::default(),
            endpoints: Family::default(),
            lbs: Family::default(),
            free_blocks: Family::default(),
            threads: Family::default(),
            refused: Gauge::default(),
            last_run: Gauge::default(),
            duration: Gauge::default(),
            runs: Counter::default(),
        };
        registry.register(
            "finding",
            "A finding present on the last run (1), by id and severity",
            m.finding.clone(),
        );
        registry.register(
            "findings",
            "Findings on the last run, by severity",
            m.findings.clone(),
        );
        registry.register("hns_networks", "HNS networks", m.networks.clone());
        registry.register(
            "hns_endpoints",
            "HNS endpoints, by location (local, remote)",
            m.endpoints.clone(),
        );
        registry.register("hns_load_balancers", "HNS load balancers", m.lbs.clone());
        registry.register(
            "free_port_blocks",
            "Free 64-port blocks in the dynamic port range, by protocol",
            m.free_blocks.clone(),
        );
        registry.register(
            "hns_threads",
            "Threads of the HNS process",
            m.threads.clone(),
        );
        registry.register(
            "inputs_refused",
            "Inputs or sources that could not be read on the last run",
            m.refused.clone(),
        );
        registry.register(
            "last_run_timestamp_seconds",
            "When the last run finished (Unix time)",
            m.last_run.clone(),
        );
        registry.register(
            "last_run_duration_seconds",
            "How long the last run took",
            m.duration.clone(),
        );
        registry.register("runs", "Runs since start", m.runs.clone());
        Self { registry, ..m }
    }

    /// Set every value from one run's model and report.
    pub fn update(&self, model: &HostModel, report: &Report, took: Duration) {
        let l = |pairs: &[(&str, &str)]| -> Labels {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect()
        };
        self.finding.clear();
        self.findings.clear();
        for sev in [Severity::Error, Severity::Warning, Severity::Info] {
            self.findings
                .get_or_create(&l(&[("severity", sev_name(sev))]))
                .set(0);
        }
        for f in &report.findings {
            self.finding
                .get_or_create(&l(&[("id", &f.id), ("severity", sev_name(f.severity))]))
                .set(1);
            self.findings
                .get_or_create(&l(&[("severity", sev_name(f.severity))]))
                .inc();
        }
        let has = |f: Fact| model.facts.contains(&f);
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        for fam in [
            &self.networks,
            &self.endpoints,
            &self.lbs,
            &self.free_blocks,
            &self.threads,
        ] {
            fam.clear();
        }
        if has(Fact::HnsNetworks) {
            self.networks
                .get_or_create(&Vec::new())
                .set(count(model.hns.networks.len()));
        }
        if has(Fact::HnsEndpoints) {
            let remote = model
                .hns
                .endpoints
                .iter()
                .filter(|e| e.is_remote == Some(true))
                .count();
            self.endpoints
                .get_or_create(&l(&[("location", "local")]))
                .set(count(model.hns.endpoints.len() - remote));
            self.endpoints
                .get_or_create(&l(&[("location", "remote")]))
                .set(count(remote));
        }
        if has(Fact::HnsLoadBalancers) {
            self.lbs
                .get_or_create(&Vec::new())
                .set(count(model.hns.load_balancers.len()));
        }
        for (t, name) in [(Transport::Tcp, "tcp"), (Transport::Udp, "udp")] {
            if let Some(p) = hnsdoctor_rules::portmath::pool(model, t) {
                self.free_blocks
                    .get_or_create(&l(&[("protocol", name)]))
                    .set(i64::from(p.free_blocks));
            }
        }
        if let Some(t) = model.hns.process.as_ref().and_then(|p| p.threads) {
            self.threads.get_or_create(&Vec::new()).set(i64::from(t));
        }
        self.refused.set(count(
            model.inputs.iter().filter(|i| i.refused.is_some()).count(),
        ));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        self.last_run.set(now.as_secs_f64());
        self.duration.set(took.as_secs_f64());
        self.runs.inc();
    }

    /// The exposition text.
    #[must_use]
    pub fn encode(&self) -> String {
        let mut s = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut s, &self.registry);
        s
    }
}

pub(crate) fn sev_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Answer one HTTP request: `GET /metrics` → 200 with the metrics, anything else 404.
fn serve_one(stream: TcpStream, metrics: &Metrics) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // drain the headers (bounded)
    let mut line = String::new();
    for _ in 0..100 {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, ctype, body) =
        if method == "GET" && (path == "/metrics" || path.starts_with("/metrics?")) {
            (
                "200 OK",
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                metrics.encode(),
            )
        } else {
            (
                "404 Not Found",
                "text/plain; charset=utf-8",
                "hnsdoctor: only GET /metrics is served\n".to_string(),
            )
        };
    let mut w = stream;
    write!(
        w,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    w.flush()
}

/// Bind `addr` and serve `/metrics` on a background thread; returns the bound address.
///
/// # Errors
/// The bind error, naming the address.
pub fn serve(addr: SocketAddr, metrics: Arc<Metrics>) -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind(addr)
        .map_err(|e| anyhow::anyhow!("--metrics: cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Err(e) = serve_one(stream, &metrics) {
                tracing::debug!("metrics request: {e}");
            }
        }
    });
    Ok(bound)
}

/// State carried from one run to the next.
#[derive(Default)]
struct State {
    run: u64,
    prev: Option<trigger::Sample>,
    /// Error findings already written to the Event Log (present on the previous run).
    logged: std::collections::BTreeSet<String>,
    /// Error findings already posted as Kubernetes Events.
    posted: std::collections::BTreeSet<String>,
    /// Where to post them (`--k8s-events`).
    cluster: Option<crate::cmd::k8s_events::InCluster>,
}

/// One run: the model (live or from the inputs), the report, a kept bundle when a trigger
/// fires, and the JSON line.
fn one_run(
    args: &Args,
    opts: &Options,
    metrics: &Metrics,
    state: &mut State,
) -> anyhow::Result<String> {
    let t = Instant::now();
    state.run += 1;
    let inputs: &[String] = if args.sequence {
        let i = usize::try_from(state.run - 1).unwrap_or(usize::MAX);
        args.inputs.get(i..=i).unwrap_or_default()
    } else {
        &args.inputs
    };
    let (model, _temp, collected) = if inputs.is_empty() {
        let (m, t, d) = collect::live_model("watch")?;
        (m, Some(t), Some(d))
    } else {
        (analyze::load_model(inputs)?, None, None)
    };
    let report = hnsdoctor_rules::run(&model, opts);
    let took = t.elapsed();
    metrics.update(&model, &report, took);
    if args.eventlog {
        let events = crate::cmd::eventlog::select(&report, &state.logged);
        if let Err(e) = crate::cmd::eventlog::write(&events) {
            eprintln!("hnsdoctor: watch: {e:#}");
        }
        state.logged = crate::cmd::eventlog::error_ids(&report);
    }
    if let Some(cfg) = &state.cluster {
        match crate::cmd::k8s_events::publish(cfg, &report, &state.posted) {
            // a finding that could not be posted is tried again on its next appearance
            Ok(_) => state.posted = crate::cmd::eventlog::error_ids(&report),
            Err(e) => eprintln!("hnsdoctor: watch: {e:#}"),
        }
    }
    let thresholds = args.thresholds();
    let sample = trigger::Sample::of(&model, &report);
    let reasons = if thresholds.any() {
        trigger::reasons(&thresholds, state.prev.as_ref(), &sample)
    } else {
        Vec::new()
    };
    state.prev = Some(sample);
    // A bundle that cannot be written is reported in the line; the run still counts.
    let kept = (!reasons.is_empty()).then(|| {
        let evidence = match &collected {
            Some(d) => trigger::Evidence::Collected(d),
            None => trigger::Evidence::Inputs(inputs),
        };
        let name = trigger::bundle_name(chrono::Utc::now(), state.run);
        let keep = usize::try_from(args.keep).unwrap_or(usize::MAX);
        trigger::keep(&args.bundle_dir, &name, &evidence).and_then(|dest| {
            for gone in trigger::prune(&args.bundle_dir, keep)? {
                tracing::info!("watch: removed the older bundle {gone}");
            }
            Ok(dest.to_string_lossy().into_owned())
        })
    });
    let mut line = serde_json::json!({
        "time": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "host": report.host,
        "duration_ms": u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
        "worst": report.worst().map(sev_name),
        "findings": report.findings.iter()
            .map(|f| serde_json::json!({"id": f.id, "severity": sev_name(f.severity)}))
            .collect::<Vec<_>>(),
        "load_balancers": model.facts.contains(&Fact::HnsLoadBalancers)
            .then_some(model.hns.load_balancers.len()),
        "endpoints": model.facts.contains(&Fact::HnsEndpoints)
            .then_some(model.hns.endpoints.len()),
    });
    match kept {
        Some(Ok(k)) => line["bundle"] = k.into(),
        Some(Err(e)) => {
            eprintln!("hnsdoctor: watch: cannot keep the bundle: {e:#}");
            line["bundle_error"] = format!("{e:#}").into();
        }
        None => {}
    }
    if !reasons.is_empty() {
        line["triggers"] = reasons.into();
    }
    Ok(hnsdoctor_report::json::ascii_escape(&line.to_string()))
}

/// Run `watch`.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let opts = Options::default();
    if args.inputs.is_empty() {
        crate::cmd::require_windows("watch")?;
    }
    if args.eventlog {
        crate::cmd::eventlog::ensure_available()?;
    }
    let metrics = Arc::new(Metrics::new());
    if let Some(addr) = args.metrics {
        let bound = serve(addr, Arc::clone(&metrics))?;
        eprintln!("metrics: http://{bound}/metrics");
    }
    let mut state = State::default();
    if args.k8s_events {
        state.cluster = Some(crate::cmd::k8s_events::InCluster::from_env()?);
    }
    let runs = if args.sequence {
        args.inputs.len() as u64
    } else {
        args.runs
    };
    loop {
        let started = Instant::now();
        match one_run(args, &opts, &metrics, &mut state) {
            Ok(line) => {
                let mut out = std::io::stdout().lock();
                writeln!(out, "{line}")?;
                out.flush()?;
            }
            // bad input will not get better by waiting
            Err(e)
                if e.chain().any(|c| {
                    c.downcast_ref::<BadInput>().is_some()
                        || c.downcast_ref::<crate::cmd::BadInputAt>().is_some()
                }) =>
            {
                return Err(e)
            }
            Err(e) => eprintln!("hnsdoctor: watch: run failed: {e:#}"),
        }
        if runs != 0 && state.run >= runs {
            if args.metrics.is_some() {
                // keep serving the last values
                loop {
                    std::thread::park();
                }
            }
            return Ok(Exit::Ok);
        }
        std::thread::sleep(args.interval.saturating_sub(started.elapsed()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("m").is_err());
    }
}
