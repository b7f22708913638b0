//! The rule engine: the [`Rule`] trait, the context a rule reads ([`Ctx`]), the user's
//! [`Options`], the finding builder ([`Draft`]) and [`run`], which turns a [`HostModel`] into a
//! [`Report`].
//!
//! Contract of [`run`]: every rule in [`crate::registry::RULES`] (or the subset named by
//! [`Options::only`]) ends up in exactly one of three places of the report — `findings` (it fired),
//! `passed` (it ran and found nothing) or `not_evaluated` (a fact it needs was not read). A rule is
//! never silently skipped for lack of data. The only exception are rules that are switched off by
//! the options themselves ([`Rule::enabled`], e.g. `port-check` without `--port`).

use crate::finding::{Confidence, Finding, FixStep, NotEvaluated, Report, Severity};
use crate::index::ModelIndex;
use crate::knowledge::Knowledge;
use crate::registry::RULES;
use crate::REPORT_SCHEMA_VERSION;
use chrono::{DateTime, FixedOffset, Utc};
use hnsdoctor_model::{Fact, HostModel, Prov};
use std::cell::OnceCell;
use std::collections::HashSet;

/// One diagnosis rule. Implemented by a unit struct per rule file under `src/rules/`.
pub trait Rule: Sync {
    /// The exact catalogue id (`port-pool-exhaustion`).
    fn id(&self) -> &'static str;
    /// Short title, used for the finding and for "not evaluated" lines.
    fn title(&self) -> &'static str;
    /// Default severity of its findings (a finding may raise or lower it with evidence).
    fn severity(&self) -> Severity;
    /// Facts that must all have been read for the rule to run.
    fn needs(&self) -> &'static [Fact];
    /// Facts of which at least one must have been read (e.g. any log). Empty: no such condition.
    fn needs_any(&self) -> &'static [Fact] {
        &[]
    }
    /// Facts missing for reasons only the context knows (e.g. no cluster DNS IP from either the
    /// options or the model). Returned facts make the rule "not evaluated".
    fn unmet(&self, _ctx: &Ctx<'_>) -> Vec<Fact> {
        Vec::new()
    }
    /// Whether the options switch the rule on at all (default: always).
    fn enabled(&self, _opts: &Options) -> bool {
        true
    }
    /// Look at the model and push findings.
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>);
}

/// What the user asked for, plus overrides of what the model says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--port N`: check this port against exclusions, reservations, listeners, NodePorts, LBs.
    pub port: Option<u16>,
    /// `--service-cidr`: overrides `model.k8s.service_cidr`.
    pub service_cidr: Option<String>,
    /// `--dns-ip`: overrides `model.k8s.dns_ip`.
    pub dns_ip: Option<String>,
    /// `--network`: overrides `model.k8s.network_name`.
    pub network: Option<String>,
    /// Fixed clock (tests, replays); otherwise `collected_at`, the newest time in the data, or now.
    pub now: Option<DateTime<Utc>>,
    /// Time window in hours for "recent" events (HNS crashes). Default 24.
    pub window_hours: u32,
    /// Run only these rule ids (unknown ids are ignored; see [`crate::registry::rule`]).
    pub only: Option<Vec<String>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            port: None,
            service_cidr: None,
            dns_ip: None,
            network: None,
            now: None,
            window_hours: 24,
            only: None,
        }
    }
}

/// A value with where it came from: the options (no provenance) or the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where the model read it; `None` when given on the command line.
    pub prov: Option<Prov>,
}

/// What a rule sees: the model, the options and the knowledge base, plus the model's
/// [`ModelIndex`] (built on first use, once per run).
pub struct Ctx<'a> {
    /// The host model (the only input of rules).
    pub model: &'a HostModel,
    /// The options.
    pub opts: &'a Options,
    /// The knowledge base (fix steps, references, known issues by build).
    pub kb: &'a Knowledge,
    index: OnceCell<ModelIndex>,
}

impl<'a> Ctx<'a> {
    /// A context over a model with options.
    #[must_use]
    pub fn new(model: &'a HostModel, opts: &'a Options) -> Self {
        Self {
            model,
            opts,
            kb: Knowledge::get(),
            index: OnceCell::new(),
        }
    }

    /// The model's ids and addresses parsed once, with hash lookups between objects. Rules join
    /// objects through this, never by comparing id or address strings in nested loops.
    #[must_use]
    pub fn index(&self) -> &ModelIndex {
        self.index.get_or_init(|| ModelIndex::build(self.model))
    }

