//! Windows event logs: only the last `--since` hours (default 24) of the channels that matter,
//! rendered as XML with `wevtutil qe <channel> /q:<time filter> /rd:true /f:xml /uni:true
//! /e:Events` ([`hnsdoctor_host::events_request`]): newest first, so the size cap (the head is
//! kept) and a timeout (the partial output is kept) both keep the newest events; UTF-16 so event
//! data is not squeezed through the console code page. CollectLogs copied whole `.evtx` files of
//! unbounded size.

use crate::source::{secs, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// Event-log sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "events.system",
        what: "System log (Service Control Manager: service crashes and restarts)",
        via: Via::Events("System"),
        timeout: secs(120),
        max_bytes: 256 * MIB,
        artefact: &artefacts::EVENTS_SYSTEM,
        legacy: &[r"winevt\System.evtx"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "events.application",
        what: "Application log",
        via: Via::Events("Application"),
        timeout: secs(120),
        max_bytes: 256 * MIB,
        artefact: &artefacts::EVENTS_APPLICATION,
        legacy: &[r"winevt\Application.evtx"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "events.hns_admin",
        what: "Host-Network-Service Admin",
        via: Via::Events("Microsoft-Windows-Host-Network-Service-Admin"),
        timeout: secs(120),
        max_bytes: 128 * MIB,
        artefact: &artefacts::EVENTS_HNS_ADMIN,
        legacy: &[r"winevt\Microsoft-Windows-Host-Network-Service*.evtx"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "events.hns_operational",
        what: "Host-Network-Service Operational",
        via: Via::Events("Microsoft-Windows-Host-Network-Service-Operational"),
        timeout: secs(120),
        max_bytes: 128 * MIB,
        artefact: &artefacts::EVENTS_HNS_OPERATIONAL,
        legacy: &[r"winevt\Microsoft-Windows-Host-Network-Service*.evtx"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "events.compute_admin",
        what: "Hyper-V-Compute Admin (HCS)",
        via: Via::Events("Microsoft-Windows-Hyper-V-Compute-Admin"),
        timeout: secs(120),
        max_bytes: 128 * MIB,
        artefact: &artefacts::EVENTS_COMPUTE_ADMIN,
        legacy: &[r"winevt\Microsoft-Windows-Hyper-V*.evtx"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "events.compute_operational",
        what: "Hyper-V-Compute Operational (HCS)",
        via: Via::Events("Microsoft-Windows-Hyper-V-Compute-Operational"),
        timeout: secs(120),
        max_bytes: 128 * MIB,
        artefact: &artefacts::EVENTS_COMPUTE_OPERATIONAL,
        legacy: &[r"winevt\Microsoft-Windows-Hyper-V*.evtx"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "events.vmswitch",
        what: "Hyper-V-VmSwitch Operational",
        via: Via::Events("Microsoft-Windows-Hyper-V-VmSwitch-Operational"),
        timeout: secs(120),
        max_bytes: 128 * MIB,
        artefact: &artefacts::EVENTS_VMSWITCH,
        legacy: &[r"winevt\Microsoft-Windows-Hyper-V*.evtx"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "events.worker",
        what: "Hyper-V-Worker Admin",
        via: Via::Events("Microsoft-Windows-Hyper-V-Worker-Admin"),
        timeout: secs(120),
        max_bytes: 128 * MIB,
        artefact: &artefacts::EVENTS_WORKER,
        legacy: &[r"winevt\Microsoft-Windows-Hyper-V*.evtx"],
        ..SourceDef::DEFAULT
    },
];
