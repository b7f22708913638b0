//! Errors of the bundle stage: opening inputs, guarding archives, decoding text.
//!
//! Every variant names the file (and, where it applies, the entry or line) so the user can act on
//! the message without a debugger. The binary maps [`BundleError::is_bad_input`] errors to exit 3.

use std::path::PathBuf;

/// Why an input could not be opened or a source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The path does not exist.
    #[error("{}: no such file or folder", path.display())]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// An I/O error while reading a path.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path being read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input is empty (no bytes, or a folder without files).
    #[error("{name}: input is empty")]
    Empty {
        /// Input name.
        name: String,
    },
    /// A binary file where text was expected.
    #[error("{name}: binary data, not text ({why}); give hnsdoctor the text output, a bundle folder or a zip")]
    Binary {
        /// Source name.
        name: String,
        /// What gave it away.
        why: String,
    },
    /// A file larger than the per-file cap.
    #[error("{name}: {size} bytes is larger than the {cap}-byte limit per file; not read")]
    TooLarge {
        /// Source name.
        name: String,
        /// Its size (or the bytes read before giving up).
        size: u64,
        /// The cap.
        cap: u64,
    },
    /// More files than the file-count cap.
    #[error("{name}: more than {cap} files; refusing to read the rest")]
    TooManyFiles {
        /// Input name.
        name: String,
        /// The cap.
        cap: usize,
    },
    /// The total uncompressed size exceeds the cap (a zip bomb or a far too large input).
    #[error("{name}: total uncompressed size exceeds {cap} bytes; refusing (zip bomb?)")]
    TotalTooLarge {
        /// Input name.
        name: String,
        /// The cap.
        cap: u64,
    },
    /// Decoding would pass the budget on decoded text (UTF-8 bytes held in memory).
    #[error(
        "{name}: decoded text would take up to {size} bytes, more than the {cap} bytes left of \
         the memory budget for decoded input; not read"
    )]
    DecodedTooLarge {
        /// Source name.
        name: String,
        /// Upper bound of the decoded size.
        size: u64,
        /// What was left of the budget.
        cap: u64,
    },
    /// The whole archive expands more than the ratio cap (many small, highly compressed entries).
    #[error(
        "{archive}: its entries add up to {total} bytes, {ratio}x the archive's size (limit \
         {cap}x); refusing (zip bomb?)"
    )]
    ArchiveRatio {
        /// Archive path.
        archive: String,
        /// Sum of the entries' declared sizes.
        total: u64,
        /// The ratio found.
        ratio: u64,
        /// The cap.
        cap: u64,
    },
    /// A zip entry with a suspicious compression ratio.
    #[error("{archive}: entry {entry:?} expands {ratio}x (limit {cap}x); refusing (zip bomb?)")]
    Ratio {
        /// Archive path.
        archive: String,
        /// Entry name.
        entry: String,
        /// The ratio found.
        ratio: u64,
        /// The cap.
        cap: u64,
    },
    /// A zip entry whose name escapes the archive root (`..`, absolute path, drive letter).
    #[error(
        "{archive}: entry {entry:?} points outside the archive (zip-slip); refusing the archive"
    )]
    ZipSlip {
        /// Archive path.
        archive: String,
        /// Entry name.
        entry: String,
    },
    /// The zip could not be read.
    #[error("{archive}: not a readable zip: {message}")]
    Zip {
        /// Archive path.
        archive: String,
        /// What the zip reader said.
        message: String,
    },
    /// `manifest.json` could not be parsed.
    #[error("{path}: manifest is not valid JSON: line {line}: {message}")]
    Manifest {
        /// Manifest path.
        path: String,
        /// 1-based line of the error.
        line: usize,
        /// The JSON error.
        message: String,
    },
}

impl BundleError {
    /// Whether the error is the user's input (exit code 3) rather than an environment failure.
    #[must_use]
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, BundleError::Io { .. })
    }
}
