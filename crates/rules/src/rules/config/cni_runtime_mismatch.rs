//! `cni-runtime-mismatch` — a CNI plugin that does not fit the container runtime.
//!
//! # What it finds
//! Under containerd: CNI configs using the Docker-era plugins `win-overlay` / `win-bridge`
//! (containerd wants `sdnoverlay` / `sdnbridge`). Under Docker: the containerd-era
//! `sdnoverlay` / `sdnbridge` plugins. The runtime comes from the Kubernetes context, else from
//! which of the containerd / docker services runs.
//!
//! Log signature, enough on its own (the CNI config need not be shown): the Docker-era
//! `win-overlay` / `win-bridge` plugin under containerd takes its `ProvisionEndpoint` path and
//! looks for an endpoint the runtime never created — "failed to find HNSEndpoint
//! <sandbox>_<network>" / "Endpoint <sandbox>_flannel.4096 not found".
//!
//! # Why it matters
//! The plugin mismatched to the runtime sets endpoints up in a way the runtime does not expect:
//! pods start without network or with a half-configured one.
//!
//! # Evidence used
//! `cni-config`, and the runtime from `kube-context` or `services` (not evaluated when neither
//! tells the runtime); or any kubelet / runtime / CNI / pasted log or events for the signature.
//!
//! # Fix
//! From the knowledge base entry `cni-runtime-mismatch`.
//!
//! # Applies to
//! Kubernetes nodes; the containerd migration (dockershim removal, K8s 1.24).
//!
//! # References
//! Domain facts §2.2, §4.8.

use crate::rules::prelude::*;

/// The rule.
pub struct CniRuntimeMismatch;

const NEEDS_ANY: &[Fact] = &[
    Fact::CniConfig,
    Fact::KubeletLog,
    Fact::RuntimeLog,
    Fact::CniLog,
    Fact::PastedLog,
    Fact::KubeEvents,
];

/// Whether a log line is the ProvisionEndpoint "endpoint not found" signature.
fn provision_signature(e: &LogEvent) -> bool {
    let m = e.message.to_ascii_lowercase();
    m.contains("failed to find hnsendpoint")
        || (m.contains("provisionendpoint") && m.contains("not found"))
        || (m.starts_with("endpoint ") || m.contains(": endpoint "))
            && m.contains("_flannel.")
            && m.contains("not found")
}

/// The container runtime the node evidently uses, with where that was read.
#[must_use]
pub fn runtime(m: &HostModel) -> Option<(String, Option<Prov>)> {
    if let Some(r) = m.k8s.runtime.as_deref() {
        let p = m
            .k8s
            .prov
            .iter()
            .find(|(k, _)| k == "runtime")
            .map(|(_, p)| p.clone());
        return Some((r.to_ascii_lowercase(), p));
    }
    let running = |n: &str| {
        m.services
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(n) && s.state == ServiceState::Running)
    };
    match (running("containerd"), running("docker")) {
        (Some(c), None) => Some(("containerd".into(), Some(c.prov.clone()))),
        (None, Some(d)) => Some(("docker".into(), Some(d.prov.clone()))),
        _ => None,
    }
}

