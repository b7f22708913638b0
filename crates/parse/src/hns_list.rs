//! `Get-HnsNetwork` / `Get-HnsEndpoint` / `Get-HnsPolicyList` / `Get-HnsNamespace` rendered as
//! text by PowerShell (**Format-List**), and the small `Select`-tables collectlogs writes before
//! its JSON (`network.txt`: `Name Type Id AddressPrefix`).
//!
//! * **Produced by**: `Get-HnsEndpoint > endpoint.txt` (HostNetworkingService module or SDN
//!   `hns.psm1`, both v1-shaped), pastes of the same in tickets; collectlogs `network.txt` when
//!   the appended JSON is missing.
//! * **Bundle paths**: `hns/networks.txt`, `hns/endpoints.txt`, `hns/policylists.txt`,
//!   `hns/namespaces.txt`. **Legacy CollectLogs names**: `network.txt`, `endpoint.txt`,
//!   `policy.txt`, `namespaces.txt`. When the file also holds JSON (the usual collectlogs case)
//!   this parser steps aside (`Skip`) and [`crate::hns_json`] reads the JSON.
//! * **Encodings**: UTF-16LE with BOM and CRLF (Windows PowerShell 5.1 `>`), decoded upstream.
//! * **Shape**: see [`crate::psformat`]: properties alphabetical, padded names, values wrapped
//!   onto continuation lines indented to the value column; nested objects as `@{K=V; …}`;
//!   collections as `{a, b...}` cut after `$FormatEnumerationLimit` (4) items; arrays nested in
//!   nested objects as `System.Object[]`. Objects get schema `V1` (list) or `Table` (table).
//! * **Partial input**: a cut collection (`Policies : {@{…}, @{…}, @{…}, @{…}...}`) or a
//!   `System.Object[]` in a field we need (VIPs, allocators) gives a warning that the field is
//!   partial; records of an unknown kind and stray lines are counted as skipped. Empty input and
//!   collector errors are `Skip`; text with neither records nor a table is `Broken` at its first
//!   line.
//!
//! ```
//! use hnsdoctor_parse::{hns_list, HostModel, Input, InputSummary};
//! let text = "\nID                 : 0b4c9e52-6f1d-4a8e-93c2-5d7e8f9a0b1c\nIPAddress          : 10.244.3.17\n\
//! IsRemoteEndpoint   : True\nState              : 1\nVirtualNetworkName : cbr0\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! hns_list::parse_endpoints(&Input::new("endpoint.txt", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.hns.endpoints[0].ips, ["10.244.3.17"]);
//! assert_eq!(m.hns.endpoints[0].is_remote, Some(true));
//! ```

use crate::hns_json::{check_skip, mark, skip_line, Kind};
use crate::psformat::{self, ListRecord, Table};
use crate::{Fact, HostModel, Input, InputSummary, ParseError, Prov};
use hnsdoctor_model::{
    norm_guid, ApiSchema, Endpoint, LoadBalancer, Namespace, Network, Policy, PortMapping, Subnet,
    SwitchExtension,
};
use serde_json::{Map, Value};

/// Warnings collected while mapping, reported once per field.
#[derive(Default)]
struct Notes {
    partial: std::collections::BTreeMap<&'static str, usize>,
}

impl Notes {
    fn partial(&mut self, what: &'static str) {
        *self.partial.entry(what).or_default() += 1;
    }
}

fn has_json(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with('{') || t.starts_with('[')
    })
}

fn kind_of(r: &ListRecord) -> Option<Kind> {
    let h = |k: &str| r.field(k).is_some();
    if h("References") && h("Policies") {
        return Some(Kind::LoadBalancer);
    }
    if h("VirtualNetwork") || h("IsRemoteEndpoint") || h("VirtualNetworkName") || h("IPAddress") {
        return Some(Kind::Endpoint);
    }
    if h("NamespaceId") || h("ResourceList") || (h("CompartmentId") && h("IsDefault")) {
        return Some(Kind::Namespace);
    }
    if h("Subnets") || h("ManagementIP") || h("NetworkAdapterName") || h("MacPools") {
        return Some(Kind::Network);
    }
    None
}

fn nget<'p>(pairs: &'p [(String, String)], k: &str) -> Option<&'p str> {
    pairs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(k))
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Items of a collection field, noting a cut list.
fn items(r: &ListRecord, k: &str, what: &'static str, notes: &mut Notes) -> Vec<String> {
    let c = psformat::values(r.get(k).unwrap_or(""));
    if c.truncated {
        notes.partial(what);
    }
    c.items
}

