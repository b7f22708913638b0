//! Event-log rows as people paste them → [`HostModel::event_records`]: `Get-EventLog` tables
//! and lists, `Get-WinEvent` tables (under their `ProviderName:` banner) and Event Viewer's
//! "copy details as text" (`Log Name:` / `Source:` / `Event ID:` / `Description:`).
//! (`Get-WinEvent | Format-List` and XML are read by [`crate::eventlog`].)
//!
//! Pipeline stage: **parsers**. Format id `event-table`.
//!
//! **Shapes.**
//! * `Get-EventLog System -Newest 50`: `Index Time EntryType Source InstanceID Message` with a
//!   dash line; cells are read at the header's column offsets; `Time` spans several words
//!   (`May 18 10:12`); `Source` is often cut (`Service Control M...`) and is completed against
//!   the known providers; the event id is the low 16 bits of `InstanceID` (`3221232506` → 7034).
//! * `Get-EventLog … | Format-List`: `Index`, `EntryType`, `InstanceId`, `Message`, `Source`,
//!   `TimeGenerated` records separated by blank lines.
//! * `Get-WinEvent -LogName System -MaxEvents 50`: `ProviderName: <p>` banner, then
//!   `TimeCreated  Id LevelDisplayName Message` rows.
//! * Event Viewer text: `Log Name:`, `Source:`, `Date:`, `Event ID:`, `Level:`, `Description:`
//!   followed by the message lines.
//!
//! **What is kept.** Every row (pastes are short); level from `EntryType`/`LevelDisplayName`/
//! `Level` (Error 2, Warning 3, Information 4, Critical 1; German/French words too). Channel
//! `System` unless a log name says otherwise. Facts `system-event-log` (and `hns-event-log` for
//! HNS / Hyper-V channels).
//!
//! **Partial input.** A table cut mid-row keeps the rows read; a message wrapped onto indented
//! lines is re-joined. Text with no row is `Broken` at its first line; empty text is `Skip`.
//!
//! ```
//! use hnsdoctor_parse::{eventtable, Input, HostModel, InputSummary};
//! let text = "Index Time          EntryType   Source                 InstanceID Message\n\
//! ----- ----          ---------   ------                 ---------- -------\n\
//! 48211 May 18 10:12  Error       Service Control M...   3221232506 The Host Network Service service terminated unexpectedly.  It has done this 1 time(s).\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! eventtable::parse(&Input::new("paste#1", text), &mut m, &mut s).unwrap();
//! let r = &m.event_records[0];
//! assert_eq!((r.event_id, r.level), (7034, Some(2)));
//! assert_eq!(r.provider.as_deref(), Some("Service Control Manager"));
//! ```

use crate::logutil::mark;
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::EventRecord;
use regex::Regex;
use std::sync::LazyLock;

/// Providers whose names `Get-EventLog` cuts (`Service Control M...`).
const PROVIDERS: &[&str] = &[
    "Service Control Manager",
    "Microsoft-Windows-Host-Network-Service",
    "Microsoft-Windows-Hyper-V-Compute",
    "Microsoft-Windows-Hyper-V-VmSwitch",
    "Microsoft-Windows-Kernel-General",
    "Microsoft-Windows-Kernel-Power",
    "Microsoft-Windows-WindowsUpdateClient",
    "Application Error",
    "Windows Error Reporting",
    "docker",
    "containerd",
];

static WINEVENT_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<time>\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)\s+(?P<id>\d{1,5})\s+(?P<level>\S+)\s+(?P<msg>.*)$",
    )
    .expect("constant regex")
});

fn complete_provider(p: &str) -> String {
    let p = p.trim();
    match p.strip_suffix("...").or_else(|| p.strip_suffix('…')) {
        Some(prefix) => PROVIDERS
            .iter()
            .find(|k| {
                k.to_ascii_lowercase()
                    .starts_with(&prefix.to_ascii_lowercase())
            })
            .map_or_else(|| p.to_string(), |k| (*k).to_string()),
        None => p.to_string(),
    }
}

fn level_of(word: &str) -> Option<u8> {
    match word.trim().to_ascii_lowercase().as_str() {
        "critical" | "kritisch" | "critique" => Some(1),
        "error" | "fehler" | "erreur" => Some(2),
        "warning" | "warnung" | "avertissement" => Some(3),
        "information" | "informationen" | "info" => Some(4),
        _ => None,
    }
}

fn is_hns_channel(ch: &str) -> bool {
    let c = ch.to_ascii_lowercase();
    c.contains("host-network-service") || c.contains("hyper-v-compute") || c.contains("vmswitch")
}

/// Column offsets of a `Get-EventLog` table header.
struct Cols {
    time: usize,
    entry: usize,
    source: usize,
    instance: usize,
    message: usize,
}

