//! `port-already-exists` — HCN error 0x803b0013 "The specified port already exists" was seen.
//!
//! # What it finds
//! Log lines carrying 0x803b0013 (HCN_E_PORT_ALREADY_EXISTS, decimal 2151350291) or its text.
//! It explains both known causes and ranks them by what else the data shows:
//! * **port already bound** — a port named in the error (or 10256 for kube-proxy's health-check
//!   load balancer) equals a port a host process listens on;
//! * **port-pool exhaustion** — few free 64-port blocks left in the dynamic range.
//!
//! # Why it matters
//! The load balancer in the failing call was not created: that service (or its health check)
//! does not work on this node, and kube-proxy retries every sync.
//!
//! # Evidence used
//! Any log (kube-proxy, CNI, runtime, pasted); port ranges, exclusions and listeners when read.
//!
//! # Fix
//! From the knowledge base entry `port-already-exists`.
//!
//! # Applies to
//! All builds; the health-check variant on WS2019 with `--forward-healthcheck-vip`.
//!
//! # References
//! Domain facts §2.2 L3, L4; kubernetes/community#8883; microsoft/hcsshim#1043.

use crate::portmath::{pool, EXHAUSTED_BLOCKS, LOW_BLOCKS};
use crate::rules::prelude::*;
use regex::Regex;
use std::sync::OnceLock;

/// The rule.
pub struct PortAlreadyExists;

/// HCN_E_PORT_ALREADY_EXISTS.
pub const CODE: u32 = 0x803b_0013;

fn port_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?i)(?:port"?\s*[:=]?\s*|\d:)(\d{2,5})\b"#).ok())
        .as_ref()
}

