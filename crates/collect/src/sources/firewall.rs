//! Firewall and WFP: active firewall rules and the WFP state, filters and recent net events
//! (`file=-` prints the XML to stdout; nothing is written on the host).

use crate::source::{secs, Cmd, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// Firewall sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "firewall.rules",
        what: "Get-NetFirewallRule -PolicyStore ActiveStore",
        via: Via::PowerShell("Get-NetFirewallRule -PolicyStore ActiveStore"),
        timeout: secs(180),
        max_bytes: 64 * MIB,
        artefact: &artefacts::FIREWALL_RULES,
        legacy: &["firewall.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "firewall.wfp_state",
        what: "netsh wfp show state (XML)",
        via: Via::Command(Cmd {
            program: "netsh.exe",
            args: &["wfp", "show", "state", "file=-"],
        }),
        timeout: secs(180),
        max_bytes: 128 * MIB,
        artefact: &artefacts::FIREWALL_WFP_STATE,
        legacy: &[r"wfp\*"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "firewall.wfp_filters",
        what: "netsh wfp show filters (XML)",
        via: Via::Command(Cmd {
            program: "netsh.exe",
            args: &["wfp", "show", "filters", "file=-"],
        }),
        timeout: secs(180),
        max_bytes: 128 * MIB,
        artefact: &artefacts::FIREWALL_WFP_FILTERS,
        legacy: &[r"wfp\*"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "firewall.wfp_netevents",
        what: "netsh wfp show netevents (XML: recent drops)",
        via: Via::Command(Cmd {
            program: "netsh.exe",
            args: &["wfp", "show", "netevents", "file=-"],
        }),
        timeout: secs(180),
        max_bytes: 128 * MIB,
        artefact: &artefacts::FIREWALL_WFP_NETEVENTS,
        legacy: &[r"wfp\*"],
        ..SourceDef::DEFAULT
    },
];
