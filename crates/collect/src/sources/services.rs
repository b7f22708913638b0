//! Windows services: status of the container-networking services, `sc queryex` of everything,
//! and `sc qc` of the 16 networking/virtualisation services CollectLogs looked at.

use crate::source::{secs, Cmd, Parser, Source, Via, MIB};

const fn qc(name: &'static [&'static str]) -> Cmd {
    Cmd {
        program: "sc.exe",
        args: name,
    }
}

/// Service sources.
pub const SOURCES: &[Source] = &[
    Source {
        id: "services.status",
        what: "Get-Service of hns, vfpext, kubeproxy, tcpip, kubelet, containerd, docker, vmcompute",
        via: Via::PowerShell(
            "Get-Service -Name hns,vfpext,kubeproxy,kube-proxy,tcpip,kubelet,containerd,docker,vmcompute -ErrorAction SilentlyContinue | Format-Table -AutoSize Status,Name,DisplayName,StartType",
        ),
        timeout: secs(60),
        max_bytes: MIB,
        path: "services/services.txt",
        parser: Parser::Format("get-service"),
        legacy: &["windowsServices.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "services.queryex",
        what: "sc.exe queryex (every service: state, PID)",
        via: Via::Command(Cmd { program: "sc.exe", args: &["queryex"] }),
        timeout: secs(60),
        max_bytes: 8 * MIB,
        path: "services/scqueryex.txt",
        parser: Parser::Format("sc-queryex"),
        legacy: &["scqueryex.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "services.config",
        what: "sc.exe qc of 16 networking and virtualisation services",
        via: Via::Commands(&[
            qc(&["qc", "hns"]),
            qc(&["qc", "vfpext"]),
            qc(&["qc", "dnscache"]),
            qc(&["qc", "iphlpsvc"]),
            qc(&["qc", "BFE"]),
            qc(&["qc", "Dhcp"]),
            qc(&["qc", "hvsics"]),
            qc(&["qc", "NetSetupSvc"]),
            qc(&["qc", "mpssvc"]),
            qc(&["qc", "nvagent"]),
            qc(&["qc", "nsi"]),
            qc(&["qc", "vmcompute"]),
            qc(&["qc", "SharedAccess"]),
            qc(&["qc", "CmService"]),
            qc(&["qc", "vmms"]),
            qc(&["qc", "kubeproxy"]),
        ]),
        timeout: secs(90),
        max_bytes: 4 * MIB,
        path: "services/scqc.txt",
        parser: Parser::RawOnly("service start settings for people; states are parsed from sc queryex"),
        legacy: &["scqueryex.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
];
