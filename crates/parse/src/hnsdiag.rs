//! `hnsdiag list all|networks|endpoints|namespaces|loadbalancers` text, in both layouts.
//!
//! * **Produced by**: `hnsdiag.exe list …` (Windows Server 2019 and later with the Containers
//!   feature). `hnsdiag list all -d` prints detailed JSON instead: this parser steps aside
//!   (`Skip`) and the `hnsdiag-detailed-json` format ([`crate::hns_json::parse_any`]) reads it.
//! * **Bundle paths**: `hns/hnsdiag.txt`, `hns/hnsdiag-list.txt`. **Legacy CollectLogs name**:
//!   `hnsdiag.txt` (collectlogs runs `-d`, so usually JSON).
//! * **Encodings**: OEM console output re-encoded by PowerShell (UTF-16LE with BOM when redirected
//!   with `>` in 5.1), ASCII when run from `cmd`. Labels are English.
//! * **Old layout** (WS2019 era): sections `Networks:`, `Endpoints:`, `Namespaces:`,
//!   `LoadBalancers:` each with a header line and rows; networks/endpoints are `Name ID [Virtual
//!   Network Name]` in fixed columns (the name can be cut), namespaces and load balancers are
//!   `|`-separated (`ID | Endpoint IDs`, `ID | Virtual IPs | Direct IP IDs`, lists space-separated).
//! * **Newer layout**: one block per object, `Endpoint         : <guid>` followed by indented
//!   `Name : …`, `IP Address : …` lines.
//! * Objects get schema `Table` and only the fields the layout shows. An empty section still
//!   marks its fact ("HNS has no namespaces"). Rows without a GUID are counted as skipped.
//!   Empty input and collector errors are `Skip`; text with neither sections nor blocks is
//!   `Broken` at its first line.
//!
//! ```
//! use hnsdoctor_parse::{hnsdiag, HostModel, Input, InputSummary};
//! let text = "Networks:\nName             ID\nvxlan0           705B6B4D-E2F2-421A-B31B-E3C5E8831944\n\n\
//! LoadBalancers:\nID                                   | Virtual IPs      | Direct IP IDs\n\
//! 326f84d7-35ec-4355-a60a-e82e2b05ec24 |  10.96.0.1       | ba06178e-11e9-4ba3-931d-7c2989b51dd7\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! hnsdiag::parse(&Input::new("hnsdiag.txt", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.hns.networks[0].name, "vxlan0");
//! assert_eq!(m.hns.load_balancers[0].vips, ["10.96.0.1"]);
//! ```

use crate::hns_json::{check_skip, mark, skip_line, Kind};
use crate::{HostModel, Input, InputSummary, ParseError, Prov};
use hnsdoctor_model::{norm_guid, ApiSchema, Endpoint, LoadBalancer, Namespace, Network};

/// Whether `s` is a GUID (optionally in braces).
#[must_use]
pub fn is_guid(s: &str) -> bool {
    let t = s.trim().trim_start_matches('{').trim_end_matches('}');
    t.len() == 36
        && t.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn guids(s: &str) -> Vec<String> {
    s.split_whitespace()
        .filter(|t| is_guid(t))
        .map(norm_guid)
        .collect()
}

fn section(line: &str) -> Option<Kind> {
    let t = line.trim();
    t.strip_suffix(':').and_then(Kind::from_word)
}

/// `Endpoint         : <guid>` → (kind, guid).
fn block_start(line: &str) -> Option<(Kind, String)> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let (k, v) = line.split_once(':')?;
    let kind = Kind::from_word(k.trim())?;
    let v = v.trim();
    is_guid(v).then(|| (kind, norm_guid(v)))
}

fn has_json(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with('{') || t.starts_with('[')
    })
}

/// An object being filled from a newer-layout block.
enum Obj {
    Net(Network),
    Ep(Endpoint),
    Ns(Namespace),
    Lb(LoadBalancer),
}

