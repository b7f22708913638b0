//! Sockets: `netstat -ano`, `netsh int ipv4 show tcpconnections`, `Get-NetTCPConnection` /
//! `Get-NetUDPEndpoint` tables → `ports.listeners`.
//!
//! * **Commands:** `netstat -ano` (also `-an`, without PID), `netsh int ipv4 show tcpconnections`,
//!   `Get-NetTCPConnection | Format-Table -AutoSize`, `Get-NetUDPEndpoint | Format-Table`.
//! * **Bundle paths:** `ports/netstat.txt`, `ports/tcpconnections.txt`,
//!   `ports/nettcpconnection.txt`. **Legacy CollectLogs:** `tcpconnections.txt`.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), OEM/UTF-8 from cmd.exe.
//! * **Locales:** netstat and netsh headings and state words are translated (`Aktive
//!   Verbindungen`, `ABHÖREN`, `ÉCOUTE`…); rows are read **by position**: netstat `Proto
//!   Local Foreign [State] [PID]` (protocol word `TCP`/`UDP` is never translated; UDP rows have no
//!   state), netsh `LocalIP LocalPort RemoteIP RemotePort State …[PID]`. The state is kept as
//!   printed; [`hnsdoctor_model::Listener::is_listening`] understands the English forms, so a
//!   localized listening state (`ABHÖREN`, `ÉCOUTE`, `侦听`, `LISTENING` in other scripts) is
//!   normalised to `LISTENING` from a small table. PowerShell tables are read by column name
//!   (`LocalAddress LocalPort State OwningProcess`, never translated).
//! * Every row is kept (connections too, as the model says); rules filter with `is_listening`.
//! * **Partial input:** rows that fit no shape are skipped with a reason (headings excepted);
//!   empty / collector error → `Skip`; no row, no table header → `Broken` at the first line.
//!
//! Facts: [`Fact::TcpListeners`] (when TCP rows or a TCP table were read, even an empty one),
//! [`Fact::UdpListeners`] (when UDP rows were read).
//!
//! ```
//! use hnsdoctor_parse::{listeners, HostModel, Input, InputSummary, Fact};
//! let text = "\nActive Connections\n\n  Proto  Local Address          Foreign Address        State           PID\n\
//!             \x20 TCP    0.0.0.0:10250          0.0.0.0:0              LISTENING       4120\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! listeners::parse(&Input::new("ports/netstat.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.ports.listeners[0].local_port, 10250);
//! assert_eq!(model.ports.listeners[0].pid, Some(4120));
//! assert!(model.has(Fact::TcpListeners));
//! ```

use crate::psformat::parse_tables;
use crate::winout::{check_skip, is_ipv4, is_ipv6, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{Listener, Transport};

/// Localized netstat words for the listening state (lower case).
const LISTENING: &[&str] = &[
    "abhören",
    "écoute",
    "en escucha",
    "侦听",
    "待ち受け",
    "수신 대기",
];

/// Content detector.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let head: String = text.chars().take(8192).collect();
    if head.contains("LocalAddress") && head.contains("LocalPort") {
        90
    } else if head.contains("  TCP    ") && head.contains(":0 ") {
        80
    } else if head.contains("Offload State") {
        90
    } else {
        0
    }
}

/// `0.0.0.0:135`, `[::]:135`, `[fe80::1%7]:53` → (address, port).
fn split_endpoint(s: &str) -> Option<(String, u16)> {
    let (addr, port) = s.rsplit_once(':')?;
    let port = port.parse().ok()?;
    let addr = addr.trim_start_matches('[').trim_end_matches(']');
    let base = addr.split('%').next().unwrap_or(addr);
    if is_ipv4(base) || is_ipv6(base) {
        Some((base.to_string(), port))
    } else {
        None
    }
}

fn norm_state(s: &str) -> String {
    if LISTENING.contains(&s.to_lowercase().as_str()) {
        "LISTENING".to_string()
    } else {
        s.to_string()
    }
}

/// Protocol, local address, local port, state, PID.
type Row = (Transport, String, u16, Option<String>, Option<u32>);

