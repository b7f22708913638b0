//! `watch --k8s-events`: error findings as Kubernetes Events on the Node object, from the
//! DaemonSet pod, through the in-cluster API over HTTPS (`ureq` + rustls; no `kubectl` in the
//! pod). `kubectl describe node <node>` and `kubectl get events` then show them.
//!
//! * Where: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the ServiceAccount's
//!   `token` (read again for every post: it rotates) and `ca.crt` (the only root trusted) from
//!   `/var/run/secrets/kubernetes.io/serviceaccount` — under `$CONTAINER_SANDBOX_MOUNT_POINT`
//!   in a HostProcess pod. The node is `$NODE_NAME` (downward API, `spec.nodeName`).
//!   `HNSDOCTOR_KUBE_API` and `HNSDOCTOR_SA_DIR` override the address and the folder (tests, or
//!   running outside a pod with a token).
//! * What: a core/v1 Event in namespace `default` (where events of cluster-scoped objects go),
//!   `involvedObject` the Node (uid = node name, as the kubelet does), type `Warning`, reason
//!   the finding id in CamelCase, the message of [`crate::cmd::eventlog::message`] on one line,
//!   at most 1024 characters. RBAC: `deploy/rbac.yaml` (create events).
//! * When: as for the Event Log, an error finding is posted when it appears (not again while it
//!   lasts). A failed post is reported on stderr and retried on the next run.

use hnsdoctor_rules::{Finding, Report};
use std::path::PathBuf;

/// Longest event message sent (the API server truncates at 1 kB anyway).
pub const MAX_MESSAGE: usize = 1024;

/// Where and as whom to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InCluster {
    /// API server base URL, no trailing slash.
    pub base: String,
    /// ServiceAccount folder (`token`, `ca.crt`).
    pub sa_dir: PathBuf,
    /// This node's name.
    pub node: String,
}

fn default_sa_dir() -> PathBuf {
    let rel = "var/run/secrets/kubernetes.io/serviceaccount";
    match std::env::var_os("CONTAINER_SANDBOX_MOUNT_POINT") {
        Some(root) => PathBuf::from(root).join(rel),
        None => PathBuf::from("/").join(rel),
    }
}

impl InCluster {
    /// The in-cluster configuration from the environment.
    ///
    /// # Errors
    /// A sentence naming what is missing (not in a pod, no `NODE_NAME`, no token).
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let base = match var("HNSDOCTOR_KUBE_API") {
            Some(b) => b.trim_end_matches('/').to_string(),
            None => {
                let host = var("KUBERNETES_SERVICE_HOST").ok_or_else(|| {
                    anyhow::anyhow!(
                        "--k8s-events posts to the in-cluster API and KUBERNETES_SERVICE_HOST is \
                         not set: run it in the hnsdoctor DaemonSet (deploy/daemonset.yaml)"
                    )
                })?;
                let port = var("KUBERNETES_SERVICE_PORT").unwrap_or_else(|| "443".into());
                if host.contains(':') {
                    format!("https://[{host}]:{port}")
                } else {
                    format!("https://{host}:{port}")
                }
            }
        };
        let node = var("NODE_NAME").ok_or_else(|| {
            anyhow::anyhow!(
                "--k8s-events needs the node's name in NODE_NAME (downward API: fieldRef \
                 spec.nodeName, as in deploy/daemonset.yaml)"
            )
        })?;
        let sa_dir = var("HNSDOCTOR_SA_DIR").map_or_else(default_sa_dir, PathBuf::from);
        let token = sa_dir.join("token");
        if !token.is_file() {
            anyhow::bail!(
                "--k8s-events: no ServiceAccount token at {}",
                token.display()
            );
        }
        Ok(Self { base, sa_dir, node })
    }
}

/// `port-pool-exhaustion` → `PortPoolExhaustion`.
#[must_use]
pub fn reason(id: &str) -> String {
    id.split(['-', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The Event object for one finding on `node` at `now` (RFC 3339).
#[must_use]
pub fn event(f: &Finding, host: Option<&str>, node: &str, now: &str) -> serde_json::Value {
    let text = crate::cmd::eventlog::message(f, host).replace("\r\n", " | ");
    let message: String = if text.chars().count() > MAX_MESSAGE {
        text.chars().take(MAX_MESSAGE - 1).chain(['…']).collect()
    } else {
        text
    };
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": { "generateName": format!("{node}.hnsdoctor-"), "namespace": "default" },
        "involvedObject": { "apiVersion": "v1", "kind": "Node", "name": node, "uid": node },
        "type": "Warning",
        "reason": reason(&f.id),
        "message": message,
        "source": { "component": "hnsdoctor", "host": node },
        "reportingComponent": "hnsdoctor",
        "reportingInstance": node,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
    })
}

fn agent(cfg: &InCluster) -> anyhow::Result<ureq::Agent> {
    use ureq::tls::{parse_pem, PemItem, RootCerts, TlsConfig};
    let mut tls = TlsConfig::builder();
    if cfg.base.starts_with("https://") {
        let ca_path = cfg.sa_dir.join("ca.crt");
        let pem = std::fs::read(&ca_path)
            .map_err(|e| anyhow::anyhow!("reading the cluster CA {}: {e}", ca_path.display()))?;
        let certs: Vec<_> = parse_pem(&pem)
            .filter_map(|i| match i {
                Ok(PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            anyhow::bail!("no certificate in the cluster CA {}", ca_path.display());
        }
        tls = tls.root_certs(RootCerts::new_with_certs(&certs));
    }
    Ok(ureq::Agent::config_builder()
        .tls_config(tls.build())
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .new_agent())
}

/// Post the events of the error findings of `report` not in `already`; returns the ids posted.
///
/// # Errors
/// The first failure (CA or token unreadable, connection, a status other than 2xx), naming the
/// finding and the answer.
pub fn publish(
    cfg: &InCluster,
    report: &Report,
    already: &std::collections::BTreeSet<String>,
) -> anyhow::Result<Vec<String>> {
    let selected = crate::cmd::eventlog::select(report, already);
    if selected.is_empty() {
        return Ok(Vec::new());
    }
    let agent = agent(cfg)?;
    let token_path = cfg.sa_dir.join("token");
    let token = std::fs::read_to_string(&token_path)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", token_path.display()))?;
    let url = format!("{}/api/v1/namespaces/default/events", cfg.base);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let by_id: std::collections::HashMap<&str, &Finding> =
        report.findings.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut posted = Vec::new();
    for e in selected {
        let Some(f) = by_id.get(e.id.as_str()) else {
            continue;
        };
        let body = event(f, report.host.as_deref(), &cfg.node, &now).to_string();
        let resp = agent
            .post(&url)
            .header("Authorization", &format!("Bearer {}", token.trim()))
            .header("Content-Type", "application/json")
            .send(body.as_str())
            .map_err(|err| anyhow::anyhow!("posting the event for {} to {url}: {err}", e.id))?;
        let status = resp.status();
        if !status.is_success() {
            let text = resp.into_body().read_to_string().unwrap_or_default();
            anyhow::bail!(
                "posting the event for {} to {url}: HTTP {status}: {}",
                e.id,
                text.chars().take(300).collect::<String>()
            );
        }
        posted.push(e.id);
    }
    Ok(posted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_camel_case() {
        assert_eq!(reason("port-pool-exhaustion"), "PortPoolExhaustion");
        assert_eq!(reason("dns-lb-missing"), "DnsLbMissing");
    }
}
