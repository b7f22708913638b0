//! # hnsdoctor-parse — one parser per artefact, and the assembler
//!
//! Pipeline stage: **parsers**. Each module reads one artefact format into pieces of the
//! [`hnsdoctor_model::HostModel`].
#![forbid(unsafe_code)]
