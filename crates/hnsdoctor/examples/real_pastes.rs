//! Scores `hnsdoctor analyze` against a corpus of real pastes (issue #8).
//!
//! ```text
//! cargo run --release -p hnsdoctor --example real_pastes -- ../shared/real-pastes [--min N] [--verbose]
//! ```
//!
//! The corpus holds `cases/<id>/input.txt` and one `expected.toml` with, per case, `any = [ids]`
//! (at least one must be reported), `healthy = true` (no error-severity finding) and an optional
//! `port`. Cases without an entry are scored for parsing only: no refusal ("nothing recognised",
//! exit 3) and no internal error (exit 5 or a crash). The binary under test is the `hnsdoctor`
//! built beside this example (same profile), or `$HNSDOCTOR_BIN`.
//!
//! Prints one line per case, the reason for each miss, and a closing `N passed, M failed`; exits
//! 1 when the number passed is below `--min` (the ratchet kept in `tools/real-pastes.best`).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Default, Deserialize)]
struct Expected {
    #[serde(default)]
    cases: BTreeMap<String, Expect>,
}

#[derive(Debug, Default, Deserialize)]
struct Expect {
    #[serde(default)]
    any: Vec<String>,
    #[serde(default)]
    healthy: bool,
    port: Option<u16>,
}

fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("HNSDOCTOR_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current exe");
    // target/<profile>/examples/real_pastes -> target/<profile>/hnsdoctor
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    dir.join(format!("hnsdoctor{}", std::env::consts::EXE_SUFFIX))
}

struct Outcome {
    pass: bool,
    scored: bool,
    detail: String,
}

fn score(bin: &Path, dir: &Path, exp: Option<&Expect>) -> Outcome {
    let input = dir.join("input.txt");
    let mut cmd = Command::new(bin);
    cmd.arg("analyze").arg(&input).args(["--format", "json"]);
    if let Some(p) = exp.and_then(|e| e.port) {
        cmd.args(["--port", &p.to_string()]);
    }
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            return Outcome {
                pass: false,
                scored: exp.is_some(),
                detail: format!("cannot run {}: {e}", bin.display()),
            }
        }
    };
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !(0..3).contains(&code) {
        return Outcome {
            pass: false,
            scored: exp.is_some(),
            detail: format!("exit {code}: {}", stderr.lines().next().unwrap_or("")),
        };
    }
    let json: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => {
            return Outcome {
                pass: false,
                scored: exp.is_some(),
                detail: format!("report is not JSON: {e}"),
            }
        }
    };
    let found: Vec<(String, String)> = json["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["id"].as_str().unwrap_or("").to_string(),
                        f["severity"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let listed = found
        .iter()
        .map(|(id, sev)| format!("{id}({sev})"))
        .collect::<Vec<_>>()
        .join(", ");
    let Some(exp) = exp else {
        return Outcome {
            pass: true,
            scored: false,
            detail: format!("parsed, exit {code}: [{listed}]"),
        };
    };
    let mut pass = true;
    let mut why = Vec::new();
    if !exp.any.is_empty() && !found.iter().any(|(id, _)| exp.any.contains(id)) {
        pass = false;
        why.push(format!("none of {:?} reported", exp.any));
    }
    if exp.healthy {
        let errors: Vec<&str> = found
            .iter()
            .filter(|(_, s)| s == "error")
            .map(|(id, _)| id.as_str())
            .collect();
        if !errors.is_empty() {
            pass = false;
            why.push(format!("healthy case raised errors {errors:?}"));
        }
    }
    Outcome {
        pass,
        scored: true,
        detail: format!(
            "{}exit {code}: [{listed}]",
            why.join("; ") + if why.is_empty() { "" } else { "; " }
        ),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut root: Option<PathBuf> = None;
    let mut min: Option<usize> = None;
    let mut verbose = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--min" => min = args.next().and_then(|v| v.trim().parse().ok()),
            "--verbose" | "-v" => verbose = true,
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let root = root.unwrap_or_else(|| PathBuf::from("../shared/real-pastes"));
    let expected: Expected = std::fs::read_to_string(root.join("expected.toml"))
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| {
            eprintln!("{}: {e}", root.join("expected.toml").display());
            std::process::exit(2)
        });
    let bin = binary();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
        .unwrap_or_else(|e| {
            eprintln!("{}: {e}", root.join("cases").display());
            std::process::exit(2)
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("input.txt").is_file())
        .collect();
    dirs.sort();
    let (mut passed, mut failed, mut scored_pass, mut scored_total) = (0, 0, 0, 0);
    for dir in &dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let exp = expected.cases.get(&name);
        let o = score(&bin, dir, exp);
        let mark = if o.pass { "ok  " } else { "MISS" };
        if o.scored {
            scored_total += 1;
            scored_pass += usize::from(o.pass);
        }
        if o.pass {
            passed += 1;
        } else {
            failed += 1;
        }
        if verbose || !o.pass {
            println!("{mark} {name}: {}", o.detail);
        } else {
            println!("{mark} {name}");
        }
    }
    println!("scored cases: {scored_pass} of {scored_total} right");
    println!("{passed} passed, {failed} failed");
    if let Some(min) = min {
        if passed < min {
            eprintln!("real-paste score {passed} fell below the recorded best {min}");
            std::process::exit(1);
        }
    }
}
