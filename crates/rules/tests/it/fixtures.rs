//! Per-rule fixtures through the real path, in the way ruff pairs each rule with fixture files:
//! `crates/rules/fixtures/<finding-id>/fires/<case>` and `…/quiet/<case>`, where a case is one
//! pasted text file (any encoding the opener reads: UTF-16LE with BOM as Windows PowerShell
//! writes, UTF-8) or a folder (a mini CollectLogs-style bundle). Each case goes through
//! `hnsdoctor_bundle::open` → `hnsdoctor_parse::assemble::assemble_into` → `hnsdoctor_rules::run`
//! with default options, as `hnsdoctor analyze` does:
//!
//! * a `fires` case must produce a finding with the directory's id;
//! * a `quiet` case must not, and the rule must have been evaluated on it (listed as passed), so
//!   a quiet case cannot pass by giving the rule nothing to read;
//! * a directory named after an id no rule produces, a kind other than `fires`/`quiet`, an empty
//!   kind, or a scaffolded placeholder (`tools/new-rule`) fails the test.
//!
//! The test prints which registered rules have no fixtures yet. Tests that assert more than
//! presence (the observed text, the evidence line) read a case by name through [`report_for`].

use hnsdoctor_model::HostModel;
use hnsdoctor_rules::registry::FILE_RULES;
use hnsdoctor_rules::{run, Options, Report, RULES};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The text `tools/new-rule` writes into its placeholder inputs; a case containing it fails.
pub const PLACEHOLDER_MARKER: &str = "hnsdoctor-fixture-placeholder";

/// The fixtures directory of the rules crate.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The path of one case: `fixtures/<id>/<kind>/<name>`.
pub fn case(id: &str, kind: &str, name: &str) -> PathBuf {
    let p = fixtures_dir().join(id).join(kind).join(name);
    assert!(p.exists(), "no fixture {}", p.display());
    p
}

/// The report for one input, through the real opener, assembler and every rule.
pub fn report_for(path: &Path) -> Report {
    let shown = path.to_string_lossy();
    let opened =
        hnsdoctor_bundle::open(&shown).unwrap_or_else(|e| panic!("{shown}: cannot open: {e}"));
    let mut model = HostModel::new();
    hnsdoctor_parse::assemble::assemble_into(&opened, &mut model);
    run(&model, &Options::default())
}

/// Entries of a directory, sorted by name; an unreadable directory is an error naming it.
fn entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Whether a case (a file, or any file under a folder) still holds the scaffolder's marker.
fn is_placeholder(path: &Path) -> bool {
    if path.is_dir() {
        return entries(path)
            .unwrap_or_default()
            .iter()
            .any(|p| is_placeholder(p));
    }
    std::fs::read(path).is_ok_and(|b| {
        b.windows(PLACEHOLDER_MARKER.len())
            .any(|w| w == PLACEHOLDER_MARKER.as_bytes())
    })
}

/// Check one case of `id` (`kind` is `fires` or `quiet`); `Err` says what is wrong, naming the file.
pub fn check_case(id: &str, kind: &str, path: &Path) -> Result<(), String> {
    let shown = path.display();
    if is_placeholder(path) {
        return Err(format!(
            "{shown}: still the placeholder written by tools/new-rule: replace it with a real input"
        ));
    }
    let report = report_for(path);
    let found: Vec<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
    let fired = found.contains(&id);
    match kind {
        "fires" if fired => Ok(()),
        "fires" => {
            let why = report
                .not_evaluated
                .iter()
                .find(|n| n.id == id)
                .map(|n| {
                    format!(
                        "; not evaluated, missing {:?} any of {:?}",
                        n.missing, n.any_of
                    )
                })
                .unwrap_or_default();
            Err(format!(
                "{shown}: expected {id}, got {found:?}{why}; inputs read: {:?}",
                report
                    .inputs
                    .iter()
                    .map(|s| (&s.source, &s.format))
                    .collect::<Vec<_>>()
            ))
        }
        _ if fired => {
            let observed: Vec<&str> = report
                .findings
                .iter()
                .filter(|f| f.id == id)
                .map(|f| f.observed.as_str())
                .collect();
            Err(format!("{shown}: {id} fired on a quiet case: {observed:?}"))
        }
        _ if report.passed.iter().any(|p| p == id) => Ok(()),
        _ => {
            let missing = report
                .not_evaluated
                .iter()
                .find(|n| n.id == id)
                .map(|n| format!("missing {:?} any of {:?}", n.missing, n.any_of))
                .unwrap_or_else(|| "not in the report".into());
            Err(format!(
                "{shown}: {id} was not evaluated on a quiet case ({missing}): a quiet case must \
                 give the rule its data"
            ))
        }
    }
}

#[test]
fn every_fixture_fires_or_stays_quiet() {
    let known: HashSet<&str> = RULES.iter().map(|r| r.id()).collect();
    let mut failures: Vec<String> = Vec::new();
    // id -> (fires cases, quiet cases) that passed
    let mut covered: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let dirs = entries(&fixtures_dir()).expect("crates/rules/fixtures is readable");
    assert!(!dirs.is_empty(), "no fixtures at all");
    for dir in dirs.iter().filter(|d| !d.ends_with("README.md")) {
        let id = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !dir.is_dir() {
            failures.push(format!("{}: not a directory", dir.display()));
            continue;
        }
        if !known.contains(id.as_str()) {
            failures.push(format!(
                "{}: no rule produces the id {id:?} (rename the directory to a registered id)",
                dir.display()
            ));
            continue;
        }
        for extra in entries(dir).unwrap_or_default() {
            let name = extra.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !matches!(name, "fires" | "quiet") {
                failures.push(format!(
                    "{}: only fires/ and quiet/ belong here",
                    extra.display()
                ));
            }
        }
        for kind in ["fires", "quiet"] {
            let kdir = dir.join(kind);
            let cases = match entries(&kdir) {
                Ok(c) => c,
                Err(e) => {
                    failures.push(format!(
                        "{e} (every rule with fixtures has fires/ and quiet/)"
                    ));
                    continue;
                }
            };
            if cases.is_empty() {
                failures.push(format!("{}: no cases", kdir.display()));
            }
            for c in &cases {
                match check_case(&id, kind, c) {
                    Ok(()) => {
                        let e = covered.entry(id.clone()).or_default();
                        if kind == "fires" {
                            e.0 += 1;
                        } else {
                            e.1 += 1;
                        }
                    }
                    Err(msg) => failures.push(msg),
                }
            }
        }
    }
    let mut without = String::new();
    for r in FILE_RULES {
        let (f, q) = covered.get(r.id()).copied().unwrap_or_default();
        if f == 0 || q == 0 {
            let _ = write!(without, " {}", r.id());
        }
    }
    let kb_without: Vec<&str> = RULES
        .iter()
        .skip(FILE_RULES.len())
        .map(|r| r.id())
        .filter(|id| !covered.get(*id).is_some_and(|&(f, q)| f > 0 && q > 0))
        .collect();
    println!(
        "fixtures: {} ids with passing cases; rule files without a fires and a quiet case:{}",
        covered.len(),
        if without.is_empty() {
            " none"
        } else {
            &without
        }
    );
    println!(
        "fixtures: knowledge-base rules without both kinds ({} of {}): {}",
        kb_without.len(),
        RULES.len() - FILE_RULES.len(),
        kb_without.join(" ")
    );
    assert!(
        failures.is_empty(),
        "{} fixture problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
