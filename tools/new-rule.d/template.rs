//! `new-rule-template` — one line saying what is wrong (the finding's title).
//!
//! # What it finds
//! The condition on the host model, in words: which objects, which values, which threshold.
//!
//! # Why it matters
//! What breaks for pods and services when this holds.
//!
//! # Evidence used
//! The facts the rule needs (`hns-endpoints`, …) and what it uses when read.
//!
//! # Fix
//! From the knowledge base entry `new-rule-template` (`crates/kb/data/`).
//!
//! # Applies to
//! The Windows builds and network types concerned.
//!
//! # References
//! Domain facts §…, the issue or document this comes from.

use crate::rules::prelude::*;

/// The rule.
pub struct NewRuleTemplate;

impl Rule for NewRuleTemplate {
    fn id(&self) -> &'static str {
        "new-rule-template"
    }
    fn title(&self) -> &'static str {
        "One line saying what is wrong"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::HnsEndpoints]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        // The condition goes here: walk the model once (use `ctx.index()` for lookups by id or
        // address, never a search inside a loop) and push one finding per object concerned:
        //
        //     ctx.finding(self, format!("Endpoint {} …", ep.id))
        //         .why("…")
        //         .evidence(&ep.prov)
        //         .push(out);
        //
        // Until it is written the rule finds nothing, so its `fires` fixture fails the table test
        // in crates/rules/tests/it/fixtures.rs.
        let _ = (ctx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn not_evaluated_without_its_facts() {
        assert_eq!(
            missing(&NewRuleTemplate, &model(&[])),
            vec![Fact::HnsEndpoints]
        );
    }
}
