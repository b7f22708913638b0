//! DNS client: the Dnscache service parameters, configured DNS servers per interface and the
//! client cache (not in CollectLogs; SdnDiagnostics collects them).

use crate::source::{secs, Cmd, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// DNS sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "dns.client_registry",
        what: "Dnscache Parameters (negative caching, timeouts)",
        via: Via::Command(Cmd {
            program: "reg.exe",
            args: &[
                "query",
                r"HKLM\SYSTEM\CurrentControlSet\Services\Dnscache\Parameters",
            ],
        }),
        timeout: secs(15),
        max_bytes: MIB,
        artefact: &artefacts::DNS_CLIENT_REGISTRY,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "dns.servers",
        what: "Get-DnsClientServerAddress",
        via: Via::PowerShell("Get-DnsClientServerAddress | Format-Table -AutoSize"),
        timeout: secs(60),
        max_bytes: MIB,
        artefact: &artefacts::DNS_SERVERS,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "dns.cache",
        what: "ipconfig /displaydns (DNS client cache)",
        via: Via::Command(Cmd {
            program: "ipconfig.exe",
            args: &["/displaydns"],
        }),
        timeout: secs(60),
        max_bytes: 16 * MIB,
        artefact: &artefacts::DNS_CACHE,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
];
