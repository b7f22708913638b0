//! HNS JSON, v1 (HNSCall / `Get-Hns*` / `hns.psm1`) and v2 (HCN / `hns.v2.psm1`): networks,
//! endpoints, namespaces, load balancers and v1 policy lists, port pools and `/globals/version`.
//!
//! * **Produced by**: hnsdoctor's collector (HCN queries, saved as-is), `Get-HnsNetwork |
//!   ConvertTo-Json -Depth 10` and friends, SDN `collectlogs.ps1`, `hnsdiag list all -d`.
//! * **Bundle paths**: `hns/networks.json`, `hns/endpoints.json`, `hns/namespaces.json`,
//!   `hns/loadbalancers.json`, `hns/policylists.json`, `hns/portpools.json`, `hns/version.json`.
//!   **Legacy CollectLogs names**: `network.txt`, `networkdetailed.txt`, `endpoint.txt`,
//!   `policy.txt`, `namespaces.txt`, `hnsportpoolallocs.txt`, `hnsdiag.txt` (`-d`). The file
//!   names the object kind; an object whose own fields say otherwise (a paste, a mixed
//!   `hnsdiag -d` dump with `Networks:` / `Endpoints:` headers) is filed by its fields.
//! * **Encodings**: UTF-16LE with BOM + CRLF from Windows PowerShell 5.1 `>`, UTF-8 from the
//!   collector; decoded by the bundle layer.
//! * **Shapes accepted**: a bare object; an array; the HNSCall envelope
//!   `{"Success":true,"Output":…}` (`Success:false` → `Skip` with the error); the PS 5.1
//!   `{"value":[…],"Count":n}` wrapper; pretty-printed 5.1 JSON (`"Name":  "cbr0"`); several JSON
//!   documents one after another with text between them (collectlogs "table, then appended JSON":
//!   the table lines are counted and left to [`crate::hns_list`]); `{"PortPoolAllocations":…}`;
//!   `{"Major":N,"Minor":M}`.
//! * **v1 or v2** is decided per object: `SchemaVersion` (Major ≥ 2), `IpConfigurations`,
//!   `HostComputeNetwork`, `HostComputeEndpoints`, `FrontendVIPs`, `Ipams` mean v2;
//!   `VirtualNetwork`, `IsRemoteEndpoint`, `References`, `ManagementIP`, `Subnets`, `IPAddress`
//!   mean v1.
//! * **Partial input**: a cut-off file (collector size cap, copy interrupted) is read with a
//!   tolerant scanner that keeps every complete element before the cut and warns with the line of
//!   the cut; ConvertTo-Json depth truncation (`"@{A=1; B=x}"`, `"System.Object[]"` where an
//!   object or array belongs) keeps what is usable (`@{…}` is read back) and warns once per field.
//!   Policy lists without an `ELB` policy and bare GUID strings (Enumerate output) are counted as
//!   skipped. Empty input and collector error text (`is not recognized as the name of a cmdlet`,
//!   `Access is denied`, `HNS API not available`, an HRESULT line) are `Skip`; JSON that does not
//!   parse at all is `Broken` with its line.
//!
//! ```
//! use hnsdoctor_parse::{hns_json, HostModel, Input, InputSummary};
//! let text = r#"[{"ID":"3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c","Name":"cbr0","Type":"L2Bridge",
//!   "ManagementIP":"10.240.0.35","Subnets":[{"AddressPrefix":"10.244.3.0/24"}]}]"#;
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! hns_json::parse_networks(&Input::new("hns/networks.json", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.hns.networks[0].id, "3F6A2B1C-8D4E-4F5A-9B6C-7D8E9F0A1B2C");
//! assert_eq!(m.hns.networks[0].management_ip.as_deref(), Some("10.240.0.35"));
//! ```

use crate::psformat;
use crate::{Fact, HostModel, Input, InputSummary, ParseError, Prov};
use hnsdoctor_model::{
    norm_guid, ApiSchema, Endpoint, HnsVersion, LoadBalancer, Namespace, Network, Policy,
    PortMapping, PortPoolAllocation, Subnet, SwitchExtension,
};
use serde_json::{Map, Value};

/// The kind of an HNS object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Network.
    Network,
    /// Endpoint.
    Endpoint,
    /// Namespace.
    Namespace,
    /// v2 load balancer or v1 policy list.
    LoadBalancer,
    /// Port-pool allocation.
    PortPool,
    /// `/globals/version`.
    Version,
}

