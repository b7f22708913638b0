//! The host model's tables: OS and hotfixes, HNS networks, endpoints, load balancers, port
//! ranges, services and the inputs read. Each section says "none" when its input was read and
//! empty, and "not read (missing …)" when the input was absent. Rows the rules would call bad
//! (APIPA management IP, a local endpoint not attached, a load balancer not in state 2, a stopped
//! or missing service, a refused input) are marked `class="bad"`.

use hnsdoctor_findings::Report;
use hnsdoctor_model::{endpoint_state, protocol, Fact, HostModel, Prov, ServiceState, Transport};
use maud::{html, Markup};
use std::collections::HashMap;

/// One table row: whether it is bad, and its cells.
type Row = (bool, Vec<Markup>);

const DASH: &str = "—";

fn text(s: impl AsRef<str>) -> Markup {
    html! { (s.as_ref()) }
}

fn or_dash(v: Option<&str>) -> Markup {
    match v {
        Some(s) if !s.is_empty() => text(s),
        _ => text(DASH),
    }
}

fn prov_cell(p: &Prov) -> Markup {
    if p.source.is_empty() {
        text(DASH)
    } else {
        text(p.to_string())
    }
}

fn mono(s: &str) -> Markup {
    html! { span class="mono" { (s) } }
}

/// Items one per line (`<br>` between), or a dash when there are none.
fn lines(items: &[Markup]) -> Markup {
    if items.is_empty() {
        return text(DASH);
    }
    html! {
        @for (i, it) in items.iter().enumerate() {
            @if i > 0 { br; }
            (it)
        }
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => DASH,
    }
}

/// The protocol's name, or its number when it has none.
fn proto_name(p: u32) -> String {
    protocol::name(p).map_or_else(|| p.to_string(), str::to_string)
}

/// `<table>` with a header row.
fn table(head: &[&str], rows: &[Row]) -> Markup {
    html! {
        table {
            thead { tr { @for h in head { th { (h) } } } }
            tbody {
                "\n"
                @for (bad, cells) in rows {
                    tr class=[bad.then_some("bad")] { @for c in cells { td { (c) } } }
                    "\n"
                }
            }
        }
        "\n"
    }
}

/// Whether an empty list means "none" or "not read".
fn absent(m: &HostModel, facts: &[Fact], what: &str) -> Markup {
    let names: Vec<String> = facts.iter().map(|f| f.name()).collect();
    html! {
        @if facts.iter().any(|f| m.has(*f)) {
            p class="empty" { "No " (what) "." }
        } @else {
            p class="empty" { "Not read (missing " (names.join(", ")) ")." }
        }
        "\n"
    }
}

/// Every model section, under one "Host model" heading.
pub(super) fn tables(m: &HostModel, report: &Report) -> Markup {
    html! {
        h2 id="model" { "Host model " span class="meta" { "(" (m.facts.len()) " kinds of evidence read)" } } "\n"
        h3 id="os" { "Operating system and updates" } "\n"
        (os(m))
        h3 id="networks" { "HNS networks" } "\n"
        (networks(m))
        h3 id="endpoints" { "HNS endpoints" } "\n"
        (endpoints(m))
        h3 id="lbs" { "Load balancers" } "\n"
        (load_balancers(m))
        h3 id="ports" { "Port ranges" } "\n"
        (ports(m))
        h3 id="services" { "Services" } "\n"
        (services(m))
        h3 id="inputs" { "Inputs read" } "\n"
        (inputs(m, report))
    }
}

fn os(m: &HostModel) -> Markup {
    let Some(os) = &m.os else {
        return absent(m, &[Fact::OsBuild], "OS information");
    };
    let build = match os.ubr {
        Some(u) => format!("{}.{u}", os.build),
        None => format!("{} (UBR unknown)", os.build),
    };
    let head = table(
        &["build", "product", "version", "source"],
        &[(
            false,
            vec![
                text(build),
                or_dash(os.product_name.as_deref()),
                or_dash(os.display_version.as_deref()),
                prov_cell(&os.prov),
            ],
        )],
    );
    let hotfixes = if os.hotfixes.is_empty() {
        absent(m, &[Fact::Hotfixes], "hotfixes listed")
    } else {
        let rows: Vec<Row> = os
            .hotfixes
            .iter()
            .map(|h| {
                (
                    false,
                    vec![
                        text(&h.id),
                        or_dash(h.description.as_deref()),
                        or_dash(h.installed_on.as_deref()),
                        prov_cell(&h.prov),
                    ],
                )
            })
            .collect();
        table(&["hotfix", "description", "installed on", "source"], &rows)
    };
    html! { (head) (hotfixes) }
}

