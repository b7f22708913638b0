//! `netsh int ipv4 show excludedportrange` and `netsh int ipv4 show dynamicportrange`.
//!
//! * **Commands:** `netsh int ipv4 show excludedportrange protocol=tcp` (and `=udp`),
//!   `netsh int ipv4 show dynamicportrange tcp` (and `udp`).
//! * **Bundle paths:** `ports/excludedportrange.txt`, `ports/dynamicportrange.txt`.
//!   **Legacy CollectLogs:** `excludedportrange.txt`, `dynamicportrange.txt` — collectlogs runs the
//!   tcp command with `>` and appends the udp one with `>>`, so one file holds both protocols.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), UTF-8/ASCII (cmd.exe, PS 7).
//! * **Locales:** labels are translated (`Start Port`, `Startport`, `Port de début`, `开始端口`…),
//!   so numbers are read **by position**: in an exclusion table each row is `start end [*]`; in a
//!   dynamic range section the first `label : number` line is the start port, the second the
//!   count. The protocol comes from the `tcp`/`udp` word of the section title (netsh never
//!   translates it); a section whose title lacks it is tcp when it is the first of its kind, udp
//!   when the second.
//! * **Partial input:** an empty exclusion table (headers and footnote only) still marks the fact
//!   (no exclusions is evidence); a row that is not `start end [*]` is skipped with a reason; a
//!   dynamic range section with only its start port adds a warning and no range.
//!   "The requested operation requires elevation." and other collector errors → `Skip`;
//!   text with no section at all → `Broken` at its first line.
//!
//! Facts: [`Fact::ExcludedPortRangeTcp`]/[`Fact::ExcludedPortRangeUdp`],
//! [`Fact::DynamicPortRangeTcp`]/[`Fact::DynamicPortRangeUdp`].
//!
//! ```
//! use hnsdoctor_parse::{netsh_ports, HostModel, Input, InputSummary, Fact};
//! let text = "\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n\
//!             ----------    --------\n      5357        5357\n     50000       50059     *\n\n\
//!             * - Administered port exclusions.\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! netsh_ports::parse(&Input::new("excludedportrange.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.ports.excluded[1].start, 50000);
//! assert!(model.ports.excluded[1].administered);
//! assert!(model.has(Fact::ExcludedPortRangeTcp));
//! ```

