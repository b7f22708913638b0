//! Packet drops from Packet Monitor (`pktmon counters`, a drops-only capture), joined to the
//! endpoint and pod they hit ([`crate::packets::PacketPath`]).

pub mod by_reason;
pub mod single_endpoint;
pub mod vip_at_nic;

use crate::packets::{Hop, Role};

/// Where a hop is, in words: "its port" for a pod's port, else the component.
pub(crate) fn place(h: &Hop<'_>) -> String {
    match h.role {
        Role::EndpointPort => "its port".to_string(),
        r => format!("the {} '{}' (component {})", r.label(), h.name, h.id),
    }
}

/// " in 60 s" when the capture length is known.
pub(crate) fn window(secs: Option<u64>) -> String {
    secs.map(|s| format!(" in {s} s")).unwrap_or_default()
}

/// Top `n` of a tally, most first, as `name ×count` joined with `, `.
pub(crate) fn top(tally: &std::collections::HashMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = tally.iter().map(|(k, c)| (k.clone(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}
