//! The fix engine against the recording fake host: for every automated workaround, the exact
//! operations and their order, backups before the first change, refusals (no admin, no
//! container, last resort without the flag), stop at the first failure with a journal that
//! says where, idempotency (a second run changes nothing) and undo restoring the state.

use hnsdoctor_fix::journal::{OpStatus, RunStatus};
use hnsdoctor_fix::{
    apply, plan, plan_ids, undo, ApplyOptions, FixError, Journal, StepKind, Verifier,
};
use hnsdoctor_host::change::{HnsObject, PortProtocol, RegData, Scope, StartType};
use hnsdoctor_host::fake::change::{FakeChange, State};
use hnsdoctor_model::Prov;
use hnsdoctor_rules::knowledge::Knowledge;
use hnsdoctor_rules::{Confidence, Finding, Severity};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;

const DNS: &str = r"HKLM\SYSTEM\CurrentControlSet\Services\Dnscache\Parameters";
const TCPIP6: &str = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters";
const HNSDATA: &str = r"C:\ProgramData\Microsoft\Windows\HNS\HNS.data";

/// A finding as a rule reports it: the KB's fix steps, `targets` on the removal steps.
fn finding(id: &str, targets: &[&str]) -> Finding {
    let kb = Knowledge::get();
    let mut fix = kb.fix_steps(id);
    for s in &mut fix {
        if kb.step_takes_targets(id, &s.text) {
            s.targets = targets.iter().map(|t| (*t).to_string()).collect();
        }
    }
    Finding {
        id: id.into(),
        severity: Severity::Warning,
        title: id.into(),
        observed: format!("{id} observed"),
        why: String::new(),
        evidence: vec![Prov::quoted("hns/endpoints.json", 12, "\"ID\": \"R2\"")],
        fix,
        references: Vec::new(),
        confidence: Confidence::High,
    }
}

/// Says every finding is present until told otherwise.
struct Present(Mutex<bool>);

impl Present {
    fn yes() -> Self {
        Self(Mutex::new(true))
    }
}

impl Verifier for Present {
    fn present(&self, ids: &[String]) -> Result<BTreeSet<String>, String> {
        Ok(if *self.0.lock().unwrap() {
            ids.iter().cloned().collect()
        } else {
            BTreeSet::new()
        })
    }
}

fn opts(root: &Path, last_resort: bool, container: Option<&str>) -> ApplyOptions {
    ApplyOptions {
        last_resort,
        container: container.map(str::to_string),
        backup_root: root.to_path_buf(),
        tool_version: "test".into(),
    }
}

/// State with HNS objects sorted (re-created objects are appended at the end).
fn norm(mut s: State) -> State {
    for v in s.hns.values_mut() {
        v.sort_by(|a, b| a.id.cmp(&b.id));
    }
    s
}

/// Apply `findings`, check backups came first and the journal on disk, then re-apply (second
/// run: no change) and undo (state back to the start). Returns the changes of the first run.
fn roundtrip(
    fake: &FakeChange,
    findings: &[Finding],
    o: &ApplyOptions,
) -> (Journal, Vec<String>, Vec<Vec<String>>) {
    let start = norm(fake.state());
    let p = plan(findings, o.container.as_deref()).unwrap();
    let j = apply(&p, fake, &Present::yes(), o).unwrap();
    assert_eq!(j.status, RunStatus::Completed, "{j:#?}");
    let changes = fake.changes();
    let seen = fake.seen();
    // the journal on disk is the one returned
    let on_disk = Journal::load(&Journal::path_in(&j.backup_dir)).unwrap();
    assert_eq!(on_disk, j);
    // second run: the finding is still reported, yet nothing is changed
    fake.clear_changes();
    let j2 = apply(&p, fake, &Present::yes(), o).unwrap();
    let again = fake.changes();
    assert!(again.is_empty(), "second run changed something: {again:?}");
    assert!(j2.entries.iter().all(|e| e.status != OpStatus::Done));
    // undo both runs, newest first: back to the start
    fake.clear_changes();
    let u2 = undo(&Journal::path_in(&j2.backup_dir), fake).unwrap();
    assert_eq!(u2.status, RunStatus::Undone);
    let u = undo(&Journal::path_in(&j.backup_dir), fake).unwrap();
    assert_eq!(u.status, RunStatus::Undone, "{:?}", u.undo_log);
    assert_eq!(norm(fake.state()), start, "undo did not restore the state");
    // a second undo changes nothing
    fake.clear_changes();
    undo(&Journal::path_in(&j.backup_dir), fake).unwrap();
    assert!(fake.changes().is_empty());
    (j, changes, seen)
}

