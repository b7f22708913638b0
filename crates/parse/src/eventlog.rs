//! Windows event logs → [`HostModel::event_records`]: binary `.evtx` files (through the `evtx`
//! crate), `wevtutil qe … /f:xml` exports and `Get-WinEvent | Format-List` text.
//!
//! Pipeline stage: **parsers**. Format ids `wevtutil-xml` and `get-winevent-list` (text, in
//! [`crate::formats::FORMATS`]); binary files go through [`parse_evtx_bytes`], which the
//! assembler calls for `Content::Binary` sources named `*.evtx`.
//!
//! **What produces it.** The collector exports the System channel and the HNS / Hyper-V channels
//! (`Microsoft-Windows-Host-Network-Service-Admin`/`-Operational`,
//! `Microsoft-Windows-Hyper-V-Compute-Admin`/`-Operational`, `Microsoft-Windows-Hyper-V-VmSwitch-*`)
//! to bundle `events/<channel>.evtx` or `events/<channel>.xml`; CollectLogs copies them to
//! `winevt/*.evtx`. Text: `wevtutil qe System /f:xml` prints concatenated `<Event xmlns=…>`
//! elements (no root, UTF-8 or UTF-16LE once redirected); `Get-WinEvent … | Format-List`
//! prints `TimeCreated`, `ProviderName`, `Id`, `LevelDisplayName`, `Message` (and `LogName` with
//! `Format-List *`), records separated by blank lines, long messages wrapped onto indented lines.
//!
//! **What is kept** (big System logs hold tens of thousands of records): every record of an HNS,
//! Hyper-V-Compute or VmSwitch channel; records of level critical/error/warning (1–3); and
//! Service Control Manager records whose text names `hns`, `Host Network Service`,
//! `vmcompute`, `kubelet`, `kubeproxy`, `containerd` or `docker` (e.g. 7034/7031 "The Host
//! Network Service service terminated unexpectedly", 7036 state changes). The rest is counted in
//! `InputSummary::filtered_lines`. At most 20 000 records per source.
//!
//! **Facts.** SystemEventLog when System-channel records were read (or the source is named
//! `System.*`); HnsEventLog for the HNS / Hyper-V channels. A file with no records still marks
//! the fact its name implies.
//!
//! **Times.** XML `SystemTime` is RFC 3339 already; Format-List `TimeCreated` in the en-US form
//! becomes `yyyy-mm-ddThh:mm:ss` local time without offset; other cultures are kept as printed.
//!
//! **Partial input.** Binary: the file header must parse (else `Broken` at line 0 with the
//! reason); afterwards each bad chunk or record loses only its own records, counted in a warning.
//! XML: an unterminated last `<Event>` is dropped with a warning; text with no `<Event` is
//! `Broken`. Empty input or collector error text (`No events were found…`, `The specified
//! channel could not be found`) is `Skip`.
//!
//! **Binary test coverage.** Tests feed the binary path garbage, a truncated header and an
//! empty buffer (clear `Broken`, no panic). `tests/it/evtx_binary.rs` reads valid logs built in
//! memory by a test-only writer (`tests/it/evtx_writer.rs`, plain non-template BinXML with
//! Windows' value types): mapping, facts, filtering, and a damaged record, record header or
//! chunk losing only its own records. Chunk CRC32s are not checked (the `evtx` default), so a
//! chunk whose checksum alone is wrong is still read.
//!
//! ```
//! use hnsdoctor_parse::{eventlog, Input, HostModel, InputSummary};
//! let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
//! <Provider Name='Service Control Manager'/><EventID Qualifiers='49152'>7034</EventID><Level>2</Level>\
//! <TimeCreated SystemTime='2024-04-12T10:15:02.1234567Z'/><Channel>System</Channel></System>\
//! <EventData><Data Name='param1'>Host Network Service</Data><Data Name='param2'>1</Data></EventData></Event>";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! eventlog::parse_xml(&Input::new("events/System.xml", xml), &mut m, &mut s).unwrap();
//! assert_eq!(m.event_records[0].event_id, 7034);
//! assert_eq!(m.event_records[0].channel, "System");
//! ```

