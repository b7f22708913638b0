//! `hns-data-incompatible` — HNS: stale HNS.data (wrong diskette, 0x22).
//!
//! # What it finds
//! "hnsCall failed in Win32: The wrong diskette is in the drive. (0x22)" (0x80070022).
//!
//! # Why it matters
//! HNS objects persisted by an older HNS version are incompatible with the running one; creating or loading networks fails until HNS.data is cleaned up.
//!
//! # Evidence used
//! Any log (kube-proxy, kubelet, runtime, CNI, HNS events, pasted text): error codes as
//! normalised by the parsers, and message text (case-insensitive).
//!
//! # Fix
//! From the knowledge base entry `hns-data-incompatible`.
//!
//! # Applies to
//! WS2019 and earlier (HNS.data persistence), after an update or manual edits.
//!
//! # References
//! Domain facts §2.2 L1.

use crate::finding::Severity;
use crate::signature::Signature;

/// The rule.
pub const RULE: Signature = Signature {
    id: "hns-data-incompatible",
    title: "HNS: stale HNS.data (wrong diskette, 0x22)",
    severity: Severity::Error,
    codes: &[0x8007_0022],
    needles: &["The wrong diskette is in the drive"],
    context: &[],
    why: "HNS objects persisted by an older HNS version are incompatible with the running one; creating or loading networks fails until HNS.data is cleaned up.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn fires_quiet_and_not_evaluated() {
        signature_cases(
            &RULE,
            "hnsCall failed in Win32: The wrong diskette is in the drive. (0x22)",
            &[0x8007_0022],
            "hnsCall succeeded",
        );
    }
}
