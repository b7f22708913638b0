//! `winnat-stale-static-mapping` — a stale WinNAT static mapping blocks endpoint creation.
//!
//! # What it finds
//! * `Get-NetNatStaticMapping` rows whose external port is a port being published (a port named
//!   in a docker / HNS endpoint error, or a `docker run -p` command shown in the input) — error;
//! * static mappings whose internal address belongs to no HNS endpoint (when endpoints were
//!   read): left behind by containers that are gone — warning;
//! * docker / HNS "failed to create endpoint … on network nat" (typically for a container created
//!   before a reboot): with static mappings shown, they are the likely cause (medium
//!   confidence); with none shown, the finding says they were not shown and how to look
//!   (low confidence).
//!
//! # Why it matters
//! WinNAT keeps static port mappings after their container is gone (unclean shutdown, reboot
//! with containers set to restart); re-creating the endpoint with the same published port then
//! fails and the container cannot start.
//!
//! # Evidence used
//! `net-nat` (static mappings), HNS endpoints when read, any log or error record. One of them.
//!
//! # Fix
//! From the knowledge base entry `winnat-stale-static-mapping`.
//!
//! # Applies to
//! Windows Server 2016 and later with the `nat` network (Docker, containerd NAT CNI).
//!
//! # References
//! moby/moby#23086; moby/moby#33802.

use crate::rules::prelude::*;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The rule.
pub struct WinnatStaleStaticMapping;

const NEEDS_ANY: &[Fact] = &[
    Fact::NetNat,
    Fact::KubeProxyLog,
    Fact::KubeletLog,
    Fact::RuntimeLog,
    Fact::CniLog,
    Fact::PastedLog,
    Fact::KubeEvents,
];

static ENDPOINT_ON_NAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)failed to create endpoint\s+(\S+)\s+on network\s+nat\b")
        .expect("constant regex")
});

