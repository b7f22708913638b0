//! HNS object state: endpoints, load balancers, networks and the HNS process.

pub mod apipa_management_ip;
pub mod endpoint_not_attached;
pub mod lb_policy_invalid_state;
