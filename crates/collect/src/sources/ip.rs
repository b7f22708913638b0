//! The IP stack: ipconfig for every compartment, addresses/interfaces/routes/neighbours for all
//! compartments, MTU, adapters (hidden included) with a per-adapter interface dump, and the
//! TCP/IP registry parameters.

use crate::source::{secs, Cmd, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// IP stack sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "ip.ipconfig",
        what: "ipconfig /allcompartments /all",
        via: Via::Command(Cmd { program: "ipconfig.exe", args: &["/allcompartments", "/all"] }),
        timeout: secs(30),
        artefact: &artefacts::IP_IPCONFIG,
        legacy: &["ip.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.addresses",
        what: "Get-NetIPAddress -IncludeAllCompartments",
        via: Via::PowerShell("Get-NetIPAddress -IncludeAllCompartments | Format-Table -AutoSize"),
        timeout: secs(60),
        artefact: &artefacts::IP_ADDRESSES,
        legacy: &["ip.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.interfaces",
        what: "Get-NetIPInterface -IncludeAllCompartments (forwarding, MTU, metric per compartment)",
        via: Via::PowerShell("Get-NetIPInterface -IncludeAllCompartments | Format-Table -AutoSize"),
        timeout: secs(60),
        artefact: &artefacts::IP_INTERFACES,
        legacy: &["ip.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.route_print",
        what: "route print",
        via: Via::Command(Cmd { program: "route.exe", args: &["print"] }),
        timeout: secs(30),
        artefact: &artefacts::IP_ROUTE_PRINT,
        legacy: &["routes.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.routes",
        what: "Get-NetRoute -IncludeAllCompartments",
        via: Via::PowerShell("Get-NetRoute -IncludeAllCompartments | Format-Table -AutoSize"),
        timeout: secs(60),
        artefact: &artefacts::IP_ROUTES,
        legacy: &["routes.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.mtu",
        what: "netsh int ipv4 sh int (MTU per interface)",
        via: Via::Command(Cmd { program: "netsh.exe", args: &["int", "ipv4", "sh", "int"] }),
        timeout: secs(30),
        artefact: &artefacts::IP_MTU,
        legacy: &["mtu.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.arp",
        what: "arp -a",
        via: Via::Command(Cmd { program: "arp.exe", args: &["-a"] }),
        timeout: secs(30),
        artefact: &artefacts::IP_ARP,
        legacy: &["arp.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.neighbors",
        what: "Get-NetNeighbor -IncludeAllCompartments",
        via: Via::PowerShell("Get-NetNeighbor -IncludeAllCompartments | Format-Table -AutoSize"),
        timeout: secs(60),
        artefact: &artefacts::IP_NEIGHBORS,
        legacy: &["arp.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.adapters",
        what: "Get-NetAdapter -IncludeHidden (all properties)",
        via: Via::PowerShell("Get-NetAdapter -IncludeHidden | Format-List *"),
        timeout: secs(60),
        artefact: &artefacts::IP_ADAPTERS,
        legacy: &["netadapter.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.adapter_interfaces",
        what: "per adapter: netsh int ipv4 sh int <ifIndex> and its properties, one process",
        via: Via::PowerShell(
            "Get-NetAdapter -IncludeHidden | ForEach-Object { \"==== $($_.Name) (ifIndex $($_.ifIndex)) ====\"; netsh int ipv4 sh int $_.ifIndex; $_ | Format-List * }",
        ),
        timeout: secs(120),
        max_bytes: 32 * MIB,
        artefact: &artefacts::IP_ADAPTER_INTERFACES,
        legacy: &[r"adapters\*_int.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.tcpip_registry",
        what: "Tcpip Parameters (reg query)",
        via: Via::Command(Cmd {
            program: "reg.exe",
            args: &["query", r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters"],
        }),
        timeout: secs(15),
        max_bytes: 4 * MIB,
        artefact: &artefacts::IP_TCPIP_REGISTRY,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "ip.tcpip6_registry",
        what: "Tcpip6 Parameters (DisabledComponents: IPv6 preference/disablement)",
        via: Via::Command(Cmd {
            program: "reg.exe",
            args: &["query", r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters"],
        }),
        timeout: secs(15),
        max_bytes: MIB,
        artefact: &artefacts::IP_TCPIP6_REGISTRY,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
];
