//! Which HNS API schema (v1 `HNSCall` / v2 HCN) an object is written in, and which kind of
//! object it is when the file does not say (`infer`).

use super::*;

pub(super) fn schema_of(o: &Map<String, Value>) -> ApiSchema {
    if let Some(Value::Object(sv)) = field(o, "SchemaVersion") {
        return if u(sv, "Major").unwrap_or(2) >= 2 {
            ApiSchema::V2
        } else {
            ApiSchema::V1
        };
    }
    const V2: &[&str] = &[
        "IpConfigurations",
        "HostComputeNetwork",
        "HostComputeEndpoints",
        "HostComputeNamespace",
        "FrontendVIPs",
        "Ipams",
        "PortMappings",
    ];
    const V1: &[&str] = &[
        "VirtualNetwork",
        "VirtualNetworkName",
        "IsRemoteEndpoint",
        "References",
        "ManagementIP",
        "Subnets",
        "IPAddress",
        "MacPools",
    ];
    if V2.iter().any(|k| has(o, k)) {
        ApiSchema::V2
    } else if V1.iter().any(|k| has(o, k)) {
        ApiSchema::V1
    } else {
        ApiSchema::Unknown
    }
}

/// Infer an object's kind from its fields; `None` when not distinctive.
#[must_use]
pub(super) fn infer(o: &Map<String, Value>) -> Option<Kind> {
    if has(o, "Major") && has(o, "Minor") && o.len() <= 4 {
        return Some(Kind::Version);
    }
    if has(o, "FrontendVIPs") || has(o, "HostComputeEndpoints") || has(o, "PortMappings") {
        return Some(Kind::LoadBalancer);
    }
    if has(o, "References") {
        return Some(Kind::LoadBalancer);
    }
    if [
        "IpConfigurations",
        "HostComputeNetwork",
        "VirtualNetwork",
        "IsRemoteEndpoint",
        "IPAddress",
    ]
    .iter()
    .any(|k| has(o, k))
    {
        return Some(Kind::Endpoint);
    }
    if has(o, "NamespaceId") || has(o, "ResourceList") {
        return Some(Kind::Namespace);
    }
    if has(o, "CompartmentId")
        && s(o, "Type").is_some_and(|t| {
            ["host", "hostdefault", "guest", "guestdefault"]
                .contains(&t.to_ascii_lowercase().as_str())
        })
    {
        return Some(Kind::Namespace);
    }
    if [
        "Subnets",
        "Ipams",
        "ManagementIP",
        "NetworkAdapterName",
        "MacPools",
        "MacPool",
        "Extensions",
    ]
    .iter()
    .any(|k| has(o, k))
    {
        return Some(Kind::Network);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Object builders
// ---------------------------------------------------------------------------------------------
