//! Renamed rule ids: `old id → current id`. A renamed id keeps working in `--only`, in
//! `explain` and in scripts. Empty so far — ids in the finding catalogue are never renamed.

/// `(old, new)` pairs.
pub static REDIRECTS: &[(&str, &str)] = &[];

/// The current id for `id` (itself when it was never renamed).
#[must_use]
pub fn resolve(id: &str) -> &str {
    REDIRECTS
        .iter()
        .find(|(old, _)| *old == id)
        .map_or(id, |(_, new)| new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::rule;

    #[test]
    fn redirect_targets_exist_and_sources_do_not() {
        for (old, new) in REDIRECTS {
            assert!(rule(new).is_some(), "redirect target {new} is not a rule");
            assert!(rule(old).is_none(), "redirected id {old} is still a rule");
        }
        assert_eq!(resolve("hns-crash"), "hns-crash");
    }
}
