//! `drops-vfp-extension-missing` — the vSwitch drops traffic because a required extension (VFP) is missing.
//!
//! # What it finds
//! Packet Monitor drops with reason `Drop_RequiredExtensionMissing`: from a drops-only capture (each drop's reason,
//! component and addresses) and, for components without captured drops, from `pktmon
//! counters` (count and most recent reason; medium confidence). Lists the top reasons with
//! counts and the pods hit (generic implementation: [`super::ByReason`]).
//!
//! # Why it matters
//! Without the VFP extension no HNS policy applies and container traffic stops.
//!
//! # Evidence used
//! `pktmon-drops` or `pktmon-counters`; the component map, HNS endpoints, load balancers and
//! pods, when read, to name the pods.
//!
//! # Fix
//! From the knowledge-base entry `drops-vfp-extension-missing`.
//!
//! # Applies to
//! Windows Server 2019 and later (Packet Monitor).
//!
//! # References
//! `pktmon counters`, `pktmon start --type drop` (learn.microsoft.com).

use super::ByReason;
use crate::packets::DropClass;
use crate::rules::prelude::*;

/// A required extension missing.
pub const RULE: ByReason = ByReason {
    id: "drops-vfp-extension-missing",
    title: "Packets dropped because a required vSwitch extension is missing",
    class: DropClass::ExtensionMissing,
    severity: Severity::Error,
    what: "because a required vSwitch extension (VFP) is missing",
    why: "The vSwitch drops traffic of ports that need an extension it does not have running: without the VFP extension no HNS policy (NAT, load balancing, ACLs) applies and container traffic stops.",
};