impl Rule for WinnatStaleStaticMapping {
    fn id(&self) -> &'static str {
        "winnat-stale-static-mapping"
    }
    fn title(&self) -> &'static str {
        "Stale WinNAT static mapping blocks endpoint creation"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        NEEDS_ANY
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let maps = &m.nat.static_mappings;
        // 1. mappings on a port being published
        // port → where it is published (first seen), indexed once
        let mut published: HashMap<u16, &Prov> = HashMap::new();
        for e in &m.runtime_errors {
            for p in &e.ports {
                published.entry(*p).or_insert(&e.prov);
            }
        }
        for p in &m.ports.published {
            published.entry(p.host_port).or_insert(&p.prov);
        }
        let colliding: Vec<(usize, &NatStaticMapping)> = maps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.external_port.is_some_and(|p| published.contains_key(&p)))
            .collect();
        let colliding_idx: HashSet<usize> = colliding.iter().map(|(i, _)| *i).collect();
        for (_, s) in &colliding {
            let port = s.external_port.unwrap_or(0);
            let err = published.get(&port).copied();
            let mut d = ctx
                .finding(
                    self,
                    format!(
                        "WinNAT static mapping {}:{port} → {}:{} already holds port {port}, which the failing container publishes.",
                        s.external_ip.as_deref().unwrap_or("0.0.0.0"),
                        s.internal_ip.as_deref().unwrap_or("?"),
                        s.internal_port.map_or("?".to_string(), |p| p.to_string())
                    ),
                )
                .confidence(Confidence::High)
                .why("A static mapping left by a container that is gone keeps the published port; WinNAT refuses a second mapping, so the new endpoint cannot be created.")
                .evidence(&s.prov);
            if let Some(p) = err {
                d = d.evidence(p);
            }
            d.push(out);
        }
        // 2. mappings to addresses no endpoint holds
        if m.has(Fact::HnsEndpoints) && !m.is_partial(Fact::HnsEndpoints) {
            let ips: HashSet<String> = m
                .hns
                .endpoints
                .iter()
                .flat_map(|e| {
                    e.ips
                        .iter()
                        .map(|i| i.split('/').next().unwrap_or(i).to_string())
                })
                .collect();
            let orphans: Vec<&NatStaticMapping> = maps
                .iter()
                .enumerate()
                .filter(|(i, _)| !colliding_idx.contains(i))
                .map(|(_, s)| s)
                .filter(|s| s.internal_ip.as_deref().is_some_and(|ip| !ips.contains(ip)))
                .collect();
            if !orphans.is_empty() {
                let desc: Vec<String> = orphans
                    .iter()
                    .map(|s| {
                        format!(
                            "{} → {}",
                            s.external_port.map_or("?".to_string(), |p| p.to_string()),
                            s.internal_ip.as_deref().unwrap_or("?")
                        )
                    })
                    .collect();
                ctx.finding(
                    self,
                    format!(
                        "{} point at addresses no HNS endpoint holds: {}.",
                        plural(orphans.len(), "WinNAT static mapping"),
                        list(&desc, 4)
                    ),
                )
                .severity(Severity::Warning)
                .confidence(Confidence::Medium)
                .why("Mappings whose container is gone keep their external ports: the next container publishing one of them fails to create its endpoint.")
                .evidence_all(orphans.iter().take(4).map(|s| &s.prov))
                .push(out);
            }
        }
        // 3. endpoint creation on nat failing
        if !colliding.is_empty() {
            return;
        }
        let fails: Vec<&LogEvent> = m
            .log_events
            .iter()
            .filter(|e| ENDPOINT_ON_NAT.is_match(&e.message))
            .collect();
        let Some(first) = fails.first() else {
            return;
        };
        let name = ENDPOINT_ON_NAT
            .captures(&first.message)
            .map(|c| c[1].to_string())
            .unwrap_or_default();
        let (tail, conf) = if maps.is_empty() {
            (
                "No WinNAT static mapping is shown; mappings left from before a restart are the known cause — list them with Get-NetNatStaticMapping.".to_string(),
                Confidence::Low,
            )
        } else {
            (
                format!(
                    "{} exist; one left from before a restart is the likely cause.",
                    plural(maps.len(), "WinNAT static mapping")
                ),
                Confidence::Medium,
            )
        };
        ctx.finding(
            self,
            format!(
                "Creating endpoint {name} on network nat failed ({}). {tail}",
                quote(&first.message)
            ),
        )
        .severity(Severity::Warning)
        .confidence(conf)
        .why("WinNAT keeps static port mappings after their container is gone; re-creating the endpoint with the same published port then fails.")
        .evidence_all(fails.iter().take(3).map(|e| &e.prov))
        .evidence_all(maps.iter().take(3).map(|s| &s.prov))
        .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn mapping(port: u16, ip: &str) -> NatStaticMapping {
        NatStaticMapping {
            nat_name: Some("H-nat".into()),
            protocol: Some("TCP".into()),
            external_ip: Some("0.0.0.0".into()),
            external_port: Some(port),
            internal_ip: Some(ip.into()),
            internal_port: Some(80),
            prov: prov("nat/static-mappings.txt", 4, &format!("{port}")),
        }
    }

    const FAIL: &str = "Error response from daemon: failed to create endpoint shop-web on network nat: HNS failed with error : Failed to create endpoint";

    #[test]
    fn fires_on_port_collision_and_on_endpoint_failure() {
        let mut m = model(&[Fact::NetNat, Fact::RuntimeLog]);
        m.nat.static_mappings = vec![mapping(8088, "172.25.80.14")];
        m.runtime_errors.push(RuntimeError {
            ports: vec![8088],
            message: FAIL.into(),
            prov: prov("paste#1", 1, FAIL),
            ..RuntimeError::default()
        });
        m.log_events.push(log(Component::Docker, FAIL, &[]));
        let f = findings(&WinnatStaleStaticMapping, &m);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].observed.contains("0.0.0.0:8088 → 172.25.80.14:80"),
            "{}",
            f[0].observed
        );
        assert_eq!(f[0].confidence, Confidence::High);

        let mut d = model(&[Fact::RuntimeLog]);
        d.log_events.push(log(Component::Docker, FAIL, &[]));
        let f = findings(&WinnatStaleStaticMapping, &d);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed.contains("endpoint shop-web"),
            "{}",
            f[0].observed
        );
        assert!(
            f[0].observed.contains("No WinNAT static mapping is shown"),
            "{}",
            f[0].observed
        );
        assert_eq!(f[0].confidence, Confidence::Low);
    }

    #[test]
    fn fires_on_a_port_a_shown_command_publishes() {
        let mut m = model(&[Fact::NetNat, Fact::PublishedPorts]);
        m.nat.static_mappings = vec![mapping(9443, "172.25.80.31")];
        m.ports.published.push(PublishedPort {
            protocol: Transport::Tcp,
            host_port: 9443,
            container_port: Some(443),
            command: "docker run -p 9443:443 web".into(),
            prov: prov("paste#1", 1, "docker run -p 9443:443 web"),
        });
        let f = findings(&WinnatStaleStaticMapping, &m);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence.len(), 2);
    }

    #[test]
    fn orphan_mapping_with_endpoints_read() {
        let mut m = model(&[Fact::NetNat, Fact::HnsEndpoints]);
        m.nat.static_mappings = vec![mapping(1433, "172.25.80.9"), mapping(8080, "172.25.80.10")];
        m.hns.endpoints = vec![local_ep("E1", "172.25.80.10", None)];
        let f = findings(&WinnatStaleStaticMapping, &m);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed.contains("1433 → 172.25.80.9"),
            "{}",
            f[0].observed
        );
        assert!(!f[0].observed.contains("8080"));
    }

    #[test]
    fn quiet_on_healthy_mappings_and_other_networks() {
        let mut m = model(&[Fact::NetNat, Fact::HnsEndpoints, Fact::RuntimeLog]);
        m.nat.static_mappings = vec![mapping(8080, "172.25.80.10")];
        m.hns.endpoints = vec![local_ep("E1", "172.25.80.10", None)];
        m.log_events.push(log(
            Component::Docker,
            "failed to create endpoint web on network l2bridge: HNS failed with error : Element not found",
            &[],
        ));
        assert!(findings(&WinnatStaleStaticMapping, &m).is_empty());
        assert_eq!(
            missing(&WinnatStaleStaticMapping, &model(&[])).len(),
            NEEDS_ANY.len()
        );
    }
}
