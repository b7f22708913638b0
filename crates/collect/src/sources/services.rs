//! Windows services: status of the container-networking services, `sc queryex` of every
//! service in every state (`type= service state= all`: without it sc lists only running
//! services and a stopped `hns` looks "not installed"), and `sc qc` of the 16
//! networking/virtualisation services CollectLogs looked at (the two Hyper-V ones separately:
//! absent by design on a container-only host).

use crate::source::{secs, Cmd, Requirement, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

const fn qc(name: &'static [&'static str]) -> Cmd {
    Cmd {
        program: "sc.exe",
        args: name,
    }
}

/// Service sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "services.status",
        what: "Get-Service of hns, vfpext, kubeproxy, tcpip, kubelet, containerd, docker, vmcompute",
        via: Via::PowerShell(
            // Filtered rather than `-Name a,b,…`: a name that is not installed (a node has either
            // `kubeproxy` or `kube-proxy`, rarely `docker`) is an error even with
            // -ErrorAction SilentlyContinue, which makes powershell exit 1 on every node.
            "Get-Service | Where-Object { @('hns','vfpext','kubeproxy','kube-proxy','tcpip','kubelet','containerd','docker','vmcompute') -contains $_.Name } | Format-Table -AutoSize Status,Name,DisplayName,StartType",
        ),
        timeout: secs(60),
        max_bytes: MIB,
        artefact: &artefacts::SERVICES_STATUS,
        legacy: &["windowsServices.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "services.queryex",
        what: "sc.exe queryex type= service state= all (every service, running or not: state, PID)",
        via: Via::Command(Cmd {
            program: "sc.exe",
            args: &["queryex", "type=", "service", "state=", "all"],
        }),
        timeout: secs(60),
        max_bytes: 8 * MIB,
        artefact: &artefacts::SERVICES_QUERYEX,
        legacy: &["scqueryex.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "services.config",
        what: "sc.exe qc of 14 networking and container services",
        via: Via::Commands(&[
            qc(&["qc", "hns"]),
            qc(&["qc", "vfpext"]),
            qc(&["qc", "dnscache"]),
            qc(&["qc", "iphlpsvc"]),
            qc(&["qc", "BFE"]),
            qc(&["qc", "Dhcp"]),
            qc(&["qc", "NetSetupSvc"]),
            qc(&["qc", "mpssvc"]),
            qc(&["qc", "nvagent"]),
            qc(&["qc", "nsi"]),
            qc(&["qc", "vmcompute"]),
            qc(&["qc", "SharedAccess"]),
            qc(&["qc", "CmService"]),
            qc(&["qc", "kubeproxy"]),
        ]),
        timeout: secs(90),
        max_bytes: 4 * MIB,
        artefact: &artefacts::SERVICES_CONFIG,
        legacy: &["scqueryex.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "services.config_hyperv",
        what: "sc.exe qc of the Hyper-V services vmms and hvsics",
        via: Via::Commands(&[qc(&["qc", "vmms"]), qc(&["qc", "hvsics"])]),
        timeout: secs(30),
        max_bytes: MIB,
        artefact: &artefacts::SERVICES_CONFIG_HYPERV,
        legacy: &["scqueryex.txt"],
        admin_required: false,
        requires: Some(Requirement::HyperV),
        ..SourceDef::DEFAULT
    },
];
