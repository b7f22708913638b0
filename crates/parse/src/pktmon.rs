//! Packet Monitor (`pktmon`): the component map, drop counters and the drops of a capture.
//!
//! * **Commands:** `pktmon list -a -i [--json]` (components grouped by adapter binding),
//!   `pktmon counters [-t drop] [-r] [--json]` (per-component flow and drop counters with the
//!   most recent drop reason; `--json` implies `-i -r`), `pktmon etl2txt <file.etl>` (text dump
//!   of a capture: the component events written at the start of every trace, then one
//!   `Drop:` event per dropped packet with its reason and location, followed by a decoded
//!   packet line).
//! * **Bundle paths:** `pktmon/list.json`, `pktmon/counters.json`,
//!   `pktmon/counters-before.json`, `pktmon/counters-after.json`, `pktmon/drops.txt`.
//!   **Legacy names:** `pktmon-list.txt`, `pktmon-counters.txt`, `pktmon.txt`, `PktMon.txt`.
//! * **JSON:** the layout of `--json` is not documented; objects are read wherever they stand
//!   in the tree: an object with a numeric `Id` (or `ComponentId`) and a `Name` is a component;
//!   its properties are plain keys or `{ "Name": …, "Value": … }` lists (MAC, IP address,
//!   switch port name); drop counts are numbers under keys containing `Drop` split by
//!   `In`/`Rx` vs `Out`/`Tx` (as a number or a `{ "Packets": n }` object); a string under a key
//!   containing `Reason` is the most recent drop reason. Nested components get their parent id.
//! * **Text, any locale:** `pktmon list`: a line ending in `:` opens a group; rows are read by
//!   shape — id, optional MAC, optional `*.sys` driver, name. `pktmon counters`: rows with a `|`
//!   between directions; the word before the direction says flow or drop (`Drop`, `Drops`,
//!   German `Verworfen`); a following line `<label>: <text>` is the last drop reason.
//!   `etl2txt`: event messages keyed by English or German words (`Component`/`Komponente`,
//!   `DropReason`/`Verwerfungsgrund`, …); values are read by the shape of what follows.
//! * **Partial input:** lines that look like rows but do not parse are skipped with a reason;
//!   an empty file or collector error text is `Skip`; nothing recognised is `Broken` at the
//!   first line; a cut JSON document is `Broken` at the line serde names.
//!
//! Facts: [`Fact::PktmonComponents`], [`Fact::PktmonCounters`], [`Fact::PktmonDrops`].
//!
//! ```
//! use hnsdoctor_parse::{pktmon, HostModel, Input, InputSummary, Fact};
//! let text = "Network Adapters:\nId  MAC Address        Name\n--  -----------        ----\n 9  00-15-5D-01-02-03  Ethernet0\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! pktmon::parse_list(&Input::new("pktmon/list.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.packets.components[0].id, 9);
//! assert_eq!(model.packets.components[0].mac.as_deref(), Some("00-15-5d-01-02-03"));
//! assert!(model.has(Fact::PktmonComponents));
//! ```

use crate::winout::{check_skip, is_ipv4, is_ipv6, is_mac, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError, Prov};
use hnsdoctor_model::{PktComponent, PktCounter, PktDrop, Snapshot};
use serde_json::Value;
use std::collections::HashMap;

/// Words that mark a drop counter row in `pktmon counters` text (lower case).
const DROP_WORDS: &[&str] = &["drop", "drops", "dropped", "verworfen", "verwerfen"];
/// Keys of the `etl2txt` messages, English and German (lower case, no spaces).
const K_COMPONENT: &[&str] = &["component", "komponente"];
const K_REASON: &[&str] = &["dropreason", "verwerfungsgrund"];
const K_LOCATION: &[&str] = &["droplocation", "verwerfungsort"];
const K_DIRECTION: &[&str] = &["direction", "richtung"];
const K_TYPE: &[&str] = &["type", "typ"];
const K_NAME: &[&str] = &["name"];
const K_DROP_EVENT: &[&str] = &["drop", "verwerfen"];
const K_DROP_COUNTERS: &[&str] = &["dropcounters", "verwerfungszähler"];
const K_PROPERTY: &[&str] = &["property", "eigenschaft"];
const K_PACKETS: &[&str] = &["packets", "pakete"];

/// Normalise a MAC to `aa-bb-cc-dd-ee-ff`.
#[must_use]
pub fn norm_mac(s: &str) -> Option<String> {
    let hex: String = s.chars().filter(char::is_ascii_hexdigit).collect();
    if hex.len() != 12 || !is_mac(s.trim()) {
        return None;
    }
    let low = hex.to_ascii_lowercase();
    let parts: Vec<&str> = (0..6).filter_map(|i| low.get(i * 2..i * 2 + 2)).collect();
    Some(parts.join("-"))
}