/// A netstat row.
fn netstat_row(line: &str) -> Option<Row> {
    let t: Vec<&str> = line.split_whitespace().collect();
    let proto = match t.first().map(|p| p.to_ascii_uppercase()) {
        Some(p) if p == "TCP" || p == "TCPV6" => Transport::Tcp,
        Some(p) if p == "UDP" || p == "UDPV6" => Transport::Udp,
        _ => return None,
    };
    let (addr, port) = split_endpoint(t.get(1)?)?;
    t.get(2)?; // foreign address
    match proto {
        Transport::Tcp => {
            let state = t.get(3).map(|s| norm_state(s));
            let pid = t.get(4).and_then(|p| p.parse().ok());
            Some((proto, addr, port, state, pid))
        }
        Transport::Udp => {
            let pid = t.get(3).and_then(|p| p.parse().ok());
            Some((proto, addr, port, None, pid))
        }
    }
}

/// A `netsh int ipv4 show tcpconnections` row.
fn netsh_row(line: &str) -> Option<(String, u16, String, Option<u32>)> {
    let t: Vec<&str> = line.split_whitespace().collect();
    let addr = *t.first()?;
    if !is_ipv4(addr) && !is_ipv6(addr) {
        return None;
    }
    let port = t.get(1)?.parse().ok()?;
    let remote = *t.get(2)?;
    if !is_ipv4(remote) && !is_ipv6(remote) {
        return None;
    }
    t.get(3)?.parse::<u16>().ok()?;
    let state = norm_state(t.get(4)?);
    let pid = if t.len() > 6 {
        t.last().and_then(|p| p.parse().ok())
    } else {
        None
    };
    Some((addr.to_string(), port, state, pid))
}

