//! # hnsdoctor-model — the typed host model
//!
//! Pipeline stage: **model** (sources → bundle → parsers → *model* → rules → findings → reporters).
//!
//! Every parser turns text into pieces of a [`HostModel`]; every rule reads only a `HostModel`.
//! Nothing here knows where the bytes came from: a live HCN query, a bundle, a legacy
//! CollectLogs folder and a paste all end up as the same types.
//!
//! Two principles run through the types:
//!
//! * **Provenance.** Every fact a rule may quote carries a [`Prov`]: the source (bundle path, legacy
//!   file name or paste section) and the 1-based line, plus the quoted line when the parser had it.
//! * **Absence is not health.** [`HostModel::facts`] records which kinds of evidence were actually
//!   read ([`Fact`]). An empty `endpoints` list with [`Fact::HnsEndpoints`] present means "HNS has
//!   no endpoints"; without it, it means "we were not shown endpoints", and a rule that needs them
//!   reports *not evaluated*.
//!
//! The model is serialisable; `hnsdoctor inspect --format json` emits it. Its JSON shape is
//! versioned by [`MODEL_SCHEMA_VERSION`]: additive changes keep the number, renames or removals
//! bump it.
#![forbid(unsafe_code)]

mod addr;
mod diag;
mod facts;
mod hns;
mod logs;
mod net;
mod objid;
mod os;
pub mod packet_path;
mod packets;
mod ports;
mod prov;
mod system;

pub use addr::{parse_ip, Addr};
pub use diag::*;
pub use facts::Fact;
pub use hns::*;
pub use logs::*;
pub use net::*;
pub use objid::ObjId;
pub use os::*;
pub use packets::*;
pub use ports::*;
pub use prov::Prov;
pub use system::*;

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Version of the JSON shape of [`HostModel`]. Bump on any rename or removal.
pub const MODEL_SCHEMA_VERSION: u32 = 1;

/// Everything hnsdoctor knows about one host, assembled from one or more inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostModel {
    /// [`MODEL_SCHEMA_VERSION`] of the producer.
    pub schema_version: u32,
    /// Host name, when any source names it (manifest, ipconfig, hotfix table).
    pub host_name: Option<String>,
    /// When the evidence was collected (RFC 3339), from a bundle manifest; `None` for pastes.
    /// Rules with a time window (e.g. "HNS crashed in the last 24 h") measure from here, or from
    /// the newest timestamp seen in the data when this is absent.
    pub collected_at: Option<String>,
    /// Which kinds of evidence were read (present even when the list they fill is empty).
    pub facts: BTreeSet<Fact>,
    /// Facts whose source was cut off or otherwise incomplete: the objects read are real, but
    /// more may exist. Rules that reason from absence lower their confidence for these.
    pub partial_facts: BTreeSet<Fact>,
    /// Operating system: build, UBR, edition, hotfixes.
    pub os: Option<OsInfo>,
    /// HNS objects and the HNS service's own state.
    pub hns: Hns,
    /// IP configuration per compartment, routes, MTU, neighbours.
    pub net: NetState,
    /// Port ranges, exclusions, reservations, listeners.
    pub ports: PortState,
    /// VFP switch ports, their state and rules.
    pub vfp: Vfp,
    /// WinNAT and Hyper-V switches.
    pub nat: NatState,
    /// Windows services (hns, vmcompute, kubelet, …).
    pub services: Vec<Service>,
    /// DNS client and TCP/IP registry settings.
    pub registry: RegistrySettings,
    /// CNI configuration files.
    pub cni: Vec<CniConfig>,
    /// Kubernetes context: service CIDR, DNS IP, network name, kube-proxy flags.
    pub k8s: KubeContext,
    /// Containers known to the runtime (ctr / hcsdiag / docker ps).
    pub containers: Vec<Container>,
    /// Container images the runtime has or runs, with their Windows revision where shown.
    pub images: Vec<ContainerImage>,
    /// Log lines of interest from kube-proxy, kubelet, containerd, CNI plugins, pastes.
    pub log_events: Vec<LogEvent>,
    /// Windows event-log records (SCM, HNS, Hyper-V-Compute, VmSwitch).
    pub event_records: Vec<EventRecord>,
    /// What was read, per input source: format, counts, skipped lines, warnings.
    pub inputs: Vec<InputSummary>,
    /// Name-resolution attempts (nslookup, ping, Resolve-DnsName, curl) seen in pastes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub name_resolution: Vec<NameResolution>,
    /// PowerShell error records and HNS error objects (each is also a [`LogEvent`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ps_errors: Vec<PsErrorRecord>,
    /// Container runtime errors with their operation (each is also a [`LogEvent`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runtime_errors: Vec<RuntimeError>,
    /// HNS load-balancer counts sampled over time, in the order printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lb_count_samples: Vec<CountSample>,
    /// Pods listed by `kubectl get pods`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pods: Vec<PodStatus>,
    /// HCN settings JSON printed inline by kubelet, containerd or CNI logs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hcn_settings: Vec<HcnSettings>,
    /// Packet Monitor: component map, drop counters, drops of a capture.
    #[serde(skip_serializing_if = "PacketMon::is_empty")]
    pub packets: PacketMon,
}

