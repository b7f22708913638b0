//! HTML renderer: one self-contained page a support engineer opens from a zip.
//!
//! Inline CSS, no external assets, no JavaScript (the severity filter is CSS-only, using
//! checkboxes and `:has()`; browsers without `:has()` simply show everything), works offline and
//! prints. The verdict is the page's heading. Findings come first, expanded (severity badge,
//! title, id, observed, why, evidence, fix steps with commands in `<pre>`, references as links —
//! `owner/repo#n` to its GitHub issue), then passed rules, the not-evaluated rules folded by the
//! input they need (the full list collapsed in `<details>`) and input notes, then the host
//! model's tables: OS and hotfixes, networks, endpoints, load balancers (VIPs, ports, backends,
//! DSR), port ranges (dynamic, excluded, listener count), services, and the inputs read.
//!
//! Every string that comes from the data goes through one escape function (`esc`), including
//! host names, evidence text, commands and URLs; links are only made for `http(s)://` references.

use crate::needs::{fold, missing_phrase};
use crate::summary::verdict;
use crate::util::{
    anchor, counts_phrase, html_escape as esc, input_notes, inputs_phrase, kb_line, plural,
    reference_url, severity_word, step_marks, subject,
};
use crate::{counts, ordered};
use hnsdoctor_findings::{Confidence, Finding, Report};
use hnsdoctor_model::{endpoint_state, protocol, Fact, HostModel, Prov, ServiceState, Transport};
use std::fmt::Write as _;

