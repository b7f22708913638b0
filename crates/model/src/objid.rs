//! [`ObjId`]: an HNS/VFP object id (GUID) parsed once into a typed key, so joins between
//! objects are hash lookups rather than string comparisons. Used by the rules' model index and
//! by the HTML renderer.

use uuid::Uuid;

/// A normalised object id: a GUID, or (for ids that are not GUIDs) the trimmed, brace-less,
/// upper-case text — the meaning of [`crate::norm_guid`] equality.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjId {
    /// A GUID.
    Guid(Uuid),
    /// Anything else, normalised.
    Other(Box<str>),
}

impl ObjId {
    /// Parse an id; `None` for an empty one.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let t = s
            .trim()
            .trim_start_matches('{')
            .trim_end_matches('}')
            .trim();
        if t.is_empty() {
            return None;
        }
        match Uuid::try_parse(t) {
            Ok(u) => Some(Self::Guid(u)),
            Err(_) => Some(Self::Other(t.to_ascii_uppercase().into_boxed_str())),
        }
    }
}
