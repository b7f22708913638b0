//! The HNS process's vital signs and the `HNS.data` persistence file →
//! [`hnsdoctor_model::Hns::process`] and [`hnsdoctor_model::Hns::data_file`].
//!
//! Pipeline stage: **parsers**. Format ids `hns-process` and `hns-data-file`.
//!
//! **What produces it.**
//! * `hns-process` — the collector writes `hns/process.json`
//!   (`Get-Process -Name hns | Select Id, @{n='ThreadCount';e={$_.Threads.Count}}, WorkingSet64 |
//!   ConvertTo-Json`); pastes and older scripts give the `Get-Process hns` table
//!   (`Handles NPM(K) PM(K) WS(K) CPU(s) Id SI ProcessName`), its Format-List form
//!   (`Id : 2712`, `WorkingSet64 : …`, `ThreadCount : …`), or the bare number printed by
//!   `(Get-Process -Name hns).Threads.Count`. Legacy names `hnsprocess.txt`, `hns_threads.txt`.
//!   The thread count is the deadlock heuristic (≥ 200 high, ≥ 1000 critical; domain sheet L8).
//!   A Format-List `Threads : {2716, 2720…}` is a truncated collection, never a count.
//! * `hns-data-file` — `hns/hnsdata.json` (`Get-Item C:\ProgramData\Microsoft\Windows\HNS\HNS.data
//!   | Select FullName, Length, LastWriteTime | ConvertTo-Json`) or the `Get-Item … | Format-List`
//!   text (`Length : 1048576`, `LastWriteTime : 4/12/2024 10:15:02 AM`). Legacy `hnsdata.txt`.
//!   Times: Windows PowerShell 5.1 JSON `"\/Date(1712916902000)\/"` becomes RFC 3339 UTC; an ISO
//!   string (PowerShell 7) is kept; Format-List times in the en-US form `M/d/yyyy h:mm:ss AM` become
//!   `yyyy-mm-ddThh:mm:ss` **local time without offset** (the text carries no zone); other
//!   cultures are kept as printed, with a warning.
//!
//! **Encodings.** UTF-16LE (PowerShell 5.1 `>`) or UTF-8; decoded by the bundle layer.
//! **Outcomes.** `Skip` for empty input or collector error text (`Cannot find a process with the
//! name "hns"`, `Cannot find path …HNS.data`); `Broken` at the first line when no known field
//! is found.
//!
//! ```
//! use hnsdoctor_parse::{hns_process, Input, HostModel, InputSummary};
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! let text = r#"{"Id":2712,"ThreadCount":214,"WorkingSet64":39034880}"#;
//! hns_process::parse(&Input::new("hns/process.json", text), &mut m, &mut s).unwrap();
//! let p = m.hns.process.as_ref().unwrap();
//! assert_eq!(p.threads, Some(214));
//! assert_eq!(p.pid, Some(2712));
//! ```

use crate::logutil::{check_skip, mark, unix_to_rfc3339};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{FileInfo, ProcessInfo};
use serde_json::Value;

/// Default path of the persistence file.
const HNS_DATA_PATH: &str = r"C:\ProgramData\Microsoft\Windows\HNS\HNS.data";

/// Detector for the HNS process forms.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let t = text.trim();
    if t.starts_with('{') && t.contains("\"ThreadCount\"") {
        return 95;
    }
    let has_header = t.lines().any(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        w.first() == Some(&"Handles") && w.last() == Some(&"ProcessName")
    });
    if has_header
        && t.lines()
            .any(|l| l.split_whitespace().last() == Some("hns"))
    {
        return 90;
    }
    if t.lines().any(|l| l.trim_start().starts_with("ThreadCount"))
        && t.lines().any(|l| l.trim_start().starts_with("Id "))
    {
        return 80;
    }
    0
}

/// Detector for the HNS.data file forms.
#[must_use]
pub fn detect_data(text: &str) -> u8 {
    let low = text.to_ascii_lowercase();
    if low.contains("hns.data") && low.contains("length") && low.contains("lastwritetime") {
        90
    } else {
        0
    }
}