/// A count as printed: digits with thousands separators (`1,234`, `1.234`, `1 234`).
fn count(s: &str) -> Option<u64> {
    let t = s.trim();
    if t.is_empty() || !t.chars().next()?.is_ascii_digit() {
        return None;
    }
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | '.' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    digits.parse().ok()
}

fn is_ip(s: &str) -> bool {
    is_ipv4(s) || is_ipv6(s)
}

// ---------------------------------------------------------------- detection

/// Detector for `pktmon list` (text or JSON).
#[must_use]
pub fn detect_list(text: &str) -> u8 {
    let head: String = text.chars().take(8192).collect();
    let low = head.to_lowercase();
    if low.contains("pktmon list") {
        return 90;
    }
    if head.trim_start().starts_with(['[', '{'])
        && head.contains("\"Id\"")
        && (low.contains("\"components\"") || low.contains("macaddress"))
        && !low.contains("drop")
    {
        return 70;
    }
    0
}

/// Detector for `pktmon counters` (text or JSON).
#[must_use]
pub fn detect_counters(text: &str) -> u8 {
    let head: String = text.chars().take(8192).collect();
    let low = head.to_lowercase();
    if low.contains("pktmon counters") {
        return 90;
    }
    if head.trim_start().starts_with(['[', '{']) && head.contains("\"Id\"") && low.contains("drop")
    {
        return 75;
    }
    if head.contains(" | ") && DROP_WORDS.iter().any(|w| low.contains(&format!(" {w} "))) {
        return 60;
    }
    0
}

/// Detector for `pktmon etl2txt` output.
#[must_use]
pub fn detect_etl2txt(text: &str) -> u8 {
    let head: String = text.chars().take(8192).collect();
    if head.contains("[Microsoft-Windows-PktMon]") {
        95
    } else if head.contains("PktGroupId") {
        80
    } else {
        0
    }
}

// ---------------------------------------------------------------- JSON walk

/// The line of the first occurrence of `needle` at or after byte `from`, and where it was.
fn line_of(text: &str, needle: &str, from: &mut usize, first_line: u32) -> u32 {
    let start = (*from).min(text.len());
    match text.get(start..).and_then(|t| t.find(needle)) {
        Some(off) => {
            let at = start + off;
            *from = at + needle.len();
            let nl = text.get(..at).map_or(0, |t| t.matches('\n').count());
            first_line.saturating_add(u32::try_from(nl).unwrap_or(u32::MAX))
        }
        None => first_line,
    }
}

fn key_is(k: &str, names: &[&str]) -> bool {
    let n: String = k
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect::<String>()
        .to_lowercase();
    names.contains(&n.as_str())
}

fn json_id(o: &serde_json::Map<String, Value>) -> Option<u32> {
    o.iter()
        .find(|(k, _)| key_is(k, &["id", "componentid"]))
        .and_then(|(_, v)| match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
        .and_then(|n| u32::try_from(n).ok())
}

fn json_str<'v>(o: &'v serde_json::Map<String, Value>, names: &[&str]) -> Option<&'v str> {
    o.iter()
        .find(|(k, _)| key_is(k, names))
        .and_then(|(_, v)| v.as_str())
        .filter(|s| !s.trim().is_empty())
}

/// Direction of a key: Some(true) inbound, Some(false) outbound.
fn direction_of(k: &str) -> Option<bool> {
    let l = k.to_lowercase();
    if l.contains("out") || l.contains("tx") || l.contains("send") {
        Some(false)
    } else if l.contains("in") || l.contains("rx") || l.contains("rec") {
        Some(true)
    } else {
        None
    }
}

fn packets_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::Object(o) => o
            .iter()
            .find(|(k, _)| key_is(k, K_PACKETS))
            .and_then(|(_, v)| v.as_u64()),
        _ => None,
    }
}

/// (in, out) packet counts below a counter key.
fn in_out(key: &str, v: &Value) -> (Option<u64>, Option<u64>) {
    let mut r = (None, None);
    match v {
        Value::Object(o) if packets_of(v).is_none() => {
            for (k, sub) in o {
                let Some(p) = packets_of(sub) else { continue };
                match direction_of(k) {
                    Some(true) => r.0 = Some(r.0.unwrap_or(0) + p),
                    Some(false) => r.1 = Some(r.1.unwrap_or(0) + p),
                    None => {}
                }
            }
        }
        _ => {
            if let Some(p) = packets_of(v) {
                match direction_of(key.to_lowercase().replace("drop", "").as_str()) {
                    Some(false) => r.1 = Some(p),
                    _ => r.0 = Some(p),
                }
            }
        }
    }
    r
}

#[derive(Default)]
struct Walk {
    components: Vec<PktComponent>,
    counters: Vec<PktCounter>,
    cursor: usize,
}

