//! Test helpers: build host models in code and run single rules over them.
//!
//! Parsers are written elsewhere; rule tests must not depend on them, so models are built here
//! field by field. Every object gets a provenance (`test.txt:<n>`) so evidence can be asserted.

#![allow(dead_code)]

use crate::engine::{run_rules, Options, Rule};
use crate::finding::{Finding, Report};
use hnsdoctor_model::*;

/// A provenance `src:line` quoting `text`.
pub fn prov(src: &str, line: u32, text: &str) -> Prov {
    Prov::quoted(src, line, text)
}

/// An empty model with the given facts marked.
pub fn model(facts: &[Fact]) -> HostModel {
    let mut m = HostModel::new();
    for f in facts {
        m.mark(*f);
    }
    m
}

/// An HNS network.
pub fn network(id: &str, name: &str, net_type: &str) -> Network {
    Network {
        id: norm_guid(id),
        name: name.into(),
        net_type: net_type.into(),
        schema: ApiSchema::V1,
        prov: prov("hns/networks.json", 1, &format!("\"Name\": \"{name}\"")),
        ..Network::default()
    }
}

/// A local endpoint with v1 state.
pub fn local_ep(id: &str, ip: &str, state: Option<u32>) -> Endpoint {
    Endpoint {
        id: norm_guid(id),
        ips: vec![ip.into()],
        is_remote: Some(false),
        state,
        schema: ApiSchema::V1,
        prov: prov(
            "hns/endpoints.json",
            10,
            &format!("\"IPAddress\": \"{ip}\""),
        ),
        ..Endpoint::default()
    }
}

/// A remote endpoint.
pub fn remote_ep(id: &str, ip: &str) -> Endpoint {
    Endpoint {
        id: norm_guid(id),
        ips: vec![ip.into()],
        is_remote: Some(true),
        schema: ApiSchema::V1,
        prov: prov(
            "hns/endpoints.json",
            20,
            &format!("\"IPAddress\": \"{ip}\""),
        ),
        ..Endpoint::default()
    }
}

/// A load balancer with one port mapping.
pub fn lb(id: &str, vips: &[&str], eps: &[&str], proto: u32, port: u16, dsr: bool) -> LoadBalancer {
    LoadBalancer {
        id: norm_guid(id),
        vips: vips.iter().map(|s| (*s).to_string()).collect(),
        endpoint_ids: eps.iter().map(|s| norm_guid(s)).collect(),
        port_mappings: vec![PortMapping {
            protocol: proto,
            internal_port: port,
            external_port: port,
            ..PortMapping::default()
        }],
        dsr: Some(dsr),
        state: Some(2),
        schema: ApiSchema::V1,
        prov: prov("hns/loadbalancers.json", 5, &format!("\"ID\": \"{id}\"")),
        ..LoadBalancer::default()
    }
}

/// A log line.
pub fn log(component: Component, msg: &str, codes: &[u32]) -> LogEvent {
    LogEvent {
        time: Some("2024-05-01T10:00:00Z".into()),
        component,
        level: LogLevel::Error,
        message: msg.into(),
        error_codes: codes.to_vec(),
        operation: None,
        prov: prov("logs/kube-proxy.log", 42, msg),
    }
}

/// A service.
pub fn service(name: &str, state: ServiceState) -> Service {
    Service {
        name: name.into(),
        state,
        prov: prov("services.txt", 3, name),
        ..Service::default()
    }
}

/// A dynamic port range.
pub fn dynamic(t: Transport, start: u16, count: u32) -> DynamicPortRange {
    DynamicPortRange {
        protocol: t,
        start,
        count,
        prov: prov(
            "netsh/dynamicportrange.txt",
            4,
            &format!("Start Port : {start}"),
        ),
    }
}

/// An excluded port range.
pub fn excluded(t: Transport, start: u16, end: u16, administered: bool) -> ExcludedPortRange {
    ExcludedPortRange {
        protocol: t,
        start,
        end,
        administered,
        prov: prov("netsh/excludedportrange.txt", 7, &format!("{start} {end}")),
    }
}

/// A listening socket.
pub fn listener(t: Transport, addr: &str, port: u16, process: Option<&str>) -> Listener {
    Listener {
        protocol: t,
        local_address: addr.into(),
        local_port: port,
        state: (t == Transport::Tcp).then(|| "LISTENING".to_string()),
        pid: Some(1234),
        process: process.map(str::to_string),
        prov: prov("netstat.txt", 9, &format!("{addr}:{port}")),
    }
}

/// Run one rule.
pub fn run_one(rule: &dyn Rule, m: &HostModel, opts: &Options) -> Report {
    run_rules(&[rule], m, opts)
}

/// Run one rule with default options and return its findings, asserting it was evaluated.
pub fn findings(rule: &dyn Rule, m: &HostModel) -> Vec<Finding> {
    findings_with(rule, m, &Options::default())
}

/// Run one rule with options, return findings, asserting it was evaluated.
pub fn findings_with(rule: &dyn Rule, m: &HostModel, opts: &Options) -> Vec<Finding> {
    let r = run_one(rule, m, opts);
    assert!(
        r.not_evaluated.is_empty(),
        "{} not evaluated: {:?}",
        rule.id(),
        r.not_evaluated
    );
    for f in &r.findings {
        assert!(!f.observed.is_empty(), "{}: empty observed", f.id);
        assert!(!f.why.is_empty(), "{}: empty why", f.id);
    }
    r.findings
}

/// Assert the rule is not evaluated on `m` and return what it missed.
pub fn missing(rule: &dyn Rule, m: &HostModel) -> Vec<Fact> {
    let r = run_one(rule, m, &Options::default());
    assert!(
        r.findings.is_empty() && r.passed.is_empty(),
        "{} ran",
        rule.id()
    );
    assert_eq!(r.not_evaluated.len(), 1, "{} not reported", rule.id());
    r.not_evaluated[0].missing.clone()
}

/// The three standard cases of a signature rule: a line that fires (and the finding quotes it),
/// a line that stays quiet, and no logs at all (not evaluated).
pub fn signature_cases(rule: &dyn Rule, fire: &str, codes: &[u32], quiet: &str) {
    let mut m = model(&[Fact::KubeProxyLog]);
    m.log_events.push(log(Component::KubeProxy, fire, codes));
    let f = findings(rule, &m);
    assert_eq!(f.len(), 1, "{} did not fire on {fire:?}", rule.id());
    assert_eq!(f[0].id, rule.id());
    assert_eq!(f[0].evidence[0].line, 42);
    assert!(
        f[0].observed.contains("1 log line from kube-proxy"),
        "{}",
        f[0].observed
    );
    let mut q = model(&[Fact::PastedLog]);
    q.log_events.push(log(Component::Unknown, quiet, &[]));
    assert!(
        findings(rule, &q).is_empty(),
        "{} fired on {quiet:?}",
        rule.id()
    );
    let r = run_one(rule, &model(&[Fact::HnsNetworks]), &Options::default());
    assert_eq!(
        r.not_evaluated.len(),
        1,
        "{} evaluated without logs",
        rule.id()
    );
}

/// A model with only an OS build (and UBR when given) read from `systeminfo.txt`.
pub fn os_model(build: u32, ubr: Option<u32>) -> HostModel {
    let mut m = model(&[Fact::OsBuild, Fact::Hotfixes]);
    if ubr.is_some() {
        m.mark(Fact::OsUbr);
    }
    m.os = Some(OsInfo {
        build,
        ubr,
        prov: prov("systeminfo.txt", 3, &format!("OS Version: 10.0.{build}")),
        ..OsInfo::default()
    });
    m
}