fn json_u64(v: &Value, keys: &[&str]) -> Option<u64> {
    let o = v.as_object()?;
    keys.iter().find_map(|k| {
        o.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .and_then(|(_, v)| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            })
    })
}

/// Split a Format-List line `Name : value`.
fn fl_pair(l: &str) -> Option<(&str, &str)> {
    let (k, v) = l.split_once(" : ").or_else(|| {
        let t = l.trim_end();
        t.strip_suffix(" :").map(|k| (k, ""))
    })?;
    let k = k.trim();
    (!k.is_empty() && !k.contains(' ')).then_some((k, v.trim()))
}

/// Parse the HNS process forms. See the module doc.
///
/// # Errors
/// `Skip` for empty input or collector text; `Broken` when none of the forms is recognised.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let first = input
        .lines()
        .find(|(_, l)| !l.trim().is_empty())
        .unwrap_or((input.first_line, ""));
    let mut info = ProcessInfo::default();
    let trimmed = input.text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let v: Value = serde_json::from_str(input.text)
            .map_err(|e| ParseError::broken(input, first.0, format!("JSON ({e})"), first.1))?;
        // an array: take the first object (one hns process)
        let obj = v.as_array().and_then(|a| a.first()).unwrap_or(&v);
        info.pid = json_u64(obj, &["Id"]).and_then(|n| u32::try_from(n).ok());
        info.threads =
            json_u64(obj, &["ThreadCount", "Threads"]).and_then(|n| u32::try_from(n).ok());
        info.working_set = json_u64(obj, &["WorkingSet64", "WorkingSet"]);
        info.prov = input.prov(first.0, first.1);
    } else {
        let lines: Vec<(u32, &str)> = input
            .lines()
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        // bare thread count
        if let [(no, l)] = lines.as_slice() {
            if let Ok(n) = l.trim().parse::<u32>() {
                info.threads = Some(n);
                info.prov = input.prov(*no, l);
            }
        }
        // Get-Process table
        let header = lines.iter().position(|(_, l)| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w.first() == Some(&"Handles") && w.last() == Some(&"ProcessName")
        });
        if let Some(h) = header {
            let cols: Vec<&str> = lines
                .get(h)
                .map_or(Vec::new(), |(_, l)| l.split_whitespace().collect());
            let ws_i = cols.iter().position(|c| *c == "WS(K)");
            let id_i = cols.iter().position(|c| *c == "Id");
            let row = lines.iter().skip(h + 1).find(|(_, l)| {
                l.split_whitespace()
                    .last()
                    .is_some_and(|n| n.eq_ignore_ascii_case("hns"))
            });
            if let Some((no, l)) = row {
                let w: Vec<&str> = l.split_whitespace().collect();
                // rows can lack CPU(s) for idle processes: index from the right for Id
                let from_right = |i: Option<usize>| {
                    i.and_then(|i| cols.len().checked_sub(i))
                        .and_then(|r| w.len().checked_sub(r))
                        .and_then(|j| w.get(j))
                };
                info.pid = from_right(id_i).and_then(|s| s.parse().ok());
                info.working_set = ws_i
                    .and_then(|i| w.get(i))
                    .and_then(|s| s.parse::<u64>().ok())
                    .map(|k| k * 1024);
                info.prov = input.prov(*no, l);
            }
        }
        // Format-List
        if info.pid.is_none() && info.threads.is_none() {
            for (no, l) in &lines {
                let Some((k, v)) = fl_pair(l) else { continue };
                let set = match k.to_ascii_lowercase().as_str() {
                    "id" => v.parse().ok().map(|n| info.pid = Some(n)),
                    "threadcount" => v.parse().ok().map(|n| info.threads = Some(n)),
                    "workingset64" | "workingset" => {
                        v.parse().ok().map(|n| info.working_set = Some(n))
                    }
                    _ => None,
                };
                if set.is_some() && info.prov.source.is_empty() {
                    info.prov = input.prov(*no, l);
                }
            }
        }
    }
    if info.pid.is_none() && info.threads.is_none() && info.working_set.is_none() {
        return Err(ParseError::broken(
            input,
            first.0,
            "hns process (JSON Id/ThreadCount, Get-Process table, Format-List or a thread count)",
            first.1,
        ));
    }
    if info.threads.is_none() {
        summary
            .warnings
            .push("thread count not shown (the Get-Process table has no Threads column)".into());
    }
    model.hns.process = Some(info);
    summary.objects += 1;
    mark(model, summary, Fact::HnsProcess);
    Ok(())
}

