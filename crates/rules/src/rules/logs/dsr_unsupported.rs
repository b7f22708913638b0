//! `dsr-unsupported` — DSR requested on a build / HNS version that lacks it.
//!
//! # What it finds
//! kube-proxy's "platform does not support feature Direct Server Return (DSR)" in logs; or
//! kube-proxy configured with `--enable-dsr=true` on a host whose HNS version lacks DSR (HNS
//! feature table of the knowledge base) or whose build/UBR the knowledge base lists as lacking
//! it (WS2019 before 17763.1432; older builds).
//!
//! # Why it matters
//! kube-proxy with DSR requested on a platform without it refuses to start (or falls back),
//! so no service is programmed as intended.
//!
//! # Evidence used
//! Any log or the Kubernetes context (`--enable-dsr`), with OS build / HNS version when read.
//!
//! # Fix
//! From the knowledge base entry `dsr-unsupported`.
//!
//! # Applies to
//! WS2019 below 17763.1432 (KB4571748) and older builds; HNS versions outside the DSR range.
//!
//! # References
//! Domain facts §2.2 L6; kubernetes/kubernetes#93304.

use crate::rules::prelude::*;

/// The rule.
pub struct DsrUnsupported;

impl Rule for DsrUnsupported {
    fn id(&self) -> &'static str {
        "dsr-unsupported"
    }
    fn title(&self) -> &'static str {
        "DSR requested but not supported here"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[
            Fact::KubeContext,
            Fact::KubeProxyLog,
            Fact::PastedLog,
            Fact::KubeletLog,
            Fact::RuntimeLog,
            Fact::CniLog,
        ]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let hits = log_matches(m, &["does not support feature Direct Server Return"], &[]);
        let mut reasons = Vec::new();
        let mut provs: Vec<Prov> = hits.iter().take(3).map(|h| h.prov.clone()).collect();
        if let Some(h) = hits.first() {
            reasons.push(format!(
                "kube-proxy logs \"{}\" ({})",
                h.message,
                plural(hits.len(), "line")
            ));
        }
        if m.k8s.enable_dsr == Some(true) {
            if let Some(v) = m.hns.version {
                if ctx.kb.kb().feature_available("dsr", v) == Ok(false) {
                    reasons.push(format!("--enable-dsr=true but HNS {v} has no DSR"));
                }
            }
            if let Some(os) = m.os.as_ref().filter(|o| o.build > 0) {
                let host = hnsdoctor_kb::HostVersion::new(os.build, os.ubr);
                let hit = ctx
                    .kb
                    .kb()
                    .issues_for(&host, &[])
                    .into_iter()
                    .find(|i| i.entry.id == "dsr-unsupported" && i.applies());
                if hit.is_some() {
                    reasons.push(format!(
                        "--enable-dsr=true but build {host} predates DSR support"
                    ));
                    provs.push(os.prov.clone());
                }
            }
            if let Some((_, p)) = m.k8s.prov.iter().find(|(k, _)| k == "enable_dsr") {
                provs.push(p.clone());
            }
        }
        if reasons.is_empty() {
            return;
        }
        ctx.finding(self, format!("{}.", reasons.join("; ")))
            .why("kube-proxy with --enable-dsr on a platform without DSR refuses to program services (or does not start), so no ClusterIP/NodePort works on this node.")
            .evidence_all(provs.iter())
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_on_log_and_on_old_build() {
        let mut m = model(&[Fact::KubeProxyLog]);
        m.log_events.push(log(Component::KubeProxy, "Failed to create proxier: platform does not support feature Direct Server Return (DSR)", &[]));
        let f = findings(&DsrUnsupported, &m);
        assert!(f[0].observed.contains("kube-proxy logs"));
        let mut b = model(&[Fact::KubeContext, Fact::OsBuild, Fact::OsUbr]);
        b.k8s.enable_dsr = Some(true);
        b.os = Some(OsInfo {
            build: 17763,
            ubr: Some(1000),
            ..OsInfo::default()
        });
        let f = findings(&DsrUnsupported, &b);
        assert!(
            f[0].observed.contains("17763.1000 predates DSR"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn quiet_on_supported_build_or_no_dsr() {
        let mut b = model(&[Fact::KubeContext, Fact::OsBuild, Fact::OsUbr]);
        b.k8s.enable_dsr = Some(true);
        b.os = Some(OsInfo {
            build: 17763,
            ubr: Some(5458),
            ..OsInfo::default()
        });
        assert!(findings(&DsrUnsupported, &b).is_empty());
        b.k8s.enable_dsr = Some(false);
        b.os = Some(OsInfo {
            build: 17763,
            ubr: Some(1000),
            ..OsInfo::default()
        });
        assert!(findings(&DsrUnsupported, &b).is_empty());
    }

    #[test]
    fn not_evaluated_without_context_or_logs() {
        assert_eq!(missing(&DsrUnsupported, &model(&[])).len(), 6);
    }
}
