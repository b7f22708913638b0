//! The plan: what `fix` would do for each finding, step by step, before anything is done.
//!
//! A finding's steps are its fix steps (as the report carries them) matched by text to the
//! steps of its knowledge-base entry; the entry supplies the typed actions, the disruption
//! and the flags, the finding supplies the object ids (`targets`) and the evidence. So the
//! plan, `kb show` and `analyze` always show the same steps.

use crate::FixError;
use hnsdoctor_kb::{Action, Entry, Kb, RegValue, Select, Step};
use hnsdoctor_rules::{Finding, FixStep};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Version of the plan JSON shape.
pub const PLAN_SCHEMA_VERSION: u32 = 1;

/// What sort of step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// `fix --apply` runs it (its typed actions).
    Automated,
    /// Changes the host, but there is no safe automation: do it by hand.
    Manual,
    /// Only looks (no change).
    Check,
}

/// One operation of an automated step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedOp {
    /// The typed action from the knowledge base.
    pub action: Action,
    /// Object ids the finding names (for `remove-hns-objects` with `select = "finding"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// What changes.
    pub changes: String,
    /// The exact command or API call.
    pub call: String,
    /// What is backed up first.
    pub backup: String,
    /// How it is undone (`fix --undo`).
    pub undo: String,
}

/// One step of a finding's workaround.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStep {
    /// 1-based position in the workaround.
    pub number: usize,
    /// What to do, in a sentence (as `kb show` prints it).
    pub text: String,
    /// The PowerShell/cmd command for doing it by hand.
    pub command: Option<String>,
    /// Automated, manual or check.
    pub kind: StepKind,
    /// Only when nothing else helped (`--last-resort`).
    pub last_resort: bool,
    /// Runs inside a container (`--container <id>`).
    pub in_container: bool,
    /// Takes effect after a reboot (never done by `fix`).
    pub reboot_needed: bool,
    /// Expected disruption.
    pub disruption: Option<String>,
    /// The operations, in order (automated steps only).
    pub ops: Vec<PlannedOp>,
}

/// The plan for one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedFinding {
    /// Finding id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What the finding observed (absent when planned from an id alone).
    pub observed: Option<String>,
    /// The evidence that justifies the changes (`file:line: text`).
    pub evidence: Vec<String>,
    /// At least one step is automated.
    pub automated: bool,
    /// Said when nothing is automated (or when automation depends on missing data).
    pub note: Option<String>,
    /// The steps.
    pub steps: Vec<PlannedStep>,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// [`PLAN_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Container the in-container steps would run in (`--container`).
    pub container: Option<String>,
    /// One entry per finding.
    pub findings: Vec<PlannedFinding>,
}

/// Plan for findings of a report (`fix --from report.json`).
///
/// # Errors
/// [`FixError::UnknownId`] for a finding id the knowledge base lacks.
pub fn plan(findings: &[Finding], container: Option<&str>) -> Result<Plan, FixError> {
    let kb = Kb::get();
    let merged = merge_same_id(findings);
    let mut out = Vec::with_capacity(merged.len());
    for f in &merged {
        let entry = kb
            .entry(&f.id)
            .ok_or_else(|| FixError::UnknownId(f.id.clone()))?;
        let evidence = f
            .evidence
            .iter()
            .map(|p| match &p.text {
                Some(t) => format!("{}:{}: {t}", p.source, p.line),
                None => format!("{}:{}", p.source, p.line),
            })
            .collect();
        out.push(plan_finding(
            entry,
            &f.fix,
            Some(f.observed.clone()),
            evidence,
            container,
        ));
    }
    Ok(Plan {
        schema_version: PLAN_SCHEMA_VERSION,
        container: container.map(str::to_string),
        findings: out,
    })
}

