//! Port state: dynamic ranges, exclusions, reservations, listeners.

use crate::Prov;
use serde::{Deserialize, Serialize};

/// Transport protocol of a port fact.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// TCP.
    #[default]
    Tcp,
    /// UDP.
    Udp,
}

impl std::fmt::Display for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        })
    }
}

/// Windows' default dynamic port range start.
pub const DEFAULT_DYNAMIC_START: u16 = 49152;
/// Windows' default dynamic port range size.
pub const DEFAULT_DYNAMIC_COUNT: u32 = 16384;

/// Everything known about port allocation on the host.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortState {
    /// Dynamic (ephemeral) port ranges, one per protocol.
    pub dynamic: Vec<DynamicPortRange>,
    /// Excluded port ranges.
    pub excluded: Vec<ExcludedPortRange>,
    /// Listening sockets (and, for TCP, connections when listed).
    pub listeners: Vec<Listener>,
    /// Result of a port-reservation probe, when one ran.
    pub reservation_probe: Option<ReservationProbe>,
    /// Host ports a command asked to publish (`docker run -p 8080:80`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub published: Vec<PublishedPort>,
}

/// A host port that a command shown in the input publishes (`docker run -p [ip:]host:container`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublishedPort {
    /// Protocol (`/udp` suffix, else TCP).
    pub protocol: Transport,
    /// The host port.
    pub host_port: u16,
    /// The container port.
    pub container_port: Option<u16>,
    /// The command that publishes it.
    pub command: String,
    /// Where the command was read.
    pub prov: Prov,
}

impl PortState {
    /// The dynamic range for a protocol.
    #[must_use]
    pub fn dynamic_for(&self, t: Transport) -> Option<&DynamicPortRange> {
        self.dynamic.iter().find(|d| d.protocol == t)
    }
}

/// `netsh int ipv4 show dynamicportrange`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DynamicPortRange {
    /// Protocol.
    pub protocol: Transport,
    /// Start port.
    pub start: u16,
    /// Number of ports.
    pub count: u32,
    /// Where it was read.
    pub prov: Prov,
}

impl DynamicPortRange {
    /// Last port of the range (inclusive), clamped to 65535.
    #[must_use]
    pub fn end(&self) -> u16 {
        let end = u32::from(self.start) + self.count.saturating_sub(1);
        u16::try_from(end.min(65535)).unwrap_or(u16::MAX)
    }
}

/// `netsh int ipv4 show excludedportrange`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExcludedPortRange {
    /// Protocol.
    pub protocol: Transport,
    /// First port.
    pub start: u16,
    /// Last port (inclusive).
    pub end: u16,
    /// Marked `*`: administered (persistent) exclusion.
    pub administered: bool,
    /// Where it was read.
    pub prov: Prov,
}

/// A socket in the listening (or connected) state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Listener {
    /// Protocol.
    pub protocol: Transport,
    /// Local address (`0.0.0.0`, `::`, or an IP).
    pub local_address: String,
    /// Local port.
    pub local_port: u16,
    /// State as printed (`LISTEN`, `Listen`, `ESTABLISHED` …); UDP has none.
    pub state: Option<String>,
    /// Owning process ID.
    pub pid: Option<u32>,
    /// Owning process name, when known.
    pub process: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}

impl Listener {
    /// Whether this socket is listening (TCP `LISTEN`/`Listen`/`LISTENING`, or any UDP socket).
    #[must_use]
    pub fn is_listening(&self) -> bool {
        match self.protocol {
            Transport::Udp => true,
            Transport::Tcp => self
                .state
                .as_deref()
                .is_some_and(|s| s.to_ascii_lowercase().starts_with("listen")),
        }
    }
}

/// Outcome of a port-reservation probe (collectlogs `portReservationTest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReservationProbe {
    /// Reservations attempted.
    pub attempted: Option<u32>,
    /// Reservations that succeeded.
    pub succeeded: Option<u32>,
    /// "Running out of ephemeral ports" was printed.
    pub exhausted: bool,
    /// Where it was read.
    pub prov: Prov,
}
