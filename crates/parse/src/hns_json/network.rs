//! Build a model `Network` from one HNS network object (v1 or v2).

use super::*;

pub(super) fn network(o: &Map<String, Value>, prov: Prov, notes: &mut Notes) -> Network {
    let schema = schema_of(o);
    let mut n = Network {
        id: guid(o, "ID").unwrap_or_default(),
        name: s(o, "Name").unwrap_or_default(),
        net_type: s(o, "Type").unwrap_or_else(|| {
            if schema == ApiSchema::V2 {
                "NAT".to_string()
            } else {
                String::new()
            }
        }),
        management_ip: s(o, "ManagementIP"),
        adapter_name: s(o, "NetworkAdapterName"),
        flags: u(o, "Flags"),
        policies: policies(o, notes),
        object_version: u(o, "Version"),
        state: u32_of(u(o, "State")),
        schema,
        prov,
        ..Network::default()
    };
    if n.adapter_name.is_none() {
        n.adapter_name = n
            .policies
            .iter()
            .find(|p| p.kind.eq_ignore_ascii_case("NetAdapterName"))
            .and_then(|p| p.settings.get("NetworkAdapterName"))
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    for sn in arr(o, "Subnets", notes) {
        if let Some(m) = sn.as_object() {
            if let Some(prefix) = s(m, "AddressPrefix").or_else(|| s(m, "IpAddressPrefix")) {
                n.subnets.push(Subnet {
                    prefix,
                    gateway: s(m, "GatewayAddress"),
                });
            }
        } else if let Some(x) = sn.as_str().and_then(psformat::parse_nested) {
            notes.truncated("Subnets");
            let get = |k: &str| {
                x.iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.clone())
                    .filter(|v| !v.is_empty())
            };
            if let Some(prefix) = get("AddressPrefix") {
                n.subnets.push(Subnet {
                    prefix,
                    gateway: get("GatewayAddress"),
                });
            }
        }
    }
    for ipam in arr(o, "Ipams", notes).iter().filter_map(Value::as_object) {
        for sn in arr(ipam, "Subnets", notes)
            .iter()
            .filter_map(Value::as_object)
        {
            let Some(prefix) = s(sn, "IpAddressPrefix") else {
                continue;
            };
            let gateway = arr(sn, "Routes", notes)
                .iter()
                .filter_map(Value::as_object)
                .find(|r| s(r, "DestinationPrefix").is_none_or(|d| d == "0.0.0.0/0" || d == "::/0"))
                .and_then(|r| s(r, "NextHop"));
            n.subnets.push(Subnet { prefix, gateway });
        }
    }
    n.dns_servers = strings(o, "DNSServerList", notes);
    if let Some(dns) = obj(o, "Dns", notes) {
        n.dns_servers.extend(strings(&dns, "ServerList", notes));
    }
    for e in arr(o, "Extensions", notes)
        .iter()
        .filter_map(Value::as_object)
    {
        n.extensions.push(SwitchExtension {
            id: guid(e, "Id").unwrap_or_default(),
            name: s(e, "Name"),
            enabled: b(e, "IsEnabled").unwrap_or(false),
        });
    }
    let mut allocs = Vec::new();
    allocators(o, &mut allocs);
    for a in &allocs {
        match allocator_tag(a).as_str() {
            "host vnic" => {
                n.host_vnic_port = n
                    .host_vnic_port
                    .take()
                    .or_else(|| guid(a, "EndpointPortGuid").or_else(|| guid(a, "ID")));
            }
            "external adapter info" => {
                n.external_port = n
                    .external_port
                    .take()
                    .or_else(|| guid(a, "ExternalNicPortGuid"));
            }
            _ => {}
        }
    }
    n
}
