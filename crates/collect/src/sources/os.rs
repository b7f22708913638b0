//! The operating system: version with UBR, DisplayVersion and ProductName from the registry
//! (`[Environment]::OSVersion` in CollectLogs has no UBR), installed hotfixes, and the setup logs
//! CollectLogs copied (NetSetup, DISM, CBS — capped per file here).

use crate::source::{secs, Cmd, Parser, Source, Via, MIB};

/// OS sources.
pub const SOURCES: &[Source] = &[
    Source {
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
        path: "os/currentversion-reg.txt",
        parser: Parser::Format("osversion"),
        legacy: &["winver.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "os.hotfixes",
        what: "Get-HotFix",
        via: Via::PowerShell("Get-HotFix | Format-Table -AutoSize"),
        timeout: secs(120),
        max_bytes: 4 * MIB,
        path: "os/hotfix.txt",
        parser: Parser::Format("get-hotfix"),
        legacy: &["winver.txt"],
        admin_required: false,
        ..Source::DEFAULT
    },
    Source {
        id: "os.netsetup_logs",
        what: "C:\\Windows\\logs\\NetSetup (vSwitch/NIC setup logs)",
        via: Via::Files {
            globs: &[r"C:\Windows\logs\NetSetup\**"],
            max_files: 200,
        },
        timeout: secs(120),
        max_bytes: 16 * MIB,
        max_total_bytes: 64 * MIB,
        path: "logs/netsetup/",
        parser: Parser::RawOnly("setup logs for Microsoft support"),
        legacy: &[r"logs\NetSetup\*"],
        ..Source::DEFAULT
    },
    Source {
        id: "os.dism_logs",
        what: "C:\\Windows\\logs\\dism",
        via: Via::Files {
            globs: &[r"C:\Windows\logs\dism\**"],
            max_files: 50,
        },
        timeout: secs(120),
        max_bytes: 16 * MIB,
        max_total_bytes: 32 * MIB,
        path: "logs/dism/",
        parser: Parser::RawOnly("servicing logs for Microsoft support"),
        legacy: &[r"logs\dism\*"],
        ..Source::DEFAULT
    },
    Source {
        id: "os.cbs_logs",
        what: "C:\\Windows\\logs\\CBS",
        via: Via::Files {
            globs: &[r"C:\Windows\logs\CBS\**"],
            max_files: 50,
        },
        timeout: secs(120),
        max_bytes: 16 * MIB,
        max_total_bytes: 32 * MIB,
        path: "logs/cbs/",
        parser: Parser::RawOnly("servicing logs for Microsoft support"),
        legacy: &[r"logs\cbs\*"],
        ..Source::DEFAULT
    },
];
