//! `hcn-request-invalid` — HCN rejected a request as invalid.
//!
//! # What it finds
//! HCN "invalid" errors: network, network type, endpoint, policy, policy type, JSON, JSON reference, IP outside subnets, internal port, prefix/subnet (0x803b000a-000e, 0019-001c, 001e, 002d, 0030, 0032, 0033).
//!
//! # Why it matters
//! The caller (kube-proxy, CNI) sent HNS a request it rejects — wrong network type, policy, JSON, IP outside the subnets — usually a version mismatch or bad configuration; the object was not created.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `hcn-request-invalid`.
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Domain facts §4.6.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "hcn-request-invalid",
    title: "HCN rejected a request as invalid",
    severity: Severity::Error,
    codes: &[0x803b_000a, 0x803b_000b, 0x803b_000c, 0x803b_000d, 0x803b_000e, 0x803b_0019, 0x803b_001a, 0x803b_001b, 0x803b_001c, 0x803b_001e, 0x803b_002d, 0x803b_0030, 0x803b_0032, 0x803b_0033],
    needles: &[],
    context: &[],
    why: "The caller (kube-proxy, CNI) sent HNS a request it rejects — wrong network type, policy, JSON, IP outside the subnets — usually a version mismatch or bad configuration; the object was not created.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "hcnCreateEndpoint failed in Win32: The specified IP is outside the configured subnets. (0x803b001e)",
            &[0x803b_001e],
            "hcnCreateEndpoint ok",
        );
    }
}
