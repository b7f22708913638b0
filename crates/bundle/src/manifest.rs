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
//! `status` is one of `ok`, `failed`, `timeout`, `skipped` (a source the host cannot have, such as
//! `Get-VMSwitch` without Hyper-V, is `skipped` with an error beginning `absent by design:`).
//! Unknown fields are ignored when reading, so newer collectors stay readable; a bump of
//! `format_version` means a breaking change.
//!
//! Added without a version bump (all optional):
//! * `code_pages: {"oem": 932, "ansi": 932}` — the host's console code pages;
//! * per source `encoding`: `oem` (a native tool's pipe output, in the OEM code page), `utf-8`
//!   (PowerShell with UTF-8 output), `utf-16le` (`wevtutil /uni:true`); absent for copied files
//!   (whose 8-bit text is read in the ANSI code page) and JSON written by hnsdoctor;
//! * per source `withheld` (files not copied because they hold credentials, with the reason) and
//!   `redacted` (secrets replaced in copied files: file, what, how many) — never the values.

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
    /// The host's console code pages, when the collector could read them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_pages: Option<CodePages>,
    /// One record per source attempted.
    pub sources: Vec<SourceRecord>,
}

/// The console code pages of the collecting host (`GetOEMCP()`, `GetACP()`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodePages {
    /// OEM code page: native tools (ipconfig, netsh, route, sc) write their pipe output in it.
    pub oem: u32,
    /// ANSI code page.
    pub ansi: u32,
}

impl Manifest {
    /// The code page to decode non-UTF-8 8-bit text of the bundle file `path` with: the OEM
    /// code page for outputs recorded as `oem`, the ANSI code page for other files; `None`
    /// without recorded code pages.
    #[must_use]
    pub fn code_page_for(&self, path: &str) -> Option<u32> {
        let cp = self.code_pages?;
        let oem = self.sources.iter().any(|s| {
            s.encoding.as_deref() == Some("oem")
                && (s.path.as_deref() == Some(path) || s.files.iter().any(|f| f.path == path))
        });
        Some(if oem { cp.oem } else { cp.ansi })
    }

    /// Bundle paths to the code page their 8-bit text is in, computed once for a whole bundle
    /// (see [`Self::code_page_for`]); files not listed use the ANSI code page.
    #[must_use]
    pub fn oem_paths(&self) -> std::collections::HashSet<&str> {
        self.sources
            .iter()
            .filter(|s| s.encoding.as_deref() == Some("oem"))
            .flat_map(|s| {
                s.path
                    .as_deref()
                    .into_iter()
                    .chain(s.files.iter().map(|f| f.path.as_str()))
            })
            .collect()
    }
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
    /// How the collector knows the output's text is encoded: `oem`, `utf-8`, `utf-16le`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Files found but not copied because they hold credentials.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<Withheld>,
    /// Secrets replaced in copied files (what and how many; never the value).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub redacted: Vec<Redacted>,
}

/// A file not copied into the bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Withheld {
    /// The path on the host.
    pub path: String,
    /// Why (e.g. `kubeconfig: holds a service-account token`).
    pub reason: String,
}

/// Secrets replaced in one copied file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Redacted {
    /// Path inside the bundle.
    pub path: String,
    /// What was replaced (`key "password"`, `private key block`, `bootstrap token`…).
    pub what: String,
    /// How many occurrences.
    pub count: u32,
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
        assert!(!back.contains("code_pages"), "absent fields stay absent");
    }

    #[test]
    fn code_page_per_file() {
        let json = r#"{"code_pages":{"oem":850,"ansi":1252},"sources":[
            {"id":"ip.ipconfig","path":"net/ipconfig.txt","encoding":"oem"},
            {"id":"k8s.cni_logs","path":"k8s/cni-logs/","files":[{"path":"k8s/cni-logs/a.log"}]}]}"#;
        let m: Manifest = serde_json::from_str(json).unwrap();
        assert_eq!(m.code_page_for("net/ipconfig.txt"), Some(850));
        assert_eq!(m.code_page_for("k8s/cni-logs/a.log"), Some(1252));
        assert!(m.oem_paths().contains("net/ipconfig.txt"));
        assert_eq!(Manifest::default().code_page_for("net/ipconfig.txt"), None);
    }
}