fn nested_items(
    r: &ListRecord,
    k: &str,
    what: &'static str,
    notes: &mut Notes,
) -> Vec<Vec<(String, String)>> {
    items(r, k, what, notes)
        .iter()
        .filter_map(|i| psformat::parse_nested(i))
        .collect()
}

fn policies(r: &ListRecord, notes: &mut Notes) -> Vec<Policy> {
    nested_items(r, "Policies", "Policies", notes)
        .into_iter()
        .map(|pairs| {
            let kind = nget(&pairs, "Type").unwrap_or_default().to_string();
            let settings: Map<String, Value> = pairs
                .into_iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("Type"))
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            Policy {
                kind,
                settings: Value::Object(settings),
            }
        })
        .collect()
}

fn num<T: std::str::FromStr>(r: &ListRecord, k: &str) -> Option<T> {
    r.non_empty(k).and_then(|v| v.parse().ok())
}

fn text(r: &ListRecord, k: &str) -> Option<String> {
    r.non_empty(k).map(str::to_string)
}

fn guid(r: &ListRecord, k: &str) -> Option<String> {
    r.non_empty(k).map(norm_guid)
}

fn network(r: &ListRecord, prov: Prov, notes: &mut Notes) -> Network {
    let mut n = Network {
        id: guid(r, "ID").unwrap_or_default(),
        name: text(r, "Name").unwrap_or_default(),
        net_type: text(r, "Type").unwrap_or_default(),
        management_ip: text(r, "ManagementIP"),
        adapter_name: text(r, "NetworkAdapterName"),
        flags: num(r, "Flags"),
        policies: policies(r, notes),
        object_version: num(r, "Version"),
        state: num(r, "State"),
        schema: ApiSchema::V1,
        prov,
        ..Network::default()
    };
    for s in nested_items(r, "Subnets", "Subnets", notes) {
        if let Some(p) = nget(&s, "AddressPrefix") {
            n.subnets.push(Subnet {
                prefix: p.to_string(),
                gateway: nget(&s, "GatewayAddress").map(str::to_string),
            });
        }
    }
    for e in nested_items(r, "Extensions", "Extensions", notes) {
        n.extensions.push(SwitchExtension {
            id: nget(&e, "Id").map(norm_guid).unwrap_or_default(),
            name: nget(&e, "Name").map(str::to_string),
            enabled: nget(&e, "IsEnabled").and_then(psformat::ps_bool) == Some(true),
        });
    }
    n.dns_servers = r
        .non_empty("DNSServerList")
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if r.non_empty("Resources")
        .is_some_and(|v| v.contains("System.Object[]"))
    {
        notes.partial("Resources (allocators: host vNIC / external VFP ports)");
    }
    n
}

fn endpoint(r: &ListRecord, prov: Prov, notes: &mut Notes) -> Endpoint {
    let mut e = Endpoint {
        id: guid(r, "ID").unwrap_or_default(),
        name: text(r, "Name"),
        network_id: guid(r, "VirtualNetwork"),
        network_name: text(r, "VirtualNetworkName"),
        prefix_length: num(r, "PrefixLength"),
        mac: text(r, "MacAddress"),
        is_remote: r.non_empty("IsRemoteEndpoint").and_then(psformat::ps_bool),
        state: num(r, "State"),
        encap_overhead: num(r, "EncapOverhead"),
        gateway: text(r, "GatewayAddress"),
        policies: policies(r, notes),
        schema: ApiSchema::V1,
        prov,
        ..Endpoint::default()
    };
    e.ips.extend(text(r, "IPAddress"));
    e.ips.extend(text(r, "IPv6Address"));
    e.namespace_id = r
        .non_empty("Namespace")
        .and_then(psformat::parse_nested)
        .and_then(|p| nget(&p, "ID").map(norm_guid));
    if r.non_empty("Resources")
        .is_some_and(|v| v.contains("System.Object[]"))
    {
        notes.partial("Resources (allocators: endpoint VFP port, compartment)");
    }
    e
}