impl Rule for CniRuntimeMismatch {
    fn id(&self) -> &'static str {
        "cni-runtime-mismatch"
    }
    fn title(&self) -> &'static str {
        "CNI plugin does not fit the container runtime"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        NEEDS_ANY
    }
    fn unmet(&self, ctx: &Ctx<'_>) -> Vec<Fact> {
        let m = ctx.model;
        if m.log_events.iter().any(provision_signature) {
            Vec::new()
        } else if !m.has(Fact::CniConfig) {
            vec![Fact::CniConfig]
        } else if runtime(m).is_some() {
            Vec::new()
        } else {
            vec![Fact::KubeContext, Fact::Services]
        }
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let sig: Vec<&LogEvent> = ctx
            .model
            .log_events
            .iter()
            .filter(|e| provision_signature(e))
            .collect();
        let rt_now = runtime(ctx.model);
        if let Some(first) = sig.first() {
            let docker = rt_now.as_ref().is_some_and(|(r, _)| r.contains("docker"));
            let shown_ok = ctx.model.cni.iter().all(|c| {
                c.plugin_types.iter().all(|t| {
                    !t.eq_ignore_ascii_case("win-overlay") && !t.eq_ignore_ascii_case("win-bridge")
                })
            }) && !ctx.model.cni.is_empty();
            if !docker && !shown_ok {
                let containerd = rt_now
                    .as_ref()
                    .is_some_and(|(r, _)| r.contains("containerd"))
                    || contains_ci(&first.message, "RunPodSandbox")
                    || first.component == Component::Containerd;
                ctx.finding(
                    self,
                    format!(
                        "{} show the CNI plugin looking for an endpoint the runtime never created (the Docker-era win-overlay/win-bridge ProvisionEndpoint path under containerd); first: {}.{}",
                        plural(sig.len(), "log line"),
                        quote(&first.message),
                        if ctx.model.cni.is_empty() { " The CNI config is not shown." } else { "" }
                    ),
                )
                .confidence(if containerd { Confidence::High } else { Confidence::Medium })
                .why("win-overlay/win-bridge expect Docker to create the endpoint; under containerd nobody does, so every pod sandbox fails to get a network.")
                .evidence_all(sig.iter().take(3).map(|e| &e.prov))
                .push(out);
            }
        }
        if !ctx.model.has(Fact::CniConfig) {
            return;
        }
        let Some((rt, rprov)) = rt_now else {
            return;
        };
        let (bad, want): (&[&str], &str) = if rt.contains("containerd") {
            (&["win-overlay", "win-bridge"], "sdnoverlay / sdnbridge")
        } else if rt.contains("docker") {
            (
                &["sdnoverlay", "sdnbridge"],
                "win-overlay / win-bridge (or move to containerd)",
            )
        } else {
            return;
        };
        for c in &ctx.model.cni {
            let hits: Vec<&String> = c
                .plugin_types
                .iter()
                .filter(|t| bad.iter().any(|b| t.eq_ignore_ascii_case(b)))
                .collect();
            if hits.is_empty() {
                continue;
            }
            let mut d = ctx
                .finding(
                    self,
                    format!(
                        "CNI config {} uses plugin {} while the runtime is {rt}; {rt} expects {want}.",
                        c.path,
                        list(&hits, 2)
                    ),
                )
                .why("The plugin was written for the other runtime's way of attaching endpoints; pods get no or a half-configured network.")
                .evidence(&c.prov);
            if let Some(p) = &rprov {
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

    fn m(plugin: &str, rt: Option<&str>) -> HostModel {
        let mut m = model(&[Fact::CniConfig, Fact::KubeContext]);
        m.k8s.runtime = rt.map(str::to_string);
        m.cni.push(CniConfig {
            path: "C:/etc/cni/net.d/10-flannel.conf".into(),
            plugin_types: vec![plugin.into()],
            prov: prov("cni/10-flannel.conf", 3, plugin),
            ..CniConfig::default()
        });
        m
    }

    #[test]
    fn fires_on_docker_plugin_under_containerd() {
        let f = findings(&CniRuntimeMismatch, &m("win-overlay", Some("containerd")));
        assert!(f[0].observed.contains("win-overlay") && f[0].observed.contains("sdnoverlay"));
    }

    #[test]
    fn quiet_when_matching() {
        assert!(findings(&CniRuntimeMismatch, &m("sdnoverlay", Some("containerd"))).is_empty());
        assert!(findings(&CniRuntimeMismatch, &m("win-bridge", Some("docker"))).is_empty());
    }

    const SIG: &str = "failed to setup network for sandbox \"5e0c\": error while ProvisionEndpoint(5e0c_flannel.4096,0A1B2C3D-0000-4000-8000-00000000AB12,5e0c): failed to find HNSEndpoint 5e0c_flannel.4096: Endpoint 5e0c_flannel.4096 not found";

    #[test]
    fn fires_on_provision_endpoint_signature_without_config() {
        let mut m = model(&[Fact::KubeEvents]);
        m.log_events.push(log(Component::KubeEvents, SIG, &[]));
        let f = findings(&CniRuntimeMismatch, &m);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed.contains("CNI config is not shown"),
            "{}",
            f[0].observed
        );
        assert_eq!(f[0].confidence, Confidence::Medium);
        let mut c = m.clone();
        c.log_events[0].component = Component::Containerd;
        assert_eq!(
            findings(&CniRuntimeMismatch, &c)[0].confidence,
            Confidence::High
        );
    }

    #[test]
    fn signature_quiet_under_docker_and_on_other_not_found() {
        let mut m = model(&[Fact::KubeEvents, Fact::KubeContext]);
        m.k8s.runtime = Some("docker".into());
        m.log_events.push(log(Component::KubeEvents, SIG, &[]));
        assert!(findings(&CniRuntimeMismatch, &m).is_empty());
        let mut o = model(&[Fact::PastedLog]);
        o.log_events
            .push(log(Component::Unknown, "network cbr0 not found", &[]));
        assert_eq!(missing(&CniRuntimeMismatch, &o), vec![Fact::CniConfig]);
    }

    #[test]
    fn not_evaluated_without_runtime() {
        let miss = missing(&CniRuntimeMismatch, &m("win-overlay", None));
        assert!(miss.contains(&Fact::Services));
    }
}