impl Obj {
    fn new(kind: Kind, id: String, prov: Prov) -> Option<Obj> {
        Some(match kind {
            Kind::Network => Obj::Net(Network {
                id,
                schema: ApiSchema::Table,
                prov,
                ..Network::default()
            }),
            Kind::Endpoint => Obj::Ep(Endpoint {
                id,
                schema: ApiSchema::Table,
                prov,
                ..Endpoint::default()
            }),
            Kind::Namespace => Obj::Ns(Namespace {
                id,
                prov,
                ..Namespace::default()
            }),
            Kind::LoadBalancer => Obj::Lb(LoadBalancer {
                id,
                schema: ApiSchema::Table,
                prov,
                ..LoadBalancer::default()
            }),
            Kind::PortPool | Kind::Version => return None,
        })
    }

    /// Apply an indented `Key : value` line; false when the key is not used.
    fn set(&mut self, key: &str, v: &str) -> bool {
        let k = key.trim().to_ascii_lowercase().replace(' ', "");
        let v = v.trim();
        let opt = || (!v.is_empty()).then(|| v.to_string());
        match (self, k.as_str()) {
            (Obj::Net(n), "name") => n.name = v.to_string(),
            (Obj::Net(n), "type") => n.net_type = v.to_string(),
            (Obj::Net(n), "managementip") => n.management_ip = opt(),
            (Obj::Net(n), "subnet" | "subnets" | "addressprefix") => {
                n.subnets
                    .extend(v.split([',', ' ']).filter(|x| x.contains('/')).map(|p| {
                        hnsdoctor_model::Subnet {
                            prefix: p.to_string(),
                            gateway: None,
                        }
                    }));
            }
            (Obj::Ep(e), "name") => e.name = opt(),
            (Obj::Ep(e), "ipaddress" | "ip" | "ipaddresses") => {
                e.ips.extend(
                    v.split([',', ' '])
                        .filter(|x| !x.is_empty())
                        .map(str::to_string),
                );
            }
            (Obj::Ep(e), "macaddress" | "mac") => e.mac = opt(),
            (Obj::Ep(e), "virtualnetwork" | "network" | "networkid") if is_guid(v) => {
                e.network_id = Some(norm_guid(v));
            }
            (Obj::Ep(e), "virtualnetwork" | "virtualnetworkname" | "networkname" | "network") => {
                e.network_name = opt();
            }
            (Obj::Ep(e), "namespace" | "namespaceid") if is_guid(v) => {
                e.namespace_id = Some(norm_guid(v));
            }
            (Obj::Ep(e), "state") => e.state = v.parse().ok(),
            (Obj::Ep(e), "isremoteendpoint" | "remote") => {
                e.is_remote = crate::psformat::ps_bool(v);
            }
            (Obj::Ns(n), "compartmentid" | "namespaceid" | "compartment") => {
                n.compartment_id = v.parse().ok();
            }
            (Obj::Ns(n), "type") => n.ns_type = opt(),
            (Obj::Ns(n), "endpoints" | "endpointids") => n.endpoint_ids.extend(guids(v)),
            (Obj::Lb(l), "virtualips" | "vips" | "frontendvips") => {
                l.vips.extend(
                    v.split([',', ' '])
                        .filter(|x| !x.is_empty())
                        .map(str::to_string),
                );
            }
            (Obj::Lb(l), "sourcevip") => l.source_vip = opt(),
            (Obj::Lb(l), "directipids" | "endpoints" | "endpointids" | "hostcomputeendpoints") => {
                l.endpoint_ids.extend(guids(v));
            }
            _ => return false,
        }
        true
    }

    fn push(self, model: &mut HostModel) {
        match self {
            Obj::Net(n) => model.hns.networks.push(n),
            Obj::Ep(e) => model.hns.endpoints.push(e),
            Obj::Ns(n) => model.hns.namespaces.push(n),
            Obj::Lb(l) => model.hns.load_balancers.push(l),
        }
    }
}

