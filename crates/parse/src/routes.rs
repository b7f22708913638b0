//! Routing table: `route print` and `Get-NetRoute` Format-Table.
//!
//! * **Commands:** `route print` (current compartment: Interface List, IPv4 Route Table with
//!   Active and Persistent Routes, IPv6 Route Table) and
//!   `Get-NetRoute -IncludeAllCompartments | Format-Table` (columns `ifIndex DestinationPrefix
//!   NextHop RouteMetric ifMetric PolicyStore`, plus `CompartmentId` when it was selected).
//! * **Bundle paths:** `net/route-print.txt` (format `route-print`), `net/netroute.txt` (format
//!   `get-netroute`). **Legacy CollectLogs:** `routes.txt` — `route print > routes.txt` followed by
//!   `Get-NetRoute -IncludeAllCompartments >> routes.txt`, so one file may hold both; both formats
//!   share this one parser, which reads whatever of the two it finds.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), OEM code page bytes from
//!   `cmd.exe` (the bundle decoder reads them as Windows-1252: labels with umlauts come out
//!   garbled, which does not matter here), UTF-8 (PowerShell 7).
//! * **Locales:** `route print` labels are translated (`Aktive Routen:`, `Ständige Routen:`,
//!   `Auf Verbindung` for `On-link`, `リンク上`…), so rows are read **by shape**: an active IPv4 row
//!   is `dest mask gateway… interface metric` (dest, mask and interface IPv4, metric a number;
//!   a gateway that is not an address is on-link, whatever the words); a persistent IPv4 row is
//!   `dest mask gateway metric` (metric may be `Default` / `Standard`); an IPv6 row is
//!   `if metric prefix gateway…`, the gateway wrapping onto the next line when the prefix is long.
//!   Rows after the `====` line that closes a table's active rows are persistent. Get-NetRoute
//!   column names are property names and never translated.
//! * **Values:** IPv4 netmasks become CIDR prefixes (`255.255.240.0` → `/20`); on-link next hops
//!   are `0.0.0.0` (IPv4) and `::` (IPv6), as Get-NetRoute prints them. `metric` is the effective
//!   metric: route print's Metric column, or RouteMetric + ifMetric from Get-NetRoute (RouteMetric
//!   alone when ifMetric is blank). `interface` is route print's interface address (IPv4) or
//!   interface index (IPv6), or Get-NetRoute's ifIndex. A persistent row that matches an active
//!   one marks it `persistent`; one without a match (gateway unreachable) is added on its own.
//!   route print and Get-NetRoute rows from the same file are both kept (they overlap).
//! * **Partial input:** rows that fit no shape, non-contiguous netmasks and cells cut by the
//!   formatter (`...`) are skipped with a reason; an IPv6 row cut before its gateway keeps no next
//!   hop; route print text with tables but no row adds a warning and no fact. Empty input and
//!   collector / PowerShell error text → `Skip`; text with neither shape → `Broken` at its first
//!   line.
//!
//! Fact: [`Fact::Routes`]; fills `model.net.routes`.
//!
//! ```
//! use hnsdoctor_parse::{routes, HostModel, Input, InputSummary, Fact};
//! let text = "IPv4 Route Table\n======\nActive Routes:\n\
//!             Network Destination        Netmask          Gateway       Interface  Metric\n\
//!             \x20         0.0.0.0          0.0.0.0       10.240.0.1      10.240.0.35     15\n\
//!             \x20      10.240.0.0      255.255.0.0         On-link       10.240.0.35    271\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! routes::parse(&Input::new("routes.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.net.routes[1].destination, "10.240.0.0/16");
//! assert_eq!(model.net.routes[1].next_hop.as_deref(), Some("0.0.0.0"));
//! assert!(model.has(Fact::Routes));
//! ```