fn walk(
    v: &Value,
    group: Option<&str>,
    parent: Option<u32>,
    input: &Input<'_>,
    snapshot: Snapshot,
    w: &mut Walk,
) {
    match v {
        Value::Array(a) => {
            for x in a {
                walk(x, group, parent, input, snapshot, w);
            }
        }
        Value::Object(o) => {
            let id = json_id(o);
            let name = json_str(o, &["name", "componentname", "friendlyname"]);
            let (Some(id), Some(name)) = (id, name) else {
                // a group object: its name labels what is below
                let g = json_str(o, &["group", "name", "groupname"]).or(group);
                for x in o.values() {
                    walk(x, g, parent, input, snapshot, w);
                }
                return;
            };
            let line = line_of(input.text, name, &mut w.cursor, input.first_line);
            let prov = Prov::quoted(input.source, line, name);
            let mut c = PktComponent {
                id,
                name: name.to_string(),
                kind: json_str(o, &["type", "componenttype"]).map(str::to_string),
                driver: json_str(o, &["driver", "drivername", "module"]).map(str::to_string),
                parent,
                group: group.map(str::to_string),
                prov: prov.clone(),
                ..PktComponent::default()
            };
            let mut ctr = PktCounter {
                component: id,
                name: Some(name.to_string()),
                snapshot,
                prov,
                ..PktCounter::default()
            };
            let mut has_drop = false;
            let mut props: Vec<(&str, &Value)> = o.iter().map(|(k, v)| (k.as_str(), v)).collect();
            // `{ "Name": …, "Value": … }` property lists
            for (k, v) in o {
                if key_is(k, &["properties", "property"]) {
                    for p in v.as_array().into_iter().flatten() {
                        if let (Some(n), Some(val)) =
                            (p.get("Name").and_then(Value::as_str), p.get("Value"))
                        {
                            props.push((n, val));
                        }
                    }
                }
            }
            for (k, val) in props {
                let l = k.to_lowercase();
                if let Some(s) = val.as_str() {
                    if l.contains("mac") {
                        c.mac = norm_mac(s).or(c.mac);
                    } else if l.contains("ip") && l.contains("address") && is_ip(s.trim()) {
                        c.ips.push(s.trim().to_string());
                    } else if l.contains("port") && l.contains("name") {
                        c.port_name = Some(s.trim().to_string());
                    } else if l.contains("reason") && !s.trim().is_empty() {
                        ctr.last_reason = Some(s.trim().to_string());
                    }
                } else if l.contains("drop") && !l.contains("reason") {
                    let (i, o2) = in_out(k, val);
                    if i.is_some() || o2.is_some() {
                        has_drop = true;
                        ctr.drops_in += i.unwrap_or(0);
                        ctr.drops_out += o2.unwrap_or(0);
                    }
                    if let Some(r) = val
                        .as_object()
                        .and_then(|m| json_str(m, &["reason", "dropreason", "lastreason"]))
                    {
                        ctr.last_reason = Some(r.to_string());
                    }
                } else if l.contains("counter") || l == "flow" || l.contains("packets") {
                    let (i, o2) = in_out(k, val);
                    if i.is_some() || o2.is_some() {
                        ctr.packets_in = Some(ctr.packets_in.unwrap_or(0) + i.unwrap_or(0));
                        ctr.packets_out = Some(ctr.packets_out.unwrap_or(0) + o2.unwrap_or(0));
                    }
                }
            }
            if has_drop || ctr.last_reason.is_some() {
                w.counters.push(ctr);
            }
            w.components.push(c);
            // nested components are bound to this one
            for (k, x) in o {
                if matches!(x, Value::Array(_) | Value::Object(_))
                    && !key_is(k, &["properties", "property"])
                    && !k.to_lowercase().contains("drop")
                    && !k.to_lowercase().contains("counter")
                {
                    walk(x, group, Some(id), input, snapshot, w);
                }
            }
        }
        _ => {}
    }
}

fn parse_json(input: &Input<'_>, snapshot: Snapshot) -> Result<Walk, ParseError> {
    let v: Value = serde_json::from_str(input.text).map_err(|e| {
        let line = input
            .first_line
            .saturating_add(u32::try_from(e.line()).unwrap_or(1).saturating_sub(1));
        let found = input
            .text
            .lines()
            .nth(e.line().saturating_sub(1))
            .unwrap_or("");
        ParseError::broken(input, line, format!("pktmon JSON ({e})"), found)
    })?;
    let mut w = Walk::default();
    walk(&v, None, None, input, snapshot, &mut w);
    Ok(w)
}

fn snapshot_of(source: &str) -> Snapshot {
    let l = source.to_lowercase();
    if l.contains("before") {
        Snapshot::Before
    } else if l.contains("after") {
        Snapshot::After
    } else {
        Snapshot::Only
    }
}

