//! The IP stack: ipconfig for every compartment, addresses/interfaces/routes/neighbours for all
//! compartments, MTU, adapters (hidden included) with a per-adapter interface dump, and the
//! TCP/IP registry parameters.

use crate::source::{secs, Cmd, Parser, Source, Via, MIB};

/// IP stack sources.
pub const SOURCES: &[Source] = &[
    Source {
        id: "ip.ipconfig",
        what: "ipconfig /allcompartments /all",
        via: Via::Command(Cmd { program: "ipconfig.exe", args: &["/allcompartments", "/all"] }),
        timeout: secs(30),
        path: "net/ipconfig.txt",
        parser: Parser::Format("ipconfig"),
        legacy: &["ip.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.addresses",
        what: "Get-NetIPAddress -IncludeAllCompartments",
        via: Via::PowerShell("Get-NetIPAddress -IncludeAllCompartments | Format-Table -AutoSize"),
        timeout: secs(60),
        path: "net/netipaddress.txt",
        parser: Parser::RawOnly("addresses per compartment are parsed from ipconfig"),
        legacy: &["ip.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.interfaces",
        what: "Get-NetIPInterface -IncludeAllCompartments (forwarding, MTU, metric per compartment)",
        via: Via::PowerShell("Get-NetIPInterface -IncludeAllCompartments | Format-Table -AutoSize"),
        timeout: secs(60),
        path: "net/netipinterface.txt",
        parser: Parser::RawOnly("interface table for people; MTU is parsed from mtu.txt"),
        legacy: &["ip.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.route_print",
        what: "route print",
        via: Via::Command(Cmd { program: "route.exe", args: &["print"] }),
        timeout: secs(30),
        path: "net/route-print.txt",
        parser: Parser::Format("route-print"),
        legacy: &["routes.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.routes",
        what: "Get-NetRoute -IncludeAllCompartments",
        via: Via::PowerShell("Get-NetRoute -IncludeAllCompartments | Format-Table -AutoSize"),
        timeout: secs(60),
        path: "net/netroute.txt",
        parser: Parser::Format("get-netroute"),
        legacy: &["routes.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.mtu",
        what: "netsh int ipv4 sh int (MTU per interface)",
        via: Via::Command(Cmd { program: "netsh.exe", args: &["int", "ipv4", "sh", "int"] }),
        timeout: secs(30),
        path: "net/mtu.txt",
        parser: Parser::Format("netsh-interfaces"),
        legacy: &["mtu.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.arp",
        what: "arp -a",
        via: Via::Command(Cmd { program: "arp.exe", args: &["-a"] }),
        timeout: secs(30),
        path: "net/arp.txt",
        parser: Parser::Format("arp"),
        legacy: &["arp.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.neighbors",
        what: "Get-NetNeighbor -IncludeAllCompartments",
        via: Via::PowerShell("Get-NetNeighbor -IncludeAllCompartments | Format-Table -AutoSize"),
        timeout: secs(60),
        path: "net/netneighbor.txt",
        parser: Parser::RawOnly("neighbour facts are parsed from arp -a"),
        legacy: &["arp.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.adapters",
        what: "Get-NetAdapter -IncludeHidden (all properties)",
        via: Via::PowerShell("Get-NetAdapter -IncludeHidden | Format-List *"),
        timeout: secs(60),
        path: "net/netadapter.txt",
        parser: Parser::Format("get-netadapter"),
        legacy: &["netadapter.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.adapter_interfaces",
        what: "per adapter: netsh int ipv4 sh int <ifIndex> and its properties, one process",
        via: Via::PowerShell(
            "Get-NetAdapter -IncludeHidden | ForEach-Object { \"==== $($_.Name) (ifIndex $($_.ifIndex)) ====\"; netsh int ipv4 sh int $_.ifIndex; $_ | Format-List * }",
        ),
        timeout: secs(120),
        max_bytes: 32 * MIB,
        path: "net/adapter-interfaces.txt",
        parser: Parser::RawOnly("per-adapter detail for people; MTU and adapters are parsed from mtu.txt and netadapter.txt"),
        legacy: &[r"adapters\*_int.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.tcpip_registry",
        what: "Tcpip Parameters (reg query)",
        via: Via::Command(Cmd {
            program: "reg.exe",
            args: &["query", r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters"],
        }),
        timeout: secs(15),
        max_bytes: 4 * MIB,
        path: "registry/tcpip.txt",
        parser: Parser::RawOnly("TCP/IP v4 parameters for people; no rule reads them yet"),
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "ip.tcpip6_registry",
        what: "Tcpip6 Parameters (DisabledComponents: IPv6 preference/disablement)",
        via: Via::Command(Cmd {
            program: "reg.exe",
            args: &["query", r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters"],
        }),
        timeout: secs(15),
        max_bytes: MIB,
        path: "registry/tcpip6.txt",
        parser: Parser::Format("reg-query-netparams"),
        admin_required: false,
        ..Source::DEFAULT
    },
];