/// Parse socket listings.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no row or table is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut out: Vec<Listener> = Vec::new();
    let mut tcp_seen = false;
    let mut udp_seen = false;

    let tables: Vec<_> = parse_tables(input.lines())
        .into_iter()
        .filter(|t| t.col("LocalAddress").is_some() && t.col("LocalPort").is_some())
        .collect();
    if tables.is_empty() {
        for (no, raw) in input.lines() {
            let line = raw.trim();
            if line.is_empty() || crate::psformat::is_dash_line(line) {
                continue;
            }
            if let Some((protocol, local_address, local_port, state, pid)) = netstat_row(line) {
                out.push(Listener {
                    protocol,
                    local_address,
                    local_port,
                    state,
                    pid,
                    process: None,
                    prov: input.prov(no, raw),
                });
            } else if let Some((local_address, local_port, state, pid)) = netsh_row(line) {
                tcp_seen = true;
                out.push(Listener {
                    protocol: Transport::Tcp,
                    local_address,
                    local_port,
                    state: Some(state),
                    pid,
                    process: None,
                    prov: input.prov(no, raw),
                });
            } else if line.chars().any(|c| c.is_ascii_digit()) {
                skip_line(summary, no, "not a socket row");
            }
            // lines without digits are headings (localized): ignored
        }
    }
    for t in &tables {
        // Get-NetUDPEndpoint has no State / RemoteAddress column
        let udp = t.col("State").is_none() && t.col("RemoteAddress").is_none();
        if udp {
            udp_seen = true;
        } else {
            tcp_seen = true;
        }
        for row in &t.rows {
            let addr = t.cell(row, "LocalAddress").map(|c| c.text.clone());
            let port = t
                .cell(row, "LocalPort")
                .and_then(|c| c.text.parse::<u16>().ok());
            let (Some(local_address), Some(local_port)) = (addr, port) else {
                skip_line(summary, row.line, "row without LocalAddress/LocalPort");
                continue;
            };
            out.push(Listener {
                protocol: if udp { Transport::Udp } else { Transport::Tcp },
                local_address,
                local_port,
                state: t
                    .cell(row, "State")
                    .filter(|c| !c.text.is_empty())
                    .map(|c| c.text.clone()),
                pid: t
                    .cell(row, "OwningProcess")
                    .and_then(|c| c.text.parse().ok()),
                process: None,
                prov: input.prov(row.line, &row.raw),
            });
        }
    }
    tcp_seen |= out.iter().any(|l| l.protocol == Transport::Tcp);
    udp_seen |= out.iter().any(|l| l.protocol == Transport::Udp);
    if !tcp_seen && !udp_seen {
        return Err(ParseError::broken_at_first_line(
            input,
            "netstat/netsh socket rows or a Get-NetTCPConnection table",
        ));
    }
    summary.objects += out.len();
    model.ports.listeners.extend(out);
    if tcp_seen {
        mark(model, summary, Fact::TcpListeners);
    }
    if udp_seen {
        mark(model, summary, Fact::UdpListeners);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str, bytes: &[u8]) -> (Result<(), ParseError>, HostModel, InputSummary) {
        crate::testutil::run_fixture(parse, source, bytes)
    }

    type RowRef<'a> = (Transport, &'a str, u16, Option<&'a str>, Option<u32>);

    fn rows(m: &HostModel) -> Vec<RowRef<'_>> {
        m.ports
            .listeners
            .iter()
            .map(|l| {
                (
                    l.protocol,
                    l.local_address.as_str(),
                    l.local_port,
                    l.state.as_deref(),
                    l.pid,
                )
            })
            .collect()
    }

    #[test]
    fn netstat_en_utf16() {
        let (r, m, s) = run(
            "ports/netstat.txt",
            include_bytes!("../fixtures/listeners/netstat-ano-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(
            rows(&m),
            [
                (Transport::Tcp, "0.0.0.0", 135, Some("LISTENING"), Some(960)),
                (
                    Transport::Tcp,
                    "10.240.0.35",
                    10250,
                    Some("ESTABLISHED"),
                    Some(4120)
                ),
                (Transport::Tcp, "::", 10256, Some("LISTENING"), Some(5230)),
                (Transport::Udp, "0.0.0.0", 4789, None, Some(4)),
                (
                    Transport::Udp,
                    "fe80::9c1e:5a2b:3c4d:7e8f",
                    546,
                    None,
                    Some(1432)
                ),
            ]
        );
        assert!(m.ports.listeners[0].is_listening());
        assert!(!m.ports.listeners[1].is_listening());
        assert_eq!(m.ports.listeners[0].prov.line, 5);
        assert!(m.has(Fact::TcpListeners) && m.has(Fact::UdpListeners));
        assert_eq!(s.skipped_count, 0);
    }

    #[test]
    fn netstat_de_localized_state() {
        let (r, m, _) = run(
            "netstat.txt",
            include_bytes!("../fixtures/listeners/netstat-ano-de-de.txt"),
        );
        r.unwrap();
        assert_eq!(
            rows(&m),
            [
                (Transport::Tcp, "0.0.0.0", 445, Some("LISTENING"), Some(4)),
                (
                    Transport::Tcp,
                    "192.168.10.25",
                    49712,
                    Some("HERGESTELLT"),
                    Some(3300)
                ),
            ]
        );
        assert!(m.ports.listeners[0].is_listening());
        assert!(!m.has(Fact::UdpListeners));
    }

    #[test]
    fn netsh_tcpconnections() {
        let (r, m, _) = run(
            "tcpconnections.txt",
            include_bytes!("../fixtures/listeners/tcpconnections-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(
            rows(&m),
            [
                (Transport::Tcp, "0.0.0.0", 135, Some("Listen"), None),
                (
                    Transport::Tcp,
                    "10.240.0.35",
                    49721,
                    Some("Established"),
                    None
                ),
            ]
        );
        assert!(m.ports.listeners[0].is_listening());
    }

    #[test]
    fn get_nettcpconnection_and_udpendpoint_tables() {
        let (r, m, _) = run(
            "ports/nettcpconnection.txt",
            include_bytes!("../fixtures/listeners/get-nettcpconnection.txt"),
        );
        r.unwrap();
        assert_eq!(
            rows(&m),
            [
                (Transport::Tcp, "::", 10250, Some("Listen"), Some(4120)),
                (Transport::Tcp, "0.0.0.0", 135, Some("Listen"), Some(960)),
                (Transport::Udp, "0.0.0.0", 4789, None, Some(4)),
            ]
        );
        assert!(m.has(Fact::UdpListeners));
    }

    #[test]
    fn skip_and_broken() {
        let (r, _, _) = run("netstat.txt", b"");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (r, _, _) = run(
            "netstat.txt",
            b"The requested operation requires elevation.\r\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (r, _, s) = run("netstat.txt", b"Active Connections\r\n\r\n  TCP 1.2.3\r\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
        assert_eq!(s.skipped[0].line, 3);
    }
}
