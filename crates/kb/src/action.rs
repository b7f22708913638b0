//! Typed, executable actions of workaround steps: what `hnsdoctor fix` plans and applies.
//!
//! A workaround [`Step`](crate::Step) keeps its sentence and its PowerShell command for people;
//! a step that can be automated safely also lists `actions`, in the order they run. The fix
//! engine (`hnsdoctor-fix`) turns each action into host calls, backs up what it changes and
//! knows how to undo it. [`check_actions`] (run by [`Kb::validate`](crate::Kb::validate)) keeps
//! the actions and the printed command in agreement, so `kb show`, `analyze` and `fix` never
//! disagree about what a step does.

use serde::{Deserialize, Serialize};

/// A registry value an action sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "data")]
pub enum RegValue {
    /// `REG_DWORD`.
    Dword(u32),
    /// `REG_SZ`.
    String(String),
}

/// The kinds of HNS object an action can remove.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum HnsObjectKind {
    /// An HNS network (`HcnDeleteNetwork`).
    Network,
    /// An HNS endpoint (`HcnDeleteEndpoint`).
    Endpoint,
    /// An HCN (v2) load balancer (`HcnDeleteLoadBalancer`).
    LoadBalancer,
    /// An HNS v1 policy list (`HNSCall DELETE /policylists/<id>`).
    PolicyList,
}

impl HnsObjectKind {
    /// Human name, singular (`load balancer`).
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Endpoint => "endpoint",
            Self::LoadBalancer => "load balancer",
            Self::PolicyList => "policy list",
        }
    }
}

/// Which HNS objects of a kind an action removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Select {
    /// Exactly the objects the finding names (its fix step's `targets`), nothing else; with no
    /// targets the action does nothing.
    Finding,
    /// Every object of the kind.
    All,
    /// The objects with this name (a network's `Name`).
    Named(String),
}

/// TCP or UDP (dynamic port ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl Protocol {
    /// `tcp` / `udp` as netsh spells it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Udp => "udp",
        }
    }
}

/// One typed, executable operation of a workaround step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Set a registry value (`HKLM\…` key).
    SetRegistryValue {
        /// Key, `HKLM\SYSTEM\…`.
        key: String,
        /// Value name.
        name: String,
        /// New value.
        value: RegValue,
    },
    /// Delete a registry value.
    DeleteRegistryValue {
        /// Key, `HKLM\SYSTEM\…`.
        key: String,
        /// Value name.
        name: String,
    },
    /// Stop services, in the order given.
    StopServices {
        /// Service names.
        services: Vec<String>,
    },
    /// Start services, in the order given.
    StartServices {
        /// Service names.
        services: Vec<String>,
    },
    /// Restart services: stop them in reverse order (dependants, listed last, first), then
    /// start them in the order given.
    RestartServices {
        /// Service names.
        services: Vec<String>,
    },
    /// Set a service's start type to Disabled.
    DisableService {
        /// Service name.
        service: String,
    },
    /// Remove HNS objects.
    RemoveHnsObjects {
        /// Object kind.
        kind: HnsObjectKind,
        /// Which ones.
        select: Select,
    },
    /// Rename a file to `<name>.hnsdoctor-<time>` beside it (copied to the backup folder first).
    MoveFileAside {
        /// Full path.
        path: String,
    },
    /// Set the IPv4 dynamic port range of a protocol.
    SetDynamicPortRange {
        /// TCP or UDP.
        protocol: Protocol,
        /// First port.
        start: u16,
        /// Number of ports.
        count: u16,
    },
    /// Remove every WinNAT instance (`Remove-NetNat`).
    RemoveNatInstances {},
}

impl Action {
    /// The words of the action a step's `command` must mention (service names, value names,
    /// file names): the check that keeps `kb show` and `fix` in agreement.
    #[must_use]
    pub fn mentions(&self) -> Vec<String> {
        match self {
            Self::SetRegistryValue { name, .. } | Self::DeleteRegistryValue { name, .. } => {
                vec![name.clone()]
            }
            Self::StopServices { services }
            | Self::StartServices { services }
            | Self::RestartServices { services } => services.clone(),
            Self::DisableService { service } => vec![service.clone()],
            Self::RemoveHnsObjects { kind, select } => {
                let mut v = vec![match kind {
                    HnsObjectKind::Network => "HnsNetwork",
                    HnsObjectKind::Endpoint => "HnsEndpoint",
                    HnsObjectKind::LoadBalancer => "HnsPolicyList",
                    HnsObjectKind::PolicyList => "HnsPolicyList",
                }
                .to_string()];
                if let Select::Named(n) = select {
                    v.push(n.clone());
                }
                v
            }
            Self::MoveFileAside { path } => {
                vec![path.rsplit('\\').next().unwrap_or(path).to_string()]
            }
            Self::SetDynamicPortRange {
                protocol,
                start,
                count,
            } => vec![
                "dynamicportrange".into(),
                protocol.as_str().into(),
                format!("start={start}"),
                format!("num={count}"),
            ],
            Self::RemoveNatInstances {} => vec!["Remove-NetNat".into()],
        }
    }
}

/// Problems with the actions of one step of entry `id`: an action on a step that does not
/// change the host, a command that does not mention what the actions touch, a bad key, an
/// empty service list, a port range outside 1025–65535.
#[must_use]
pub fn check_actions(id: &str, step: &crate::Step) -> Vec<String> {
    let mut p = Vec::new();
    if step.actions.is_empty() {
        if step.in_container || step.reboot_needed || step.disruption.is_some() {
            p.push(format!(
                "{id}: step {:?} has in_container/reboot_needed/disruption but no actions",
                step.text
            ));
        }
        return p;
    }
    if !step.changes_host {
        p.push(format!(
            "{id}: step {:?} has actions but changes_host = false",
            step.text
        ));
    }
    if step
        .disruption
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        p.push(format!(
            "{id}: step {:?} has actions but no disruption text",
            step.text
        ));
    }
    let cmd = step.command.as_deref().unwrap_or("").to_ascii_lowercase();
    for a in &step.actions {
        for m in a.mentions() {
            if !cmd.contains(&m.to_ascii_lowercase()) {
                p.push(format!(
                    "{id}: step {:?}: the command does not mention {m:?}, which its action {a:?} touches",
                    step.text
                ));
            }
        }
        match a {
            Action::SetRegistryValue { key, name, .. }
            | Action::DeleteRegistryValue { key, name } => {
                if !key.starts_with("HKLM\\") || key.ends_with('\\') || name.is_empty() {
                    p.push(format!("{id}: registry action on {key:?} {name:?}: key must be HKLM\\… and name non-empty"));
                }
            }
            Action::StopServices { services }
            | Action::StartServices { services }
            | Action::RestartServices { services } => {
                if services.is_empty() || services.iter().any(|s| s.trim().is_empty()) {
                    p.push(format!(
                        "{id}: service action with no or empty service name"
                    ));
                }
            }
            Action::SetDynamicPortRange { start, count, .. } => {
                if *start < 1025
                    || u32::from(*start) + u32::from(*count) - 1 > 65535
                    || *count < 255
                {
                    p.push(format!("{id}: dynamic port range {start}+{count} is outside 1025-65535 or smaller than 255 ports"));
                }
            }
            Action::MoveFileAside { path } => {
                if !path.contains(":\\") {
                    p.push(format!(
                        "{id}: move-file-aside {path:?} is not an absolute path"
                    ));
                }
            }
            Action::DisableService { .. }
            | Action::RemoveHnsObjects { .. }
            | Action::RemoveNatInstances {} => {}
        }
    }
    p
}
