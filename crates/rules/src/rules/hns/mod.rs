//! HNS object state: endpoints, load balancers, networks, namespaces and the HNS process.

pub mod apipa_management_ip;
pub mod clusterip_not_dsr;
pub mod dns_lb_missing;
pub mod endpoint_not_attached;
pub mod hns_api_unavailable;
pub mod hns_crash;
pub mod hns_deadlock;
pub mod lb_dangling_endpoint;
pub mod lb_mass_loss;
pub mod lb_policy_invalid_state;
pub mod pod_without_adapter;
pub mod stale_remote_endpoint;
