//! The typed errors of host calls. Their `Display` text lands in the manifest's `error` field,
//! so it is written for a person reading a bundle.

use thiserror::Error;

/// Why a host call did not produce data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HostError {
    /// The facility does not exist here: DLL missing, not Windows, program not installed.
    #[error("{what} not available: {why}")]
    NotAvailable {
        /// What is missing, e.g. `HNS API`.
        what: String,
        /// Why, e.g. `computenetwork.dll could not be loaded (126)`.
        why: String,
    },
    /// The call needs rights the process lacks.
    #[error("access denied: {0}")]
    AccessDenied(String),
    /// The call did not finish in time.
    #[error("timed out after {0} ms")]
    Timeout(u64),
    /// The call ran and failed.
    #[error("failed ({code:#x}): {message}")]
    Failed {
        /// HRESULT, Win32 error or exit code.
        code: i64,
        /// What the API or program said.
        message: String,
    },
    /// Not found (file, key, process).
    #[error("not found: {0}")]
    NotFound(String),
    /// Local I/O problem.
    #[error("I/O error: {0}")]
    Io(String),
}

impl HostError {
    /// `NotAvailable` shorthand.
    #[must_use]
    pub fn not_available(what: &str, why: impl Into<String>) -> Self {
        Self::NotAvailable {
            what: what.to_string(),
            why: why.into(),
        }
    }

    /// The numeric code (HRESULT, Win32 error, exit code) where there is one.
    #[must_use]
    pub fn code(&self) -> Option<i64> {
        match self {
            Self::Failed { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Map an I/O error.
    #[must_use]
    pub fn from_io(path: &str, e: &std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => Self::NotFound(path.to_string()),
            std::io::ErrorKind::PermissionDenied => Self::AccessDenied(path.to_string()),
            _ => Self::Io(format!("{path}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_available_reads_naturally() {
        let e = HostError::not_available("HNS API", "computenetwork.dll could not be loaded (126)");
        assert_eq!(
            e.to_string(),
            "HNS API not available: computenetwork.dll could not be loaded (126)"
        );
        assert_eq!(e.code(), None);
    }

    #[test]
    fn failed_shows_hex_code() {
        let e = HostError::Failed {
            code: 0x803b_0013,
            message: "port exists".into(),
        };
        assert!(e.to_string().contains("0x803b0013"));
        assert_eq!(e.code(), Some(0x803b_0013));
    }
}
