//! The packet path: Packet Monitor components joined to what they carry — vSwitch port →
//! HNS endpoint → pod IP → pod (from `kubectl get pods`) and the services (load-balancer VIPs)
//! the endpoint backs — with each component's drops (counters, and the drops of a capture by
//! reason). Rules and the report's "packet path" section read this one view; it lives in the
//! model crate so that the report does not depend on the rule engine.
//!
//! The join is built once, linear in components + endpoints + pods + load-balancer
//! references: a port component is matched to an endpoint by, in order, its switch port name
//! (= the endpoint's VFP port), a GUID in its name (the endpoint id), the `Container NIC
//! <first 8 hex digits of the endpoint id>` name HNS gives, its MAC, then its IP.

use crate::{Addr, HostModel, ObjId, PktComponent, Prov, Snapshot};
use std::collections::HashMap;

/// What a component is on the path from pod to wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A vSwitch port of an HNS endpoint (a pod's NIC).
    EndpointPort,
    /// Another vSwitch port (owner unknown).
    SwitchPort,
    /// The Virtual Filtering Platform extension (VFP).
    Vfp,
    /// The vSwitch itself or another of its extensions.
    Switch,
    /// The host's vNIC (`vEthernet (…)`).
    HostVnic,
    /// A physical / synthetic network adapter of the host (the wire).
    HostNic,
    /// Anything else (protocols, filters).
    Other,
}

impl Role {
    /// Short words for reports.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::EndpointPort => "pod port",
            Self::SwitchPort => "switch port",
            Self::Vfp => "VFP",
            Self::Switch => "vSwitch",
            Self::HostVnic => "host vNIC",
            Self::HostNic => "host NIC",
            Self::Other => "other",
        }
    }

    /// Order along the path from pod to wire.
    #[must_use]
    pub fn path_order(self) -> u8 {
        match self {
            Self::EndpointPort => 0,
            Self::SwitchPort => 1,
            Self::Vfp => 2,
            Self::Switch => 3,
            Self::HostVnic => 4,
            Self::HostNic => 5,
            Self::Other => 6,
        }
    }
}

/// One component of the path with its owner and drops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop<'m> {
    /// Component id.
    pub id: u32,
    /// Component name.
    pub name: &'m str,
    /// Role on the path.
    pub role: Role,
    /// The HNS endpoint behind a port (index into `model.hns.endpoints`).
    pub endpoint: Option<usize>,
    /// Who that is, in words: `pod default/web-7f9 (10.244.1.5)`, `endpoint <id> (10.244.1.5)`.
    pub owner: Option<String>,
    /// Service VIPs the endpoint backs.
    pub vips: Vec<&'m str>,
    /// Drops counted (the `after` snapshot when there is one).
    pub drops: u64,
    /// Drops that appeared between the `before` and `after` snapshots.
    pub rose: Option<u64>,
    /// The most recent drop reason of the counters.
    pub last_reason: Option<&'m str>,
    /// Drops of a capture by reason, most first.
    pub reasons: Vec<(&'m str, u64)>,
    /// Where the component and its counters were read.
    pub prov: Vec<&'m Prov>,
}

impl<'m> Hop<'m> {
    /// A hop for a component known only by its counters or drops (no component record).
    fn unlisted(id: u32, name: &'m str) -> Self {
        Hop {
            id,
            name,
            role: Role::Other,
            endpoint: None,
            owner: None,
            vips: Vec::new(),
            drops: 0,
            rose: None,
            last_reason: None,
            reasons: Vec::new(),
            prov: Vec::new(),
        }
    }

    /// Drops to report: what rose during a capture when known, else what was counted, else the
    /// capture's drops.
    #[must_use]
    pub fn dropped(&self) -> u64 {
        let captured: u64 = self.reasons.iter().map(|(_, n)| n).sum();
        self.rose.unwrap_or(self.drops).max(captured)
    }
}

/// The whole path view.
#[derive(Debug, Clone, Default)]
pub struct PacketPath<'m> {
    /// Components, in path order (pod ports first, host NICs last), then by id.
    pub hops: Vec<Hop<'m>>,
    /// Capture length in seconds, when known.
    pub capture_seconds: Option<u64>,
    at: HashMap<u32, usize>,
    /// Endpoint index by address (for drops at a NIC of traffic to / from a pod).
    ep_by_ip: HashMap<Addr, usize>,
    owners: Vec<Option<String>>,
}

