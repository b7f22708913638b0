//! [`ModelIndex`]: the host model's ids and addresses parsed once into typed keys, with hash
//! maps from those keys to objects. Built lazily, once per run, by [`crate::Ctx::index`] and
//! shared by every rule that joins objects (load-balancer backends to endpoints, endpoints to
//! VFP ports, addresses to endpoints and load balancers).
//!
//! The model keeps ids and addresses as strings (the parsers fill them); comparing those
//! strings inside loops over endpoints and load balancers made rules quadratic (20,000
//! endpoints × 30,000 backend references). Here every GUID becomes an [`ObjId`] (a
//! `uuid::Uuid`, braces and case ignored) and every address an [`Addr`] (a
//! [`std::net::IpAddr`], `/prefix` and `%zone` ignored) exactly once, so a join is one hash
//! lookup. Non-GUID ids (hand-written tests, odd sources) and non-address strings fall back to
//! a normalised string key, keeping the old comparison's meaning (`norm_guid` / `same_ip`).
//!
//! Every map keeps objects in model order (the first match is the one a linear `find` would
//! have returned), so findings and their evidence are the same as before.

use hnsdoctor_model::HostModel;
use std::collections::{HashMap, HashSet};

pub use hnsdoctor_model::{Addr, ObjId};

/// Lookups over one model, built in one pass over its objects.
#[derive(Debug, Default)]
pub struct ModelIndex {
    /// Endpoint index by id (first in model order).
    endpoint_by_id: HashMap<ObjId, usize>,
    /// Endpoint indices by address (model order).
    endpoints_by_addr: HashMap<Addr, Vec<usize>>,
    /// Endpoint index by its VFP port id (first in model order).
    endpoint_by_vfp_port: HashMap<ObjId, usize>,
    /// Parsed addresses of each endpoint, in `Endpoint::ips` order.
    endpoint_addrs: Vec<Vec<Addr>>,
    /// Per load balancer: its backends that exist, as endpoint indices (reference order,
    /// duplicates kept), and the references that match no endpoint.
    lb_backends: Vec<Vec<usize>>,
    lb_missing: Vec<Vec<usize>>,
    /// Load-balancer indices by frontend VIP (model order).
    lbs_by_vip: HashMap<Addr, Vec<usize>>,
    /// Load-balancer indices by backend endpoint index (model order).
    lbs_by_backend: HashMap<usize, Vec<usize>>,
    /// Parsed VIPs of each load balancer, in `LoadBalancer::vips` order.
    lb_vips: Vec<Vec<Addr>>,
    /// Addresses of every endpoint that backs a load balancer.
    backend_addrs: HashSet<Addr>,
    /// Every VIP and source VIP of a load balancer.
    vip_addrs: HashSet<Addr>,
    /// VFP port index by port id (first in model order).
    vfp_port_by_id: HashMap<ObjId, usize>,
    /// Network index by id (first in model order).
    network_by_id: HashMap<ObjId, usize>,
}