impl Kind {
    /// The fact a source of this kind provides.
    #[must_use]
    pub fn fact(self) -> Fact {
        match self {
            Kind::Network => Fact::HnsNetworks,
            Kind::Endpoint => Fact::HnsEndpoints,
            Kind::Namespace => Fact::HnsNamespaces,
            Kind::LoadBalancer => Fact::HnsLoadBalancers,
            Kind::PortPool => Fact::HnsPortPools,
            Kind::Version => Fact::HnsVersion,
        }
    }

    /// Kind named by a section header (`Networks:`, `Endpoints:` …) or a word of one.
    #[must_use]
    pub fn from_word(w: &str) -> Option<Kind> {
        let w = w.trim().trim_end_matches(':').to_ascii_lowercase();
        match w.as_str() {
            "networks" | "network" => Some(Kind::Network),
            "endpoints" | "endpoint" => Some(Kind::Endpoint),
            "namespaces" | "namespace" | "compartments" => Some(Kind::Namespace),
            "loadbalancers" | "loadbalancer" | "load balancers" | "policylists"
            | "policy lists" => Some(Kind::LoadBalancer),
            _ => None,
        }
    }
}

// One file per job: `skip` (collector-error text, `mark`/`skip_line`, shared with hns_list,
// hnsdiag and vfpctrl), `scan` (tolerant JSON reader), `fields` (accessors), `schema` (v1/v2 and
// kind inference), one builder per object kind, `detect` (content detectors); `parse_as` and the
// per-kind entry points stay here.
mod detect;
mod endpoint;
mod fields;
mod load_balancer;
mod namespace;
mod network;
mod port_pool;
mod scan;
mod schema;
mod skip;

pub use detect::{
    detect_any, detect_endpoints, detect_load_balancers, detect_namespaces, detect_networks,
    detect_port_pools, detect_version,
};
use endpoint::*;
use fields::*;
use load_balancer::*;
use namespace::*;
use network::*;
use port_pool::*;
use scan::*;
use schema::*;
pub(crate) use skip::{check_skip, mark, skip_line};

/// Parse HNS JSON whose file names `kind` (objects whose fields clearly name another kind are
/// filed by their fields). `None`: infer each object's kind (pastes, `hnsdiag list all -d`).
///
/// # Errors
/// `Skip` for empty input, collector error text, an HNSCall `Success:false` envelope or text
/// without JSON; `Broken` when JSON is present but nothing in it parses.
pub fn parse_as(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
    kind: Option<Kind>,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut conv = Convert {
        model,
        file_kind: kind,
        notes: Notes::default(),
        kinds_seen: Vec::new(),
        state_fields: false,
        count: 0,
        skips: Vec::new(),
    };
    // A known kind: each object becomes model objects as soon as it is read (one JSON tree alive
    // at a time). Any kind (`parse_any`): a section header anywhere names the file's kind, so the
    // objects wait until the whole text was read.
    let read = if kind.is_some() {
        read_objects(input, summary, &mut |o| conv.take(o))
    } else {
        let mut objs = Vec::new();
        read_objects(input, summary, &mut |o| {
            objs.push(o);
            Ok(())
        })
        .and_then(|(header, cut)| {
            conv.file_kind = header;
            objs.into_iter().try_for_each(|o| conv.take(o))?;
            Ok((header, cut))
        })
    };
    // Lines the conversion skipped come after the reader's, as they always did.
    for (line, why) in std::mem::take(&mut conv.skips) {
        skip_line(summary, line, why);
    }
    let (_, cut_off) = read?;
    let Convert {
        model,
        file_kind,
        notes,
        kinds_seen,
        state_fields,
        count,
        ..
    } = conv;
    for (f, n) in &notes.depth_truncated {
        summary.warnings.push(format!(
            "{}: `{f}` is depth-truncated ConvertTo-Json text in {n} place(s) (collected without -Depth); those values are partial",
            input.source
        ));
    }
    summary.objects += count;
    if let Some(k) = file_kind {
        mark(model, summary, k.fact());
    }
    for k in &kinds_seen {
        mark(model, summary, k.fact());
    }
    if state_fields {
        mark(model, summary, Fact::HnsEndpointState);
    }
    if cut_off {
        // Objects after the cut are unknown: rules that reason from absence ("no endpoint with
        // this ID") must not take this list as complete.
        let kinds = file_kind.into_iter().chain(kinds_seen.iter().copied());
        for k in kinds {
            model.mark_partial(k.fact());
        }
    }
    Ok(())
}

