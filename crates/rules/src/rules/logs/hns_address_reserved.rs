//! `hns-address-reserved` — HNS: address invalid or reserved (0x803b002f).
//!
//! # What it finds
//! Log lines with HCN_E_ADDR_INVALID_OR_RESERVED (0x803b002f, decimal 2151350319), "An address provided is invalid or reserved" — e.g. kube-proxy creating the overlay source-VIP endpoint.
//!
//! # Why it matters
//! HNS refused to create the endpoint: typically a bad kube-proxy --source-vip, or a stale endpoint still holding the IP, so the source-VIP endpoint (overlay) or the pod endpoint is missing.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `hns-address-reserved`.
//!
//! # Applies to
//! All builds; reported on WS 2004 with overlay.
//!
//! # References
//! Domain facts §2.2 L13, §4.6; kubernetes/kubernetes#100962.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "hns-address-reserved",
    title: "HNS: address invalid or reserved (0x803b002f)",
    severity: Severity::Error,
    codes: &[0x803b_002f],
    needles: &["An address provided is invalid or reserved"],
    context: &[],
    why: "HNS refused to create the endpoint: typically a bad kube-proxy --source-vip, or a stale endpoint still holding the IP, so the source-VIP endpoint (overlay) or the pod endpoint is missing.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "hcnCreateEndpoint failed in Win32: An address provided is invalid or reserved. (0x803b002f)",
            &[0x803b_002f],
            "hcnCreateEndpoint succeeded for 10.244.1.2",
        );
    }
}
