//! Configuration, services, NAT and CNI.

pub mod cni_config_invalid_value;
pub mod cni_nat_config_conflict;
pub mod cni_runtime_mismatch;
pub mod management_ip_invalid;
pub mod nat_switch_private;
pub mod service_not_running;
pub mod vxlan_mtu;
pub mod winnat_preexisting_nat;
pub mod winnat_stale_static_mapping;
