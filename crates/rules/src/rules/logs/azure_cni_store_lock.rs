//! `azure-cni-store-lock` — Azure CNI times out locking its state store.
//!
//! # What it finds
//! Azure CNI log lines about its store lock ("timed out locking store", `azure-vnet.json.lock`).
//!
//! # Why it matters
//! Azure CNI cannot read or write its state while another invocation holds (or leaked) the lock: pod sandboxes fail to get a network.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `azure-cni-store-lock`.
//!
//! # Applies to
//! Nodes with Azure CNI.
//!
//! # References
//! Domain facts (Azure CNI); KB entry azure-cni-store-lock.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "azure-cni-store-lock",
    title: "Azure CNI times out locking its state store",
    severity: Severity::Error,
    codes: &[],
    needles: &["timed out locking store", "azure-vnet.json.lock", "Failed to lock store"],
    context: &[],
    why: "Azure CNI cannot read or write its state while another invocation holds (or leaked) the lock: pod sandboxes fail to get a network.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "[cni-net] Failed to initialize key-value store of network plugin, err:timed out locking store.",
            &[],
            "[cni-net] Plugin started.",
        );
    }
}
