//! Platform gaps of the host's build (from the knowledge base).

pub mod gap_dnsrr;
pub mod gap_endpoint_hot_add;
pub mod gap_http_proxy;
pub mod gap_ipsec;
pub mod gap_node_to_service_vip;