/// Add components to the model, one per id (a later source with the same id fills gaps).
fn add_components(model: &mut HostModel, new: Vec<PktComponent>) {
    let mut at: HashMap<u32, usize> = model
        .packets
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    for c in new {
        if let Some(&i) = at.get(&c.id) {
            let o = &mut model.packets.components[i];
            o.mac = o.mac.take().or(c.mac);
            o.port_name = o.port_name.take().or(c.port_name);
            o.kind = o.kind.take().or(c.kind);
            o.driver = o.driver.take().or(c.driver);
            o.parent = o.parent.or(c.parent);
            for ip in c.ips {
                if !o.ips.contains(&ip) {
                    o.ips.push(ip);
                }
            }
        } else {
            at.insert(c.id, model.packets.components.len());
            model.packets.components.push(c);
        }
    }
}

// ---------------------------------------------------------------- list

fn list_row(line: &str) -> Option<(u32, Option<String>, Option<String>, String)> {
    let mut rest = line.trim();
    let (id, r) = rest.split_once(char::is_whitespace)?;
    let id: u32 = id.parse().ok()?;
    rest = r.trim_start();
    let mut mac = None;
    if let Some((tok, r)) = rest.split_once(char::is_whitespace) {
        if let Some(m) = norm_mac(tok) {
            mac = Some(m);
            rest = r.trim_start();
        }
    }
    let mut driver = None;
    if let Some((tok, r)) = rest.split_once(char::is_whitespace) {
        if tok.to_lowercase().ends_with(".sys") {
            driver = Some(tok.to_string());
            rest = r.trim_start();
        }
    }
    (!rest.is_empty()).then(|| (id, mac, driver, rest.to_string()))
}

/// Parse `pktmon list` (text in any locale, or `--json`).
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no component is found.
pub fn parse_list(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let comps = if input.text.trim_start().starts_with(['[', '{']) {
        parse_json(input, Snapshot::Only)?.components
    } else {
        let mut out = Vec::new();
        let mut group: Option<String> = None;
        for (no, raw) in input.lines() {
            let line = raw.trim();
            if line.is_empty() || crate::psformat::is_dash_line(line) {
                continue;
            }
            if let Some(g) = line.strip_suffix(':') {
                group = Some(g.trim().to_string());
                continue;
            }
            match list_row(line) {
                Some((id, mac, driver, name)) => out.push(PktComponent {
                    id,
                    name,
                    mac,
                    driver,
                    group: group.clone(),
                    prov: input.prov(no, raw),
                    ..PktComponent::default()
                }),
                None if line.starts_with(|c: char| c.is_ascii_digit()) => {
                    skip_line(summary, no, "not a component row (id, MAC, name)");
                }
                None => {}
            }
        }
        out
    };
    if comps.is_empty() {
        return Err(ParseError::broken_at_first_line(
            input,
            "pktmon list rows (Id [MAC] Name) or its JSON",
        ));
    }
    summary.objects += comps.len();
    add_components(model, comps);
    mark(model, summary, Fact::PktmonComponents);
    Ok(())
}

// ---------------------------------------------------------------- counters

/// One side of a counters row: (direction word, packets).
fn side(tokens: &[&str]) -> Option<(String, u64)> {
    // … Direction Packets Bytes
    let n = tokens.len();
    if n < 3 {
        return None;
    }
    let packets = count(tokens[n - 2])?;
    count(tokens[n - 1])?;
    Some((tokens[n - 3].to_string(), packets))
}

