//! # hnsdoctor-rules — rules that turn the host model into findings
//!
//! Pipeline stage: **rules**.
#![forbid(unsafe_code)]
