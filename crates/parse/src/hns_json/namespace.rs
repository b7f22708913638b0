//! Build a model `Namespace` from one HNS namespace (compartment) object.

use super::*;

pub(super) fn namespace(o: &Map<String, Value>, prov: Prov, notes: &mut Notes) -> Namespace {
    let mut n = Namespace {
        id: guid(o, "ID").unwrap_or_default(),
        compartment_id: u32_of(u(o, "NamespaceId").or_else(|| u(o, "CompartmentId"))),
        ns_type: s(o, "Type"),
        is_default: b(o, "IsDefault"),
        prov,
        ..Namespace::default()
    };
    let mut res: Vec<&Value> = arr(o, "Resources", notes).iter().collect();
    res.extend(arr(o, "ResourceList", notes).iter());
    for r in res.into_iter().filter_map(Value::as_object) {
        let t = s(r, "Type").unwrap_or_default().to_ascii_lowercase();
        let id = obj(r, "Data", notes)
            .and_then(|d| guid(&d, "ID").or_else(|| guid(&d, "ContainerId")))
            .or_else(|| guid(r, "ID"));
        match (t.as_str(), id) {
            ("endpoint", Some(id)) => n.endpoint_ids.push(id),
            ("container", Some(id)) => n.container_ids.push(id),
            _ => {}
        }
    }
    n
}
