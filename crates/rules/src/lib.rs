//! # hnsdoctor-rules — rules that turn the host model into findings
//!
//! Pipeline stage: **rules** (… → model → *rules* → findings → reporters).
//!
//! [`finding`] holds the output contract ([`Finding`], [`Report`]).
#![forbid(unsafe_code)]

pub mod finding;

pub use finding::{
    Confidence, Finding, FixStep, NotEvaluated, Report, Severity, REPORT_SCHEMA_VERSION,
};