    fn k8s_value(
        &self,
        key: &str,
        opt: Option<&String>,
        model: Option<&String>,
    ) -> Option<Sourced<String>> {
        if let Some(v) = opt.filter(|v| !v.trim().is_empty()) {
            return Some(Sourced {
                value: v.trim().to_string(),
                prov: None,
            });
        }
        let v = model.filter(|v| !v.trim().is_empty())?;
        let prov = self
            .model
            .k8s
            .prov
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| p.clone());
        Some(Sourced {
            value: v.trim().to_string(),
            prov,
        })
    }

    /// Service CIDR: `--service-cidr`, else the model's Kubernetes context.
    #[must_use]
    pub fn service_cidr(&self) -> Option<Sourced<String>> {
        self.k8s_value(
            "service_cidr",
            self.opts.service_cidr.as_ref(),
            self.model.k8s.service_cidr.as_ref(),
        )
    }

    /// Cluster DNS IP: `--dns-ip`, else the model's Kubernetes context.
    #[must_use]
    pub fn dns_ip(&self) -> Option<Sourced<String>> {
        self.k8s_value(
            "dns_ip",
            self.opts.dns_ip.as_ref(),
            self.model.k8s.dns_ip.as_ref(),
        )
    }

    /// The cluster's HNS network name: `--network`, else the model's Kubernetes context.
    #[must_use]
    pub fn network_name(&self) -> Option<Sourced<String>> {
        self.k8s_value(
            "network_name",
            self.opts.network.as_ref(),
            self.model.k8s.network_name.as_ref(),
        )
    }

    /// The reference time for time windows: `--now`/[`Options::now`], else `collected_at`, else
    /// the newest timestamp among event records and log lines, else `None`.
    #[must_use]
    pub fn now(&self) -> Option<DateTime<Utc>> {
        if let Some(n) = self.opts.now {
            return Some(n);
        }
        if let Some(t) = self.model.collected_at.as_deref().and_then(parse_time) {
            return Some(t);
        }
        self.model
            .event_records
            .iter()
            .filter_map(|e| e.time.as_deref())
            .chain(
                self.model
                    .log_events
                    .iter()
                    .filter_map(|e| e.time.as_deref()),
            )
            .filter_map(parse_time)
            .max()
    }

    /// Start a finding of `rule` with the observation; fix steps and references come from the
    /// knowledge-base entry of the rule's id.
    #[must_use]
    pub fn finding(&self, rule: &dyn Rule, observed: impl Into<String>) -> Draft {
        self.finding_as(rule.id(), rule.title(), rule.severity(), observed)
    }

    /// Start a finding under an explicit id (generic rules registered under several ids).
    #[must_use]
    pub fn finding_as(
        &self,
        id: &str,
        title: &str,
        severity: Severity,
        observed: impl Into<String>,
    ) -> Draft {
        Draft {
            seen: HashSet::new(),
            f: Finding {
                id: id.to_string(),
                severity,
                title: title.to_string(),
                observed: observed.into(),
                why: String::new(),
                evidence: Vec::new(),
                fix: self.kb.fix_steps(id),
                references: self.kb.references(id),
                confidence: Confidence::High,
            },
        }
    }
}

/// Parse an RFC 3339 time (also `YYYY-MM-DD HH:MM:SS` and a trailing `Z`-less form as UTC).
#[must_use]
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::<FixedOffset>::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    None
}

/// A finding under construction.
#[derive(Debug, Clone)]
pub struct Draft {
    f: Finding,
    /// Evidence already added (de-duplication by hash, not by scanning the list).
    seen: HashSet<Prov>,
}

impl Draft {
    /// Why it matters.
    #[must_use]
    pub fn why(mut self, why: impl Into<String>) -> Self {
        self.f.why = why.into();
        self
    }

    /// Add one piece of evidence (empty provenances and repeats are dropped). A finding keeps
    /// all its evidence (JSON shows it all); the text renderers quote the first few.
    #[must_use]
    pub fn evidence(mut self, prov: &Prov) -> Self {
        self.add_evidence(prov);
        self
    }

    fn add_evidence(&mut self, prov: &Prov) {
        if !prov.source.is_empty() && !self.seen.contains(prov) {
            self.seen.insert(prov.clone());
            self.f.evidence.push(prov.clone());
        }
    }

