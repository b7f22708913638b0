//! `hnsdoctor diff <before> <after>`: what changed on a node between two collections (after a
//! restart, an update, a fix).
//!
//! Objects are keyed and matched with hash maps (linear in their number): HNS networks,
//! endpoints and load balancers by GUID (lower case; the name when a paste showed none), their
//! policies by owner and kind, dynamic port ranges by protocol, excluded port ranges by protocol
//! and range, services by name. A matched pair is compared field by field on its JSON form,
//! leaving out provenance (file and line) and nested policies (reported on their own). Findings
//! that appeared or cleared come from running the rules on both models.
//!
//! Renderers: [`render_text`], [`render_json`] (documented in `docs/json.md`, `diff_schema_version`
//! 1) and [`render_markdown`].

use hnsdoctor_findings::{Report, Severity};
use hnsdoctor_model::HostModel;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Version of the JSON shape of [`Diff`].
pub const DIFF_SCHEMA_VERSION: u32 = 1;

/// What happened to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Only in the after model.
    Added,
    /// Only in the before model.
    Removed,
    /// In both, with different fields.
    Changed,
}

/// One object added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Object kind: `network`, `endpoint`, `load-balancer`, `policy`, `dynamic-port-range`,
    /// `excluded-port-range`, `service`.
    pub object: &'static str,
    /// Its key (GUID, name, `protocol start-end`…).
    pub key: String,
    /// A short label (network or service name, endpoint IP), when there is one.
    pub label: Option<String>,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// For a change, one entry per field that differs.
    pub fields: Vec<FieldChange>,
}

/// One field that differs between before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Field name (as in `inspect --format json`).
    pub field: String,
    /// Value before (`null` when absent).
    pub before: Value,
    /// Value after (`null` when absent).
    pub after: Value,
}

/// A finding that appeared or cleared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingChange {
    /// Finding id.
    pub id: String,
    /// Severity.
    pub severity: Severity,
    /// Title.
    pub title: String,
}

/// Everything that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// [`DIFF_SCHEMA_VERSION`].
    pub diff_schema_version: u32,
    /// Host names before and after.
    pub hosts: (Option<String>, Option<String>),
    /// Objects added, removed or changed, in kind order then key order.
    pub changes: Vec<Change>,
    /// Findings in the after report and not in the before report.
    pub findings_appeared: Vec<FindingChange>,
    /// Findings in the before report and not in the after report.
    pub findings_cleared: Vec<FindingChange>,
}

impl Diff {
    /// Whether nothing changed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.findings_appeared.is_empty()
            && self.findings_cleared.is_empty()
    }
}

/// A keyed object: key, label, JSON form without provenance.
type Keyed = (String, Option<String>, Value);

/// JSON form of an object without the fields named in `drop` (and without `prov`).
fn strip<T: Serialize>(obj: &T, drop: &[&str]) -> Value {
    let mut v = serde_json::to_value(obj).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.remove("prov");
        for d in drop {
            m.remove(*d);
        }
        // GUIDs compare without case (HNS v1 prints them upper case, v2 lower case).
        for k in ["id", "network_id", "namespace_id", "endpoint_ids"] {
            match m.get_mut(k) {
                Some(Value::String(s)) => *s = s.to_ascii_lowercase(),
                Some(Value::Array(a)) => {
                    for x in a.iter_mut() {
                        if let Value::String(s) = x {
                            *s = s.to_ascii_lowercase();
                        }
                    }
                }
                _ => {}
            }
        }
    }
    v
}

fn key_of(id: &str, fallback: Option<&str>) -> String {
    if id.trim().is_empty() {
        fallback.unwrap_or_default().to_ascii_lowercase()
    } else {
        id.trim().trim_matches(['{', '}']).to_ascii_lowercase()
    }
}

