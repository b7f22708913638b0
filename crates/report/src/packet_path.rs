//! The "packet path" section: Packet Monitor components along the path from pod to wire (pod
//! ports, VFP, vSwitch, host vNIC, host NIC) with their drops, the pod or endpoint behind each
//! port, and the drop reasons of a capture. One function per format; each renderer calls it
//! with one line and gets nothing back when the input held no Packet Monitor data.
//!
//! Scale: every component with drops is a row, and so is every component that is not a pod
//! port; pod ports without drops are folded into one count (a node with 20 000 endpoints
//! does not print 20 000 rows).

use hnsdoctor_findings::Report;
use hnsdoctor_model::packet_path::{Hop, PacketPath, Role};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Rows shown and the count of pod ports folded away, or `None` without pktmon data.
fn rows<'a, 'm>(path: &'a PacketPath<'m>) -> Option<(Vec<&'a Hop<'m>>, usize)> {
    if path.hops.is_empty() {
        return None;
    }
    let mut shown = Vec::new();
    let mut folded = 0usize;
    for h in &path.hops {
        if h.dropped() > 0 || !matches!(h.role, Role::EndpointPort | Role::SwitchPort | Role::Other)
        {
            shown.push(h);
        } else if h.role != Role::Other {
            folded += 1;
        }
    }
    Some((shown, folded))
}

fn heading(path: &PacketPath<'_>) -> String {
    match path.capture_seconds {
        Some(s) => format!("Packet path (pktmon, pod → wire; drops-only capture of {s} s)"),
        None => "Packet path (pktmon, pod → wire)".to_string(),
    }
}

fn who(h: &Hop<'_>) -> String {
    let mut s = h.owner.clone().unwrap_or_default();
    if !h.vips.is_empty() {
        if !s.is_empty() {
            s.push_str(", ");
        }
        let _ = write!(s, "backs {}", h.vips.join(", "));
    }
    s
}

fn drops_words(h: &Hop<'_>) -> String {
    let n = h.dropped();
    if n == 0 {
        return "no drops".to_string();
    }
    let mut s = match h.rose {
        Some(r) => format!("{n} dropped (+{r} during the capture)"),
        None => format!("{n} dropped"),
    };
    let reasons: Vec<String> = h
        .reasons
        .iter()
        .take(3)
        .map(|(r, c)| format!("{r} ×{c}"))
        .collect();
    if !reasons.is_empty() {
        let _ = write!(s, "; {}", reasons.join(", "));
    } else if let Some(r) = h.last_reason {
        let _ = write!(s, "; last reason: {r}");
    }
    s
}

fn folded_line(n: usize) -> Option<String> {
    (n > 0).then(|| format!("{n} other switch ports: no drops"))
}

/// Plain-text section (no colour), or `None` without Packet Monitor data.
#[must_use]
pub fn text(report: &Report) -> Option<String> {
    let path = PacketPath::build(&report.model);
    let (shown, folded) = rows(&path)?;
    let mut o = String::new();
    let _ = writeln!(o, "{}", heading(&path));
    for h in shown {
        let w = who(h);
        let _ = writeln!(
            o,
            "  {:<11} {} (id {}){}: {}",
            h.role.label(),
            h.name,
            h.id,
            if w.is_empty() {
                String::new()
            } else {
                format!(" — {w}")
            },
            drops_words(h)
        );
    }
    if let Some(l) = folded_line(folded) {
        let _ = writeln!(o, "  {l}");
    }
    Some(o)
}

fn md(s: &str) -> String {
    crate::markdown::escape(s).replace('|', "\\|")
}

/// Markdown section (a heading and a table), or `None` without Packet Monitor data.
#[must_use]
pub fn markdown(report: &Report) -> Option<String> {
    let path = PacketPath::build(&report.model);
    let (shown, folded) = rows(&path)?;
    let mut o = String::new();
    let _ = writeln!(o, "#### {}\n", md(&heading(&path)));
    let _ = writeln!(o, "| hop | component | owner | drops |");
    let _ = writeln!(o, "|---|---|---|---|");
    for h in shown {
        let _ = writeln!(
            o,
            "| {} | {} ({}) | {} | {} |",
            h.role.label(),
            md(h.name),
            h.id,
            md(&who(h)),
            md(&drops_words(h))
        );
    }
    if let Some(l) = folded_line(folded) {
        let _ = writeln!(o, "\n{l}");
    }
    Some(o)
}

/// The section in HTML (maud: every value escaped by construction), or `None` when there is none.
#[must_use]
pub fn html(report: &Report) -> Option<maud::Markup> {
    let path = PacketPath::build(&report.model);
    let (shown, folded) = rows(&path)?;
    Some(maud::html! {
        section id="packet-path" {
            h2 { (heading(&path)) } "\n"
            table {
                thead { tr { th { "hop" } th { "component" } th { "owner" } th { "drops" } } }
                tbody {
                    @for h in &shown {
                        tr class=[(h.dropped() > 0).then_some("drops")] {
                            td { (h.role.label()) }
                            td { (h.name) " (" (h.id) ")" }
                            td { (who(h)) }
                            td { (drops_words(h)) }
                        } "\n"
                    }
                }
            } "\n"
            @if let Some(l) = folded_line(folded) {
                p { (l) } "\n"
            }
        } "\n"
    })
}

