//! `fleet --format html`: one self-contained page (no external scripts, styles or fonts) with a
//! node × finding table a person can scan.
//!
//! * Rows: nodes needing attention first (errors, then warnings, then deviations only, then
//!   unreadable inputs), then every other node; within a group by name.
//! * Columns: node, one per finding id (worst severity first), OS build, HNS version, load
//!   balancers, endpoints, and how the node differs from its peers. A cell whose value deviates
//!   from the fleet (count far from the median, another build or HNS version) is marked.
//! * A filter box (matches node names, finding ids and deviation text), a "needing attention
//!   only" switch and click-to-sort headers, in a few lines of inline script; without script
//!   the table is still complete and in the order above.
//!
//! All text goes through [`maud`], which escapes it: node names, inputs and error messages come
//! from the evidence and may hold anything, markup included. The only unescaped strings are the
//! constant style sheet and script below.

use super::{headline, sev_name, Deviation, FleetSummary, NodeSummary};
use hnsdoctor_rules::Severity;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::{HashMap, HashSet};

const CSS: &str = "
body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em;color:#1b1b1b}
h1{font-size:1.3em;margin:0 0 .3em}
.bar{margin:.8em 0;display:flex;gap:1.2em;align-items:center}
input[type=search]{padding:.3em .5em;width:22em}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2;position:sticky;top:0;cursor:pointer;white-space:nowrap}
th.id{writing-mode:vertical-rl;transform:rotate(180deg);font-family:monospace;font-weight:normal}
td.sev{text-align:center;font-weight:bold}
.error{background:#f8d0d0;color:#8a0000}
.warning{background:#fbeec2;color:#6b4f00}
.info{background:#dcebf7;color:#0b4a75}
td.dev{background:#f3dcf7;font-weight:bold}
tr.ok td{color:#666}
td.unreadable{color:#8a0000}
.num{text-align:right}
";

/// Filter box, the "needing attention only" switch and click-to-sort on the headers (numbers
/// sort as numbers; a cell's `data-sort` wins over its text).
const JS: &str = r#"
(function(){
var t=document.getElementById('fleet'),q=document.getElementById('q'),fl=document.getElementById('flagged');
var rows=Array.prototype.slice.call(t.tBodies[0].rows);
function apply(){var s=q.value.toLowerCase(),only=fl.checked,n=0;
rows.forEach(function(r){var show=(!only||r.dataset.flagged==='1')&&(s===''||r.dataset.text.indexOf(s)>=0);
r.style.display=show?'':'none';if(show)n++;});document.getElementById('shown').textContent=n;}
q.addEventListener('input',apply);fl.addEventListener('change',apply);
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){var dir=1;
th.addEventListener('click',function(){dir=-dir;
function key(r){var c=r.cells[i];return c.dataset.sort!==undefined?c.dataset.sort:c.textContent;}
rows.sort(function(a,b){var x=key(a),y=key(b),nx=parseFloat(x),ny=parseFloat(y);
if(!isNaN(nx)&&!isNaN(ny))return (nx-ny)*dir;return x<y?-dir:x>y?dir:0;});
rows.forEach(function(r){t.tBodies[0].appendChild(r);});});});
apply();})();
"#;

/// The sort group of a node: 0 error, 1 warning, 2 deviation or info only, 3 unreadable,
/// 4 not flagged.
fn group(n: &NodeSummary, flagged: bool) -> u8 {
    let worst = n.findings.values().copied().max();
    match (worst, flagged) {
        (Some(Severity::Error), _) => 0,
        (Some(Severity::Warning), _) => 1,
        _ if n.error.is_some() => 3,
        (_, true) => 2,
        _ => 4,
    }
}

fn sev_rank(s: Option<Severity>) -> u8 {
    match s {
        Some(Severity::Error) => 3,
        Some(Severity::Warning) => 2,
        Some(Severity::Info) => 1,
        None => 0,
    }
}

fn count(v: Option<usize>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// Render the page.
#[must_use]
pub fn render(f: &FleetSummary) -> String {
    let flagged: HashSet<&str> = f.flagged.iter().map(String::as_str).collect();
    let mut devs: HashMap<&str, Vec<&Deviation>> = HashMap::new();
    for d in &f.deviations {
        devs.entry(d.node.as_str()).or_default().push(d);
    }
    let mut ids: Vec<(&String, Severity)> =
        f.findings.iter().map(|(id, n)| (id, n.severity)).collect();
    ids.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut order: Vec<&NodeSummary> = f.nodes.iter().collect();
    order.sort_by_key(|n| (group(n, flagged.contains(n.node.as_str())), n.node.as_str()));
    let page: Markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "hnsdoctor fleet: " (f.nodes.len()) " nodes" }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { "hnsdoctor fleet" }
                p #headline { (headline(f)) }
                div.bar {
                    label { "Filter " input #q type="search" placeholder="node, finding id or text"; }
                    label { input #flagged type="checkbox"; " needing attention only" }
                    span { "showing " span #shown { (f.nodes.len()) } " of " (f.nodes.len()) }
                }
                table #fleet {
                    thead { tr {
                        th { "node" }
                        @for (id, sev) in &ids {
                            th.id title=(format!("{id} ({})", sev_name(*sev))) { (id) }
                        }
                        th { "OS build" }
                        th { "HNS version" }
                        th { "load balancers" }
                        th { "endpoints" }
                        th { "differs from its peers" }
                    } }
                    tbody {
                        @for n in &order {
                            (row(n, flagged.contains(n.node.as_str()), &ids,
                                 devs.get(n.node.as_str()).map_or(&[][..], Vec::as_slice)))
                        }
                    }
                }
                script { (PreEscaped(JS)) }
            }
        }
    };
    page.into_string()
}

fn row(n: &NodeSummary, flagged: bool, ids: &[(&String, Severity)], devs: &[&Deviation]) -> Markup {
    let dev_kind = |k: &str| devs.iter().any(|d| d.kind == k);
    let mut notes: Vec<String> = devs.iter().map(|d| d.message()).collect();
    if let Some(e) = &n.error {
        notes.push(format!("unreadable: {e}"));
    }
    // what the filter box matches against
    let mut text = n.node.to_lowercase();
    for id in n.findings.keys() {
        text.push(' ');
        text.push_str(id);
    }
    for s in &notes {
        text.push(' ');
        text.push_str(&s.to_lowercase());
    }
    let eps = n.endpoints();
    html! {
        tr.ok[!flagged] data-flagged=(if flagged { "1" } else { "0" })
            data-text=(text) {
            td title=(n.input) { (n.node) }
            @for (id, _) in ids {
                @let s = n.findings.get(id.as_str()).copied();
                @match s {
                    Some(s) => td class=(format!("sev {}", sev_name(s))) data-sort=(sev_rank(Some(s))) title=(format!("{id}: {}", sev_name(s))) { (sev_name(s)) },
                    None => td data-sort="0" {},
                }
            }
            td.dev[dev_kind("os-build")] { (n.os_build.as_deref().unwrap_or("")) }
            td.dev[dev_kind("hns-version")] { (n.hns_version.as_deref().unwrap_or("")) }
            td.num.dev[dev_kind("load-balancers")] { (count(n.load_balancers)) }
            td.num.dev[dev_kind("endpoints")] { (count(eps)) }
            td.unreadable[n.error.is_some()] { (notes.join("; ")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::fleet::summarise;

    fn node(name: &str, lbs: usize) -> NodeSummary {
        NodeSummary {
            node: name.into(),
            input: format!("/bundles/{name}"),
            os_build: Some("20348.2966".into()),
            load_balancers: Some(lbs),
            local_endpoints: Some(10),
            remote_endpoints: Some(90),
            dns_lb: Some(true),
            ..NodeSummary::default()
        }
    }

    fn page() -> String {
        let mut nodes: Vec<NodeSummary> = (0..8).map(|i| node(&format!("n{i}"), 100)).collect();
        nodes[1].load_balancers = Some(1);
        nodes[3]
            .findings
            .insert("port-pool-exhaustion".into(), Severity::Error);
        nodes[5]
            .findings
            .insert("stale-remote-endpoint".into(), Severity::Warning);
        // a hostile node name and error text from the evidence
        nodes[6].node = "<script>alert(1)</script>&\"x\"".into();
        nodes[6].error = Some("bad <b>zip</b>".into());
        nodes[6].load_balancers = None;
        render(&summarise(nodes, Severity::Warning, 50))
    }

    #[test]
    fn flagged_nodes_come_first_errors_before_warnings() {
        let p = page();
        let pos = |s: &str| p.find(s).unwrap_or_else(|| panic!("{s} missing: {p}"));
        let rows: Vec<usize> = [">n3<", ">n5<", ">n1<", "&lt;script&gt;", ">n0<", ">n7<"]
            .iter()
            .map(|s| pos(s))
            .collect();
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}\n{p}");
        assert_eq!(p.matches("data-flagged=\"1\"").count(), 4, "{p}");
        assert_eq!(p.matches("data-flagged=\"0\"").count(), 4, "{p}");
    }

    #[test]
    fn deviations_and_severities_are_marked() {
        let p = page();
        // n1's load balancer cell is marked and its message shown
        assert!(
            p.contains(r#"<td class="num dev">1</td><td class="num">100</td><td class="">1 load balancers (fleet median 100)</td>"#),
            "{p}"
        );
        assert!(p.contains(r#"class="sev error""#), "{p}");
        assert!(p.contains(r#"class="sev warning""#), "{p}");
        assert!(p.contains(r#"title="port-pool-exhaustion (error)""#), "{p}");
    }

    #[test]
    fn evidence_text_is_escaped_and_nothing_is_fetched() {
        let p = page();
        assert!(!p.contains("<script>alert"), "{p}");
        assert!(!p.contains("<b>zip"), "{p}");
        assert!(
            p.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;x&quot;"),
            "{p}"
        );
        assert!(p.contains("unreadable: bad &lt;b&gt;zip&lt;/b&gt;"), "{p}");
        // self-contained: the only script and style are inline
        assert_eq!(p.matches("<script").count(), 1, "{p}");
        for external in ["src=", "href=", "@import", "url("] {
            assert!(!p.contains(external), "{external} in {p}");
        }
        assert!(p.starts_with("<!DOCTYPE html>"));
    }
}
