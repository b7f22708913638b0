//! Apply a plan through a [`HostChange`] and undo it from its journal.
//!
//! Order of an `--apply` run:
//! 1. refuse without admin rights; refuse in-container steps without `--container` (or
//!    without a container runtime on the host);
//! 2. ask the [`Verifier`] which findings are still present; a cleared finding gets no change;
//! 3. create the backup folder and write the journal, then every backup: registry values
//!    (`registry.json`), each HNS object to be removed (`hns/<kind>-<id>.json`), each file to
//!    be moved aside (`files/<name>`), the WinNAT instances (`nat.json`) — all before the
//!    first change;
//! 4. run the operations of the selected steps in order (last-resort steps only with
//!    `--last-resort`); an operation whose result is already in place is recorded as
//!    "no change"; the first failure stops the run and the journal says where;
//! 5. ask the [`Verifier`] again and record, per finding, whether it cleared.

use crate::journal::{
    Entry, FindingCheck, Journal, OpStatus, RunStatus, StoppedAt, UndoOp, JOURNAL_SCHEMA_VERSION,
};
use crate::plan::{Plan, PlannedStep, StepKind};
use crate::FixError;
use hnsdoctor_host::change::{
    HnsObject, HnsRecord, HostChange, NatInstance, PortProtocol, PortRange, RegData, Scope,
    StartType,
};
use hnsdoctor_host::HostError;
use hnsdoctor_kb::{Action, HnsObjectKind, Protocol, RegValue, Select};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Re-collects the sources a finding uses and re-runs its rules.
pub trait Verifier {
    /// Which of `ids` are present on the host now (an error: cannot tell).
    ///
    /// # Errors
    /// A message saying why the host could not be checked.
    fn present(&self, ids: &[String]) -> Result<BTreeSet<String>, String>;
}

/// Options of an `--apply` run.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Run last-resort steps too.
    pub last_resort: bool,
    /// The container for in-container steps.
    pub container: Option<String>,
    /// Folder under which the run's backup folder is created.
    pub backup_root: PathBuf,
    /// hnsdoctor version (recorded in the journal).
    pub tool_version: String,
}

fn kind_of(k: HnsObjectKind) -> HnsObject {
    match k {
        HnsObjectKind::Network => HnsObject::Network,
        HnsObjectKind::Endpoint => HnsObject::Endpoint,
        HnsObjectKind::LoadBalancer => HnsObject::LoadBalancer,
        HnsObjectKind::PolicyList => HnsObject::PolicyList,
    }
}

fn proto(p: Protocol) -> PortProtocol {
    match p {
        Protocol::Tcp => PortProtocol::Tcp,
        Protocol::Udp => PortProtocol::Udp,
    }
}

fn reg(v: &RegValue) -> RegData {
    match v {
        RegValue::Dword(d) => RegData::Dword(*d),
        RegValue::String(s) => RegData::Sz(s.clone()),
    }
}

/// A short label for an action (`stop-services kube-proxy, kubelet`).
fn label(a: &Action, targets: &[String]) -> String {
    match a {
        Action::SetRegistryValue { key, name, value } => {
            format!("set-registry-value {key}\\{name} = {}", reg(value))
        }
        Action::DeleteRegistryValue { key, name } => format!("delete-registry-value {key}\\{name}"),
        Action::StopServices { services } => format!("stop-services {}", services.join(", ")),
        Action::StartServices { services } => format!("start-services {}", services.join(", ")),
        Action::RestartServices { services } => {
            format!("restart-services {}", services.join(", "))
        }
        Action::DisableService { service } => format!("disable-service {service}"),
        Action::RemoveHnsObjects { kind, select } => match select {
            Select::All => format!("remove-hns-objects every {}", kind.noun()),
            Select::Named(n) => format!("remove-hns-objects {} named {n}", kind.noun()),
            Select::Finding => format!("remove-hns-objects {} {}", kind.noun(), targets.join(", ")),
        },
        Action::MoveFileAside { path } => format!("move-file-aside {path}"),
        Action::SetDynamicPortRange {
            protocol,
            start,
            count,
        } => format!(
            "set-dynamic-port-range {} start={start} num={count}",
            protocol.as_str()
        ),
        Action::RemoveNatInstances {} => "remove-nat-instances".to_string(),
    }
}

