//! `drops-mac-spoofing` — frames dropped because their source MAC is not allowed on the port.
//!
//! # What it finds
//! Packet Monitor drops with reasons `Drop_MacSpoofing`, `Drop_UnauthorizedMAC`, `Drop_InvalidSourceMac`, `Drop_MacGuard`: from a drops-only capture (each drop's reason,
//! component and addresses) and, for components without captured drops, from `pktmon
//! counters` (count and most recent reason; medium confidence). Lists the top reasons with
//! counts and the pods hit (generic implementation: [`super::ByReason`]).
//!
//! # Why it matters
//! A workload that forwards with another MAC, or an endpoint with the wrong MAC, loses its traffic.
//!
//! # Evidence used
//! `pktmon-drops` or `pktmon-counters`; the component map, HNS endpoints, load balancers and
//! pods, when read, to name the pods.
//!
//! # Fix
//! From the knowledge-base entry `drops-mac-spoofing`.
//!
//! # Applies to
//! Windows Server 2019 and later (Packet Monitor).
//!
//! # References
//! `pktmon counters`, `pktmon start --type drop` (learn.microsoft.com).

use super::ByReason;
use crate::packets::DropClass;
use crate::rules::prelude::*;

/// MAC spoofing drops.
pub const RULE: ByReason = ByReason {
    id: "drops-mac-spoofing",
    title: "Packets dropped as MAC spoofing",
    class: DropClass::MacSpoofing,
    severity: Severity::Warning,
    what: "as MAC spoofing (source MAC not allowed on the port)",
    why: "The vSwitch drops frames whose source MAC is not the port's own: a pod or VM that bridges, bonds or routes with another MAC needs MAC spoofing allowed, or its endpoint carries the wrong MAC.",
};
