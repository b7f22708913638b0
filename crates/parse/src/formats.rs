//! The one table of artefact formats: [`FORMATS`].
//!
//! Each entry names a format id (kebab-case, also used as `InputSummary::format` and as the
//! `parser` of a collector source), the bundle paths and legacy CollectLogs file names it is
//! read from, a content detector for pastes and unnamed files, and the parse function.
//! To add a format: write `src/<artefact>.rs` with its fixtures, add one entry here.

use crate::ParseFn;

/// How an artefact format is recognised and parsed.
#[derive(Debug, Clone, Copy)]
pub struct FormatDef {
    /// Format id, e.g. `hns-networks-json`, `ipconfig`, `netsh-excludedportrange`.
    pub id: &'static str,
    /// One-line description for `inspect` and the docs.
    pub description: &'static str,
    /// File names / path suffixes that select this format directly (bundle layout paths such
    /// as `hns/networks.json`, legacy CollectLogs names such as `network.txt`). Compared
    /// case-insensitively against the end of the relative path.
    pub names: &'static [&'static str],
    /// Content detector: 0 = not this format, 100 = certainly. Used for pastes and for files
    /// whose name selects nothing. Must be cheap: it sees the first ~64 KiB of text.
    pub detect: fn(&str) -> u8,
    /// The parser.
    pub parse: ParseFn,
}

/// Every known format. Order matters only for ties in detection (earlier wins).
pub static FORMATS: &[FormatDef] = &[
    FormatDef {
        id: "netsh-excludedportrange",
        description: "netsh int ipv4 show excludedportrange (tcp and/or udp, any locale)",
        names: &["ports/excludedportrange.txt", "excludedportrange.txt"],
        detect: crate::netsh_ports::detect_excluded,
        parse: crate::netsh_ports::parse,
    },
    FormatDef {
        id: "netsh-dynamicportrange",
        description: "netsh int ipv4 show dynamicportrange (tcp and/or udp, any locale)",
        names: &["ports/dynamicportrange.txt", "dynamicportrange.txt"],
        detect: crate::netsh_ports::detect_dynamic,
        parse: crate::netsh_ports::parse,
    },
    FormatDef {
        id: "osversion",
        description: "Windows version: [Environment]::OSVersion, ver, systeminfo, reg query CurrentVersion, collectlogs winver.txt",
        names: &[
            "os/winver.txt",
            "os/ver.txt",
            "os/systeminfo.txt",
            "os/currentversion-reg.txt",
            "winver.txt",
            "systeminfo.txt",
        ],
        detect: crate::osversion::detect,
        parse: crate::osversion::parse,
    },
    FormatDef {
        id: "get-hotfix",
        description: "Get-HotFix table (Source Description HotFixID InstalledBy InstalledOn)",
        names: &["os/hotfix.txt", "hotfix.txt", "hotfixes.txt"],
        detect: crate::hotfix::detect,
        parse: crate::hotfix::parse,
    },
    FormatDef {
        id: "component-log",
        description: "kube-proxy / kubelet / containerd / docker / CNI plugin log lines (klog, JSON, logrus, calico, azure-vnet)",
        names: &[
            "kube-proxy.log",
            "kube-proxy.err.log",
            "kubeproxy.log",
            "kubeproxy.err.log",
            "kubelet.log",
            "kubelet.err.log",
            "containerd.log",
            "containerd.err.log",
            "docker.log",
            "dockerd.log",
            "flanneld.log",
            "flanneld.err.log",
            "azure-vnet.log",
            "azure-vnet-ipam.log",
            "calico.log",
            "calico-cni.log",
        ],
        detect: crate::klog::detect,
        parse: crate::klog::parse,
    },
];

/// Look a format up by id.
#[must_use]
pub fn by_id(id: &str) -> Option<&'static FormatDef> {
    FORMATS.iter().find(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_kebab() {
        let mut seen = std::collections::BTreeSet::new();
        for f in FORMATS {
            assert!(seen.insert(f.id), "duplicate format id {}", f.id);
            assert!(
                f.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "format id not kebab-case: {}",
                f.id
            );
            assert!(!f.description.is_empty(), "{} has no description", f.id);
        }
    }
}