fn eventlog_header(l: &str) -> Option<Cols> {
    let words: Vec<&str> = l.split_whitespace().collect();
    if !(words.contains(&"EntryType")
        && words.contains(&"InstanceID")
        && words.contains(&"Message"))
    {
        return None;
    }
    Some(Cols {
        time: l.find("Time")?,
        entry: l.find("EntryType")?,
        source: l.find("Source")?,
        instance: l.find("InstanceID")?,
        message: l.find("Message")?,
    })
}

fn slice(l: &str, from: usize, to: usize) -> &str {
    let to = to.min(l.len());
    if from >= to {
        return "";
    }
    l.get(from..to).unwrap_or("").trim()
}

/// Parse event rows. See the module doc.
///
/// # Errors
/// `Skip` for empty input; `Broken` at the first line when no event row is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let mut out: Vec<EventRecord> = Vec::new();
    let mut cols: Option<Cols> = None;
    let mut winevent = false;
    let mut provider: Option<String> = None;
    let mut list: Vec<(String, String)> = Vec::new();
    let mut list_line = 0u32;
    let mut in_description = false;
    let mut continuing = false;
    for (no, raw) in input.lines() {
        let t = raw.trim();
        if t.is_empty() {
            flush_list(input, &mut list, list_line, &mut out);
            in_description = false;
            continuing = false;
            continue;
        }
        if let Some(p) = t.strip_prefix("ProviderName:") {
            provider = Some(p.trim().to_string());
            continue;
        }
        if let Some(c) = eventlog_header(raw) {
            cols = Some(c);
            winevent = false;
            continue;
        }
        if t.starts_with("TimeCreated")
            && t.contains("Id")
            && t.contains("Message")
            && !t.contains(':')
        {
            winevent = true;
            cols = None;
            continue;
        }
        if t.starts_with("---") {
            continue;
        }
        if let Some(c) = &cols {
            let id_cell = slice(raw, c.instance, c.message);
            if let (Some(first), Ok(instance)) =
                (t.split_whitespace().next(), id_cell.parse::<u64>())
            {
                if first.chars().all(|ch| ch.is_ascii_digit()) {
                    out.push(EventRecord {
                        channel: "System".into(),
                        provider: Some(complete_provider(slice(raw, c.source, c.instance))),
                        event_id: u32::try_from(instance & 0xffff).unwrap_or(0),
                        level: level_of(slice(raw, c.entry, c.source)),
                        time: Some(slice(raw, c.time, c.entry).to_string())
                            .filter(|s| !s.is_empty()),
                        message: raw.get(c.message..).unwrap_or("").trim().to_string(),
                        prov: input.prov(no, raw),
                    });
                    continuing = true;
                    continue;
                }
            }
        }
        if winevent {
            if let Some(c) = WINEVENT_ROW.captures(t) {
                out.push(EventRecord {
                    channel: "System".into(),
                    provider: provider.clone(),
                    event_id: c["id"].parse().unwrap_or(0),
                    level: level_of(&c["level"]),
                    time: Some(c["time"].to_string()),
                    message: c["msg"].trim().to_string(),
                    prov: input.prov(no, raw),
                });
                continuing = true;
                continue;
            }
        }
        if continuing && raw.starts_with(' ') && cols.is_none() {
            if let Some(last) = out.last_mut() {
                last.message.push(' ');
                last.message.push_str(t);
                continue;
            }
        }
        // list forms: `Key : value` (Get-EventLog | fl) and `Key: value` (Event Viewer)
        if in_description {
            if let Some((_, v)) = list.iter_mut().find(|(k, _)| k == "description") {
                if !v.is_empty() {
                    v.push(' ');
                }
                v.push_str(t);
            }
            continue;
        }
        match t.split_once(':') {
            Some((k, v)) if k.trim().len() <= 20 && !k.trim().is_empty() => {
                let key = k.trim().to_ascii_lowercase();
                if list.is_empty() {
                    list_line = no;
                }
                if key == "description" {
                    in_description = true;
                }
                list.push((key, v.trim().to_string()));
            }
            _ => {
                if let Some((_, v)) = list.last_mut() {
                    // wrapped Format-List value
                    if raw.starts_with(' ') {
                        v.push(' ');
                        v.push_str(t);
                        continue;
                    }
                }
                summary.filtered_lines += 1;
            }
        }
    }
    flush_list(input, &mut list, list_line, &mut out);
    if out.is_empty() {
        return Err(ParseError::broken_at_first_line(
            input,
            "Get-EventLog / Get-WinEvent rows or Event Viewer event text",
        ));
    }
    summary.objects += out.len();
    for r in &out {
        if is_hns_channel(&r.channel) {
            mark(model, summary, Fact::HnsEventLog);
        } else {
            mark(model, summary, Fact::SystemEventLog);
        }
    }
    model.event_records.extend(out);
    Ok(())
}