fn networks(m: &HostModel) -> Markup {
    if m.hns.networks.is_empty() {
        return absent(m, &[Fact::HnsNetworks], "HNS networks");
    }
    let rows: Vec<Row> = m
        .hns
        .networks
        .iter()
        .map(|n| {
            let subnets: Vec<Markup> = n
                .subnets
                .iter()
                .map(|s| match &s.gateway {
                    Some(g) => html! { (s.prefix) " via " (g) },
                    None => text(&s.prefix),
                })
                .collect();
            let apipa = n
                .management_ip
                .as_deref()
                .is_some_and(|ip| ip.starts_with("169.254."));
            (
                apipa,
                vec![
                    text(&n.name),
                    text(&n.net_type),
                    mono(&n.id),
                    or_dash(n.management_ip.as_deref()),
                    or_dash(n.adapter_name.as_deref()),
                    lines(&subnets),
                    prov_cell(&n.prov),
                ],
            )
        })
        .collect();
    table(
        &[
            "name",
            "type",
            "id",
            "management IP",
            "adapter",
            "subnets",
            "source",
        ],
        &rows,
    )
}

fn endpoints(m: &HostModel) -> Markup {
    let eps = &m.hns.endpoints;
    if eps.is_empty() {
        return absent(m, &[Fact::HnsEndpoints], "HNS endpoints");
    }
    let local = eps.iter().filter(|e| e.remote() == Some(false)).count();
    let remote = eps.iter().filter(|e| e.remote() == Some(true)).count();
    let rows: Vec<Row> = eps
        .iter()
        .map(|e| {
            let state = e.state.map(|s| format!("{s} {}", endpoint_state::name(s)));
            let bad = e.remote() == Some(false)
                && e.state
                    .is_some_and(|s| s != endpoint_state::ATTACHED_SHARING);
            (
                bad,
                vec![
                    text(e.ips.join(", ")),
                    or_dash(e.name.as_deref()),
                    text(match e.remote() {
                        Some(true) => "remote",
                        Some(false) => "local",
                        None => DASH,
                    }),
                    or_dash(state.as_deref()),
                    or_dash(e.network_name.as_deref().or(e.network_id.as_deref())),
                    mono(&e.id),
                    prov_cell(&e.prov),
                ],
            )
        })
        .collect();
    html! {
        p class="meta" { (local) " local, " (remote) " remote, " (eps.len()) " total" } "\n"
        (table(&["IP", "name", "kind", "state", "network", "id", "source"], &rows))
    }
}

fn load_balancers(m: &HostModel) -> Markup {
    if m.hns.load_balancers.is_empty() {
        return absent(m, &[Fact::HnsLoadBalancers], "load balancers");
    }
    // endpoints by parsed id, built once (not a scan per backend)
    let mut by_id = HashMap::with_capacity(m.hns.endpoints.len());
    for e in &m.hns.endpoints {
        if let Some(k) = hnsdoctor_model::ObjId::parse(&e.id) {
            by_id.entry(k).or_insert(e);
        }
    }
    let ep_ip = |id: &str| -> Markup {
        match hnsdoctor_model::ObjId::parse(id).and_then(|k| by_id.get(&k)) {
            Some(e) => text(e.ips.join(", ")),
            None => html! { (mono(id)) " (missing)" },
        }
    };
    let rows: Vec<Row> = m
        .hns
        .load_balancers
        .iter()
        .map(|lb| {
            let ports: Vec<String> = lb
                .port_mappings
                .iter()
                .map(|p| {
                    format!(
                        "{} {}→{}",
                        proto_name(p.protocol),
                        p.external_port,
                        p.internal_port
                    )
                })
                .collect();
            let backends: Vec<Markup> = lb.endpoint_ids.iter().map(|id| ep_ip(id)).collect();
            let bad = lb.state.is_some_and(|s| s != 2);
            (
                bad,
                vec![
                    if lb.vips.is_empty() {
                        text("(NodePort)")
                    } else {
                        text(lb.vips.join(", "))
                    },
                    text(ports.join(", ")),
                    lines(&backends),
                    text(yes_no(lb.dsr)),
                    lb.state.map_or_else(|| text(DASH), |s| text(s.to_string())),
                    mono(&lb.id),
                    prov_cell(&lb.prov),
                ],
            )
        })
        .collect();
    table(
        &["VIPs", "ports", "backends", "DSR", "state", "id", "source"],
        &rows,
    )
}