use crate::psformat::{parse_tables, Cell, Table, TableRow};
use crate::winout::{check_skip, is_ipv4, is_ipv6, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::Route;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// Content detector for `route print`: a `====` rule line and a route row of either family.
#[must_use]
pub fn detect_route_print(text: &str) -> u8 {
    let mut rules = 0usize;
    let mut rows = 0usize;
    for line in text.lines().take(400) {
        let t = line.trim();
        if t.len() >= 40 && t.chars().all(|c| c == '=') {
            rules += 1;
        } else if ipv4_active_row(t).is_some() || ipv6_row(t).is_some() {
            rows += 1;
        }
    }
    match (rules, rows) {
        (r, n) if r >= 1 && n >= 1 => 90,
        (_, n) if n >= 2 => 60,
        _ => 0,
    }
}

/// Content detector for a Get-NetRoute table.
#[must_use]
pub fn detect_netroute(text: &str) -> u8 {
    // the words as table columns (`ifIndex DestinationPrefix NextHop …`) or as Format-List keys
    // (`DestinationPrefix : 0.0.0.0/0`) — not inside JSON (`"DestinationPrefix":"…"` of HNS
    // policies printed by a log line)
    let mut table = false;
    let (mut list_dest, mut list_hop) = (false, false);
    for l in text.lines().take(2000) {
        let words: Vec<&str> = l.split_whitespace().collect();
        if words.contains(&"DestinationPrefix") && words.contains(&"NextHop") {
            table = true;
            break;
        }
        let key = l.split(':').next().unwrap_or("").trim();
        list_dest |= key == "DestinationPrefix";
        list_hop |= key == "NextHop";
    }
    if table || (list_dest && list_hop) {
        90
    } else {
        0
    }
}

/// PowerShell error record text (`+ CategoryInfo`, `FullyQualifiedErrorId`) in the first lines:
/// the cmdlet failed, the first line says why.
pub(crate) fn powershell_error(text: &str) -> Option<String> {
    let head: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(8)
        .collect();
    let is_error = head
        .iter()
        .any(|l| l.starts_with("+ CategoryInfo") || l.starts_with("+ FullyQualifiedErrorId"));
    if is_error {
        head.first().map(|l| {
            format!(
                "PowerShell error: {}",
                l.chars().take(160).collect::<String>()
            )
        })
    } else {
        None
    }
}

/// Prefix length of a contiguous IPv4 netmask.
fn mask_prefix(mask: &str) -> Option<u32> {
    let m = u32::from(mask.parse::<Ipv4Addr>().ok()?);
    (m.leading_ones() + m.trailing_zeros() == 32).then_some(m.leading_ones())
}

/// An active IPv4 row: (dest, mask, gateway words, interface, metric).
fn ipv4_active_row(line: &str) -> Option<(&str, &str, String, &str, u32)> {
    let t: Vec<&str> = line.split_whitespace().collect();
    let n = t.len();
    if n < 5 {
        return None;
    }
    let (dest, mask) = (*t.first()?, *t.get(1)?);
    let (iface, metric) = (*t.get(n - 2)?, t.get(n - 1)?.parse::<u32>().ok()?);
    if !(is_ipv4(dest) && is_ipv4(mask) && is_ipv4(iface)) {
        return None;
    }
    let gw = t.get(2..n - 2)?.join(" ");
    Some((dest, mask, gw, iface, metric))
}

/// A persistent IPv4 row: (dest, mask, gateway, metric as printed).
fn ipv4_persistent_row(line: &str) -> Option<(&str, &str, &str, &str)> {
    let t: Vec<&str> = line.split_whitespace().collect();
    match t.as_slice() {
        [d, m, g, metric] if is_ipv4(d) && is_ipv4(m) && is_ipv4(g) && !is_ipv4(metric) => {
            Some((d, m, g, metric))
        }
        _ => None,
    }
}

/// An IPv6 prefix `addr/len`.
fn is_ipv6_prefix(s: &str) -> bool {
    s.split_once('/').is_some_and(|(a, l)| {
        is_ipv6(a) && l.parse::<u8>().is_ok_and(|l| l <= 128) && !a.contains('%')
    })
}

/// An IPv4 prefix `addr/len`.
fn is_ipv4_prefix(s: &str) -> bool {
    s.split_once('/')
        .is_some_and(|(a, l)| is_ipv4(a) && l.parse::<u8>().is_ok_and(|l| l <= 32))
}

/// An IPv6 row: (if index, metric, prefix, gateway words — empty when wrapped).
fn ipv6_row(line: &str) -> Option<(&str, u32, &str, String)> {
    let t: Vec<&str> = line.split_whitespace().collect();
    let (ifx, metric, prefix) = (*t.first()?, t.get(1)?.parse::<u32>().ok()?, *t.get(2)?);
    if ifx.parse::<u32>().is_err() || !is_ipv6_prefix(prefix) {
        return None;
    }
    Some((ifx, metric, prefix, t.get(3..)?.join(" ")))
}

/// A gateway as route print shows it → next hop (`On-link` in any language → unspecified).
fn next_hop(gw: &str, v6: bool) -> Option<String> {
    let gw = gw.trim();
    if gw.is_empty() {
        None
    } else if (v6 && is_ipv6(gw)) || (!v6 && is_ipv4(gw)) {
        Some(gw.to_string())
    } else if v6 {
        Some("::".to_string())
    } else {
        Some("0.0.0.0".to_string())
    }
}

/// Add a persistent route: mark the matching active route of this input, or add it.
fn add_persistent(routes: &mut Vec<Route>, r: Route) {
    let hit = routes.iter_mut().find(|a| {
        !a.persistent
            && a.destination == r.destination
            && a.next_hop == r.next_hop
            && a.compartment_id == r.compartment_id
            && (r.interface.is_none() || a.interface == r.interface)
    });
    match hit {
        Some(a) => a.persistent = true,
        None => routes.push(r),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
}

/// An IPv6 row waiting for its gateway on the next line.
struct Pending {
    line: u32,
    raw: String,
    route: Route,
}

/// State of the route print scan.
#[derive(Default)]
struct Scan {
    family: Option<Family>,
    active_rows: usize,
    persistent: bool,
    structure: bool,
    pending: Option<Pending>,
    routes: Vec<Route>,
}

impl Scan {
    fn enter(&mut self, fam: Family) {
        if self.family != Some(fam) {
            self.family = Some(fam);
            self.active_rows = 0;
            self.persistent = false;
        }
    }

    fn add(&mut self, r: Route) {
        if r.persistent {
            add_persistent(&mut self.routes, r);
        } else {
            self.active_rows += 1;
            self.routes.push(r);
        }
    }

    fn flush(&mut self) {
        if let Some(p) = self.pending.take() {
            self.add(p.route);
        }
    }
}

fn is_rule_line(t: &str) -> bool {
    t.len() >= 10 && t.chars().all(|c| c == '=')
}

/// `  7...00 15 5d a4 20 01 ......Microsoft Hyper-V Network Adapter` (Interface List entry).
fn is_interface_entry(t: &str) -> bool {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && t.get(digits..).is_some_and(|r| r.starts_with("..."))
}

/// Scan `route print` text, skipping lines that belong to Format-Table blocks.
fn scan_route_print(
    input: &Input<'_>,
    table_lines: &BTreeSet<u32>,
    summary: &mut InputSummary,
) -> Scan {
    let mut s = Scan::default();
    for (no, raw) in input.lines() {
        if table_lines.contains(&no) {
            continue;
        }
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        // Gateway of a wrapped IPv6 row.
        if let Some(p) = s.pending.as_mut() {
            let gateway_only = is_ipv6(t)
                || !(is_rule_line(t) || t.ends_with(':') || t.chars().any(|c| c.is_ascii_digit()));
            if gateway_only {
                p.route.next_hop = next_hop(t, true);
                p.route.prov = input.prov(p.line, &format!("{} {t}", p.raw.trim()));
                s.flush();
                continue;
            }
            s.flush();
        }
        if is_rule_line(t) {
            s.structure = true;
            if s.family.is_some() && s.active_rows > 0 {
                s.persistent = true;
            }
            continue;
        }
        if is_interface_entry(t) {
            s.structure = true;
            continue;
        }
        if let Some((dest, mask, gw, iface, metric)) = ipv4_active_row(t) {
            s.enter(Family::V4);
            let Some(len) = mask_prefix(mask) else {
                skip_line(summary, no, "netmask is not contiguous");
                continue;
            };
            let persistent = s.persistent;
            s.add(Route {
                destination: format!("{dest}/{len}"),
                next_hop: next_hop(&gw, false),
                interface: Some(iface.to_string()),
                metric: Some(metric),
                compartment_id: None,
                persistent,
                prov: input.prov(no, raw),
            });
            continue;
        }
        if let Some((dest, mask, gw, metric)) = ipv4_persistent_row(t) {
            s.enter(Family::V4);
            let Some(len) = mask_prefix(mask) else {
                skip_line(summary, no, "netmask is not contiguous");
                continue;
            };
            s.add(Route {
                destination: format!("{dest}/{len}"),
                next_hop: Some(gw.to_string()),
                interface: None,
                metric: metric.parse().ok(),
                compartment_id: None,
                persistent: true,
                prov: input.prov(no, raw),
            });
            continue;
        }
        if let Some((ifx, metric, prefix, gw)) = ipv6_row(t) {
            s.enter(Family::V6);
            let route = Route {
                destination: prefix.to_string(),
                next_hop: next_hop(&gw, true),
                interface: Some(ifx.to_string()),
                metric: Some(metric),
                compartment_id: None,
                persistent: s.persistent,
                prov: input.prov(no, raw),
            };
            if gw.is_empty() {
                s.pending = Some(Pending {
                    line: no,
                    raw: raw.to_string(),
                    route,
                });
            } else {
                s.add(route);
            }
            continue;
        }
        let low = t.to_lowercase();
        if low.contains("ipv6") {
            s.structure = true;
            s.enter(Family::V6);
            continue;
        }
        if low.contains("ipv4") {
            s.structure = true;
            s.enter(Family::V4);
            continue;
        }
        if !t.chars().any(|c| c.is_ascii_digit()) {
            // titles, column headings, "None" / "Keine", section labels
            continue;
        }
        skip_line(summary, no, "not a route print row");
    }
    s.flush();
    s
}

fn cell_text<'t>(t: &Table, row: &'t TableRow, name: &str) -> Option<&'t Cell> {
    t.cell(row, name).filter(|c| !c.text.is_empty())
}