use crate::winout::{check_skip, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{DynamicPortRange, ExcludedPortRange, Transport};

/// Localized title fragments of an exclusion table (lower case).
const EXCLUDED_TITLES: &[&str] = &[
    "port exclusion ranges",
    "portausschlussbereiche",
    "plages d'exclusion de ports",
    "端口排除范围",
    "ポート除外範囲",
    "포트 제외 범위",
];

/// Localized title fragments of a dynamic port range section (lower case).
const DYNAMIC_TITLES: &[&str] = &[
    "dynamic port range",
    "dynamischer portbereich",
    "plage de ports dynamique",
    "动态端口范围",
    "動的ポート範囲",
    "동적 포트 범위",
];

/// Content detector for exclusion tables: a known title (90), else the table's shape in any
/// locale — a two-run dash line followed by `start end [*]` rows with start ≤ end (70 with two
/// rows or more, 50 with one), so a table pasted without its title line still counts.
#[must_use]
pub fn detect_excluded(text: &str) -> u8 {
    let low = text.to_lowercase();
    if EXCLUDED_TITLES.iter().any(|t| low.contains(t)) {
        return 90;
    }
    let lines: Vec<&str> = text.lines().take(400).collect();
    let mut best = 0u8;
    for (i, l) in lines.iter().enumerate() {
        if !(is_dashes(l) && dash_runs(l) == 2) {
            continue;
        }
        let rows = lines
            .iter()
            .skip(i + 1)
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .take_while(|l| excluded_row(l).is_some_and(|(a, b, _)| a <= b))
            .count();
        best = best.max(match rows {
            0 => 0,
            1 => 50,
            _ => 70,
        });
    }
    best
}

/// Content detector for dynamic port range sections: a known title (90), else the shape — a
/// dash line followed by two `label : number` lines, a port then a count (65).
#[must_use]
pub fn detect_dynamic(text: &str) -> u8 {
    let low = text.to_lowercase();
    if DYNAMIC_TITLES.iter().any(|t| low.contains(t)) {
        return 90;
    }
    let lines: Vec<&str> = text
        .lines()
        .take(400)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let shaped = lines.windows(3).any(|w| {
        is_dashes(w[0])
            && dash_runs(w[0]) == 1
            && labelled_number(w[1]).is_some_and(|n| (1..=65535).contains(&n))
            && labelled_number(w[2]).is_some_and(|n| (1..=65536).contains(&n))
    });
    if shaped {
        65
    } else {
        0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unknown,
    Excluded,
    Dynamic,
}

#[derive(Debug)]
struct Section {
    protocol: Option<Transport>,
    kind: Kind,
    rows: Vec<ExcludedPortRange>,
    numbers: Vec<(u32, u32, String)>,
}

impl Section {
    fn new(title: &str) -> Self {
        Self {
            protocol: protocol_word(title),
            kind: Kind::Unknown,
            rows: Vec::new(),
            numbers: Vec::new(),
        }
    }
}

/// `tcp` / `udp` as a separate word.
fn protocol_word(line: &str) -> Option<Transport> {
    line.split(|c: char| !c.is_ascii_alphanumeric())
        .find_map(|w| match w.to_ascii_lowercase().as_str() {
            "tcp" => Some(Transport::Tcp),
            "udp" => Some(Transport::Udp),
            _ => None,
        })
}

fn is_dashes(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == '-' || c == ' ')
}

/// Count of dash runs (`----------    --------` has two).
fn dash_runs(line: &str) -> usize {
    line.split_whitespace()
        .filter(|w| w.starts_with('-'))
        .count()
}

/// An exclusion row: `start end` and optional `*`.
fn excluded_row(line: &str) -> Option<(u16, u16, bool)> {
    let mut it = line.split_whitespace();
    let start = it.next()?.parse::<u16>().ok()?;
    let end = it.next()?.parse::<u16>().ok()?;
    let star = match it.next() {
        None => false,
        Some("*") => true,
        Some(_) => return None,
    };
    if it.next().is_some() {
        return None;
    }
    Some((start, end, star))
}

/// A `label : number` line's number.
fn labelled_number(line: &str) -> Option<u32> {
    let (_, v) = line.split_once([':', '：'])?;
    v.trim().parse::<u32>().ok()
}

/// Parse exclusion tables and/or dynamic range sections (any order, both protocols).
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no section is recognised.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let lines: Vec<(u32, &str)> = input.lines().collect();
    let mut sections: Vec<Section> = Vec::new();
    for (i, &(no, raw)) in lines.iter().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let next = lines
            .iter()
            .skip(i + 1)
            .map(|(_, l)| l.trim())
            .find(|l| !l.is_empty())
            .unwrap_or("");
        if is_dashes(line) {
            if dash_runs(line) >= 2 {
                // A table pasted without its title line starts a section of its own.
                if sections
                    .last()
                    .is_none_or(|s| s.kind != Kind::Unknown || !s.rows.is_empty())
                {
                    sections.push(Section::new(""));
                }
                if let Some(s) = sections.last_mut() {
                    s.kind = Kind::Excluded;
                }
            }
            continue;
        }
        if line.starts_with('*') {
            // footnote "* - Administered port exclusions." (localized)
            if let Some(s) = sections.last_mut() {
                s.kind = Kind::Excluded;
            }
            continue;
        }
        if let Some((start, end, administered)) = excluded_row(line) {
            match sections.last_mut() {
                Some(s) if s.kind != Kind::Dynamic => {
                    s.kind = Kind::Excluded;
                    s.rows.push(ExcludedPortRange {
                        protocol: Transport::Tcp,
                        start,
                        end,
                        administered,
                        prov: input.prov(no, raw),
                    });
                }
                _ => skip_line(summary, no, "port range row outside an exclusion table"),
            }
            continue;
        }
        if let Some(n) = labelled_number(line) {
            if sections.is_empty() {
                sections.push(Section::new(""));
            }
            match sections.last_mut() {
                Some(s) if s.kind != Kind::Excluded => {
                    s.kind = Kind::Dynamic;
                    s.numbers.push((n, no, raw.to_string()));
                }
                _ => skip_line(
                    summary,
                    no,
                    "labelled number outside a dynamic range section",
                ),
            }
            continue;
        }
        let is_header = is_dashes(next) && dash_runs(next) >= 2;
        if !is_header && !line.chars().any(|c| c.is_ascii_digit()) {
            sections.push(Section::new(line));
            continue;
        }
        if !is_header {
            skip_line(summary, no, "not a port range line");
        }
    }

    let recognised: Vec<Section> = sections
        .into_iter()
        .filter(|s| s.kind != Kind::Unknown)
        .collect();
    if recognised.is_empty() {
        let (no, l) = lines
            .iter()
            .find(|(_, l)| !l.trim().is_empty())
            .copied()
            .unwrap_or((input.first_line, ""));
        return Err(ParseError::broken(
            input,
            no,
            "a netsh port range section (title with tcp/udp, table or `label : number` lines)",
            l,
        ));
    }

    let mut seen_excluded = 0usize;
    let mut seen_dynamic = 0usize;
    for s in recognised {
        match s.kind {
            Kind::Excluded => {
                let proto = s.protocol.unwrap_or(if seen_excluded == 0 {
                    Transport::Tcp
                } else {
                    Transport::Udp
                });
                seen_excluded += 1;
                model.ports.excluded.retain(|e| e.protocol != proto);
                summary.objects += s.rows.len();
                model.ports.excluded.extend(s.rows.into_iter().map(|mut r| {
                    r.protocol = proto;
                    r
                }));
                mark(
                    model,
                    summary,
                    match proto {
                        Transport::Tcp => Fact::ExcludedPortRangeTcp,
                        Transport::Udp => Fact::ExcludedPortRangeUdp,
                    },
                );
            }
            Kind::Dynamic => {
                let proto = s.protocol.unwrap_or(if seen_dynamic == 0 {
                    Transport::Tcp
                } else {
                    Transport::Udp
                });
                seen_dynamic += 1;
                let mut nums = s.numbers.iter();
                match (nums.next(), nums.next()) {
                    (Some((start, no, raw)), Some((count, _, _))) => {
                        let Ok(start) = u16::try_from(*start) else {
                            skip_line(summary, *no, "start port above 65535");
                            continue;
                        };
                        model.ports.dynamic.retain(|d| d.protocol != proto);
                        model.ports.dynamic.push(DynamicPortRange {
                            protocol: proto,
                            start,
                            count: *count,
                            prov: input.prov(*no, raw),
                        });
                        summary.objects += 1;
                        mark(
                            model,
                            summary,
                            match proto {
                                Transport::Tcp => Fact::DynamicPortRangeTcp,
                                Transport::Udp => Fact::DynamicPortRangeUdp,
                            },
                        );
                    }
                    (Some((_, no, _)), None) => summary.warnings.push(format!(
                        "{}:{no}: {proto} dynamic port range has a start port but no count (cut off?)",
                        input.source
                    )),
                    _ => {}
                }
            }
            Kind::Unknown => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::winout::decode;

    fn run(source: &str, bytes: &[u8]) -> (Result<(), ParseError>, HostModel, InputSummary) {
        crate::testutil::run_fixture(parse, source, bytes)
    }

    fn excluded(m: &HostModel, p: Transport) -> Vec<(u16, u16, bool)> {
        m.ports
            .excluded
            .iter()
            .filter(|e| e.protocol == p)
            .map(|e| (e.start, e.end, e.administered))
            .collect()
    }

    #[test]
    fn excluded_en_us_utf16_both_protocols() {
        let (r, m, s) = run(
            "excludedportrange.txt",
            include_bytes!("../fixtures/netsh_ports/excluded-en-us-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(
            excluded(&m, Transport::Tcp),
            vec![
                (5357, 5357, false),
                (49697, 49796, false),
                (50000, 50059, true)
            ]
        );
        assert_eq!(excluded(&m, Transport::Udp), vec![(5050, 5050, false)]);
        assert!(m.has(Fact::ExcludedPortRangeTcp) && m.has(Fact::ExcludedPortRangeUdp));
        let first = &m.ports.excluded[0].prov;
        assert_eq!(first.line, 6);
        assert_eq!(first.text.as_deref(), Some("5357        5357"));
        assert_eq!(s.objects, 4);
        assert_eq!(s.skipped_count, 0);
    }

    #[test]
    fn excluded_de_de() {
        let (r, m, _) = run(
            "ports/excludedportrange.txt",
            include_bytes!("../fixtures/netsh_ports/excluded-de-de.txt"),
        );
        r.unwrap();
        assert_eq!(
            excluded(&m, Transport::Tcp),
            vec![(1031, 1130, false), (2869, 2869, true)]
        );
        // the udp table is empty but was shown
        assert!(excluded(&m, Transport::Udp).is_empty());
        assert!(m.has(Fact::ExcludedPortRangeUdp));
    }

    #[test]
    fn excluded_fr_fr_utf16() {
        let (r, m, _) = run(
            "excludedportrange.txt",
            include_bytes!("../fixtures/netsh_ports/excluded-fr-fr-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(
            excluded(&m, Transport::Tcp),
            vec![(50000, 50059, true), (63000, 63099, false)]
        );
        assert!(!m.has(Fact::ExcludedPortRangeUdp));
    }

    #[test]
    fn excluded_zh_cn_empty_table() {
        let (r, m, _) = run(
            "excludedportrange.txt",
            include_bytes!("../fixtures/netsh_ports/excluded-zh-cn-empty.txt"),
        );
        r.unwrap();
        assert!(m.ports.excluded.is_empty());
        assert!(m.has(Fact::ExcludedPortRangeTcp));
    }

    #[test]
    fn dynamic_en_us_utf16_both() {
        let (r, m, _) = run(
            "dynamicportrange.txt",
            include_bytes!("../fixtures/netsh_ports/dynamic-en-us-utf16le.txt"),
        );
        r.unwrap();
        let tcp = m.ports.dynamic_for(Transport::Tcp).unwrap();
        assert_eq!((tcp.start, tcp.count, tcp.end()), (1025, 64511, 65535));
        assert_eq!(tcp.prov.line, 4);
        let udp = m.ports.dynamic_for(Transport::Udp).unwrap();
        assert_eq!((udp.start, udp.count), (49152, 16384));
        assert!(m.has(Fact::DynamicPortRangeTcp) && m.has(Fact::DynamicPortRangeUdp));
    }

    #[test]
    fn dynamic_localized() {
        for (name, bytes) in [
            (
                "de",
                &include_bytes!("../fixtures/netsh_ports/dynamic-de-de.txt")[..],
            ),
            (
                "fr",
                &include_bytes!("../fixtures/netsh_ports/dynamic-fr-fr.txt")[..],
            ),
            (
                "zh",
                &include_bytes!("../fixtures/netsh_ports/dynamic-zh-cn-utf16le.txt")[..],
            ),
        ] {
            let (r, m, _) = run("dynamicportrange.txt", bytes);
            r.unwrap();
            let tcp = m.ports.dynamic_for(Transport::Tcp).unwrap();
            assert_eq!((tcp.start, tcp.count), (49152, 16384), "{name}");
            let udp = m.ports.dynamic_for(Transport::Udp).unwrap();
            assert_eq!((udp.start, udp.count), (10000, 55535), "{name}");
        }
    }

    #[test]
    fn protocol_by_order_without_titles_word() {
        let text = "\nDynamic range\n---------\nA : 1024\nB : 64512\n\nDynamic range\n---------\nA : 2000\nB : 100\n";
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        parse(&Input::new("paste#1", text), &mut m, &mut s).unwrap();
        assert_eq!(m.ports.dynamic_for(Transport::Tcp).unwrap().start, 1024);
        assert_eq!(m.ports.dynamic_for(Transport::Udp).unwrap().start, 2000);
    }

    #[test]
    fn elevation_is_skip() {
        let (r, m, _) = run(
            "excludedportrange.txt",
            include_bytes!("../fixtures/netsh_ports/elevation.txt"),
        );
        assert!(matches!(r, Err(ParseError::Skip { reason }) if reason.contains("elevation")));
        assert!(m.facts.is_empty());
        let (r, _, _) = run("excludedportrange.txt", b"\r\n\r\n");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
    }

    #[test]
    fn garbage_is_broken_and_bad_rows_skipped() {
        let (r, _, _) = run("excludedportrange.txt", b"\n\n12 monkeys 7\nxyz 1 2 3\n");
        assert_eq!(
            r.unwrap_err(),
            ParseError::Broken {
                path: "excludedportrange.txt".into(),
                line: 3,
                expected:
                    "a netsh port range section (title with tcp/udp, table or `label : number` lines)"
                        .into(),
                found: "12 monkeys 7".into(),
            }
        );
        let text = "Protocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n  80  81\n  90 x 91\n";
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        parse(&Input::new("p", text), &mut m, &mut s).unwrap();
        assert_eq!(m.ports.excluded.len(), 1);
        assert_eq!(s.skipped_count, 1);
        assert_eq!(s.skipped[0].line, 6);
    }

    #[test]
    fn cut_off_dynamic_warns() {
        let text = "Protocol udp Dynamic Port Range\n-------\nStart Port      : 49152\n";
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        parse(&Input::new("d", text), &mut m, &mut s).unwrap();
        assert!(m.ports.dynamic.is_empty());
        assert!(!m.has(Fact::DynamicPortRangeUdp));
        assert!(s.warnings[0].contains("d:3"));
    }

    #[test]
    fn detectors() {
        let de = decode(include_bytes!("../fixtures/netsh_ports/excluded-de-de.txt"));
        assert_eq!(detect_excluded(&de), 90);
        assert_eq!(detect_dynamic(&de), 0);
        let zh = decode(include_bytes!(
            "../fixtures/netsh_ports/dynamic-zh-cn-utf16le.txt"
        ));
        assert_eq!(detect_dynamic(&zh), 90);
        assert_eq!(detect_excluded("Windows IP Configuration"), 0);
    }

    #[test]
    fn untitled_table_in_another_locale_by_shape() {
        // An Italian table pasted without its title line, wrapped in inline-code backticks
        // (stripped by the paste normaliser before the parser sees it).
        let raw = include_str!("../fixtures/netsh_ports/excluded-untitled-it-backticks.txt");
        let sections = hnsdoctor_bundle::paste::split(raw);
        let text = &sections[0].text;
        assert_eq!(detect_excluded(text), 70, "{text}");
        assert_eq!(detect_dynamic(text), 0);
        let (r, m, s) = run("paste", text.as_bytes());
        assert_eq!(r, Ok(()), "{s:#?}");
        assert_eq!(
            excluded(&m, Transport::Tcp),
            [
                (1030, 1129, false),
                (1130, 1229, false),
                (5357, 5357, false),
                (50000, 50059, true)
            ]
        );
        assert!(m.has(Fact::ExcludedPortRangeTcp));
        // rows alone, or a dash line with reversed ranges, are not a table
        assert_eq!(detect_excluded("1030 1129\n1130 1229\n"), 0);
        assert_eq!(detect_excluded("----  ----\n 200  100\n 300 250\n"), 0);
    }

    #[test]
    fn untitled_dynamic_range_by_shape() {
        let text = "---------------------------------\nPuerto inicial      : 1024\nNúmero de puertos   : 64511\n";
        assert_eq!(detect_dynamic(text), 65);
        let (r, m, _) = run("paste", text.as_bytes());
        assert_eq!(r, Ok(()));
        assert_eq!(m.ports.dynamic[0].start, 1024);
        assert_eq!(m.ports.dynamic[0].count, 64511);
        // a cut-off section (start only) is not detected by shape
        assert_eq!(detect_dynamic("-----\nStart : 1024\n"), 0);
    }
}
