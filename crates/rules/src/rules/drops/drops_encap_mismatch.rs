//! `drops-encap-mismatch` — packets dropped for an encapsulation mismatch (virtual subnet id, WNV, VXLAN).
//!
//! # What it finds
//! Packet Monitor drops with reasons `Drop_VirtualSubnetId`, `Drop_Wnv`, encapsulation failures: from a drops-only capture (each drop's reason,
//! component and addresses) and, for components without captured drops, from `pktmon
//! counters` (count and most recent reason; medium confidence). Lists the top reasons with
//! counts and the pods hit (generic implementation: [`super::ByReason`]).
//!
//! # Why it matters
//! Overlay traffic between nodes is lost when the VNI / VSID or encapsulation differ.
//!
//! # Evidence used
//! `pktmon-drops` or `pktmon-counters`; the component map, HNS endpoints, load balancers and
//! pods, when read, to name the pods.
//!
//! # Fix
//! From the knowledge-base entry `drops-encap-mismatch`.
//!
//! # Applies to
//! Windows Server 2019 and later (Packet Monitor).
//!
//! # References
//! `pktmon counters`, `pktmon start --type drop` (learn.microsoft.com).

use super::ByReason;
use crate::packets::DropClass;
use crate::rules::prelude::*;

/// Encapsulation mismatch drops.
pub const RULE: ByReason = ByReason {
    id: "drops-encap-mismatch",
    title: "Packets dropped for an encapsulation mismatch (VSID / VXLAN)",
    class: DropClass::Encap,
    severity: Severity::Error,
    what: "for an encapsulation mismatch (virtual subnet / VXLAN)",
    why: "The virtual subnet id (VNI) or encapsulation of the packets does not match what this node's network expects: overlay traffic between nodes is lost, usually after a network was recreated with another VNI or on nodes with different CNI settings.",
};
