//! Neighbour (ARP) cache: `arp -a`.
//!
//! * **Command:** `arp -a` (all interfaces, one block per interface).
//! * **Bundle path:** `net/arp.txt`. **Legacy CollectLogs:** `arp.txt`.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), OEM/UTF-8 from cmd.exe.
//! * **Shape:** `Interface: 10.240.0.35 --- 0x7` block headers, a column heading, then rows
//!   `IP  MAC  type`. **Locales:** the header word, headings and the type (`dynamic`,
//!   `dynamisch`, `dynamique`, `動的`…) are translated; rows are read **by position** (IP, MAC
//!   shape, type word kept as printed) and a block header is any line with an IP followed by
//!   `---`.
//! * **Partial input:** rows that fit no shape are skipped with a reason; headings are ignored;
//!   "No ARP Entries Found." (or any text without rows but with a block header) is an empty
//!   cache; empty / collector error → `Skip`; no header and no row → `Broken` at the first line.
//!
//! Fact: [`Fact::Neighbors`].
//!
//! ```
//! use hnsdoctor_parse::{arp, HostModel, Input, InputSummary, Fact};
//! let text = "\nInterface: 10.240.0.35 --- 0x7\n  Internet Address      Physical Address      Type\n\
//!             \x20 10.240.0.1            12-34-56-78-9a-bc     dynamic\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! arp::parse(&Input::new("arp.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.net.neighbors[0].address, "10.240.0.1");
//! assert_eq!(model.net.neighbors[0].interface.as_deref(), Some("10.240.0.35"));
//! assert!(model.has(Fact::Neighbors));
//! ```

use crate::winout::{check_skip, is_ipv4, is_ipv6, is_mac, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::Neighbor;

/// Content detector.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let head: String = text.chars().take(4096).collect();
    if head.contains(" --- 0x") {
        90
    } else {
        0
    }
}

/// Parse `arp -a` output.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when nothing is recognised.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut iface: Option<String> = None;
    let mut headers = 0usize;
    let mut out = Vec::new();
    for (no, raw) in input.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let t: Vec<&str> = line.split_whitespace().collect();
        if let Some(pos) = t.iter().position(|w| *w == "---") {
            if let Some(ip) = t
                .get(..pos)
                .and_then(|p| p.iter().rev().find(|w| is_ipv4(w) || is_ipv6(w)))
            {
                iface = Some((*ip).to_string());
                headers += 1;
                continue;
            }
        }
        match (t.first(), t.get(1)) {
            (Some(ip), Some(mac)) if (is_ipv4(ip) || is_ipv6(ip)) && is_mac(mac) => {
                out.push(Neighbor {
                    interface: iface.clone(),
                    address: (*ip).to_string(),
                    mac: Some(mac.to_ascii_uppercase()),
                    kind: t.get(2).map(|k| (*k).to_string()),
                    prov: input.prov(no, raw),
                });
            }
            _ => {
                if line.chars().any(|c| c.is_ascii_digit()) {
                    skip_line(summary, no, "not an ARP row");
                }
            }
        }
    }
    if headers == 0 && out.is_empty() && !input.text.contains("No ARP Entries Found") {
        return Err(ParseError::broken_at_first_line(
            input,
            "arp -a output (Interface: IP --- 0xN, rows IP MAC type)",
        ));
    }
    summary.objects += out.len();
    model.net.neighbors.extend(out);
    mark(model, summary, Fact::Neighbors);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(bytes: &[u8]) -> (Result<(), ParseError>, HostModel, InputSummary) {
        crate::testutil::run_fixture(parse, "arp.txt", bytes)
    }

    #[test]
    fn en_utf16_two_interfaces() {
        let (r, m, s) = run(include_bytes!("../fixtures/arp/arp-en-us-utf16le.txt"));
        r.unwrap();
        #[allow(clippy::type_complexity)]
        let n: Vec<(Option<&str>, &str, Option<&str>, Option<&str>)> = m
            .net
            .neighbors
            .iter()
            .map(|n| {
                (
                    n.interface.as_deref(),
                    n.address.as_str(),
                    n.mac.as_deref(),
                    n.kind.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            n,
            [
                (
                    Some("10.240.0.35"),
                    "10.240.0.1",
                    Some("12-34-56-78-9A-BC"),
                    Some("dynamic")
                ),
                (
                    Some("10.240.0.35"),
                    "10.240.255.255",
                    Some("FF-FF-FF-FF-FF-FF"),
                    Some("static")
                ),
                (
                    Some("172.20.16.1"),
                    "172.20.16.12",
                    Some("00-15-5D-A4-21-17"),
                    Some("dynamic")
                ),
            ]
        );
        assert_eq!(m.net.neighbors[2].prov.line, 9);
        assert_eq!(s.skipped_count, 0);
        assert!(m.has(Fact::Neighbors));
    }

    #[test]
    fn de_localized() {
        let (r, m, _) = run(include_bytes!("../fixtures/arp/arp-de-de.txt"));
        r.unwrap();
        assert_eq!(m.net.neighbors.len(), 2);
        assert_eq!(m.net.neighbors[0].kind.as_deref(), Some("dynamisch"));
        assert_eq!(
            m.net.neighbors[1].interface.as_deref(),
            Some("192.168.10.25")
        );
    }

    #[test]
    fn empty_cache_and_errors() {
        let (r, m, _) = run(b"No ARP Entries Found.\r\n");
        r.unwrap();
        assert!(m.net.neighbors.is_empty() && m.has(Fact::Neighbors));
        assert!(matches!(run(b"").0, Err(ParseError::Skip { .. })));
        let (r, _, s) = run(b"hello\r\n10.0.0.1 zz\r\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
        assert_eq!(s.skipped[0].line, 2);
    }
}
