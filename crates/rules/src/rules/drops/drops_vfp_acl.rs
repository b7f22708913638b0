//! `drops-vfp-acl` — a VFP ACL rule (network policy) drops packets of a pod or at the host.
//!
//! # What it finds
//! Packet Monitor drops with reasons `VFP Rule Drop`, `Drop_Filtered`, `Drop_FailedSecurityPolicy`, `Drop_FailedPacketFilter`: from a drops-only capture (each drop's reason,
//! component and addresses) and, for components without captured drops, from `pktmon
//! counters` (count and most recent reason; medium confidence). Lists the top reasons with
//! counts and the pods hit (generic implementation: [`super::ByReason`]).
//!
//! # Why it matters
//! A Kubernetes NetworkPolicy, an HNS ACL policy on the endpoint or a stale VFP rule blocks traffic that may be meant to pass.
//!
//! # Evidence used
//! `pktmon-drops` or `pktmon-counters`; the component map, HNS endpoints, load balancers and
//! pods, when read, to name the pods.
//!
//! # Fix
//! From the knowledge-base entry `drops-vfp-acl`.
//!
//! # Applies to
//! Windows Server 2019 and later (Packet Monitor).
//!
//! # References
//! `pktmon counters`, `pktmon start --type drop` (learn.microsoft.com).

use super::ByReason;
use crate::packets::DropClass;
use crate::rules::prelude::*;

/// VFP rule / ACL drops (network policy).
pub const RULE: ByReason = ByReason {
    id: "drops-vfp-acl",
    title: "Packets dropped by a VFP rule (ACL / network policy)",
    class: DropClass::Acl,
    severity: Severity::Warning,
    what: "by a VFP rule (ACL / network policy)",
    why: "A VFP ACL drops this traffic: a Kubernetes NetworkPolicy, an HNS ACL policy on the endpoint or a stale rule blocks it. If the traffic should pass, the policy or the rule programmed from it is wrong.",
};
