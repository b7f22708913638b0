//! The collector's one table: every subsystem's `SOURCES`, in run order, plus the time budget of
//! each subsystem. To add a source: add an entry to the subsystem's file (or a new file listed
//! in [`TABLES`]); the conformance tests check the rest.

pub mod containers;
pub mod dns;
pub mod events;
pub mod firewall;
pub mod hns;
pub mod ip;
pub mod k8s;
pub mod nat;
pub mod os;
pub mod pktmon;
pub mod ports;
pub mod services;
pub mod vfp;

use crate::source::{secs, SourceDef};
use std::time::Duration;

/// Every subsystem's table, in the order sources are started (quick, high-value ones first).
pub const TABLES: &[&[SourceDef]] = &[
    os::SOURCES,
    hns::SOURCES,
    ip::SOURCES,
    ports::SOURCES,
    services::SOURCES,
    nat::SOURCES,
    dns::SOURCES,
    containers::SOURCES,
    vfp::SOURCES,
    pktmon::SOURCES,
    k8s::SOURCES,
    firewall::SOURCES,
    events::SOURCES,
];

/// Wall-time budget per subsystem, counted from the start of its first source: a source that
/// would start later is skipped, a running one gets at most what is left.
pub const BUDGETS: &[(&str, Duration)] = &[
    ("hns", secs(180)),
    ("vfp", secs(360)),
    ("ip", secs(180)),
    ("events", secs(300)),
    ("firewall", secs(300)),
    ("k8s", secs(240)),
    ("os", secs(300)),
];

/// Every source, in run order.
#[must_use]
pub fn all() -> Vec<&'static SourceDef> {
    TABLES.iter().flat_map(|t| t.iter()).collect()
}

/// A source by id.
#[must_use]
pub fn by_id(id: &str) -> Option<&'static SourceDef> {
    TABLES.iter().flat_map(|t| t.iter()).find(|s| s.id == id)
}

/// The budget of a subsystem, if it has one.
#[must_use]
pub fn budget(subsystem: &str) -> Option<Duration> {
    BUDGETS
        .iter()
        .find(|(s, _)| *s == subsystem)
        .map(|(_, d)| *d)
}