/// One finding per id: a rule can report an id several times (two kinds of stale endpoint);
/// the workaround runs once, on the union of the objects they name, justified by all their
/// evidence.
fn merge_same_id(findings: &[Finding]) -> Vec<Finding> {
    let mut order: Vec<Finding> = Vec::new();
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for f in findings {
        match at.get(f.id.as_str()) {
            None => {
                at.insert(&f.id, order.len());
                order.push(f.clone());
            }
            Some(&i) => {
                let m = &mut order[i];
                m.observed = format!("{} {}", m.observed, f.observed);
                m.evidence.extend(f.evidence.iter().cloned());
                for s in &f.fix {
                    if let Some(t) = m.fix.iter_mut().find(|t| t.text == s.text) {
                        for id in &s.targets {
                            if !t.targets.contains(id) {
                                t.targets.push(id.clone());
                            }
                        }
                    } else {
                        m.fix.push(s.clone());
                    }
                }
            }
        }
    }
    order
}

/// Plan for finding ids alone (`fix <id>…`): the knowledge-base steps, no evidence, no
/// object ids (removals of "the objects the finding names" then need `--from`).
///
/// # Errors
/// [`FixError::UnknownId`] for an id the knowledge base lacks.
pub fn plan_ids(ids: &[String], container: Option<&str>) -> Result<Plan, FixError> {
    let kb = Kb::get();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let entry = kb
            .entry(id)
            .ok_or_else(|| FixError::UnknownId(id.clone()))?;
        out.push(plan_finding(entry, &[], None, Vec::new(), container));
    }
    Ok(Plan {
        schema_version: PLAN_SCHEMA_VERSION,
        container: container.map(str::to_string),
        findings: out,
    })
}

/// A step to plan: its KB step (if matched), text, command, last resort, changes host, targets.
type Row<'a> = (
    Option<&'a Step>,
    String,
    Option<String>,
    bool,
    bool,
    Vec<String>,
);

fn plan_finding(
    entry: &Entry,
    fix: &[FixStep],
    observed: Option<String>,
    evidence: Vec<String>,
    container: Option<&str>,
) -> PlannedFinding {
    // The report's steps, each matched to its KB step by text (index once); a report without
    // steps (or from an id alone) uses the KB's.
    let by_text: std::collections::HashMap<&str, &Step> = entry
        .workaround
        .iter()
        .map(|s| (s.text.as_str(), s))
        .collect();
    let rows: Vec<Row<'_>> = if fix.is_empty() {
        entry
            .workaround
            .iter()
            .map(|s| {
                (
                    Some(s),
                    s.text.clone(),
                    s.command.clone(),
                    s.last_resort,
                    s.changes_host,
                    Vec::new(),
                )
            })
            .collect()
    } else {
        fix.iter()
            .map(|s| {
                (
                    by_text.get(s.text.as_str()).copied(),
                    s.text.clone(),
                    s.command.clone(),
                    s.last_resort,
                    s.changes_host,
                    s.targets.clone(),
                )
            })
            .collect()
    };
    let mut steps = Vec::with_capacity(rows.len());
    let mut needs_targets = false;
    for (i, (kb_step, text, command, last_resort, changes_host, targets)) in
        rows.into_iter().enumerate()
    {
        let actions: &[Action] = kb_step.map_or(&[], |s| s.actions.as_slice());
        let in_container = kb_step.is_some_and(|s| s.in_container);
        let kind = if !actions.is_empty() {
            StepKind::Automated
        } else if changes_host {
            StepKind::Manual
        } else {
            StepKind::Check
        };
        let ops = actions
            .iter()
            .map(|a| {
                if matches!(
                    a,
                    Action::RemoveHnsObjects {
                        select: Select::Finding,
                        ..
                    }
                ) && targets.is_empty()
                {
                    needs_targets = true;
                }
                describe(
                    a,
                    &targets,
                    in_container.then_some(container.unwrap_or("<container>")),
                )
            })
            .collect();
        steps.push(PlannedStep {
            number: i + 1,
            text,
            command,
            kind,
            last_resort,
            in_container,
            reboot_needed: kb_step.is_some_and(|s| s.reboot_needed),
            disruption: kb_step.and_then(|s| s.disruption.clone()),
            ops,
        });
    }
    let automated = steps.iter().any(|s| s.kind == StepKind::Automated);
    let note = if !automated {
        Some("No safe automation for this finding: do the steps below by hand.".to_string())
    } else if needs_targets {
        Some("The removal step acts only on the objects a finding names; planned from the id alone it names none. Run `hnsdoctor analyze --format json` and then `hnsdoctor fix --from <report.json>` so the objects are known.".to_string())
    } else {
        None
    };
    PlannedFinding {
        id: entry.id.clone(),
        title: entry.title.clone(),
        observed,
        evidence,
        automated,
        note,
        steps,
    }
}

