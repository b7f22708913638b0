//! `gap-ipsec` — No IPsec encryption of container traffic.
//!
//! # What it finds
//! The knowledge base's platform gap `gap-ipsec` is open (or of undocumented status, at low
//! confidence) on the host's build.
//!
//! # Why it matters
//! Container traffic cannot be encrypted with IPsec by the platform; use application-level TLS.
//!
//! # Evidence used
//! OS build (`os-build`).
//!
//! # Fix
//! From the knowledge base entry `gap-ipsec` (workarounds; a newer release where the gap closed).
//!
//! # Applies to
//! Builds where the knowledge base lists the gap as open; see `hnsdoctor kb gaps`.
//!
//! # References
//! Domain facts §3; SDN-DIAG platform-gap list (2018).

use crate::known_issue::PlatformGap;

/// The rule.
pub const RULE: PlatformGap = PlatformGap {
    id: "gap-ipsec",
    title: "No IPsec encryption of container traffic",
    why: "Container traffic cannot be encrypted with IPsec by the platform; use application-level TLS.",
};
