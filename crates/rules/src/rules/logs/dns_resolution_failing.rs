//! `dns-resolution-failing` — evidence of failing name resolution, with the causes this data can
//! and cannot rule out.
//!
//! # What it finds
//! Log lines of failed lookups: "DNS request timed out", "server unreachable", "no servers could
//! be reached", "i/o timeout" on port 53, "Temporary failure in name resolution", "server
//! misbehaving"; and name-resolution attempts (nslookup, Resolve-DnsName, ping, curl output)
//! that timed out or reached no server. The finding then goes through the known causes and says for each whether the
//! data confirms it, rules it out, or cannot tell:
//! * the cluster DNS load balancer (VIP:53 TCP and UDP) — present, missing, or not checked;
//! * port-pool exhaustion — free 64-port blocks per protocol, or not checked;
//! * known DNS issues of the host's build (WS2019 container DNS loss, the 2023-09 ltsc2019 and
//!   2025-07 WS2022 regressions, the pre-1803 negative cache) — from the knowledge base.
//!
//! # Why it matters
//! Pods that cannot resolve names fail in ways that look like application bugs.
//!
//! # Evidence used
//! Any log or name-resolution output (`name-resolution`; one of them needed); HNS load balancers, DNS IP, port ranges, OS build when read.
//!
//! # Fix
//! From the knowledge base entry `dns-resolution-failing`.
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Domain facts §2.2 L3, L10, L17; §2.1 K1, K5.

use crate::portmath::{pool, EXHAUSTED_BLOCKS};
use crate::rules::prelude::*;

/// The rule.
pub struct DnsResolutionFailing;

const NEEDLES: &[&str] = &[
    "DNS request timed out",
    "server unreachable",
    "no servers could be reached",
    "Temporary failure in name resolution",
    "server misbehaving",
];

fn is_dns_timeout(msg: &str) -> bool {
    contains_ci(msg, "i/o timeout")
        && (msg.contains(":53") || contains_ci(msg, "dial udp") && contains_ci(msg, "lookup"))
}

/// Any log, or name-resolution attempts.
const NEEDS_ANY: &[Fact] = &[
    Fact::KubeProxyLog,
    Fact::KubeletLog,
    Fact::RuntimeLog,
    Fact::CniLog,
    Fact::PastedLog,
    Fact::KubeEvents,
    Fact::HnsEventLog,
    Fact::SystemEventLog,
    Fact::NameResolution,
];

/// Attempts that timed out or reached no server (not-found answers are answers).
fn failed_attempts(m: &HostModel) -> Vec<&NameResolution> {
    m.name_resolution
        .iter()
        .filter(|a| {
            matches!(
                a.outcome,
                ResolveOutcome::TimedOut | ResolveOutcome::ServerUnreachable
            )
        })
        .collect()
}

fn describe(a: &NameResolution) -> String {
    let what = match a.outcome {
        ResolveOutcome::TimedOut => "timed out",
        _ => "reached no DNS server",
    };
    let server = a
        .server_address
        .as_deref()
        .or(a.server.as_deref())
        .map(|s| format!(" (server {s})"))
        .unwrap_or_default();
    format!(
        "{} {}{what}{server}",
        crate::rules::known::dns_negative_cache::tool_name(a.tool),
        a.name
            .as_deref()
            .map(|n| format!("of {n} "))
            .unwrap_or_default()
    )
}

/// Known DNS issues by build in the knowledge base.
const DNS_ISSUES: &[&str] = &[
    "ws2019-container-dns-loss",
    "ltsc2019-dns-2023-09",
    "ws2022-dns-2025-07",
    "dns-negative-cache",
    "dns-blackout-15min",
];

