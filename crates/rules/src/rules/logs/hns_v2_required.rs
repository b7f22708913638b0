//! `hns-v2-required` — Component needs the HCN v2 API.
//!
//! # What it finds
//! kube-proxy's "Windows HNS Api V2 required. This version of windows does not support API V2".
//!
//! # Why it matters
//! kube-proxy 1.25+ needs the HCN v2 API (Windows Server 2019 / 1809 or later); on an older host it panics at start, so no service works.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `hns-v2-required`.
//!
//! # Applies to
//! Builds older than 17763 (1809) with kube-proxy ≥ 1.25.
//!
//! # References
//! Domain facts §2.2 L14; kubernetes/kubernetes#110957.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "hns-v2-required",
    title: "Component needs the HCN v2 API",
    severity: Severity::Error,
    codes: &[],
    needles: &["HNS Api V2 required", "does not support API V2"],
    context: &[],
    why: "kube-proxy 1.25+ needs the HCN v2 API (Windows Server 2019 / 1809 or later); on an older host it panics at start, so no service works.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "Windows HNS Api V2 required. This version of windows does not support API V2",
            &[],
            "Using HNS API V2",
        );
    }
}