fn host() -> Scope {
    Scope::Host
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn dns_negative_cache_sets_ttls_in_the_container_then_restarts_dnscache() {
    let t = tmp();
    let c = Scope::Container {
        runtime: hnsdoctor_host::change::ContainerRuntime::Docker,
        id: "web-1".into(),
    };
    let fake = FakeChange::new()
        .with_value(&c, DNS, "MaxCacheTtl", RegData::Dword(86400))
        .with_service(&c, "Dnscache", true, StartType::Auto)
        .with_service(&host(), "Dnscache", true, StartType::Auto)
        .watch(t.path());
    let (j, changes, seen) = roundtrip(
        &fake,
        &[finding("dns-negative-cache", &[])],
        &opts(t.path(), false, Some("web-1")),
    );
    assert_eq!(
        changes,
        vec![
            format!("set-registry container web-1 {DNS} MaxCacheTtl = REG_DWORD 0 (0x0)"),
            format!("set-registry container web-1 {DNS} MaxNegativeCacheTtl = REG_DWORD 0 (0x0)"),
            "stop-service container web-1 dnscache".to_string(),
            "start-service container web-1 dnscache".to_string(),
        ]
    );
    // backups (journal, registry.json) were on disk at the first change
    let first = &seen[0];
    let dir = j
        .backup_dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(first.contains(&format!("{dir}/journal.json")), "{first:?}");
    assert!(first.contains(&format!("{dir}/registry.json")), "{first:?}");
    // the last-resort step was refused, and says why
    let lr = j.entries.iter().find(|e| e.step == 2).unwrap();
    assert_eq!(lr.status, OpStatus::Skipped);
    assert!(lr.message.contains("--last-resort"));
    // the host's own DNS client was not touched
    assert!(changes.iter().all(|c| !c.contains(" host ")));
}

#[test]
fn dns_negative_cache_last_resort_disables_dnscache_only_with_the_flag() {
    let t = tmp();
    let c = Scope::Container {
        runtime: hnsdoctor_host::change::ContainerRuntime::Docker,
        id: "web-1".into(),
    };
    let fake = FakeChange::new().with_service(&c, "dnscache", true, StartType::Auto);
    let (_, changes, _) = roundtrip(
        &fake,
        &[finding("dns-negative-cache", &[])],
        &opts(t.path(), true, Some("web-1")),
    );
    assert_eq!(
        changes[changes.len() - 2..],
        [
            "stop-service container web-1 dnscache".to_string(),
            "set-service-start container web-1 dnscache disabled".to_string()
        ]
    );
}

#[test]
fn in_container_steps_need_container_and_runtime() {
    let t = tmp();
    let fake = FakeChange::new();
    let p = plan(&[finding("dns-negative-cache", &[])], None).unwrap();
    let e = apply(&p, &fake, &Present::yes(), &opts(t.path(), false, None)).unwrap_err();
    assert!(matches!(e, FixError::NeedsContainer { step: 1, .. }), "{e}");
    let fake = FakeChange::new().runtime(None);
    let e = apply(
        &p,
        &fake,
        &Present::yes(),
        &opts(t.path(), false, Some("c")),
    )
    .unwrap_err();
    assert!(matches!(e, FixError::NoRuntime), "{e}");
    assert!(fake.changes().is_empty());
}

fn k8s_node() -> FakeChange {
    FakeChange::new()
        .with_service(&host(), "kube-proxy", true, StartType::Auto)
        .with_service(&host(), "kubelet", true, StartType::Auto)
        .with_service(&host(), "hns", true, StartType::Manual)
}

#[test]
fn outbound_lost_stops_removes_policy_lists_and_the_named_network_then_starts() {
    let t = tmp();
    let fake = k8s_node()
        .with_hns(HnsObject::PolicyList, "PL-1", None)
        .with_hns(HnsObject::PolicyList, "PL-2", None)
        .with_hns(HnsObject::Network, "N-1", Some("l2bridge"))
        .with_hns(HnsObject::Network, "N-2", Some("nat"))
        .watch(t.path());
    let (j, changes, seen) = roundtrip(
        &fake,
        &[finding("outbound-lost-after-restart", &[])],
        &opts(t.path(), false, None),
    );
    assert_eq!(
        changes,
        [
            "stop-service host kube-proxy",
            "stop-service host kubelet",
            "delete-hns policy-list PL-1",
            "delete-hns policy-list PL-2",
            "delete-hns network N-1",
            "start-service host kubelet",
            "start-service host kube-proxy",
        ]
    );
    // the objects were written as JSON before the first change
    let dir = j
        .backup_dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    for f in [
        "hns/policy-list-pl-1.json",
        "hns/policy-list-pl-2.json",
        "hns/network-n-1.json",
    ] {
        assert!(
            seen[0].contains(&format!("{dir}/{f}")),
            "{f} missing at first change"
        );
    }
}

#[test]
fn a_failure_stops_the_run_and_the_journal_says_where() {
    let t = tmp();
    let fake = k8s_node()
        .with_hns(HnsObject::PolicyList, "PL-1", None)
        .with_hns(HnsObject::Network, "N-1", Some("l2bridge"));
    let start = norm(fake.state());
    fake.fail_on("delete-hns network");
    let p = plan(&[finding("outbound-lost-after-restart", &[])], None).unwrap();
    let j = apply(&p, &fake, &Present::yes(), &opts(t.path(), false, None)).unwrap();
    assert_eq!(j.status, RunStatus::Failed);
    let at = j.stopped_at.as_ref().unwrap();
    assert_eq!(
        (at.finding.as_str(), at.step),
        ("outbound-lost-after-restart", 2)
    );
    assert!(at.op.contains("network named l2bridge"), "{}", at.op);
    assert!(at.error.contains("scripted failure"));
    // nothing after the failure ran: kubelet and kube-proxy stay stopped
    assert_eq!(
        fake.changes(),
        [
            "stop-service host kube-proxy",
            "stop-service host kubelet",
            "delete-hns policy-list PL-1"
        ]
    );
    let disk = Journal::load(&Journal::path_in(&j.backup_dir)).unwrap();
    assert_eq!(disk.stopped_at, j.stopped_at);
    // undo puts back what was done before the failure
    let u = undo(&Journal::path_in(&j.backup_dir), &fake).unwrap();
    assert_eq!(u.status, RunStatus::Undone);
    assert_eq!(norm(fake.state()), start);
}

fn hnsdata_node() -> FakeChange {
    k8s_node().with_file(HNSDATA, b"HNS state v9")
}

const HNSDATA_OPS: [&str; 6] = [
    "stop-service host kube-proxy",
    "stop-service host kubelet",
    "stop-service host hns",
    "rename-hnsdata",
    "start-service host hns",
    "start-service host kubelet",
];

fn check_hnsdata(changes: &[String]) {
    assert_eq!(changes.len(), 7, "{changes:?}");
    for (c, want) in changes.iter().zip(HNSDATA_OPS) {
        if want == "rename-hnsdata" {
            assert!(
                c.starts_with(&format!("rename {HNSDATA} -> {HNSDATA}.hnsdoctor-")),
                "{c}"
            );
        } else {
            assert_eq!(c, want);
        }
    }
    assert_eq!(changes[6], "start-service host kube-proxy");
}

#[test]
fn hns_data_incompatible_moves_hns_data_aside_with_hns_and_its_users_stopped() {
    let t = tmp();
    let fake = hnsdata_node().watch(t.path());
    let (j, changes, seen) = roundtrip(
        &fake,
        &[finding("hns-data-incompatible", &[])],
        &opts(t.path(), false, None),
    );
    check_hnsdata(&changes);
    // docker is not installed on this node: skipped, and said so
    let stop = j
        .entries
        .iter()
        .find(|e| e.op.starts_with("stop-services"))
        .unwrap();
    assert!(stop.message.contains("docker is not installed"), "{stop:?}");
    // the copy of HNS.data was in the backup folder before the first change
    let dir = j
        .backup_dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(seen[0].contains(&format!("{dir}/files/HNS.data")));
    assert_eq!(
        std::fs::read(j.backup_dir.join("files/HNS.data")).unwrap(),
        b"HNS state v9"
    );
}

#[test]
fn docker_slow_start_moves_hns_data_only_as_a_last_resort() {
    let t = tmp();
    let fake = hnsdata_node();
    let p = plan(&[finding("docker-slow-start-hnsdata", &[])], None).unwrap();
    let j = apply(&p, &fake, &Present::yes(), &opts(t.path(), false, None)).unwrap();
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
    assert!(j
        .entries
        .iter()
        .any(|e| e.status == OpStatus::Skipped && e.message.contains("--last-resort")));
    let (_, changes, _) = roundtrip(
        &fake,
        &[finding("docker-slow-start-hnsdata", &[])],
        &opts(t.path(), true, None),
    );
    check_hnsdata(&changes);
}

#[test]
fn restart_only_workarounds_restart_kube_proxy_once_and_not_when_cleared() {
    for id in ["dns-lb-missing", "lb-already-exists"] {
        let t = tmp();
        let fake = k8s_node();
        let p = plan(&[finding(id, &[])], None).unwrap();
        let v = Present::yes();
        let j = apply(&p, &fake, &v, &opts(t.path(), false, None)).unwrap();
        assert_eq!(
            fake.changes(),
            [
                "stop-service host kube-proxy",
                "start-service host kube-proxy"
            ],
            "{id}"
        );
        assert_eq!(j.findings[0].before, "present");
        // the restart cleared it: the second run does nothing and says so
        *v.0.lock().unwrap() = false;
        fake.clear_changes();
        let j2 = apply(&p, &fake, &v, &opts(t.path(), false, None)).unwrap();
        assert!(fake.changes().is_empty(), "{id}: {:?}", fake.changes());
        assert_eq!(j2.findings[0].before, "cleared");
        assert!(j2.entries[0].message.contains("not present"));
    }
}

#[test]
fn stale_remote_endpoint_removes_exactly_the_named_endpoints() {
    let t = tmp();
    let fake = k8s_node()
        .with_hns(HnsObject::Endpoint, "L-1", None)
        .with_hns(HnsObject::Endpoint, "R-1", None)
        .with_hns(HnsObject::Endpoint, "R-2", None)
        .watch(t.path());
    let (j, changes, seen) = roundtrip(
        &fake,
        &[finding("stale-remote-endpoint", &["{r-2}"])],
        &opts(t.path(), false, None),
    );
    assert_eq!(
        changes,
        [
            "stop-service host kube-proxy",
            "start-service host kube-proxy",
            "delete-hns endpoint R-2"
        ]
    );
    let dir = j
        .backup_dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(seen[0].contains(&format!("{dir}/hns/endpoint-r-2.json")));
}

#[test]
fn lb_dangling_endpoint_removes_the_named_load_balancer_and_restarts_kube_proxy() {
    let t = tmp();
    let fake = k8s_node()
        .with_hns(HnsObject::LoadBalancer, "LB-1", None)
        .with_hns(HnsObject::LoadBalancer, "LB-2", None);
    let (j, changes, _) = roundtrip(
        &fake,
        &[finding("lb-dangling-endpoint", &["LB-1"])],
        &opts(t.path(), false, None),
    );
    assert_eq!(
        changes,
        [
            "stop-service host kube-proxy",
            "start-service host kube-proxy",
            "delete-hns load-balancer LB-1",
            "stop-service host kube-proxy",
            "start-service host kube-proxy",
        ]
    );
    // removing every policy list is the last resort, refused here
    assert!(j
        .entries
        .iter()
        .any(|e| e.step == 3 && e.status == OpStatus::Skipped));
}

#[test]
fn a_removal_without_named_objects_removes_nothing() {
    let t = tmp();
    let fake = k8s_node().with_hns(HnsObject::Endpoint, "R-1", None);
    let p = plan_ids(&["stale-remote-endpoint".into()], None).unwrap();
    assert!(p.findings[0].note.as_deref().unwrap().contains("--from"));
    let j = apply(&p, &fake, &Present::yes(), &opts(t.path(), false, None)).unwrap();
    assert!(fake.changes().iter().all(|c| !c.starts_with("delete-hns")));
    assert!(j
        .entries
        .iter()
        .any(|e| e.message.contains("names no objects")));
}

#[test]
fn ipv6_disabled_deletes_disabled_components_and_does_not_reboot() {
    let t = tmp();
    let fake = k8s_node().with_value(&host(), TCPIP6, "DisabledComponents", RegData::Dword(0xff));
    let (_, changes, _) = roundtrip(
        &fake,
        &[finding("ipv6-disabled", &[])],
        &opts(t.path(), false, None),
    );
    assert_eq!(
        changes,
        [format!("delete-registry host {TCPIP6} DisabledComponents")]
    );
    let p = plan(&[finding("ipv6-disabled", &[])], None).unwrap();
    let step = p.findings[0]
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Automated)
        .unwrap();
    assert!(step.reboot_needed);
    assert!(hnsdoctor_fix::plan::render_text(&p).contains("needs a reboot, which fix does not do"));
}