/// Every keyed object of a model, by object kind.
fn objects(m: &HostModel) -> Vec<(&'static str, Vec<Keyed>)> {
    let mut policies: Vec<Keyed> = Vec::new();
    let mut add_policies = |owner: &str, list: &[hnsdoctor_model::Policy]| {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for p in list {
            let n = seen.entry(p.kind.to_ascii_lowercase()).or_insert(0);
            *n += 1;
            let key = if *n == 1 {
                format!("{owner}/{}", p.kind)
            } else {
                format!("{owner}/{}#{n}", p.kind)
            };
            policies.push((key, None, strip(p, &[])));
        }
    };
    let networks: Vec<Keyed> = m
        .hns
        .networks
        .iter()
        .map(|n| {
            let key = key_of(&n.id, Some(&n.name));
            add_policies(&key, &n.policies);
            (key, Some(n.name.clone()), strip(n, &["policies"]))
        })
        .collect();
    let endpoints: Vec<Keyed> = m
        .hns
        .endpoints
        .iter()
        .map(|e| {
            let key = key_of(&e.id, e.name.as_deref());
            add_policies(&key, &e.policies);
            let label = e.ips.first().cloned().or_else(|| e.name.clone());
            (key, label, strip(e, &["policies"]))
        })
        .collect();
    let lbs: Vec<Keyed> = m
        .hns
        .load_balancers
        .iter()
        .map(|l| (key_of(&l.id, None), l.vips.first().cloned(), strip(l, &[])))
        .collect();
    let dynamic: Vec<Keyed> = m
        .ports
        .dynamic
        .iter()
        .map(|d| {
            let key = serde_json::to_value(d.protocol)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| format!("{:?}", d.protocol))
                .to_ascii_lowercase();
            (key, None, strip(d, &[]))
        })
        .collect();
    let excluded: Vec<Keyed> = m
        .ports
        .excluded
        .iter()
        .map(|x| {
            let proto = serde_json::to_value(x.protocol)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| format!("{:?}", x.protocol))
                .to_ascii_lowercase();
            (
                format!("{proto} {}-{}", x.start, x.end),
                None,
                strip(x, &[]),
            )
        })
        .collect();
    let services: Vec<Keyed> = m
        .services
        .iter()
        .map(|s| {
            (
                s.name.to_ascii_lowercase(),
                Some(s.name.clone()),
                strip(s, &[]),
            )
        })
        .collect();
    // Packet Monitor drop counters, keyed by component name (ids change across reboots)
    let path = hnsdoctor_model::packet_path::PacketPath::build(m);
    let counted: std::collections::HashSet<u32> =
        m.packets.counters.iter().map(|c| c.component).collect();
    let drop_counters: Vec<Keyed> = path
        .hops
        .iter()
        .filter(|h| counted.contains(&h.id))
        .map(|h| {
            let key = if h.name.is_empty() {
                format!("component {}", h.id)
            } else {
                h.name.to_ascii_lowercase()
            };
            let v = serde_json::json!({ "drops": h.drops, "last_reason": h.last_reason });
            (key, h.owner.clone().or_else(|| Some(h.name.to_string())), v)
        })
        .collect();
    vec![
        ("network", networks),
        ("endpoint", endpoints),
        ("load-balancer", lbs),
        ("policy", policies),
        ("dynamic-port-range", dynamic),
        ("excluded-port-range", excluded),
        ("service", services),
        ("drop-counter", drop_counters),
    ]
}

/// Field-by-field differences of two JSON objects.
fn field_changes(a: &Value, b: &Value) -> Vec<FieldChange> {
    let empty = Map::new();
    let (ma, mb) = (
        a.as_object().unwrap_or(&empty),
        b.as_object().unwrap_or(&empty),
    );
    let mut out = Vec::new();
    for (k, va) in ma {
        let vb = mb.get(k).unwrap_or(&Value::Null);
        if va != vb {
            out.push(FieldChange {
                field: k.clone(),
                before: va.clone(),
                after: vb.clone(),
            });
        }
    }
    for (k, vb) in mb {
        if !ma.contains_key(k) && !vb.is_null() {
            out.push(FieldChange {
                field: k.clone(),
                before: Value::Null,
                after: vb.clone(),
            });
        }
    }
    if out.is_empty() && a != b {
        out.push(FieldChange {
            field: String::new(),
            before: a.clone(),
            after: b.clone(),
        });
    }
    out
}

