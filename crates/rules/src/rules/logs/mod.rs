//! Error signatures in logs and pasted errors (HRESULTs, HCN codes, kube-proxy / CNI messages).

pub mod azure_cni_store_lock;
pub mod dns_resolution_failing;
pub mod dsr_unsupported;
pub mod hcn_request_invalid;
pub mod hns_address_reserved;
pub mod hns_data_incompatible;
pub mod hns_network_not_found;
pub mod hns_object_missing;
pub mod hns_operation_failed;
pub mod hns_v2_required;
pub mod ipv6_disabled;
pub mod kube_proxy_crash;
pub mod kube_proxy_start_failure;
pub mod lb_already_exists;
pub mod lb_too_many_backends;
pub mod switch_port_not_found;
