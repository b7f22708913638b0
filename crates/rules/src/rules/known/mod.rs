//! Known issues and regressions keyed by build / UBR / hotfix (from the knowledge base).

pub mod dns_blackout_15min;
pub mod dns_negative_cache;
pub mod docker_slow_start_hnsdata;
pub mod ltsc2019_dns_2023_09;
pub mod netns_cleanup_on_crash;
pub mod nodeport_from_node;
pub mod os_outdated;
pub mod outbound_lost_after_restart;
pub mod overlay_hotfix_missing;
pub mod service_vip_unreachable;
pub mod vfp_decap_regression;
pub mod winnat_port_collision;
pub mod ws2019_container_dns_loss;
pub mod ws2022_dns_2025_07;
pub mod ws2022_dsr_l2bridge;
pub mod ws2022_pod_network_regression;
