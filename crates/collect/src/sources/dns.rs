//! DNS client: the Dnscache service parameters, configured DNS servers per interface and the
//! client cache (not in CollectLogs; SdnDiagnostics collects them).

use crate::source::{secs, Cmd, Parser, Source, Via, MIB};

/// DNS sources.
pub const SOURCES: &[Source] = &[
    Source {
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
        path: "registry/dnscache.txt",
        parser: Parser::Format("reg-query-netparams"),
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "dns.servers",
        what: "Get-DnsClientServerAddress",
        via: Via::PowerShell("Get-DnsClientServerAddress | Format-Table -AutoSize"),
        timeout: secs(60),
        max_bytes: MIB,
        path: "net/dns-servers.txt",
        parser: Parser::RawOnly("DNS servers per interface are parsed from ipconfig"),
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "dns.cache",
        what: "ipconfig /displaydns (DNS client cache)",
        via: Via::Command(Cmd {
            program: "ipconfig.exe",
            args: &["/displaydns"],
        }),
        timeout: secs(60),
        max_bytes: 16 * MIB,
        path: "net/displaydns.txt",
        parser: Parser::RawOnly("cache listing for people"),
        admin_required: false,
        ..Source::DEFAULT
    },
];
