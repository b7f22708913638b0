//! `hns-object-missing` — HNS: an object the request needs does not exist.
//!
//! # What it finds
//! HCN "not found" errors other than network (0x803b0001) and switch port (0x803b0007): endpoint, layer, switch, subnet, adapter, policy, VFP port setting (0x803b0002-0006, 0008, 0009).
//!
//! # Why it matters
//! HNS refused the call because an endpoint, layer, switch, subnet, adapter, policy or VFP port setting it refers to is gone: HNS state and the caller's view have drifted apart.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `hns-object-missing`.
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
    id: "hns-object-missing",
    title: "HNS: an object the request needs does not exist",
    severity: Severity::Error,
    codes: &[0x803b_0002, 0x803b_0003, 0x803b_0004, 0x803b_0005, 0x803b_0006, 0x803b_0008, 0x803b_0009],
    needles: &[],
    context: &[],
    why: "HNS refused the call because an endpoint, layer, switch, subnet, adapter, policy or VFP port setting it refers to is gone: HNS state and the caller's view have drifted apart.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "hcnOpenEndpoint failed in Win32: The endpoint was not found. (0x803b0002)",
            &[0x803b_0002],
            "hcnOpenEndpoint ok",
        );
    }
}