fn namespace(r: &ListRecord, prov: Prov, notes: &mut Notes) -> Namespace {
    let mut n = Namespace {
        id: guid(r, "ID").unwrap_or_default(),
        compartment_id: num(r, "NamespaceId").or_else(|| num(r, "CompartmentId")),
        ns_type: text(r, "Type"),
        is_default: r.non_empty("IsDefault").and_then(psformat::ps_bool),
        prov,
        ..Namespace::default()
    };
    for k in ["ResourceList", "Resources"] {
        for res in nested_items(r, k, "ResourceList", notes) {
            let t = nget(&res, "Type").unwrap_or_default().to_ascii_lowercase();
            let id = nget(&res, "Data")
                .and_then(psformat::parse_nested)
                .and_then(|d| nget(&d, "ID").or_else(|| nget(&d, "Id")).map(norm_guid))
                .or_else(|| nget(&res, "ID").map(norm_guid));
            match (t.as_str(), id) {
                ("endpoint", Some(id)) => n.endpoint_ids.push(id),
                ("container", Some(id)) => n.container_ids.push(id),
                (_, None) if res.iter().any(|(_, v)| v.contains("@{")) => {}
                _ => {}
            }
        }
    }
    n
}

fn policy_list(r: &ListRecord, prov: Prov, notes: &mut Notes) -> Option<LoadBalancer> {
    let mut lb = LoadBalancer {
        id: guid(r, "ID").unwrap_or_default(),
        state: num(r, "State"),
        schema: ApiSchema::V1,
        prov,
        ..LoadBalancer::default()
    };
    lb.endpoint_ids = items(r, "References", "References", notes)
        .iter()
        .map(|x| norm_guid(x.rsplit('/').next().unwrap_or(x)))
        .collect();
    let elbs: Vec<Vec<(String, String)>> = nested_items(r, "Policies", "Policies", notes)
        .into_iter()
        .filter(|p| nget(p, "Type").is_some_and(|t| t.eq_ignore_ascii_case("ELB")))
        .collect();
    if elbs.is_empty() {
        return None;
    }
    for p in &elbs {
        match nget(p, "VIPs") {
            Some(v) if v.contains("System.Object[]") => notes.partial("VIPs"),
            Some(v) => {
                for x in psformat::values(v).items {
                    if !lb.vips.contains(&x) {
                        lb.vips.push(x);
                    }
                }
            }
            None => {}
        }
        if lb.source_vip.is_none() {
            lb.source_vip = nget(p, "SourceVIP").map(str::to_string);
        }
        let ilb = nget(p, "ILB").and_then(psformat::ps_bool);
        let dsr = nget(p, "IsDSR").and_then(psformat::ps_bool);
        if let Some(d) = dsr {
            lb.dsr = Some(lb.dsr.unwrap_or(false) || d);
        }
        if let Some(i) = ilb {
            lb.ilb = Some(lb.ilb.unwrap_or(false) || i);
        }
        let local = nget(p, "LocalRoutedVip").and_then(psformat::ps_bool);
        let n = |k: &str| nget(p, k).and_then(|v| v.parse::<u64>().ok());
        lb.port_mappings.push(PortMapping {
            protocol: n("Protocol")
                .and_then(|x| u32::try_from(x).ok())
                .unwrap_or(0),
            internal_port: n("InternalPort")
                .and_then(|x| u16::try_from(x).ok())
                .unwrap_or(0),
            external_port: n("ExternalPort")
                .and_then(|x| u16::try_from(x).ok())
                .unwrap_or(0),
            flags: u64::from(ilb == Some(true)) | (u64::from(local == Some(true)) << 1),
            distribution: 0,
        });
    }
    Some(lb)
}