#[test]
fn port_pool_exhaustion_widens_the_range_only_as_a_last_resort() {
    let t = tmp();
    let fake = FakeChange::new();
    let p = plan(&[finding("port-pool-exhaustion", &[])], None).unwrap();
    apply(&p, &fake, &Present::yes(), &opts(t.path(), false, None)).unwrap();
    assert!(fake.changes().is_empty());
    let (_, changes, _) = roundtrip(
        &fake,
        &[finding("port-pool-exhaustion", &[])],
        &opts(t.path(), true, None),
    );
    assert_eq!(changes, ["set-port-range tcp start=1025 num=64511"]);
}

#[test]
fn dynamic_port_range_is_set_back_to_the_default_where_it_differs() {
    let t = tmp();
    let fake = FakeChange::new().with_ports(PortProtocol::Tcp, 10000, 1000);
    let (j, changes, _) = roundtrip(
        &fake,
        &[finding("dynamic-port-range-misconfigured", &[])],
        &opts(t.path(), false, None),
    );
    // UDP already has the default range: no change, and the journal says so
    assert_eq!(changes, ["set-port-range tcp start=49152 num=16384"]);
    assert!(j
        .entries
        .iter()
        .any(|e| e.status == OpStatus::NoChange && e.message.contains("udp range is already")));
}

