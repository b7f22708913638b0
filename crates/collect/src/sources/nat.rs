//! WinNAT: NAT instances, static mappings and sessions (not collected by CollectLogs; a frequent
//! cause of "nat network broken after reboot" and of port conflicts).

use crate::source::{secs, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// NAT sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "nat.instances",
        what: "Get-NetNat",
        via: Via::PowerShell("Get-NetNat | Format-List *"),
        timeout: secs(60),
        max_bytes: MIB,
        artefact: &artefacts::NAT_INSTANCES,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "nat.static_mappings",
        what: "Get-NetNatStaticMapping",
        via: Via::PowerShell("Get-NetNatStaticMapping | Format-List *"),
        timeout: secs(60),
        max_bytes: 8 * MIB,
        artefact: &artefacts::NAT_STATIC_MAPPINGS,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "nat.sessions",
        what: "Get-NetNatSession (count, then the last 20000 sessions)",
        // Not `Format-Table -AutoSize`, which holds every row until the end.
        via: Via::PowerShell(
            "$s = @(Get-NetNatSession); \"Sessions: $($s.Count)\"; $s | Select-Object -Last 20000 | Format-Table",
        ),
        timeout: secs(60),
        max_bytes: 16 * MIB,
        artefact: &artefacts::NAT_SESSIONS,
        ..SourceDef::DEFAULT
    },
];