/// Read Get-NetRoute tables. Returns (tables found, routes, line numbers of table lines).
fn read_netroute_tables(
    input: &Input<'_>,
    summary: &mut InputSummary,
) -> (usize, Vec<Route>, BTreeSet<u32>) {
    let mut routes: Vec<Route> = Vec::new();
    let mut lines = BTreeSet::new();
    let mut found = 0usize;
    let tables = parse_tables(input.lines());
    for t in tables
        .iter()
        .filter(|t| t.col("DestinationPrefix").is_some() && t.col("NextHop").is_some())
    {
        found += 1;
        lines.insert(t.header_line);
        lines.insert(t.header_line.saturating_add(1));
        for row in &t.rows {
            lines.insert(row.line);
            let Some(dest) = cell_text(t, row, "DestinationPrefix") else {
                skip_line(summary, row.line, "route row without a destination");
                continue;
            };
            if dest.truncated {
                skip_line(summary, row.line, "destination cut by the formatter");
                continue;
            }
            if !(is_ipv4_prefix(&dest.text) || is_ipv6_prefix(&dest.text)) {
                skip_line(summary, row.line, "destination is not an address prefix");
                continue;
            }
            let hop = match cell_text(t, row, "NextHop") {
                Some(c) if c.truncated => {
                    skip_line(summary, row.line, "next hop cut by the formatter");
                    continue;
                }
                Some(c) if is_ipv4(&c.text) || is_ipv6(&c.text) => Some(c.text.clone()),
                Some(_) => {
                    skip_line(summary, row.line, "next hop is not an address");
                    continue;
                }
                None => None,
            };
            let num = |name: &str| {
                cell_text(t, row, name)
                    .filter(|c| !c.truncated)
                    .and_then(|c| c.text.parse::<u32>().ok())
            };
            let metric = match (num("RouteMetric"), num("ifMetric")) {
                (Some(r), Some(i)) => Some(r.saturating_add(i)),
                (r, _) => r,
            };
            let persistent = cell_text(t, row, "PolicyStore")
                .is_some_and(|c| c.text.to_ascii_lowercase().starts_with("persist"));
            let route = Route {
                destination: dest.text.clone(),
                next_hop: hop,
                interface: cell_text(t, row, "ifIndex")
                    .filter(|c| !c.truncated)
                    .map(|c| c.text.clone()),
                metric,
                compartment_id: num("CompartmentId"),
                persistent,
                prov: input.prov(row.line, &row.raw),
            };
            if persistent {
                add_persistent(&mut routes, route);
            } else {
                routes.push(route);
            }
        }
    }
    (found, routes, lines)
}

