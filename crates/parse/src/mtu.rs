//! Interface MTUs: `netsh int ipv4 show interfaces` and `netsh int ipv4 show subinterfaces`.
//!
//! * **Commands:** `netsh int ipv4 sh int` (`Idx Met MTU State Name`), `netsh int ipv4 sh
//!   subinterfaces` (`MTU MediaSenseState Bytes In Bytes Out Interface`); also the ipv6 variants.
//! * **Bundle path:** `net/mtu.txt`. **Legacy CollectLogs:** `mtu.txt`.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), OEM/UTF-8 from cmd.exe.
//! * **Locales:** headings and the state word are translated (`connected`, `verbunden`,
//!   `connecté`, `已连接`…): rows are read **by position** — interfaces: index, metric, MTU,
//!   state (one word, kept as printed), then the name (rest of the line, may contain spaces);
//!   subinterfaces: MTU, media-sense state, bytes in, bytes out, then the name.
//! * An interface already in `net.interfaces` with the same name gets its MTU (and index/state)
//!   updated rather than a second entry.
//! * **Partial input:** non-row lines with digits are skipped with a reason; headings and dash
//!   lines are ignored; empty / collector error → `Skip`; no row → `Broken` at the first line.
//!
//! Fact: [`Fact::InterfaceMtu`].
//!
//! ```
//! use hnsdoctor_parse::{mtu, HostModel, Input, InputSummary, Fact};
//! let text = "\nIdx     Met         MTU          State                Name\n\
//!             ---  ----------  ----------  ------------  ---------------------------\n\
//!             \x20 7          15        1450  connected     vEthernet (Ethernet)\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! mtu::parse(&Input::new("mtu.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.net.interfaces[0].mtu, Some(1450));
//! assert_eq!(model.net.interfaces[0].name, "vEthernet (Ethernet)");
//! assert!(model.has(Fact::InterfaceMtu));
//! ```

use crate::winout::{check_skip, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::Interface;

/// Content detector.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let head: String = text.chars().take(4096).collect();
    let interfaces = head.contains("Idx") && head.contains("MTU") && head.contains("---  ---");
    if interfaces || head.contains("MediaSenseState") {
        85
    } else {
        0
    }
}

/// Split off `n` whitespace-separated tokens; the rest (trimmed) is returned too.
fn tokens(line: &str, n: usize) -> Option<(Vec<&str>, &str)> {
    let mut toks = Vec::with_capacity(n);
    let mut rest = line.trim_start();
    for _ in 0..n {
        let end = rest.find(char::is_whitespace)?;
        toks.push(rest.get(..end)?);
        rest = rest.get(end..)?.trim_start();
    }
    Some((toks, rest.trim_end()))
}

fn row(line: &str) -> Option<Interface> {
    let (t, name) = tokens(line, 4)?;
    if name.is_empty() {
        return None;
    }
    let nums: Vec<Option<u64>> = t.iter().map(|x| x.parse::<u64>().ok()).collect();
    match nums.as_slice() {
        // subinterfaces: MTU MediaSense BytesIn BytesOut Name
        [Some(mtu), Some(_), Some(_), Some(_)] => Some(Interface {
            index: None,
            name: name.to_string(),
            mtu: u32::try_from(*mtu).ok(),
            ..Interface::default()
        }),
        // interfaces: Idx Met MTU State Name
        [Some(idx), Some(_), Some(mtu), None] => Some(Interface {
            index: u32::try_from(*idx).ok(),
            name: name.to_string(),
            mtu: u32::try_from(*mtu).ok(),
            state: t.get(3).map(|s| (*s).to_string()),
            ..Interface::default()
        }),
        _ => None,
    }
}

/// Parse netsh interface / subinterface tables.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no row is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut n = 0usize;
    for (no, raw) in input.lines() {
        let line = raw.trim();
        if line.is_empty() || crate::psformat::is_dash_line(line) {
            continue;
        }
        let Some(mut i) = row(raw) else {
            if line.chars().any(|c| c.is_ascii_digit()) {
                skip_line(summary, no, "not an interface row");
            }
            continue;
        };
        i.prov = input.prov(no, raw);
        n += 1;
        if let Some(o) = model.net.interfaces.iter_mut().find(|o| o.name == i.name) {
            o.mtu = i.mtu.or(o.mtu);
            o.index = i.index.or(o.index);
            o.state = i.state.or(o.state.take());
            o.prov = i.prov;
        } else {
            model.net.interfaces.push(i);
        }
    }
    if n == 0 {
        return Err(ParseError::broken_at_first_line(
            input,
            "netsh interface rows (Idx Met MTU State Name) or subinterface rows",
        ));
    }
    summary.objects += n;
    mark(model, summary, Fact::InterfaceMtu);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::winout::decode;

    fn run_into(m: &mut HostModel, bytes: &[u8]) -> (Result<(), ParseError>, InputSummary) {
        let text = decode(bytes);
        let mut s = InputSummary::default();
        let r = parse(&Input::new("mtu.txt", &text), m, &mut s);
        (r, s)
    }

    #[test]
    fn interfaces_en_utf16_then_subinterfaces_merge() {
        let mut m = HostModel::new();
        let (r, s) = run_into(
            &mut m,
            include_bytes!("../fixtures/mtu/interfaces-en-us-utf16le.txt"),
        );
        r.unwrap();
        #[allow(clippy::type_complexity)]
        let i: Vec<(Option<u32>, &str, Option<u32>, Option<&str>)> = m
            .net
            .interfaces
            .iter()
            .map(|i| (i.index, i.name.as_str(), i.mtu, i.state.as_deref()))
            .collect();
        assert_eq!(
            i,
            [
                (
                    Some(1),
                    "Loopback Pseudo-Interface 1",
                    Some(4294967295),
                    Some("connected")
                ),
                (
                    Some(7),
                    "vEthernet (Ethernet)",
                    Some(1500),
                    Some("connected")
                ),
                (
                    Some(12),
                    "vEthernet (nat)",
                    Some(1450),
                    Some("disconnected")
                ),
            ]
        );
        assert_eq!(m.net.interfaces[1].prov.line, 5);
        assert_eq!(s.objects, 3);
        let (r, _) = run_into(
            &mut m,
            include_bytes!("../fixtures/mtu/subinterfaces-de-de.txt"),
        );
        r.unwrap();
        assert_eq!(m.net.interfaces.len(), 4);
        let eth = &m.net.interfaces[1];
        assert_eq!((eth.index, eth.mtu), (Some(7), Some(1400)));
        assert_eq!(m.net.interfaces[3].name, "vEthernet (cbr0)");
        assert!(m.has(Fact::InterfaceMtu));
    }

    #[test]
    fn localized_state_word() {
        let mut m = HostModel::new();
        let (r, _) = run_into(
            &mut m,
            include_bytes!("../fixtures/mtu/interfaces-fr-fr.txt"),
        );
        r.unwrap();
        assert_eq!(m.net.interfaces[0].state.as_deref(), Some("connecté"));
        assert_eq!(m.net.interfaces[0].mtu, Some(1500));
    }

    #[test]
    fn skip_and_broken() {
        let mut m = HostModel::new();
        assert!(matches!(
            run_into(&mut m, b"").0,
            Err(ParseError::Skip { .. })
        ));
        let (r, s) = run_into(&mut m, b"\r\nIdx Met MTU\r\n 1 2\r\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 2, .. })));
        assert_eq!(s.skipped[0].line, 3);
    }
}