impl HostModel {
    /// An empty model stamped with the current schema version.
    #[must_use]
    pub fn new() -> Self {
        Self {
            schema_version: MODEL_SCHEMA_VERSION,
            ..Self::default()
        }
    }

    /// Whether a kind of evidence was read.
    #[must_use]
    pub fn has(&self, fact: Fact) -> bool {
        self.facts.contains(&fact)
    }

    /// Which of `needed` were not read.
    #[must_use]
    pub fn missing(&self, needed: &[Fact]) -> Vec<Fact> {
        needed.iter().copied().filter(|f| !self.has(*f)).collect()
    }

    /// Record that a kind of evidence was read.
    pub fn mark(&mut self, fact: Fact) {
        self.facts.insert(fact);
    }

    /// Record that a kind of evidence was read only in part (e.g. a cut-off JSON file).
    pub fn mark_partial(&mut self, fact: Fact) {
        self.facts.insert(fact);
        self.partial_facts.insert(fact);
    }

    /// Whether a kind of evidence is known to be incomplete.
    #[must_use]
    pub fn is_partial(&self, fact: Fact) -> bool {
        self.partial_facts.contains(&fact)
    }
}

/// What one input source contributed (one file of a bundle, or one section of a paste).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InputSummary {
    /// File path relative to the input root, or `paste#N` for the N-th section of a paste.
    pub source: String,
    /// Format detected, e.g. `hns-json-v1`, `ipconfig`, `netsh-excludedportrange`, or `unknown`.
    pub format: String,
    /// Text encoding detected, e.g. `utf-16le-bom`, `utf-8`.
    pub encoding: Option<String>,
    /// Objects / records parsed.
    pub objects: usize,
    /// Facts this source provided.
    pub facts: Vec<Fact>,
    /// Lines that were not understood, with the reason (at most a few per source are kept).
    pub skipped: Vec<SkippedLine>,
    /// Total count of skipped lines (the `skipped` list may be shortened).
    pub skipped_count: usize,
    /// Lines read but not kept because they were of no interest (log parsers keep only errors,
    /// warnings and lines with an error code or a known signature; the rest is only counted).
    pub filtered_lines: usize,
    /// Warnings about partial input (truncated JSON, cut-off table, mixed encodings…).
    pub warnings: Vec<String>,
    /// Set when the whole source was refused (binary, too large, collector error text…).
    pub refused: Option<String>,
    /// What paste normalisation changed before detection (prefixes, quote marks, backticks…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub normalised: Vec<String>,
    /// How the format was chosen: `manifest`, `name`, or `content` with the detector's score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_by: Option<String>,
}

/// One line a parser could not use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedLine {
    /// 1-based line number in the source.
    pub line: u32,
    /// Why it was skipped.
    pub reason: String,
}