/// Table rows (collectlogs `Select` tables) → objects of `kind`, schema `Table`.
fn from_table(
    input: &Input<'_>,
    t: &Table,
    kind: Kind,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> usize {
    let mut n = 0;
    let cell = |row: &psformat::TableRow, k: &str| {
        t.cell(row, k)
            .map(|c| c.text.clone())
            .filter(|x| !x.is_empty())
    };
    let has_state = t.col("State").is_some() || t.col("IsRemoteEndpoint").is_some();
    for row in &t.rows {
        let Some(id) = cell(row, "Id").or_else(|| cell(row, "ID")) else {
            skip_line(summary, row.line, "table row without an ID");
            continue;
        };
        if t.cell(row, "Id").is_some_and(|c| c.truncated) {
            summary.warnings.push(format!(
                "{}:{}: ID cut by the table width",
                input.source, row.line
            ));
        }
        let prov = input.prov(row.line, &row.raw);
        match kind {
            Kind::Network => {
                let subnets = cell(row, "AddressPrefix")
                    .map(|v| psformat::values(&v).items)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| Subnet {
                        prefix: p,
                        gateway: None,
                    })
                    .collect();
                model.hns.networks.push(Network {
                    id: norm_guid(&id),
                    name: cell(row, "Name").unwrap_or_default(),
                    net_type: cell(row, "Type").unwrap_or_default(),
                    subnets,
                    schema: ApiSchema::Table,
                    prov,
                    ..Network::default()
                });
            }
            Kind::Endpoint => {
                model.hns.endpoints.push(Endpoint {
                    id: norm_guid(&id),
                    name: cell(row, "Name"),
                    ips: cell(row, "IPAddress").into_iter().collect(),
                    mac: cell(row, "MacAddress"),
                    network_name: cell(row, "VirtualNetworkName"),
                    is_remote: cell(row, "IsRemoteEndpoint").and_then(|v| psformat::ps_bool(&v)),
                    state: cell(row, "State").and_then(|v| v.parse().ok()),
                    schema: ApiSchema::Table,
                    prov,
                    ..Endpoint::default()
                });
            }
            _ => {
                skip_line(summary, row.line, "table of this kind is not read");
                continue;
            }
        }
        n += 1;
    }
    if n > 0 && kind == Kind::Endpoint && has_state {
        mark(model, summary, Fact::HnsEndpointState);
    }
    n
}

/// Parse Format-List (or a `Select` table) of HNS objects; `kind` from the file name, each
/// list record's own fields win.
///
/// # Errors
/// `Skip` for empty input, collector error text, or when JSON is present (read by
/// [`crate::hns_json`]); `Broken` at the first line when there is neither a record nor a table.
pub fn parse_as(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
    kind: Kind,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    if has_json(input.text) {
        return Err(ParseError::skip(
            "JSON present: read by the HNS JSON parser",
        ));
    }
    let raw: Vec<&str> = input.text.lines().collect();
    let raw_line = |n: u32| -> &str {
        n.checked_sub(input.first_line)
            .and_then(|i| raw.get(usize::try_from(i).ok()?))
            .copied()
            .unwrap_or("")
    };
    let tables = psformat::parse_tables(input.lines());
    let has_table = tables
        .iter()
        .any(|t| t.col("Id").is_some() && !t.rows.is_empty());
    let doc = psformat::parse_list(input.lines());
    let mut notes = Notes::default();
    let mut count = 0usize;
    let mut state_fields = false;
    let mut any_record = false;
    for r in &doc.records {
        if r.field("ID").is_none() {
            // table lines read as list noise, or a foreign record
            if !has_table {
                skip_line(summary, r.line, "record without an ID");
            }
            continue;
        }
        any_record = true;
        let k = kind_of(r).unwrap_or(kind);
        let id_line = r.field("ID").map_or(r.line, |f| f.line);
        let prov = Prov::quoted(input.source, r.line, raw_line(id_line));
        match k {
            Kind::Network => model.hns.networks.push(network(r, prov, &mut notes)),
            Kind::Endpoint => {
                state_fields |= r.field("State").is_some() || r.field("IsRemoteEndpoint").is_some();
                model.hns.endpoints.push(endpoint(r, prov, &mut notes));
            }
            Kind::Namespace => model.hns.namespaces.push(namespace(r, prov, &mut notes)),
            Kind::LoadBalancer => match policy_list(r, prov, &mut notes) {
                Some(lb) => model.hns.load_balancers.push(lb),
                None => {
                    skip_line(summary, r.line, "policy list without an ELB policy");
                    continue;
                }
            },
            Kind::PortPool | Kind::Version => {
                skip_line(summary, r.line, "not a list-rendered HNS kind");
                continue;
            }
        }
        mark(model, summary, k.fact());
        count += 1;
    }
    if !any_record {
        let mut from_tables = 0;
        for t in tables.iter().filter(|t| t.col("Id").is_some()) {
            from_tables += from_table(input, t, kind, model, summary);
        }
        if from_tables == 0 && !has_table {
            let (line, found) = input
                .lines()
                .find(|(_, l)| !l.trim().is_empty())
                .unwrap_or((input.first_line, ""));
            return Err(ParseError::broken(
                input,
                line,
                "Format-List records with an ID, or a table with an Id column",
                found,
            ));
        }
        count += from_tables;
    } else if !has_table {
        for (line, _) in &doc.stray {
            skip_line(summary, *line, "not a property line");
        }
    }
    mark(model, summary, kind.fact());
    if state_fields {
        mark(model, summary, Fact::HnsEndpointState);
    }
    for (what, n) in notes.partial {
        summary.warnings.push(format!(
            "{}: {what} shown only in part by the formatter ($FormatEnumerationLimit / nested System.Object[]) in {n} object(s); collect JSON for the full data",
            input.source
        ));
    }
    summary.objects += count;
    Ok(())
}

