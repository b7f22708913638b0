//! The rules, one file per rule, grouped by area:
//!
//! * [`hns`] — HNS object state (endpoints, load balancers, networks, the HNS process);
//! * [`vfp`] — VFP switch ports and rules;
//! * [`ports`] — dynamic port ranges, exclusions, listeners;
//! * [`logs`] — error signatures in logs and pasted errors;
//! * [`config`] — configuration, services, NAT, CNI;
//! * [`known`] — known issues that need more than the build (most known issues, regressions
//!   and platform gaps have no file: the knowledge base entry is the rule, see
//!   [`crate::known_issue`]);
//! * [`drops`] — packet drops from Packet Monitor, joined to endpoints and pods;
//! * [`input`] — what the input itself allows (nothing recognised).

pub mod config;
pub mod drops;
pub mod hns;
pub mod input;
pub mod known;
pub mod logs;
pub mod ports;
pub mod vfp;

/// The template `tools/new-rule` copies for a new rule: compiled and tested with the crate so
/// that it cannot drift from the [`crate::engine::Rule`] API (the scaffolder only renames it).
#[cfg(test)]
#[path = "../../../../tools/new-rule.d/template.rs"]
mod new_rule_template;

/// What every rule file imports.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use crate::engine::{Ctx, Options, Rule};
    pub(crate) use crate::finding::{Confidence, Finding, FixStep, Severity};
    pub(crate) use crate::util::*;
    pub(crate) use hnsdoctor_model::*;
}
