//! The Kubernetes manifests in `deploy/` deserialize into the API types (`k8s-openapi`), and
//! say what they must: HostProcess as SYSTEM on Windows nodes (none pinned by host name), with
//! resource limits and Windows taint tolerations; RBAC for Events on Nodes and nothing more.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Namespace, PodSpec, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use serde::Deserialize;
use std::path::PathBuf;

fn deploy() -> PathBuf {
    crate::util::repo_root().join("deploy")
}

/// Every document of a YAML file, typed by its `kind`.
#[derive(Default)]
struct Objects {
    daemonsets: Vec<DaemonSet>,
    jobs: Vec<Job>,
    roles: Vec<ClusterRole>,
    bindings: Vec<ClusterRoleBinding>,
    accounts: Vec<ServiceAccount>,
    namespaces: Vec<Namespace>,
}

fn typed<T: serde::de::DeserializeOwned>(v: serde_yaml_ng::Value, ctx: &str) -> T {
    serde_yaml_ng::from_value(v).unwrap_or_else(|e| panic!("{ctx}: {e}"))
}

fn load(files: &[&str]) -> Objects {
    let mut o = Objects::default();
    for f in files {
        let path = deploy().join(f);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{f}: {e}"));
        for doc in serde_yaml_ng::Deserializer::from_str(&text) {
            let v = serde_yaml_ng::Value::deserialize(doc).unwrap_or_else(|e| panic!("{f}: {e}"));
            let kind = v["kind"].as_str().unwrap_or_else(|| panic!("{f}: no kind"));
            let ctx = format!("{f}: {kind}");
            match kind {
                "DaemonSet" => o.daemonsets.push(typed(v, &ctx)),
                "Job" => o.jobs.push(typed(v, &ctx)),
                "ClusterRole" => o.roles.push(typed(v, &ctx)),
                "ClusterRoleBinding" => o.bindings.push(typed(v, &ctx)),
                "ServiceAccount" => o.accounts.push(typed(v, &ctx)),
                "Namespace" => o.namespaces.push(typed(v, &ctx)),
                other => panic!("{f}: unexpected kind {other}"),
            }
        }
    }
    o
}

/// HostProcess as SYSTEM, Windows nodes only, no host-name pinning, limits, tolerations.
fn check_pod(what: &str, spec: &PodSpec) {
    let sc = spec.security_context.as_ref().expect("pod securityContext");
    let win = sc.windows_options.as_ref().expect("windowsOptions");
    assert_eq!(win.host_process, Some(true), "{what}: hostProcess");
    assert_eq!(
        win.run_as_user_name.as_deref(),
        Some(r"NT AUTHORITY\SYSTEM"),
        "{what}: runAsUserName"
    );
    assert_eq!(
        spec.host_network,
        Some(true),
        "{what}: HostProcess pods need hostNetwork"
    );
    let sel = spec.node_selector.as_ref().expect("nodeSelector");
    assert_eq!(
        sel.get("kubernetes.io/os").map(String::as_str),
        Some("windows"),
        "{what}"
    );
    assert!(
        !sel.contains_key("kubernetes.io/hostname"),
        "{what}: pinned to a host"
    );
    assert!(spec.node_name.is_none(), "{what}: pinned by nodeName");
    assert!(
        spec.affinity.is_none(),
        "{what}: no affinity (it could pin hosts)"
    );
    let tol = spec.tolerations.as_deref().unwrap_or_default();
    assert!(
        tol.iter()
            .any(|t| t.value.as_deref() == Some("windows")
                && t.effect.as_deref() == Some("NoSchedule")),
        "{what}: tolerates the Windows taint"
    );
    assert!(!spec.containers.is_empty());
    for c in &spec.containers {
        let limits = c
            .resources
            .as_ref()
            .and_then(|r| r.limits.as_ref())
            .unwrap_or_else(|| panic!("{what}: {} has no limits", c.name));
        assert!(
            limits.contains_key("cpu") && limits.contains_key("memory"),
            "{what}"
        );
        assert_eq!(
            c.command.as_deref(),
            Some(&["hnsdoctor.exe".to_string()][..])
        );
        // containers must not ask for privileges a HostProcess pod sets at pod level only
        assert!(c.security_context.is_none(), "{what}");
    }
}

