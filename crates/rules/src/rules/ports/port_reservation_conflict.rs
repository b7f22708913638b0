//! `port-reservation-conflict` — a port someone needs lies inside an excluded port range, or
//! Hyper-V/WinNAT reservations occupy ordinary application port space.
//!
//! # What it finds
//! (a) Ports the node needs — NodePorts of HNS load balancers, WinNAT static-mapping (published)
//! ports, and on Kubernetes nodes kubelet 10250 and kube-proxy 10249/10256 — that lie inside an
//! excluded range of their protocol (error). (b) Excluded ranges below the dynamic range (in
//! ports 1024-49151, where applications listen) covering 100 or more ports, as Hyper-V / WinNAT
//! leave after some updates (warning). `--port N` is checked by `port-check`, which also emits
//! this id when N is excluded.
//!
//! # Why it matters
//! Nothing can bind a port inside an excluded range: the NodePort, published container port or
//! kubelet/kube-proxy endpoint fails with "access denied"/"address in use" although nothing
//! listens there.
//!
//! # Evidence used
//! `excluded-port-range-{tcp,udp}` (at least one); HNS load balancers, WinNAT static mappings,
//! the Kubernetes context and services when read.
//!
//! # Fix
//! From the knowledge base entry `port-reservation-conflict`.
//!
//! # Applies to
//! All builds; reservations in application space appeared after KB4074588 (16299.248) and
//! similar updates.
//!
//! # References
//! Domain facts §2.1 K2, §5.5.

use crate::rules::prelude::*;

/// The rule.
pub struct PortReservationConflict;

/// A port somebody needs, with who and where it was seen.
pub struct NeededPort {
    /// Protocol.
    pub protocol: Transport,
    /// Port.
    pub port: u16,
    /// Who needs it.
    pub who: String,
    /// Where that was read.
    pub prov: Option<Prov>,
}

/// Whether the data shows this is a Kubernetes node.
#[must_use]
pub fn is_k8s_node(m: &HostModel) -> bool {
    m.has(Fact::KubeContext)
        || m.has(Fact::KubeProxyLog)
        || m.has(Fact::KubeletLog)
        || m.services
            .iter()
            .any(|s| s.name == "kubelet" || s.name == "kubeproxy")
}

/// Ports the node evidently needs.
#[must_use]
pub fn needed_ports(m: &HostModel) -> Vec<NeededPort> {
    let mut v = Vec::new();
    for lb in m.hns.load_balancers.iter().filter(|l| l.vips.is_empty()) {
        for pm in &lb.port_mappings {
            let protocol = match pm.protocol {
                protocol::TCP => Transport::Tcp,
                protocol::UDP => Transport::Udp,
                _ => continue,
            };
            v.push(NeededPort {
                protocol,
                port: pm.external_port,
                who: format!("NodePort of load balancer {}", lb.id),
                prov: Some(lb.prov.clone()),
            });
        }
    }
    for sm in &m.nat.static_mappings {
        let Some(port) = sm.external_port else {
            continue;
        };
        let protocol = if sm
            .protocol
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("udp"))
        {
            Transport::Udp
        } else {
            Transport::Tcp
        };
        v.push(NeededPort {
            protocol,
            port,
            who: format!(
                "WinNAT static mapping to {}:{}",
                sm.internal_ip.as_deref().unwrap_or("?"),
                sm.internal_port.map(|p| p.to_string()).unwrap_or_default()
            ),
            prov: Some(sm.prov.clone()),
        });
    }
    for p in &m.ports.published {
        v.push(NeededPort {
            protocol: p.protocol,
            port: p.host_port,
            who: format!("published by `{}`", p.command),
            prov: Some(p.prov.clone()),
        });
    }
    if is_k8s_node(m) {
        for (port, who) in [
            (10250u16, "kubelet API"),
            (10256, "kube-proxy health check"),
            (10249, "kube-proxy metrics"),
        ] {
            v.push(NeededPort {
                protocol: Transport::Tcp,
                port,
                who: who.to_string(),
                prov: None,
            });
        }
    }
    v
}

/// Excluded ranges of protocol `t` containing `port`.
#[must_use]
pub fn exclusions_for(m: &HostModel, t: Transport, port: u16) -> Vec<&ExcludedPortRange> {
    m.ports
        .excluded
        .iter()
        .filter(|x| x.protocol == t && x.start <= port && port <= x.end)
        .collect()
}