/// Networks (`Get-HnsNetwork` list, collectlogs `network.txt` table).
///
/// # Errors
/// As [`parse_as`].
pub fn parse_networks(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    parse_as(input, model, summary, Kind::Network)
}

/// Endpoints (`Get-HnsEndpoint` list).
///
/// # Errors
/// As [`parse_as`].
pub fn parse_endpoints(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    parse_as(input, model, summary, Kind::Endpoint)
}

/// Policy lists (`Get-HnsPolicyList` list).
///
/// # Errors
/// As [`parse_as`].
pub fn parse_policy_lists(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    parse_as(input, model, summary, Kind::LoadBalancer)
}

/// Namespaces (`Get-HnsNamespace` list).
///
/// # Errors
/// As [`parse_as`].
pub fn parse_namespaces(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    parse_as(input, model, summary, Kind::Namespace)
}

/// Count Format-List property lines starting with one of `names` in the first lines.
fn list_markers(text: &str, names: &[&str]) -> usize {
    text.lines()
        .take(600)
        .filter_map(psformat::split_list_line)
        .filter(|(n, _)| names.iter().any(|x| n.eq_ignore_ascii_case(x)))
        .count()
}

/// Column names of `Format-Table` headers (a line followed by a dash line) that are `names`,
/// and whether the header has an `Id` column.
fn table_markers(text: &str, names: &[&str]) -> (usize, bool) {
    let lines: Vec<&str> = text.lines().take(600).collect();
    let mut hits = 0;
    let mut id = false;
    for w in lines.windows(2) {
        if let [header, dashes] = w {
            if psformat::is_dash_line(dashes) && !psformat::is_dash_line(header) {
                for col in header.split_whitespace() {
                    id |= col.eq_ignore_ascii_case("ID");
                    hits += usize::from(names.iter().any(|n| col.eq_ignore_ascii_case(n)));
                }
            }
        }
    }
    (hits, id)
}

fn detect_list(text: &str, names: &[&str]) -> u8 {
    if has_json(text) {
        return 0;
    }
    if list_markers(text, &["ID"]) == 0 {
        // `Get-HnsEndpoint | Format-Table Id, Name, IPAddress, IsRemoteEndpoint`
        return match table_markers(text, names) {
            (0, _) | (_, false) => 0,
            _ => 70,
        };
    }
    match list_markers(text, names) {
        0 => 0,
        1 => 60,
        _ => 80,
    }
}

/// Detector: `Get-HnsNetwork` list.
#[must_use]
pub fn detect_networks(text: &str) -> u8 {
    detect_list(
        text,
        &["ManagementIP", "NetworkAdapterName", "MacPools", "Subnets"],
    )
}

/// Detector: `Get-HnsEndpoint` list.
#[must_use]
pub fn detect_endpoints(text: &str) -> u8 {
    detect_list(
        text,
        &["IsRemoteEndpoint", "VirtualNetworkName", "VirtualNetwork"],
    )
}

/// Detector: `Get-HnsPolicyList` list.
#[must_use]
pub fn detect_policy_lists(text: &str) -> u8 {
    if list_markers(text, &["References"]) > 0 && text.contains("Type=ELB") {
        detect_list(text, &["References"])
    } else {
        0
    }
}