/// Ports named in a message (`…Port":10256`, `10.0.0.4:10256`, `port 10256`).
#[must_use]
pub fn ports_in(msg: &str) -> Vec<u16> {
    let mut v: Vec<u16> = port_re()
        .map(|re| {
            re.captures_iter(msg)
                .filter_map(|c| c.get(1)?.as_str().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    if contains_ci(msg, "healthcheck") && !v.contains(&10256) {
        v.push(10256);
    }
    v.retain(|p| *p > 0);
    v.dedup();
    v
}

impl Rule for PortAlreadyExists {
    fn id(&self) -> &'static str {
        "port-already-exists"
    }
    fn title(&self) -> &'static str {
        "HNS: the specified port already exists (0x803b0013)"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        Fact::LOGS
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let hits = log_matches(m, &["the specified port already exists"], &[CODE]);
        let Some(first) = hits.first() else { return };
        // cause B: a port in the error is bound by a host process
        let mut bound = Vec::new();
        let mut provs: Vec<Prov> = hits.iter().take(5).map(|h| h.prov.clone()).collect();
        for h in &hits {
            for p in ports_in(&h.message) {
                for l in m
                    .ports
                    .listeners
                    .iter()
                    .filter(|l| l.local_port == p && l.is_listening())
                {
                    let who = l
                        .process
                        .clone()
                        .or(l.pid.map(|p| format!("PID {p}")))
                        .unwrap_or_else(|| "a process".into());
                    let s = format!(
                        "{} {}:{p} is bound by {who}",
                        l.protocol.to_string().to_uppercase(),
                        l.local_address
                    );
                    if !bound.contains(&s) {
                        bound.push(s);
                        provs.push(l.prov.clone());
                    }
                }
            }
        }
        // cause A: exhaustion
        let pools: Vec<_> = [Transport::Tcp, Transport::Udp]
            .into_iter()
            .filter_map(|t| pool(m, t))
            .collect();
        let low: Vec<String> = pools
            .iter()
            .filter(|p| p.free_blocks <= LOW_BLOCKS)
            .map(|p| {
                format!(
                    "{} free 64-port {} blocks",
                    p.free_blocks,
                    p.protocol.to_string().to_uppercase()
                )
            })
            .collect();
        let exhausted = pools.iter().any(|p| p.free_blocks <= EXHAUSTED_BLOCKS);
        for p in pools.iter().filter(|p| p.free_blocks <= LOW_BLOCKS) {
            provs.extend(p.evidence.iter().take(2).cloned());
        }
        let mut ranked = Vec::new();
        let a = format!(
            "port-pool exhaustion{}",
            if pools.is_empty() {
                " (not checked: no dynamic port range in the data)".to_string()
            } else if low.is_empty() {
                format!(
                    " (unlikely: {})",
                    pools
                        .iter()
                        .map(|p| format!(
                            "{} free {} blocks",
                            p.free_blocks,
                            p.protocol.to_string().to_uppercase()
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                format!(" (likely: {})", low.join(", "))
            }
        );
        let b = format!(
            "the port is already bound on the host{}",
            if !bound.is_empty() {
                format!(" (likely: {})", bound.join("; "))
            } else if m.has(Fact::TcpListeners) || m.has(Fact::UdpListeners) {
                " (no listener on a port named in the error)".to_string()
            } else {
                " (not checked: no listener table in the data)".to_string()
            }
        );
        let (conf, sev_note) = if !bound.is_empty() {
            ranked.push(format!("1. {b}"));
            ranked.push(format!("2. {a}"));
            (Confidence::High, "")
        } else if !low.is_empty() {
            ranked.push(format!("1. {a}"));
            ranked.push(format!("2. {b}"));
            (
                if exhausted {
                    Confidence::High
                } else {
                    Confidence::Medium
                },
                "",
            )
        } else {
            ranked.push(format!("- {a}"));
            ranked.push(format!("- {b}"));
            (Confidence::Low, " Neither cause is confirmed by the data.")
        };
        ctx.finding(
            self,
            format!(
                "{} with 0x803b0013 \"The specified port already exists\" (first: {}). Causes, most likely first: {}.{sev_note}",
                plural(hits.len(), "log line"),
                quote(&first.message),
                ranked.join(" ")
            ),
        )
        .why("HNS refused to create the load balancer, so that service (or kube-proxy's health check) is not programmed on this node.")
        .confidence(conf)
        .evidence_all(provs.iter())
        .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    const LINE: &str = "Healthcheck loadbalancer policy creation failed: hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013)";

    fn m() -> HostModel {
        let mut m = model(&[Fact::KubeProxyLog]);
        m.log_events.push(log(Component::KubeProxy, LINE, &[CODE]));
        m
    }

    #[test]
    fn ranks_bound_port_first() {
        let mut mm = m();
        mm.mark(Fact::TcpListeners);
        mm.ports.listeners.push(listener(
            Transport::Tcp,
            "0.0.0.0",
            10256,
            Some("kube-proxy"),
        ));
        let f = findings(&PortAlreadyExists, &mm);
        assert_eq!(f.len(), 1);
        let o = &f[0].observed;
        assert!(o.contains("1. the port is already bound"), "{o}");
        assert!(o.contains("0.0.0.0:10256 is bound by kube-proxy"), "{o}");
        assert_eq!(f[0].confidence, Confidence::High);
    }

    #[test]
    fn ranks_exhaustion_first_when_pool_low() {
        let mut mm = m();
        mm.mark(Fact::DynamicPortRangeTcp);
        mm.mark(Fact::ExcludedPortRangeTcp);
        mm.ports.dynamic = vec![dynamic(Transport::Tcp, 49152, 16384)];
        mm.ports.excluded = vec![excluded(Transport::Tcp, 49152, 65000, false)];
        let f = findings(&PortAlreadyExists, &mm);
        assert!(
            f[0].observed
                .contains("1. port-pool exhaustion (likely: 8 free 64-port TCP blocks)"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn quiet_without_the_error() {
        let mut mm = model(&[Fact::KubeProxyLog]);
        mm.log_events
            .push(log(Component::KubeProxy, "Policy creation succeeded", &[]));
        assert!(findings(&PortAlreadyExists, &mm).is_empty());
    }

    #[test]
    fn not_evaluated_without_logs() {
        assert_eq!(
            missing(&PortAlreadyExists, &model(&[])).len(),
            Fact::LOGS.len()
        );
    }

    #[test]
    fn extracts_ports() {
        assert_eq!(
            ports_in("\"ExternalPort\":30080 on 10.0.0.4:80"),
            vec![30080, 80]
        );
    }
}
