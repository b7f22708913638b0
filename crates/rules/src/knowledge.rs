//! The rules' window on the knowledge base (`hnsdoctor-kb`): fix steps and references per
//! finding id, known issues by build. Rules never hard-code remedies; they ask [`Knowledge`].
//! This is the only module that talks to `hnsdoctor-kb`, so a change of the KB's API stays here.

use crate::finding::FixStep;

/// Handle on the embedded knowledge base.
#[derive(Debug, Default)]
pub struct Knowledge {
    _private: (),
}

static KNOWLEDGE: Knowledge = Knowledge { _private: () };

impl Knowledge {
    /// The embedded knowledge base.
    #[must_use]
    pub fn get() -> &'static Knowledge {
        &KNOWLEDGE
    }

    /// Fix steps of the KB entry `id` (empty when the KB has no entry).
    #[must_use]
    pub fn fix_steps(&self, _id: &str) -> Vec<FixStep> {
        Vec::new()
    }

    /// References of the KB entry `id`.
    #[must_use]
    pub fn references(&self, _id: &str) -> Vec<String> {
        Vec::new()
    }

    /// Whether the KB has an entry for `id`.
    #[must_use]
    pub fn has_entry(&self, _id: &str) -> bool {
        false
    }
}
