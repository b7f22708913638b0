//! Build a model `LoadBalancer` from one HNS policy list / load balancer object (v1 or v2).

use super::*;

pub(super) fn mapping_flags(ilb: Option<bool>, local_routed: Option<bool>) -> u64 {
    u64::from(ilb == Some(true)) | (u64::from(local_routed == Some(true)) << 1)
}

/// A v2 load balancer, or a v1 policy list with ELB policies; `None` for other policy lists.
pub(super) fn load_balancer(
    o: &Map<String, Value>,
    prov: Prov,
    notes: &mut Notes,
) -> Option<LoadBalancer> {
    let schema = schema_of(o);
    let mut lb = LoadBalancer {
        id: guid(o, "ID").unwrap_or_default(),
        source_vip: s(o, "SourceVIP"),
        flags: u(o, "Flags"),
        state: u32_of(u(o, "State")),
        schema,
        prov,
        ..LoadBalancer::default()
    };
    if has(o, "References") || (!has(o, "PortMappings") && has(o, "Policies")) {
        lb.schema = ApiSchema::V1;
        lb.endpoint_ids = strings(o, "References", notes)
            .iter()
            .map(|r| norm_guid(r.rsplit('/').next().unwrap_or(r)))
            .collect();
        let elbs: Vec<Map<String, Value>> = arr(o, "Policies", notes)
            .iter()
            .filter_map(Value::as_object)
            .filter(|p| s(p, "Type").is_some_and(|t| t.eq_ignore_ascii_case("ELB")))
            .cloned()
            .collect();
        if elbs.is_empty() {
            return None;
        }
        for p in &elbs {
            for v in strings(p, "VIPs", notes) {
                if !lb.vips.contains(&v) {
                    lb.vips.push(v);
                }
            }
            if lb.source_vip.is_none() {
                lb.source_vip = s(p, "SourceVIP");
            }
            let ilb = b(p, "ILB");
            let dsr = b(p, "IsDSR");
            if dsr.is_some() {
                lb.dsr = Some(lb.dsr.unwrap_or(false) || dsr == Some(true));
            }
            if ilb.is_some() {
                lb.ilb = Some(lb.ilb.unwrap_or(false) || ilb == Some(true));
            }
            lb.port_mappings.push(PortMapping {
                protocol: u32_of(u(p, "Protocol")).unwrap_or(0),
                internal_port: u(p, "InternalPort")
                    .and_then(|x| u16::try_from(x).ok())
                    .unwrap_or(0),
                external_port: u(p, "ExternalPort")
                    .and_then(|x| u16::try_from(x).ok())
                    .unwrap_or(0),
                flags: mapping_flags(ilb, b(p, "LocalRoutedVip")),
                distribution: 0,
            });
        }
        return Some(lb);
    }
    lb.schema = if schema == ApiSchema::Unknown {
        ApiSchema::V2
    } else {
        schema
    };
    lb.vips = strings(o, "FrontendVIPs", notes);
    lb.endpoint_ids = strings(o, "HostComputeEndpoints", notes)
        .iter()
        .map(|g| norm_guid(g))
        .collect();
    lb.dsr = Some(lb.flags.unwrap_or(0) & 1 == 1);
    for m in arr(o, "PortMappings", notes)
        .iter()
        .filter_map(Value::as_object)
    {
        lb.port_mappings.push(PortMapping {
            protocol: u32_of(u(m, "Protocol")).unwrap_or(0),
            internal_port: u(m, "InternalPort")
                .and_then(|x| u16::try_from(x).ok())
                .unwrap_or(0),
            external_port: u(m, "ExternalPort")
                .and_then(|x| u16::try_from(x).ok())
                .unwrap_or(0),
            flags: u(m, "Flags").unwrap_or(0),
            distribution: u32_of(u(m, "DistributionType")).unwrap_or(0),
        });
    }
    lb.ilb = Some(lb.port_mappings.iter().any(|m| m.flags & 1 == 1));
    Some(lb)
}

pub(super) fn protocol_number(v: &str) -> Option<u32> {
    match v.trim().to_ascii_lowercase().as_str() {
        "tcp" => Some(6),
        "udp" => Some(17),
        "sctp" => Some(132),
        x => x.parse().ok(),
    }
}