#[test]
fn winnat_preexisting_nat_removes_nat_then_restarts_hns_and_docker() {
    let t = tmp();
    let fake = FakeChange::new()
        .with_service(&host(), "hns", true, StartType::Manual)
        .with_service(&host(), "docker", true, StartType::Auto)
        .with_nat("ContainerNAT", "172.20.0.0/16")
        .watch(t.path());
    let (j, changes, _) = roundtrip(
        &fake,
        &[finding("winnat-preexisting-nat", &[])],
        &opts(t.path(), false, None),
    );
    assert_eq!(
        changes,
        [
            "remove-nat ContainerNAT",
            "stop-service host docker",
            "stop-service host hns",
            "start-service host hns",
            "start-service host docker",
        ]
    );
    let nat: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(j.backup_dir.join("nat.json")).unwrap())
            .unwrap();
    assert_eq!(nat[0]["prefix"], "172.20.0.0/16");
}

#[test]
fn refuses_without_admin_before_writing_anything() {
    let t = tmp();
    let fake = k8s_node().admin(false);
    let p = plan(&[finding("dns-lb-missing", &[])], None).unwrap();
    let e = apply(&p, &fake, &Present::yes(), &opts(t.path(), false, None)).unwrap_err();
    assert!(matches!(e, FixError::NotAdmin));
    assert!(e.to_string().contains("administrator"));
    assert!(fake.changes().is_empty());
    assert_eq!(
        std::fs::read_dir(t.path()).unwrap().count(),
        0,
        "no backup folder"
    );
    let j = t.path().join("journal.json");
    assert!(matches!(undo(&j, &fake), Err(FixError::NotAdmin)));
}