/// Parse `pktmon counters` (text in any locale, or `--json`).
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no counter is found.
pub fn parse_counters(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let snapshot = snapshot_of(input.source);
    let (counters, comps) = if input.text.trim_start().starts_with(['[', '{']) {
        let w = parse_json(input, snapshot)?;
        if w.components.is_empty() {
            return Err(ParseError::broken_at_first_line(
                input,
                "pktmon counters JSON with component Id and Name",
            ));
        }
        (w.counters, w.components)
    } else {
        let mut out: Vec<PktCounter> = Vec::new();
        let mut current: Option<(u32, Option<String>)> = None;
        let mut last_drop: Option<usize> = None;
        let mut seen_rows = 0usize;
        for (no, raw) in input.lines() {
            let line = raw.trim();
            if line.is_empty() || crate::psformat::is_dash_line(line) {
                continue;
            }
            let Some((left, right)) = line.split_once('|') else {
                // "Drop reason: …" after a drop row
                if let (Some(i), Some((_, r))) = (last_drop, line.split_once(": ")) {
                    if !r.trim().is_empty() {
                        out[i].last_reason = Some(r.trim().to_string());
                    }
                }
                last_drop = None;
                continue;
            };
            let lt: Vec<&str> = left.split_whitespace().collect();
            let rt: Vec<&str> = right.split_whitespace().collect();
            let (Some((_, p_in)), Some((_, p_out))) = (side(&lt), side(&rt)) else {
                if lt.iter().any(|t| t.chars().all(|c| c.is_ascii_digit())) {
                    skip_line(
                        summary,
                        no,
                        "not a counters row (… Direction Packets Bytes | …)",
                    );
                }
                continue;
            };
            seen_rows += 1;
            // before the direction: [name…] [id] counter-word
            let head = &lt[..lt.len() - 3];
            let Some((word, before)) = head.split_last() else {
                continue;
            };
            if let Some((id_tok, name)) = before.split_last() {
                if let Ok(id) = id_tok.parse::<u32>() {
                    let n = name.join(" ");
                    current = Some((id, (!n.is_empty()).then_some(n)));
                }
            }
            let Some((id, name)) = current.clone() else {
                skip_line(summary, no, "counter row before any component id");
                continue;
            };
            let is_drop = DROP_WORDS.contains(&word.to_lowercase().trim_end_matches(':'));
            let slot = match out.iter().rposition(|c| c.component == id) {
                Some(i) => i,
                None => {
                    out.push(PktCounter {
                        component: id,
                        name,
                        snapshot,
                        prov: input.prov(no, raw),
                        ..PktCounter::default()
                    });
                    out.len() - 1
                }
            };
            let c = &mut out[slot];
            if is_drop {
                c.drops_in += p_in;
                c.drops_out += p_out;
                c.prov = input.prov(no, raw);
                last_drop = Some(slot);
            } else {
                c.packets_in = Some(c.packets_in.unwrap_or(0) + p_in);
                c.packets_out = Some(c.packets_out.unwrap_or(0) + p_out);
                last_drop = None;
            }
        }
        if seen_rows == 0 {
            return Err(ParseError::broken_at_first_line(
                input,
                "pktmon counters rows (Name Id Counter Direction Packets Bytes | Direction Packets Bytes) or its JSON",
            ));
        }
        (out, Vec::new())
    };
    summary.objects += counters.len();
    if !comps.is_empty() {
        add_components(model, comps);
        mark(model, summary, Fact::PktmonComponents);
    }
    model.packets.counters.extend(counters);
    mark(model, summary, Fact::PktmonCounters);
    Ok(())
}

// ---------------------------------------------------------------- etl2txt

/// What makes two drops of a capture the same kind: component, reason, direction, source,
/// destination and destination port.
type DropKey = (
    u32,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<u16>,
);

/// `key value, key value, …` pairs of an event message (`key = value` too).
fn pairs(msg: &str) -> Vec<(String, String)> {
    msg.split(", ")
        .flat_map(|p| {
            let p = p.trim();
            let key = |k: &str| {
                k.chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_lowercase()
            };
            let mut out = Vec::with_capacity(2);
            if let Some((k, v)) = p.split_once(" = ") {
                out.push((key(k), v.trim().to_string()));
            } else {
                // "Component 45", "DropReason VFP Rule Drop": the key is the first word;
                // "Packets In 7": the key is all but the last word — both readings are kept
                if let Some((k, v)) = p.split_once(' ') {
                    out.push((key(k), v.trim().to_string()));
                }
                if let Some((k, v)) = p.rsplit_once(' ') {
                    if k.contains(' ') {
                        out.push((key(k), v.trim().to_string()));
                    }
                }
            }
            out
        })
        .collect()
}

fn get<'p>(pairs: &'p [(String, String)], keys: &[&str]) -> Option<&'p str> {
    pairs
        .iter()
        .find(|(k, _)| keys.contains(&k.as_str()))
        .map(|(_, v)| v.as_str())
}

/// The addresses of a decoded packet line: `… length 74: 10.0.0.1.51234 > 10.0.0.2.80: …`.
fn packet_addrs(line: &str) -> Option<(String, String, Option<u16>)> {
    let after = line.rsplit_once("): ").map_or(line, |(_, r)| r);
    let seg = after
        .split(": ")
        .find(|s| s.contains(" > ") && !s.contains("ethertype"))?;
    let (a, b) = seg.split_once(" > ")?;
    let b = b.split([':', ',']).next()?.trim();
    let split = |s: &str| -> Option<(String, Option<u16>)> {
        let s = s.trim();
        if is_ip(s) {
            return Some((s.to_string(), None));
        }
        let (ip, port) = s.rsplit_once('.')?;
        is_ip(ip).then(|| (ip.to_string(), port.parse().ok()))
    };
    let (src, _) = split(a.rsplit(' ').next().unwrap_or(a))?;
    let (dst, port) = split(b)?;
    Some((src, dst, port))
}