/// Compare two models and their reports.
#[must_use]
pub fn diff(before: &HostModel, after: &HostModel, rb: &Report, ra: &Report) -> Diff {
    let mut changes = Vec::new();
    for ((object, old), (_, new)) in objects(before).into_iter().zip(objects(after)) {
        let mut kind_changes = Vec::new();
        let new_by_key: HashMap<&str, &Keyed> = new.iter().map(|k| (k.0.as_str(), k)).collect();
        let old_by_key: HashMap<&str, &Keyed> = old.iter().map(|k| (k.0.as_str(), k)).collect();
        for (key, label, v) in &old {
            match new_by_key.get(key.as_str()) {
                None => kind_changes.push(Change {
                    object,
                    key: key.clone(),
                    label: label.clone(),
                    change: ChangeKind::Removed,
                    fields: Vec::new(),
                }),
                Some((_, new_label, nv)) if nv != v => kind_changes.push(Change {
                    object,
                    key: key.clone(),
                    label: new_label.clone().or_else(|| label.clone()),
                    change: ChangeKind::Changed,
                    fields: field_changes(v, nv),
                }),
                Some(_) => {}
            }
        }
        for (key, label, _) in &new {
            if !old_by_key.contains_key(key.as_str()) {
                kind_changes.push(Change {
                    object,
                    key: key.clone(),
                    label: label.clone(),
                    change: ChangeKind::Added,
                    fields: Vec::new(),
                });
            }
        }
        kind_changes.sort_by(|a, b| a.key.cmp(&b.key));
        kind_changes.dedup_by(|a, b| a.key == b.key && a.change == b.change);
        changes.extend(kind_changes);
    }
    let ids = |r: &Report| -> HashMap<String, FindingChange> {
        r.findings
            .iter()
            .map(|f| {
                (
                    f.id.clone(),
                    FindingChange {
                        id: f.id.clone(),
                        severity: f.severity,
                        title: f.title.clone(),
                    },
                )
            })
            .collect()
    };
    let (fb, fa) = (ids(rb), ids(ra));
    let mut appeared: Vec<FindingChange> = fa
        .iter()
        .filter(|(id, _)| !fb.contains_key(*id))
        .map(|(_, f)| f.clone())
        .collect();
    let mut cleared: Vec<FindingChange> = fb
        .iter()
        .filter(|(id, _)| !fa.contains_key(*id))
        .map(|(_, f)| f.clone())
        .collect();
    appeared.sort_by(|a, b| a.id.cmp(&b.id));
    cleared.sort_by(|a, b| a.id.cmp(&b.id));
    Diff {
        diff_schema_version: DIFF_SCHEMA_VERSION,
        hosts: (before.host_name.clone(), after.host_name.clone()),
        changes,
        findings_appeared: appeared,
        findings_cleared: cleared,
    }
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::Null => "(none)".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}…")
    } else {
        s
    }
}

fn sev(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn sign(c: ChangeKind) -> &'static str {
    match c {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Changed => "~",
    }
}

fn headline(d: &Diff) -> String {
    let count = |k: ChangeKind| d.changes.iter().filter(|c| c.change == k).count();
    if d.is_empty() {
        return "No differences in networks, endpoints, load balancers, policies, port ranges, \
                services or findings."
            .to_string();
    }
    format!(
        "{} added, {} removed, {} changed; {} finding(s) appeared, {} cleared",
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Changed),
        d.findings_appeared.len(),
        d.findings_cleared.len()
    )
}

/// Plain text: one line per object (`+` added, `-` removed, `~` changed, with its fields).
#[must_use]
pub fn render_text(d: &Diff) -> String {
    let mut out = format!("{}\n", headline(d));
    for c in &d.changes {
        let label = c
            .label
            .as_deref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{} {} {}{label}\n",
            sign(c.change),
            c.object,
            c.key
        ));
        for f in &c.fields {
            out.push_str(&format!(
                "    {}: {} -> {}\n",
                f.field,
                short(&f.before),
                short(&f.after)
            ));
        }
    }
    for (what, list) in [
        ("appeared", &d.findings_appeared),
        ("cleared", &d.findings_cleared),
    ] {
        for f in list {
            out.push_str(&format!(
                "finding {what}: {} [{}] {}\n",
                f.id,
                sev(f.severity),
                f.title
            ));
        }
    }
    out
}

/// JSON (pretty, ASCII-only like every hnsdoctor JSON output).
#[must_use]
pub fn render_json(d: &Diff) -> String {
    let s = serde_json::to_string_pretty(d).unwrap_or_else(|_| "{}".to_string());
    let mut out = String::with_capacity(s.len() + 1);
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out.push('\n');
    out
}