/// PowerShell 5.1 `\/Date(ms)\/` or `/Date(ms+0000)/` → RFC 3339 UTC.
fn ps_json_date(s: &str) -> Option<String> {
    let inner = s
        .trim()
        .trim_start_matches('\\')
        .strip_prefix("/Date(")?
        .split(')')
        .next()?;
    let digits: String = inner
        .chars()
        .enumerate()
        .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '-'))
        .map(|(_, c)| c)
        .collect();
    let ms: i64 = digits.parse().ok()?;
    #[allow(clippy::cast_precision_loss)]
    unix_to_rfc3339(ms as f64 / 1000.0)
}

/// en-US `4/12/2024 10:15:02 AM` → `2024-04-12T10:15:02` (local, no offset).
fn en_us_time(s: &str) -> Option<String> {
    chrono::NaiveDateTime::parse_from_str(s.trim(), "%m/%d/%Y %I:%M:%S %p")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s.trim(), "%m/%d/%Y %H:%M:%S"))
        .ok()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
}

/// Parse the HNS.data file forms. See the module doc.
///
/// # Errors
/// `Skip` for empty input or collector text; `Broken` when no `Length` is found.
pub fn parse_data(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let first = input
        .lines()
        .find(|(_, l)| !l.trim().is_empty())
        .unwrap_or((input.first_line, ""));
    let mut f = FileInfo {
        path: HNS_DATA_PATH.to_string(),
        ..FileInfo::default()
    };
    let trimmed = input.text.trim_start();
    if trimmed.starts_with('{') {
        let v: Value = serde_json::from_str(input.text)
            .map_err(|e| ParseError::broken(input, first.0, format!("JSON ({e})"), first.1))?;
        f.size = json_u64(&v, &["Length"]);
        if let Some(p) = v.get("FullName").and_then(Value::as_str) {
            f.path = p.to_string();
        }
        f.modified = v
            .get("LastWriteTimeUtc")
            .or_else(|| v.get("LastWriteTime"))
            .and_then(|t| match t {
                Value::String(s) => ps_json_date(s).or_else(|| Some(s.clone())),
                // PowerShell 7 may emit an object {"value":…,"DateTime":…}
                Value::Object(_) => t
                    .get("value")
                    .and_then(Value::as_str)
                    .map(|s| ps_json_date(s).unwrap_or_else(|| s.to_string())),
                _ => None,
            });
        f.prov = input
            .lines()
            .find(|(_, l)| l.contains("\"Length\""))
            .map_or_else(|| input.prov(first.0, first.1), |(n, l)| input.prov(n, l));
    } else {
        let mut dir: Option<String> = None;
        for (no, l) in input.lines() {
            if let Some(d) = l.trim().strip_prefix("Directory:") {
                dir = Some(d.trim().to_string());
                continue;
            }
            let Some((k, v)) = fl_pair(l) else { continue };
            match k {
                "Length" => {
                    f.size = v.parse().ok();
                    f.prov = input.prov(no, l);
                }
                "LastWriteTime" => {
                    f.modified = en_us_time(v).or_else(|| {
                        summary
                            .warnings
                            .push(format!("line {no}: LastWriteTime kept as printed: {v}"));
                        Some(v.to_string())
                    });
                }
                "FullName" => f.path = v.to_string(),
                "Name" => {
                    if let Some(d) = &dir {
                        f.path = format!("{d}\\{v}");
                    }
                }
                _ => {}
            }
        }
    }
    if f.size.is_none() {
        return Err(ParseError::broken(
            input,
            first.0,
            "HNS.data Length (Get-Item JSON or Format-List)",
            first.1,
        ));
    }
    model.hns.data_file = Some(f);
    summary.objects += 1;
    mark(model, summary, Fact::HnsDataFile);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testutil::run;

    const JSON: &str = include_str!("../fixtures/hns_process/process.json");
    const TABLE: &str = include_str!("../fixtures/hns_process/get-process-table.txt");
    const LIST: &str = include_str!("../fixtures/hns_process/get-process-list.txt");
    const DATA_JSON: &str = include_str!("../fixtures/hns_process/hnsdata.json");
    const DATA_LIST: &str = include_str!("../fixtures/hns_process/hnsdata-list.txt");

    #[test]
    fn process_json() {
        let (m, s, r) = run(parse, "hns/process.json", JSON);
        assert!(r.is_ok(), "{r:?}");
        let p = m.hns.process.as_ref().expect("process");
        assert_eq!(p.pid, Some(2712));
        assert_eq!(p.threads, Some(1043));
        assert_eq!(p.working_set, Some(39_034_880));
        assert!(m.has(Fact::HnsProcess));
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn process_table() {
        let (m, s, r) = run(parse, "paste#1", TABLE);
        assert!(r.is_ok(), "{r:?}");
        let p = m.hns.process.as_ref().expect("process");
        assert_eq!(p.pid, Some(2712));
        assert_eq!(p.working_set, Some(38_120 * 1024));
        assert_eq!(p.threads, None);
        assert_eq!(p.prov.line, 5);
        assert_eq!(s.warnings.len(), 1);
    }

    #[test]
    fn process_list_and_bare_count() {
        let (m, _, r) = run(parse, "hnsprocess.txt", LIST);
        assert!(r.is_ok());
        let p = m.hns.process.as_ref().expect("process");
        assert_eq!(p.pid, Some(2712));
        assert_eq!(p.threads, Some(214));
        assert_eq!(p.working_set, Some(39_034_880));
        let (m, _, r) = run(parse, "hns_threads.txt", "\n214\n");
        assert!(r.is_ok());
        let p = m.hns.process.as_ref().expect("process");
        assert_eq!(p.threads, Some(214));
        assert_eq!(p.prov.line, 2);
    }

    #[test]
    fn data_file_json_and_list() {
        let (m, _, r) = run(parse_data, "hns/hnsdata.json", DATA_JSON);
        assert!(r.is_ok(), "{r:?}");
        let f = m.hns.data_file.as_ref().expect("file");
        assert_eq!(f.size, Some(4_194_304));
        assert_eq!(f.modified.as_deref(), Some("2024-04-12T10:15:02.000000Z"));
        assert!(m.has(Fact::HnsDataFile));
        let (m, _, r) = run(parse_data, "hnsdata.txt", DATA_LIST);
        assert!(r.is_ok(), "{r:?}");
        let f = m.hns.data_file.as_ref().expect("file");
        assert_eq!(f.size, Some(1_048_576));
        assert_eq!(f.modified.as_deref(), Some("2024-04-12T22:15:02"));
        assert_eq!(f.path, HNS_DATA_PATH);
        assert_eq!(f.prov.line, 7);
    }

    #[test]
    fn outcomes() {
        let (_, _, r) = run(parse, "hns/process.json", "");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (m, _, r) = run(
            parse,
            "hns/process.txt",
            "Get-Process : Cannot find a process with the name \"hns\". Verify the process name and call the cmdlet again.\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        assert!(!m.has(Fact::HnsProcess));
        let (_, _, r) = run(parse, "hns/process.txt", "\nhello world\nmore\n");
        assert!(
            matches!(r, Err(ParseError::Broken { line: 2, .. })),
            "{r:?}"
        );
        let (_, _, r) = run(parse, "hns/process.json", "{\"Id\":27");
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
        let (_, _, r) = run(parse_data, "hns/hnsdata.json", "{\"Name\":\"HNS.data\"}");
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
        let (_, _, r) = run(
            parse_data,
            "hnsdata.txt",
            "Get-Item : Cannot find path 'C:\\ProgramData\\Microsoft\\Windows\\HNS\\HNS.data' because it does not exist.",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
    }

    #[test]
    fn detectors() {
        assert_eq!(detect(JSON), 95);
        assert_eq!(detect(TABLE), 90);
        assert_eq!(detect(DATA_LIST), 0);
        assert_eq!(detect_data(DATA_LIST), 90);
        assert_eq!(detect_data(TABLE), 0);
    }
}