/// Parse `route print` and/or Get-NetRoute table output.
///
/// # Errors
/// `Skip` for empty input or collector / PowerShell error text; `Broken` when neither a route
/// print table nor a Get-NetRoute table is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    if let Some(reason) = powershell_error(input.text) {
        return Err(ParseError::skip(reason));
    }
    let (tables, nr_routes, table_lines) = read_netroute_tables(input, summary);
    let scan = scan_route_print(input, &table_lines, summary);
    let rp_rows = scan.routes.len();
    if rp_rows == 0 && tables == 0 {
        if scan.structure {
            summary.warnings.push(format!(
                "{}: route print tables without any route row (cut off?)",
                input.source
            ));
            return Ok(());
        }
        return Err(ParseError::broken_at_first_line(input, "route print tables (`dest mask gateway interface metric` rows) or a Get-NetRoute table"));
    }
    summary.objects += rp_rows + nr_routes.len();
    model.net.routes.extend(scan.routes);
    model.net.routes.extend(nr_routes);
    mark(model, summary, Fact::Routes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_bundle::text::decode;

    fn run(source: &str, bytes: &[u8]) -> (Result<(), ParseError>, HostModel, InputSummary) {
        let text = decode(source, bytes).unwrap().text;
        run_text(source, &text)
    }

    fn run_text(source: &str, text: &str) -> (Result<(), ParseError>, HostModel, InputSummary) {
        let (m, s, r) = crate::testutil::run(parse, source, text);
        (r, m, s)
    }

    fn find<'m>(m: &'m HostModel, dest: &str, hop: &str) -> Vec<&'m Route> {
        m.net
            .routes
            .iter()
            .filter(|r| r.destination == dest && r.next_hop.as_deref() == Some(hop))
            .collect()
    }

    const EN: &[u8] = include_bytes!("../fixtures/routes/route-print-en-us-utf16le.txt");
    const DE: &[u8] = include_bytes!("../fixtures/routes/route-print-de-de-cp850.txt");
    const LEGACY: &[u8] = include_bytes!("../fixtures/routes/legacy-routes-utf16le.txt");
    const COMPARTMENTS: &[u8] = include_bytes!("../fixtures/routes/netroute-compartments.txt");

    #[test]
    fn fixtures_are_what_windows_writes() {
        for f in [EN, LEGACY] {
            assert_eq!(f.get(..2), Some(&[0xFF, 0xFE][..]));
            assert!(f.windows(4).any(|w| w == [b'\r', 0, b'\n', 0]));
        }
        // cmd.exe `route print > file` on a German host: OEM 850 bytes, `ä` = 0x84
        assert!(DE.contains(&0x84));
        assert_eq!(decode("de", DE).unwrap().encoding, "windows-1252");
    }

    #[test]
    fn route_print_en_us_utf16() {
        let (r, m, s) = run("net/route-print.txt", EN);
        r.unwrap();
        let def = find(&m, "0.0.0.0/0", "10.240.0.1");
        assert_eq!(def.len(), 1);
        assert_eq!(def[0].interface.as_deref(), Some("10.240.0.35"));
        assert_eq!(def[0].metric, Some(15));
        assert!(!def[0].persistent);
        assert_eq!(def[0].prov.line, 13);
        assert_eq!(
            def[0].prov.text.as_deref(),
            Some("0.0.0.0          0.0.0.0       10.240.0.1      10.240.0.35     15")
        );
        // netmask → CIDR, On-link → 0.0.0.0
        let nat = find(&m, "172.27.0.0/20", "0.0.0.0");
        assert_eq!(nat.len(), 1);
        assert_eq!(nat[0].metric, Some(5256));
        assert_eq!(find(&m, "10.240.0.35/32", "0.0.0.0").len(), 1);
        assert_eq!(find(&m, "224.0.0.0/4", "0.0.0.0").len(), 2);
        // persistent row matching an active one marks it; the other is added on its own
        let pod = find(&m, "10.244.2.0/24", "10.240.0.36");
        assert_eq!(pod.len(), 1);
        assert!(pod[0].persistent);
        assert_eq!(pod[0].prov.line, 18);
        let wire = find(&m, "169.254.169.0/24", "10.240.0.1");
        assert_eq!(wire.len(), 1);
        assert!(wire[0].persistent);
        assert_eq!(wire[0].metric, None);
        assert_eq!(wire[0].interface, None);
        // IPv6, including the wrapped row
        let wrapped = find(&m, "fe80::1c2d:3e4f:5a6b:7c8d/128", "::");
        assert_eq!(wrapped.len(), 1);
        assert_eq!(wrapped[0].interface.as_deref(), Some("6"));
        assert_eq!(wrapped[0].metric, Some(271));
        assert_eq!(wrapped[0].prov.line, 40);
        assert!(wrapped[0]
            .prov
            .text
            .as_deref()
            .unwrap()
            .ends_with("On-link"));
        assert_eq!(m.net.routes.iter().filter(|r| r.persistent).count(), 2);
        assert_eq!(m.net.routes.len(), 14 + 1 + 5);
        assert_eq!(s.objects, 20);
        assert_eq!(s.skipped_count, 0, "{:?}", s.skipped);
        assert!(m.has(Fact::Routes));
    }

    #[test]
    fn route_print_de_de_oem() {
        let (r, m, s) = run("routes.txt", DE);
        r.unwrap();
        // "Auf Verbindung" (two words) is on-link
        let lan = find(&m, "192.168.20.0/24", "0.0.0.0");
        assert_eq!(lan.len(), 1);
        assert_eq!(lan[0].interface.as_deref(), Some("192.168.20.15"));
        assert_eq!(lan[0].metric, Some(281));
        let def = find(&m, "0.0.0.0/0", "192.168.20.1");
        assert_eq!(def[0].metric, Some(25));
        // "Ständige Routen:" row with metric "Standard" and no active twin
        let svc = find(&m, "10.96.0.0/12", "192.168.20.1");
        assert_eq!(svc.len(), 1);
        assert!(svc[0].persistent);
        let v6 = find(&m, "fe80::9d4:2a1b:77e0:c3f2/128", "::");
        assert_eq!(v6.len(), 1);
        assert!(!v6[0].persistent);
        assert_eq!(m.net.routes.len(), 8 + 1 + 3);
        assert_eq!(s.skipped_count, 0, "{:?}", s.skipped);
    }

    #[test]
    fn legacy_routes_txt_route_print_then_get_netroute() {
        let (r, m, s) = run("routes.txt", LEGACY);
        r.unwrap();
        // route print part: interface addresses
        let rp = find(&m, "0.0.0.0/0", "10.240.0.1");
        assert_eq!(rp.len(), 2);
        assert_eq!(rp[0].interface.as_deref(), Some("10.240.0.35"));
        assert_eq!(rp[0].metric, Some(15));
        // Get-NetRoute part: ifIndex, metric = RouteMetric + ifMetric
        assert_eq!(rp[1].interface.as_deref(), Some("6"));
        assert_eq!(rp[1].metric, Some(15));
        let pod_default = find(&m, "0.0.0.0/0", "10.244.1.1");
        assert_eq!(pod_default[0].interface.as_deref(), Some("19"));
        assert_eq!(pod_default[0].metric, Some(261));
        // PersistentStore row folded into its ActiveStore twin
        let p = find(&m, "10.244.2.0/24", "10.240.0.36");
        assert_eq!(p.len(), 1);
        assert!(p[0].persistent);
        assert_eq!(p[0].metric, Some(16));
        assert_eq!(find(&m, "fe80::/64", "::").len(), 1);
        assert_eq!(m.net.routes.len(), 4 + 9);
        assert_eq!(s.skipped_count, 0, "{:?}", s.skipped);
        assert!(m.has(Fact::Routes));
    }

    #[test]
    fn get_netroute_with_compartments_and_cut_cells() {
        let (r, m, _) = run("net/netroute.txt", COMPARTMENTS);
        r.unwrap();
        let c2: Vec<&Route> = m
            .net
            .routes
            .iter()
            .filter(|r| r.compartment_id == Some(2))
            .collect();
        assert_eq!(c2.len(), 2);
        assert_eq!(c2[0].destination, "0.0.0.0/0");
        assert_eq!(c2[0].next_hop.as_deref(), Some("10.244.1.1"));
        assert_eq!(c2[0].interface.as_deref(), Some("31"));
        // blank ifMetric: RouteMetric alone
        let c3 = find(&m, "10.244.1.0/24", "0.0.0.0");
        assert_eq!(c3[1].compartment_id, Some(3));
        assert_eq!(c3[1].metric, Some(256));
        // PolicyStore cut to "ActiveSt..." is still not persistent
        let svc = find(&m, "10.96.0.0/12", "10.244.1.1");
        assert!(!svc[0].persistent);
        assert_eq!(svc[0].prov.line, 9);
        assert_eq!(m.net.routes.len(), 6);
    }

    #[test]
    fn skip_outcomes() {
        let (r, m, _) = run_text("routes.txt", "\n  \n");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        assert!(!m.has(Fact::Routes));
        let err = "Get-NetRoute : Access denied\nAt line:1 char:1\n+ Get-NetRoute -IncludeAllCompartments\n    + CategoryInfo          : PermissionDenied: (MSFT_NetRoute) [Get-NetRoute], CimException\n    + FullyQualifiedErrorId : Windows System Error 5,Get-NetRoute\n";
        let (r, _, _) = run_text("net/netroute.txt", err);
        assert!(
            matches!(r, Err(ParseError::Skip { ref reason }) if reason.contains("Get-NetRoute : Access denied")),
            "{r:?}"
        );
        let (r, _, _) = run_text(
            "routes.txt",
            "'route' is not recognized as an internal or external command,\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
    }

    #[test]
    fn broken_and_bad_rows() {
        let (r, _, _) = run_text("routes.txt", "\n\nhello 10.0.0.1 world\nmore\n");
        assert_eq!(
            r.unwrap_err(),
            ParseError::Broken {
                path: "routes.txt".into(),
                line: 3,
                expected: "route print tables (`dest mask gateway interface metric` rows) or a Get-NetRoute table".into(),
                found: "hello 10.0.0.1 world".into(),
            }
        );
        // a non-contiguous mask and a row of another shape are skipped with their lines
        let text = "IPv4 Route Table\n=========================\n\
                    \x20 10.0.0.0  255.0.255.0  On-link  10.0.0.5  5\n\
                    \x20 10.1.0.0  255.255.0.0  On-link  10.0.0.5  5\n\
                    \x20 10.2.0.0  255.255.0.0  On-link  10.0.0.5\n";
        let (r, m, s) = run_text("p", text);
        r.unwrap();
        assert_eq!(m.net.routes.len(), 1);
        assert_eq!(m.net.routes[0].destination, "10.1.0.0/16");
        assert_eq!(s.skipped_count, 2);
        assert_eq!(s.skipped[0].line, 3);
        assert_eq!(s.skipped[0].reason, "netmask is not contiguous");
        assert_eq!(s.skipped[1].line, 5);
        // tables but no rows (cut off): warning, no fact
        let (r, m, s) = run_text(
            "routes.txt",
            "===========================\nInterface List\n  1...........Software Loopback Interface 1\n",
        );
        r.unwrap();
        assert!(!m.has(Fact::Routes));
        assert!(s.warnings[0].contains("without any route row"));
    }

    #[test]
    fn netroute_bad_cells_skipped() {
        let text = "\nifIndex DestinationPrefix NextHop    RouteMetric ifMetric PolicyStore\n\
                    ------- ----------------- -------    ----------- -------- -----------\n\
                    6       10.1.0.0/16       0.0.0.0            256 15       ActiveStore\n\
                    6       10.2.0.0/1...     0.0.0.0            256 15       ActiveStore\n\
                    6       not-a-prefix      0.0.0.0            256 15       ActiveStore\n";
        let (r, m, s) = run_text("net/netroute.txt", text);
        r.unwrap();
        assert_eq!(m.net.routes.len(), 1);
        assert_eq!(s.skipped_count, 2);
        assert_eq!(s.skipped[0].line, 5);
        assert_eq!(s.skipped[0].reason, "destination cut by the formatter");
        assert_eq!(s.skipped[1].line, 6);
    }

    #[test]
    fn detectors() {
        let en = decode("x", EN).unwrap().text;
        assert_eq!(detect_route_print(&en), 90);
        assert_eq!(detect_netroute(&en), 0);
        let de = decode("x", DE).unwrap().text;
        assert_eq!(detect_route_print(&de), 90);
        let c = decode("x", COMPARTMENTS).unwrap().text;
        assert_eq!(detect_netroute(&c), 90);
        assert_eq!(detect_route_print(&c), 0);
        assert_eq!(detect_route_print("Windows IP Configuration\n"), 0);
    }

    #[test]
    fn masks() {
        assert_eq!(mask_prefix("255.255.240.0"), Some(20));
        assert_eq!(mask_prefix("0.0.0.0"), Some(0));
        assert_eq!(mask_prefix("255.255.255.255"), Some(32));
        assert_eq!(mask_prefix("255.0.255.0"), None);
        assert_eq!(mask_prefix("On-link"), None);
    }

    #[test]
    fn netroute_detector_ignores_route_words_inside_json() {
        let json_line = r#"E0109 08:00:02.118420 3312 endpoint.go:64] hcnCreateEndpoint {"Policies":[{"Type":"SDNROUTE","Settings":{"DestinationPrefix":"10.96.0.0/12","NextHop":"10.244.6.1"}}]}"#;
        assert_eq!(detect_netroute(json_line), 0);
        assert_eq!(
            detect_netroute(
                "ifIndex DestinationPrefix  NextHop  RouteMetric ifMetric PolicyStore\n"
            ),
            90
        );
        assert_eq!(
            detect_netroute("DestinationPrefix : 0.0.0.0/0\nNextHop           : 10.0.0.1\n"),
            90
        );
    }
}