use crate::logutil::{check_skip, file_name, mark, MAX_EVENTS_PER_SOURCE};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{EventRecord, Prov};

/// Services whose SCM records are kept whatever their level (lower case).
const SERVICES_OF_INTEREST: &[&str] = &[
    "hns",
    "host network service",
    "vmcompute",
    "hyper-v host compute service",
    "kubelet",
    "kubeproxy",
    "kube-proxy",
    "containerd",
    "docker",
];

fn is_hns_channel(ch: &str) -> bool {
    let c = ch.to_ascii_lowercase();
    c.contains("host-network-service")
        || c.contains("hyper-v-compute")
        || c.contains("hyper-v-vmswitch")
}

/// Whether a record is worth keeping (see the module doc).
fn of_interest(r: &EventRecord) -> bool {
    if is_hns_channel(&r.channel) {
        return true;
    }
    if r.level.is_some_and(|l| (1..=3).contains(&l)) {
        return true;
    }
    let text = r.message.to_ascii_lowercase();
    SERVICES_OF_INTEREST.iter().any(|s| {
        // whole-word for the short names
        text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .any(|w| w == *s)
            || (s.contains(' ') && text.contains(s))
    })
}

/// All text below a node (CDATA and entities resolved by the XML reader).
fn text_of(n: roxmltree::Node<'_, '_>) -> String {
    n.descendants()
        .filter(roxmltree::Node::is_text)
        .filter_map(|t| t.text())
        .collect()
}

