//! Everyday pastes (name resolution, PowerShell error records, docker errors, pod ipconfig,
//! kube-proxy crashes, load-balancer counts, CNI events) through the real opener, parsers and
//! rule engine: each reader's facts reach the rule that diagnoses them, and the detectors pick
//! the reader. The texts are fixture cases of `crates/rules/fixtures/` (see
//! [`crate::fixtures`]), written for these tests in the shapes the commands print.

use crate::fixtures::{case, report_for};
use hnsdoctor_rules::{Finding, Report};

/// The report for one fixture case.
fn fixture(id: &str, name: &str) -> Report {
    report_for(&case(id, "fires", name))
}

/// Finding `id` of a report, asserting the rule was evaluated.
fn finding(r: &Report, id: &str) -> Option<Finding> {
    assert!(
        r.not_evaluated.iter().all(|n| n.id != id),
        "{id} not evaluated: {:?}",
        r.not_evaluated
    );
    r.findings.iter().find(|f| f.id == id).cloned()
}

/// The formats the assembler chose for the inputs of a report (each one recognised).
fn formats(r: &Report) -> Vec<&str> {
    r.inputs.iter().map(|s| s.format.as_str()).collect()
}

#[test]
fn nslookup_answers_ping_fails_is_negative_cache() {
    let r = fixture("dns-negative-cache", "name-resolution");
    assert_eq!(formats(&r), ["name-resolution", "name-resolution"]);
    let f = finding(&r, "dns-negative-cache").expect("negative cache");
    assert!(
        f.observed.contains("portal.corp.example") && f.observed.contains("172.18.0.53"),
        "{}",
        f.observed
    );
    assert!(!f.fix.is_empty());
}

#[test]
fn resolve_dnsname_timeout_is_resolution_failing() {
    let r = fixture("dns-resolution-failing", "resolve-dnsname-timeout.txt");
    assert_eq!(formats(&r), ["name-resolution"]);
    let f = finding(&r, "dns-resolution-failing").expect("resolution failing");
    assert!(f.observed.contains("timed out"), "{}", f.observed);
    assert!(finding(&r, "dns-negative-cache").is_none());
}

#[test]
fn docker_endpoint_on_nat_is_stale_static_mapping_and_createcontainer_0x490_is_ipv6() {
    let r = fixture("winnat-stale-static-mapping", "docker-run-on-nat.txt");
    assert_eq!(formats(&r), ["docker-error"]);
    let f = finding(&r, "winnat-stale-static-mapping").expect("static mapping");
    assert!(
        f.observed.contains("No WinNAT static mapping is shown"),
        "{}",
        f.observed
    );
    let r2 = fixture("ipv6-disabled", "docker-createcontainer-0x490.txt");
    let f = finding(&r2, "ipv6-disabled").expect("ipv6");
    assert!(
        f.observed.contains("raised on CreateContainer"),
        "{}",
        f.observed
    );
}

#[test]
fn new_netnat_error_record_is_preexisting_nat() {
    let r = fixture("winnat-preexisting-nat", "new-netnat-error.txt");
    assert_eq!(formats(&r), ["powershell-error"]);
    assert!(finding(&r, "winnat-preexisting-nat").is_some());
}

#[test]
fn pod_ipconfig_without_adapter() {
    let r = fixture("pod-without-adapter", "pod-ipconfig.txt");
    let f = finding(&r, "pod-without-adapter").expect("no adapter");
    assert!(f.observed.contains("orders-5f7d9c-xw2lm"), "{}", f.observed);
}

#[test]
fn kube_proxy_panic_and_locked_gate() {
    let r = fixture("kube-proxy-crash", "go-panic.txt");
    assert_eq!(formats(&r), ["go-crash"]);
    assert!(finding(&r, "kube-proxy-crash").is_some());
    assert!(finding(&r, "kube-proxy-start-failure").is_none());
    let g = fixture("kube-proxy-start-failure", "feature-gate-locked.txt");
    assert!(
        finding(&g, "kube-proxy-start-failure").is_some(),
        "{:?}",
        g.model.log_events
    );
}

#[test]
fn lb_count_loop_collapse() {
    let r = fixture("lb-mass-loss", "lb-count-loop.txt");
    assert_eq!(formats(&r), ["hns-lb-count-series"]);
    let f = finding(&r, "lb-mass-loss").expect("mass loss");
    assert!(f.observed.contains("from 812"), "{}", f.observed);
}

#[test]
fn kubelet_events_drive_cni_config_rules() {
    let r = fixture("cni-runtime-mismatch", "kubectl-describe-events.txt");
    assert!(finding(&r, "cni-runtime-mismatch").is_some());
    let r = fixture("cni-nat-config-conflict", "kubectl-describe-events.txt");
    assert!(finding(&r, "cni-nat-config-conflict").is_some());
    assert!(
        finding(&r, "winnat-preexisting-nat").is_none(),
        "the CNI nat plugin is left to cni-nat-config-conflict"
    );
}

#[test]
fn inline_hcn_settings_with_placeholder() {
    let r = fixture("cni-config-invalid-value", "hcn-settings-inline.txt");
    let f = finding(&r, "cni-config-invalid-value").expect("placeholder");
    assert!(f.observed.contains("<service cidr>"), "{}", f.observed);
}

#[test]
fn event_table_feeds_hns_crash() {
    let r = fixture("hns-crash", "get-winevent-table.txt");
    assert!(
        finding(&r, "hns-crash").is_some(),
        "{:?}",
        r.model.event_records
    );
}

#[test]
fn containerd_config_gives_the_runtime_for_cni_runtime_mismatch() {
    let r = fixture("cni-runtime-mismatch", "containerd-win-overlay");
    let f = finding(&r, "cni-runtime-mismatch").expect("mismatch");
    assert!(f.observed.contains("containerd"), "{}", f.observed);
}

#[test]
fn quoted_pod_rows_feed_kube_proxy_crash() {
    let r = fixture("kube-proxy-crash", "kubectl-get-pods.txt");
    assert_eq!(formats(&r), ["kubectl-get-pods"]);
    let f = finding(&r, "kube-proxy-crash").expect("crash loop");
    assert!(f.observed.contains("31 restarts"), "{}", f.observed);
}
