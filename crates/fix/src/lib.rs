//! # hnsdoctor-fix — plan, apply and undo the knowledge base's workarounds
//!
//! `hnsdoctor fix` turns findings into changes, safely:
//!
//! * **Plan** ([`plan()`], any OS): for each finding, the workaround steps of its knowledge-base
//!   entry (the same steps `kb show` and `analyze` print), each with its typed actions
//!   ([`hnsdoctor_kb::Action`]) spelled out: what changes, the exact command or API call, what
//!   is backed up first, how it is undone, the expected disruption, and the evidence of the
//!   finding that justifies it. Steps without actions are manual; a finding without any
//!   automated step says so.
//! * **Apply** ([`apply::apply`], through a [`HostChange`](hnsdoctor_host::change::HostChange)):
//!   refuses without admin rights; leaves out last-resort steps unless asked; checks first
//!   whether each finding is still present (a [`apply::Verifier`] re-collects and re-runs its
//!   rules) and does nothing for one that has cleared; writes every backup (registry values,
//!   HNS objects as JSON, copies of files moved aside, WinNAT instances) and a journal before
//!   the first change; runs the operations in order and stops at the first failure; skips an
//!   operation whose result is already in place (so a second run changes nothing and says so);
//!   re-checks the findings afterwards.
//! * **Undo** ([`apply::undo`]): reads a journal and reverses its completed operations, last
//!   first, from the recorded state (values, start types, object JSON, port ranges, NAT
//!   prefixes); each reversal is skipped when the state is already back.
//!
//! The journal ([`journal::Journal`], `journal.json` beside the backups) is rewritten after
//! every operation, so a run stopped halfway leaves a journal that says where it stopped.

pub mod apply;
pub mod journal;
pub mod plan;

pub use apply::{apply, undo, ApplyOptions, Verifier};
pub use journal::Journal;
pub use plan::{plan, plan_ids, Plan, PlannedFinding, PlannedOp, PlannedStep, StepKind};

/// Why `fix` could not plan, apply or undo.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    /// A finding id the knowledge base does not know.
    #[error("unknown finding id {0:?}: `hnsdoctor kb list` shows the ids")]
    UnknownId(String),
    /// `--apply` / `--undo` without administrator rights.
    #[error("`hnsdoctor fix --apply` and `--undo` change the host and need administrator rights: run them from an elevated prompt")]
    NotAdmin,
    /// In-container steps without `--container`.
    #[error("step {step} of {finding} runs inside a container: give the container with --container <id>")]
    NeedsContainer {
        /// Finding id.
        finding: String,
        /// Step number (1-based).
        step: usize,
    },
    /// `--container` but no runtime CLI on the host.
    #[error("--container needs docker, ctr or crictl on the host and none was found")]
    NoRuntime,
    /// The journal or a backup could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A journal that cannot be used for undo.
    #[error("{path}: not a usable hnsdoctor fix journal: {message}")]
    BadJournal {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
}
