//! `port-check` — the verdict on the port given with `--port N`.
//!
//! # What it finds
//! For TCP and UDP: whether N lies in an excluded range (then it also emits
//! `port-reservation-conflict`, error), in the dynamic range (ephemeral ports may take it),
//! in the NodePort range, whether a process listens on it (and which), whether a load balancer
//! or a WinNAT static mapping uses it. The verdict is one `port-check` finding: info when N is
//! free, warning when something holds it or may take it. Runs only with `--port`.
//!
//! # Why it matters
//! "Why can't I bind / publish / expose port N?" is answered by who holds it.
//!
//! # Evidence used
//! Any of the port facts (excluded and dynamic ranges, listeners), HNS load balancers, WinNAT
//! static mappings; the verdict says which of them were not read.
//!
//! # Fix
//! From the knowledge base entry `port-check` (and `port-reservation-conflict` when excluded).
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Domain facts §2.1 K2, §2.2 L3, L4.

use crate::portmath::is_nodeport;
use crate::rules::ports::port_reservation_conflict::exclusions_for;
use crate::rules::prelude::*;

/// The rule.
pub struct PortCheck;

const FACTS: &[Fact] = &[
    Fact::ExcludedPortRangeTcp,
    Fact::ExcludedPortRangeUdp,
    Fact::DynamicPortRangeTcp,
    Fact::DynamicPortRangeUdp,
    Fact::TcpListeners,
    Fact::UdpListeners,
    Fact::HnsLoadBalancers,
    Fact::NetNat,
];

