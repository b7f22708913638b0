//! The rules' window on the knowledge base (`hnsdoctor-kb`): fix steps and references per
//! finding id, known issues by build. Rules never hard-code remedies; they ask [`Knowledge`].
//! This is the only module that maps KB types to finding types, so a change of the KB's API
//! stays here.

use crate::finding::FixStep;
use hnsdoctor_kb::{Entry, Kb};

/// Handle on the embedded knowledge base.
#[derive(Debug, Clone, Copy)]
pub struct Knowledge {
    kb: &'static Kb,
}

impl Knowledge {
    /// The embedded knowledge base.
    #[must_use]
    pub fn get() -> &'static Knowledge {
        static K: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
        K.get_or_init(|| Knowledge { kb: Kb::get() })
    }

    /// The KB itself (known issues by version, gaps, features, releases).
    #[must_use]
    pub fn kb(&self) -> &'static Kb {
        self.kb
    }

    /// The KB entry `id`.
    #[must_use]
    pub fn entry(&self, id: &str) -> Option<&'static Entry> {
        self.kb.entry(id)
    }

    /// Fix steps of the KB entry `id` (empty when the KB has no entry).
    #[must_use]
    pub fn fix_steps(&self, id: &str) -> Vec<FixStep> {
        self.entry(id)
            .map(|e| {
                e.workaround
                    .iter()
                    .map(|s| FixStep {
                        text: s.text.clone(),
                        command: s.command.clone(),
                        last_resort: s.last_resort,
                        changes_host: s.changes_host,
                        targets: Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether step `text` of the KB entry `id` removes the objects its finding names (an action
    /// `remove-hns-objects` with `select = "finding"`), so the finding fills its `targets`.
    #[must_use]
    pub fn step_takes_targets(&self, id: &str, text: &str) -> bool {
        self.entry(id).is_some_and(|e| {
            e.workaround.iter().any(|s| {
                s.text == text
                    && s.actions.iter().any(|a| {
                        matches!(
                            a,
                            hnsdoctor_kb::Action::RemoveHnsObjects {
                                select: hnsdoctor_kb::Select::Finding,
                                ..
                            }
                        )
                    })
            })
        })
    }

    /// References of the KB entry `id`.
    #[must_use]
    pub fn references(&self, id: &str) -> Vec<String> {
        self.entry(id)
            .map(|e| e.references.clone())
            .unwrap_or_default()
    }

    /// Whether the KB has an entry for `id` with at least one fix step.
    #[must_use]
    pub fn has_fix(&self, id: &str) -> bool {
        self.entry(id).is_some_and(|e| !e.workaround.is_empty())
    }
}
