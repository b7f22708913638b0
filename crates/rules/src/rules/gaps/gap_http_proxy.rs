//! `gap-http-proxy` — HTTP proxy support for containers.
//!
//! # What it finds
//! The knowledge base's platform gap `gap-http-proxy` is open (or of undocumented status, at low
//! confidence) on the host's build.
//!
//! # Why it matters
//! On builds with this gap, containers cannot be given an HTTP proxy by the platform.
//!
//! # Evidence used
//! OS build (`os-build`).
//!
//! # Fix
//! From the knowledge base entry `gap-http-proxy` (workarounds; a newer release where the gap closed).
//!
//! # Applies to
//! Builds where the knowledge base lists the gap as open; see `hnsdoctor kb gaps`.
//!
//! # References
//! Domain facts §3; SDN-DIAG platform-gap list (2018).

use crate::known_issue::PlatformGap;

/// The rule.
pub const RULE: PlatformGap = PlatformGap {
    id: "gap-http-proxy",
    title: "HTTP proxy support for containers",
    why: "On builds with this gap, containers cannot be given an HTTP proxy by the platform.",
};
