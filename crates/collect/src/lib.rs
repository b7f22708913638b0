//! # hnsdoctor-collect — the collector
//!
//! Pipeline stage: **sources**. The source table, the runner and the bundle writer.
#![forbid(unsafe_code)]