impl Rule for PortCheck {
    fn id(&self) -> &'static str {
        "port-check"
    }
    fn title(&self) -> &'static str {
        "Who holds the port given with --port"
    }
    fn severity(&self) -> Severity {
        Severity::Info
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        FACTS
    }
    fn enabled(&self, opts: &Options) -> bool {
        opts.port.is_some()
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let Some(port) = ctx.opts.port else { return };
        let m = ctx.model;
        let mut lines = Vec::new();
        let mut evidence: Vec<Prov> = Vec::new();
        let mut held = false;
        for t in [Transport::Tcp, Transport::Udp] {
            let up = t.to_string().to_uppercase();
            let (fd, fe, fl) = crate::portmath::facts(t);
            if m.has(fe) {
                for x in exclusions_for(m, t, port) {
                    held = true;
                    lines.push(format!(
                        "{up}: inside the excluded range {}-{}{}",
                        x.start,
                        x.end,
                        if x.administered {
                            " (administered)"
                        } else {
                            ""
                        }
                    ));
                    evidence.push(x.prov.clone());
                    ctx.finding_as(
                        "port-reservation-conflict",
                        "Needed port inside an excluded port range",
                        Severity::Error,
                        format!(
                            "{up} port {port} (given with --port) lies inside the excluded range {}-{}{}.",
                            x.start,
                            x.end,
                            if x.administered { " (administered, persistent)" } else { "" }
                        ),
                    )
                    .why("No process can bind a port inside an excluded range.")
                    .evidence(&x.prov)
                    .push(out);
                }
            }
            if m.has(fd) {
                if let Some(d) = m.ports.dynamic_for(t) {
                    if d.start <= port && port <= d.end() {
                        held = true;
                        lines.push(format!(
                            "{up}: inside the dynamic range {}-{}: outbound connections and HNS port pools may take it at any time",
                            d.start,
                            d.end()
                        ));
                        evidence.push(d.prov.clone());
                    }
                }
            }
            if m.has(fl) {
                for l in m
                    .ports
                    .listeners
                    .iter()
                    .filter(|l| l.protocol == t && l.local_port == port && l.is_listening())
                {
                    held = true;
                    lines.push(format!(
                        "{up}: {} listens on {}:{port}",
                        match (&l.process, l.pid) {
                            (Some(n), Some(p)) => format!("{n} (PID {p})"),
                            (Some(n), None) => n.clone(),
                            (None, Some(p)) => format!("PID {p}"),
                            (None, None) => "a process".to_string(),
                        },
                        l.local_address
                    ));
                    evidence.push(l.prov.clone());
                }
            }
        }
        if is_nodeport(port) {
            lines.push("in the Kubernetes NodePort range 30000-32767".to_string());
        }
        if m.has(Fact::HnsLoadBalancers) {
            for lb in &m.hns.load_balancers {
                for pm in lb
                    .port_mappings
                    .iter()
                    .filter(|p| p.external_port == port || p.internal_port == port)
                {
                    held = true;
                    lines.push(format!(
                        "load balancer {} ({} {}) uses it as {} port",
                        lb.id,
                        proto_name(pm.protocol),
                        if lb.vips.is_empty() {
                            "NodePort".to_string()
                        } else {
                            list(&lb.vips, 2)
                        },
                        if pm.external_port == port {
                            "frontend"
                        } else {
                            "backend"
                        }
                    ));
                    evidence.push(lb.prov.clone());
                }
            }
        }
        for sm in m
            .nat
            .static_mappings
            .iter()
            .filter(|s| s.external_port == Some(port))
        {
            held = true;
            lines.push(format!(
                "WinNAT static mapping {} → {}",
                sm.protocol.as_deref().unwrap_or("?"),
                sm.internal_ip.as_deref().unwrap_or("?")
            ));
            evidence.push(sm.prov.clone());
        }
        let unread: Vec<String> = FACTS
            .iter()
            .filter(|f| !m.has(**f))
            .map(|f| f.name())
            .collect();
        let verdict = if lines.is_empty() {
            format!("Port {port}: nothing in the data holds it")
        } else {
            format!("Port {port}: {}", lines.join("; "))
        };
        let tail = if unread.is_empty() {
            String::new()
        } else {
            format!(" (not checked, not in the data: {})", unread.join(", "))
        };
        ctx.finding(self, format!("{verdict}.{tail}"))
            .severity(if held { Severity::Warning } else { Severity::Info })
            .confidence(if unread.is_empty() { Confidence::High } else { Confidence::Medium })
            .why("Binding, publishing or exposing a port fails when an exclusion, a listener or a load balancer already holds it.")
            .evidence_all(evidence.iter())
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m() -> HostModel {
        let mut m = model(&[
            Fact::ExcludedPortRangeTcp,
            Fact::TcpListeners,
            Fact::DynamicPortRangeTcp,
        ]);
        m.ports.excluded = vec![excluded(Transport::Tcp, 50000, 50059, true)];
        m.ports.dynamic = vec![dynamic(Transport::Tcp, 49152, 16384)];
        m.ports.listeners = vec![listener(
            Transport::Tcp,
            "0.0.0.0",
            10256,
            Some("kube-proxy"),
        )];
        m
    }

    fn opts(p: u16) -> Options {
        Options {
            port: Some(p),
            ..Options::default()
        }
    }

    #[test]
    fn fires_with_owner_and_exclusion() {
        let f = findings_with(&PortCheck, &m(), &opts(10256));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed
                .contains("kube-proxy (PID 1234) listens on 0.0.0.0:10256"),
            "{}",
            f[0].observed
        );
        assert!(f[0].observed.contains("not checked"));
        let f = findings_with(&PortCheck, &m(), &opts(50010));
        assert!(f
            .iter()
            .any(|f| f.id == "port-reservation-conflict" && f.severity == Severity::Error));
        assert!(f
            .iter()
            .any(|f| f.id == "port-check" && f.observed.contains("50000-50059 (administered)")));
    }

    #[test]
    fn free_port_is_info_and_rule_off_without_port() {
        let f = findings_with(&PortCheck, &m(), &opts(8081));
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0].observed.contains("nothing in the data holds it"));
        let r = run_one(&PortCheck, &m(), &Options::default());
        assert!(r.findings.is_empty() && r.passed.is_empty() && r.not_evaluated.is_empty());
    }

    #[test]
    fn not_evaluated_without_port_data() {
        let r = run_one(&PortCheck, &model(&[]), &opts(80));
        assert_eq!(r.not_evaluated.len(), 1);
    }
}
