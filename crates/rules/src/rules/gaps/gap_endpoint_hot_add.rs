//! `gap-endpoint-hot-add` — Endpoints cannot be hot-added to running Hyper-V containers.
//!
//! # What it finds
//! The knowledge base's platform gap `gap-endpoint-hot-add` is open (or of undocumented status, at low
//! confidence) on the host's build.
//!
//! # Why it matters
//! On builds with this gap a network endpoint cannot be attached to a running Hyper-V isolated container.
//!
//! # Evidence used
//! OS build (`os-build`).
//!
//! # Fix
//! From the knowledge base entry `gap-endpoint-hot-add` (workarounds; a newer release where the gap closed).
//!
//! # Applies to
//! Builds where the knowledge base lists the gap as open; see `hnsdoctor kb gaps`.
//!
//! # References
//! Domain facts §3; SDN-DIAG platform-gap list (2018).

use crate::known_issue::PlatformGap;

/// The rule.
pub const RULE: PlatformGap = PlatformGap {
    id: "gap-endpoint-hot-add",
    title: "Endpoints cannot be hot-added to running Hyper-V containers",
    why: "On builds with this gap a network endpoint cannot be attached to a running Hyper-V isolated container.",
};
