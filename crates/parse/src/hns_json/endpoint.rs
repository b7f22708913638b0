//! Build a model `Endpoint` from one HNS endpoint object (v1 or v2).

use super::*;

pub(super) fn endpoint(o: &Map<String, Value>, prov: Prov, notes: &mut Notes) -> Endpoint {
    let schema = schema_of(o);
    let flags = u(o, "Flags");
    let mut e = Endpoint {
        id: guid(o, "ID").unwrap_or_default(),
        name: s(o, "Name"),
        network_id: guid(o, "VirtualNetwork").or_else(|| guid(o, "HostComputeNetwork")),
        network_name: s(o, "VirtualNetworkName"),
        prefix_length: u(o, "PrefixLength").and_then(|p| u8::try_from(p).ok()),
        mac: s(o, "MacAddress"),
        is_remote: b(o, "IsRemoteEndpoint"),
        state: u32_of(u(o, "State")),
        namespace_id: guid(o, "HostComputeNamespace"),
        encap_overhead: u32_of(u(o, "EncapOverhead")),
        gateway: s(o, "GatewayAddress"),
        policies: policies(o, notes),
        flags,
        schema,
        prov,
        ..Endpoint::default()
    };
    if e.is_remote.is_none() && schema == ApiSchema::V2 {
        // v2: RemoteEndpoint = Flags & 1; Flags 0 is omitted (omitempty).
        e.is_remote = Some(flags.unwrap_or(0) & 1 == 1);
    }
    if e.is_remote.is_none() && schema == ApiSchema::V1 && has(o, "State") {
        // v1 JSON carries `IsRemoteEndpoint` with omitempty (hcsshim's HNSEndpoint), so a v1
        // object that has its State but no IsRemoteEndpoint is a local endpoint.
        e.is_remote = Some(false);
    }
    e.ips.extend(s(o, "IPAddress"));
    e.ips.extend(s(o, "IPv6Address"));
    for (i, c) in arr(o, "IpConfigurations", notes)
        .iter()
        .filter_map(Value::as_object)
        .enumerate()
    {
        e.ips.extend(s(c, "IpAddress"));
        if i == 0 && e.prefix_length.is_none() {
            e.prefix_length = u(c, "PrefixLength").and_then(|p| u8::try_from(p).ok());
        }
    }
    if e.namespace_id.is_none() {
        e.namespace_id = obj(o, "Namespace", notes).and_then(|m| guid(&m, "ID"));
    }
    if e.gateway.is_none() {
        e.gateway = arr(o, "Routes", notes)
            .iter()
            .filter_map(Value::as_object)
            .find(|r| s(r, "DestinationPrefix").is_none_or(|d| d == "0.0.0.0/0"))
            .and_then(|r| s(r, "NextHop"));
    }
    if e.encap_overhead.is_none() {
        e.encap_overhead = e
            .policies
            .iter()
            .find(|p| p.kind.eq_ignore_ascii_case("EncapOverhead"))
            .and_then(|p| p.settings.get("Overhead"))
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|x| x.parse().ok()))
            })
            .and_then(|x| u32::try_from(x).ok());
    }
    let mut allocs = Vec::new();
    allocators(o, &mut allocs);
    for a in &allocs {
        if allocator_tag(a) == "endpoint port" {
            e.vfp_port = e.vfp_port.take().or_else(|| guid(a, "EndpointPortGuid"));
        }
        if e.compartment_id.is_none() {
            e.compartment_id = u32_of(u(a, "CompartmendId").or_else(|| u(a, "CompartmentId")));
        }
    }
    e
}