#[test]
fn daemonset_is_hostprocess_on_every_windows_node() {
    let o = load(&["namespace.yaml", "daemonset.yaml"]);
    assert_eq!(o.daemonsets.len(), 1);
    let ds = &o.daemonsets[0];
    let ns = o.namespaces[0].metadata.name.as_deref().unwrap();
    assert_eq!(ds.metadata.namespace.as_deref(), Some(ns), "namespaced");
    let spec = ds.spec.as_ref().unwrap();
    let pod = spec.template.spec.as_ref().unwrap();
    check_pod("DaemonSet", pod);
    assert_eq!(
        pod.service_account_name.as_deref(),
        o.accounts[0].metadata.name.as_deref()
    );
    let args = pod.containers[0].args.clone().unwrap_or_default();
    assert_eq!(args[0], "watch", "{args:?}");
    // Events on the Node: the flag, and the node's name from the downward API
    assert!(args.iter().any(|a| a == "--k8s-events"), "{args:?}");
    let env = pod.containers[0].env.clone().unwrap_or_default();
    let node_name = env
        .iter()
        .find(|e| e.name == "NODE_NAME")
        .expect("NODE_NAME");
    assert_eq!(
        node_name
            .value_from
            .as_ref()
            .and_then(|v| v.field_ref.as_ref())
            .map(|f| f.field_path.as_str()),
        Some("spec.nodeName")
    );
    let metrics = args
        .iter()
        .position(|a| a == "--metrics")
        .map(|i| &args[i + 1]);
    assert!(
        metrics.is_some_and(|m| m.starts_with("127.0.0.1:")),
        "{args:?}"
    );
    // the selector matches the template
    let labels = spec
        .template
        .metadata
        .as_ref()
        .unwrap()
        .labels
        .as_ref()
        .unwrap();
    for (k, v) in spec.selector.match_labels.as_ref().unwrap() {
        assert_eq!(labels.get(k), Some(v));
    }
}

#[test]
fn job_collects_on_one_windows_node() {
    let o = load(&["job.yaml"]);
    let job = &o.jobs[0];
    let pod = job.spec.as_ref().unwrap().template.spec.as_ref().unwrap();
    check_pod("Job", pod);
    assert_eq!(pod.restart_policy.as_deref(), Some("Never"));
    assert_eq!(pod.containers[0].args.as_ref().unwrap()[0], "collect");
}

#[test]
fn rbac_allows_events_on_nodes_only() {
    let o = load(&["namespace.yaml", "rbac.yaml"]);
    let role = &o.roles[0];
    let rules = role.rules.as_deref().unwrap();
    let verbs = |group: &str, resource: &str| -> Vec<String> {
        rules
            .iter()
            .filter(|r| {
                r.api_groups
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .any(|g| g == group)
            })
            .filter(|r| {
                r.resources
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .any(|x| x == resource)
            })
            .flat_map(|r| r.verbs.clone())
            .collect()
    };
    assert_eq!(verbs("", "events"), ["create", "patch"]);
    assert_eq!(verbs("events.k8s.io", "events"), ["create", "patch"]);
    assert_eq!(verbs("", "nodes"), ["get"]);
    for r in rules {
        assert!(!r.verbs.iter().any(|v| v == "*"), "no wildcard verbs");
        for res in r.resources.as_deref().unwrap_or_default() {
            assert!(
                res == "events" || res == "nodes",
                "unexpected resource {res}"
            );
        }
    }
    let b = &o.bindings[0];
    assert_eq!(b.role_ref.name, role.metadata.name.clone().unwrap());
    let s = &b.subjects.as_ref().unwrap()[0];
    assert_eq!(s.kind, "ServiceAccount");
    assert_eq!(s.name, o.accounts[0].metadata.name.clone().unwrap());
    assert_eq!(s.namespace, o.accounts[0].metadata.namespace);
}

#[test]
fn kustomization_lists_existing_files() {
    let text = std::fs::read_to_string(deploy().join("kustomization.yaml")).unwrap();
    let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let res = v["resources"].as_sequence().unwrap();
    assert!(res.len() >= 3);
    for r in res {
        let f = r.as_str().unwrap();
        assert!(deploy().join(f).is_file(), "{f}");
    }
}
