//! `cni-runtime-mismatch` — a CNI plugin that does not fit the container runtime.
//!
//! # What it finds
//! Under containerd: CNI configs using the Docker-era plugins `win-overlay` / `win-bridge`
//! (containerd wants `sdnoverlay` / `sdnbridge`). Under Docker: the containerd-era
//! `sdnoverlay` / `sdnbridge` plugins. The runtime comes from the Kubernetes context, else from
//! which of the containerd / docker services runs.
//!
//! # Why it matters
//! The plugin mismatched to the runtime sets endpoints up in a way the runtime does not expect:
//! pods start without network or with a half-configured one.
//!
//! # Evidence used
//! `cni-config`, and the runtime from `kube-context` or `services` (not evaluated when neither
//! tells the runtime).
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
        &[Fact::CniConfig]
    }
    fn unmet(&self, ctx: &Ctx<'_>) -> Vec<Fact> {
        if runtime(ctx.model).is_some() {
            Vec::new()
        } else {
            vec![Fact::KubeContext, Fact::Services]
        }
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let Some((rt, rprov)) = runtime(ctx.model) else {
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

    #[test]
    fn not_evaluated_without_runtime() {
        let miss = missing(&CniRuntimeMismatch, &m("win-overlay", None));
        assert!(miss.contains(&Fact::Services));
    }
}
