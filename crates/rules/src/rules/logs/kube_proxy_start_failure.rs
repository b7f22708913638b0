//! `kube-proxy-start-failure` — kube-proxy exits at start-up.
//!
//! # What it finds
//! kube-proxy lines (or lines of unknown origin naming kube-proxy, its flags or its feature
//! gates) that end the process before it runs: `unrecognized feature gate: …`, `cannot set feature
//! gate X to false, feature is locked to true` (a gate that graduated, e.g. `WinDSR`,
//! `WinOverlay`, `IPv6DualStack`), `unknown flag: --…`, `failed to create proxier` / `unable to
//! create proxier`, `"command failed" err=…`, `failed to load kube-proxy configuration`, and klog
//! fatal lines of kube-proxy at start. Lines written by kubelet are left out.
//!
//! # Why it matters
//! kube-proxy never reaches its sync loop: no Service load balancer is programmed on the node,
//! and the service manager keeps restarting it.
//!
//! # Evidence used
//! Any log (kube-proxy log or pasted lines).
//!
//! # Fix
//! From the knowledge base entry `kube-proxy-start-failure` (drop the locked or removed gate /
//! flag from the start script or DaemonSet).
//!
//! # Applies to
//! kube-proxy on Windows, above all after a Kubernetes upgrade that graduated a feature gate.
//!
//! # References
//! kubernetes-sigs/sig-windows-tools#207 (a graduated gate passed as false); kubernetes/kubernetes#132108 (WinDSR to GA).

use crate::rules::prelude::*;

/// The rule.
pub struct KubeProxyStartFailure;

const NEEDS_ANY: &[Fact] = &[Fact::KubeProxyLog, Fact::PastedLog, Fact::KubeEvents];

/// Phrases of a start-up failure (lower case).
const PHRASES: &[&str] = &[
    "unrecognized feature gate",
    "cannot set feature gate",
    "feature is locked to",
    "unknown flag: --",
    "failed to create proxier",
    "unable to create proxier",
    "\"command failed\"",
    "failed to load kube-proxy configuration",
    "failed to run kube-proxy",
    "failed to parse feature gates",
];

/// Whether a message is a start-up failure.
#[must_use]
pub fn is_start_failure(msg: &str) -> bool {
    let l = msg.to_ascii_lowercase();
    PHRASES.iter().any(|p| l.contains(p))
}

fn by_kube_proxy(e: &LogEvent) -> bool {
    match &e.component {
        Component::KubeProxy => true,
        Component::Unknown | Component::KubeEvents => {
            let l = e.message.to_ascii_lowercase();
            !l.contains("kubelet")
                && (l.contains("kube-proxy")
                    || l.contains("kubeproxy")
                    || l.contains("proxier")
                    || l.contains("windsr")
                    || l.contains("winoverlay")
                    || l.contains("ipv6dualstack")
                    || l.contains("--feature-gates"))
        }
        _ => false,
    }
}

impl Rule for KubeProxyStartFailure {
    fn id(&self) -> &'static str {
        "kube-proxy-start-failure"
    }
    fn title(&self) -> &'static str {
        "kube-proxy exits at start-up"
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
        let hits: Vec<&LogEvent> = ctx
            .model
            .log_events
            .iter()
            .filter(|e| by_kube_proxy(e) && is_start_failure(&e.message))
            .collect();
        let Some(first) = hits.first() else {
            return;
        };
        let locked = hits.iter().any(|e| contains_ci(&e.message, "locked to"));
        let cause = if locked {
            " A feature gate that has graduated (locked to its default) is still passed with the opposite value: remove it from --feature-gates."
        } else if hits
            .iter()
            .any(|e| contains_ci(&e.message, "unrecognized feature gate"))
        {
            " A feature gate this kube-proxy version no longer knows is passed: remove it from --feature-gates."
        } else {
            ""
        };
        ctx.finding(
            self,
            format!(
                "kube-proxy stops before it runs: {}; first: {}.{cause}",
                plural(hits.len(), "start-up failure line"),
                quote(&first.message)
            ),
        )
        .why("kube-proxy never reaches its sync loop, so no Service load balancer is programmed on this node while the service manager keeps restarting it.")
        .evidence_all(hits.iter().take(4).map(|e| &e.prov))
        .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_on_locked_gate_from_unknown_origin() {
        let mut m = model(&[Fact::PastedLog]);
        m.log_events.push(log(
            Component::Unknown,
            "run.go:74] \"command failed\" err=\"invalid argument \\\"WinDSR=false\\\" for \\\"--feature-gates\\\" flag: cannot set feature gate WinDSR to false, feature is locked to true\"",
            &[],
        ));
        let f = findings(&KubeProxyStartFailure, &m);
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("graduated"), "{}", f[0].observed);
    }

    #[test]
    fn quiet_on_kubelet_and_on_running_proxy() {
        let mut m = model(&[Fact::PastedLog, Fact::KubeProxyLog]);
        m.log_events.push(log(
            Component::Kubelet,
            "failed to run Kubelet: unrecognized feature gate: DevicePlugins",
            &[],
        ));
        m.log_events.push(log(
            Component::KubeProxy,
            "Syncing proxy rules took 2.1s",
            &[],
        ));
        assert!(findings(&KubeProxyStartFailure, &m).is_empty());
    }

    #[test]
    fn partial_single_flag_line_and_not_evaluated() {
        let mut m = model(&[Fact::KubeProxyLog]);
        m.log_events.push(log(
            Component::KubeProxy,
            "Error: unknown flag: --masquerade-all",
            &[],
        ));
        assert_eq!(findings(&KubeProxyStartFailure, &m).len(), 1);
        assert_eq!(
            missing(&KubeProxyStartFailure, &model(&[])).len(),
            NEEDS_ANY.len()
        );
    }
}