/// Detector: `Get-HnsNamespace` list.
#[must_use]
pub fn detect_namespaces(text: &str) -> u8 {
    detect_list(text, &["NamespaceId", "ResourceList", "IsDefault"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psformat::decode_fixture;

    use crate::testutil::run;

    #[test]
    fn endpoints_list_wrapped_and_truncated_policies() {
        let text = decode_fixture(include_bytes!("../fixtures/hns_list/get-hnsendpoint.txt"));
        let (m, s, r) = run(parse_endpoints, "endpoint.txt", &text);
        assert_eq!(r, Ok(()), "{s:#?}");
        assert_eq!(s.objects, 2);
        assert!(m.has(Fact::HnsEndpoints) && m.has(Fact::HnsEndpointState));
        let e = &m.hns.endpoints[0];
        assert_eq!(e.schema, ApiSchema::V1);
        assert_eq!(e.id, "028ABAED-7FF6-4FDC-992C-D3B004936BE0");
        assert_eq!(e.state, Some(3));
        assert_eq!(e.is_remote, Some(false));
        assert_eq!(e.ips, ["10.244.3.17"]);
        assert_eq!(e.prefix_length, Some(24));
        assert_eq!(e.encap_overhead, Some(50));
        assert_eq!(
            e.namespace_id.as_deref(),
            Some("4EA04396-A6E5-478F-915E-909B8C80B2EF")
        );
        // the wrapped Policies value is rejoined; four shown, the rest cut
        assert_eq!(e.policies.len(), 4);
        assert_eq!(e.policies[1].kind, "ROUTE");
        assert_eq!(e.policies[1].settings["DestinationPrefix"], "10.96.0.0/12");
        assert_eq!(e.policies[3].kind, "L2Driver");
        assert_eq!(e.prov.line, 3);
        assert!(e
            .prov
            .text
            .as_deref()
            .unwrap()
            .ends_with(": 028abaed-7ff6-4fdc-992c-d3b004936be0"));
        assert!(
            s.warnings
                .iter()
                .any(|w| w.starts_with("endpoint.txt: Policies shown only in part")),
            "{:?}",
            s.warnings
        );
        assert!(s
            .warnings
            .iter()
            .any(|w| w.contains("Resources (allocators")));
        let r2 = &m.hns.endpoints[1];
        // empty IsRemoteEndpoint value = not shown
        assert_eq!(r2.is_remote, None);
        assert_eq!(r2.state, Some(4));
        assert_eq!(r2.network_name.as_deref(), Some("cbr0"));
    }

    #[test]
    fn networks_list() {
        let text = decode_fixture(include_bytes!(
            "../fixtures/psformat/get-hnsnetwork-list.txt"
        ));
        assert_eq!(detect_networks(&text), 80);
        let (m, s, r) = run(parse_networks, "hns/networks.txt", &text);
        assert_eq!(r, Ok(()), "{s:#?}");
        let n = &m.hns.networks[0];
        assert_eq!(n.name, "cbr0");
        assert_eq!(n.net_type, "L2Bridge");
        assert_eq!(n.management_ip.as_deref(), Some("10.240.0.35"));
        assert_eq!(n.subnets[0].prefix, "10.244.3.0/24");
        assert_eq!(n.subnets[0].gateway.as_deref(), Some("10.244.3.1"));
        assert_eq!(n.extensions.len(), 3);
        assert!(n.extensions[1].enabled);
        assert_eq!(n.extensions[1].id, "E9B59CFA-2BE1-4B21-828F-B6FBDBDDC017");
        assert_eq!(n.object_version, Some(38_654_705_666));
        assert_eq!(m.hns.networks[1].subnets[0].prefix, "172.30.64.0/20");
    }

    #[test]
    fn policy_lists_list() {
        let text = decode_fixture(include_bytes!("../fixtures/hns_list/get-hnspolicylist.txt"));
        assert_eq!(detect_policy_lists(&text), 80);
        let (m, s, r) = run(parse_policy_lists, "policy.txt", &text);
        assert_eq!(r, Ok(()), "{s:#?}");
        assert_eq!(m.hns.load_balancers.len(), 1);
        assert_eq!(s.skipped_count, 1);
        let lb = &m.hns.load_balancers[0];
        assert_eq!(lb.state, Some(2));
        assert_eq!(lb.dsr, Some(false));
        assert_eq!(lb.endpoint_ids.len(), 2);
        assert_eq!(lb.endpoint_ids[1], "E1F2A3B4-C5D6-4E7F-8A9B-0C1D2E3F4A5B");
        assert_eq!(lb.port_mappings[0].external_port, 80);
        assert!(lb.vips.is_empty());
        assert!(s
            .warnings
            .iter()
            .any(|w| w.contains("VIPs shown only in part")));
    }

    #[test]
    fn namespaces_list() {
        let text = "\nCompartmentId : 7\nID            : 4ea04396-a6e5-478f-915e-909b8c80b2ef\nIsDefault     : False\nResourceList  : {@{Data=@{Id=0b4c9e52-6f1d-4a8e-93c2-5d7e8f9a0b1c}; Type=Endpoint}}\nVersion       : 38654705666\n";
        assert_eq!(detect_namespaces(text), 80);
        let (m, _, r) = run(parse_namespaces, "namespaces.txt", text);
        assert_eq!(r, Ok(()));
        let n = &m.hns.namespaces[0];
        assert_eq!(n.compartment_id, Some(7));
        assert_eq!(n.is_default, Some(false));
        assert_eq!(n.endpoint_ids, ["0B4C9E52-6F1D-4A8E-93C2-5D7E8F9A0B1C"]);
    }

    #[test]
    fn collectlogs_network_table_without_json() {
        let text = decode_fixture(include_bytes!(
            "../fixtures/hns_list/network-table-only.txt"
        ));
        let (m, s, r) = run(parse_networks, "network.txt", &text);
        assert_eq!(r, Ok(()), "{s:#?}");
        assert_eq!(m.hns.networks.len(), 2);
        let n = &m.hns.networks[0];
        assert_eq!(n.schema, ApiSchema::Table);
        assert_eq!(n.id, "5B3A2C1D-0E9F-4A8B-9C7D-6E5F4A3B2C1D");
        assert_eq!(n.net_type, "Overlay");
        assert_eq!(n.subnets[0].prefix, "10.244.7.0/24");
        assert_eq!(n.prov.line, 4);
        assert_eq!(m.hns.networks[1].net_type, "");
        assert!(m.has(Fact::HnsNetworks));
    }

    #[test]
    fn json_present_is_left_to_json_parser() {
        let text = decode_fixture(include_bytes!(
            "../fixtures/hns_json/network-table-then-json.txt"
        ));
        let (m, _, r) = run(parse_networks, "network.txt", &text);
        assert!(matches!(r, Err(ParseError::Skip { ref reason }) if reason.contains("JSON")));
        assert!(m.hns.networks.is_empty());
        assert_eq!(detect_networks(&text), 0);
    }

    #[test]
    fn skip_and_broken() {
        let (_, _, r) = run(parse_endpoints, "endpoint.txt", "");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run(
            parse_endpoints,
            "endpoint.txt",
            "Get-HnsEndpoint : The term 'Get-HnsEndpoint' is not recognized as the name of a cmdlet",
        );
        assert!(
            matches!(r, Err(ParseError::Skip { ref reason }) if reason.contains("collector error"))
        );
        let (_, _, r) = run(
            parse_endpoints,
            "endpoint.txt",
            "\n\nwhat is this\nno idea\n",
        );
        match r {
            Err(ParseError::Broken { line, found, .. }) => {
                assert_eq!(line, 3);
                assert_eq!(found, "what is this");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn detectors_are_distinct() {
        let ep = decode_fixture(include_bytes!("../fixtures/hns_list/get-hnsendpoint.txt"));
        assert_eq!(detect_endpoints(&ep), 80);
        assert_eq!(detect_networks(&ep), 0);
        assert_eq!(detect_policy_lists(&ep), 0);
        assert_eq!(detect_endpoints("Name : x\n"), 0);
    }

    #[test]
    fn endpoint_format_table_is_detected_and_read() {
        let text = "ID                                   Name     IPAddress     IsRemoteEndpoint\n\
                    --                                   ----     ---------     ----------------\n\
                    3f0c8a1e-5b2d-4c6e-9a7f-1e2d3c4b5a69 Ethernet 10.20.1.14                True\n\
                    7a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d Ethernet 10.20.2.9                 True\n";
        assert_eq!(detect_endpoints(text), 70);
        assert_eq!(detect_networks(text), 0);
        let (m, s, r) = run(parse_endpoints, "paste", text);
        assert_eq!(r, Ok(()), "{s:#?}");
        assert_eq!(m.hns.endpoints.len(), 2);
        assert_eq!(m.hns.endpoints[1].ips, ["10.20.2.9"]);
        assert_eq!(m.hns.endpoints[0].is_remote, Some(true));
        // a table without an ID column is not an HNS endpoint table
        assert_eq!(
            detect_endpoints("Name  IsRemoteEndpoint\n----  ----------------\nx     True\n"),
            0
        );
    }
}