/// Parse one old-layout row of a section.
fn row(kind: Kind, line: &str, prov: Prov) -> Option<Obj> {
    if line.contains('|') {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        let id = cols.first().filter(|c| is_guid(c)).map(|c| norm_guid(c))?;
        let mut o = Obj::new(kind, id, prov)?;
        match &mut o {
            Obj::Ns(n) => n.endpoint_ids = guids(cols.get(1).copied().unwrap_or("")),
            Obj::Lb(l) => {
                l.vips = cols
                    .get(1)
                    .map(|v| v.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default();
                l.endpoint_ids = guids(cols.get(2).copied().unwrap_or(""));
            }
            _ => {}
        }
        return Some(o);
    }
    // `Name  ID  [rest]`: the first GUID token is the ID, text before it the (maybe cut) name.
    let mut off = 0usize;
    let mut found: Option<(usize, &str)> = None;
    for tok in line.split_whitespace() {
        let at = line.get(off..).and_then(|r| r.find(tok)).map(|p| p + off)?;
        off = at + tok.len();
        if is_guid(tok) {
            found = Some((at, tok));
            break;
        }
    }
    let (at, id) = found?;
    let name = line.get(..at).unwrap_or("").trim().to_string();
    let rest = line.get(off..).unwrap_or("").trim().to_string();
    let mut o = Obj::new(kind, norm_guid(id), prov)?;
    match &mut o {
        Obj::Net(n) => n.name = name,
        Obj::Ep(e) => {
            e.name = (!name.is_empty()).then_some(name);
            e.network_name = (!rest.is_empty()).then_some(rest);
        }
        _ => {}
    }
    Some(o)
}

/// Parse `hnsdiag list …` text.
///
/// # Errors
/// `Skip` for empty input, collector errors or detailed JSON (`-d`); `Broken` when neither
/// layout is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    if has_json(input.text) {
        return Err(ParseError::skip(
            "detailed JSON (hnsdiag -d): read by hnsdiag-detailed-json",
        ));
    }
    let mut kinds: Vec<Kind> = Vec::new();
    let mut cur_section: Option<Kind> = None;
    let mut header_seen = false;
    let mut block: Option<Obj> = None;
    let mut count = 0usize;
    for (n, line) in input.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(k) = section(line) {
            if let Some(b) = block.take() {
                b.push(model);
            }
            cur_section = Some(k);
            header_seen = false;
            if !kinds.contains(&k) {
                kinds.push(k);
            }
            continue;
        }
        if let Some((k, id)) = block_start(line) {
            if let Some(b) = block.take() {
                b.push(model);
            }
            cur_section = None;
            block = Obj::new(k, id, input.prov(n, line));
            if block.is_some() {
                count += 1;
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            continue;
        }
        if let Some(b) = block.as_mut() {
            if line.starts_with(char::is_whitespace) {
                if let Some((k, v)) = line.split_once(" :").or_else(|| line.split_once(':')) {
                    if !b.set(k, v) {
                        skip_line(summary, n, format!("field not used: {}", k.trim()));
                    }
                    continue;
                }
            }
            skip_line(summary, n, "line outside an object block");
            continue;
        }
        if let Some(k) = cur_section {
            if !header_seen && line.contains("ID") && guids(line).is_empty() {
                header_seen = true;
                continue;
            }
            match row(k, line, input.prov(n, line)) {
                Some(o) => {
                    o.push(model);
                    count += 1;
                }
                None => skip_line(summary, n, "row without a GUID"),
            }
            continue;
        }
        skip_line(summary, n, "text outside any hnsdiag section");
    }
    if let Some(b) = block.take() {
        b.push(model);
    }
    if kinds.is_empty() {
        let (line, found) = input
            .lines()
            .find(|(_, l)| !l.trim().is_empty())
            .unwrap_or((input.first_line, ""));
        return Err(ParseError::broken(
            input,
            line,
            "hnsdiag sections (Networks:, Endpoints:, …) or object blocks",
            found,
        ));
    }
    for k in kinds {
        mark(model, summary, k.fact());
    }
    summary.objects += count;
    Ok(())
}

