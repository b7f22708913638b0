//! `service-not-running` — hns, vmcompute, kubelet, kube-proxy, containerd/docker stopped or missing.
//!
//! # What it finds
//! Services the node needs that are stopped, pending or not installed: `hns` and `vmcompute`
//! always; `kubelet` and `kubeproxy` on a Kubernetes node (Kubernetes context, kube logs or the
//! services themselves listed); `containerd` or `docker` when the node evidently uses that
//! runtime.
//!
//! Absent is not stopped: a service the input never lists is not judged at all (collectors ask
//! about a few services only — the legacy CollectLogs `sc queryex` lists containerd, hns,
//! kubelet… but never vmcompute). Only a listed state (stopped, pending) or an explicit "does
//! not exist as an installed service" makes a finding. When the input lists none of the
//! services this rule knows, the rule is not evaluated (missing `services`).
//!
//! # Why it matters
//! Without HNS/vmcompute no container gets a network; without kubelet no pod starts; without
//! kube-proxy no service VIP works; without the runtime no container runs.
//!
//! # Evidence used
//! `services`; the Kubernetes context and logs to decide what the node uses.
//!
//! # Fix
//! From the knowledge base entry `service-not-running`.
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Domain facts §4.1 (Docker requires hns and vmcompute).

use crate::rules::config::cni_runtime_mismatch::runtime;
use crate::rules::ports::port_reservation_conflict::is_k8s_node;
use crate::rules::prelude::*;

/// The rule.
pub struct ServiceNotRunning;

/// Every service this rule may judge.
const KNOWN: &[&str] = &[
    "hns",
    "vmcompute",
    "kubelet",
    "kubeproxy",
    "containerd",
    "docker",
];

impl Rule for ServiceNotRunning {
    fn id(&self) -> &'static str {
        "service-not-running"
    }
    fn title(&self) -> &'static str {
        "Required service not running"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::Services]
    }
    fn unmet(&self, ctx: &Ctx<'_>) -> Vec<Fact> {
        let listed = ctx
            .model
            .services
            .iter()
            .any(|s| KNOWN.iter().any(|k| s.name.eq_ignore_ascii_case(k)));
        if listed {
            Vec::new()
        } else {
            vec![Fact::Services]
        }
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let k8s = is_k8s_node(m);
        let rt = runtime(m).map(|(r, _)| r);
        // (name, why)
        let mut wanted: Vec<(&str, &str)> = vec![
            (
                "hns",
                "the Host Network Service owns every container network and endpoint",
            ),
            (
                "vmcompute",
                "the Host Compute Service runs containers and hosts the HNS API",
            ),
        ];
        if k8s {
            wanted.push(("kubelet", "kubelet starts the pods of this node"));
            wanted.push((
                "kubeproxy",
                "kube-proxy programs the service load balancers",
            ));
        }
        for r in ["containerd", "docker"] {
            let listed = m.services.iter().any(|s| s.name.eq_ignore_ascii_case(r));
            if rt.as_deref().is_some_and(|x| x.contains(r)) || (listed && rt.is_none()) {
                wanted.push((r, "the container runtime runs the containers"));
            }
        }
        for (name, role) in wanted {
            // absent is not stopped: a service the input does not list is not judged
            let Some(svc) = m
                .services
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(name))
            else {
                continue;
            };
            let word = match svc.state {
                ServiceState::Running | ServiceState::Unknown => continue,
                ServiceState::Stopped => "stopped",
                ServiceState::Pending => "start/stop pending",
                ServiceState::Missing => "not installed",
            };
            ctx.finding(self, format!("Service '{name}' is {word}."))
                .why(format!("{role}; while it is not running that part of the node's networking does not work."))
                .confidence(Confidence::High)
                .evidence(&svc.prov)
                .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(states: &[(&str, ServiceState)]) -> HostModel {
        let mut m = model(&[Fact::Services, Fact::KubeContext]);
        m.k8s.runtime = Some("containerd".into());
        m.services = states.iter().map(|(n, s)| service(n, *s)).collect();
        m
    }

    #[test]
    fn fires_on_stopped_and_missing() {
        let f = findings(
            &ServiceNotRunning,
            &m(&[
                ("hns", ServiceState::Stopped),
                ("vmcompute", ServiceState::Running),
                ("kubelet", ServiceState::Running),
                ("containerd", ServiceState::Running),
            ]),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].observed, "Service 'hns' is stopped.");
        assert_eq!(f[0].evidence.len(), 1, "the listed state is the evidence");
        let f = findings(
            &ServiceNotRunning,
            &m(&[
                ("hns", ServiceState::Running),
                ("kubelet", ServiceState::Running),
                ("containerd", ServiceState::Missing),
            ]),
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].observed, "Service 'containerd' is not installed.");
    }

    /// Absent is not stopped: the legacy CollectLogs `sc queryex` never asks about vmcompute,
    /// so a list without it says nothing about vmcompute (it used to be an error with no
    /// evidence).
    #[test]
    fn a_service_the_input_never_lists_is_not_judged() {
        let f = findings(
            &ServiceNotRunning,
            &m(&[
                ("hns", ServiceState::Running),
                ("kubelet", ServiceState::Running),
                ("containerd", ServiceState::Running),
            ]),
        );
        assert!(f.is_empty(), "vmcompute absent is not an error: {f:#?}");
        // a list with none of the services the rule knows: not evaluated, not passed
        let mut other = m(&[("tcpip", ServiceState::Running)]);
        other.k8s.runtime = None;
        assert_eq!(missing(&ServiceNotRunning, &other), vec![Fact::Services]);
    }

    #[test]
    fn quiet_when_running_and_kubeproxy_as_pod() {
        let f = findings(
            &ServiceNotRunning,
            &m(&[
                ("hns", ServiceState::Running),
                ("vmcompute", ServiceState::Running),
                ("kubelet", ServiceState::Running),
                ("containerd", ServiceState::Running),
            ]),
        );
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn not_evaluated_without_services() {
        assert_eq!(
            missing(&ServiceNotRunning, &model(&[])),
            vec![Fact::Services]
        );
    }
}
