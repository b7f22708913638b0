//! WinNAT, Hyper-V switches and network adapters: `Get-NetNat`, `Get-NetNatStaticMapping`,
//! `Get-VMSwitch` and `Get-NetAdapter` formatter output.
//!
//! * **Commands:** `Get-NetNat | Format-List *` (default view is a list too: `Name`,
//!   `ExternalIPInterfaceAddressPrefix`, `InternalIPInterfaceAddressPrefix`, timeouts, `Active`),
//!   `Get-NetNatStaticMapping | Format-List *` (`StaticMappingID`, `NatName`, `Protocol`,
//!   `ExternalIPAddress`, `ExternalPort`, `InternalIPAddress`, `InternalPort`, `Active`),
//!   `Get-VMSwitch` (table `Name SwitchType NetAdapterInterfaceDescription`, or `Format-List *` with
//!   `AllowManagementOS`), `Get-NetAdapter -IncludeHidden` (table `Name InterfaceDescription ifIndex
//!   Status MacAddress LinkSpeed`, or `Format-List *`).
//! * **Bundle paths / formats:** `nat/netnat.txt` (`get-netnat`), `nat/static-mappings.txt`
//!   (`get-netnatstaticmapping`), `vswitch/vmswitch.txt` (`get-vmswitch`), `net/netadapter.txt`
//!   (`get-netadapter`). **Legacy CollectLogs:** `netadapter.txt` (`Get-NetAdapter -IncludeHidden`
//!   table); CollectLogs does not collect WinNAT or switches. All four formats share this parser:
//!   every object is classified by its property names, so a paste holding several of them works.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), UTF-8 (PowerShell 7).
//! * **Locales:** property names, `True`/`False` and the enum values printed here (`Internal`,
//!   `Up`, `TCP`…) are not translated; nothing is read by label text.
//! * **Classification:** `StaticMappingID` (or `NatName` + `ExternalPort`) → static mapping;
//!   `Internal/ExternalIPInterfaceAddressPrefix` → NAT; `SwitchType` → switch; `ifIndex` /
//!   `InterfaceIndex` with `MacAddress`, `InterfaceDescription` or `LinkSpeed` → adapter.
//!   Objects with the same name (NAT, switch, adapter) are merged; identical mappings kept once.
//! * **Partial input:** table cells cut by the formatter (`...`, `…`) are kept as printed, with a
//!   warning naming the first line; a MAC cell that is not a MAC is replaced by the MAC-shaped word
//!   of the row when there is one; a port outside 0–65535 or an object without its name is skipped
//!   with its line; lines that are neither properties nor table rows are skipped with a reason.
//!   Empty input (note: Get-NetNat prints nothing when no NAT exists — the collector's empty file
//!   is "not known", not "no NAT"), "is not recognized as the name of a cmdlet" and other
//!   PowerShell error records → `Skip`; text without any such object → `Broken` at its first line.
//!
//! Facts: [`Fact::NetNat`] (NATs and/or static mappings), [`Fact::VSwitches`],
//! [`Fact::Adapters`]; fills `model.nat.nats`, `model.nat.static_mappings`, `model.nat.switches`
//! and `model.net.adapters`.
//!
//! ```
//! use hnsdoctor_parse::{nat, HostModel, Input, InputSummary, Fact};
//! let text = "\nName                             : nat\n\
//!             ExternalIPInterfaceAddressPrefix :\n\
//!             InternalIPInterfaceAddressPrefix : 172.27.0.0/20\n\
//!             Active                           : True\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! nat::parse(&Input::new("nat/netnat.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.nat.nats[0].internal_prefix.as_deref(), Some("172.27.0.0/20"));
//! assert_eq!(model.nat.nats[0].active, Some(true));
//! assert!(model.has(Fact::NetNat));
//! ```

use crate::psformat::{parse_list, parse_tables, ps_bool};
use crate::routes::powershell_error;
use crate::winout::{check_skip, is_mac, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError, Prov};
use hnsdoctor_model::{NatStaticMapping, NetAdapter, NetNat, VSwitch};
use std::collections::BTreeSet;

