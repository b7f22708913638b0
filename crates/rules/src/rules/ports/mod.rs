//! Ports: dynamic ranges, exclusions, listeners, HNS port pools, `--port`.

pub mod dynamic_port_range_misconfigured;
pub mod port_already_exists;
pub mod port_check;
pub mod port_pool_exhaustion;
pub mod port_reservation_conflict;
