//! Ports: excluded and dynamic port ranges (TCP and UDP in one file each, as CollectLogs wrote
//! them), TCP connections and listeners. CollectLogs' active probe `portReservationTest.ps1`
//! (which consumes reservations) is deliberately not repeated: HNS port pools and the ranges
//! answer the same question read-only.

use crate::source::{secs, Cmd, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// Port sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "ports.excluded",
        what: "excluded port ranges, TCP then UDP (netsh int ipv4 sh excludedportrange)",
        via: Via::Commands(&[
            Cmd {
                program: "netsh.exe",
                args: &["int", "ipv4", "sh", "excludedportrange", "tcp"],
            },
            Cmd {
                program: "netsh.exe",
                args: &["int", "ipv4", "sh", "excludedportrange", "udp"],
            },
        ]),
        timeout: secs(30),
        max_bytes: 4 * MIB,
        artefact: &artefacts::PORTS_EXCLUDED,
        legacy: &["excludedportrange.txt", "reservedports.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ports.dynamic",
        what: "dynamic port ranges, TCP then UDP (netsh int ipv4 sh dynamicportrange)",
        via: Via::Commands(&[
            Cmd {
                program: "netsh.exe",
                args: &["int", "ipv4", "sh", "dynamicportrange", "tcp"],
            },
            Cmd {
                program: "netsh.exe",
                args: &["int", "ipv4", "sh", "dynamicportrange", "udp"],
            },
        ]),
        timeout: secs(30),
        max_bytes: MIB,
        artefact: &artefacts::PORTS_DYNAMIC,
        legacy: &["dynamicportrange.txt", "reservedports.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ports.tcpconnections",
        what: "netsh int ipv4 sh tcpconnections",
        via: Via::Command(Cmd {
            program: "netsh.exe",
            args: &["int", "ipv4", "sh", "tcpconnections"],
        }),
        timeout: secs(60),
        max_bytes: 32 * MIB,
        artefact: &artefacts::PORTS_TCPCONNECTIONS,
        legacy: &["tcpconnections.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ports.netstat",
        what: "netstat -ano (listeners and connections with owning PIDs)",
        via: Via::Command(Cmd {
            program: "netstat.exe",
            args: &["-ano"],
        }),
        timeout: secs(60),
        max_bytes: 32 * MIB,
        artefact: &artefacts::PORTS_NETSTAT,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
];
