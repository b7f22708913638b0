//! `service-not-running` — hns, vmcompute, kubelet, kube-proxy, containerd/docker stopped or missing.
//!
//! # What it finds
//! Services the node needs that are stopped, pending or not installed: `hns` and `vmcompute`
//! always; `kubelet` and `kubeproxy` on a Kubernetes node (Kubernetes context, kube logs or the
//! services themselves listed); `containerd` or `docker` when the node evidently uses that
//! runtime. A service absent from the list counts as missing only for `hns`, `vmcompute`,
//! `kubelet` and the evident runtime (kube-proxy may run as a HostProcess pod instead).
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
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let k8s = is_k8s_node(m);
        let rt = runtime(m).map(|(r, _)| r);
        // (name, absent counts as missing, why)
        let mut wanted: Vec<(&str, bool, &str)> = vec![
            (
                "hns",
                true,
                "the Host Network Service owns every container network and endpoint",
            ),
            (
                "vmcompute",
                true,
                "the Host Compute Service runs containers and hosts the HNS API",
            ),
        ];
        if k8s {
            wanted.push(("kubelet", true, "kubelet starts the pods of this node"));
            wanted.push((
                "kubeproxy",
                false,
                "kube-proxy programs the service load balancers",
            ));
        }
        for r in ["containerd", "docker"] {
            let listed = m.services.iter().any(|s| s.name.eq_ignore_ascii_case(r));
            if rt.as_deref().is_some_and(|x| x.contains(r)) || (listed && rt.is_none()) {
                wanted.push((
                    r,
                    rt.as_deref().is_some_and(|x| x.contains(r)),
                    "the container runtime runs the containers",
                ));
            }
        }
        for (name, absent_matters, role) in wanted {
            let svc = m
                .services
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(name));
            let (state, prov) = match svc {
                Some(s) => (s.state, Some(&s.prov)),
                None if absent_matters => (ServiceState::Missing, None),
                None => continue,
            };
            let word = match state {
                ServiceState::Running | ServiceState::Unknown => continue,
                ServiceState::Stopped => "stopped",
                ServiceState::Pending => "start/stop pending",
                ServiceState::Missing => {
                    if svc.is_some() {
                        "not installed"
                    } else {
                        "not in the service list"
                    }
                }
            };
            let mut d = ctx
                .finding(self, format!("Service '{name}' is {word}."))
                .why(format!("{role}; while it is not running that part of the node's networking does not work."))
                .confidence(if svc.is_some() { Confidence::High } else { Confidence::Medium });
            if let Some(p) = prov {
                d = d.evidence(p);
            }
            d.push(out);
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
        let f = findings(
            &ServiceNotRunning,
            &m(&[
                ("hns", ServiceState::Running),
                ("vmcompute", ServiceState::Running),
                ("kubelet", ServiceState::Running),
            ]),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .observed
            .contains("'containerd' is not in the service list"));
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
