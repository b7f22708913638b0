//! WinNAT: NAT instances, static mappings and sessions (not collected by CollectLogs; a frequent
//! cause of "nat network broken after reboot" and of port conflicts).

use crate::source::{secs, Parser, Source, Via, MIB};

/// NAT sources.
pub const SOURCES: &[Source] = &[
    Source {
        id: "nat.instances",
        what: "Get-NetNat",
        via: Via::PowerShell("Get-NetNat | Format-List *"),
        timeout: secs(60),
        max_bytes: MIB,
        path: "nat/netnat.txt",
        parser: Parser::Format("get-netnat"),
        ..Source::DEFAULT
    },
    Source {
        id: "nat.static_mappings",
        what: "Get-NetNatStaticMapping",
        via: Via::PowerShell("Get-NetNatStaticMapping | Format-List *"),
        timeout: secs(60),
        max_bytes: 8 * MIB,
        path: "nat/static-mappings.txt",
        parser: Parser::Format("get-netnatstaticmapping"),
        ..Source::DEFAULT
    },
    Source {
        id: "nat.sessions",
        what: "Get-NetNatSession (count, then the last 20000 sessions)",
        // Not `Format-Table -AutoSize`, which holds every row until the end.
        via: Via::PowerShell(
            "$s = @(Get-NetNatSession); \"Sessions: $($s.Count)\"; $s | Select-Object -Last 20000 | Format-Table",
        ),
        timeout: secs(60),
        max_bytes: 16 * MIB,
        path: "nat/sessions.txt",
        parser: Parser::RawOnly("session table for people"),
        ..Source::DEFAULT
    },
];
