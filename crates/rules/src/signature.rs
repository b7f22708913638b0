//! Error-signature rules: one generic [`Signature`] rule, parameterised by the error codes and
//! message fragments that identify a failure in logs and pasted errors. Each signature lives in
//! its own rule file (`rules/logs/<id>.rs`) with its documentation and tests, and is registered
//! under its own id.

use crate::engine::{Ctx, Rule};
use crate::finding::{Confidence, Finding, Severity};
use crate::util::{contains_ci, list, plural};
use hnsdoctor_model::{Component, Fact, LogEvent};

/// A failure recognised by an error code or a message fragment in log lines.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    /// Catalogue id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Severity.
    pub severity: Severity,
    /// HRESULT codes (normalised form, see `LogEvent::error_codes`); any one matches.
    pub codes: &'static [u32],
    /// Message fragments (case-insensitive); any one matches.
    pub needles: &'static [&'static str],
    /// If not empty, a matching line must also contain one of these (narrows generic codes such
    /// as 0x800700b7 to the load-balancer call).
    pub context: &'static [&'static str],
    /// Why it matters.
    pub why: &'static str,
}

impl Signature {
    /// Whether a log line carries this signature.
    #[must_use]
    pub fn matches(&self, e: &LogEvent) -> bool {
        let hit = e.error_codes.iter().any(|c| self.codes.contains(c))
            || self.needles.iter().any(|n| contains_ci(&e.message, n));
        hit && (self.context.is_empty() || self.context.iter().any(|c| contains_ci(&e.message, c)))
    }
}

/// Name of a log writer.
#[must_use]
pub fn component_name(c: &Component) -> String {
    match c {
        Component::KubeProxy => "kube-proxy".into(),
        Component::Kubelet => "kubelet".into(),
        Component::Containerd => "containerd".into(),
        Component::Docker => "docker".into(),
        Component::Cni(p) => format!("CNI {p}"),
        Component::Hns => "HNS".into(),
        Component::KubeEvents => "Kubernetes events".into(),
        Component::Unknown => "pasted text".into(),
    }
}

/// "3 log lines (kube-proxy, CNI flannel) …, first: "…"" — shared observation text.
#[must_use]
pub fn describe(hits: &[&LogEvent], what: &str) -> String {
    let mut comps: Vec<String> = hits.iter().map(|h| component_name(&h.component)).collect();
    comps.sort();
    comps.dedup();
    let mut codes: Vec<String> = hits
        .iter()
        .flat_map(|h| h.error_codes.iter())
        .map(|c| format!("0x{c:08x}"))
        .collect();
    codes.sort();
    codes.dedup();
    let first = hits.first().map(|h| h.message.as_str()).unwrap_or_default();
    let times: Vec<&str> = hits.iter().filter_map(|h| h.time.as_deref()).collect();
    let span = match (times.iter().min(), times.iter().max()) {
        (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
        (Some(a), _) => format!(", at {a}"),
        _ => String::new(),
    };
    format!(
        "{} from {}{}{span} {what}; first: {}.",
        plural(hits.len(), "log line"),
        list(&comps, 4),
        if codes.is_empty() {
            String::new()
        } else {
            format!(" (codes {})", list(&codes, 4))
        },
        crate::util::quote(first)
    )
}

impl Rule for Signature {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        Fact::LOGS
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let hits: Vec<&LogEvent> = ctx
            .model
            .log_events
            .iter()
            .filter(|e| self.matches(e))
            .collect();
        if hits.is_empty() {
            return;
        }
        ctx.finding(self, describe(&hits, &format!("show: {}", self.title)))
            .why(self.why)
            .confidence(Confidence::High)
            .evidence_all(hits.iter().take(5).map(|h| &h.prov))
            .push(out);
    }
}
