//! `lb-already-exists` — HNS: load balancer already exists (0xb7).
//!
//! # What it finds
//! Load-balancer creation failing with ERROR_ALREADY_EXISTS (0xb7 / 0x800700b7), "Cannot create a file when that file already exists"; the line must mention a load balancer or policy (0xb7 alone is too generic).
//!
//! # Why it matters
//! After an HNS restart HNS rehydrated the load balancer while kube-proxy believed it gone; kube-proxy's create fails and the service may not be updated.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `lb-already-exists`.
//!
//! # Applies to
//! All builds; fixed in kube-proxy by kubernetes/kubernetes#139503.
//!
//! # References
//! Domain facts §2.2 L13; kubernetes/kubernetes#139519.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "lb-already-exists",
    title: "HNS: load balancer already exists (0xb7)",
    severity: Severity::Error,
    codes: &[0x8007_00b7],
    needles: &["Cannot create a file when that file already exists"],
    context: &["loadbalancer", "load balancer", "policy"],
    why: "After an HNS restart HNS rehydrated the load balancer while kube-proxy believed it gone; kube-proxy's create fails and the service may not be updated.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "hcnCreateLoadBalancer failed in Win32: Cannot create a file when that file already exists. (0xb7)",
            &[0x8007_00b7],
            "CreateFile failed: Cannot create a file when that file already exists. (0xb7)",
        );
    }
}