fn exec_prefix(container: Option<&str>) -> String {
    container.map_or_else(String::new, |c| {
        format!("docker exec {c} (or ctr task exec / crictl exec) ")
    })
}

fn ps(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// What an action changes, the call, the backup and the undo, in words.
fn describe(a: &Action, targets: &[String], container: Option<&str>) -> PlannedOp {
    let x = exec_prefix(container);
    let scope = container.map_or_else(
        || "on the host".to_string(),
        |c| format!("in container {c}"),
    );
    let (changes, call, backup, undo) = match a {
        Action::SetRegistryValue { key, name, value } => {
            let (t, d) = match value {
                RegValue::Dword(v) => ("REG_DWORD", v.to_string()),
                RegValue::String(s) => ("REG_SZ", s.clone()),
            };
            (
                format!("registry value {key}\\{name} set to {d} ({t}) {scope}"),
                format!("{x}reg.exe add \"{key}\" /v {name} /t {t} /d {d} /f"),
                "the current value (or that there is none) in the journal".to_string(),
                "the old value set back, or the value deleted if there was none".to_string(),
            )
        }
        Action::DeleteRegistryValue { key, name } => (
            format!("registry value {key}\\{name} deleted {scope}"),
            format!("{x}reg.exe delete \"{key}\" /v {name} /f"),
            "the current value in the journal".to_string(),
            "the value set back".to_string(),
        ),
        Action::StopServices { services } => (
            format!("services stopped {scope}, in this order: {}", services.join(", ")),
            services
                .iter()
                .map(|s| format!("{x}Stop-Service -Name {} -Force", ps(s)))
                .collect::<Vec<_>>()
                .join("; "),
            "whether each service was running (journal); services not installed are skipped"
                .to_string(),
            "the services that were running started again, in reverse order".to_string(),
        ),
        Action::StartServices { services } => (
            format!("services started {scope}, in this order: {}", services.join(", ")),
            services
                .iter()
                .map(|s| format!("{x}Start-Service -Name {}", ps(s)))
                .collect::<Vec<_>>()
                .join("; "),
            "whether each service was stopped (journal); services not installed are skipped"
                .to_string(),
            "the services that were stopped stopped again".to_string(),
        ),
        Action::RestartServices { services } => (
            format!("services restarted {scope}: {}", services.join(", ")),
            services
                .iter()
                .map(|s| format!("{x}Restart-Service -Name {} -Force", ps(s)))
                .collect::<Vec<_>>()
                .join("; "),
            "nothing (a restart leaves no state to restore); skipped when the other operations of the step changed nothing".to_string(),
            "nothing to undo".to_string(),
        ),
        Action::DisableService { service } => (
            format!("start type of service {service} set to Disabled {scope}"),
            format!("{x}sc.exe config {service} start= disabled"),
            "the current start type (journal)".to_string(),
            "the old start type set back (the service is not started)".to_string(),
        ),
        Action::RemoveHnsObjects { kind, select } => {
            let which = match select {
                Select::All => format!("every HNS {}", kind.noun()),
                Select::Named(n) => format!("the HNS {} named {n:?}", kind.noun()),
                Select::Finding if targets.is_empty() => format!(
                    "the HNS {}s the finding names (none named here), nothing else",
                    kind.noun()
                ),
                Select::Finding => format!(
                    "exactly these HNS {}s: {}",
                    kind.noun(),
                    targets.join(", ")
                ),
            };
            let api = match kind {
                hnsdoctor_kb::HnsObjectKind::Network => "HcnDeleteNetwork(<id>)",
                hnsdoctor_kb::HnsObjectKind::Endpoint => "HcnDeleteEndpoint(<id>)",
                hnsdoctor_kb::HnsObjectKind::LoadBalancer => {
                    "HcnDeleteLoadBalancer(<id>) (v1: HNSCall DELETE /policylists/<id>)"
                }
                hnsdoctor_kb::HnsObjectKind::PolicyList => "HNSCall DELETE /policylists/<id>",
            };
            (
                format!("{which} removed"),
                format!("{api}, per object"),
                "each object's JSON in hns/<kind>-<id>.json".to_string(),
                "each object re-created from its JSON (HcnCreate… / HNSCall POST)".to_string(),
            )
        }
        Action::MoveFileAside { path } => (
            format!("{path} renamed to {path}.hnsdoctor-<time> (HNS starts with empty state)"),
            format!("MoveFileExW {path} -> {path}.hnsdoctor-<time>"),
            "a copy of the file in the backup folder".to_string(),
            "the file renamed back (if no new file has been written in its place)".to_string(),
        ),
        Action::SetDynamicPortRange {
            protocol,
            start,
            count,
        } => (
            format!(
                "IPv4 {} dynamic port range set to {start}-{} ({count} ports)",
                protocol.as_str(),
                u32::from(*start) + u32::from(*count) - 1
            ),
            format!(
                "netsh int ipv4 set dynamicportrange {} start={start} num={count}",
                protocol.as_str()
            ),
            "the current range (journal)".to_string(),
            "the old range set back".to_string(),
        ),
        Action::RemoveNatInstances {} => (
            "every WinNAT instance removed".to_string(),
            "Remove-NetNat -Name <name> -Confirm:$false, per instance".to_string(),
            "each instance's name and prefix in nat.json".to_string(),
            "New-NetNat -Name <name> -InternalIPInterfaceAddressPrefix <prefix>, per instance"
                .to_string(),
        ),
    };
    PlannedOp {
        action: a.clone(),
        targets: targets.to_vec(),
        changes,
        call,
        backup,
        undo,
    }
}

/// The plan as text.
#[must_use]
pub fn render_text(plan: &Plan) -> String {
    let mut o = String::new();
    for (i, f) in plan.findings.iter().enumerate() {
        if i > 0 {
            o.push('\n');
        }
        let _ = writeln!(o, "{} — {}", f.id, f.title);
        if let Some(obs) = &f.observed {
            let _ = writeln!(o, "  observed: {obs}");
        }
        for e in f.evidence.iter().take(5) {
            let _ = writeln!(o, "  evidence: {e}");
        }
        if f.evidence.len() > 5 {
            let _ = writeln!(
                o,
                "  evidence: … {} more (JSON has all)",
                f.evidence.len() - 5
            );
        }
        if let Some(n) = &f.note {
            let _ = writeln!(o, "  note: {n}");
        }
        for s in &f.steps {
            let mut flags = vec![match s.kind {
                StepKind::Automated => "automated",
                StepKind::Manual => "manual",
                StepKind::Check => "check",
            }];
            if s.last_resort {
                flags.push("last resort: needs --last-resort");
            }
            if s.in_container {
                flags.push("in the container: needs --container <id>");
            }
            if s.reboot_needed {
                flags.push("needs a reboot, which fix does not do");
            }
            let _ = writeln!(o, "  {}. {} [{}]", s.number, s.text, flags.join("; "));
            if s.kind != StepKind::Automated {
                if let Some(c) = &s.command {
                    let _ = writeln!(o, "     by hand: {c}");
                }
                continue;
            }
            if let Some(d) = &s.disruption {
                let _ = writeln!(o, "     disruption: {d}");
            }
            for op in &s.ops {
                let _ = writeln!(o, "     - changes: {}", op.changes);
                let _ = writeln!(o, "       call:    {}", op.call);
                let _ = writeln!(o, "       backup:  {}", op.backup);
                let _ = writeln!(o, "       undo:    {}", op.undo);
            }
        }
    }
    if plan.findings.is_empty() {
        o.push_str("Nothing to fix: no findings.\n");
    } else {
        o.push_str("\nThis is a plan; nothing was changed. On the Windows node, as administrator: hnsdoctor fix … --apply\n");
    }
    o
}
