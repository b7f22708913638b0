//! `vfpctrl` text: switch ports, port state and layer / group / rule dumps → [`model::Vfp`].
//!
//! * **Produced by**: `vfpctrl /list-vmswitch-port` (port blocks: `Port name : <GUID>`, `Port
//!   Friendly name`, `Switch name`, `MAC address`, `VM name` …, under an `ITEM LIST` / `=====`
//!   banner), `vfpctrl /port <GUID> /get-port-state` (`Blocked : FALSE`), `vfpctrl /port <GUID>
//!   /list-layer`, `/layer <L> /list-group`, `/group <G> /list-rule` (blocks headed `LAYER : …`,
//!   `GROUP : …` with `Direction : IN|OUT`, `RULE : …`), and collectlogs' `vfpOutput.txt`, which
//!   concatenates such dumps per port, each introduced by a line naming the port (`Port name :
//!   <GUID>`, or the echoed `vfpctrl /port <GUID> …` command).
//! * **Bundle paths**: `vfp/ports.txt`, `vfp/port-state.txt`, `vfp/rules.txt`, or a per-port
//!   file `vfp/<GUID>.txt` (its name gives the port when the text does not). **Legacy
//!   CollectLogs names**: `ports.txt`, `vfpOutput.txt`.
//! * **Encodings**: OEM console text re-encoded by PowerShell (UTF-16LE with BOM in 5.1),
//!   decoded upstream. Keys are English; matching is case-insensitive.
//! * **Streaming**: one pass over the lines; ports are found through a hash index, so 50 MB
//!   dumps stay linear. Rule bodies (conditions, actions, flow counters) are not kept — only
//!   layer, group and rule names, group direction and the port's blocked state.
//! * **Partial input**: a dump cut mid-port keeps what was read; layer/group/rule lines before
//!   any port is named (and no GUID file name) are counted as skipped. Empty input and
//!   collector errors (`'vfpctrl' is not recognized…`, `Access is denied`) are `Skip`; text
//!   with no vfpctrl line at all is `Broken` at its first line.
//!
//! [`model::Vfp`]: hnsdoctor_model::Vfp
//!
//! ```
//! use hnsdoctor_parse::{vfpctrl, HostModel, Input, InputSummary};
//! let text = "ITEM LIST\n===========\n\n  Port name             : 4FD72AB0-2C35-4AE7-AC9A-F893495BD5EF\n\
//!   Port Friendly name    : Container NIC 6c50381c\n  Blocked : TRUE\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! vfpctrl::parse(&Input::new("vfp/ports.txt", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.vfp.ports[0].friendly_name.as_deref(), Some("Container NIC 6c50381c"));
//! assert_eq!(m.vfp.ports[0].blocked, Some(true));
//! ```

use crate::hns_json::{check_skip, mark, skip_line};
use crate::hnsdiag::is_guid;
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{norm_guid, VfpGroup, VfpLayer, VfpPort};
use rayon::prelude::*;
use std::collections::HashMap;

/// The key of a `Key : value` line: trimmed, without blanks, `-` and `_`, ASCII lower-case, at
/// most 40 bytes — kept on the stack (a VFP dump has millions of such lines).
struct Key {
    buf: [u8; 40],
    len: usize,
}