/// JSON value of the section (`packet_path` in the report), or `None` without Packet Monitor
/// data: `{capture_seconds, folded_ports, hops: [{id, name, role, owner, vips, dropped, drops,
/// rose, last_reason, reasons: [{reason, count}]}]}`.
#[must_use]
pub fn json(report: &Report) -> Option<Value> {
    let path = PacketPath::build(&report.model);
    let (shown, folded) = rows(&path)?;
    let hops: Vec<Value> = shown
        .iter()
        .map(|h| {
            json!({
                "id": h.id,
                "name": h.name,
                "role": h.role.label(),
                "owner": h.owner,
                "vips": h.vips,
                "dropped": h.dropped(),
                "drops": h.drops,
                "rose": h.rose,
                "last_reason": h.last_reason,
                "reasons": h.reasons.iter().map(|(r, c)| json!({"reason": r, "count": c})).collect::<Vec<_>>(),
            })
        })
        .collect();
    Some(json!({
        "capture_seconds": path.capture_seconds,
        "folded_ports": folded,
        "hops": hops,
    }))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_fixture::empty_report;
    use hnsdoctor_model::{Endpoint, PktComponent, PktCounter, PktDrop, PodStatus};

    /// A report whose model has a pktmon map, counters and capture drops joined to a pod.
    pub(crate) fn report() -> Report {
        let mut r = empty_report();
        let m = &mut r.model;
        m.hns.endpoints.push(Endpoint {
            id: "5F7D8C1B-0000-4000-8000-000000000001".into(),
            ips: vec!["10.244.1.5".into()],
            mac: Some("00-15-5D-0A-0B-31".into()),
            ..Endpoint::default()
        });
        m.pods.push(PodStatus {
            namespace: Some("default".into()),
            name: "web-7f9".into(),
            ip: Some("10.244.1.5".into()),
            ..PodStatus::default()
        });
        for (id, name, kind) in [
            (9, "Ethernet0", "Miniport"),
            (
                14,
                "Virtual Filtering Platform VMSwitch Extension",
                "Filter",
            ),
            (31, "Container NIC 5f7d8c1b", "vSwitch port"),
            (32, "Container NIC 8a2b3c4d", "vSwitch port"),
        ] {
            m.packets.components.push(PktComponent {
                id,
                name: name.into(),
                kind: Some(kind.into()),
                driver: (id == 14).then(|| "vfpext.sys".into()),
                ..PktComponent::default()
            });
        }
        m.packets.counters.push(PktCounter {
            component: 31,
            drops_out: 312,
            last_reason: Some("VFP Rule Drop".into()),
            ..PktCounter::default()
        });
        m.packets.drops.push(PktDrop {
            component: 31,
            reason: "VFP Rule Drop".into(),
            count: 312,
            ..PktDrop::default()
        });
        m.packets.capture_seconds = Some(60);
        r
    }

    #[test]
    fn all_four_formats_render_the_path() {
        let r = report();
        let t = text(&r).unwrap();
        assert!(t.contains("drops-only capture of 60 s"), "{t}");
        assert!(t.contains("pod port    Container NIC 5f7d8c1b (id 31) — pod default/web-7f9 (10.244.1.5): 312 dropped; VFP Rule Drop ×312"), "{t}");
        assert!(t.contains("1 other switch ports: no drops"), "{t}");
        // pod → wire: the pod port comes before VFP and the NIC
        let (a, b, c) = (
            t.find("pod port").unwrap(),
            t.find("VFP").unwrap(),
            t.find("host NIC").unwrap(),
        );
        assert!(a < b && b < c, "{t}");
        let md = markdown(&r).unwrap();
        assert!(md.contains("| pod port | Container NIC 5f7d8c1b (31) | pod default/web-7f9 (10.244.1.5) | 312 dropped; VFP Rule Drop ×312 |"), "{md}");
        let h = html(&r).unwrap().into_string();
        assert!(
            h.contains("<section id=\"packet-path\">") && h.contains("class=\"drops\""),
            "{h}"
        );
        assert!(h.contains("pod default/web-7f9 (10.244.1.5)"));
        let j = json(&r).unwrap();
        assert_eq!(j["capture_seconds"], 60);
        assert_eq!(j["folded_ports"], 1);
        assert_eq!(j["hops"][0]["owner"], "pod default/web-7f9 (10.244.1.5)");
        assert_eq!(j["hops"][0]["reasons"][0]["count"], 312);
    }

    #[test]
    fn nothing_without_pktmon() {
        let r = empty_report();
        assert!(
            text(&r).is_none()
                && markdown(&r).is_none()
                && html(&r).is_none()
                && json(&r).is_none()
        );
    }
}
