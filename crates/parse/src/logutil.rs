//! Helpers shared by the log, config and event-log parsers (`klog`, `kube_events`,
//! `cni_config`, `eventlog`, `hns_process`): summary bookkeeping, the collector's own error text,
//! the token pre-filter for big logs and the known error signatures.
//!
//! Pipeline stage: **parsers**. Private to this crate.

use crate::ParseError;

/// Most log events / event records one source may add; the rest is counted in a warning.
pub(crate) const MAX_EVENTS_PER_SOURCE: usize = 20_000;

/// `Err(Skip)` when `text` is empty or one of its first three non-empty lines is a collector
/// error message ([`crate::skip::COLLECTOR_ERRORS`]).
pub(crate) fn check_skip(text: &str) -> Result<(), ParseError> {
    crate::skip::check(text, &crate::skip::LOG)
}

pub(crate) use crate::skip::{mark, skip_line};

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