impl ModelIndex {
    /// Index `m`: one pass over endpoints, load balancers, VFP ports and networks.
    #[must_use]
    pub fn build(m: &HostModel) -> Self {
        let hns = &m.hns;
        let mut ix = Self {
            endpoint_addrs: Vec::with_capacity(hns.endpoints.len()),
            ..Self::default()
        };
        ix.endpoint_by_id.reserve(hns.endpoints.len());
        for (i, e) in hns.endpoints.iter().enumerate() {
            if let Some(id) = ObjId::parse(&e.id) {
                ix.endpoint_by_id.entry(id).or_insert(i);
            }
            if let Some(p) = e.vfp_port.as_deref().and_then(ObjId::parse) {
                ix.endpoint_by_vfp_port.entry(p).or_insert(i);
            }
            let addrs: Vec<Addr> = e.ips.iter().map(|s| Addr::parse(s)).collect();
            for a in &addrs {
                let v = ix.endpoints_by_addr.entry(a.clone()).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
            ix.endpoint_addrs.push(addrs);
        }
        for (li, lb) in hns.load_balancers.iter().enumerate() {
            let mut found = Vec::with_capacity(lb.endpoint_ids.len());
            let mut missing = Vec::new();
            for (ri, id) in lb.endpoint_ids.iter().enumerate() {
                match ObjId::parse(id).and_then(|k| ix.endpoint_by_id.get(&k).copied()) {
                    Some(ei) => {
                        found.push(ei);
                        let v = ix.lbs_by_backend.entry(ei).or_default();
                        if v.last() != Some(&li) {
                            v.push(li);
                        }
                        for a in &ix.endpoint_addrs[ei] {
                            ix.backend_addrs.insert(a.clone());
                        }
                    }
                    None => missing.push(ri),
                }
            }
            ix.lb_backends.push(found);
            ix.lb_missing.push(missing);
            let vips: Vec<Addr> = lb.vips.iter().map(|s| Addr::parse(s)).collect();
            for a in &vips {
                let v = ix.lbs_by_vip.entry(a.clone()).or_default();
                if v.last() != Some(&li) {
                    v.push(li);
                }
                ix.vip_addrs.insert(a.clone());
            }
            if let Some(sv) = &lb.source_vip {
                ix.vip_addrs.insert(Addr::parse(sv));
            }
            ix.lb_vips.push(vips);
        }
        for (i, p) in m.vfp.ports.iter().enumerate() {
            if let Some(id) = ObjId::parse(&p.name) {
                ix.vfp_port_by_id.entry(id).or_insert(i);
            }
        }
        for (i, n) in hns.networks.iter().enumerate() {
            if let Some(id) = ObjId::parse(&n.id) {
                ix.network_by_id.entry(id).or_insert(i);
            }
        }
        ix
    }

    /// The first endpoint with this id.
    #[must_use]
    pub fn endpoint(&self, id: &str) -> Option<usize> {
        self.endpoint_by_id.get(&ObjId::parse(id)?).copied()
    }

    /// Endpoints holding this address, in model order.
    #[must_use]
    pub fn endpoints_with_addr(&self, addr: &Addr) -> &[usize] {
        self.endpoints_by_addr.get(addr).map_or(&[], Vec::as_slice)
    }

    /// The endpoint whose VFP port this is.
    #[must_use]
    pub fn endpoint_of_vfp_port(&self, port: &str) -> Option<usize> {
        self.endpoint_by_vfp_port.get(&ObjId::parse(port)?).copied()
    }

    /// The parsed addresses of endpoint `i`.
    #[must_use]
    pub fn endpoint_addrs(&self, i: usize) -> &[Addr] {
        self.endpoint_addrs.get(i).map_or(&[], Vec::as_slice)
    }

    /// The existing backends of load balancer `i` (endpoint indices, reference order).
    #[must_use]
    pub fn lb_backends(&self, i: usize) -> &[usize] {
        self.lb_backends.get(i).map_or(&[], Vec::as_slice)
    }

    /// Positions in `endpoint_ids` of load balancer `i` that match no endpoint.
    #[must_use]
    pub fn lb_missing_backends(&self, i: usize) -> &[usize] {
        self.lb_missing.get(i).map_or(&[], Vec::as_slice)
    }

    /// The parsed VIPs of load balancer `i`.
    #[must_use]
    pub fn lb_vips(&self, i: usize) -> &[Addr] {
        self.lb_vips.get(i).map_or(&[], Vec::as_slice)
    }

    /// Load balancers with this frontend VIP, in model order.
    #[must_use]
    pub fn lbs_with_vip(&self, addr: &Addr) -> &[usize] {
        self.lbs_by_vip.get(addr).map_or(&[], Vec::as_slice)
    }

    /// Load balancers that have endpoint `i` as a backend, in model order.
    #[must_use]
    pub fn lbs_with_backend(&self, endpoint: usize) -> &[usize] {
        self.lbs_by_backend
            .get(&endpoint)
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the address belongs to an endpoint that backs some load balancer.
    #[must_use]
    pub fn is_backend_addr(&self, a: &Addr) -> bool {
        self.backend_addrs.contains(a)
    }

    /// Whether the address is a VIP or source VIP of some load balancer.
    #[must_use]
    pub fn is_vip_addr(&self, a: &Addr) -> bool {
        self.vip_addrs.contains(a)
    }

    /// The first VFP port with this id.
    #[must_use]
    pub fn vfp_port(&self, id: &str) -> Option<usize> {
        self.vfp_port_by_id.get(&ObjId::parse(id)?).copied()
    }

    /// The first network with this id.
    #[must_use]
    pub fn network(&self, id: &str) -> Option<usize> {
        self.network_by_id.get(&ObjId::parse(id)?).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_model::{Endpoint, LoadBalancer, VfpPort};

    #[test]
    fn ids_ignore_case_and_braces_and_fall_back_to_text() {
        let a = ObjId::parse("{3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c}").unwrap();
        let b = ObjId::parse(" 3F6A2B1C-8D4E-4F5A-9B6C-7D8E9F0A1B2C ").unwrap();
        assert_eq!(a, b);
        assert!(matches!(a, ObjId::Guid(_)));
        assert_eq!(ObjId::parse("{a1}"), ObjId::parse("A1"));
        assert_ne!(ObjId::parse("A1"), ObjId::parse("A2"));
        assert_eq!(ObjId::parse(" {} "), None);
    }

    #[test]
    fn addresses_ignore_prefix_and_zone() {
        assert_eq!(Addr::parse("10.0.0.1/24"), Addr::parse(" 10.0.0.1 "));
        assert_eq!(Addr::parse("fe80::1%3"), Addr::parse("FE80::1"));
        assert_eq!(Addr::parse("Ethernet"), Addr::parse("ethernet "));
        assert_ne!(Addr::parse("10.0.0.1"), Addr::parse("10.0.0.2"));
        assert_eq!(Addr::parse("x").ip(), None);
    }

    #[test]
    fn joins_keep_model_order_and_report_missing_backends() {
        let mut m = HostModel::new();
        let ep = |id: &str, ip: &str, port: Option<&str>| Endpoint {
            id: id.into(),
            ips: vec![ip.into()],
            vfp_port: port.map(Into::into),
            ..Endpoint::default()
        };
        m.hns.endpoints = vec![
            ep("E1", "10.0.0.1", Some("p1")),
            ep("E2", "10.0.0.2", None),
            ep("E1", "10.0.0.9", None), // duplicate id: the first wins
            ep("E3", "10.0.0.1", None), // same IP as E1
        ];
        m.hns.load_balancers = vec![
            LoadBalancer {
                vips: vec!["10.96.0.10".into()],
                source_vip: Some("10.0.0.100".into()),
                endpoint_ids: vec!["e2".into(), "gone".into(), "{E1}".into()],
                ..LoadBalancer::default()
            },
            LoadBalancer {
                vips: vec!["10.96.0.10/32".into()],
                endpoint_ids: vec!["E2".into()],
                ..LoadBalancer::default()
            },
        ];
        m.vfp.ports = vec![VfpPort {
            name: "P1".into(),
            ..VfpPort::default()
        }];
        let ix = ModelIndex::build(&m);
        assert_eq!(ix.endpoint("e1"), Some(0));
        assert_eq!(ix.endpoints_with_addr(&Addr::parse("10.0.0.1")), &[0, 3]);
        assert_eq!(ix.lb_backends(0), &[1, 0]);
        assert_eq!(ix.lb_missing_backends(0), &[1]);
        assert_eq!(ix.lbs_with_backend(1), &[0, 1]);
        assert_eq!(ix.lbs_with_vip(&Addr::parse("10.96.0.10")), &[0, 1]);
        assert!(ix.is_backend_addr(&Addr::parse("10.0.0.2")));
        assert!(!ix.is_backend_addr(&Addr::parse("10.0.0.9")));
        assert!(ix.is_vip_addr(&Addr::parse("10.0.0.100")));
        assert_eq!(ix.vfp_port("p1"), Some(0));
        assert_eq!(ix.endpoint_of_vfp_port("{P1}"), Some(0));
        assert_eq!(ix.network("x"), None);
    }
}