/// A list record (Get-EventLog Format-List or Event Viewer details) when it has an id.
fn flush_list(
    input: &Input<'_>,
    list: &mut Vec<(String, String)>,
    line: u32,
    out: &mut Vec<EventRecord>,
) {
    let fields = std::mem::take(list);
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let id = get("event id")
        .and_then(|v| v.parse::<u32>().ok())
        .or_else(|| get("eventid").and_then(|v| v.parse::<u32>().ok()))
        .or_else(|| {
            get("instanceid")
                .and_then(|v| v.parse::<u64>().ok())
                .and_then(|v| u32::try_from(v & 0xffff).ok())
        });
    let Some(event_id) = id else {
        return;
    };
    let message = get("description")
        .or_else(|| get("message"))
        .unwrap_or("")
        .to_string();
    let level = get("level").or_else(|| get("entrytype")).and_then(level_of);
    let channel = get("log name").unwrap_or("System").to_string();
    let quoted = format!(
        "{event_id} {}",
        message.chars().take(120).collect::<String>()
    );
    out.push(EventRecord {
        channel,
        provider: get("source").map(complete_provider),
        event_id,
        level,
        time: get("date")
            .or_else(|| get("timegenerated"))
            .map(str::to_string),
        message,
        prov: input.prov(line, &quoted),
    });
}

/// Detector: the Get-EventLog / Get-WinEvent table headers, Event Viewer's labels, the
/// Get-EventLog list keys.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut score = 0u8;
    let mut viewer = 0;
    let mut fl = 0;
    for l in text.lines().take(400) {
        let t = l.trim();
        if eventlog_header(l).is_some() {
            score = score.max(92);
        }
        if t.starts_with("TimeCreated") && t.contains("LevelDisplayName") && !t.contains(':') {
            score = score.max(90);
        }
        if t.starts_with("ProviderName:") {
            score = score.max(60);
        }
        for k in [
            "Log Name:",
            "Source:",
            "Event ID:",
            "Task Category:",
            "Description:",
        ] {
            if t.starts_with(k) {
                viewer += 1;
            }
        }
        for k in [
            "EntryType",
            "InstanceId",
            "TimeGenerated",
            "ReplacementStrings",
        ] {
            if t.starts_with(k) && t.contains(':') {
                fl += 1;
            }
        }
    }
    if viewer >= 3 {
        score = score.max(88);
    }
    if fl >= 2 {
        score = score.max(85);
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    #[test]
    fn get_eventlog_table_utf16() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/eventtable/get-eventlog-table-utf16le.txt"),
        );
        r.unwrap();
        let e = &m.event_records;
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].event_id, 7034);
        assert_eq!(e[0].provider.as_deref(), Some("Service Control Manager"));
        assert_eq!(e[0].time.as_deref(), Some("Jun 02 08:41"));
        assert!(e[0]
            .message
            .contains("Host Network Service service terminated unexpectedly"));
        assert_eq!(e[1].event_id, 7036);
        assert_eq!(e[1].level, Some(4));
        assert!(m.has(Fact::SystemEventLog));
    }

    #[test]
    fn get_winevent_table_and_viewer_text() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/eventtable/winevent-and-viewer.txt"),
        );
        r.unwrap();
        let e = &m.event_records;
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e[0].provider.as_deref(), Some("Service Control Manager"));
        assert_eq!((e[0].event_id, e[0].level), (7031, Some(2)));
        assert!(
            e[0].message.ends_with("Restart the service."),
            "wrapped: {}",
            e[0].message
        );
        assert_eq!(e[2].event_id, 7034);
        assert!(e[2].message.contains("vmcompute"), "{}", e[2].message);
        assert_eq!(e[2].time.as_deref(), Some("6/2/2025 8:41:07 AM"));
    }

    #[test]
    fn partial_list_record_and_quiet() {
        let text = "Index         : 99120\nEntryType     : Error\nInstanceId    : 3221232506\nMessage       : The kubelet service terminated unexpectedly.\n";
        assert!(detect(text) >= 85);
        let (m, _, r) = run(parse, "paste#2", text);
        r.unwrap();
        assert_eq!(m.event_records[0].event_id, 7034);
        let q = "Name    : nat\nType    : NAT\n";
        assert!(detect(q) < 30);
        let (m, _, r) = run(parse, "paste#3", q);
        assert!(matches!(r, Err(ParseError::Broken { .. })));
        assert!(m.event_records.is_empty());
    }
}
