//! # hnsdoctor-rules — rules that turn the host model into findings
//!
//! Pipeline stage: **rules** (… → model → *rules* → findings → reporters).
//!
//! * [`finding`] holds the output contract ([`Finding`], [`Report`]).
//! * [`engine`] holds the [`Rule`] trait, [`Options`] and [`run`]: the model in, a report out.
//! * [`index`] holds [`ModelIndex`], the model's ids and addresses parsed once into hash
//!   lookups; rules reach it through [`Ctx::index`].
//! * [`registry::RULES`] is the one table of rules, in catalogue order; [`redirects`] keeps
//!   renamed ids working.
//! * `rules/<area>/<id>.rs` — one file per rule, each with the doc headings *What it finds /
//!   Why it matters / Evidence used / Fix / Applies to / References*.
//!
//! Rules read only the [`hnsdoctor_model::HostModel`] and the knowledge base: analysis is
//! offline, this crate does not depend on the host or collector crates.
//!
//! ```
//! use hnsdoctor_rules::{run, Options};
//! let report = run(&hnsdoctor_model::HostModel::new(), &Options::default());
//! // nothing was read, so nothing passed: every rule says what it is missing
//! assert!(report.findings.is_empty());
//! assert!(!report.not_evaluated.is_empty());
//! ```
#![forbid(unsafe_code)]

pub mod engine;
pub mod finding;
pub mod index;
pub mod knowledge;
pub mod known_issue;
pub mod packets;
pub mod portmath;
pub mod redirects;
pub mod registry;
pub mod rules;
pub mod signature;
#[cfg(test)]
mod suite;
#[cfg(test)]
mod testkit;
pub mod util;

pub use engine::{run, run_rules, Ctx, Draft, Options, Rule};
pub use finding::{
    Confidence, Finding, FixStep, NotEvaluated, Report, Severity, REPORT_SCHEMA_VERSION,
};
pub use index::{Addr, ModelIndex, ObjId};
pub use registry::{rule, RULES};