/// Turns read objects into model objects (the body of [`parse_as`], one object at a time).
struct Convert<'m> {
    model: &'m mut HostModel,
    /// The kind of every object without a better hint.
    file_kind: Option<Kind>,
    notes: Notes,
    kinds_seen: Vec<Kind>,
    /// Endpoint state fields seen (`State`, `IsRemoteEndpoint`).
    state_fields: bool,
    /// Model objects made.
    count: usize,
    /// Lines skipped, for the summary once reading is done.
    skips: Vec<(u32, String)>,
}

impl Convert<'_> {
    fn take(&mut self, obj: Obj) -> Result<(), ParseError> {
        let Obj {
            value,
            line,
            prov,
            hint,
        } = obj;
        let model = &mut *self.model;
        let notes = &mut self.notes;
        let skips = &mut self.skips;
        if let Value::Object(o) = &value {
            if let Some(err) = envelope_error(o) {
                return Err(ParseError::skip(format!("HNS returned an error: {err}")));
            }
        }
        if let Value::String(g) = &value {
            skips.push((
                line,
                format!("bare ID {g} (enumeration output) has no properties"),
            ));
            return Ok(());
        }
        let mut flat = Vec::new();
        flatten(value, &mut flat, hint.or(self.file_kind));
        for (o, h) in flat {
            if o.is_empty() {
                skips.push((line, "not an HNS object".into()));
                continue;
            }
            let inferred = if h == Some(Kind::PortPool) {
                Some(Kind::PortPool)
            } else {
                infer(&o)
            };
            let Some(k) = inferred.or(h) else {
                skips.push((line, "object of unknown HNS kind".into()));
                continue;
            };
            if !self.kinds_seen.contains(&k) {
                self.kinds_seen.push(k);
            }
            let prov = prov.clone();
            match k {
                Kind::Network => model.hns.networks.push(network(&o, prov, notes)),
                Kind::Endpoint => {
                    self.state_fields |= has(&o, "State") || has(&o, "IsRemoteEndpoint");
                    model.hns.endpoints.push(endpoint(&o, prov, notes));
                }
                Kind::Namespace => model.hns.namespaces.push(namespace(&o, prov, notes)),
                Kind::LoadBalancer => match load_balancer(&o, prov, notes) {
                    Some(lb) => model.hns.load_balancers.push(lb),
                    None => {
                        skips.push((line, "policy list without an ELB policy".into()));
                        continue;
                    }
                },
                Kind::PortPool => model.hns.port_pools.push(port_pool(&o, prov)),
                Kind::Version => {
                    let v = HnsVersion {
                        major: u32_of(u(&o, "Major")).unwrap_or(0),
                        minor: u32_of(u(&o, "Minor")).unwrap_or(0),
                    };
                    model.hns.version = Some(v);
                }
            }
            self.count += 1;
        }
        Ok(())
    }
}

macro_rules! kind_parser {
    ($name:ident, $kind:expr, $doc:literal) => {
        #[doc = $doc]
        ///
        /// # Errors
        /// As [`parse_as`].
        pub fn $name(
            input: &Input<'_>,
            model: &mut HostModel,
            summary: &mut InputSummary,
        ) -> Result<(), ParseError> {
            parse_as(input, model, summary, $kind)
        }
    };
}

kind_parser!(
    parse_networks,
    Some(Kind::Network),
    "Networks JSON (`hns/networks.json`, `network.txt`, `networkdetailed.txt`)."
);
kind_parser!(
    parse_endpoints,
    Some(Kind::Endpoint),
    "Endpoints JSON (`hns/endpoints.json`, `endpoint.txt`)."
);
kind_parser!(
    parse_namespaces,
    Some(Kind::Namespace),
    "Namespaces JSON (`hns/namespaces.json`, `namespaces.txt`)."
);
kind_parser!(parse_load_balancers, Some(Kind::LoadBalancer), "v2 load balancers / v1 policy lists JSON (`hns/loadbalancers.json`, `hns/policylists.json`, `policy.txt`).");
kind_parser!(
    parse_port_pools,
    Some(Kind::PortPool),
    "Port-pool allocations (`hns/portpools.json`, `hnsportpoolallocs.txt`)."
);
kind_parser!(
    parse_version,
    Some(Kind::Version),
    "HNS version `{\"Major\":N,\"Minor\":M}` (`hns/version.json`)."
);
kind_parser!(
    parse_any,
    None,
    "HNS JSON of any kinds, filed by section header or fields (`hnsdiag list all -d`, pastes)."
);

// ---------------------------------------------------------------------------------------------
// Detectors
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests;