fn select_objects(all: Vec<HnsRecord>, select: &Select, targets: &[String]) -> Vec<HnsRecord> {
    match select {
        Select::All => all,
        Select::Named(n) => all
            .into_iter()
            .filter(|r| r.name.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(n)))
            .collect(),
        Select::Finding => {
            let want: BTreeSet<String> = targets.iter().map(|t| norm_id(t)).collect();
            all.into_iter()
                .filter(|r| want.contains(&norm_id(&r.id)))
                .collect()
        }
    }
}

/// Ids compared without braces and case.
fn norm_id(s: &str) -> String {
    s.trim()
        .trim_matches(|c| c == '{' || c == '}')
        .to_ascii_lowercase()
}

fn io(path: &Path, e: &std::io::Error) -> FixError {
    FixError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

fn write_json(path: &Path, v: &impl serde::Serialize) -> Result<(), FixError> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| io(p, &e))?;
    }
    let text = serde_json::to_string_pretty(v).map_err(|e| FixError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    std::fs::write(path, text + "\n").map_err(|e| io(path, &e))
}

/// A selected step and where it belongs.
struct Work<'p> {
    finding: &'p str,
    step: &'p PlannedStep,
}

/// Apply `plan`. Returns the journal (also written beside the backups); a run that stopped at
/// a failure returns `Ok` with [`RunStatus::Failed`] and `stopped_at` set.
///
/// # Errors
/// Refusals ([`FixError::NotAdmin`], [`FixError::NeedsContainer`], [`FixError::NoRuntime`])
/// before anything is written; [`FixError::Io`] when a backup or the journal cannot be written.
pub fn apply(
    plan: &Plan,
    host: &dyn HostChange,
    verifier: &dyn Verifier,
    opts: &ApplyOptions,
) -> Result<Journal, FixError> {
    if !host.is_admin() {
        return Err(FixError::NotAdmin);
    }
    // The steps that would run, and the scope of in-container ones.
    let mut scope_c = None;
    for f in &plan.findings {
        for s in &f.steps {
            if s.kind == StepKind::Automated
                && s.in_container
                && (!s.last_resort || opts.last_resort)
            {
                let Some(id) = &opts.container else {
                    return Err(FixError::NeedsContainer {
                        finding: f.id.clone(),
                        step: s.number,
                    });
                };
                let rt = host.container_runtime().ok_or(FixError::NoRuntime)?;
                scope_c = Some(Scope::Container {
                    runtime: rt,
                    id: id.clone(),
                });
            }
        }
    }
    // Which findings are still there.
    let mut ids: Vec<String> = plan.findings.iter().map(|f| f.id.clone()).collect();
    ids.dedup();
    let before: HashMap<String, String> = match verifier.present(&ids) {
        Ok(set) => ids
            .iter()
            .map(|i| {
                (
                    i.clone(),
                    if set.contains(i) {
                        "present"
                    } else {
                        "cleared"
                    }
                    .to_string(),
                )
            })
            .collect(),
        Err(e) => ids
            .iter()
            .map(|i| (i.clone(), format!("unknown: {e}")))
            .collect(),
    };

    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let dir = unique_dir(&opts.backup_root, &format!("hnsdoctor-fix-{stamp}"))?;
    let mut j = Journal {
        schema_version: JOURNAL_SCHEMA_VERSION,
        tool_version: opts.tool_version.clone(),
        started: chrono::Utc::now().to_rfc3339(),
        finished: None,
        backup_dir: dir.clone(),
        status: RunStatus::Running,
        last_resort: opts.last_resort,
        container: opts.container.clone(),
        findings: ids
            .iter()
            .map(|i| FindingCheck {
                id: i.clone(),
                before: before[i].clone(),
                after: None,
            })
            .collect(),
        entries: Vec::new(),
        stopped_at: None,
        undo_log: Vec::new(),
    };
    j.save()?;

    // Select the work: automated steps of findings not cleared; record what is left out.
    let mut work = Vec::new();
    for f in &plan.findings {
        if before[&f.id] == "cleared" {
            j.entries.push(Entry {
                finding: f.id.clone(),
                step: 0,
                op: "-".into(),
                status: OpStatus::Skipped,
                message: "the finding is not present on the host any more: nothing to do".into(),
                backups: Vec::new(),
                undo: Vec::new(),
                undone: false,
            });
            continue;
        }
        for s in &f.steps {
            let skip = match s.kind {
                StepKind::Check => continue,
                StepKind::Manual => {
                    Some("manual step: no safe automation, do it by hand if needed".to_string())
                }
                StepKind::Automated if s.last_resort && !opts.last_resort => {
                    Some("last-resort step: not run without --last-resort".to_string())
                }
                StepKind::Automated => None,
            };
            if let Some(m) = skip {
                j.entries.push(Entry {
                    finding: f.id.clone(),
                    step: s.number,
                    op: s.text.clone(),
                    status: OpStatus::Skipped,
                    message: m,
                    backups: Vec::new(),
                    undo: Vec::new(),
                    undone: false,
                });
            } else {
                work.push(Work {
                    finding: &f.id,
                    step: s,
                });
            }
        }
    }

    // Backups, all before the first change.
    let scope_for = |s: &PlannedStep| {
        if s.in_container {
            scope_c.clone().unwrap_or(Scope::Host)
        } else {
            Scope::Host
        }
    };
    let mut registry = Vec::new();
    let mut hns_backup: HashMap<(HnsObject, String), PathBuf> = HashMap::new();
    let mut file_backup: HashMap<String, PathBuf> = HashMap::new();
    for w in &work {
        let scope = scope_for(w.step);
        for op in &w.step.ops {
            match &op.action {
                Action::SetRegistryValue { key, name, .. }
                | Action::DeleteRegistryValue { key, name } => {
                    let v = host
                        .registry_value(&scope, key, name)
                        .map_err(|e| backup_err(&dir, key, &e))?;
                    registry.push(
                        serde_json::json!({"scope": scope, "key": key, "name": name, "value": v}),
                    );
                }
                Action::RemoveHnsObjects { kind, select } => {
                    let k = kind_of(*kind);
                    let all = host
                        .hns_objects(k)
                        .map_err(|e| backup_err(&dir, &k.to_string(), &e))?;
                    for r in select_objects(all, select, &op.targets) {
                        let p = dir.join("hns").join(format!("{k}-{}.json", norm_id(&r.id)));
                        write_json(&p, &r)?;
                        hns_backup.insert((k, norm_id(&r.id)), p);
                    }
                }
                Action::MoveFileAside { path } if host.file_exists(path).unwrap_or(false) => {
                    let name = path.rsplit(['\\', '/']).next().unwrap_or("file");
                    let files = dir.join("files");
                    std::fs::create_dir_all(&files).map_err(|e| io(&files, &e))?;
                    let to = files.join(name);
                    // A file held open now is copied again right before the move.
                    if host.copy_file(path, &to).is_ok() {
                        file_backup.insert(path.clone(), to);
                    }
                }
                Action::RemoveNatInstances {} => {
                    let nats = host
                        .nat_instances()
                        .map_err(|e| backup_err(&dir, "WinNAT", &e))?;
                    write_json(&dir.join("nat.json"), &nats)?;
                }
                _ => {}
            }
        }
    }
    if !registry.is_empty() {
        write_json(&dir.join("registry.json"), &registry)?;
    }
    j.save()?;

    // Changes.
    let ctx = Ctx {
        host,
        dir: &dir,
        stamp: &stamp,
        hns_backup: &hns_backup,
        file_backup: &file_backup,
    };
    // Idempotency of bracketed workarounds (stop services, change state, start them): when
    // none of a finding's state-changing operations has anything left to do, its service
    // operations are not run either.
    let mut settled: BTreeSet<&str> = BTreeSet::new();
    for f in &plan.findings {
        let mut state_ops = 0;
        let mut pending = 0;
        for w in work.iter().filter(|w| w.finding == f.id) {
            let scope = scope_for(w.step);
            for op in &w.step.ops {
                if let Some(n) = needs_change(host, &op.action, &op.targets, &scope) {
                    state_ops += 1;
                    // a host that cannot tell counts as pending
                    if n.unwrap_or(true) {
                        pending += 1;
                    }
                }
            }
        }
        if state_ops > 0 && pending == 0 {
            settled.insert(&f.id);
        }
    }
    'run: for w in &work {
        if settled.contains(w.finding) {
            for op in &w.step.ops {
                j.entries.push(Entry {
                    finding: w.finding.to_string(),
                    step: w.step.number,
                    op: label(&op.action, &op.targets),
                    status: OpStatus::NoChange,
                    message: "the workaround's changes are already in place: nothing to do".into(),
                    backups: Vec::new(),
                    undo: Vec::new(),
                    undone: false,
                });
            }
            j.save()?;
            continue;
        }
        let scope = scope_for(w.step);
        let mut changed = false;
        let only_restarts = w
            .step
            .ops
            .iter()
            .all(|o| matches!(o.action, Action::RestartServices { .. }));
        for op in &w.step.ops {
            let mut entry = Entry {
                finding: w.finding.to_string(),
                step: w.step.number,
                op: label(&op.action, &op.targets),
                status: OpStatus::Done,
                message: String::new(),
                backups: Vec::new(),
                undo: Vec::new(),
                undone: false,
            };
            let restart_needed = only_restarts || changed;
            match ctx.run(&op.action, &op.targets, &scope, restart_needed, &mut entry) {
                Ok(()) => {
                    changed |= entry.status == OpStatus::Done;
                    j.entries.push(entry);
                    j.save()?;
                }
                Err(e) => {
                    entry.status = OpStatus::Failed;
                    entry.message = e.to_string();
                    j.stopped_at = Some(StoppedAt {
                        finding: entry.finding.clone(),
                        step: entry.step,
                        op: entry.op.clone(),
                        error: e.to_string(),
                    });
                    j.entries.push(entry);
                    j.status = RunStatus::Failed;
                    break 'run;
                }
            }
        }
    }
    if j.status == RunStatus::Running {
        j.status = RunStatus::Completed;
    }
    // Did it clear?
    let after = verifier.present(&ids);
    for c in &mut j.findings {
        c.after = Some(match &after {
            Ok(set) if set.contains(&c.id) => "still present".to_string(),
            Ok(_) => "cleared".to_string(),
            Err(e) => format!("unknown: {e}"),
        });
    }
    j.finished = Some(chrono::Utc::now().to_rfc3339());
    j.save()?;
    Ok(j)
}