fn ports(m: &HostModel) -> Markup {
    let p = &m.ports;
    if p.dynamic.is_empty() && p.excluded.is_empty() && p.listeners.is_empty() {
        return absent(
            m,
            &[Fact::DynamicPortRangeTcp, Fact::ExcludedPortRangeTcp],
            "port ranges",
        );
    }
    let rows: Vec<Row> = [Transport::Tcp, Transport::Udp]
        .iter()
        .map(|t| {
            let d = p.dynamic_for(*t);
            let ex: Vec<_> = p.excluded.iter().filter(|e| e.protocol == *t).collect();
            let ex_ports: u32 = ex
                .iter()
                .map(|e| u32::from(e.end.saturating_sub(e.start)) + 1)
                .sum();
            let listeners = p
                .listeners
                .iter()
                .filter(|l| l.protocol == *t && l.is_listening())
                .count();
            (
                false,
                vec![
                    text(t.to_string().to_uppercase()),
                    text(d.map_or(DASH.into(), |d| format!("{}–{}", d.start, d.end()))),
                    text(d.map_or(DASH.into(), |d| d.count.to_string())),
                    text(format!("{} ({} ports)", ex.len(), ex_ports)),
                    text(listeners.to_string()),
                    d.map_or_else(|| text(DASH), |d| prov_cell(&d.prov)),
                ],
            )
        })
        .collect();
    let excluded: Vec<Row> = p
        .excluded
        .iter()
        .map(|e| {
            (
                false,
                vec![
                    text(e.protocol.to_string().to_uppercase()),
                    text(e.start.to_string()),
                    text(e.end.to_string()),
                    text(if e.administered { "yes" } else { "no" }),
                    prov_cell(&e.prov),
                ],
            )
        })
        .collect();
    html! {
        (table(
            &["protocol", "dynamic range", "size", "excluded ranges", "listeners", "source"],
            &rows,
        ))
        @if !excluded.is_empty() {
            details {
                summary class="meta" { (excluded.len()) " excluded ranges" } "\n"
                (table(&["protocol", "start", "end", "administered", "source"], &excluded))
            }
            "\n"
        }
    }
}

fn services(m: &HostModel) -> Markup {
    if m.services.is_empty() {
        return absent(m, &[Fact::Services], "services listed");
    }
    let rows: Vec<Row> = m
        .services
        .iter()
        .map(|s| {
            let state = match s.state {
                ServiceState::Running => "running",
                ServiceState::Stopped => "stopped",
                ServiceState::Pending => "pending",
                ServiceState::Missing => "missing",
                ServiceState::Unknown => "unknown",
            };
            (
                matches!(s.state, ServiceState::Stopped | ServiceState::Missing),
                vec![
                    text(&s.name),
                    or_dash(s.display_name.as_deref()),
                    text(state),
                    or_dash(s.start_type.as_deref()),
                    s.pid.map_or_else(|| text(DASH), |p| text(p.to_string())),
                    prov_cell(&s.prov),
                ],
            )
        })
        .collect();
    table(
        &[
            "name",
            "display name",
            "state",
            "start type",
            "PID",
            "source",
        ],
        &rows,
    )
}

fn inputs(m: &HostModel, report: &Report) -> Markup {
    let inputs = if report.inputs.is_empty() {
        &m.inputs
    } else {
        &report.inputs
    };
    if inputs.is_empty() {
        return html! { p class="empty" { "No inputs." } "\n" };
    }
    let rows: Vec<Row> = inputs
        .iter()
        .map(|i| {
            let facts: Vec<String> = i.facts.iter().map(|f| f.name()).collect();
            let status = match &i.refused {
                Some(r) => format!("refused: {r}"),
                None if i.skipped_count > 0 || !i.warnings.is_empty() => {
                    format!("{} skipped, {} warnings", i.skipped_count, i.warnings.len())
                }
                None => "ok".into(),
            };
            (
                i.refused.is_some(),
                vec![
                    text(&i.source),
                    text(&i.format),
                    or_dash(i.encoding.as_deref()),
                    text(i.objects.to_string()),
                    text(facts.join(", ")),
                    text(status),
                ],
            )
        })
        .collect();
    table(
        &["source", "format", "encoding", "objects", "facts", "status"],
        &rows,
    )
}
