//! VFP switch ports and their rules.

pub mod dsr_vfp_rules_missing;
pub mod vfp_port_blocked;