/// For a state-changing action (not a service one): whether it still has something to do.
/// `None` for service actions; `Some(Err)` when the host cannot tell.
fn needs_change(
    h: &dyn HostChange,
    a: &Action,
    targets: &[String],
    scope: &Scope,
) -> Option<Result<bool, HostError>> {
    Some(match a {
        Action::SetRegistryValue { key, name, value } => h
            .registry_value(scope, key, name)
            .map(|v| v.as_ref() != Some(&reg(value))),
        Action::DeleteRegistryValue { key, name } => {
            h.registry_value(scope, key, name).map(|v| v.is_some())
        }
        Action::RemoveHnsObjects { kind, select } => {
            if *select == Select::Finding && targets.is_empty() {
                // removes nothing: not a state this run can settle
                return None;
            } else {
                h.hns_objects(kind_of(*kind))
                    .map(|all| !select_objects(all, select, targets).is_empty())
            }
        }
        Action::MoveFileAside { path } => h.file_exists(path),
        Action::SetDynamicPortRange {
            protocol,
            start,
            count,
        } => h.dynamic_port_range(proto(*protocol)).map(|r| {
            r != PortRange {
                start: *start,
                count: *count,
            }
        }),
        Action::RemoveNatInstances {} => h.nat_instances().map(|n| !n.is_empty()),
        Action::DisableService { service } => h
            .service(scope, service)
            .map(|s| s.is_some_and(|s| s.start != StartType::Disabled)),
        Action::StopServices { .. }
        | Action::StartServices { .. }
        | Action::RestartServices { .. } => return None,
    })
}