/// Parse `pktmon etl2txt` output (English or German event messages).
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no PktMon event is found.
pub fn parse_etl2txt(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut comps: Vec<PktComponent> = Vec::new();
    let mut comp_at: HashMap<u32, usize> = HashMap::new();
    let mut counters: Vec<PktCounter> = Vec::new();
    let mut drops: Vec<PktDrop> = Vec::new();
    let mut drop_at: HashMap<DropKey, usize> = HashMap::new();
    // a Drop event waiting for its packet line
    let mut pending: Option<(PktDrop, bool)> = None;
    let mut events = 0usize;
    let flush =
        |p: Option<(PktDrop, bool)>, drops: &mut Vec<PktDrop>, drop_at: &mut HashMap<_, usize>| {
            if let Some((d, _)) = p {
                let key = (
                    d.component,
                    d.reason.clone(),
                    d.direction.clone(),
                    d.src.clone(),
                    d.dst.clone(),
                    d.dst_port,
                );
                match drop_at.get(&key) {
                    Some(&i) => {
                        let x: &mut PktDrop = &mut drops[i];
                        x.count += 1;
                    }
                    None => {
                        drop_at.insert(key, drops.len());
                        drops.push(d);
                    }
                }
            }
        };
    for (no, raw) in input.lines() {
        let Some((_, msg)) = raw.split_once("[Microsoft-Windows-PktMon]") else {
            // a decoded packet line belongs to the pending drop
            if let Some((d, false)) = pending.as_mut().map(|(d, f)| (d, *f)) {
                if let Some((s, t, port)) = packet_addrs(raw) {
                    d.src = Some(s);
                    d.dst = Some(t);
                    d.dst_port = port;
                    if let Some(p) = pending.as_mut() {
                        p.1 = true;
                    }
                }
            }
            continue;
        };
        let msg = msg.trim();
        let (label, body) = match msg.split_once(": ") {
            Some((l, b)) if !l.contains(',') => (
                l.chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_lowercase(),
                b,
            ),
            _ => (String::new(), msg),
        };
        let kv = pairs(body);
        let Some(id) = get(&kv, K_COMPONENT).and_then(|v| v.parse::<u32>().ok()) else {
            if !msg.is_empty() {
                skip_line(summary, no, "PktMon event without a component id");
            }
            continue;
        };
        events += 1;
        if K_DROP_EVENT.contains(&label.as_str()) {
            flush(pending.take(), &mut drops, &mut drop_at);
            let reason = get(&kv, K_REASON).unwrap_or("unknown").to_string();
            pending = Some((
                PktDrop {
                    component: id,
                    reason,
                    location: get(&kv, K_LOCATION).map(str::to_string),
                    direction: get(&kv, K_DIRECTION).map(str::to_string),
                    count: 1,
                    prov: input.prov(no, raw),
                    ..PktDrop::default()
                },
                false,
            ));
        } else if K_DROP_COUNTERS.contains(&label.as_str()) {
            // Direction In = Rx , Packets In 0, … , Packets Out 0
            let num = |k: &str| {
                kv.iter()
                    .find(|(kk, _)| kk == k)
                    .and_then(|(_, v)| count(v.split_whitespace().last().unwrap_or("")))
            };
            let p_in = num("packetsin").or_else(|| num("paketeein")).unwrap_or(0);
            let p_out = num("packetsout").or_else(|| num("paketeaus")).unwrap_or(0);
            counters.push(PktCounter {
                component: id,
                drops_in: p_in,
                drops_out: p_out,
                snapshot: snapshot_of(input.source),
                prov: input.prov(no, raw),
                ..PktCounter::default()
            });
        } else if K_PROPERTY.contains(&label.as_str()) {
            let Some(i) = comp_at.get(&id).copied() else {
                continue;
            };
            let c = &mut comps[i];
            for (k, v) in kv
                .iter()
                .filter(|(k, _)| !K_COMPONENT.contains(&k.as_str()))
            {
                let v = v.trim();
                if k.contains("mac") {
                    c.mac = norm_mac(v).or(c.mac.take());
                } else if (k.contains("ip") || k.contains("adresse")) && is_ip(v) {
                    c.ips.push(v.to_string());
                } else if k.contains("port") && k.contains("name") {
                    c.port_name = Some(v.to_string());
                }
            }
        } else if label.is_empty() {
            // "Component 106, Type 11, Name tcpip.sys, TCP/IPv4 - L3/L4"
            let kind = get(&kv, K_TYPE).map(str::to_string);
            let driver = get(&kv, K_NAME).map(str::to_string);
            let name = body
                .split(", ")
                .skip_while(|p| !K_NAME.iter().any(|k| p.to_lowercase().starts_with(k)))
                .skip(1)
                .collect::<Vec<_>>()
                .join(", ");
            let name = if name.trim().is_empty() {
                driver.clone().unwrap_or_default()
            } else {
                name.trim().to_string()
            };
            comp_at.insert(id, comps.len());
            comps.push(PktComponent {
                id,
                name,
                kind,
                driver,
                prov: input.prov(no, raw),
                ..PktComponent::default()
            });
        }
    }
    flush(pending.take(), &mut drops, &mut drop_at);
    if events == 0 {
        return Err(ParseError::broken_at_first_line(
            input,
            "pktmon etl2txt lines ([Microsoft-Windows-PktMon] Component …/Drop: …)",
        ));
    }
    summary.objects += comps.len() + drops.len();
    if !comps.is_empty() {
        add_components(model, comps);
        mark(model, summary, Fact::PktmonComponents);
    }
    if !counters.is_empty() {
        model.packets.counters.extend(counters);
        mark(model, summary, Fact::PktmonCounters);
    }
    model.packets.drops.extend(drops);
    // a trace was read: its drops are known, even when there were none
    mark(model, summary, Fact::PktmonDrops);
    Ok(())
}

