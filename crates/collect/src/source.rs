//! What a source is: one declarative entry of the collector's table (sos `add_cmd_output` /
//! insights spec). The tables themselves live in `sources/<subsystem>.rs`.

use hnsdoctor_bundle::artefacts::{Artefact, Format, Origin, Read};
use hnsdoctor_host::HcnKind;
use serde::Serialize;
use std::time::Duration;

/// One mebibyte.
pub const MIB: u64 = 1024 * 1024;

/// Seconds, usable in `const` tables.
#[must_use]
pub const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// One command line (program + arguments). `{item}` in an argument is replaced by the fan-out
/// item (e.g. a VFP port name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cmd {
    /// Program (`netsh`, `vfpctrl.exe`).
    pub program: &'static str,
    /// Arguments.
    pub args: &'static [&'static str],
}

impl Cmd {
    /// The command line for display.
    #[must_use]
    pub fn display(&self) -> String {
        let mut s = self.program.to_string();
        for a in self.args {
            s.push(' ');
            s.push_str(a);
        }
        s
    }
}

/// How a source gathers its data. Every variant is a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// HCN (v2 API): enumerate one kind, query every object (detailed) in-process.
    Hcn {
        /// Object kind.
        kind: HcnKind,
        /// Schema major version asked for (2; 1 returns v1-shaped objects).
        schema: u32,
    },
    /// HNS v1 `HNSCall(method, path, "")` in-process.
    HnsCall {
        /// `GET`.
        method: &'static str,
        /// `/globals/version`, `/endpoints`, …
        path: &'static str,
    },
    /// One command.
    Command(Cmd),
    /// Several commands, outputs concatenated as produced (as CollectLogs' `>>`).
    Commands(&'static [Cmd]),
    /// An inline PowerShell pipeline run with `powershell.exe -NoProfile -NonInteractive
    /// -ExecutionPolicy Bypass -Command` (no script files, Windows PowerShell's own module path,
    /// UTF-8 output), output through `Out-String -Stream -Width 4096`.
    PowerShell(&'static str),
    /// Registry keys, all values and sub-key names, as a JSON array.
    Registry(&'static [&'static str]),
    /// Files matching globs, copied (tail-capped per file) into a folder of the bundle.
    Files {
        /// Glob patterns.
        globs: &'static [&'static str],
        /// At most this many files (newest names first are not guaranteed; sorted by path).
        max_files: usize,
    },
    /// File metadata only (size, time), as JSON — never the content.
    FileMeta(&'static [&'static str]),
    /// Events of the last `--since` hours of a channel, as XML (`wevtutil qe … /f:xml`).
    Events(&'static str),
    /// Processes by image or service name: pid, threads, working set, as JSON.
    Process(&'static str),
    /// Per item of another source's output (lines containing `marker`, value after the first
    /// `:`), run each command; outputs concatenated with `==== <command> ====` headers.
    FanOut {
        /// The source whose output lists the items.
        from: &'static str,
        /// Lines holding an item contain this text.
        marker: &'static str,
        /// Commands to run per item (`{item}` substituted).
        per_item: &'static [Cmd],
        /// Timeout of one command.
        per_command_timeout: Duration,
    },
}

impl Via {
    /// The manifest's `via` text.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Hcn { kind, schema } => format!("{} (schema {schema}.0, detailed)", kind.via()),
            Self::HnsCall { method, path } => format!("HNSCall {method} {path}"),
            Self::Command(c) => c.display(),
            Self::Commands(cs) => cs.iter().map(Cmd::display).collect::<Vec<_>>().join(" ; "),
            Self::PowerShell(p) => format!("powershell -Command {p}"),
            Self::Registry(keys) => format!("registry {}", keys.join(", ")),
            Self::Files { globs, .. } => format!("copy {}", globs.join(", ")),
            Self::FileMeta(paths) => format!("metadata of {}", paths.join(", ")),
            Self::Events(ch) => format!(
                "wevtutil qe {ch} /rd:true /f:xml /uni:true (last --since hours, newest first)"
            ),
            Self::Process(n) => format!("process info of {n}"),
            Self::FanOut { from, per_item, .. } => format!(
                "per item of {from}: {}",
                per_item
                    .iter()
                    .map(Cmd::display)
                    .collect::<Vec<_>>()
                    .join(" ; ")
            ),
        }
    }

    /// Whether the source runs in-process (cannot be killed; the runner abandons it at its
    /// deadline) rather than as a child process.
    #[must_use]
    pub fn in_process(&self) -> bool {
        matches!(
            self,
            Self::Hcn { .. }
                | Self::HnsCall { .. }
                | Self::Registry(_)
                | Self::Files { .. }
                | Self::FileMeta(_)
                | Self::Process(_)
        )
    }
}

/// What [`SourceDef::DEFAULT`] points at: no artefact (every table entry names its own; a
/// conformance test checks).
const NO_ARTEFACT: Artefact = Artefact {
    name: "",
    read: Read::Raw("not parsed"),
    origin: Origin::Bundle,
};