#[test]
fn undo_rejects_a_file_that_is_not_a_journal_with_its_line() {
    let t = tmp();
    let p = t.path().join("journal.json");
    std::fs::write(&p, "{\n  \"schema_version\": 1,\n  \"oops\"\n}").unwrap();
    let e = undo(&p, &FakeChange::new()).unwrap_err();
    let m = e.to_string();
    assert!(m.contains("journal.json") && m.contains("line 4"), "{m}");
}

#[test]
fn every_kb_entry_has_a_plan_and_the_issue_15_ones_are_automated() {
    let kb = hnsdoctor_kb::Kb::get();
    let ids: Vec<String> = kb.entries().iter().map(|e| e.id.clone()).collect();
    let p = plan_ids(&ids, None).unwrap();
    assert_eq!(p.findings.len(), ids.len());
    let automated: BTreeSet<&str> = p
        .findings
        .iter()
        .filter(|f| f.automated)
        .map(|f| f.id.as_str())
        .collect();
    for id in [
        "dns-negative-cache",
        "outbound-lost-after-restart",
        "docker-slow-start-hnsdata",
        "hns-data-incompatible",
        "dns-lb-missing",
        "lb-already-exists",
        "stale-remote-endpoint",
        "lb-dangling-endpoint",
        "ipv6-disabled",
        "port-pool-exhaustion",
        "dynamic-port-range-misconfigured",
        "winnat-preexisting-nat",
    ] {
        assert!(automated.contains(id), "{id} not automated");
    }
    // one without automation says so and keeps its manual steps
    let os = p.findings.iter().find(|f| f.id == "os-outdated").unwrap();
    assert!(!os.automated);
    assert!(os.note.as_deref().unwrap().contains("No safe automation"));
    assert!(os.steps.iter().any(|s| s.kind == StepKind::Manual));
    assert!(matches!(
        plan_ids(&["no-such-id".into()], None),
        Err(FixError::UnknownId(_))
    ));
}

