//! Helpers shared by the log, config and event-log parsers (`klog`, `kube_events`,
//! `cni_config`, `eventlog`, `hns_process`): summary bookkeeping, the collector's own error text,
//! the token pre-filter for big logs and the known error signatures.
//!
//! Pipeline stage: **parsers**. Private to this crate.

use crate::{Fact, HostModel, InputSummary, ParseError, SkippedLine};

/// Most skipped lines kept in a summary (the count keeps going).
const MAX_SKIPPED_KEPT: usize = 20;

/// Most log events / event records one source may add; the rest is counted in a warning.
pub(crate) const MAX_EVENTS_PER_SOURCE: usize = 20_000;

/// Error texts a collector writes instead of data (lower case), checked on the first lines.
const COLLECTOR_ERRORS: &[&str] = &[
    "is not recognized as the name of a cmdlet",
    "is not recognized as an internal or external command",
    "commandnotfoundexception",
    "objectnotfound:",
    "cannot find path",
    "does not exist.",
    "access is denied",
    "requires elevation",
    "no events were found that match the specified selection criteria",
    "the specified channel could not be found",
    "cannot find a process with the name",
    "the system cannot find the file specified",
];

/// `Err(Skip)` when `text` is empty or one of its first three non-empty lines is a collector
/// error message.
pub(crate) fn check_skip(text: &str) -> Result<(), ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let hit = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
        .find(|l| {
            let low = l.to_lowercase();
            COLLECTOR_ERRORS.iter().any(|e| low.contains(e))
        });
    match hit {
        Some(l) => Err(ParseError::skip(format!(
            "collector error: {}",
            l.chars().take(160).collect::<String>()
        ))),
        None => Ok(()),
    }
}

/// Record that `fact` was read, in the model and in the summary (once).
pub(crate) fn mark(model: &mut HostModel, summary: &mut InputSummary, fact: Fact) {
    model.mark(fact);
    if !summary.facts.contains(&fact) {
        summary.facts.push(fact);
    }
}

/// Record a line that was not used.
pub(crate) fn skip_line(summary: &mut InputSummary, line: u32, reason: impl Into<String>) {
    summary.skipped_count += 1;
    if summary.skipped.len() < MAX_SKIPPED_KEPT {
        summary.skipped.push(SkippedLine {
            line,
            reason: reason.into(),
        });
    }
}

/// Known error signatures (lower case): the HCN/HNS wrapper texts and the kube-proxy winkernel
/// strings of the domain sheet §2.2 / §4.8. A line holding one is kept whatever its level.
pub(crate) const SIGNATURES: &[&str] = &[
    "failed in win32",
    "hns failed with error",
    "hnscall failed",
    "windows kernel is not compatible for kernel mode",
    "windows hns api v2 required",
    "kube_network and network-flag not initialized",
    "unable to find hns network",
    "windsr feature gate not enabled",
    "winoverlay feature gate not enabled",
    "source-vip flag not set",
    "could not find host mac address",
    "does not support dual-stack",
    "hns network is not present or has changed",
    "querying hns for endpoints failed",
    "querying hns for load balancers failed",
    "source vip endpoint creation failed",
    "remote endpoint creation failed",
    "local endpoint not found",
    "endpoint information not available for service",
    "policy creation failed",
    "session affinity is not supported",
    "error deleting hns",
    "stale loadbalancers still remaining",
    "update loadbalancer policy failed",
    "does not support feature direct server return",
    "failed to load vmcompute.dll",
    "failed to setup network for sandbox",
    "failed to allocate for range",
    "waiting for the network to be created",
    "the host network service service terminated unexpectedly",
];

/// Cheap tokens (lower case): a line without any of them is not even parsed.
const PREFILTER: &[&str] = &[
    "err",
    "fail",
    "warn",
    "fatal",
    "panic",
    "0x",
    "hresult",
    "-21",
    "not found",
    "not compatible",
    "not supported",
    "not present",
    "not set",
    "not initialized",
    "required",
    "stale",
    "unable",
    "could not",
    "cannot",
    "timeout",
    "timed out",
    "refused",
    "denied",
    "invalid",
    "already exists",
    "diskette",
    "terminated",
];

/// Whether a lower-cased line may be of interest (token pre-filter).
pub(crate) fn prefilter(low: &str) -> bool {
    PREFILTER.iter().any(|t| low.contains(t))
}

/// Whether a lower-cased line holds a known signature.
pub(crate) fn has_signature(low: &str) -> bool {
    SIGNATURES.iter().any(|s| low.contains(s))
}

/// The last path component of a source name, lower case (`logs/cni/azure-vnet.log` →
/// `azure-vnet.log`; Windows separators too).
pub(crate) fn file_name(source: &str) -> String {
    source
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(source)
        .to_ascii_lowercase()
}

/// Format a Unix time in seconds (with fraction) as RFC 3339 UTC with microseconds.
pub(crate) fn unix_to_rfc3339(secs: f64) -> Option<String> {
    if !(0.0..=32_503_680_000.0).contains(&secs) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = secs.trunc() as i64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let nanos = ((secs - secs.trunc()) * 1e6).round().clamp(0.0, 999_999.0) as u32 * 1000;
    chrono::DateTime::from_timestamp(whole, nanos)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips() {
        assert!(matches!(check_skip("  \n"), Err(ParseError::Skip { .. })));
        let e = check_skip("Get-Process : Cannot find a process with the name \"hns\".");
        assert!(
            matches!(e, Err(ParseError::Skip { reason }) if reason.contains("collector error"))
        );
        assert!(check_skip("I0412 10:15:02.123456    4567 x.go:1] ok").is_ok());
    }

    #[test]
    fn helpers() {
        assert_eq!(file_name(r"C:\k\kubeproxy.err.log"), "kubeproxy.err.log");
        assert_eq!(file_name("logs/cni/azure-vnet.log"), "azure-vnet.log");
        assert_eq!(
            unix_to_rfc3339(1_712_916_902.5).as_deref(),
            Some("2024-04-12T10:15:02.500000Z")
        );
        assert!(unix_to_rfc3339(f64::NAN).is_none());
        assert!(has_signature("x policy creation failed: y"));
        assert!(prefilter("e0412 something failed"));
        assert!(!prefilter("i0412 syncing proxy rules"));
    }
}