fn backup_err(dir: &Path, what: &str, e: &HostError) -> FixError {
    FixError::Io {
        path: dir.display().to_string(),
        message: format!("backing up {what} failed, nothing was changed: {e}"),
    }
}

fn unique_dir(root: &Path, base: &str) -> Result<PathBuf, FixError> {
    std::fs::create_dir_all(root).map_err(|e| io(root, &e))?;
    for n in 0..1000 {
        let p = if n == 0 {
            root.join(base)
        } else {
            root.join(format!("{base}-{n}"))
        };
        match std::fs::create_dir(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(&p, &e)),
        }
    }
    Err(FixError::Io {
        path: root.display().to_string(),
        message: "no free backup folder name".into(),
    })
}

struct Ctx<'a> {
    host: &'a dyn HostChange,
    dir: &'a Path,
    stamp: &'a str,
    hns_backup: &'a HashMap<(HnsObject, String), PathBuf>,
    file_backup: &'a HashMap<String, PathBuf>,
}

impl Ctx<'_> {
    /// Run one action; fills the entry's status, message and undo. A failure part-way keeps
    /// the undo of what was already done in the entry.
    fn run(
        &self,
        a: &Action,
        targets: &[String],
        scope: &Scope,
        restart_needed: bool,
        e: &mut Entry,
    ) -> Result<(), HostError> {
        let h = self.host;
        let mut notes: Vec<String> = Vec::new();
        let mut did = false;
        let res = (|| -> Result<(), HostError> {
            match a {
                Action::SetRegistryValue { key, name, value } => {
                    let want = reg(value);
                    let now = h.registry_value(scope, key, name)?;
                    if now.as_ref() == Some(&want) {
                        notes.push(format!("{name} is already {want}"));
                        return Ok(());
                    }
                    h.set_registry_value(scope, key, name, &want)?;
                    did = true;
                    e.undo.push(match now {
                        Some(d) => UndoOp::SetRegistry {
                            scope: scope.clone(),
                            key: key.clone(),
                            name: name.clone(),
                            data: d,
                        },
                        None => UndoOp::DeleteRegistry {
                            scope: scope.clone(),
                            key: key.clone(),
                            name: name.clone(),
                        },
                    });
                    e.backups.push(self.dir.join("registry.json"));
                }
                Action::DeleteRegistryValue { key, name } => {
                    let Some(now) = h.registry_value(scope, key, name)? else {
                        notes.push(format!("{name} does not exist"));
                        return Ok(());
                    };
                    h.delete_registry_value(scope, key, name)?;
                    did = true;
                    e.undo.push(UndoOp::SetRegistry {
                        scope: scope.clone(),
                        key: key.clone(),
                        name: name.clone(),
                        data: now,
                    });
                    e.backups.push(self.dir.join("registry.json"));
                }
                Action::StopServices { services } => {
                    for s in services {
                        match h.service(scope, s)? {
                            None => notes.push(format!("{s} is not installed")),
                            Some(st) if !st.running => notes.push(format!("{s} already stopped")),
                            Some(_) => {
                                h.stop_service(scope, s)?;
                                did = true;
                                e.undo.push(UndoOp::StartService {
                                    scope: scope.clone(),
                                    name: s.clone(),
                                });
                            }
                        }
                    }
                }
                Action::StartServices { services } => {
                    for s in services {
                        match h.service(scope, s)? {
                            None => notes.push(format!("{s} is not installed")),
                            Some(st) if st.running => notes.push(format!("{s} already running")),
                            Some(_) => {
                                h.start_service(scope, s)?;
                                did = true;
                                e.undo.push(UndoOp::StopService {
                                    scope: scope.clone(),
                                    name: s.clone(),
                                });
                            }
                        }
                    }
                }
                Action::RestartServices { services } => {
                    if !restart_needed {
                        notes.push("nothing else in this step changed: no restart needed".into());
                        return Ok(());
                    }
                    let mut present = Vec::new();
                    for s in services {
                        match h.service(scope, s)? {
                            None => notes.push(format!("{s} is not installed")),
                            Some(st) => present.push((s, st.running)),
                        }
                    }
                    // dependants (listed last) stop first; start in the order given
                    for (s, _) in present.iter().rev() {
                        h.stop_service(scope, s)?;
                        did = true;
                    }
                    for (s, was_running) in &present {
                        h.start_service(scope, s)?;
                        if !was_running {
                            // a restart starts a stopped service: undo stops it again
                            e.undo.push(UndoOp::StopService {
                                scope: scope.clone(),
                                name: (*s).clone(),
                            });
                        }
                    }
                }
                Action::DisableService { service } => match h.service(scope, service)? {
                    None => notes.push(format!("{service} is not installed")),
                    Some(st) if st.start == StartType::Disabled => {
                        notes.push(format!("{service} is already disabled"));
                    }
                    Some(st) => {
                        h.set_service_start(scope, service, StartType::Disabled)?;
                        did = true;
                        e.undo.push(UndoOp::SetServiceStart {
                            scope: scope.clone(),
                            name: service.clone(),
                            start: st.start,
                        });
                    }
                },
                Action::RemoveHnsObjects { kind, select } => {
                    let k = kind_of(*kind);
                    if *select == Select::Finding && targets.is_empty() {
                        notes.push("the finding names no objects: nothing removed (plan from a report with --from)".into());
                        return Ok(());
                    }
                    let found = select_objects(h.hns_objects(k)?, select, targets);
                    if found.is_empty() {
                        notes.push(format!("no such {} any more", kind.noun()));
                        return Ok(());
                    }
                    for r in found {
                        let backup = self.hns_backup.get(&(k, norm_id(&r.id))).cloned();
                        let backup = match backup {
                            Some(b) => b,
                            // appeared after the backups were taken: back it up now
                            None => {
                                let p = self
                                    .dir
                                    .join("hns")
                                    .join(format!("{k}-{}.json", norm_id(&r.id)));
                                write_json(&p, &r).map_err(|x| HostError::Io(x.to_string()))?;
                                p
                            }
                        };
                        h.delete_hns_object(k, &r.id)?;
                        did = true;
                        e.backups.push(backup.clone());
                        e.undo.push(UndoOp::CreateHns {
                            kind: k,
                            id: r.id.clone(),
                            backup,
                        });
                    }
                }
                Action::MoveFileAside { path } => {
                    if !h.file_exists(path)? {
                        notes.push(format!("{path} does not exist (already moved aside?)"));
                        return Ok(());
                    }
                    let backup = match self.file_backup.get(path) {
                        Some(b) => b.clone(),
                        None => {
                            let name = path.rsplit(['\\', '/']).next().unwrap_or("file");
                            let files = self.dir.join("files");
                            std::fs::create_dir_all(&files)
                                .map_err(|x| HostError::Io(x.to_string()))?;
                            let to = files.join(name);
                            h.copy_file(path, &to)?;
                            to
                        }
                    };
                    let aside = format!("{path}.hnsdoctor-{}", self.stamp);
                    h.rename_file(path, &aside)?;
                    did = true;
                    e.backups.push(backup);
                    e.undo.push(UndoOp::RenameFile {
                        from: aside,
                        to: path.clone(),
                    });
                }
                Action::SetDynamicPortRange {
                    protocol,
                    start,
                    count,
                } => {
                    let p = proto(*protocol);
                    let want = PortRange {
                        start: *start,
                        count: *count,
                    };
                    let now = h.dynamic_port_range(p)?;
                    if now == want {
                        notes.push(format!(
                            "the {} range is already {start}+{count}",
                            protocol.as_str()
                        ));
                        return Ok(());
                    }
                    h.set_dynamic_port_range(p, want)?;
                    did = true;
                    e.undo.push(UndoOp::SetPortRange {
                        protocol: p,
                        range: now,
                    });
                }
                Action::RemoveNatInstances {} => {
                    let nats = h.nat_instances()?;
                    if nats.is_empty() {
                        notes.push("no WinNAT instance".into());
                        return Ok(());
                    }
                    for n in nats {
                        h.remove_nat_instance(&n.name)?;
                        did = true;
                        e.undo.push(UndoOp::AddNat { nat: n });
                    }
                    e.backups.push(self.dir.join("nat.json"));
                }
            }
            Ok(())
        })();
        e.status = if did {
            OpStatus::Done
        } else {
            OpStatus::NoChange
        };
        e.message = notes.join("; ");
        res
    }
}

