//! Build a model `PortPoolAllocation` from one port-pool allocation object.

use super::*;

pub(super) fn port_pool(o: &Map<String, Value>, prov: Prov) -> PortPoolAllocation {
    let first = |keys: &[&str]| keys.iter().find_map(|k| u(o, k));
    PortPoolAllocation {
        protocol: s(o, "Protocol").and_then(|p| protocol_number(&p)),
        start: first(&["StartPort", "Start", "PortStart", "StartingPort"])
            .and_then(|x| u16::try_from(x).ok()),
        count: u32_of(first(&[
            "Count",
            "NumberOfPorts",
            "PortCount",
            "Size",
            "NumPorts",
        ])),
        owner: ["Owner", "Name", "Tag", "Id", "ID"]
            .iter()
            .find_map(|k| s(o, k)),
        raw: Value::Object(o.clone()),
        prov,
    }
}

// ---------------------------------------------------------------------------------------------
// Parse entry points
// ---------------------------------------------------------------------------------------------
