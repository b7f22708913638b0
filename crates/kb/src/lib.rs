//! # hnsdoctor-kb — the knowledge base
//!
//! Pipeline role: data, consulted by rules and by `hnsdoctor kb` / `explain`. Known issues by
//! Windows build and UBR, KB → build map, release catalog, platform gaps, HNS feature table and
//! HCN/Win32 error codes, all as TOML files under `data/` embedded at build time and validated by
//! tests.
#![forbid(unsafe_code)]