/// Content detector for Get-NetNat.
#[must_use]
pub fn detect_netnat(text: &str) -> u8 {
    if text.contains("InternalIPInterfaceAddressPrefix") {
        90
    } else {
        0
    }
}

/// Content detector for Get-NetNatStaticMapping.
#[must_use]
pub fn detect_static_mappings(text: &str) -> u8 {
    if text.contains("StaticMappingID")
        || (text.contains("NatName") && text.contains("ExternalPort"))
    {
        90
    } else {
        0
    }
}

/// Content detector for Get-VMSwitch.
#[must_use]
pub fn detect_vmswitch(text: &str) -> u8 {
    if text.contains("SwitchType")
        && (text.contains("NetAdapterInterfaceDescription") || text.contains("AllowManagementOS"))
    {
        90
    } else {
        0
    }
}

/// Content detector for Get-NetAdapter.
#[must_use]
pub fn detect_netadapter(text: &str) -> u8 {
    if text.contains("InterfaceDescription")
        && text.contains("ifIndex")
        && (text.contains("MacAddress") || text.contains("LinkSpeed"))
    {
        85
    } else {
        0
    }
}

/// One property value of an object, from a list line or a table cell.
struct Field<'a> {
    name: String,
    value: String,
    truncated: bool,
    line: u32,
    raw: &'a str,
}

/// One object: a Format-List record or a Format-Table row.
struct Obj<'a> {
    line: u32,
    raw: &'a str,
    fields: Vec<Field<'a>>,
}

impl<'a> Obj<'a> {
    fn field(&self, name: &str) -> Option<&Field<'a>> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    fn has(&self, name: &str) -> bool {
        self.field(name).is_some()
    }

    /// Non-empty value as printed (a cut cell keeps its `...`).
    fn text(&self, name: &str) -> Option<String> {
        self.field(name).and_then(|f| {
            if f.value.is_empty() {
                None
            } else if f.truncated {
                Some(format!("{}...", f.value))
            } else {
                Some(f.value.clone())
            }
        })
    }

    /// Non-empty, uncut value.
    fn whole(&self, name: &str) -> Option<&str> {
        self.field(name)
            .filter(|f| !f.truncated && !f.value.is_empty())
            .map(|f| f.value.as_str())
    }

    /// Provenance at the line of `name` (list) or of the row (table), quoting it.
    fn prov(&self, input: &Input<'_>, name: &str) -> Prov {
        match self.field(name) {
            Some(f) => input.prov(f.line, f.raw),
            None => input.prov(self.line, self.raw),
        }
    }

    fn cut_line(&self) -> Option<u32> {
        self.fields.iter().find(|f| f.truncated).map(|f| f.line)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mapping,
    Nat,
    Switch,
    Adapter,
}

fn kind(o: &Obj<'_>) -> Option<Kind> {
    if o.has("StaticMappingID") || (o.has("NatName") && o.has("ExternalPort")) {
        Some(Kind::Mapping)
    } else if o.has("InternalIPInterfaceAddressPrefix") || o.has("ExternalIPInterfaceAddressPrefix")
    {
        Some(Kind::Nat)
    } else if o.has("SwitchType") {
        Some(Kind::Switch)
    } else if (o.has("ifIndex") || o.has("InterfaceIndex"))
        && (o.has("MacAddress") || o.has("InterfaceDescription") || o.has("LinkSpeed"))
    {
        Some(Kind::Adapter)
    } else {
        None
    }
}

