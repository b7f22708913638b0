//! # hnsdoctor-bundle — opening inputs
//!
//! Pipeline stage: **bundle**. Opens what the user gives (hnsdoctor bundle folder or zip, legacy
//! CollectLogs folder or zip, a single file, stdin), decodes text (BOM sniffing, UTF-16LE/BE,
//! OEM/1252 fallback), splits pastes into sections, and maps source ids to paths. Also holds the
//! bundle manifest types shared with the collector.
//!
//! Entry point: [`open()`] → [`Opened`] with one [`Source`] per file or paste section.
#![forbid(unsafe_code)]

pub mod artefacts;
pub mod error;
pub mod guards;
pub mod manifest;
pub mod open;
pub mod paste;
pub mod text;

pub use error::BundleError;
pub use open::{open, open_with, Content, InputKind, Opened, Source, SourceKind};