impl Key {
    fn as_str(&self) -> &str {
        std::str::from_utf8(self.buf.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, o: &&str) -> bool {
        self.as_str() == *o
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `Key : value` with the key trimmed and lower-cased, spaces removed.
fn kv(line: &str) -> Option<(Key, &str)> {
    let (k, v) = line.split_once(':')?;
    let mut key = Key {
        buf: [0; 40],
        len: 0,
    };
    let mut utf8 = [0u8; 4];
    for c in k.trim().chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            continue;
        }
        let bytes = c.to_ascii_lowercase().encode_utf8(&mut utf8).as_bytes();
        let end = key.len + bytes.len();
        key.buf.get_mut(key.len..end)?.copy_from_slice(bytes);
        key.len = end;
    }
    if key.len == 0 {
        return None;
    }
    Some((key, v.trim()))
}

/// A GUID token in `line` (for echoed `vfpctrl /port <GUID> …` commands).
fn guid_in(line: &str) -> Option<String> {
    line.split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
        .find(|t| is_guid(t))
        .map(norm_guid)
}

/// The port GUID a file name carries (`vfp/<GUID>.txt`).
fn guid_from_source(source: &str) -> Option<String> {
    let file = source.rsplit(['/', '\\']).next()?;
    let stem = file.split('.').next()?;
    is_guid(stem).then(|| norm_guid(stem))
}

/// Keys the parser acts on; every other `Key : value` line is read past.
const KEYS: [&str; 15] = [
    "portname",
    "port",
    "policylistforport",
    "portguid",
    "layer",
    "group",
    "rule",
    "direction",
    "blocked",
    "portfriendlyname",
    "friendlyname",
    "macaddress",
    "mac",
    "portmacaddress",
    "vmname",
];

/// A line the parser acts on, read without any parser state.
enum Line<'a> {
    /// An echoed command `vfpctrl /port <GUID> /list-rule`: its port.
    Echo(String),
    /// `Key : value` with one of [`KEYS`].
    Kv(Key, &'a str),
}

/// What one (trimmed) line says, if the parser acts on it.
fn read_line(t: &str) -> Option<Line<'_>> {
    if t.is_empty() || t.eq_ignore_ascii_case("ITEM LIST") || t.chars().all(|c| c == '=') {
        return None;
    }
    match kv(t) {
        Some((key, val)) => KEYS.contains(&key.as_str()).then_some(Line::Kv(key, val)),
        None => {
            let low = t.to_ascii_lowercase();
            if low.contains("vfpctrl") && low.contains("/port") {
                guid_in(t).map(Line::Echo)
            } else {
                None
            }
        }
    }
}