/// Undo the run a journal describes: reverse its operations, last first. Returns the updated
/// journal (also saved); [`RunStatus::UndoFailed`] when a reversal failed (the journal says
/// which; what was reversed before stays reversed, and a second `--undo` continues).
///
/// # Errors
/// [`FixError::NotAdmin`]; [`FixError::Io`] / [`FixError::BadJournal`] for the journal.
pub fn undo(journal: &Path, host: &dyn HostChange) -> Result<Journal, FixError> {
    if !host.is_admin() {
        return Err(FixError::NotAdmin);
    }
    let mut j = Journal::load(journal)?;
    // The journal may have been moved with its folder: backups are found beside it.
    let dir = journal
        .parent()
        .map_or_else(|| j.backup_dir.clone(), Path::to_path_buf);
    j.backup_dir.clone_from(&dir);
    let mut failed = None;
    'outer: for i in (0..j.entries.len()).rev() {
        if j.entries[i].undone || j.entries[i].undo.is_empty() {
            continue;
        }
        let ops: Vec<UndoOp> = j.entries[i].undo.iter().rev().cloned().collect();
        for op in ops {
            match undo_one(host, &op, &dir) {
                Ok(msg) => j.undo_log.push(msg),
                Err(e) => {
                    let msg = format!("{}: {e}", j.entries[i].op);
                    j.undo_log.push(format!("FAILED {msg}"));
                    failed = Some(msg);
                    break 'outer;
                }
            }
        }
        j.entries[i].undone = true;
        j.save()?;
    }
    j.status = if failed.is_some() {
        RunStatus::UndoFailed
    } else {
        RunStatus::Undone
    };
    j.save()?;
    Ok(j)
}

