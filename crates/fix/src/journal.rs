//! The journal of an `--apply` run (`journal.json` in the backup folder): what was done, in
//! order, with the state before each change and the backups' paths, and — when the run
//! stopped — where. `fix --undo <journal>` reads it back.

use hnsdoctor_host::change::{
    HnsObject, NatInstance, PortProtocol, PortRange, RegData, Scope, StartType,
};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version of the journal shape.
pub const JOURNAL_SCHEMA_VERSION: u32 = 1;

/// Where the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunStatus {
    /// Backups written, changes under way.
    Running,
    /// Every operation ran (or was already in place).
    Completed,
    /// Stopped at the first failure (`stopped_at`).
    Failed,
    /// Undone by `fix --undo`.
    Undone,
    /// `fix --undo` stopped at a failure.
    UndoFailed,
}

/// What happened to one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpStatus {
    /// Changed the host.
    Done,
    /// The result was already in place: nothing changed.
    NoChange,
    /// Not run (last resort without `--last-resort`, finding already clear, no targets).
    Skipped,
    /// Failed: the run stopped here.
    Failed,
}

/// One reversal, with the state to restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum UndoOp {
    /// Set a registry value back.
    SetRegistry {
        /// Scope.
        scope: Scope,
        /// Key.
        key: String,
        /// Name.
        name: String,
        /// The value before.
        data: RegData,
    },
    /// Delete a registry value that did not exist before.
    DeleteRegistry {
        /// Scope.
        scope: Scope,
        /// Key.
        key: String,
        /// Name.
        name: String,
    },
    /// Start a service that was running.
    StartService {
        /// Scope.
        scope: Scope,
        /// Service.
        name: String,
    },
    /// Stop a service that was stopped.
    StopService {
        /// Scope.
        scope: Scope,
        /// Service.
        name: String,
    },
    /// Set a start type back.
    SetServiceStart {
        /// Scope.
        scope: Scope,
        /// Service.
        name: String,
        /// The start type before.
        start: StartType,
    },
    /// Re-create an HNS object from its backup.
    CreateHns {
        /// Kind.
        kind: HnsObject,
        /// Id.
        id: String,
        /// The JSON backup file.
        backup: PathBuf,
    },
    /// Rename a file back.
    RenameFile {
        /// Current (moved-aside) path.
        from: String,
        /// Original path.
        to: String,
    },
    /// Set a port range back.
    SetPortRange {
        /// Protocol.
        protocol: PortProtocol,
        /// The range before.
        range: PortRange,
    },
    /// Re-create a WinNAT instance.
    AddNat {
        /// The instance before.
        nat: NatInstance,
    },
}

/// One operation of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Finding id.
    pub finding: String,
    /// Step number (1-based, as in the plan).
    pub step: usize,
    /// The operation, in words (`stop-service kube-proxy`).
    pub op: String,
    /// What happened.
    pub status: OpStatus,
    /// Details (why skipped, the error, "already 0").
    pub message: String,
    /// Backup files written for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backups: Vec<PathBuf>,
    /// How to reverse it, in the order to run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undo: Vec<UndoOp>,
    /// Reversed by `fix --undo`.
    #[serde(default)]
    pub undone: bool,
}

/// Whether a finding was present before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingCheck {
    /// Finding id.
    pub id: String,
    /// Before the changes: `present`, `cleared` or `unknown: <why>`.
    pub before: String,
    /// After the changes (when the run got that far).
    pub after: Option<String>,
}

/// Where a run stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoppedAt {
    /// Finding id.
    pub finding: String,
    /// Step number.
    pub step: usize,
    /// The operation.
    pub op: String,
    /// The error.
    pub error: String,
}

/// The journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// [`JOURNAL_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// hnsdoctor version.
    pub tool_version: String,
    /// UTC start time (RFC 3339).
    pub started: String,
    /// UTC end time.
    pub finished: Option<String>,
    /// The backup folder (the journal lies in it).
    pub backup_dir: PathBuf,
    /// State of the run.
    pub status: RunStatus,
    /// `--last-resort` was given.
    pub last_resort: bool,
    /// `--container`.
    pub container: Option<String>,
    /// Findings checked before and after.
    pub findings: Vec<FindingCheck>,
    /// Operations, in the order run.
    pub entries: Vec<Entry>,
    /// Where the run stopped, if it failed.
    pub stopped_at: Option<StoppedAt>,
    /// What `--undo` did, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undo_log: Vec<String>,
}

impl Journal {
    /// The journal file of a backup folder.
    #[must_use]
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join("journal.json")
    }

    /// Write the journal (to a temporary file, then renamed over the old one).
    ///
    /// # Errors
    /// [`crate::FixError::Io`].
    pub fn save(&self) -> Result<PathBuf, crate::FixError> {
        let path = Self::path_in(&self.backup_dir);
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).map_err(|e| crate::FixError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        std::fs::write(&tmp, text + "\n")
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| crate::FixError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        Ok(path)
    }

    /// Read a journal.
    ///
    /// # Errors
    /// [`crate::FixError::Io`] when unreadable, [`crate::FixError::BadJournal`] when not a
    /// journal (with the line and column of a JSON error).
    pub fn load(path: &Path) -> Result<Self, crate::FixError> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::FixError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let j: Self = serde_json::from_str(&text).map_err(|e| crate::FixError::BadJournal {
            path: path.display().to_string(),
            message: format!("line {} column {}: {e}", e.line(), e.column()),
        })?;
        if j.schema_version != JOURNAL_SCHEMA_VERSION {
            return Err(crate::FixError::BadJournal {
                path: path.display().to_string(),
                message: format!(
                    "schema_version {} (this hnsdoctor reads {JOURNAL_SCHEMA_VERSION})",
                    j.schema_version
                ),
            });
        }
        Ok(j)
    }
}
