//! `switch-port-not-found` — HNS: switch port not found (0x803b0007).
//!
//! # What it finds
//! Log lines with HCN_E_PORT_NOT_FOUND (0x803b0007, decimal 2151350279), "The switch-port was not found".
//!
//! # Why it matters
//! The endpoint's vSwitch port is gone while HNS still holds the endpoint: operations on it (remote endpoint creation, policy updates) fail until the stale state is cleaned up.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `switch-port-not-found`.
//!
//! # Applies to
//! All builds (seen from 1709 on).
//!
//! # References
//! Domain facts §2.2 L13, §4.6; microsoft/hcsshim#1043; kubernetes/kubernetes#62029.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "switch-port-not-found",
    title: "HNS: switch port not found (0x803b0007)",
    severity: Severity::Error,
    codes: &[0x803b_0007],
    needles: &["The switch-port was not found"],
    context: &[],
    why: "The endpoint's vSwitch port is gone while HNS still holds the endpoint: operations on it (remote endpoint creation, policy updates) fail until the stale state is cleaned up.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "Remote endpoint creation failed: HNS failed with error : The switch-port was not found.",
            &[],
            "Remote endpoint created",
        );
    }
}