    /// Add several pieces of evidence.
    #[must_use]
    pub fn evidence_all<'p>(mut self, provs: impl IntoIterator<Item = &'p Prov>) -> Self {
        for p in provs {
            self.add_evidence(p);
        }
        self
    }

    /// Set the severity (when the evidence makes it worse or milder than the default).
    #[must_use]
    pub fn severity(mut self, s: Severity) -> Self {
        self.f.severity = s;
        self
    }

    /// Set the confidence (default high).
    #[must_use]
    pub fn confidence(mut self, c: Confidence) -> Self {
        self.f.confidence = c;
        self
    }

    /// Declare that this finding reasons from *absence* in `facts` ("no endpoint with this ID").
    /// When one of them was read only in part (a cut-off file, see
    /// [`HostModel::is_partial`]), confidence drops to low and the observation says why.
    #[must_use]
    pub fn assumes_complete(mut self, model: &HostModel, facts: &[Fact]) -> Self {
        let partial: Vec<String> = facts
            .iter()
            .filter(|f| model.is_partial(**f))
            .map(|f| f.name())
            .collect();
        if !partial.is_empty() {
            self.f.confidence = Confidence::Low;
            self.f.observed.push_str(&format!(
                " Note: the {} input was cut off, so objects after the cut are unknown; this may be a false alarm.",
                partial.join(", ")
            ));
        }
        self
    }

    /// Put extra fix steps before the knowledge-base ones (e.g. "this port is held by PID 4").
    /// Use only for facts about this host, never for generic remedies (those belong in the KB).
    #[must_use]
    pub fn fix_first(mut self, step: FixStep) -> Self {
        self.f.fix.insert(0, step);
        self
    }

    /// Name the objects the finding is about (HNS ids): the fix steps that remove "the objects
    /// the finding names" get them as `targets`, so `hnsdoctor fix` removes exactly these.
    #[must_use]
    pub fn targets<S: AsRef<str>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        let ids: Vec<String> = ids.into_iter().map(|s| s.as_ref().to_string()).collect();
        let kb = crate::knowledge::Knowledge::get();
        for s in &mut self.f.fix {
            if kb.step_takes_targets(&self.f.id, &s.text) {
                s.targets.clone_from(&ids);
            }
        }
        self
    }

    /// Add a reference.
    #[must_use]
    pub fn reference(mut self, r: impl Into<String>) -> Self {
        let r = r.into();
        if !self.f.references.contains(&r) {
            self.f.references.push(r);
        }
        self
    }

    /// The finding.
    #[must_use]
    pub fn build(self) -> Finding {
        self.f
    }

    /// Push the finding to the sink.
    pub fn push(self, out: &mut Vec<Finding>) {
        out.push(self.f);
    }
}

/// Which facts a rule is missing in this context (empty: it can run).
#[must_use]
pub fn missing_for(rule: &dyn Rule, ctx: &Ctx<'_>) -> Vec<Fact> {
    let mut missing = ctx.model.missing(rule.needs());
    let any = rule.needs_any();
    if !any.is_empty() && !any.iter().any(|f| ctx.model.has(*f)) {
        missing.extend(any.iter().copied());
    }
    for f in rule.unmet(ctx) {
        if !missing.contains(&f) {
            missing.push(f);
        }
    }
    missing
}

/// Run every registered rule (or those in [`Options::only`]) over the model.
#[must_use]
pub fn run(model: &HostModel, opts: &Options) -> Report {
    run_rules(RULES, model, opts)
}

/// Run the given rules over the model (the engine behind [`run`]; tests pass single rules).
#[must_use]
pub fn run_rules(rules: &[&dyn Rule], model: &HostModel, opts: &Options) -> Report {
    let ctx = Ctx::new(model, opts);
    let mut report = Report {
        schema_version: REPORT_SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        kb_reviewed: hnsdoctor_kb::data_reviewed().to_string(),
        host: model.host_name.clone(),
        os_build: model
            .os
            .as_ref()
            .filter(|o| o.build > 0)
            .map(|o| match o.ubr {
                Some(u) => format!("{}.{}", o.build, u),
                None => o.build.to_string(),
            }),
        findings: Vec::new(),
        passed: Vec::new(),
        not_evaluated: Vec::new(),
        inputs: model.inputs.clone(),
        model: model.clone(),
    };
    for rule in rules {
        if let Some(only) = &opts.only {
            if !only
                .iter()
                .any(|o| crate::redirects::resolve(o) == rule.id())
            {
                continue;
            }
        }
        if !rule.enabled(opts) {
            continue;
        }
        let missing = missing_for(*rule, &ctx);
        if !missing.is_empty() {
            let any = rule.needs_any();
            // The any-of facts are all in `missing` only when none of them was read.
            let any_of = if any.len() > 1 && any.iter().all(|f| missing.contains(f)) {
                any.to_vec()
            } else {
                Vec::new()
            };
            report.not_evaluated.push(NotEvaluated {
                id: rule.id().to_string(),
                title: rule.title().to_string(),
                missing,
                any_of,
            });
            continue;
        }
        let mut out = Vec::new();
        rule.check(&ctx, &mut out);
        if out.is_empty() {
            report.passed.push(rule.id().to_string());
        } else {
            report.findings.extend(out);
        }
    }
    report.sort();
    report
}