/// Parse `pktmon/capture.json`, the collector's record of a drops capture (duration).
///
/// # Errors
/// `Broken` when it is not a JSON object with `duration_s`.
pub fn parse_capture(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let v: Value = serde_json::from_str(input.text).map_err(|e| {
        ParseError::broken(input, input.first_line, format!("capture JSON ({e})"), "")
    })?;
    let Some(d) = v.get("duration_s").and_then(Value::as_u64) else {
        return Err(ParseError::broken_at_first_line(
            input,
            "a JSON object with duration_s",
        ));
    };
    model.packets.capture_seconds = Some(d);
    summary.objects += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::winout::decode;

    fn run(
        f: crate::ParseFn,
        source: &str,
        bytes: &[u8],
    ) -> (HostModel, Result<(), ParseError>, InputSummary) {
        let text = decode(bytes);
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        let r = f(&Input::new(source, &text), &mut m, &mut s);
        (m, r, s)
    }

    #[test]
    fn list_json_reads_components_macs_ports_and_parents() {
        let (m, r, _) = run(
            parse_list,
            "pktmon/list.json",
            include_bytes!("../fixtures/pktmon/list.json"),
        );
        r.unwrap();
        let c = &m.packets.components;
        assert_eq!(c.len(), 6);
        let nic = c.iter().find(|c| c.id == 9).unwrap();
        assert_eq!(nic.mac.as_deref(), Some("00-15-5d-0a-0b-01"));
        assert_eq!(nic.group.as_deref(), Some("Network Adapters"));
        let vfp = c.iter().find(|c| c.id == 14).unwrap();
        assert_eq!(vfp.parent, Some(12));
        assert_eq!(vfp.driver.as_deref(), Some("vfpext.sys"));
        let port = c.iter().find(|c| c.id == 31).unwrap();
        assert_eq!(port.mac.as_deref(), Some("00-15-5d-0a-0b-31"));
        assert_eq!(
            port.port_name.as_deref(),
            Some("9F1C2A4E-5B6D-4E7F-8A9B-0C1D2E3F4A5B")
        );
        assert!(
            port.prov.line > 1,
            "provenance names the line: {:?}",
            port.prov
        );
        assert!(m.has(Fact::PktmonComponents));
    }

    #[test]
    fn list_text_english_utf16_and_german() {
        let (m, r, _) = run(
            parse_list,
            "pktmon-list.txt",
            include_bytes!("../fixtures/pktmon/list-en-utf16.txt"),
        );
        r.unwrap();
        assert_eq!(m.packets.components.len(), 5);
        let p = m.packets.components.iter().find(|c| c.id == 31).unwrap();
        assert_eq!(p.mac.as_deref(), Some("00-15-5d-0a-0b-31"));
        assert_eq!(p.group.as_deref(), Some("vSwitch ports"));
        let f = m.packets.components.iter().find(|c| c.id == 14).unwrap();
        assert_eq!(f.driver.as_deref(), Some("vfpext.sys"));
        let (de, r, _) = run(
            parse_list,
            "pktmon-list.txt",
            include_bytes!("../fixtures/pktmon/list-de.txt"),
        );
        r.unwrap();
        assert_eq!(de.packets.components.len(), 5);
        assert_eq!(
            de.packets.components[0].group.as_deref(),
            Some("Netzwerkadapter")
        );
    }

    #[test]
    fn counters_json_drops_and_reason() {
        let (m, r, _) = run(
            parse_counters,
            "pktmon/counters.json",
            include_bytes!("../fixtures/pktmon/counters.json"),
        );
        r.unwrap();
        let c = m
            .packets
            .counters
            .iter()
            .find(|c| c.component == 31)
            .unwrap();
        assert_eq!((c.drops_in, c.drops_out), (0, 312));
        assert_eq!(c.last_reason.as_deref(), Some("VFP Rule Drop"));
        assert_eq!(c.packets_in, Some(1024));
        assert_eq!(c.snapshot, Snapshot::Only);
        assert!(m.has(Fact::PktmonCounters) && m.has(Fact::PktmonComponents));
    }

    #[test]
    fn counters_snapshot_from_the_path() {
        let (m, r, _) = run(
            parse_counters,
            "pktmon/counters-after.json",
            include_bytes!("../fixtures/pktmon/counters.json"),
        );
        r.unwrap();
        assert!(m
            .packets
            .counters
            .iter()
            .all(|c| c.snapshot == Snapshot::After));
    }

    #[test]
    fn counters_text_english_and_german() {
        for (f, reason) in [
            (
                &include_bytes!("../fixtures/pktmon/counters-en.txt")[..],
                "VFP Rule Drop",
            ),
            (
                &include_bytes!("../fixtures/pktmon/counters-de.txt")[..],
                "VFP-Regel verworfen",
            ),
        ] {
            let (m, r, s) = run(parse_counters, "pktmon-counters.txt", f);
            r.unwrap();
            let c = m
                .packets
                .counters
                .iter()
                .find(|c| c.component == 31)
                .unwrap();
            assert_eq!((c.drops_in, c.drops_out), (0, 1312), "{s:?}");
            assert_eq!(c.last_reason.as_deref(), Some(reason));
            let nic = m
                .packets
                .counters
                .iter()
                .find(|c| c.component == 9)
                .unwrap();
            assert_eq!(nic.drops_in, 7);
            assert_eq!(nic.packets_in, Some(48_213));
        }
    }

    #[test]
    fn etl2txt_english_and_german_drops_with_addresses() {
        for f in [
            &include_bytes!("../fixtures/pktmon/drops-en.txt")[..],
            &include_bytes!("../fixtures/pktmon/drops-de.txt")[..],
        ] {
            let (m, r, _) = run(parse_etl2txt, "pktmon/drops.txt", f);
            r.unwrap();
            let p = &m.packets;
            let port = p.components.iter().find(|c| c.id == 31).unwrap();
            assert_eq!(port.mac.as_deref(), Some("00-15-5d-0a-0b-31"));
            assert!(port.name.contains("Container NIC"), "{port:?}");
            let acl = p
                .drops
                .iter()
                .find(|d| d.component == 31 && d.reason == "VFP Rule Drop")
                .unwrap();
            assert_eq!(acl.count, 3);
            assert_eq!(acl.dst.as_deref(), Some("10.244.1.5"));
            assert_eq!(acl.dst_port, Some(80));
            assert_eq!(acl.src.as_deref(), Some("10.244.2.7"));
            assert_eq!(acl.location.as_deref(), Some("0xE0004151"));
            let mtu = p.drops.iter().find(|d| d.reason.contains("MTU")).unwrap();
            assert_eq!(mtu.component, 9);
            assert!(p
                .counters
                .iter()
                .any(|c| c.component == 31 && c.drops_out == 3));
            assert!(m.has(Fact::PktmonDrops));
        }
    }

    #[test]
    fn bad_input_is_skip_or_broken_with_line() {
        let (_, r, _) = run(parse_counters, "c.json", b"[{\"Id\": 3, \"Name\": \"x\"");
        match r {
            Err(ParseError::Broken { path, line, .. }) => {
                assert_eq!(path, "c.json");
                assert_eq!(line, 1);
            }
            other => panic!("expected Broken, got {other:?}"),
        }
        let (_, r, _) = run(parse_list, "l.txt", b"Access is denied.\r\n");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, r, _) = run(parse_etl2txt, "d.txt", b"hello\nworld\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
    }

    #[test]
    fn detectors_pick_the_right_format() {
        let l = decode(include_bytes!("../fixtures/pktmon/list.json"));
        let c = decode(include_bytes!("../fixtures/pktmon/counters.json"));
        let d = decode(include_bytes!("../fixtures/pktmon/drops-en.txt"));
        assert!(detect_list(&l) > detect_counters(&l));
        assert!(detect_counters(&c) > detect_list(&c));
        assert!(detect_etl2txt(&d) >= 90);
        assert_eq!(detect_etl2txt(&l), 0);
        let t = decode(include_bytes!("../fixtures/pktmon/counters-de.txt"));
        assert!(detect_counters(&t) > 0);
    }

    #[test]
    fn numbers_and_macs() {
        assert_eq!(count("1,312"), Some(1312));
        assert_eq!(count("1.312"), Some(1312));
        assert_eq!(count("Rx"), None);
        assert_eq!(
            norm_mac("00:15:5D:0A:0B:31").as_deref(),
            Some("00-15-5d-0a-0b-31")
        );
        assert_eq!(norm_mac("00-15-5D"), None);
        assert_eq!(
            packet_addrs("\t00-15-5D-0A-0B-07 > 00-15-5D-0A-0B-31, ethertype IPv4 (0x0800), length 74: 10.244.2.7.51234 > 10.244.1.5.80: Flags [S], seq 1, win 64240, length 0"),
            Some(("10.244.2.7".into(), "10.244.1.5".into(), Some(80)))
        );
    }
}
