//! `gap-dnsrr` — DNS round-robin load balancing not supported.
//!
//! # What it finds
//! The knowledge base's platform gap `gap-dnsrr` is open (or of undocumented status, at low
//! confidence) on the host's build.
//!
//! # Why it matters
//! Balancing across pods or services with DNS round-robin is not available to Kubernetes on Windows; service load balancing goes through kube-proxy's VFP load balancers.
//!
//! # Evidence used
//! OS build (`os-build`).
//!
//! # Fix
//! From the knowledge base entry `gap-dnsrr` (workarounds; a newer release where the gap closed).
//!
//! # Applies to
//! Builds where the knowledge base lists the gap as open; see `hnsdoctor kb gaps`.
//!
//! # References
//! Domain facts §3; SDN-DIAG platform-gap list (2018).

use crate::known_issue::PlatformGap;

/// The rule.
pub const RULE: PlatformGap = PlatformGap {
    id: "gap-dnsrr",
    title: "DNS round-robin load balancing not supported",
    why: "Balancing across pods or services with DNS round-robin is not available to Kubernetes on Windows; service load balancing goes through kube-proxy's VFP load balancers.",
};
