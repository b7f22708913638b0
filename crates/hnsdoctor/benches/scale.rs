//! Scale benchmark: `analyze` on synthetic nodes (`hnsdoctor-synth`) of growing size, against
//! the I/O floor measured in the same run. Method and results: `docs/benchmarks.md`.
//!
//! For every size (endpoints N, load balancers N/2, legacy CollectLogs layout, UTF-16LE) it
//! runs, alternately and `REPS` times each, in fresh child processes (so each peak RSS is its
//! own):
//! * **floor** — read every file, decode it (`hnsdoctor_bundle::text::decode`) and JSON-parse
//!   the JSON part (`serde_json::Value`), nothing else;
//! * **analyze** — `hnsdoctor_bundle::open` (read + decode), `assemble_into` (parse), `rules::run`
//!   (rules) and `report::render` JSON (report), each phase timed;
//! * **process** — the `hnsdoctor analyze <dir> --format json` binary, wall time.
//!
//! It prints medians, `analyze / floor`, time per endpoint relative to the smallest size, and
//! peak RSS (`VmHWM`) relative to the input size.
//!
//! Run: `cargo bench -p hnsdoctor --bench scale` (sizes 1000, 5000, 20000). Environment:
//! `HNSDOCTOR_BENCH_SIZES=1000,5000` (endpoints), `HNSDOCTOR_BENCH_REPS=3`,
//! `HNSDOCTOR_BENCH_VFP_PORTS=4` (local ports with full VFP rule dumps; 30 gives ~200 MB of VFP
//! text at 20k). Under `cargo test --all-targets` (no `--bench` argument) it makes one quick pass
//! at 300 endpoints and checks that the planted faults are found, as a smoke test.