fn undo_one(h: &dyn HostChange, op: &UndoOp, dir: &Path) -> Result<String, HostError> {
    Ok(match op {
        UndoOp::SetRegistry {
            scope,
            key,
            name,
            data,
        } => {
            if h.registry_value(scope, key, name)?.as_ref() == Some(data) {
                format!("{key}\\{name} is already {data} ({scope})")
            } else {
                h.set_registry_value(scope, key, name, data)?;
                format!("{key}\\{name} set back to {data} ({scope})")
            }
        }
        UndoOp::DeleteRegistry { scope, key, name } => {
            if h.registry_value(scope, key, name)?.is_none() {
                format!("{key}\\{name} already absent ({scope})")
            } else {
                h.delete_registry_value(scope, key, name)?;
                format!("{key}\\{name} deleted again ({scope})")
            }
        }
        UndoOp::StartService { scope, name } => match h.service(scope, name)? {
            Some(s) if !s.running => {
                h.start_service(scope, name)?;
                format!("{name} started ({scope})")
            }
            _ => format!("{name} already running ({scope})"),
        },
        UndoOp::StopService { scope, name } => match h.service(scope, name)? {
            Some(s) if s.running => {
                h.stop_service(scope, name)?;
                format!("{name} stopped ({scope})")
            }
            _ => format!("{name} already stopped ({scope})"),
        },
        UndoOp::SetServiceStart { scope, name, start } => match h.service(scope, name)? {
            Some(s) if s.start != *start => {
                h.set_service_start(scope, name, *start)?;
                format!("{name} start type set back to {}", start.sc_word())
            }
            _ => format!("{name} start type already {}", start.sc_word()),
        },
        UndoOp::CreateHns { kind, id, backup } => {
            if h.hns_objects(*kind)?
                .iter()
                .any(|r| norm_id(&r.id) == norm_id(id))
            {
                format!("{kind} {id} exists")
            } else {
                // the backup path as recorded, or the same file name in the journal's folder
                let p = if backup.is_file() {
                    backup.clone()
                } else {
                    dir.join("hns").join(backup.file_name().unwrap_or_default())
                };
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| HostError::from_io(&p.display().to_string(), &e))?;
                let rec: HnsRecord = serde_json::from_str(&text)
                    .map_err(|e| HostError::Io(format!("{}: {e}", p.display())))?;
                h.create_hns_object(*kind, &rec)?;
                format!("{kind} {id} re-created from {}", p.display())
            }
        }
        UndoOp::RenameFile { from, to } => {
            if !h.file_exists(from)? {
                format!("{from} is gone; {to} left as it is")
            } else {
                let mut msg = String::new();
                if h.file_exists(to)? {
                    let newer = format!(
                        "{to}.hnsdoctor-undo-{}",
                        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
                    );
                    h.rename_file(to, &newer)?;
                    msg = format!("the newer {to} kept as {newer}; ");
                }
                h.rename_file(from, to)?;
                format!("{msg}{from} renamed back to {to}")
            }
        }
        UndoOp::SetPortRange { protocol, range } => {
            if h.dynamic_port_range(*protocol)? == *range {
                format!(
                    "{} range already {}+{}",
                    protocol.as_str(),
                    range.start,
                    range.count
                )
            } else {
                h.set_dynamic_port_range(*protocol, *range)?;
                format!(
                    "{} range set back to {}+{}",
                    protocol.as_str(),
                    range.start,
                    range.count
                )
            }
        }
        UndoOp::AddNat { nat } => {
            if h.nat_instances()?
                .iter()
                .any(|n: &NatInstance| n.name == nat.name)
            {
                format!("WinNAT {} exists", nat.name)
            } else {
                h.add_nat_instance(nat)?;
                format!("WinNAT {} ({}) re-created", nat.name, nat.prefix)
            }
        }
    })
}