/// The lines the parser acts on, with their line numbers, in order. Reading a line needs no
/// state, so a large dump (millions of lines of rule details) is read in chunks on every core;
/// only the lines that name ports, layers, groups, rules and port properties are kept.
fn read_lines<'a>(input: &Input<'a>) -> Vec<(u32, &'a str, Line<'a>)> {
    let text = input.text;
    let bytes = text.as_bytes();
    // Chunks end just after a line end, so their lines are exactly the text's lines.
    let size = (text.len() / 64).max(1 << 20);
    let mut chunks: Vec<&'a str> = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = bytes
            .get(start + size..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
            .map_or(text.len(), |i| start + size + i + 1);
        chunks.push(text.get(start..end).unwrap_or_default());
        start = end;
    }
    let counts: Vec<u32> = chunks
        .par_iter()
        .map(|c| u32::try_from(c.bytes().filter(|&b| b == b'\n').count()).unwrap_or(u32::MAX))
        .collect();
    let mut first = input.first_line;
    let firsts: Vec<u32> = counts
        .iter()
        .map(|c| {
            let f = first;
            first = first.saturating_add(*c);
            f
        })
        .collect();
    chunks
        .par_iter()
        .zip(firsts.par_iter())
        .map(|(chunk, &first)| {
            chunk
                .lines()
                .enumerate()
                .filter_map(|(i, line)| {
                    let n = first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                    read_line(line.trim()).map(|l| (n, line, l))
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

struct State {
    index: HashMap<String, usize>,
    port: Option<usize>,
    layer: Option<usize>,
    group: Option<usize>,
}

impl State {
    fn select_port(&mut self, model: &mut HostModel, name: String, prov: hnsdoctor_model::Prov) {
        let next = model.vfp.ports.len();
        let i = *self.index.entry(name.clone()).or_insert_with(|| {
            model.vfp.ports.push(VfpPort {
                name,
                prov,
                ..VfpPort::default()
            });
            next
        });
        self.port = Some(i);
        self.layer = None;
        self.group = None;
    }
}

/// Parse vfpctrl output (any mix of the dumps above).
///
/// # Errors
/// `Skip` for empty input or collector errors; `Broken` when no vfpctrl line is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut st = State {
        index: model
            .vfp
            .ports
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.clone(), i))
            .collect(),
        port: None,
        layer: None,
        group: None,
    };
    let before = model.vfp.ports.len();
    let default_port = guid_from_source(input.source);
    let (mut saw_ports, mut saw_state, mut saw_rules) = (false, false, false);
    let mut understood = 0usize;
    for (n, line, read) in read_lines(input) {
        let (key, val) = match read {
            Line::Echo(g) => {
                st.select_port(model, g, input.prov(n, line));
                understood += 1;
                continue;
            }
            Line::Kv(key, val) => (key, val),
        };
        match key.as_str() {
            "portname" | "port" if is_guid(val) => {
                st.select_port(model, norm_guid(val), input.prov(n, line));
                saw_ports |= key == "portname";
                understood += 1;
            }
            "policylistforport" | "portguid" if is_guid(val) => {
                st.select_port(model, norm_guid(val), input.prov(n, line));
                understood += 1;
            }
            "layer" | "group" | "rule" => {
                if st.port.is_none() {
                    if let Some(g) = default_port.clone() {
                        st.select_port(model, g, input.prov(n, line));
                    }
                }
                let Some(p) = st.port.and_then(|i| model.vfp.ports.get_mut(i)) else {
                    skip_line(summary, n, format!("{key} before any port is named"));
                    continue;
                };
                saw_rules = true;
                understood += 1;
                let name = val.to_string();
                match key.as_str() {
                    "layer" => {
                        let i = p
                            .layers
                            .iter()
                            .position(|l| l.name == name)
                            .unwrap_or_else(|| {
                                p.layers.push(VfpLayer {
                                    name,
                                    groups: Vec::new(),
                                });
                                p.layers.len() - 1
                            });
                        st.layer = Some(i);
                        st.group = None;
                    }
                    "group" => {
                        if st.layer.is_none() {
                            p.layers.push(VfpLayer::default());
                            st.layer = Some(p.layers.len() - 1);
                        }
                        if let Some(l) = st.layer.and_then(|i| p.layers.get_mut(i)) {
                            let i =
                                l.groups
                                    .iter()
                                    .position(|g| g.name == name)
                                    .unwrap_or_else(|| {
                                        l.groups.push(VfpGroup {
                                            name,
                                            ..VfpGroup::default()
                                        });
                                        l.groups.len() - 1
                                    });
                            st.group = Some(i);
                        }
                    }
                    _ => {
                        if st.layer.is_none() {
                            p.layers.push(VfpLayer::default());
                            st.layer = Some(p.layers.len() - 1);
                        }
                        if let Some(l) = st.layer.and_then(|i| p.layers.get_mut(i)) {
                            if st.group.is_none() {
                                l.groups.push(VfpGroup::default());
                                st.group = Some(l.groups.len() - 1);
                            }
                            if let Some(g) = st.group.and_then(|i| l.groups.get_mut(i)) {
                                g.rules.push(name);
                            }
                        }
                    }
                }
            }
            "direction" => {
                if let Some(g) = st
                    .port
                    .and_then(|i| model.vfp.ports.get_mut(i))
                    .and_then(|p| st.layer.and_then(|i| p.layers.get_mut(i)))
                    .and_then(|l| st.group.and_then(|i| l.groups.get_mut(i)))
                {
                    if g.rules.is_empty() && g.direction.is_none() {
                        g.direction = Some(val.to_ascii_uppercase());
                    }
                }
            }
            "blocked" => {
                if st.port.is_none() {
                    if let Some(g) = default_port.clone() {
                        st.select_port(model, g, input.prov(n, line));
                    }
                }
                let b = match val.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "1" => Some(true),
                    "false" | "no" | "0" => Some(false),
                    _ => None,
                };
                match (st.port.and_then(|i| model.vfp.ports.get_mut(i)), b) {
                    (Some(p), Some(b)) => {
                        p.blocked = Some(b);
                        saw_state = true;
                        understood += 1;
                    }
                    (None, _) => skip_line(summary, n, "Blocked before any port is named"),
                    (_, None) => skip_line(summary, n, "Blocked value not TRUE/FALSE"),
                }
            }
            "portfriendlyname" | "friendlyname" if st.layer.is_none() => {
                if let Some(p) = st.port.and_then(|i| model.vfp.ports.get_mut(i)) {
                    if p.friendly_name.is_none() && !val.is_empty() {
                        p.friendly_name = Some(val.to_string());
                    }
                }
            }
            "macaddress" | "mac" | "portmacaddress" => {
                if let Some(p) = st.port.and_then(|i| model.vfp.ports.get_mut(i)) {
                    if p.mac.is_none() && !val.is_empty() {
                        p.mac = Some(val.to_string());
                    }
                }
            }
            "vmname" => {
                if let Some(p) = st.port.and_then(|i| model.vfp.ports.get_mut(i)) {
                    if !val.is_empty() {
                        p.vm_name = Some(val.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    if understood == 0 {
        let (line, found) = input
            .lines()
            .find(|(_, l)| !l.trim().is_empty())
            .unwrap_or((input.first_line, ""));
        return Err(ParseError::broken(
            input,
            line,
            "vfpctrl output (Port name, Blocked, LAYER/GROUP/RULE lines)",
            found,
        ));
    }
    if saw_ports {
        mark(model, summary, Fact::VfpPorts);
    }
    if saw_state {
        mark(model, summary, Fact::VfpPortState);
    }
    if saw_rules {
        mark(model, summary, Fact::VfpRules);
    }
    summary.objects += model.vfp.ports.len().saturating_sub(before);
    Ok(())
}

/// Detector: distinctive vfpctrl lines.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut score = 0u8;
    for l in text.lines().take(2000) {
        let t = l.trim_start();
        let Some((k, v)) = kv(t) else {
            if t.starts_with("ITEM LIST") {
                score = score.saturating_add(20);
            }
            continue;
        };
        match k.as_str() {
            "portname" if is_guid(v) => score = score.saturating_add(40),
            "portfriendlyname" | "switchfriendlyname" => score = score.saturating_add(20),
            "blocked" => score = score.saturating_add(30),
            "layer" | "group" | "rule" if t.starts_with(|c: char| c.is_ascii_uppercase()) => {
                score = score.saturating_add(15);
            }
            _ => {}
        }
        if score >= 90 {
            return 90;
        }
    }
    score.min(90)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psformat::decode_fixture;

    fn run(src: &str, text: &str) -> (HostModel, InputSummary, Result<(), ParseError>) {
        crate::testutil::run(parse, src, text)
    }

    #[test]
    fn a_dump_read_in_chunks_keeps_every_port_rule_and_line_number() {
        // Over 4 MiB: read in several chunks on several threads.
        let mut text = String::new();
        let mut line = 0u32;
        let mut push = |text: &mut String, l: &str| {
            text.push_str(l);
            text.push('\n');
            line += 1;
            line
        };
        let mut port_lines = Vec::new();
        for p in 0..400u32 {
            let guid = format!("{p:08X}-1111-2222-3333-444455556666");
            port_lines.push((
                guid.clone(),
                push(&mut text, &format!("Port name : {guid}")),
            ));
            push(&mut text, "ITEM LIST");
            push(&mut text, "===========");
            push(&mut text, "  LAYER : LB_DSR");
            push(&mut text, "    GROUP : LB_DSR_IPv4_OUT");
            for r in 0..20 {
                push(
                    &mut text,
                    &format!("      RULE : LB_DSR_{p}_{r}_10.0.0.1_80_8080_6"),
                );
                for k in 0..12 {
                    push(
                        &mut text,
                        &format!("        Priority {k} : {}", "x".repeat(24)),
                    );
                }
            }
        }
        assert!(text.len() > 4 << 20, "{}", text.len());
        let (m, s, r) = run("vfpOutput.txt", &text);
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(m.vfp.ports.len(), 400);
        let rules: usize = m
            .vfp
            .ports
            .iter()
            .flat_map(|p| &p.layers)
            .flat_map(|l| &l.groups)
            .map(|g| g.rules.len())
            .sum();
        assert_eq!(rules, 400 * 20);
        for (p, (guid, line)) in m.vfp.ports.iter().zip(&port_lines) {
            assert_eq!(&p.name, guid);
            assert_eq!(p.prov.line, *line, "{guid}");
        }
        let last = m.vfp.ports.last().expect("ports");
        assert_eq!(
            last.layers[0].groups[0].rules[19],
            "LB_DSR_399_19_10.0.0.1_80_8080_6"
        );
        assert_eq!(s.objects, 400);
    }

    #[test]
    fn list_vmswitch_port() {
        let text = decode_fixture(include_bytes!("../fixtures/vfpctrl/ports.txt"));
        assert_eq!(detect(&text), 90);
        let (m, s, r) = run("ports.txt", &text);
        assert_eq!(r, Ok(()), "{s:#?}");
        assert!(m.has(Fact::VfpPorts));
        assert!(!m.has(Fact::VfpPortState));
        assert_eq!(m.vfp.ports.len(), 3);
        let p = &m.vfp.ports[1];
        assert_eq!(p.name, "4FD72AB0-2C35-4AE7-AC9A-F893495BD5EF");
        assert_eq!(p.friendly_name.as_deref(), Some("Container NIC 6c50381c"));
        assert_eq!(p.mac.as_deref(), Some("00-15-5D-A4-20-1E"));
        assert_eq!(p.prov.line, 13);
        assert_eq!(m.vfp.ports[2].vm_name.as_deref(), Some("7f3e1a9c2b4d"));
        assert_eq!(s.objects, 3);
    }

    #[test]
    fn vfp_output_per_port_dumps() {
        let text = decode_fixture(include_bytes!("../fixtures/vfpctrl/vfpOutput.txt"));
        let (m, s, r) = run("vfpOutput.txt", &text);
        assert_eq!(r, Ok(()), "{s:#?}");
        assert!(m.has(Fact::VfpRules) && m.has(Fact::VfpPortState));
        assert_eq!(m.vfp.ports.len(), 2);
        let p = &m.vfp.ports[0];
        assert_eq!(p.name, "4FD72AB0-2C35-4AE7-AC9A-F893495BD5EF");
        assert_eq!(p.blocked, Some(false));
        let names: Vec<&str> = p.layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["LB_DSR", "SLB_NAT_LAYER"]);
        let g = &p.layers[0].groups[0];
        assert_eq!(g.name, "LB_DSR_IPv4_OUT");
        assert_eq!(g.direction.as_deref(), Some("OUT"));
        assert_eq!(
            g.rules,
            ["LB_DSR_10_96_0_10_53_17", "LB_DSR_10_96_0_10_53_6"]
        );
        assert_eq!(p.layers[1].groups[0].direction.as_deref(), Some("IN"));
        let q = &m.vfp.ports[1];
        assert_eq!(q.blocked, Some(true));
        assert_eq!(q.layers[0].groups[0].rules.len(), 1);
    }

    #[test]
    fn per_port_file_name_gives_port() {
        let text = "Blocked : TRUE\n  LAYER : VNET_DECAP_LAYER\n    GROUP : VNET_DECAP_GROUP\n      Direction : IN\n      RULE : DECAP_ALL\n";
        let (m, _, r) = run("vfp/1666b12e-5204-46fb-a42e-1295ae2df63a.txt", text);
        assert_eq!(r, Ok(()));
        let p = &m.vfp.ports[0];
        assert_eq!(p.name, "1666B12E-5204-46FB-A42E-1295AE2DF63A");
        assert_eq!(p.blocked, Some(true));
        assert_eq!(p.layers[0].groups[0].rules, ["DECAP_ALL"]);
        // without a port anywhere, the lines are skipped with their numbers
        let (m, s, r) = run("vfp/rules.txt", text);
        assert!(
            matches!(r, Err(ParseError::Broken { line: 1, .. })),
            "{r:?}"
        );
        assert!(m.vfp.ports.is_empty());
        assert_eq!(s.skipped[0].line, 1);
    }

    #[test]
    fn skip_and_broken() {
        assert!(matches!(
            run("ports.txt", "").2,
            Err(ParseError::Skip { .. })
        ));
        let (_, _, r) = run(
            "ports.txt",
            "'vfpctrl' is not recognized as an internal or external command,\noperable program or batch file.",
        );
        assert!(
            matches!(r, Err(ParseError::Skip { ref reason }) if reason.contains("collector error"))
        );
        match run("ports.txt", "\nhello\nworld\n").2 {
            Err(ParseError::Broken { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(detect("hello"), 0);
    }

    #[test]
    fn large_dump_is_linear_enough() {
        // 3000 ports × 20 rules: must finish quickly in a debug build (no quadratic lookups)
        let mut t = String::new();
        for i in 0..3000u32 {
            t.push_str(&format!(
                "Port name : {i:08X}-0000-4000-8000-000000000000\n  LAYER : L\n    GROUP : G\n"
            ));
            for r in 0..20 {
                t.push_str(&format!("      RULE : R{r}\n"));
            }
        }
        let (m, _, r) = run("vfpOutput.txt", &t);
        assert_eq!(r, Ok(()));
        assert_eq!(m.vfp.ports.len(), 3000);
        assert_eq!(m.vfp.ports[2999].layers[0].groups[0].rules.len(), 20);
    }
}