use hnsdoctor_model::HostModel;
use hnsdoctor_report::{Format, RenderOptions};
use hnsdoctor_rules::Options;
use hnsdoctor_synth::{Layout, Spec, PLANTED};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Peak resident set size of this process in bytes (`VmHWM`), 0 when unknown.
fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// The floor: read, decode, JSON-parse. Returns the number of JSON values parsed.
fn floor(dir: &Path) -> usize {
    let mut parsed = 0;
    for p in files(dir) {
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let text = hnsdoctor_bundle::text::decode(name.as_deref().unwrap_or(""), &bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .text;
        drop(bytes);
        // JSON starts at the first line that opens an array or object (after a table, if any)
        let start = if text.starts_with(['[', '{']) {
            Some(0)
        } else {
            text.find("\n[").or_else(|| text.find("\n{")).map(|i| i + 1)
        };
        if let Some(s) = start {
            if serde_json::from_str::<serde_json::Value>(&text[s..]).is_ok() {
                parsed += 1;
            }
        }
    }
    parsed
}

/// Phase times of one in-process analyze, and the finding ids.
struct Phases {
    open: Duration,
    parse: Duration,
    rules: Duration,
    report: Duration,
    ids: Vec<String>,
    /// Peak RSS after open and after parse (bytes), to see which phase sets the peak.
    rss_open: u64,
    rss_parse: u64,
}

/// A writer that only counts bytes (the report goes nowhere, as to a pipe).
#[derive(Default)]
struct Count(usize);

impl std::io::Write for Count {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn analyze(dir: &Path) -> Phases {
    let t0 = Instant::now();
    let opened = hnsdoctor_bundle::open(&dir.to_string_lossy())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let t1 = Instant::now();
    let rss_open = peak_rss();
    let mut model = HostModel::new();
    hnsdoctor_parse::assemble::assemble_into(&opened, &mut model);
    drop(opened);
    let t2 = Instant::now();
    let rss_parse = peak_rss();
    // As `analyze` does: the model is given to the report, the JSON streamed to the output.
    let report = hnsdoctor_rules::run_owned(model, &Options::default());
    let t3 = Instant::now();
    let mut out = Count::default();
    hnsdoctor_report::write(&report, Format::Json, &RenderOptions::default(), &mut out)
        .expect("counting writer");
    let t4 = Instant::now();
    assert!(out.0 > 2);
    let mut ids: Vec<String> = report.findings.iter().map(|f| f.id.clone()).collect();
    ids.sort();
    ids.dedup();
    Phases {
        open: t1 - t0,
        parse: t2 - t1,
        rules: t3 - t2,
        report: t4 - t3,
        ids,
        rss_open,
        rss_parse,
    }
}

/// Child mode: `--child floor|analyze <dir>` prints one `key=value` line.
fn child(mode: &str, dir: &Path) {
    match mode {
        "floor" => {
            let t = Instant::now();
            let n = floor(dir);
            let d = t.elapsed();
            println!("floor={} json={n} rss={}", d.as_secs_f64(), peak_rss());
        }
        _ => {
            let p = analyze(dir);
            println!(
                "open={} parse={} rules={} report={} rss={} rss_open={} rss_parse={} ids={}",
                p.open.as_secs_f64(),
                p.parse.as_secs_f64(),
                p.rules.as_secs_f64(),
                p.report.as_secs_f64(),
                peak_rss(),
                p.rss_open,
                p.rss_parse,
                p.ids.join(",")
            );
        }
    }
}

fn run_child(mode: &str, dir: &Path) -> std::collections::HashMap<String, String> {
    let exe = std::env::current_exe().expect("current exe");
    let out = Command::new(exe)
        .args(["--child", mode])
        .arg(dir)
        .stderr(Stdio::inherit())
        .output()
        .expect("run child");
    assert!(out.status.success(), "child {mode} failed");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn secs(m: &std::collections::HashMap<String, String>, k: &str) -> f64 {
    m.get(k).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One size's medians.
struct Row {
    endpoints: usize,
    lbs: usize,
    input: u64,
    floor: f64,
    open: f64,
    parse: f64,
    rules: f64,
    report: f64,
    process: f64,
    rss: f64,
    floor_rss: f64,
}

impl Row {
    fn analyze(&self) -> f64 {
        self.open + self.parse + self.rules + self.report
    }
}

fn measure(dir: &Path, spec: &Spec, input: u64, reps: usize) -> (Row, String) {
    let bin = env!("CARGO_BIN_EXE_hnsdoctor");
    let (mut fl, mut op, mut pa, mut ru, mut re, mut pr, mut rss, mut frss) = (
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
    );
    let mut ids = String::new();
    for _ in 0..reps {
        let f = run_child("floor", dir);
        fl.push(secs(&f, "floor"));
        frss.push(secs(&f, "rss"));
        let a = run_child("analyze", dir);
        op.push(secs(&a, "open"));
        pa.push(secs(&a, "parse"));
        ru.push(secs(&a, "rules"));
        re.push(secs(&a, "report"));
        rss.push(secs(&a, "rss"));
        ids = a.get("ids").cloned().unwrap_or_default();
        let t = Instant::now();
        let st = Command::new(bin)
            .arg("analyze")
            .arg(dir)
            .args(["--format", "json"])
            .stdout(Stdio::null())
            .status()
            .expect("run hnsdoctor");
        pr.push(t.elapsed().as_secs_f64());
        assert!(st.code().is_some_and(|c| c <= 2), "analyze failed: {st}");
    }
    (
        Row {
            endpoints: spec.endpoints,
            lbs: spec.lbs,
            input,
            floor: median(fl),
            open: median(op),
            parse: median(pa),
            rules: median(ru),
            report: median(re),
            process: median(pr),
            rss: median(rss),
            floor_rss: median(frss),
        },
        ids,
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2], Path::new(&args[3]));
        return;
    }
    let bench = args.iter().any(|a| a == "--bench");
    let sizes: Vec<usize> = if bench {
        std::env::var("HNSDOCTOR_BENCH_SIZES")
            .ok()
            .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![1000, 5000, 20_000])
    } else {
        vec![300]
    };
    let reps = if bench {
        env_or("HNSDOCTOR_BENCH_REPS", 3usize).max(1)
    } else {
        1
    };
    let vfp_ports = env_or("HNSDOCTOR_BENCH_VFP_PORTS", 4usize);
    let tmp = tempfile::Builder::new()
        .prefix("hnsdoctor-scale-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    let mut rows = Vec::new();
    for &n in &sizes {
        let mut spec = Spec::new(n);
        spec.vfp_ports = vfp_ports.clamp(1, spec.locals);
        let dir = tmp.path().join(format!("n{n}"));
        let written = hnsdoctor_synth::write(&dir, &spec, Layout::Legacy).expect("synth");
        let input: u64 = written.iter().map(|w| w.bytes).sum();
        let (row, ids) = measure(&dir, &spec, input, reps);
        for id in PLANTED {
            assert!(
                ids.split(',').any(|i| i == *id),
                "{n} endpoints: planted {id} not found in {ids}"
            );
        }
        eprintln!(
            "{n:>6} endpoints: floor {:.3}s analyze {:.3}s (rules {:.3}s) process {:.3}s",
            row.floor,
            row.analyze(),
            row.rules,
            row.process
        );
        rows.push(row);
        std::fs::remove_dir_all(&dir).ok();
    }
    let base = rows[0].analyze() / rows[0].endpoints as f64;
    println!(
        "\n| endpoints / LBs | input MB | floor s | open s | parse s | rules s | report s | analyze s | analyze / floor | process s | µs / endpoint | vs smallest | peak RSS MB | RSS / input | floor RSS MB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let per = r.analyze() / r.endpoints as f64;
        println!(
            "| {} / {} | {:.1} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2}× | {:.3} | {:.1} | {:.2}× | {:.0} | {:.2}× | {:.0} |",
            r.endpoints,
            r.lbs,
            r.input as f64 / 1e6,
            r.floor,
            r.open,
            r.parse,
            r.rules,
            r.report,
            r.analyze(),
            r.analyze() / r.floor,
            r.process,
            per * 1e6,
            per / base,
            r.rss / 1e6,
            r.rss / r.input as f64,
            r.floor_rss / 1e6
        );
    }
}