/// Detector: section headers or object blocks of `hnsdiag list`, no JSON.
#[must_use]
pub fn detect(text: &str) -> u8 {
    if has_json(text) {
        return 0;
    }
    let mut sections = 0;
    let mut blocks = 0;
    for l in text.lines().take(400) {
        if section(l).is_some() {
            sections += 1;
        } else if block_start(l).is_some() {
            blocks += 1;
        }
    }
    if sections >= 2 || blocks >= 1 {
        85
    } else if sections == 1 && text.contains(" | ") {
        60
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psformat::decode_fixture;
    use crate::Fact;

    fn run(text: &str) -> (HostModel, InputSummary, Result<(), ParseError>) {
        crate::testutil::run(parse, "hnsdiag.txt", text)
    }

    #[test]
    fn old_layout_all_sections() {
        let text = decode_fixture(include_bytes!("../fixtures/hnsdiag/list-all-ws2019.txt"));
        assert_eq!(detect(&text), 85);
        let (m, s, r) = run(&text);
        assert_eq!(r, Ok(()), "{s:#?}");
        assert_eq!(m.hns.networks.len(), 2);
        assert_eq!(m.hns.networks[1].name, "vxlan0");
        assert_eq!(m.hns.networks[1].id, "705B6B4D-E2F2-421A-B31B-E3C5E8831944");
        assert_eq!(m.hns.networks[1].schema, ApiSchema::Table);
        assert_eq!(m.hns.endpoints.len(), 3);
        let e = &m.hns.endpoints[1];
        assert_eq!(e.id, "028ABAED-7FF6-4FDC-992C-D3B004936BE0");
        assert_eq!(e.name.as_deref(), Some("7f3e1a9c2b4d_vxl"));
        assert_eq!(e.network_name.as_deref(), Some("vxlan0"));
        assert_eq!(e.prov.line, 9);
        assert!(m.hns.namespaces.is_empty());
        assert!(m.has(Fact::HnsNamespaces), "an empty section is evidence");
        assert_eq!(m.hns.load_balancers.len(), 2);
        let lb = &m.hns.load_balancers[1];
        assert_eq!(lb.vips, ["10.96.0.10"]);
        assert_eq!(lb.endpoint_ids.len(), 2);
        assert_eq!(lb.endpoint_ids[1], "07F382AB-4C1D-4B5E-9A7F-2E3D4C5B6A70");
        assert!(!m.has(Fact::HnsEndpointState));
    }

    #[test]
    fn newer_block_layout() {
        let text = decode_fixture(include_bytes!(
            "../fixtures/hnsdiag/list-endpoints-blocks.txt"
        ));
        assert_eq!(detect(&text), 85);
        let (m, s, r) = run(&text);
        assert_eq!(r, Ok(()), "{s:#?}");
        assert_eq!(m.hns.endpoints.len(), 2);
        let e = &m.hns.endpoints[0];
        assert_eq!(e.id, "0B4C9E52-6F1D-4A8E-93C2-5D7E8F9A0B1C");
        assert_eq!(e.name.as_deref(), Some("7f3e1a9c2b4d_cbr0"));
        assert_eq!(e.ips, ["10.244.3.17"]);
        assert_eq!(
            e.network_id.as_deref(),
            Some("3F6A2B1C-8D4E-4F5A-9B6C-7D8E9F0A1B2C")
        );
        assert_eq!(e.mac.as_deref(), Some("00-15-5D-A4-20-1E"));
        assert_eq!(e.prov.line, 1);
        assert_eq!(m.hns.endpoints[1].ips, ["10.244.4.9"]);
        assert_eq!(m.hns.endpoints[1].prov.line, 7);
        assert_eq!(s.skipped_count, 1);
        assert_eq!(s.skipped[0].line, 11);
        assert!(m.has(Fact::HnsEndpoints));
    }

    #[test]
    fn skip_json_empty_error_and_broken() {
        let json = decode_fixture(include_bytes!("../fixtures/hns_json/hnsdiag-detailed.txt"));
        assert!(matches!(run(&json).2, Err(ParseError::Skip { .. })));
        assert_eq!(detect(&json), 0);
        assert!(matches!(run("").2, Err(ParseError::Skip { .. })));
        let (_, _, r) = run("'hnsdiag' is not recognized as an internal or external command,");
        assert!(
            matches!(r, Err(ParseError::Skip { ref reason }) if reason.contains("collector error"))
        );
        match run("\nrandom words\n").2 {
            Err(ParseError::Broken { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn guid_check() {
        assert!(is_guid("705B6B4D-E2F2-421A-B31B-E3C5E8831944"));
        assert!(is_guid("{705b6b4d-e2f2-421a-b31b-e3c5e8831944}"));
        assert!(!is_guid("705B6B4D-E2F2-421A-B31B-E3C5E883194"));
        assert!(!is_guid("705B6B4DXE2F2-421A-B31B-E3C5E8831944"));
    }
}
