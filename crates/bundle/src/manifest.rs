//! The bundle manifest (`manifest.json` at a bundle's root): written by the collector, read by
//! the bundle opener. Its presence is what marks a folder or zip as an hnsdoctor bundle.
//!
//! Format (version [`MANIFEST_FORMAT_VERSION`]):
//! ```json
//! {
//!   "format_version": 1,
//!   "tool": "hnsdoctor", "tool_version": "0.1.0",
//!   "host": "AKSWIN000000", "os_build": "10.0.17763.5458",
//!   "started_at": "2026-11-24T02:00:00Z", "finished_at": "2026-11-24T02:00:07Z",
//!   "admin": true,
//!   "sources": [
//!     { "id": "hns.networks", "status": "ok", "via": "HcnEnumerateNetworks + HcnQueryNetworkProperties",
//!       "parser": "hns-json", "path": "hns/networks.json", "exit_code": null,
//!       "duration_ms": 41, "bytes": 5120, "truncated": false,
//!       "sha256": "…", "error": null }
//!   ]
//! }
//! ```
//! `status` is one of `ok`, `failed`, `timeout`, `skipped`. Unknown fields are ignored when
//! reading, so newer collectors stay readable; a bump of `format_version` means a breaking change.

use serde::{Deserialize, Serialize};

/// File name of the manifest at the bundle root.
pub const MANIFEST_NAME: &str = "manifest.json";
/// Current manifest format version.
pub const MANIFEST_FORMAT_VERSION: u32 = 1;

/// The bundle manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// Always `hnsdoctor`.
    pub tool: String,
    /// Version of the tool that wrote the bundle.
    pub tool_version: String,
    /// Host name.
    pub host: String,
    /// OS version with UBR, e.g. `10.0.17763.5458`, when known.
    pub os_build: Option<String>,
    /// Collection start (RFC 3339, UTC).
    pub started_at: String,
    /// Collection end (RFC 3339, UTC).
    pub finished_at: String,
    /// Whether the collector ran elevated.
    pub admin: Option<bool>,
    /// Event-log window in hours.
    pub since_hours: Option<u32>,
    /// One record per source attempted.
    pub sources: Vec<SourceRecord>,
}

/// Outcome of one source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceStatus {
    /// Collected.
    #[default]
    Ok,
    /// Ran and failed (non-zero exit, API error, access denied…).
    Failed,
    /// Killed at its timeout.
    Timeout,
    /// Not run (not applicable on this host, or not admin).
    Skipped,
}

/// The record of one source attempt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceRecord {
    /// Source id from the collector's table, e.g. `hns.networks`.
    pub id: String,
    /// Outcome.
    pub status: SourceStatus,
    /// What ran: command line, API call, registry key, file path.
    pub via: String,
    /// Format id of the parser that reads it back (`hnsdoctor_parse::formats`), if any.
    pub parser: Option<String>,
    /// Path of the output inside the bundle (forward slashes), if any was written.
    pub path: Option<String>,
    /// Process exit code or HRESULT.
    pub exit_code: Option<i64>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
    /// Bytes written (after capping).
    pub bytes: u64,
    /// Output was cut at the source's size cap (the tail is kept).
    pub truncated: bool,
    /// SHA-256 of the written file, lower-case hex.
    pub sha256: Option<String>,
    /// Error text (stderr excerpt, API error, "HNS API not available" …).
    pub error: Option<String>,
    /// For sources that copy several files into a folder (`path` ends in `/`): one entry per
    /// file written. Empty (and omitted) for single-file sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileRecord>,
}

/// One file written by a multi-file source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileRecord {
    /// Path inside the bundle (forward slashes).
    pub path: String,
    /// Bytes written (after capping).
    pub bytes: u64,
    /// Cut at the size cap (the tail is kept).
    pub truncated: bool,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_serialises_lowercase_and_unknown_fields_are_ignored() {
        let json = r#"{"format_version":1,"tool":"hnsdoctor","host":"n1","future_field":3,
            "sources":[{"id":"hns.networks","status":"timeout","duration_ms":5000}]}"#;
        let m: Manifest = serde_json::from_str(json).unwrap();
        assert_eq!(m.sources[0].status, SourceStatus::Timeout);
        let back = serde_json::to_string(&m).unwrap();
        assert!(back.contains(r#""status":"timeout""#));
    }
}