impl Rule for PortReservationConflict {
    fn id(&self) -> &'static str {
        "port-reservation-conflict"
    }
    fn title(&self) -> &'static str {
        "Needed port inside an excluded port range"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[Fact::ExcludedPortRangeTcp, Fact::ExcludedPortRangeUdp]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        for need in needed_ports(m) {
            let xs = exclusions_for(m, need.protocol, need.port);
            let Some(x) = xs.first() else { continue };
            let mut d = ctx
                .finding(
                    self,
                    format!(
                        "{} port {} ({}) lies inside the excluded range {}-{}{}.",
                        need.protocol.to_string().to_uppercase(),
                        need.port,
                        need.who,
                        x.start,
                        x.end,
                        if x.administered { " (administered, persistent)" } else { "" }
                    ),
                )
                .why("No process can bind a port inside an excluded range, so this listener or mapping cannot be created although nothing else uses the port.")
                .evidence(&x.prov);
            if let Some(p) = &need.prov {
                d = d.evidence(p);
            }
            d.push(out);
        }
        for t in [Transport::Tcp, Transport::Udp] {
            let dyn_start = m
                .ports
                .dynamic_for(t)
                .map_or(DEFAULT_DYNAMIC_START, |d| d.start);
            let app: Vec<&ExcludedPortRange> = m
                .ports
                .excluded
                .iter()
                .filter(|x| x.protocol == t && x.start >= 1024 && x.end < dyn_start)
                .collect();
            let ports: u32 = app.iter().map(|x| u32::from(x.end - x.start) + 1).sum();
            if ports < 100 {
                continue;
            }
            let ranges: Vec<String> = app
                .iter()
                .map(|x| {
                    format!(
                        "{}-{}{}",
                        x.start,
                        x.end,
                        if x.administered { "*" } else { "" }
                    )
                })
                .collect();
            ctx.finding(
                self,
                format!(
                    "{} {} ports below the dynamic range start {dyn_start} are excluded in {}: {}.",
                    ports,
                    t.to_string().to_uppercase(),
                    plural(app.len(), "range"),
                    list(&ranges, 8)
                ),
            )
            .severity(Severity::Warning)
            .confidence(Confidence::Medium)
            .why("Hyper-V and WinNAT reserve these ranges; applications and published container ports that use ports inside them fail to bind.")
            .evidence_all(app.iter().take(8).map(|x| &x.prov))
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m() -> HostModel {
        let mut m = model(&[Fact::ExcludedPortRangeTcp, Fact::HnsLoadBalancers]);
        m.hns.load_balancers = vec![lb("NP", &[], &["x"], 6, 30080, false)];
        m
    }

    #[test]
    fn fires_on_nodeport_and_app_space_reservations() {
        let mut mm = m();
        mm.ports.excluded = vec![excluded(Transport::Tcp, 30070, 30099, false)];
        let f = findings(&PortReservationConflict, &mm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].observed.contains("TCP port 30080 (NodePort"),
            "{}",
            f[0].observed
        );
        mm.ports.excluded = vec![
            excluded(Transport::Tcp, 5000, 5099, false),
            excluded(Transport::Tcp, 50000, 50059, true),
        ];
        let f = findings(&PortReservationConflict, &mm);
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("5000-5099"));
    }

    #[test]
    fn quiet_when_nothing_needed_is_excluded() {
        let mut mm = m();
        mm.ports.excluded = vec![
            excluded(Transport::Tcp, 50000, 50059, true),
            excluded(Transport::Udp, 30080, 30080, false),
        ];
        assert!(findings(&PortReservationConflict, &mm).is_empty());
    }

    #[test]
    fn not_evaluated_without_exclusions() {
        assert_eq!(missing(&PortReservationConflict, &model(&[])).len(), 2);
    }

    #[test]
    fn a_published_port_inside_an_exclusion() {
        let mut m = model(&[Fact::ExcludedPortRangeTcp, Fact::PublishedPorts]);
        m.ports.excluded.push(ExcludedPortRange {
            protocol: Transport::Tcp,
            start: 8080,
            end: 8080,
            administered: false,
            prov: prov("paste#3", 20, "      8080        8080"),
        });
        m.ports.published.push(PublishedPort {
            protocol: Transport::Tcp,
            host_port: 8080,
            container_port: Some(80),
            command: "docker run -p 8080:80 nginx".into(),
            prov: prov("paste#2", 14, "PS C:\\> docker run -p 8080:80 nginx"),
        });
        let f = findings(&PortReservationConflict, &m);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0]
            .observed
            .contains("published by `docker run -p 8080:80 nginx`"));
        assert_eq!(f[0].evidence.len(), 2);
        // published elsewhere: quiet
        m.ports.published[0].host_port = 8081;
        assert!(findings(&PortReservationConflict, &m).is_empty());
    }
}