/// Markdown: a headline, a table of object changes and the findings lists.
#[must_use]
pub fn render_markdown(d: &Diff) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!("## hnsdoctor diff\n\n{}\n", headline(d));
    if !d.changes.is_empty() {
        out.push_str("\n| | object | key | details |\n|---|---|---|---|\n");
        for c in &d.changes {
            let details: Vec<String> = c
                .fields
                .iter()
                .map(|f| format!("`{}`: {} → {}", f.field, short(&f.before), short(&f.after)))
                .collect();
            let key = match &c.label {
                Some(l) => format!("{} ({l})", c.key),
                None => c.key.clone(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                sign(c.change),
                c.object,
                cell(&key),
                cell(&details.join("; "))
            ));
        }
    }
    for (what, list) in [
        ("appeared", &d.findings_appeared),
        ("cleared", &d.findings_cleared),
    ] {
        if !list.is_empty() {
            out.push_str(&format!("\n**Findings {what}**\n\n"));
            for f in list {
                out.push_str(&format!(
                    "- `{}` ({}) {}\n",
                    f.id,
                    sev(f.severity),
                    cell(&f.title)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_model::{Endpoint, Network};

    fn model(nets: &[(&str, &str)], eps: &[(&str, &str)]) -> HostModel {
        let mut m = HostModel::new();
        for (id, name) in nets {
            m.hns.networks.push(Network {
                id: (*id).into(),
                name: (*name).into(),
                ..Network::default()
            });
        }
        for (id, ip) in eps {
            m.hns.endpoints.push(Endpoint {
                id: (*id).into(),
                ips: vec![(*ip).into()],
                ..Endpoint::default()
            });
        }
        m
    }

    fn empty_report() -> Report {
        crate::test_fixture::empty_report()
    }

    #[test]
    fn drop_counters_that_rose_show_as_changed_keyed_by_name_not_id() {
        use hnsdoctor_model::{PktComponent, PktCounter};
        let with = |id: u32, drops: u64| {
            let mut m = HostModel::new();
            m.packets.components.push(PktComponent {
                id,
                name: "Container NIC 5f7d8c1b".into(),
                kind: Some("vSwitch port".into()),
                ..PktComponent::default()
            });
            m.packets.counters.push(PktCounter {
                component: id,
                drops_out: drops,
                last_reason: Some("VFP Rule Drop".into()),
                ..PktCounter::default()
            });
            m
        };
        let r = empty_report();
        // a reboot renumbered the component: still the same counter
        let d = diff(&with(31, 100), &with(57, 412), &r, &r);
        let c: Vec<_> = d
            .changes
            .iter()
            .filter(|c| c.object == "drop-counter")
            .collect();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].change, ChangeKind::Changed);
        assert_eq!(c[0].fields[0].field, "drops");
        assert_eq!(
            (c[0].fields[0].before.clone(), c[0].fields[0].after.clone()),
            (100.into(), 412.into())
        );
        assert!(render_text(&d).contains("412"), "{}", render_text(&d));
        let same = diff(&with(31, 100), &with(31, 100), &r, &r);
        assert!(same.changes.is_empty());
    }

    #[test]
    fn added_removed_changed_by_key_case_insensitive() {
        let a = model(&[("AAAA", "cbr0"), ("BBBB", "ext")], &[("E1", "10.0.0.2")]);
        let b = model(&[("aaaa", "cbr1"), ("CCCC", "new")], &[("e1", "10.0.0.2")]);
        let r = empty_report();
        let d = diff(&a, &b, &r, &r);
        let got: Vec<(&str, &str, ChangeKind)> = d
            .changes
            .iter()
            .map(|c| (c.object, c.key.as_str(), c.change))
            .collect();
        assert_eq!(
            got,
            [
                ("network", "aaaa", ChangeKind::Changed),
                ("network", "bbbb", ChangeKind::Removed),
                ("network", "cccc", ChangeKind::Added),
            ]
        );
        assert_eq!(d.changes[0].fields.len(), 1);
        assert_eq!(d.changes[0].fields[0].field, "name");
        let t = render_text(&d);
        assert!(
            t.contains("~ network aaaa (cbr1)\n    name: cbr0 -> cbr1"),
            "{t}"
        );
        let j: Value = serde_json::from_str(&render_json(&d)).unwrap();
        assert_eq!(j["changes"][1]["change"], "removed");
        assert!(render_markdown(&d).contains("| - | network | bbbb (ext) |"));
        assert!(diff(&a, &a, &r, &r).is_empty());
    }
}
