//! Field accessors over a JSON object (case-insensitive keys, numbers written as strings,
//! depth-truncated `ConvertTo-Json` values noted), policies and port-pool allocators.

use super::*;

/// Field by exact name, then ASCII case-insensitively.
pub(super) fn field<'v>(o: &'v Map<String, Value>, k: &str) -> Option<&'v Value> {
    o.get(k).or_else(|| {
        o.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v)
    })
}

pub(super) fn has(o: &Map<String, Value>, k: &str) -> bool {
    field(o, k).is_some()
}

pub(super) fn s(o: &Map<String, Value>, k: &str) -> Option<String> {
    match field(o, k)? {
        Value::String(x) if !x.trim().is_empty() => Some(x.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn u(o: &Map<String, Value>, k: &str) -> Option<u64> {
    match field(o, k)? {
        Value::Number(n) => n.as_u64(),
        Value::String(x) => x.trim().parse().ok(),
        Value::Bool(b) => Some(u64::from(*b)),
        _ => None,
    }
}

pub(super) fn b(o: &Map<String, Value>, k: &str) -> Option<bool> {
    match field(o, k)? {
        Value::Bool(x) => Some(*x),
        Value::String(x) => psformat::ps_bool(x),
        Value::Number(n) => n.as_u64().map(|v| v != 0),
        _ => None,
    }
}

pub(super) fn u32_of(v: Option<u64>) -> Option<u32> {
    v.and_then(|x| u32::try_from(x).ok())
}

/// A depth-truncated ConvertTo-Json rendering in place of an object or array.
pub(super) fn is_depth_truncated(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("@{") || t.starts_with("System.Object[]") || t.starts_with("System.Collections.")
}

/// An array field; PS 5.1 `{"value":[…]}` unwrapped; a depth-truncated string is noted.
pub(super) fn arr<'v>(o: &'v Map<String, Value>, k: &str, notes: &mut Notes) -> &'v [Value] {
    match field(o, k) {
        Some(Value::Array(a)) => a,
        Some(Value::Object(w)) => match w.get("value") {
            Some(Value::Array(a)) => a,
            _ => &[],
        },
        Some(Value::String(x)) if is_depth_truncated(x) => {
            notes.truncated(k);
            &[]
        }
        _ => &[],
    }
}

/// An object field (borrowed, not cloned); a depth-truncated `@{K=V}` string is read back as an
/// object of strings.
pub(super) fn obj<'a>(
    o: &'a Map<String, Value>,
    k: &str,
    notes: &mut Notes,
) -> Option<std::borrow::Cow<'a, Map<String, Value>>> {
    match field(o, k)? {
        Value::Object(m) => Some(std::borrow::Cow::Borrowed(m)),
        Value::String(x) if is_depth_truncated(x) => {
            notes.truncated(k);
            psformat::parse_nested(x).map(|pairs| {
                std::borrow::Cow::Owned(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect(),
                )
            })
        }
        _ => None,
    }
}

/// Strings of an array field, or a comma-separated string.
pub(super) fn strings(o: &Map<String, Value>, k: &str, notes: &mut Notes) -> Vec<String> {
    if let Some(Value::String(x)) = field(o, k) {
        if is_depth_truncated(x) {
            notes.truncated(k);
            return Vec::new();
        }
        return x
            .split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
    }
    arr(o, k, notes)
        .iter()
        .filter_map(|v| match v {
            Value::String(x) => Some(x.trim().to_string()),
            Value::Object(m) => s(m, "ID"),
            _ => None,
        })
        .filter(|x| !x.is_empty())
        .collect()
}

pub(super) fn guid(o: &Map<String, Value>, k: &str) -> Option<String> {
    s(o, k).map(|g| norm_guid(&g))
}

/// Policies: v2 `{Type, Settings}` or v1 flat objects with `Type`.
pub(super) fn policies(o: &Map<String, Value>, notes: &mut Notes) -> Vec<Policy> {
    arr(o, "Policies", notes)
        .iter()
        .filter_map(|p| match p {
            Value::Object(m) => {
                let kind = s(m, "Type").unwrap_or_default();
                let settings = match field(m, "Settings") {
                    Some(v) => v.clone(),
                    None => {
                        let mut rest = m.clone();
                        rest.remove("Type");
                        Value::Object(rest)
                    }
                };
                Some(Policy { kind, settings })
            }
            Value::String(x) => {
                // depth-truncated "@{Type=ROUTE; …}"
                let pairs = psformat::parse_nested(x)?;
                notes.truncated("Policies");
                let kind = pairs
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("Type"))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                let settings = pairs
                    .into_iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("Type"))
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect();
                Some(Policy {
                    kind,
                    settings: Value::Object(settings),
                })
            }
            _ => None,
        })
        .collect()
}

/// Every `Allocators` entry anywhere below the object `o` (networks keep them under
/// `Resources` or `Layer.Resources`), depth-limited, borrowed (no copy of the object).
pub(super) fn allocators<'a>(o: &'a Map<String, Value>, out: &mut Vec<&'a Map<String, Value>>) {
    allocators_in(o, 0, out);
}

pub(super) fn allocators_in<'a>(
    m: &'a Map<String, Value>,
    depth: u32,
    out: &mut Vec<&'a Map<String, Value>>,
) {
    for (k, x) in m {
        if k.eq_ignore_ascii_case("Allocators") {
            if let Value::Array(a) = x {
                out.extend(a.iter().filter_map(Value::as_object));
            }
        }
        allocators_value(x, depth + 1, out);
    }
}

pub(super) fn allocators_value<'a>(
    v: &'a Value,
    depth: u32,
    out: &mut Vec<&'a Map<String, Value>>,
) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Object(m) => allocators_in(m, depth, out),
        Value::Array(a) => a.iter().for_each(|x| allocators_value(x, depth + 1, out)),
        _ => {}
    }
}

pub(super) fn allocator_tag(a: &Map<String, Value>) -> String {
    s(a, "Tag").unwrap_or_default().to_ascii_lowercase()
}
