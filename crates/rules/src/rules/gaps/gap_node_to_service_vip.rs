//! `gap-node-to-service-vip` — Service VIPs not reachable from the Windows node itself.
//!
//! # What it finds
//! The knowledge base's platform gap `gap-node-to-service-vip` is open (or of undocumented status, at low
//! confidence) on the host's build.
//!
//! # Why it matters
//! Processes on the node itself (not in pods) cannot reach services by their cluster IP; pods can.
//!
//! # Evidence used
//! OS build (`os-build`).
//!
//! # Fix
//! From the knowledge base entry `gap-node-to-service-vip` (workarounds; a newer release where the gap closed).
//!
//! # Applies to
//! Builds where the knowledge base lists the gap as open; see `hnsdoctor kb gaps`.
//!
//! # References
//! Domain facts §3; SDN-DIAG platform-gap list (2018).

use crate::known_issue::PlatformGap;

/// The rule.
pub const RULE: PlatformGap = PlatformGap {
    id: "gap-node-to-service-vip",
    title: "Service VIPs not reachable from the Windows node itself",
    why: "Processes on the node itself (not in pods) cannot reach services by their cluster IP; pods can.",
};
