//! Content detectors: how sure we are (0–100) that a text is HNS JSON of one kind, or of any.

use super::*;

/// Kind suggested by cheap key markers in the text; `None` when it does not look like HNS JSON.
pub(super) fn detect_kind(text: &str) -> Option<Kind> {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[') || text.contains("\n{") || text.contains("\n[")) {
        return None;
    }
    let k = |m: &str| text.contains(m);
    if k("\"PortPoolAllocations\"") {
        return Some(Kind::PortPool);
    }
    if k("\"FrontendVIPs\"")
        || k("\"HostComputeEndpoints\"")
        || (k("\"References\"") && k("\"ELB\""))
    {
        return Some(Kind::LoadBalancer);
    }
    if k("\"IpConfigurations\"")
        || k("\"IsRemoteEndpoint\"")
        || k("\"VirtualNetwork\"")
        || k("\"HostComputeNetwork\"")
    {
        return Some(Kind::Endpoint);
    }
    if k("\"NamespaceId\"") || (k("\"CompartmentId\"") && k("\"Resources\"")) {
        return Some(Kind::Namespace);
    }
    if k("\"ID\"")
        && (k("\"Subnets\"")
            || k("\"Ipams\"")
            || k("\"ManagementIP\"")
            || k("\"NetworkAdapterName\""))
    {
        return Some(Kind::Network);
    }
    if k("\"Major\"") && k("\"Minor\"") && text.len() < 400 {
        return Some(Kind::Version);
    }
    None
}

pub(super) fn detect_for(text: &str, want: Kind) -> u8 {
    if detect_kind(text) == Some(want) {
        85
    } else {
        0
    }
}

/// Detector: networks JSON.
#[must_use]
pub fn detect_networks(text: &str) -> u8 {
    detect_for(text, Kind::Network)
}
/// Detector: endpoints JSON.
#[must_use]
pub fn detect_endpoints(text: &str) -> u8 {
    detect_for(text, Kind::Endpoint)
}
/// Detector: namespaces JSON.
#[must_use]
pub fn detect_namespaces(text: &str) -> u8 {
    detect_for(text, Kind::Namespace)
}
/// Detector: load balancers / policy lists JSON.
#[must_use]
pub fn detect_load_balancers(text: &str) -> u8 {
    detect_for(text, Kind::LoadBalancer)
}
/// Detector: port pools JSON.
#[must_use]
pub fn detect_port_pools(text: &str) -> u8 {
    detect_for(text, Kind::PortPool)
}
/// Detector: version JSON.
#[must_use]
pub fn detect_version(text: &str) -> u8 {
    detect_for(text, Kind::Version)
}
/// Detector for mixed documents (`hnsdiag list all -d`): JSON after `Networks:`-style headers.
#[must_use]
pub fn detect_any(text: &str) -> u8 {
    let headers = text
        .lines()
        .take(400)
        .filter(|l| {
            let t = l.trim();
            t.ends_with(':') && Kind::from_word(t).is_some()
        })
        .count();
    if headers >= 2 && detect_kind(text).is_some() {
        90
    } else {
        0
    }
}
