//! The operating system: version with UBR, DisplayVersion and ProductName from the registry
//! (`[Environment]::OSVersion` in CollectLogs has no UBR), installed hotfixes, and the setup logs
//! CollectLogs copied (NetSetup, DISM, CBS — capped per file here).

use crate::source::{secs, Cmd, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// OS sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "os.version",
        what:
            "CurrentVersion registry key: CurrentBuild, UBR, DisplayVersion, ProductName, EditionID",
        via: Via::Command(Cmd {
            program: "reg.exe",
            args: &[
                "query",
                r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion",
            ],
        }),
        timeout: secs(15),
        max_bytes: MIB,
        artefact: &artefacts::OS_VERSION,
        legacy: &["winver.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "os.hotfixes",
        what: "Get-HotFix",
        via: Via::PowerShell("Get-HotFix | Format-Table -AutoSize"),
        timeout: secs(120),
        max_bytes: 4 * MIB,
        artefact: &artefacts::OS_HOTFIXES,
        legacy: &["winver.txt"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "os.netsetup_logs",
        what: "C:\\Windows\\logs\\NetSetup (vSwitch/NIC setup logs)",
        via: Via::Files {
            globs: &[r"C:\Windows\logs\NetSetup\**"],
            max_files: 200,
        },
        timeout: secs(120),
        max_bytes: 16 * MIB,
        max_total_bytes: 64 * MIB,
        artefact: &artefacts::OS_NETSETUP_LOGS,
        legacy: &[r"logs\NetSetup\*"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "os.dism_logs",
        what: "C:\\Windows\\logs\\dism",
        via: Via::Files {
            globs: &[r"C:\Windows\logs\dism\**"],
            max_files: 50,
        },
        timeout: secs(120),
        max_bytes: 16 * MIB,
        max_total_bytes: 32 * MIB,
        artefact: &artefacts::OS_DISM_LOGS,
        legacy: &[r"logs\dism\*"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "os.cbs_logs",
        what: "C:\\Windows\\logs\\CBS",
        via: Via::Files {
            globs: &[r"C:\Windows\logs\CBS\**"],
            max_files: 50,
        },
        timeout: secs(120),
        max_bytes: 16 * MIB,
        max_total_bytes: 32 * MIB,
        artefact: &artefacts::OS_CBS_LOGS,
        legacy: &[r"logs\cbs\*"],
        ..SourceDef::DEFAULT
    },
];