#[test]
fn plan_from_a_finding_carries_its_evidence_and_the_kb_text() {
    let f = finding("stale-remote-endpoint", &["R-2"]);
    let p = plan(std::slice::from_ref(&f), None).unwrap();
    let pf = &p.findings[0];
    assert_eq!(pf.evidence, ["hns/endpoints.json:12: \"ID\": \"R2\""]);
    let kb = hnsdoctor_kb::Kb::get()
        .entry("stale-remote-endpoint")
        .unwrap();
    let texts: Vec<&str> = pf.steps.iter().map(|s| s.text.as_str()).collect();
    let kb_texts: Vec<&str> = kb.workaround.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts, kb_texts);
    let rm = &pf.steps[1].ops[0];
    assert_eq!(rm.targets, ["R-2"]);
    assert!(
        rm.changes.contains("exactly these HNS endpoints: R-2"),
        "{}",
        rm.changes
    );
    assert!(rm.backup.contains("JSON"));
    assert!(pf.steps[0]
        .disruption
        .as_deref()
        .unwrap()
        .contains("kube-proxy"));
}

#[test]
fn a_restart_that_starts_a_stopped_service_is_undone_by_stopping_it() {
    let t = tmp();
    let fake = FakeChange::new().with_service(&host(), "kube-proxy", false, StartType::Auto);
    let p = plan(&[finding("dns-lb-missing", &[])], None).unwrap();
    let j = apply(&p, &fake, &Present::yes(), &opts(t.path(), false, None)).unwrap();
    assert_eq!(
        fake.changes(),
        [
            "stop-service host kube-proxy",
            "start-service host kube-proxy"
        ]
    );
    undo(&Journal::path_in(&j.backup_dir), &fake).unwrap();
    assert!(!fake.state().services[&("host".to_string(), "kube-proxy".to_string())].running);
}
