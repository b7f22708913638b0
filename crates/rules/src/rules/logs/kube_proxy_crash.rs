//! `kube-proxy-crash` — kube-proxy panics or restarts in a loop.
//!
//! # What it finds
//! * a Go `panic:` (with or without its goroutine trace) written by kube-proxy — the trace names
//!   `pkg/proxy/winkernel`. A klog fatal line alone (`F0518 … unable to find HNS network`) is an
//!   exit, not a crash: the rule for its cause reports it;
//! * `kubectl get pods` rows of a kube-proxy pod in `CrashLoopBackOff` / `Error`, or restarted
//!   5 times or more;
//! * Service Control Manager records "The kube-proxy service terminated unexpectedly".
//!
//! # Why it matters
//! While kube-proxy is down nothing programs Service load balancers: new Services and endpoint
//! changes are not applied, and a crash in the middle of a sync can leave half-programmed state.
//!
//! # Evidence used
//! Any log (panic / fatal lines), `kube-pods`, `system-event-log`; one of them.
//!
//! # Fix
//! From the knowledge base entry `kube-proxy-crash`.
//!
//! # Applies to
//! Windows nodes running kube-proxy (winkernel), as a service or a HostProcess pod.
//!
//! # References
//! kubernetes/kubernetes#116389; kubernetes/kubernetes#100384.

use crate::rules::prelude::*;

/// The rule.
pub struct KubeProxyCrash;

const NEEDS_ANY: &[Fact] = &[
    Fact::KubeProxyLog,
    Fact::PastedLog,
    Fact::KubeletLog,
    Fact::KubePods,
    Fact::SystemEventLog,
];

/// Restarts from which a running pod counts as restarting in a loop.
const RESTART_LOOP: u32 = 5;

fn is_kube_proxy_name(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.contains("kube-proxy") || l.contains("kubeproxy")
}

fn is_panic(e: &LogEvent) -> bool {
    let by_proxy = e.component == Component::KubeProxy
        || (e.component == Component::Unknown
            && (is_kube_proxy_name(&e.message) || contains_ci(&e.message, "/proxy/")));
    let panic = e.message.starts_with("panic:") || e.message.starts_with("goroutine trace");
    by_proxy && panic
}

impl Rule for KubeProxyCrash {
    fn id(&self) -> &'static str {
        "kube-proxy-crash"
    }
    fn title(&self) -> &'static str {
        "kube-proxy crashes or restarts in a loop"
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
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let panics: Vec<&LogEvent> = m.log_events.iter().filter(|e| is_panic(e)).collect();
        let pods: Vec<&PodStatus> = m
            .pods
            .iter()
            .filter(|p| is_kube_proxy_name(&p.name))
            .filter(|p| {
                let s = p.status.to_ascii_lowercase();
                s.contains("crashloop")
                    || s == "error"
                    || p.restarts.is_some_and(|r| r >= RESTART_LOOP)
            })
            .collect();
        let scm: Vec<&EventRecord> = m
            .event_records
            .iter()
            .filter(|e| {
                is_kube_proxy_name(&e.message) && contains_ci(&e.message, "terminated unexpectedly")
            })
            .collect();
        let mut parts = Vec::new();
        if let Some(p) = panics.first() {
            parts.push(format!(
                "{}; first: {}",
                plural(panics.len(), "kube-proxy panic"),
                quote(&p.message)
            ));
        }
        if !pods.is_empty() {
            let desc: Vec<String> = pods
                .iter()
                .map(|p| {
                    format!(
                        "{} {}{}",
                        p.name,
                        p.status,
                        p.restarts
                            .map(|r| format!(" ({r} restarts)"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            parts.push(format!("pod {}", list(&desc, 3)));
        }
        if !scm.is_empty() {
            parts.push(format!(
                "{} \"terminated unexpectedly\"",
                plural(scm.len(), "service-control-manager record")
            ));
        }
        if parts.is_empty() {
            return;
        }
        ctx.finding(self, format!("kube-proxy is crashing: {}.", parts.join("; ")))
            .confidence(if panics.is_empty() { Confidence::Medium } else { Confidence::High })
            .why("While kube-proxy is down nothing programs Service load balancers, and a crash mid-sync can leave half-programmed HNS state.")
            .evidence_all(panics.iter().take(3).map(|e| &e.prov))
            .evidence_all(pods.iter().take(3).map(|p| &p.prov))
            .evidence_all(scm.iter().take(3).map(|e| &e.prov))
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn pod(name: &str, status: &str, restarts: u32) -> PodStatus {
        PodStatus {
            namespace: Some("kube-system".into()),
            name: name.into(),
            ready: Some("0/1".into()),
            status: status.into(),
            restarts: Some(restarts),
            prov: prov("paste#2", 4, name),
            ..PodStatus::default()
        }
    }

    #[test]
    fn fires_on_panic_and_on_crashloop_pod() {
        let mut m = model(&[Fact::KubeProxyLog]);
        let mut e = log(
            Component::KubeProxy,
            "panic: runtime error: invalid memory address or nil pointer dereference | k8s.io/kubernetes/pkg/proxy/winkernel.(*Proxier).syncProxyRules(0xc0004e2a80)",
            &[],
        );
        e.level = LogLevel::Fatal;
        m.log_events.push(e);
        let f = findings(&KubeProxyCrash, &m);
        assert_eq!(f[0].confidence, Confidence::High);
        assert!(
            f[0].observed.contains("1 kube-proxy panic"),
            "{}",
            f[0].observed
        );
        let mut p = model(&[Fact::KubePods]);
        p.pods = vec![
            pod("kube-proxy-windows-tq5vh", "CrashLoopBackOff", 57),
            pod("coredns-1", "CrashLoopBackOff", 9),
        ];
        let f = findings(&KubeProxyCrash, &p);
        assert!(
            f[0].observed
                .contains("kube-proxy-windows-tq5vh CrashLoopBackOff (57 restarts)"),
            "{}",
            f[0].observed
        );
        assert!(!f[0].observed.contains("coredns"));
    }

    #[test]
    fn quiet_on_healthy_pods_and_other_panics() {
        let mut m = model(&[Fact::KubePods, Fact::PastedLog]);
        m.pods = vec![pod("kube-proxy-windows-a", "Running", 1)];
        let mut e = log(
            Component::Kubelet,
            "panic: assignment to entry in nil map",
            &[],
        );
        e.level = LogLevel::Fatal;
        m.log_events.push(e);
        let mut exit = log(
            Component::KubeProxy,
            "server.go:495] unable to find HNS Network specified by cbr0",
            &[],
        );
        exit.level = LogLevel::Fatal;
        m.log_events.push(exit);
        assert!(
            findings(&KubeProxyCrash, &m).is_empty(),
            "a fatal exit is not a crash"
        );
    }

    #[test]
    fn partial_scm_record_only_and_not_evaluated() {
        let mut m = model(&[Fact::SystemEventLog]);
        m.event_records.push(EventRecord {
            channel: "System".into(),
            event_id: 7034,
            message: "The kube-proxy service terminated unexpectedly.  It has done this 4 time(s)."
                .into(),
            prov: prov("paste#1", 3, "7034"),
            ..EventRecord::default()
        });
        let f = findings(&KubeProxyCrash, &m);
        assert_eq!(f[0].confidence, Confidence::Medium);
        assert_eq!(missing(&KubeProxyCrash, &model(&[])).len(), NEEDS_ANY.len());
    }
}
