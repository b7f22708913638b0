//! Packet Monitor (`pktmon`) evidence: the component map, per-component drop counters and the
//! drops of a drops-only capture, as read from `pktmon list`, `pktmon counters` and
//! `pktmon etl2txt`. Component ids change across reboots, so counters and drops are only ever
//! joined with the map read from the same collection.

use crate::Prov;
use serde::{Deserialize, Serialize};

/// Everything read from Packet Monitor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PacketMon {
    /// Components (`pktmon list`, or the component events at the top of an `etl2txt` dump).
    pub components: Vec<PktComponent>,
    /// Drop counters per component (`pktmon counters`; one row per component and snapshot).
    pub counters: Vec<PktCounter>,
    /// Drops seen in a drops-only capture, aggregated by component, reason, direction and
    /// addresses (`pktmon etl2txt`).
    pub drops: Vec<PktDrop>,
    /// How long the drops-only capture ran, in seconds, when known (bundle `pktmon/capture.json`).
    pub capture_seconds: Option<u64>,
}

impl PacketMon {
    /// Whether nothing was read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.components.is_empty() && self.counters.is_empty() && self.drops.is_empty()
    }
}

/// One Packet Monitor component: an adapter, a filter driver, a vSwitch port, a protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PktComponent {
    /// Component id (valid until the next reboot).
    pub id: u32,
    /// Display name (`Ethernet0`, `Virtual Filtering Platform VMSwitch Extension`, a port's
    /// friendly name).
    pub name: String,
    /// Type as printed (`Miniport`, `Filter`, `Protocol`, `vSwitch port`, or a number).
    pub kind: Option<String>,
    /// Driver file (`vmswitch.sys`, `vfpext.sys`).
    pub driver: Option<String>,
    /// MAC address, normalised to `aa-bb-cc-dd-ee-ff` lower case.
    pub mac: Option<String>,
    /// IP addresses the component reports.
    pub ips: Vec<String>,
    /// vSwitch port name (a GUID, also VFP's port name) when the component is a switch port.
    pub port_name: Option<String>,
    /// Id of the adapter or switch the component is bound to / listed under, when shown.
    pub parent: Option<u32>,
    /// Group heading it was listed under (`Network Adapters`, `vSwitch`, any locale).
    pub group: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}

/// When a counter snapshot was taken relative to a capture.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Snapshot {
    /// A single snapshot (plain `collect`, a paste).
    #[default]
    Only,
    /// Before a drops capture (`collect --drops`).
    Before,
    /// After a drops capture.
    After,
}

/// Drop (and flow) counters of one component in one snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PktCounter {
    /// Component id.
    pub component: u32,
    /// Component name when the counter output names it.
    pub name: Option<String>,
    /// Packets dropped inbound (Rx).
    pub drops_in: u64,
    /// Packets dropped outbound (Tx).
    pub drops_out: u64,
    /// Packets seen inbound (flow counters), when shown.
    pub packets_in: Option<u64>,
    /// Packets seen outbound (flow counters), when shown.
    pub packets_out: Option<u64>,
    /// The most recent drop reason, as printed (`--drop-reason` / `--json`).
    pub last_reason: Option<String>,
    /// Which snapshot.
    pub snapshot: Snapshot,
    /// Where it was read.
    pub prov: Prov,
}

impl PktCounter {
    /// Drops in both directions.
    #[must_use]
    pub fn drops(&self) -> u64 {
        self.drops_in.saturating_add(self.drops_out)
    }
}

/// Drops of one kind seen in a capture: same component, reason, direction and addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PktDrop {
    /// Component id where the packet was dropped.
    pub component: u32,
    /// Drop reason as printed (`Drop_FilteredVLAN`, `VFP Rule Drop`, `MTU mismatch`).
    pub reason: String,
    /// Drop location code as printed (`0xE0004151`).
    pub location: Option<String>,
    /// `Rx` / `Tx` as printed.
    pub direction: Option<String>,
    /// Source IP of the dropped packet, when decoded.
    pub src: Option<String>,
    /// Destination IP of the dropped packet, when decoded.
    pub dst: Option<String>,
    /// Destination port, when decoded.
    pub dst_port: Option<u16>,
    /// How many drops of this kind.
    pub count: u64,
    /// The first drop of this kind.
    pub prov: Prov,
}
