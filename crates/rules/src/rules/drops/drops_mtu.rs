//! `drops-mtu` — packets dropped for size: MTU mismatch, frame too long, don't-fragment exceeded, fragments.
//!
//! # What it finds
//! Packet Monitor drops with reasons `Drop_MTUMismatch`, `MTU Mismatch`, `Drop_FrameTooLong`, `Drop_NL_DontFragmentMtuExceeded`: from a drops-only capture (each drop's reason,
//! component and addresses) and, for components without captured drops, from `pktmon
//! counters` (count and most recent reason; medium confidence). Lists the top reasons with
//! counts and the pods hit (generic implementation: [`super::ByReason`]).
//!
//! # Why it matters
//! With VXLAN the pod MTU must leave room for the encapsulation overhead; otherwise large transfers stall while small requests work.
//!
//! # Evidence used
//! `pktmon-drops` or `pktmon-counters`; the component map, HNS endpoints, load balancers and
//! pods, when read, to name the pods.
//!
//! # Fix
//! From the knowledge-base entry `drops-mtu`.
//!
//! # Applies to
//! Windows Server 2019 and later (Packet Monitor).
//!
//! # References
//! `pktmon counters`, `pktmon start --type drop` (learn.microsoft.com).

use super::ByReason;
use crate::packets::DropClass;
use crate::rules::prelude::*;

/// MTU / fragment drops.
pub const RULE: ByReason = ByReason {
    id: "drops-mtu",
    title: "Packets dropped for size (MTU / fragments)",
    class: DropClass::Mtu,
    severity: Severity::Error,
    what: "for size (MTU / fragments)",
    why: "Packets larger than the path allows are dropped: with VXLAN the pod MTU must leave room for the encapsulation overhead (50 bytes), or large transfers stall while small requests work.",
};