/// How the output is read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Parser {
    /// A parser format (serialized as its id).
    Format(Format),
    /// Kept for people, not parsed; the reason says why.
    RawOnly(&'static str),
}

impl Parser {
    /// The format id, if any.
    #[must_use]
    pub fn id(&self) -> Option<&'static str> {
        match self {
            Self::Format(f) => Some(f.id()),
            Self::RawOnly(_) => None,
        }
    }
}

/// A host feature a source needs; without it the source is "absent by design" (recorded as
/// skipped with that reason, not as a failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    /// The Hyper-V role (the `vmms` service): `Get-VMSwitch`, `sc qc vmms`/`hvsics`. A host
    /// with only the Containers feature has HNS and VFP but not this.
    HyperV,
    /// Packet Monitor (`pktmon.exe` and its `PktMon` driver service): Windows Server 2019 /
    /// Windows 10 1809 and later.
    Pktmon,
}

impl Requirement {
    /// The registry key whose absence shows the feature is not installed.
    #[must_use]
    pub fn probe_key(self) -> &'static str {
        match self {
            Self::HyperV => r"HKLM\SYSTEM\CurrentControlSet\Services\vmms",
            Self::Pktmon => r"HKLM\SYSTEM\CurrentControlSet\Services\PktMon",
        }
    }

    /// The reason recorded when the feature is absent.
    #[must_use]
    pub fn absent_reason(self) -> &'static str {
        match self {
            Self::HyperV => {
                "absent by design: needs the Hyper-V role (service vmms is not installed), which a \
                 container-only host does not have"
            }
            Self::Pktmon => {
                "absent by design: Packet Monitor (service PktMon) is not on this build \
                 (it comes with Windows Server 2019 / Windows 10 1809 and later)"
            }
        }
    }
}

/// One entry of the collector's table: the definition of a source (what it runs, its limits, the
/// artefact it writes), as `hnsdoctor_parse::formats::FormatDef` defines a format. Not to be
/// confused with `hnsdoctor_bundle::Source`, one opened input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceDef {
    /// `<subsystem>.<name>`, e.g. `hns.networks`; the key shared by the bundle layout and the
    /// parser.
    pub id: &'static str,
    /// What it gathers, one line.
    pub what: &'static str,
    /// How.
    pub via: Via,
    /// Own timeout (scaled by `--timeout-scale`).
    pub timeout: Duration,
    /// Size cap: the tail is kept and the record says `truncated`. For [`Via::Files`] the cap of
    /// one file.
    pub max_bytes: u64,
    /// For [`Via::Files`]: the cap of all files of the source together.
    pub max_total_bytes: u64,
    /// A host feature the source needs.
    pub requires: Option<Requirement>,
    /// For [`Via::Files`]: when not empty, only files with these extensions are copied; the
    /// others found by the globs are listed as withheld (e.g. `calico-kubeconfig` beside the
    /// CNI configuration).
    pub only_ext: &'static [&'static str],
    /// What it writes: its bundle path (a folder ending in `/` for multi-file sources) and how
    /// that is read back, from the one artefact table ([`hnsdoctor_bundle::artefacts`]).
    pub artefact: &'static Artefact,
    /// CollectLogs artefacts it replaces (file names, `folder\*` for folders).
    pub legacy: &'static [&'static str],
    /// Needs an elevated process (skipped otherwise).
    pub admin_required: bool,
    /// Whether the source can change the host. Always false: the collector is read-only.
    pub mutates: bool,
}

impl SourceDef {
    /// Defaults for table entries: 60 s, 16 MiB, admin required, read-only.
    pub const DEFAULT: Self = Self {
        id: "",
        what: "",
        via: Via::Command(Cmd {
            program: "",
            args: &[],
        }),
        timeout: secs(60),
        max_bytes: 16 * MIB,
        max_total_bytes: 128 * MIB,
        requires: None,
        only_ext: &[],
        artefact: &NO_ARTEFACT,
        legacy: &[],
        admin_required: true,
        mutates: false,
    };

    /// Path in the bundle (a folder ending in `/` for multi-file sources).
    #[must_use]
    pub fn path(&self) -> &'static str {
        self.artefact.name
    }

    /// How it is read back.
    #[must_use]
    pub fn parser(&self) -> Parser {
        match self.artefact.read {
            Read::Formats(f) => f
                .first()
                .map_or(Parser::RawOnly("no format"), |f| Parser::Format(*f)),
            Read::Raw(why) => Parser::RawOnly(why),
        }
    }

    /// The subsystem: the id up to the first `.`.
    #[must_use]
    pub fn subsystem(&self) -> &'static str {
        self.id.split('.').next().unwrap_or(self.id)
    }

    /// Whether the output is a folder of files.
    #[must_use]
    pub fn is_folder(&self) -> bool {
        self.path().ends_with('/')
    }
}