/// Read every table and list object of `input`, recording stray lines as skipped.
fn objects<'a>(input: &Input<'a>, raws: &[&'a str], summary: &mut InputSummary) -> Vec<Obj<'a>> {
    let raw_of = |no: u32| -> &'a str {
        let i = usize::try_from(no.saturating_sub(input.first_line)).unwrap_or(usize::MAX);
        raws.get(i).copied().unwrap_or("")
    };
    let mut out = Vec::new();
    let mut table_lines = BTreeSet::new();
    for t in parse_tables(input.lines()) {
        table_lines.insert(t.header_line);
        table_lines.insert(t.header_line.saturating_add(1));
        for row in &t.rows {
            table_lines.insert(row.line);
            let raw = raw_of(row.line);
            let fields = t
                .columns
                .iter()
                .zip(&row.cells)
                .map(|(c, cell)| Field {
                    name: c.name.clone(),
                    value: cell.text.clone(),
                    truncated: cell.truncated,
                    line: row.line,
                    raw,
                })
                .collect();
            out.push(Obj {
                line: row.line,
                raw,
                fields,
            });
        }
    }
    let doc = parse_list(input.lines().filter(|(n, _)| !table_lines.contains(n)));
    for (no, _) in &doc.stray {
        skip_line(summary, *no, "neither a property line nor a table row");
    }
    for r in doc.records {
        let fields = r
            .fields
            .into_iter()
            .map(|f| Field {
                name: f.name,
                value: f.value.trim().to_string(),
                truncated: false,
                line: f.line,
                raw: raw_of(f.line),
            })
            .collect();
        out.push(Obj {
            line: r.line,
            raw: raw_of(r.line),
            fields,
        });
    }
    out.sort_by_key(|o| o.line);
    out
}

fn port(o: &Obj<'_>, name: &str, summary: &mut InputSummary) -> Option<u16> {
    let f = o.field(name)?;
    if f.value.is_empty() {
        return None;
    }
    match f.value.parse::<u16>() {
        Ok(p) if !f.truncated => Some(p),
        _ => {
            skip_line(summary, f.line, format!("{name} is not a port number"));
            None
        }
    }
}

fn fill<T: Clone>(slot: &mut Option<T>, v: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(v);
    }
}

fn add_nat(model: &mut HostModel, n: NetNat) {
    match model
        .nat
        .nats
        .iter_mut()
        .find(|x| x.name.eq_ignore_ascii_case(&n.name))
    {
        Some(x) => {
            fill(&mut x.internal_prefix, &n.internal_prefix);
            fill(&mut x.active, &n.active);
        }
        None => model.nat.nats.push(n),
    }
}

fn add_switch(model: &mut HostModel, s: VSwitch) {
    match model
        .nat
        .switches
        .iter_mut()
        .find(|x| x.name.eq_ignore_ascii_case(&s.name))
    {
        Some(x) => {
            fill(&mut x.switch_type, &s.switch_type);
            fill(&mut x.adapter_description, &s.adapter_description);
            fill(&mut x.allow_management_os, &s.allow_management_os);
        }
        None => model.nat.switches.push(s),
    }
}

fn add_adapter(model: &mut HostModel, a: NetAdapter) {
    match model
        .net
        .adapters
        .iter_mut()
        .find(|x| x.name.eq_ignore_ascii_case(&a.name))
    {
        Some(x) => {
            fill(&mut x.description, &a.description);
            fill(&mut x.if_index, &a.if_index);
            fill(&mut x.status, &a.status);
            fill(&mut x.mac, &a.mac);
            fill(&mut x.link_speed, &a.link_speed);
        }
        None => model.net.adapters.push(a),
    }
}

fn add_mapping(model: &mut HostModel, m: NatStaticMapping) {
    let same = |x: &NatStaticMapping| {
        x.nat_name == m.nat_name
            && x.protocol == m.protocol
            && x.external_ip == m.external_ip
            && x.external_port == m.external_port
            && x.internal_ip == m.internal_ip
            && x.internal_port == m.internal_port
    };
    if !model.nat.static_mappings.iter().any(same) {
        model.nat.static_mappings.push(m);
    }
}

