//! `hns-network-not-found` — kube-proxy / CNI cannot find the HNS network.
//!
//! # What it finds
//! "Unable to find HNS Network specified by `<name>`", "The HNS network is not present or has changed since the last sync", or HCN_E_NETWORK_NOT_FOUND (0x803b0001).
//!
//! # Why it matters
//! kube-proxy (or the CNI) looks the HNS network up by name; until it exists under that name no service or pod network is programmed.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `hns-network-not-found`.
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Domain facts §4.8, §4.6.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "hns-network-not-found",
    title: "kube-proxy / CNI cannot find the HNS network",
    severity: Severity::Error,
    codes: &[0x803b_0001],
    needles: &["Unable to find HNS Network", "The HNS network is not present", "Network not found"],
    context: &[],
    why: "kube-proxy (or the CNI) looks the HNS network up by name; until it exists under that name no service or pod network is programmed.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "Unable to find HNS Network specified by vxlan0. Please check network name and CNI deployment",
            &[],
            "Found HNS network vxlan0",
        );
    }
}
