//! # hnsdoctor-report — text, JSON, Markdown and HTML reports
//!
//! Pipeline stage: **reporters**.
#![forbid(unsafe_code)]
