//! `lb-too-many-backends` — HNS: too many load-balancer backends (0x57).
//!
//! # What it finds
//! "Unable to initialize VFP LB rule: invalid number of destinations" (with 0x57 / 0x80070057, "The parameter is incorrect"); 0x57 alone is too generic and is not matched.
//!
//! # Why it matters
//! VFP cannot build a non-DSR load-balancer rule with this many backends (65+), so the service is not programmed on this node.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `lb-too-many-backends`.
//!
//! # Applies to
//! WS2019 non-DSR load balancers with 65+ Windows backends.
//!
//! # References
//! Domain facts §2.2 L12; microsoft/Windows-Containers#93.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "lb-too-many-backends",
    title: "HNS: too many load-balancer backends (0x57)",
    severity: Severity::Error,
    codes: &[],
    needles: &["invalid number of destinations"],
    context: &[],
    why: "VFP cannot build a non-DSR load-balancer rule with this many backends (65+), so the service is not programmed on this node.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "hcnCreateLoadBalancer failed in Win32: The parameter is incorrect. (0x57) {\"Error\":\"The parameter is incorrect. Unable to initialize VFP LB rule: invalid number of destinations.\"}",
            &[0x8007_0057],
            "hcnCreateLoadBalancer failed in Win32: The parameter is incorrect. (0x57)",
        );
    }
}