impl Rule for DnsResolutionFailing {
    fn id(&self) -> &'static str {
        "dns-resolution-failing"
    }
    fn title(&self) -> &'static str {
        "Name resolution failing"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        NEEDS_ANY
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let hits: Vec<&LogEvent> = m
            .log_events
            .iter()
            .filter(|e| {
                NEEDLES.iter().any(|n| contains_ci(&e.message, n)) || is_dns_timeout(&e.message)
            })
            .collect();
        let attempts = failed_attempts(m);
        if hits.is_empty() && attempts.is_empty() {
            return;
        }
        let mut causes = Vec::new();
        let mut provs: Vec<Prov> = hits.iter().take(5).map(|h| h.prov.clone()).collect();
        provs.extend(attempts.iter().take(5).map(|a| a.prov.clone()));
        // 1. DNS load balancer
        match (ctx.dns_ip(), m.has(Fact::HnsLoadBalancers)) {
            (Some(dns), true) => {
                let lbs: Vec<&LoadBalancer> = ctx
                    .index()
                    .lbs_with_vip(&crate::Addr::parse(&dns.value))
                    .iter()
                    .map(|&i| &m.hns.load_balancers[i])
                    .collect();
                let has = |p: u32| {
                    lbs.iter().any(|l| {
                        l.port_mappings
                            .iter()
                            .any(|pm| pm.protocol == p && pm.external_port == 53)
                    })
                };
                match (has(protocol::UDP), has(protocol::TCP)) {
                    (true, true) => causes.push(format!(
                        "DNS load balancer for {}:53: present for UDP and TCP (ruled out)",
                        dns.value
                    )),
                    (u, t) => {
                        causes.push(format!(
                            "DNS load balancer for {}:53: MISSING for {} (likely cause, see dns-lb-missing)",
                            dns.value,
                            match (u, t) { (false, false) => "UDP and TCP", (false, true) => "UDP", _ => "TCP" }
                        ));
                        provs.extend(lbs.iter().map(|l| l.prov.clone()));
                    }
                }
            }
            (None, _) => causes
                .push("DNS load balancer: not checked (no cluster DNS IP; pass --dns-ip)".into()),
            (_, false) => causes
                .push("DNS load balancer: not checked (no HNS load balancers in the data)".into()),
        }
        // 2. port exhaustion
        let pools: Vec<_> = [Transport::Udp, Transport::Tcp]
            .into_iter()
            .filter_map(|t| pool(m, t))
            .collect();
        if pools.is_empty() {
            causes.push(
                "port-pool exhaustion: not checked (no dynamic port range in the data)".into(),
            );
        } else {
            let desc: Vec<String> = pools
                .iter()
                .map(|p| {
                    format!(
                        "{} free {} blocks",
                        p.free_blocks,
                        p.protocol.to_string().to_uppercase()
                    )
                })
                .collect();
            if pools.iter().any(|p| p.free_blocks <= EXHAUSTED_BLOCKS) {
                causes.push(format!(
                    "port-pool exhaustion: likely ({})",
                    desc.join(", ")
                ));
            } else {
                causes.push(format!(
                    "port-pool exhaustion: ruled out ({})",
                    desc.join(", ")
                ));
            }
        }
        // 3. known issues of the build
        match m.os.as_ref().filter(|o| o.build > 0) {
            Some(os) => {
                let host = hnsdoctor_kb::HostVersion::new(os.build, os.ubr);
                let known: Vec<String> = ctx
                    .kb
                    .kb()
                    .issues_for(&host, &[])
                    .into_iter()
                    .filter(|i| DNS_ISSUES.contains(&i.entry.id.as_str()) && i.applies())
                    .map(|i| format!("{} ({})", i.entry.id, i.entry.title))
                    .collect();
                if known.is_empty() {
                    causes.push(format!("known DNS issues of build {host}: none apply"));
                } else {
                    causes.push(format!(
                        "known DNS issues of build {host}: {} (possible)",
                        known.join("; ")
                    ));
                    provs.push(os.prov.clone());
                }
            }
            None => causes
                .push("known DNS issues by build: not checked (no OS build in the data)".into()),
        }
        let mut seen = Vec::new();
        if let Some(h) = hits.first() {
            seen.push(format!(
                "{} show failing name resolution; first: {}",
                plural(hits.len(), "log line"),
                quote(&h.message)
            ));
        }
        if let Some(a) = attempts.first() {
            seen.push(format!(
                "{} failed without an answer; first: {}",
                plural(attempts.len(), "name lookup"),
                describe(a)
            ));
        }
        let observed = format!("{}. Causes: {}.", seen.join("; "), causes.join("; "));
        ctx.finding(self, observed)
            .why("Pods that cannot resolve names fail in ways that look like application bugs; the cause decides the fix.")
            .evidence_all(provs.iter())
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m() -> HostModel {
        let mut m = model(&[Fact::PastedLog, Fact::HnsLoadBalancers, Fact::KubeContext]);
        m.k8s.dns_ip = Some("10.96.0.10".into());
        m.log_events.push(log(
            Component::Unknown,
            "dial udp 10.96.0.10:53: i/o timeout",
            &[],
        ));
        m
    }

    #[test]
    fn fires_and_reports_what_was_ruled_out() {
        let f = findings(&DnsResolutionFailing, &m());
        let o = &f[0].observed;
        assert!(o.contains("MISSING for UDP and TCP"), "{o}");
        assert!(o.contains("port-pool exhaustion: not checked"), "{o}");
        assert!(o.contains("by build: not checked"), "{o}");
        let mut mm = m();
        mm.mark(Fact::OsBuild);
        mm.os = Some(OsInfo {
            build: 17763,
            ubr: Some(5000),
            ..OsInfo::default()
        });
        mm.hns.load_balancers = vec![
            lb("a", &["10.96.0.10"], &[], 17, 53, false),
            lb("b", &["10.96.0.10"], &[], 6, 53, false),
        ];
        let o = findings(&DnsResolutionFailing, &mm)[0].observed.clone();
        assert!(o.contains("present for UDP and TCP (ruled out)"), "{o}");
        assert!(o.contains("ws2019-container-dns-loss"), "{o}");
    }

    #[test]
    fn quiet_without_dns_failures() {
        let mut mm = model(&[Fact::PastedLog]);
        mm.log_events.push(log(
            Component::Unknown,
            "dial tcp 10.0.0.5:443: i/o timeout",
            &[],
        ));
        assert!(findings(&DnsResolutionFailing, &mm).is_empty());
    }

    #[test]
    fn not_evaluated_without_logs() {
        assert_eq!(
            missing(&DnsResolutionFailing, &model(&[])).len(),
            Fact::LOGS.len() + 1
        );
    }

    fn attempt(tool: ResolveTool, outcome: ResolveOutcome) -> NameResolution {
        NameResolution {
            tool,
            name: Some("kubernetes.default".into()),
            server_address: Some("10.96.0.10".into()),
            outcome,
            prov: prov(
                "paste#1",
                7,
                "Resolve-DnsName : kubernetes.default : timeout",
            ),
            ..NameResolution::default()
        }
    }

    #[test]
    fn fires_on_timed_out_lookups_without_logs() {
        let mut m = model(&[Fact::NameResolution]);
        m.name_resolution = vec![attempt(
            ResolveTool::ResolveDnsName,
            ResolveOutcome::TimedOut,
        )];
        let f = findings(&DnsResolutionFailing, &m);
        assert_eq!(f.len(), 1);
        let o = &f[0].observed;
        assert!(o.contains("1 name lookup failed"), "{o}");
        assert!(
            o.contains("Resolve-DnsName of kubernetes.default timed out (server 10.96.0.10)"),
            "{o}"
        );
        assert_eq!(f[0].evidence[0].line, 7);
    }

    #[test]
    fn quiet_on_answers_and_not_found() {
        let mut m = model(&[Fact::NameResolution]);
        m.name_resolution = vec![
            attempt(ResolveTool::Nslookup, ResolveOutcome::Resolved),
            attempt(ResolveTool::Ping, ResolveOutcome::NotFound),
        ];
        assert!(findings(&DnsResolutionFailing, &m).is_empty());
    }
}
