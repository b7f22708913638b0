//! VFP and the Hyper-V switch: one `vfpctrl /list-vmswitch-port`, then per port (fan-out from
//! that listing, bounded by the VFP budget) counters, state, rules, spaces, mappings, NAT ranges,
//! flow stats — what CollectLogs' `ports.txt` and `dumpVfpPolicies.ps1` gathered, without
//! downloading anything. Plus nvspinfo/nmscrub/nmbind and the VM switch list.

use crate::source::{secs, Cmd, Requirement, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

const fn vfp(args: &'static [&'static str]) -> Cmd {
    Cmd {
        program: "vfpctrl.exe",
        args,
    }
}

/// VFP sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "vfp.ports",
        what: "VFP switch ports (vfpctrl /list-vmswitch-port)",
        via: Via::Command(vfp(&["/list-vmswitch-port"])),
        timeout: secs(60),
        max_bytes: 16 * MIB,
        artefact: &artefacts::VFP_PORTS,
        legacy: &["ports.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "vfp.port_counters",
        what: "per-port counters (vfpctrl /port <p> /get-port-counter)",
        via: Via::FanOut {
            from: "vfp.ports",
            marker: "Port name",
            per_item: &[vfp(&["/port", "{item}", "/get-port-counter"])],
            per_command_timeout: secs(20),
        },
        timeout: secs(180),
        max_bytes: 64 * MIB,
        artefact: &artefacts::VFP_PORT_COUNTERS,
        legacy: &["ports.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "vfp.port_policies",
        what: "per-port state, rules, spaces, mappings, NAT ranges, rule counters, flow stats",
        via: Via::FanOut {
            from: "vfp.ports",
            marker: "Port name",
            per_item: &[
                vfp(&["/port", "{item}", "/get-port-state"]),
                vfp(&["/port", "{item}", "/list-rule"]),
                vfp(&["/port", "{item}", "/list-space"]),
                vfp(&["/port", "{item}", "/list-mapping"]),
                vfp(&["/port", "{item}", "/list-nat-range"]),
                vfp(&["/port", "{item}", "/get-rule-counter"]),
                vfp(&["/port", "{item}", "/get-flow-stats"]),
            ],
            per_command_timeout: secs(20),
        },
        timeout: secs(300),
        max_bytes: 128 * MIB,
        artefact: &artefacts::VFP_PORT_POLICIES,
        legacy: &["vfpOutput.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "vfp.nvspinfo",
        what: "vSwitch internals (nvspinfo -a -i -h -D -p -d -m -q)",
        via: Via::Command(Cmd {
            program: "nvspinfo.exe",
            args: &["-a", "-i", "-h", "-D", "-p", "-d", "-m", "-q"],
        }),
        timeout: secs(60),
        artefact: &artefacts::VFP_NVSPINFO,
        legacy: &["nvspinfo.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "vfp.nmscrub",
        what: "nmscrub -a -n -t",
        via: Via::Command(Cmd {
            program: "nmscrub.exe",
            args: &["-a", "-n", "-t"],
        }),
        timeout: secs(60),
        artefact: &artefacts::VFP_NMSCRUB,
        legacy: &["nmscrub.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "vfp.nmbind",
        what: "nmbind (adapter bindings)",
        via: Via::Command(Cmd {
            program: "nmbind.exe",
            args: &[],
        }),
        timeout: secs(30),
        artefact: &artefacts::VFP_NMBIND,
        legacy: &["nmbind.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "vfp.vmswitch",
        what: "Hyper-V virtual switches (Get-VMSwitch), incl. switch extensions state",
        via: Via::PowerShell("Get-VMSwitch | Format-List *"),
        timeout: secs(60),
        max_bytes: 4 * MIB,
        artefact: &artefacts::VFP_VMSWITCH,
        requires: Some(Requirement::HyperV),
        ..SourceDef::DEFAULT
    },
];