const CSS: &str = r#"
:root{--err:#c62828;--err-bg:#fdecea;--warn:#a15c00;--warn-bg:#fff4e0;--info:#1565c0;--info-bg:#e8f1fc;
--ok:#2e7d32;--ok-bg:#e8f5e9;--muted:#5f6368;--line:#dadce0;--code-bg:#f6f8fa;--fg:#202124}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif;color:var(--fg);background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
header{background:#263238;color:#fff;padding:20px 28px}
header .inner{max-width:1180px;margin:0 auto}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header .sub{color:#cfd8dc;font-size:14px}
.counts{display:flex;gap:10px;flex-wrap:wrap;margin-top:12px}
.pill{display:inline-block;border-radius:999px;padding:2px 12px;font-size:13px;font-weight:600}
.pill.error{background:var(--err);color:#fff}.pill.warning{background:#f9a825;color:#212121}
.pill.info{background:var(--info);color:#fff}.pill.ok{background:var(--ok);color:#fff}
.pill.muted{background:#546e7a;color:#fff}
h2{font-size:19px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:22px 0 8px}
nav.toc{font-size:14px;margin:14px 0 0}nav.toc a{color:#b3e5fc;margin-right:14px}
.filters{font-size:14px;color:var(--muted);margin:0 0 12px}
.filters label{margin-right:14px;cursor:pointer}
body:has(#show-error:not(:checked)) .finding.error,
body:has(#show-warning:not(:checked)) .finding.warning,
body:has(#show-info:not(:checked)) .finding.info{display:none}
.finding{background:#fff;border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:6px;padding:14px 18px;margin:0 0 14px}
.finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:#f9a825}.finding.info{border-left-color:var(--info)}
.finding h3{margin:0 0 6px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.badge{font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:4px;padding:1px 8px}
.badge.error{background:var(--err-bg);color:var(--err)}.badge.warning{background:var(--warn-bg);color:var(--warn)}
.badge.info{background:var(--info-bg);color:var(--info)}
.fid{font:13px ui-monospace,SFMono-Regular,Consolas,"Liberation Mono",monospace;color:var(--muted)}
dl.kv{display:grid;grid-template-columns:110px 1fr;gap:4px 12px;margin:8px 0}
dl.kv dt{color:var(--muted);font-weight:600}dl.kv dd{margin:0}
pre{background:var(--code-bg);border:1px solid var(--line);border-radius:4px;padding:8px 10px;margin:4px 0 8px;
overflow-x:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Consolas,"Liberation Mono",monospace;white-space:pre}
pre.evidence{white-space:pre-wrap;overflow-wrap:anywhere}
pre.cmd{background:#263238;color:#eceff1;border-color:#263238}
pre .loc{color:#1a73e8}
ol.fix{margin:4px 0 8px;padding-left:22px}ol.fix li{margin:0 0 6px}
.tag{display:inline-block;font-size:11px;font-weight:700;border-radius:3px;padding:0 6px;margin-right:6px;vertical-align:1px}
.tag.host{background:var(--warn-bg);color:var(--warn)}.tag.last{background:var(--err-bg);color:var(--err)}
.meta{color:var(--muted);font-size:13px}
.meta a{color:var(--info)}
.ok-list code,.ne code{font-size:13px}
.ne li,.notes li{margin:2px 0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13.5px;margin:4px 0 10px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eceff1;font-weight:600}
td.mono,span.mono{font-family:ui-monospace,SFMono-Regular,Consolas,"Liberation Mono",monospace;font-size:12.5px}
tr.bad td{background:var(--err-bg)}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;margin-top:36px}
@media print{.filters{display:none}header{background:#fff;color:#000}header .sub{color:#333}.finding{break-inside:avoid}}
"#;

fn or_dash(v: Option<&str>) -> String {
    match v {
        Some(s) if !s.is_empty() => esc(s),
        _ => "—".to_string(),
    }
}

fn prov_cell(p: &Prov) -> String {
    if p.source.is_empty() {
        "—".into()
    } else {
        esc(&p.to_string())
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "—",
    }
}

fn proto_name(p: u32) -> String {
    match p {
        protocol::TCP => "TCP".into(),
        protocol::UDP => "UDP".into(),
        protocol::SCTP => "SCTP".into(),
        other => other.to_string(),
    }
}

/// Render the report as one self-contained HTML page.
#[must_use]
pub fn render(report: &Report) -> String {
    let mut o = String::new();
    let title = format!("hnsdoctor — {}", subject(report));
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"hnsdoctor {}\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        esc(&report.tool_version),
        esc(&title),
        CSS
    );
    header(&mut o, report);
    o.push_str("<main>\n");
    findings(&mut o, report);
    checks(&mut o, report);
    model_tables(&mut o, &report.model, report);
    let _ = writeln!(
        o,
        "<footer>Generated by hnsdoctor {} · report schema {} · model schema {} · {}. \
         This page is self-contained: no scripts, no external resources.</footer>",
        esc(&report.tool_version),
        report.schema_version,
        report.model.schema_version,
        esc(&kb_line(report))
    );
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

fn header(o: &mut String, report: &Report) {
    let (e, w, i) = counts(report);
    o.push_str("<header><div class=\"inner\">\n");
    let _ = writeln!(o, "<h1>{}</h1>", esc(&verdict(report)));
    let _ = writeln!(
        o,
        "<div class=\"sub\">hnsdoctor report: {}</div>",
        esc(&subject(report))
    );
    let mut sub = Vec::new();
    if let Some(os) = &report.model.os {
        if let Some(p) = &os.product_name {
            sub.push(esc(p));
        }
        if let Some(d) = &os.display_version {
            sub.push(esc(d));
        }
    }
    if let Some(t) = &report.model.collected_at {
        sub.push(format!("collected {}", esc(t)));
    }
    sub.push(esc(&inputs_phrase(&report.inputs)));
    let _ = writeln!(o, "<div class=\"sub\">{}</div>", sub.join(" · "));
    o.push_str("<div class=\"counts\">");
    let _ = write!(
        o,
        "<span class=\"pill error\">{}</span><span class=\"pill warning\">{}</span>\
         <span class=\"pill info\">{} info</span><span class=\"pill ok\">{} passed</span>\
         <span class=\"pill muted\">{} not evaluated</span>",
        plural(e, "error", "errors"),
        plural(w, "warning", "warnings"),
        i,
        report.passed.len(),
        report.not_evaluated.len()
    );
    o.push_str("</div>\n");
    o.push_str(
        "<nav class=\"toc\"><a href=\"#findings\">Findings</a><a href=\"#checks\">Checks</a>\
         <a href=\"#os\">OS</a><a href=\"#networks\">Networks</a><a href=\"#endpoints\">Endpoints</a>\
         <a href=\"#lbs\">Load balancers</a><a href=\"#ports\">Ports</a>\
         <a href=\"#services\">Services</a><a href=\"#inputs\">Inputs</a></nav>\n",
    );
    o.push_str("</div></header>\n");
}

fn findings(o: &mut String, report: &Report) {
    let list = ordered(report);
    let _ = writeln!(
        o,
        "<h2 id=\"findings\">Findings <span class=\"meta\">({})</span></h2>",
        esc(&counts_phrase(report))
    );
    if list.is_empty() {
        o.push_str("<p class=\"empty\">No problems found in what was read.</p>\n");
        return;
    }
    o.push_str(
        "<div class=\"filters\">Show: \
         <label><input type=\"checkbox\" id=\"show-error\" checked> errors</label>\
         <label><input type=\"checkbox\" id=\"show-warning\" checked> warnings</label>\
         <label><input type=\"checkbox\" id=\"show-info\" checked> info</label></div>\n",
    );
    for f in list {
        finding(o, f);
    }
}

fn finding(o: &mut String, f: &Finding) {
    let sev = severity_word(f.severity);
    let _ = writeln!(
        o,
        "<section class=\"finding {sev}\" id=\"{}\" data-id=\"{}\">",
        esc(&anchor(f)),
        esc(&f.id)
    );
    let _ = writeln!(
        o,
        "<h3><span class=\"badge {sev}\">{sev}</span><span>{}</span><span class=\"fid\">{}</span></h3>",
        esc(&f.title),
        esc(&f.id)
    );
    o.push_str("<dl class=\"kv\">");
    if !f.observed.is_empty() {
        let _ = write!(o, "<dt>Observed</dt><dd>{}</dd>", esc(&f.observed));
    }
    if !f.why.is_empty() {
        let _ = write!(o, "<dt>Why</dt><dd>{}</dd>", esc(&f.why));
    }
    o.push_str("</dl>\n");
    if !f.evidence.is_empty() {
        o.push_str("<div class=\"meta\">Evidence</div><pre class=\"evidence\">");
        let (shown, more) = crate::util::shown_evidence(f);
        let pad = shown
            .iter()
            .map(|e| e.to_string().chars().count())
            .max()
            .unwrap_or(0);
        for (i, e) in shown.iter().enumerate() {
            if i > 0 {
                o.push('\n');
            }
            let loc = e.to_string();
            let fill = " ".repeat(pad.saturating_sub(loc.chars().count()));
            let _ = write!(o, "<span class=\"loc\">{}</span>{fill}", esc(&loc));
            if let Some(t) = &e.text {
                let _ = write!(o, "  {}", esc(t));
            }
        }
        if more > 0 {
            let _ = write!(o, "\n{}", esc(&crate::util::more_evidence(more)));
        }
        o.push_str("</pre>\n");
    }
    if !f.fix.is_empty() {
        o.push_str("<div class=\"meta\">Fix</div><ol class=\"fix\">\n");
        for s in &f.fix {
            o.push_str("<li>");
            for m in step_marks(s) {
                let class = if m == "last resort" { "last" } else { "host" };
                let _ = write!(o, "<span class=\"tag {class}\">{m}</span>");
            }
            o.push_str(&esc(&s.text));
            if let Some(c) = &s.command {
                let _ = write!(o, "<pre class=\"cmd\">{}</pre>", esc(c));
            }
            o.push_str("</li>\n");
        }
        o.push_str("</ol>\n");
    }
    let conf = match f.confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    };
    let mut meta = format!("Confidence: {conf}");
    for r in &f.references {
        match reference_url(r) {
            Some(u) => {
                let _ = write!(meta, " · <a href=\"{}\">{}</a>", esc(&u), esc(r));
            }
            None => {
                let _ = write!(meta, " · {}", esc(r));
            }
        }
    }
    let _ = writeln!(o, "<div class=\"meta\">{meta}</div>");
    o.push_str("</section>\n");
}

fn checks(o: &mut String, report: &Report) {
    o.push_str("<h2 id=\"checks\">Checks</h2>\n");
    let mut passed: Vec<&str> = report.passed.iter().map(String::as_str).collect();
    passed.sort_unstable();
    if passed.is_empty() {
        o.push_str("<p class=\"empty\">No rule passed.</p>\n");
    } else {
        let items: Vec<String> = passed
            .iter()
            .map(|p| format!("<code>{}</code>", esc(p)))
            .collect();
        let _ = writeln!(
            o,
            "<p class=\"ok-list\"><span class=\"pill ok\">passed {}</span> {}</p>",
            passed.len(),
            items.join(", ")
        );
    }
    if !report.not_evaluated.is_empty() {
        // Folded by what they miss; the full list stays collapsed.
        let _ = writeln!(
            o,
            "<h3>Not evaluated <span class=\"meta\">({}, for lack of input)</span></h3>\n<ul class=\"ne\">",
            report.not_evaluated.len()
        );
        for g in fold(report) {
            let _ = writeln!(o, "<li>{}</li>", esc(&g.sentence()));
        }
        o.push_str("</ul>\n<details><summary class=\"meta\">Every check not evaluated, with what it misses</summary>\n<ul class=\"ne\">\n");
        let mut ne: Vec<_> = report.not_evaluated.iter().collect();
        ne.sort_by(|a, b| a.id.cmp(&b.id));
        for n in ne {
            let _ = writeln!(
                o,
                "<li><code>{}</code> {} — <i>{}</i></li>",
                esc(&n.id),
                esc(&n.title),
                esc(&missing_phrase(n))
            );
        }
        o.push_str("</ul>\n</details>\n");
    }
    let notes = input_notes(&report.inputs);
    if !notes.is_empty() {
        o.push_str("<h3>What was missing / skipped in the input</h3>\n<ul class=\"notes\">\n");
        for n in notes {
            let _ = writeln!(
                o,
                "<li><b>{}</b> <code>{}</code>: {}</li>",
                esc(n.kind),
                esc(n.source),
                esc(&n.text)
            );
        }
        o.push_str("</ul>\n");
    }
}

/// `<table>` with a header row; `rows` are already-escaped cells.
fn table(o: &mut String, head: &[&str], rows: &[(bool, Vec<String>)]) {
    o.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr></thead><tbody>\n");
    for (bad, cells) in rows {
        o.push_str(if *bad { "<tr class=\"bad\">" } else { "<tr>" });
        for c in cells {
            let _ = write!(o, "<td>{c}</td>");
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n");
}

/// Whether an empty list means "none" or "not read".
fn absent(o: &mut String, m: &HostModel, facts: &[Fact], what: &str) {
    if facts.iter().any(|f| m.has(*f)) {
        let _ = writeln!(o, "<p class=\"empty\">No {what}.</p>");
    } else {
        let names: Vec<String> = facts.iter().map(|f| f.name()).collect();
        let _ = writeln!(
            o,
            "<p class=\"empty\">Not read (missing {}).</p>",
            esc(&names.join(", "))
        );
    }
}

fn model_tables(o: &mut String, m: &HostModel, report: &Report) {
    let _ = writeln!(
        o,
        "<h2 id=\"model\">Host model <span class=\"meta\">({} kinds of evidence read)</span></h2>",
        m.facts.len()
    );

    // OS
    o.push_str("<h3 id=\"os\">Operating system and updates</h3>\n");
    match &m.os {
        Some(os) => {
            let build = match os.ubr {
                Some(u) => format!("{}.{u}", os.build),
                None => format!("{} (UBR unknown)", os.build),
            };
            table(
                o,
                &["build", "product", "version", "source"],
                &[(
                    false,
                    vec![
                        esc(&build),
                        or_dash(os.product_name.as_deref()),
                        or_dash(os.display_version.as_deref()),
                        prov_cell(&os.prov),
                    ],
                )],
            );
            if os.hotfixes.is_empty() {
                absent(o, m, &[Fact::Hotfixes], "hotfixes listed");
            } else {
                let rows: Vec<_> = os
                    .hotfixes
                    .iter()
                    .map(|h| {
                        (
                            false,
                            vec![
                                esc(&h.id),
                                or_dash(h.description.as_deref()),
                                or_dash(h.installed_on.as_deref()),
                                prov_cell(&h.prov),
                            ],
                        )
                    })
                    .collect();
                table(
                    o,
                    &["hotfix", "description", "installed on", "source"],
                    &rows,
                );
            }
        }
        None => absent(o, m, &[Fact::OsBuild], "OS information"),
    }

    // networks
    o.push_str("<h3 id=\"networks\">HNS networks</h3>\n");
    if m.hns.networks.is_empty() {
        absent(o, m, &[Fact::HnsNetworks], "HNS networks");
    } else {
        let rows: Vec<_> = m
            .hns
            .networks
            .iter()
            .map(|n| {
                let subnets: Vec<String> = n
                    .subnets
                    .iter()
                    .map(|s| match &s.gateway {
                        Some(g) => format!("{} via {}", esc(&s.prefix), esc(g)),
                        None => esc(&s.prefix),
                    })
                    .collect();
                let apipa = n
                    .management_ip
                    .as_deref()
                    .is_some_and(|ip| ip.starts_with("169.254."));
                (
                    apipa,
                    vec![
                        esc(&n.name),
                        esc(&n.net_type),
                        format!("<span class=\"mono\">{}</span>", esc(&n.id)),
                        or_dash(n.management_ip.as_deref()),
                        or_dash(n.adapter_name.as_deref()),
                        if subnets.is_empty() {
                            "—".into()
                        } else {
                            subnets.join("<br>")
                        },
                        prov_cell(&n.prov),
                    ],
                )
            })
            .collect();
        table(
            o,
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
        );
    }

    // endpoints
    o.push_str("<h3 id=\"endpoints\">HNS endpoints</h3>\n");
    if m.hns.endpoints.is_empty() {
        absent(o, m, &[Fact::HnsEndpoints], "HNS endpoints");
    } else {
        let local = m
            .hns
            .endpoints
            .iter()
            .filter(|e| e.remote() == Some(false))
            .count();
        let remote = m
            .hns
            .endpoints
            .iter()
            .filter(|e| e.remote() == Some(true))
            .count();
        let _ = writeln!(
            o,
            "<p class=\"meta\">{} local, {} remote, {} total</p>",
            local,
            remote,
            m.hns.endpoints.len()
        );
        let rows: Vec<_> = m
            .hns
            .endpoints
            .iter()
            .map(|e| {
                let state = e.state.map(|s| format!("{s} {}", endpoint_state::name(s)));
                let bad = e.remote() == Some(false)
                    && e.state
                        .is_some_and(|s| s != endpoint_state::ATTACHED_SHARING);
                (
                    bad,
                    vec![
                        esc(&e.ips.join(", ")),
                        or_dash(e.name.as_deref()),
                        match e.remote() {
                            Some(true) => "remote".into(),
                            Some(false) => "local".into(),
                            None => "—".into(),
                        },
                        or_dash(state.as_deref()),
                        or_dash(e.network_name.as_deref().or(e.network_id.as_deref())),
                        format!("<span class=\"mono\">{}</span>", esc(&e.id)),
                        prov_cell(&e.prov),
                    ],
                )
            })
            .collect();
        table(
            o,
            &["IP", "name", "kind", "state", "network", "id", "source"],
            &rows,
        );
    }

    // load balancers
    o.push_str("<h3 id=\"lbs\">Load balancers</h3>\n");
    if m.hns.load_balancers.is_empty() {
        absent(o, m, &[Fact::HnsLoadBalancers], "load balancers");
    } else {
        // endpoints by parsed id, built once (not a scan per backend)
        let mut by_id = std::collections::HashMap::with_capacity(m.hns.endpoints.len());
        for e in &m.hns.endpoints {
            if let Some(k) = hnsdoctor_model::ObjId::parse(&e.id) {
                by_id.entry(k).or_insert(e);
            }
        }
        let ep_ip = |id: &str| -> String {
            match hnsdoctor_model::ObjId::parse(id).and_then(|k| by_id.get(&k)) {
                Some(e) => esc(&e.ips.join(", ")),
                None => format!("<span class=\"mono\">{}</span> (missing)", esc(id)),
            }
        };
        let rows: Vec<_> = m
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
                let backends: Vec<String> = lb.endpoint_ids.iter().map(|id| ep_ip(id)).collect();
                let bad = lb.state.is_some_and(|s| s != 2);
                (
                    bad,
                    vec![
                        if lb.vips.is_empty() {
                            "(NodePort)".into()
                        } else {
                            esc(&lb.vips.join(", "))
                        },
                        esc(&ports.join(", ")),
                        if backends.is_empty() {
                            "—".into()
                        } else {
                            backends.join("<br>")
                        },
                        yes_no(lb.dsr).into(),
                        lb.state.map_or("—".into(), |s| s.to_string()),
                        format!("<span class=\"mono\">{}</span>", esc(&lb.id)),
                        prov_cell(&lb.prov),
                    ],
                )
            })
            .collect();
        table(
            o,
            &["VIPs", "ports", "backends", "DSR", "state", "id", "source"],
            &rows,
        );
    }

    // ports
    o.push_str("<h3 id=\"ports\">Port ranges</h3>\n");
    let p = &m.ports;
    if p.dynamic.is_empty() && p.excluded.is_empty() && p.listeners.is_empty() {
        absent(
            o,
            m,
            &[Fact::DynamicPortRangeTcp, Fact::ExcludedPortRangeTcp],
            "port ranges",
        );
    } else {
        let rows: Vec<_> = [Transport::Tcp, Transport::Udp]
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
                        t.to_string().to_uppercase(),
                        d.map_or("—".into(), |d| format!("{}–{}", d.start, d.end())),
                        d.map_or("—".into(), |d| d.count.to_string()),
                        format!("{} ({} ports)", ex.len(), ex_ports),
                        listeners.to_string(),
                        d.map_or("—".into(), |d| prov_cell(&d.prov)),
                    ],
                )
            })
            .collect();
        table(
            o,
            &[
                "protocol",
                "dynamic range",
                "size",
                "excluded ranges",
                "listeners",
                "source",
            ],
            &rows,
        );
        if !p.excluded.is_empty() {
            let _ = writeln!(
                o,
                "<details><summary class=\"meta\">{} excluded ranges</summary>",
                p.excluded.len()
            );
            let rows: Vec<_> = p
                .excluded
                .iter()
                .map(|e| {
                    (
                        false,
                        vec![
                            e.protocol.to_string().to_uppercase(),
                            e.start.to_string(),
                            e.end.to_string(),
                            if e.administered { "yes" } else { "no" }.into(),
                            prov_cell(&e.prov),
                        ],
                    )
                })
                .collect();
            table(
                o,
                &["protocol", "start", "end", "administered", "source"],
                &rows,
            );
            o.push_str("</details>\n");
        }
    }

    // services
    o.push_str("<h3 id=\"services\">Services</h3>\n");
    if m.services.is_empty() {
        absent(o, m, &[Fact::Services], "services listed");
    } else {
        let rows: Vec<_> = m
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
                        esc(&s.name),
                        or_dash(s.display_name.as_deref()),
                        state.into(),
                        or_dash(s.start_type.as_deref()),
                        s.pid.map_or("—".into(), |p| p.to_string()),
                        prov_cell(&s.prov),
                    ],
                )
            })
            .collect();
        table(
            o,
            &[
                "name",
                "display name",
                "state",
                "start type",
                "PID",
                "source",
            ],
            &rows,
        );
    }

    // inputs
    o.push_str("<h3 id=\"inputs\">Inputs read</h3>\n");
    let inputs = if report.inputs.is_empty() {
        &m.inputs
    } else {
        &report.inputs
    };
    if inputs.is_empty() {
        o.push_str("<p class=\"empty\">No inputs.</p>\n");
    } else {
        let rows: Vec<_> = inputs
            .iter()
            .map(|i| {
                let facts: Vec<String> = i.facts.iter().map(|f| f.name()).collect();
                let status = match &i.refused {
                    Some(r) => format!("refused: {}", esc(r)),
                    None if i.skipped_count > 0 || !i.warnings.is_empty() => {
                        format!("{} skipped, {} warnings", i.skipped_count, i.warnings.len())
                    }
                    None => "ok".into(),
                };
                (
                    i.refused.is_some(),
                    vec![
                        esc(&i.source),
                        esc(&i.format),
                        or_dash(i.encoding.as_deref()),
                        i.objects.to_string(),
                        esc(&facts.join(", ")),
                        status,
                    ],
                )
            })
            .collect();
        table(
            o,
            &["source", "format", "encoding", "objects", "facts", "status"],
            &rows,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixture::{empty_report, sample_report};

    #[test]
    fn snapshot_sample() {
        insta::assert_snapshot!(render(&sample_report()));
    }

    #[test]
    fn snapshot_empty() {
        insta::assert_snapshot!(render(&empty_report()));
    }

    #[test]
    fn escapes_every_data_string() {
        let mut r = sample_report();
        let evil = "<script>alert('x')</script>";
        r.host = Some(evil.into());
        r.model.host_name = Some(evil.into());
        r.findings[0].title = evil.into();
        r.findings[0].evidence[0].text = Some(evil.into());
        r.findings[0].fix[0].command = Some(evil.into());
        r.findings[0].references = vec![format!("https://x.invalid/\"><script>")];
        r.model.hns.networks[0].name = evil.into();
        r.inputs[0].source = evil.into();
        let out = render(&r);
        assert!(!out.contains("<script"), "unescaped script tag");
        assert!(out.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(
            out.contains("href=\"https://x.invalid/&quot;&gt;&lt;script&gt;\""),
            "attribute break-out"
        );
    }

    #[test]
    fn self_contained_and_complete() {
        let out = render(&sample_report());
        for banned in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!out.contains(banned), "external or script: {banned}");
        }
        for id in [
            "port-pool-exhaustion",
            "endpoint-not-attached",
            "stale-remote-endpoint",
            "os-outdated",
        ] {
            assert!(out.contains(&format!("id=\"f-{id}\"")), "{id}");
        }
        for s in [
            "ノード-01",
            "10.96.0.10",
            "UDP 53→53",
            "49152–65535",
            "KB5034768",
            "containerd",
            "vfp/ports.txt",
            "<details><summary class=\"meta\">Every check not evaluated",
            "<i>missing tcpip6-params</i>",
            "<pre class=\"cmd\">netsh int ipv4 set dynamicport tcp start=33000 num=32535</pre>",
            "<span class=\"tag last\">last resort</span>",
        ] {
            assert!(out.contains(s), "missing {s}");
        }
    }

    #[test]
    fn verdict_heads_the_page_and_references_link() {
        let mut r = sample_report();
        r.findings[0].references = vec!["kubernetes/community#8883".into(), "plain text".into()];
        let out = render(&r);
        assert!(
            out.contains("<h1>2 errors, 1 warning, 1 info — "),
            "verdict first"
        );
        assert!(out.contains(
            "<a href=\"https://github.com/kubernetes/community/issues/8883\">kubernetes/community#8883</a>"
        ));
        assert!(out.contains(" · plain text"));
        assert!(out.contains("<li>1 check needs any log: add one of: kube-proxy"));
    }

    #[test]
    fn empty_lists_say_not_read() {
        let out = render(&empty_report());
        assert!(out.contains("Not read (missing hns-networks)"));
        assert!(out.contains("No problems found"));
    }
}