/// Parse Get-NetNat / Get-NetNatStaticMapping / Get-VMSwitch / Get-NetAdapter output (list or
/// table, any mix).
///
/// # Errors
/// `Skip` for empty input or collector / PowerShell error text; `Broken` when no object of
/// these four kinds is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    if let Some(reason) = powershell_error(input.text) {
        return Err(ParseError::skip(reason));
    }
    let raws: Vec<&str> = input.text.lines().collect();
    let objs = objects(input, &raws, summary);
    let mut found: BTreeSet<Fact> = BTreeSet::new();
    let mut first_cut: Option<u32> = None;
    let mut cut_count = 0usize;
    for o in &objs {
        let Some(k) = kind(o) else {
            skip_line(
                summary,
                o.line,
                "object without Get-NetNat, static mapping, VMSwitch or NetAdapter properties",
            );
            continue;
        };
        if let Some(l) = o.cut_line() {
            cut_count += 1;
            first_cut.get_or_insert(l);
        }
        let name = o.text("Name");
        match (k, name) {
            (Kind::Mapping, _) => {
                let m = NatStaticMapping {
                    nat_name: o.text("NatName"),
                    protocol: o.text("Protocol"),
                    external_ip: o.text("ExternalIPAddress"),
                    external_port: port(o, "ExternalPort", summary),
                    internal_ip: o.text("InternalIPAddress"),
                    internal_port: port(o, "InternalPort", summary),
                    prov: o.prov(input, "ExternalPort"),
                };
                add_mapping(model, m);
                found.insert(Fact::NetNat);
            }
            (Kind::Nat, Some(name)) => {
                add_nat(
                    model,
                    NetNat {
                        name,
                        internal_prefix: o
                            .whole("InternalIPInterfaceAddressPrefix")
                            .map(str::to_owned),
                        active: o.whole("Active").and_then(ps_bool),
                        prov: o.prov(input, "Name"),
                    },
                );
                found.insert(Fact::NetNat);
            }
            (Kind::Switch, Some(name)) => {
                add_switch(
                    model,
                    VSwitch {
                        name,
                        switch_type: o.text("SwitchType"),
                        adapter_description: o.text("NetAdapterInterfaceDescription"),
                        allow_management_os: o.whole("AllowManagementOS").and_then(ps_bool),
                        prov: o.prov(input, "Name"),
                    },
                );
                found.insert(Fact::VSwitches);
            }
            (Kind::Adapter, Some(name)) => {
                let if_index = o
                    .whole("ifIndex")
                    .or_else(|| o.whole("InterfaceIndex"))
                    .and_then(|v| v.parse::<u32>().ok());
                let mac = o.whole("MacAddress").filter(|m| is_mac(m)).map_or_else(
                    || {
                        o.raw
                            .split_whitespace()
                            .find(|w| is_mac(w))
                            .filter(|_| o.fields.iter().all(|f| f.line == o.line))
                            .map(str::to_owned)
                    },
                    |m| Some(m.to_owned()),
                );
                add_adapter(
                    model,
                    NetAdapter {
                        name,
                        description: o.text("InterfaceDescription"),
                        if_index,
                        status: o.text("Status"),
                        mac,
                        link_speed: o.text("LinkSpeed"),
                        prov: o.prov(input, "Name"),
                    },
                );
                found.insert(Fact::Adapters);
            }
            (_, None) => {
                skip_line(summary, o.line, "object without a Name");
                continue;
            }
        }
        summary.objects += 1;
    }
    if let Some(l) = first_cut {
        summary.warnings.push(format!(
            "{}:{l}: {cut_count} row(s) with cells cut by the formatter (`...`); values kept as printed",
            input.source
        ));
    }
    if found.is_empty() {
        return Err(ParseError::broken_at_first_line(input, "Get-NetNat, Get-NetNatStaticMapping, Get-VMSwitch or Get-NetAdapter output (list or table)"));
    }
    for f in found {
        mark(model, summary, f);
    }
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

    const NETNAT: &[u8] = include_bytes!("../fixtures/nat/netnat-list-utf16le.txt");
    const MAPPINGS: &[u8] = include_bytes!("../fixtures/nat/staticmappings-list-utf16le.txt");
    const SW_TABLE: &[u8] = include_bytes!("../fixtures/nat/vmswitch-table.txt");
    const SW_LIST: &[u8] = include_bytes!("../fixtures/nat/vmswitch-list-utf16le.txt");
    const AD_TABLE: &[u8] = include_bytes!("../fixtures/nat/netadapter-table-utf16le.txt");
    const AD_LIST: &[u8] = include_bytes!("../fixtures/nat/netadapter-list.txt");
    const NOT_RECOGNIZED: &[u8] =
        include_bytes!("../fixtures/nat/vmswitch-not-recognized-utf16le.txt");
    const INVALID_CLASS: &[u8] = include_bytes!("../fixtures/nat/netnat-invalid-class.txt");

    #[test]
    fn fixtures_are_utf16le_bom_crlf() {
        for f in [NETNAT, MAPPINGS, SW_LIST, AD_TABLE, NOT_RECOGNIZED] {
            assert_eq!(f.get(..2), Some(&[0xFF, 0xFE][..]));
            assert!(f.windows(4).any(|w| w == [b'\r', 0, b'\n', 0]));
            assert_eq!(decode("f", f).unwrap().encoding, "utf-16le-bom");
        }
    }

    #[test]
    fn netnat_list() {
        let (r, m, s) = run("nat/netnat.txt", NETNAT);
        r.unwrap();
        assert_eq!(m.nat.nats.len(), 2);
        let n = &m.nat.nats[0];
        assert_eq!(n.name, "nat");
        assert_eq!(n.internal_prefix.as_deref(), Some("172.27.0.0/20"));
        assert_eq!(n.active, Some(true));
        assert_eq!(n.prov.line, 3);
        assert_eq!(
            n.prov.text.as_deref(),
            Some("Name                             : nat")
        );
        let c = &m.nat.nats[1];
        assert_eq!(c.name, "ContainerNAT");
        assert_eq!(c.internal_prefix.as_deref(), Some("192.168.100.0/24"));
        assert_eq!(c.active, Some(false));
        assert_eq!(s.objects, 2);
        assert!(m.has(Fact::NetNat));
        assert!(!m.has(Fact::VSwitches));
        assert_eq!(s.skipped_count, 0, "{:?}", s.skipped);
    }

    #[test]
    fn static_mappings_ports_and_bad_port() {
        let (r, m, s) = run("nat/static-mappings.txt", MAPPINGS);
        r.unwrap();
        let sm = &m.nat.static_mappings;
        assert_eq!(sm.len(), 3);
        assert_eq!(sm[0].nat_name.as_deref(), Some("nat"));
        assert_eq!(sm[0].protocol.as_deref(), Some("TCP"));
        assert_eq!(sm[0].external_ip.as_deref(), Some("0.0.0.0"));
        assert_eq!(sm[0].external_port, Some(8080));
        assert_eq!(sm[0].internal_ip.as_deref(), Some("172.27.4.17"));
        assert_eq!(sm[0].internal_port, Some(80));
        assert_eq!(sm[0].prov.line, 8);
        assert_eq!(
            (
                sm[1].protocol.as_deref(),
                sm[1].external_port,
                sm[1].internal_port
            ),
            (Some("UDP"), Some(5353), Some(53))
        );
        assert_eq!(sm[1].external_ip.as_deref(), Some("10.240.0.35"));
        // ExternalPort 99999 is no port: the field is skipped, the mapping kept
        assert_eq!(sm[2].external_port, None);
        assert_eq!(sm[2].internal_port, Some(443));
        assert_eq!(s.skipped_count, 1);
        assert_eq!(s.skipped[0].line, 30);
        assert!(m.has(Fact::NetNat));
    }

    #[test]
    fn vmswitch_table() {
        let (r, m, s) = run("vswitch/vmswitch.txt", SW_TABLE);
        r.unwrap();
        let sw = &m.nat.switches;
        let names: Vec<&str> = sw.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["nat", "Default Switch", "External", "isolated"]);
        assert_eq!(sw[0].switch_type.as_deref(), Some("Internal"));
        assert_eq!(sw[0].adapter_description, None);
        assert_eq!(sw[0].allow_management_os, None);
        assert_eq!(
            sw[2].adapter_description.as_deref(),
            Some("Microsoft Hyper-V Network Adapter #2")
        );
        assert_eq!(sw[3].switch_type.as_deref(), Some("Private"));
        assert_eq!(sw[3].prov.line, 7);
        assert_eq!(s.objects, 4);
        assert!(m.has(Fact::VSwitches));
    }

    #[test]
    fn vmswitch_list_with_allow_management_os() {
        let (r, m, s) = run("vswitch/vmswitch.txt", SW_LIST);
        r.unwrap();
        let sw = &m.nat.switches;
        assert_eq!(sw.len(), 2);
        assert_eq!(sw[0].name, "nat");
        assert_eq!(sw[0].switch_type.as_deref(), Some("Internal"));
        assert_eq!(sw[0].allow_management_os, Some(false));
        assert_eq!(sw[0].adapter_description, None);
        assert_eq!(sw[1].switch_type.as_deref(), Some("External"));
        assert_eq!(sw[1].allow_management_os, Some(true));
        assert_eq!(
            sw[1].adapter_description.as_deref(),
            Some("Microsoft Hyper-V Network Adapter #2")
        );
        assert_eq!(sw[1].prov.line, 21);
        assert_eq!(s.skipped_count, 0, "{:?}", s.skipped);
        assert!(m.has(Fact::VSwitches));
    }

    #[test]
    fn netadapter_table_with_cut_cells() {
        let (r, m, s) = run("netadapter.txt", AD_TABLE);
        r.unwrap();
        let a = &m.net.adapters;
        assert_eq!(a.len(), 5);
        assert_eq!(a[0].name, "vEthernet (nat)");
        assert_eq!(a[0].if_index, Some(27));
        assert_eq!(a[0].status.as_deref(), Some("Up"));
        assert_eq!(a[0].mac.as_deref(), Some("00-15-5D-E1-4B-11"));
        assert_eq!(a[0].link_speed.as_deref(), Some("10 Gbps"));
        assert_eq!(a[0].prov.line, 4);
        // cut name kept as printed
        assert_eq!(a[3].name, "vEthernet (cbr0_ep_af3...");
        assert_eq!(a[3].status.as_deref(), Some("Disconnected"));
        assert_eq!(a[3].link_speed.as_deref(), Some("0 bps"));
        assert_eq!(
            a[4].description.as_deref(),
            Some("Mellanox ConnectX-4 Lx Virtual Ether...")
        );
        assert_eq!(a[4].status.as_deref(), Some("Not Present"));
        assert_eq!(a[4].if_index, Some(9));
        assert_eq!(s.warnings.len(), 1);
        assert!(
            s.warnings[0].starts_with("netadapter.txt:7: 2 row(s)"),
            "{:?}",
            s.warnings
        );
        assert!(m.has(Fact::Adapters));
    }

    #[test]
    fn netadapter_list() {
        let (r, m, _) = run("net/netadapter.txt", AD_LIST);
        r.unwrap();
        let a = &m.net.adapters;
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].name, "vEthernet (Ethernet 2)");
        assert_eq!(a[1].if_index, Some(14));
        assert_eq!(a[1].mac.as_deref(), Some("00-15-5D-00-B0-7E"));
        assert_eq!(a[1].status.as_deref(), Some("Up"));
        assert_eq!(
            a[1].description.as_deref(),
            Some("Hyper-V Virtual Ethernet Adapter #3")
        );
        assert_eq!(a[1].prov.line, 23);
    }

    #[test]
    fn mac_taken_by_shape_when_the_cell_is_misaligned_and_merge_by_name() {
        // A double-width (Japanese) name is padded by display width, so the row's characters
        // sit left of the header's columns: the MacAddress cell gets half a MAC, and the
        // MAC-shaped word of the row is used instead.
        let text = "\nName         ifIndex Status       MacAddress\n----         ------- ------       ----------\n\u{30a4}\u{30fc}\u{30b5}\u{30cd}\u{30c3}\u{30c8}       6 Up           00-15-5D-00-00-01\n";
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        parse(&Input::new("p", text), &mut m, &mut s).unwrap();
        assert_eq!(
            m.net.adapters[0].name,
            "\u{30a4}\u{30fc}\u{30b5}\u{30cd}\u{30c3}\u{30c8}"
        );
        assert_eq!(m.net.adapters[0].mac.as_deref(), Some("00-15-5D-00-00-01"));
        // a second source fills what the first lacked, without a duplicate
        let more = "Name                 : \u{30a4}\u{30fc}\u{30b5}\u{30cd}\u{30c3}\u{30c8}\nifIndex              : 3\nInterfaceDescription : Intel NIC\n";
        parse(&Input::new("q", more), &mut m, &mut s).unwrap();
        assert_eq!(m.net.adapters.len(), 1);
        assert_eq!(m.net.adapters[0].description.as_deref(), Some("Intel NIC"));
    }

    #[test]
    fn skip_outcomes() {
        let (r, m, _) = run("vswitch/vmswitch.txt", NOT_RECOGNIZED);
        assert!(
            matches!(r, Err(ParseError::Skip { ref reason }) if reason.contains("not recognized as the name of a cmdlet")),
            "{r:?}"
        );
        assert!(m.facts.is_empty());
        let (r, _, _) = run("nat/netnat.txt", INVALID_CLASS);
        assert!(
            matches!(r, Err(ParseError::Skip { ref reason }) if reason.contains("Get-NetNat : Invalid class")),
            "{r:?}"
        );
        let (r, _, _) = run_text("nat/netnat.txt", "\r\n\r\n");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
    }

    #[test]
    fn broken_and_stray_lines() {
        let (r, _, _) = run_text(
            "nat/netnat.txt",
            "\n\nsome words here\nPrefixOrigin : Dhcp\n",
        );
        assert_eq!(
            r.unwrap_err(),
            ParseError::Broken {
                path: "nat/netnat.txt".into(),
                line: 3,
                expected: "Get-NetNat, Get-NetNatStaticMapping, Get-VMSwitch or Get-NetAdapter output (list or table)".into(),
                found: "some words here".into(),
            }
        );
        // a NAT without Name, a stray line and an unrelated record: skipped with their lines
        let text = "Name                             : nat\nInternalIPInterfaceAddressPrefix : 10.0.0.0/8\n\
                    garbage line\n\nInternalIPInterfaceAddressPrefix : 10.1.0.0/16\n\nFoo : bar\n";
        let (r, m, s) = run_text("p", text);
        r.unwrap();
        assert_eq!(m.nat.nats.len(), 1);
        let lines: Vec<(u32, &str)> = s
            .skipped
            .iter()
            .map(|k| (k.line, k.reason.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (3, "neither a property line nor a table row"),
                (5, "object without a Name"),
                (
                    7,
                    "object without Get-NetNat, static mapping, VMSwitch or NetAdapter properties"
                ),
            ]
        );
    }

    #[test]
    fn detectors() {
        let t = |b: &[u8]| decode("x", b).unwrap().text;
        assert_eq!(detect_netnat(&t(NETNAT)), 90);
        assert_eq!(detect_netnat(&t(MAPPINGS)), 0);
        assert_eq!(detect_static_mappings(&t(MAPPINGS)), 90);
        assert_eq!(detect_static_mappings(&t(NETNAT)), 0);
        assert_eq!(detect_vmswitch(&t(SW_TABLE)), 90);
        assert_eq!(detect_vmswitch(&t(SW_LIST)), 90);
        assert_eq!(detect_netadapter(&t(SW_LIST)), 0);
        assert_eq!(detect_netadapter(&t(AD_TABLE)), 85);
        assert_eq!(detect_netadapter(&t(AD_LIST)), 85);
        assert_eq!(detect_vmswitch(&t(AD_LIST)), 0);
    }
}