fn norm_mac(s: &str) -> Option<String> {
    let hex: String = s
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_lowercase();
    (hex.len() == 12).then_some(hex)
}

fn role_of(c: &PktComponent, endpoint: bool) -> Role {
    let name = c.name.to_lowercase();
    let driver = c.driver.as_deref().unwrap_or("").to_lowercase();
    let kind = c.kind.as_deref().unwrap_or("").to_lowercase();
    let group = c.group.as_deref().unwrap_or("").to_lowercase();
    if endpoint {
        Role::EndpointPort
    } else if driver.contains("vfpext") || name.contains("virtual filtering platform") {
        Role::Vfp
    } else if name.starts_with("vethernet") {
        Role::HostVnic
    } else if kind.contains("miniport") || group.contains("adapter") {
        Role::HostNic
    } else if kind.contains("port") || c.port_name.is_some() || name.starts_with("container nic") {
        Role::SwitchPort
    } else if driver.contains("vmswitch") || kind.contains("switch") {
        Role::Switch
    } else {
        Role::Other
    }
}

impl<'m> PacketPath<'m> {
    /// Join the model's Packet Monitor evidence to HNS endpoints, pods and services.
    #[must_use]
    pub fn build(m: &'m HostModel) -> Self {
        let eps = &m.hns.endpoints;
        let mut by_port: HashMap<ObjId, usize> = HashMap::new();
        let mut by_id: HashMap<ObjId, usize> = HashMap::new();
        let mut by_prefix: HashMap<String, usize> = HashMap::new();
        let mut by_mac: HashMap<String, usize> = HashMap::new();
        let mut ep_by_ip: HashMap<Addr, usize> = HashMap::new();
        for (i, e) in eps
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_remote != Some(true))
        {
            if let Some(p) = e.vfp_port.as_deref().and_then(ObjId::parse) {
                by_port.entry(p).or_insert(i);
            }
            if let Some(id) = ObjId::parse(&e.id) {
                by_id.entry(id).or_insert(i);
            }
            let hex: String = e.id.chars().filter(char::is_ascii_hexdigit).collect();
            if let Some(p) = hex.get(..8) {
                by_prefix.entry(p.to_ascii_lowercase()).or_insert(i);
            }
            if let Some(mac) = e.mac.as_deref().and_then(norm_mac) {
                by_mac.entry(mac).or_insert(i);
            }
            for ip in &e.ips {
                ep_by_ip.entry(Addr::parse(ip)).or_insert(i);
            }
        }
        let pod_by_ip: HashMap<Addr, String> = m
            .pods
            .iter()
            .filter_map(|p| {
                let ip = p.ip.as_deref()?;
                let name = match &p.namespace {
                    Some(ns) => format!("{ns}/{}", p.name),
                    None => p.name.clone(),
                };
                Some((Addr::parse(ip), name))
            })
            .collect();
        let mut vips_of: HashMap<usize, Vec<&'m str>> = HashMap::new();
        for lb in &m.hns.load_balancers {
            for r in &lb.endpoint_ids {
                if let Some(&ei) = ObjId::parse(r).and_then(|k| by_id.get(&k)) {
                    let v = vips_of.entry(ei).or_default();
                    for vip in &lb.vips {
                        if !v.contains(&vip.as_str()) {
                            v.push(vip.as_str());
                        }
                    }
                }
            }
        }
        let owners: Vec<Option<String>> = eps
            .iter()
            .map(|e| {
                let ip = e.ips.first()?;
                Some(match pod_by_ip.get(&Addr::parse(ip)) {
                    Some(p) => format!("pod {p} ({ip})"),
                    None => format!("endpoint {} ({ip})", e.name.as_deref().unwrap_or(&e.id)),
                })
            })
            .collect();
        let find_ep = |c: &PktComponent| -> Option<usize> {
            if let Some(i) = c
                .port_name
                .as_deref()
                .and_then(ObjId::parse)
                .and_then(|p| by_port.get(&p).or_else(|| by_id.get(&p)))
            {
                return Some(*i);
            }
            for word in c.name.split([' ', '(', ')', ',']) {
                if let Some(i) = ObjId::parse(word).and_then(|k| by_id.get(&k)) {
                    return Some(*i);
                }
            }
            let low = c.name.to_lowercase();
            if let Some(rest) = low.strip_prefix("container nic ") {
                if let Some(i) = by_prefix.get(rest.trim()) {
                    return Some(*i);
                }
            }
            if let Some(i) = c
                .mac
                .as_deref()
                .and_then(norm_mac)
                .and_then(|k| by_mac.get(&k))
            {
                return Some(*i);
            }
            c.ips
                .iter()
                .find_map(|ip| ep_by_ip.get(&Addr::parse(ip)).copied())
        };
        let mut hops: Vec<Hop<'m>> = Vec::with_capacity(m.packets.components.len());
        let mut at: HashMap<u32, usize> = HashMap::new();
        for c in &m.packets.components {
            if at.contains_key(&c.id) {
                continue;
            }
            let endpoint = find_ep(c);
            at.insert(c.id, hops.len());
            hops.push(Hop {
                id: c.id,
                name: &c.name,
                role: role_of(c, endpoint.is_some()),
                endpoint,
                owner: endpoint.and_then(|i| owners[i].clone()),
                vips: endpoint
                    .and_then(|i| vips_of.get(&i).cloned())
                    .unwrap_or_default(),
                drops: 0,
                rose: None,
                last_reason: None,
                reasons: Vec::new(),
                prov: vec![&c.prov],
            });
        }
        // counters: components only named by the counters get a hop too
        let mut before: HashMap<u32, u64> = HashMap::new();
        let mut after: HashMap<u32, u64> = HashMap::new();
        for k in &m.packets.counters {
            let i = *at.entry(k.component).or_insert_with(|| {
                hops.push(Hop::unlisted(k.component, k.name.as_deref().unwrap_or("")));
                hops.len() - 1
            });
            let h = &mut hops[i];
            match k.snapshot {
                Snapshot::Before => {
                    *before.entry(k.component).or_default() += k.drops();
                }
                Snapshot::After => {
                    *after.entry(k.component).or_default() += k.drops();
                    h.drops = after[&k.component];
                }
                Snapshot::Only => {
                    if !after.contains_key(&k.component) {
                        h.drops = h.drops.max(k.drops());
                    }
                }
            }
            if k.last_reason.is_some() {
                h.last_reason = k.last_reason.as_deref();
            }
            if k.drops() > 0 {
                h.prov.push(&k.prov);
            }
        }
        for (id, a) in &after {
            if let (Some(b), Some(&i)) = (before.get(id), at.get(id)) {
                hops[i].rose = Some(a.saturating_sub(*b));
            }
        }
        for d in &m.packets.drops {
            let i = *at.entry(d.component).or_insert_with(|| {
                hops.push(Hop::unlisted(d.component, ""));
                hops.len() - 1
            });
            let h = &mut hops[i];
            match h.reasons.iter_mut().find(|(r, _)| *r == d.reason) {
                Some((_, n)) => *n += d.count,
                None => h.reasons.push((d.reason.as_str(), d.count)),
            }
            if h.prov.len() < 8 {
                h.prov.push(&d.prov);
            }
        }
        for h in &mut hops {
            h.reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        }
        hops.sort_by_key(|h| (h.role.path_order(), h.id));
        let at = hops.iter().enumerate().map(|(i, h)| (h.id, i)).collect();
        Self {
            hops,
            capture_seconds: m.packets.capture_seconds,
            at,
            ep_by_ip,
            owners,
        }
    }

    /// The hop of a component id.
    #[must_use]
    pub fn hop(&self, id: u32) -> Option<&Hop<'m>> {
        self.at.get(&id).map(|&i| &self.hops[i])
    }

    /// Who owns an address (a local endpoint's pod), in words.
    #[must_use]
    pub fn owner_of_ip(&self, ip: &str) -> Option<&str> {
        let i = *self.ep_by_ip.get(&Addr::parse(ip))?;
        self.owners.get(i)?.as_deref()
    }

    /// Who an endpoint is, in words (by index into `model.hns.endpoints`).
    #[must_use]
    pub fn owner_of_endpoint(&self, i: usize) -> Option<&str> {
        self.owners.get(i)?.as_deref()
    }

    /// Hops with drops.
    pub fn dropping(&self) -> impl Iterator<Item = &Hop<'m>> {
        self.hops.iter().filter(|h| h.dropped() > 0)
    }
}
