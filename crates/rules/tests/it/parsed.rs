//! Rules fed by the real parsers, beyond presence: the fixture cases of
//! `crates/rules/fixtures/` (see [`crate::fixtures`]) go through the opener and `hnsdoctor-parse`
//! into a host model, then through the rule engine, and the finding's details are checked.
//! Guards the contract between the crates (facts marked, fields filled, provenance lines kept).

use crate::fixtures::{case, report_for};
use hnsdoctor_rules::{Finding, Report, Severity};

/// The one finding `id` of a report (and the rule was evaluated).
fn the(r: &Report, id: &str) -> Finding {
    assert!(
        r.not_evaluated.iter().all(|n| n.id != id),
        "{id} not evaluated: {:?}",
        r.not_evaluated
    );
    let mut f: Vec<&Finding> = r.findings.iter().filter(|f| f.id == id).collect();
    assert_eq!(f.len(), 1, "{id}: {:#?}", r.findings);
    f.remove(0).clone()
}

#[test]
fn netsh_output_drives_port_pool_exhaustion() {
    let r = report_for(&case("port-pool-exhaustion", "fires", "netsh-ranges"));
    let f = the(&r, "port-pool-exhaustion");
    // 65000..=65535 = 536 free ports = 8 blocks
    assert!(
        f.observed.starts_with("8 free contiguous 64-port blocks"),
        "{}",
        f.observed
    );
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.evidence
            .iter()
            .any(|p| p.source == "excludedportrange.txt" && p.line > 0),
        "{:?}",
        f.evidence
    );
    assert!(!f.fix.is_empty());
}

#[test]
fn kube_proxy_log_drives_port_already_exists() {
    let r = report_for(&case("port-already-exists", "fires", "kube-proxy.log"));
    let f = the(&r, "port-already-exists");
    assert_eq!(f.evidence[0].source, "kube-proxy.log");
    assert_eq!(f.evidence[0].line, 1);
    // the specific signature claims the line: the generic HNS failure rule passes
    assert!(r.findings.iter().all(|f| f.id != "hns-operation-failed"));
    assert!(r.passed.contains(&"hns-operation-failed".to_string()));
}

#[test]
fn v1_endpoints_drive_endpoint_not_attached() {
    let r = report_for(&case("endpoint-not-attached", "fires", "v1-endpoints.json"));
    let f = the(&r, "endpoint-not-attached");
    assert!(f.observed.contains("028ABAED"), "{}", f.observed);
    assert!(f.observed.contains("Detached"), "{}", f.observed);
}
