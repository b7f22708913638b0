//! Packet Monitor, counters only: `pktmon counters --json` (per-component drop counters with
//! the most recent drop reason; no packet is logged, nothing is started) and the component map
//! `pktmon list --json` that gives those ids a meaning (ids change across reboots, so the map
//! is taken with every collection). Both always run where pktmon exists.
//!
//! The drops-only capture (`collect --drops <duration>`) is not a table entry: it starts and
//! stops a session of its own, so it runs after the table, in [`crate::drops`].

use crate::source::{secs, Cmd, Requirement, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// Packet Monitor sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "pktmon.counters",
        what: "Packet Monitor drop counters and last drop reason per component (pktmon counters --json)",
        via: Via::Command(Cmd {
            program: "pktmon.exe",
            args: &["counters", "--json"],
        }),
        timeout: secs(30),
        max_bytes: 8 * MIB,
        artefact: &artefacts::PKTMON_COUNTERS,
        requires: Some(Requirement::Pktmon),
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "pktmon.list",
        what: "Packet Monitor component map: adapters, filters, vSwitch ports with MAC and port name (pktmon list --json)",
        via: Via::Command(Cmd {
            program: "pktmon.exe",
            args: &["list", "--json"],
        }),
        timeout: secs(30),
        max_bytes: 8 * MIB,
        artefact: &artefacts::PKTMON_LIST,
        requires: Some(Requirement::Pktmon),
        ..SourceDef::DEFAULT
    },
];
