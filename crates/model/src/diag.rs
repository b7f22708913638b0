//! Evidence read from everyday diagnostic pastes rather than from HNS itself: name-resolution
//! attempts (nslookup, ping, Resolve-DnsName, curl), PowerShell error records, docker / runtime
//! errors with the operation they were raised on, load-balancer counts sampled over time, pod
//! rows of `kubectl get pods`, and HCN settings JSON printed inline by logs.

use crate::Prov;
use serde::{Deserialize, Serialize};

/// The tool that tried to resolve a name.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ResolveTool {
    /// `nslookup` — asks the DNS server directly, bypassing the DNS client cache.
    Nslookup,
    /// `ping` (through the DNS client and its cache).
    Ping,
    /// `Resolve-DnsName` (through the DNS client and its cache unless `-DnsOnly`/`-Server`).
    ResolveDnsName,
    /// `Invoke-WebRequest` / PowerShell's `curl` alias, `Invoke-RestMethod`.
    WebRequest,
    /// `curl.exe`.
    Curl,
    /// `Test-NetConnection`.
    TestNetConnection,
    /// Not known.
    #[default]
    Other,
}

impl ResolveTool {
    /// Whether the tool resolves through the DNS client service (and so its cache).
    #[must_use]
    pub fn uses_client_cache(self) -> bool {
        !matches!(self, Self::Nslookup | Self::Other)
    }
}

/// What a name-resolution attempt ended with.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ResolveOutcome {
    /// An answer with addresses (or a ping that named the address).
    Resolved,
    /// The name was not found ("Non-existent domain", "could not find host", "DNS name does not
    /// exist", "The remote name could not be resolved").
    NotFound,
    /// The query timed out ("DNS request timed out", "timeout period expired").
    TimedOut,
    /// No server could be reached or none is configured.
    ServerUnreachable,
    /// Failed otherwise.
    #[default]
    Failed,
}

/// One name-resolution attempt seen in a paste.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NameResolution {
    /// Tool used.
    pub tool: ResolveTool,
    /// The name asked for (or the canonical name of an answer), as printed; `None` when the output
    /// does not name it (e.g. a bare `DNS request timed out.`).
    pub name: Option<String>,
    /// Further names of the answer (nslookup `Aliases:`, CNAME chains).
    pub aliases: Vec<String>,
    /// The DNS server that was asked, by name (`Server:` of nslookup).
    pub server: Option<String>,
    /// The DNS server's address (`Address:` after `Server:`).
    pub server_address: Option<String>,
    /// Outcome.
    pub outcome: ResolveOutcome,
    /// Addresses in the answer.
    pub addresses: Vec<String>,
    /// Where it was read.
    pub prov: Prov,
}

impl NameResolution {
    /// Whether the attempt was for `name` (the name or one of its aliases, case-insensitively,
    /// ignoring a trailing dot).
    #[must_use]
    pub fn is_for(&self, name: &str) -> bool {
        let n = name.trim_end_matches('.');
        self.name
            .iter()
            .chain(self.aliases.iter())
            .any(|x| x.trim_end_matches('.').eq_ignore_ascii_case(n))
    }
}

/// A PowerShell error record (`<Cmdlet> : <message>`, `+ CategoryInfo`, `+ FullyQualifiedErrorId`)
/// or an HNS error object (`{"Success":false,"Error":"…","ErrorCode":…}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PsErrorRecord {
    /// The cmdlet or command that failed (`Resolve-DnsName`, `New-HnsNetwork`, `curl`), when shown.
    pub cmdlet: Option<String>,
    /// The message, wrapped lines re-joined.
    pub message: String,
    /// `CategoryInfo` value.
    pub category: Option<String>,
    /// `FullyQualifiedErrorId` value.
    pub error_id: Option<String>,
    /// Error codes found in the record (HRESULT form).
    pub error_codes: Vec<u32>,
    /// Where it was read (the first line of the record).
    pub prov: Prov,
}

/// An error reported by a container runtime CLI or daemon (docker, Docker Desktop, hcsshim),
/// with the operation it was raised on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuntimeError {
    /// Operation: `create endpoint`, `create network`, `CreateContainer`, `start container` …
    pub operation: Option<String>,
    /// The object operated on (endpoint / container name), when shown.
    pub object: Option<String>,
    /// The network named in the error, when shown (`on network nat`).
    pub network: Option<String>,
    /// Published host ports named in the error (`0.0.0.0:8080`), when shown.
    pub ports: Vec<u16>,
    /// The message.
    pub message: String,
    /// Error codes (HRESULT form).
    pub error_codes: Vec<u32>,
    /// Where it was read.
    pub prov: Prov,
}

/// One sample of a count over time (e.g. HNS load balancers printed by a loop).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountSample {
    /// Time as printed, when the sample has one.
    pub time: Option<String>,
    /// The count.
    pub count: u32,
    /// Where it was read.
    pub prov: Prov,
}

/// A row of `kubectl get pods`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PodStatus {
    /// Namespace, when the table has the column.
    pub namespace: Option<String>,
    /// Pod name.
    pub name: String,
    /// READY cell (`0/1`).
    pub ready: Option<String>,
    /// STATUS cell (`Running`, `CrashLoopBackOff`, `Error` …).
    pub status: String,
    /// RESTARTS count.
    pub restarts: Option<u32>,
    /// Node, when the table is `-o wide`.
    pub node: Option<String>,
    /// Pod IP, when the table is `-o wide`.
    pub ip: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}

/// HCN settings JSON printed inline by a log (`hcnCreateEndpoint … {…}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HcnSettings {
    /// The HCN call it was printed with (`hcnCreateEndpoint`, `HcnCreateNetwork` …), when shown.
    pub call: Option<String>,
    /// `endpoint`, `network`, `load-balancer` or `unknown`.
    pub kind: String,
    /// Name of the object.
    pub name: Option<String>,
    /// Network type (`NAT`, `L2Bridge`, `Overlay` …) for networks.
    pub net_type: Option<String>,
    /// Network name / id the object refers to (endpoints).
    pub network: Option<String>,
    /// IP addresses and prefixes the settings hold (IPAddress, subnets, VIPs).
    pub addresses: Vec<String>,
    /// Policy types (`OutBoundNAT`, `ROUTE`, `PA`, `L4Proxy` …).
    pub policies: Vec<String>,
    /// String values that look like unfilled placeholders (`<your service cidr>`) or are not
    /// valid addresses where an address or prefix is expected, with the key they were under.
    pub invalid_values: Vec<(String, String)>,
    /// Where it was read.
    pub prov: Prov,
}