/// Extract one record from the XML of one `<Event>` element, read with `roxmltree` (so CDATA,
/// numeric character references and any attribute order or quoting are handled); `None` when
/// the element is not well-formed XML or has no numeric `<EventID>`. Elements are matched by
/// local name, whatever their namespace.
fn record_from_xml(xml: &str) -> Option<EventRecord> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let mut event_id = None;
    let (mut channel, mut provider, mut level, mut time, mut message) =
        (String::new(), None, None, None, None);
    let mut data = Vec::new();
    for n in doc.descendants().filter(roxmltree::Node::is_element) {
        match n.tag_name().name() {
            "EventID" if event_id.is_none() => event_id = text_of(n).trim().parse().ok(),
            "Channel" if channel.is_empty() => channel = text_of(n),
            "Provider" if provider.is_none() => {
                provider = n.attribute("Name").map(str::to_string);
            }
            "Level" if level.is_none() => level = text_of(n).trim().parse().ok(),
            "TimeCreated" if time.is_none() => {
                time = n.attribute("SystemTime").map(str::to_string);
            }
            "Message" if message.is_none() => message = Some(text_of(n)),
            "Data" => {
                let v = text_of(n);
                let v = v.trim();
                if !v.is_empty() {
                    data.push(match n.attribute("Name") {
                        Some(name) => format!("{name}={v}"),
                        None => v.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    let message = message
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| data.join("; "));
    Some(EventRecord {
        channel,
        provider: provider.filter(|p| !p.is_empty()),
        event_id: event_id?,
        level,
        time,
        message: message.trim().to_string(),
        prov: Prov::default(),
    })
}

/// Channel implied by a source name (`events/System.evtx` → `System`).
fn channel_from_name(source: &str) -> String {
    let n = file_name(source);
    let stem = n.rsplit_once('.').map_or(n.as_str(), |(s, _)| s);
    // `%4` is how Windows writes `/` in channel file names
    stem.replace("%4", "/")
}

fn fact_for_channel(channel: &str) -> Option<Fact> {
    if channel.eq_ignore_ascii_case("system") {
        Some(Fact::SystemEventLog)
    } else if is_hns_channel(channel) {
        Some(Fact::HnsEventLog)
    } else {
        None
    }
}

/// Keep or count one record; returns whether it was kept.
fn push(
    model: &mut HostModel,
    summary: &mut InputSummary,
    seen: &mut Vec<Fact>,
    r: EventRecord,
    kept: &mut usize,
    dropped: &mut usize,
) {
    if let Some(f) = fact_for_channel(&r.channel) {
        if !seen.contains(&f) {
            seen.push(f);
        }
    }
    if !of_interest(&r) {
        summary.filtered_lines += 1;
        return;
    }
    if *kept >= MAX_EVENTS_PER_SOURCE {
        *dropped += 1;
        return;
    }
    *kept += 1;
    model.event_records.push(r);
}

fn finish(
    model: &mut HostModel,
    summary: &mut InputSummary,
    source: &str,
    seen: &[Fact],
    kept: usize,
    dropped: usize,
) {
    if dropped > 0 {
        summary.warnings.push(format!(
            "{dropped} more records of interest not kept (limit {MAX_EVENTS_PER_SOURCE} per source)"
        ));
    }
    summary.objects += kept;
    for f in seen {
        mark(model, summary, *f);
    }
    if seen.is_empty() {
        if let Some(f) = fact_for_channel(&channel_from_name(source)) {
            mark(model, summary, f);
        }
    }
}

/// Detector for `wevtutil /f:xml` output.
#[must_use]
pub fn detect_xml(text: &str) -> u8 {
    let t = text.trim_start();
    if t.starts_with("<Event") && t.contains("<EventID") {
        95
    } else if t.contains("<Event xmlns=") && t.contains("<System>") {
        80
    } else {
        0
    }
}

/// Detector for `Get-WinEvent | Format-List` text.
#[must_use]
pub fn detect_list(text: &str) -> u8 {
    let has = |k: &str| {
        text.lines()
            .take(200)
            .any(|l| l.trim_start().starts_with(k))
    };
    if has("TimeCreated") && has("ProviderName") && has("Id ") && has("Message") {
        90
    } else {
        0
    }
}

/// Parse `wevtutil qe … /f:xml` text (concatenated `<Event>` elements, or one per line).
///
/// # Errors
/// `Skip` for empty input or collector text; `Broken` at the first line when no `<Event`
/// element is found.
pub fn parse_xml(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let text = input.text;
    let first = input
        .lines()
        .find(|(_, l)| !l.trim().is_empty())
        .unwrap_or((input.first_line, ""));
    if !text.contains("<Event") {
        return Err(ParseError::broken(
            input,
            first.0,
            "<Event> elements (wevtutil /f:xml)",
            first.1,
        ));
    }
    let (mut kept, mut dropped) = (0usize, 0usize);
    let mut seen = Vec::new();
    let mut pos = 0usize;
    // line number of a byte offset, computed incrementally
    let mut line_at = input.first_line;
    let mut line_pos = 0usize;
    while let Some(rel) = text.get(pos..).and_then(|t| t.find("<Event")) {
        let start = pos + rel;
        // `<Events>` wrapper or `<EventData>`: skip
        let after = text.as_bytes().get(start + 6).copied();
        if !matches!(after, Some(b' ' | b'>' | b'\n' | b'\r' | b'\t')) {
            pos = start + 6;
            continue;
        }
        let Some(end_rel) = text.get(start..).and_then(|t| t.find("</Event>")) else {
            summary
                .warnings
                .push("last <Event> element is cut off; dropped".into());
            break;
        };
        let end = start + end_rel + "</Event>".len();
        let chunk = text.get(start..end).unwrap_or("");
        let newlines = text
            .get(line_pos..start)
            .map_or(0, |t| t.matches('\n').count());
        line_at = line_at.saturating_add(u32::try_from(newlines).unwrap_or(0));
        line_pos = start;
        pos = end;
        match record_from_xml(chunk) {
            Some(mut r) => {
                let quote = format!(
                    "{} {} {}",
                    r.provider.as_deref().unwrap_or(""),
                    r.event_id,
                    r.time.as_deref().unwrap_or("")
                );
                r.prov = Prov::quoted(input.source, line_at, &quote);
                if r.channel.is_empty() {
                    r.channel = channel_from_name(input.source);
                }
                push(model, summary, &mut seen, r, &mut kept, &mut dropped);
            }
            None => crate::logutil::skip_line(
                summary,
                line_at,
                "<Event> that is not well-formed XML or has no <EventID>",
            ),
        }
    }
    finish(model, summary, input.source, &seen, kept, dropped);
    Ok(())
}

fn level_from_name(s: &str) -> Option<u8> {
    match s.trim().to_ascii_lowercase().as_str() {
        "critical" => Some(1),
        "error" => Some(2),
        "warning" => Some(3),
        "information" | "informational" => Some(4),
        "verbose" => Some(5),
        _ => None,
    }
}

fn en_us_time(s: &str) -> String {
    chrono::NaiveDateTime::parse_from_str(s.trim(), "%m/%d/%Y %I:%M:%S %p")
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_else(|_| s.trim().to_string())
}

/// Parse `Get-WinEvent | Format-List` text.
///
/// # Errors
/// `Skip` for empty input or collector text; `Broken` at the first line when no record has an
/// `Id`.
pub fn parse_list(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let first = input
        .lines()
        .find(|(_, l)| !l.trim().is_empty())
        .unwrap_or((input.first_line, ""));
    let default_channel = channel_from_name(input.source);
    let (mut kept, mut dropped, mut records) = (0usize, 0usize, 0usize);
    let mut seen = Vec::new();
    let mut cur: Option<(EventRecord, bool)> = None; // (record, has id)
    let mut last_key = String::new();
    let mut flush = |cur: &mut Option<(EventRecord, bool)>,
                     model: &mut HostModel,
                     summary: &mut InputSummary,
                     seen: &mut Vec<Fact>| {
        if let Some((mut r, has_id)) = cur.take() {
            if has_id {
                if r.channel.is_empty() {
                    r.channel = if r.provider.as_deref() == Some("Service Control Manager") {
                        "System".into()
                    } else {
                        default_channel.clone()
                    };
                }
                records += 1;
                push(model, summary, seen, r, &mut kept, &mut dropped);
            }
        }
    };
    for (no, l) in input.lines() {
        if l.trim().is_empty() {
            flush(&mut cur, model, summary, &mut seen);
            continue;
        }
        let is_cont = l.starts_with(' ') && !l.contains(" : ");
        if let (true, Some((r, _))) = (is_cont, cur.as_mut()) {
            if last_key == "message" {
                r.message.push(' ');
                r.message.push_str(l.trim());
            }
            continue;
        }
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let key = k.trim().to_ascii_lowercase();
        let v = v.trim();
        let (r, has_id) = cur.get_or_insert_with(|| {
            (
                EventRecord {
                    prov: input.prov(no, l),
                    ..EventRecord::default()
                },
                false,
            )
        });
        match key.as_str() {
            "timecreated" => r.time = Some(en_us_time(v)),
            "providername" => r.provider = Some(v.to_string()),
            "id" => {
                if let Ok(id) = v.parse() {
                    r.event_id = id;
                    *has_id = true;
                }
            }
            "leveldisplayname" => r.level = level_from_name(v),
            "level" => r.level = v.parse().ok().or(r.level),
            "logname" => r.channel = v.to_string(),
            "message" => r.message = v.to_string(),
            _ => {}
        }
        last_key = key;
    }
    flush(&mut cur, model, summary, &mut seen);
    if records == 0 {
        return Err(ParseError::broken(
            input,
            first.0,
            "Get-WinEvent Format-List records (Id : n)",
            first.1,
        ));
    }
    finish(model, summary, input.source, &seen, kept, dropped);
    Ok(())
}

/// Parse a binary `.evtx` file: records are streamed chunk by chunk; a bad chunk or record
/// loses only its own records (counted in a warning).
///
/// # Errors
/// `Skip` for an empty file; `Broken` (line 0) when the file header cannot be read.
pub fn parse_evtx_bytes(
    source: &str,
    bytes: &[u8],
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::skip("empty .evtx file"));
    }
    let broken = |why: String| ParseError::Broken {
        path: source.to_string(),
        line: 0,
        expected: "an EVTX file (ElfFile header)".into(),
        found: why.chars().take(120).collect(),
    };
    if bytes.len() < 8 || bytes.get(..8) != Some(b"ElfFile\0".as_slice()) {
        let head: String = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
        return Err(broken(format!("first bytes {head}")));
    }
    let mut parser = evtx::EvtxParser::from_buffer(bytes.to_vec())
        .map_err(|e| broken(e.to_string()))?
        .with_configuration(evtx::ParserSettings::default().num_threads(1));
    let (mut kept, mut dropped, mut failed) = (0usize, 0usize, 0usize);
    let mut seen = Vec::new();
    for rec in parser.records() {
        match rec {
            Ok(r) => match record_from_xml(&r.data) {
                Some(mut e) => {
                    e.prov = Prov::quoted(source, 0, &format!("record {}", r.event_record_id));
                    if e.time.is_none() {
                        e.time = Some(r.timestamp.to_string());
                    }
                    if e.channel.is_empty() {
                        e.channel = channel_from_name(source);
                    }
                    push(model, summary, &mut seen, e, &mut kept, &mut dropped);
                }
                None => failed += 1,
            },
            Err(_) => failed += 1,
        }
    }
    if failed > 0 {
        summary.warnings.push(format!(
            "{failed} records could not be read (damaged chunk or record)"
        ));
    }
    finish(model, summary, source, &seen, kept, dropped);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testutil::run;

    const SYSTEM_XML: &str = include_str!("../fixtures/eventlog/system-wevtutil.xml");
    const HNS_XML: &str = include_str!("../fixtures/eventlog/hns-admin-wevtutil.xml");
    const LIST: &str = include_str!("../fixtures/eventlog/system-format-list.txt");

    #[test]
    fn xml_reader_handles_cdata_entities_and_attribute_order() {
        let xml = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>\
            <Provider Guid=\"{0}\" Name=\"Service Control Manager\"/><EventID Qualifiers=\"49152\">7034</EventID>\
            <Level>2</Level><TimeCreated SystemTime=\"2024-04-12T10:15:02Z\"/><Channel>System</Channel></System>\
            <EventData><Data Name=\"param1\"><![CDATA[Host <Network> Service]]></Data>\
            <Data Name=\"param2\">&#49;&amp;&#x32;</Data><Data></Data></EventData></Event>";
        let r = record_from_xml(xml).expect("well-formed event");
        assert_eq!(r.event_id, 7034);
        assert_eq!(r.provider.as_deref(), Some("Service Control Manager"));
        assert_eq!(r.level, Some(2));
        assert_eq!(r.time.as_deref(), Some("2024-04-12T10:15:02Z"));
        assert_eq!(r.channel, "System");
        assert_eq!(r.message, "param1=Host <Network> Service; param2=1&2");
        assert!(record_from_xml("<Event><System><Level>2</Level></System></Event>").is_none());
        assert!(record_from_xml("<Event><System><EventID>1</System></Event>").is_none());
    }

    #[test]
    fn system_xml_filters_and_marks() {
        let (m, s, r) = run(parse_xml, "events/System.xml", SYSTEM_XML);
        assert!(r.is_ok(), "{r:?}");
        assert!(m.has(Fact::SystemEventLog));
        assert!(!m.has(Fact::HnsEventLog));
        let ids: Vec<u32> = m.event_records.iter().map(|e| e.event_id).collect();
        assert_eq!(ids, vec![7034, 7036, 1014]);
        let crash = m.event_records.first().expect("crash");
        assert_eq!(crash.provider.as_deref(), Some("Service Control Manager"));
        assert_eq!(crash.level, Some(2));
        assert_eq!(crash.time.as_deref(), Some("2024-04-12T10:15:02.1234567Z"));
        assert_eq!(crash.message, "param1=Host Network Service; param2=1");
        assert_eq!(crash.prov.line, 1);
        // the 7036 record is Information but names vmcompute; the Tcpip info one is dropped
        assert_eq!(m.event_records.get(1).map(|e| e.level), Some(Some(4)));
        assert_eq!(m.event_records.get(1).map(|e| e.prov.line), Some(6));
        assert_eq!(s.filtered_lines, 1);
        assert_eq!(s.objects, 3);
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn hns_channel_xml_keeps_all_and_cut_off_last() {
        let (m, s, r) = run(
            parse_xml,
            "events/Microsoft-Windows-Host-Network-Service-Admin.xml",
            HNS_XML,
        );
        assert!(r.is_ok(), "{r:?}");
        assert!(m.has(Fact::HnsEventLog));
        assert_eq!(m.event_records.len(), 2);
        let e = m.event_records.first().expect("record");
        assert_eq!(e.channel, "Microsoft-Windows-Host-Network-Service-Admin");
        assert_eq!(e.level, Some(4));
        assert!(e.message.contains("Network=<vxlan0>"), "{}", e.message);
        assert_eq!(s.warnings.len(), 1);
    }

    #[test]
    fn format_list() {
        let (m, s, r) = run(parse_list, "events/System.txt", LIST);
        assert!(r.is_ok(), "{r:?}");
        assert!(m.has(Fact::SystemEventLog));
        assert_eq!(m.event_records.len(), 2);
        let e = m.event_records.first().expect("record");
        assert_eq!(e.event_id, 7031);
        assert_eq!(e.level, Some(2));
        assert_eq!(e.channel, "System");
        assert_eq!(e.time.as_deref(), Some("2024-04-12T10:15:02"));
        assert!(e
            .message
            .starts_with("The Host Network Service service terminated unexpectedly."));
        assert!(e.message.ends_with("Restart the service."), "{}", e.message);
        assert_eq!(e.prov.line, 2);
        assert_eq!(s.filtered_lines, 1);
    }

    #[test]
    fn text_outcomes() {
        let (_, _, r) = run(parse_xml, "events/System.xml", "");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run(
            parse_list,
            "events/System.txt",
            "Get-WinEvent : No events were found that match the specified selection criteria.",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run(parse_xml, "events/System.xml", "\nnot xml at all\n");
        assert!(
            matches!(r, Err(ParseError::Broken { line: 2, .. })),
            "{r:?}"
        );
        let (_, _, r) = run(parse_list, "events/System.txt", "Foo : bar\n");
        assert!(
            matches!(r, Err(ParseError::Broken { line: 1, .. })),
            "{r:?}"
        );
    }

    #[test]
    fn binary_errors_never_panic() {
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        assert!(matches!(
            parse_evtx_bytes("events/System.evtx", &[], &mut m, &mut s),
            Err(ParseError::Skip { .. })
        ));
        let r = parse_evtx_bytes("events/System.evtx", b"MZ\x90\x00garbage", &mut m, &mut s);
        match r {
            Err(ParseError::Broken { line, found, .. }) => {
                assert_eq!(line, 0);
                assert!(found.starts_with("first bytes 4d5a"), "{found}");
            }
            other => panic!("expected Broken, got {other:?}"),
        }
        // a valid signature but a truncated header
        let mut trunc = b"ElfFile\0".to_vec();
        trunc.extend_from_slice(&[0u8; 40]);
        let r = parse_evtx_bytes("events/System.evtx", &trunc, &mut m, &mut s);
        assert!(
            matches!(r, Err(ParseError::Broken { line: 0, .. })),
            "{r:?}"
        );
        // a plausible 4 KiB header followed by a garbage chunk: no panic, whatever the outcome
        let mut junk = b"ElfFile\0".to_vec();
        junk.resize(4096 + 65536, 0xA5);
        let _ = parse_evtx_bytes("events/System.evtx", &junk, &mut m, &mut s);
        assert!(m.event_records.is_empty());
    }

    #[test]
    fn detectors() {
        assert_eq!(detect_xml(SYSTEM_XML), 95);
        assert_eq!(detect_list(LIST), 90);
        assert_eq!(detect_xml(LIST), 0);
        assert_eq!(detect_list(SYSTEM_XML), 0);
    }
}
