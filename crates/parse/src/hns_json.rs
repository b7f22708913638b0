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
use crate::{Fact, HostModel, Input, InputSummary, ParseError, Prov, SkippedLine};
use hnsdoctor_model::{
    norm_guid, ApiSchema, Endpoint, HnsVersion, LoadBalancer, Namespace, Network, Policy,
    PortMapping, PortPoolAllocation, Subnet, SwitchExtension,
};
use rayon::prelude::*;
use serde_json::{Map, Value};

/// Most skipped lines kept per summary.
const MAX_SKIPPED_KEPT: usize = 20;

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

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by hns_list / hnsdiag / vfpctrl)
// ---------------------------------------------------------------------------------------------

/// Lower-case collector / API error texts that mean "no HNS evidence here".
const HNS_ERRORS: &[&str] = &[
    "is not recognized as the name of a cmdlet",
    "is not recognized as an internal or external command",
    "commandnotfoundexception",
    "access is denied",
    "requires elevation",
    "hns api not available",
    "the specified module could not be found",
    "failed to load vmcompute.dll",
    "hns failed with error",
    "failed in win32",
    "the system cannot find the file specified",
    "could not load file or assembly",
];

/// `Err(Skip)` when `text` is empty or one of its first non-empty lines is a collector error or
/// an HRESULT error line. Shared by the HNS-family parsers.
pub(crate) fn check_skip(text: &str) -> Result<(), ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    for l in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(5)
    {
        if l.starts_with('{') || l.starts_with('[') {
            break;
        }
        let low = l.to_ascii_lowercase();
        if HNS_ERRORS.iter().any(|e| low.contains(e)) || is_hresult_line(&low) {
            return Err(ParseError::skip(format!(
                "collector error: {}",
                l.chars().take(160).collect::<String>()
            )));
        }
    }
    Ok(())
}

/// `... error ... 0x80xxxxxx` / `HRESULT 0x…` lines.
fn is_hresult_line(low: &str) -> bool {
    let has_hr = low.match_indices("0x8").any(|(i, _)| {
        low.get(i + 2..i + 10)
            .is_some_and(|h| h.len() == 8 && h.chars().all(|c| c.is_ascii_hexdigit()))
    });
    has_hr && (low.contains("error") || low.contains("failed") || low.contains("hresult"))
}

/// Record a fact in the model and the summary.
pub(crate) fn mark(model: &mut HostModel, summary: &mut InputSummary, fact: Fact) {
    model.mark(fact);
    if !summary.facts.contains(&fact) {
        summary.facts.push(fact);
    }
}

/// Record a skipped line.
pub(crate) fn skip_line(summary: &mut InputSummary, line: u32, reason: impl Into<String>) {
    summary.skipped_count += 1;
    if summary.skipped.len() < MAX_SKIPPED_KEPT {
        summary.skipped.push(SkippedLine {
            line,
            reason: reason.into(),
        });
    }
}

/// Byte offsets of line starts, for offset → line lookups without rescanning.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    first: u32,
}

impl LineIndex {
    pub(crate) fn new(text: &str, first_line: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            starts,
            first: first_line,
        }
    }

    /// 0-based line index of a byte offset.
    fn idx(&self, off: usize) -> usize {
        match self.starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// 1-based (input-relative) line number of a byte offset.
    pub(crate) fn line(&self, off: usize) -> u32 {
        self.first
            .saturating_add(u32::try_from(self.idx(off)).unwrap_or(u32::MAX))
    }

    /// The text from `off` to the end of its line.
    pub(crate) fn rest_of_line<'t>(&self, text: &'t str, off: usize) -> &'t str {
        let i = self.idx(off);
        let end = self
            .starts
            .get(i + 1)
            .map_or(text.len(), |s| s.saturating_sub(1));
        text.get(off..end.max(off)).unwrap_or("")
    }
}

// ---------------------------------------------------------------------------------------------
// Tolerant structural scanner
// ---------------------------------------------------------------------------------------------

/// A byte span `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// One top-level JSON value found in the text.
#[derive(Debug, Default)]
struct TopValue {
    /// End (exclusive) when the value was closed.
    end: Option<usize>,
    /// Complete elements: of the top array, or of the wrapper array (`value`, `Output`,
    /// `PortPoolAllocations`) of a top object, or the `Output` object.
    elements: Vec<Span>,
    /// The wrapper key whose array gave the elements.
    wrapper: Option<String>,
    /// Offset of a structural error (mismatched bracket).
    error: Option<usize>,
}

const WRAPPER_KEYS: &[&str] = &["value", "Output", "PortPoolAllocations"];

/// Scan one JSON value starting at `start` (a `{` or `[`), recording the spans of its elements
/// without building values. Linear in the bytes scanned; stops at the value's end or the text's.
fn scan_value(b: &[u8], start: usize) -> TopValue {
    struct Frame {
        open: u8,
        start: usize,
        /// This frame is the element container (top array or wrapper array).
        collects: bool,
    }
    let mut top = TopValue::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = start;
    let mut in_str = false;
    let mut esc = false;
    let mut str_start = 0usize;
    let mut last_str: Option<(usize, usize)> = None;
    let mut key: Option<(usize, usize)> = None;
    while let Some(&c) = b.get(i) {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
                last_str = Some((str_start, i));
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                str_start = i + 1;
            }
            b':' => key = last_str.take(),
            b',' => {
                key = None;
                last_str = None;
            }
            b'{' | b'[' => {
                let depth = stack.len();
                let key_name = key
                    .take()
                    .and_then(|(s, e)| std::str::from_utf8(b.get(s..e).unwrap_or(&[])).ok());
                let collects = (depth == 0 && c == b'[')
                    || (depth == 1
                        && stack.first().is_some_and(|f| f.open == b'{')
                        && key_name.is_some_and(|k| WRAPPER_KEYS.contains(&k))
                        && (c == b'[' || key_name == Some("Output")));
                if collects && depth == 1 {
                    top.wrapper = key_name.map(str::to_string);
                }
                stack.push(Frame {
                    open: c,
                    start: i,
                    collects,
                });
            }
            b'}' | b']' => {
                let want = if c == b'}' { b'{' } else { b'[' };
                let Some(f) = stack.pop() else {
                    top.error = Some(i);
                    return top;
                };
                if f.open != want {
                    top.error = Some(i);
                    return top;
                }
                let parent_collects = stack.last().is_some_and(|p| p.collects);
                if parent_collects {
                    top.elements.push(Span {
                        start: f.start,
                        end: i + 1,
                    });
                } else if f.collects && f.open == b'{' {
                    // `"Output": { … }`: the object itself is the element
                    top.elements.push(Span {
                        start: f.start,
                        end: i + 1,
                    });
                }
                last_str = None;
                if stack.is_empty() {
                    top.end = Some(i + 1);
                    return top;
                }
            }
            _ => {}
        }
        i += 1;
    }
    top
}

// ---------------------------------------------------------------------------------------------
// Document reading
// ---------------------------------------------------------------------------------------------

/// One JSON object read from the text with the line it starts on.
struct Obj {
    value: Value,
    line: u32,
    prov: Prov,
    /// Kind implied by the surrounding document (section header, wrapper key).
    hint: Option<Kind>,
}

/// Collected depth-truncation warnings (field → count), reported once per field.
#[derive(Default)]
struct Notes {
    depth_truncated: std::collections::BTreeMap<String, usize>,
}

impl Notes {
    fn truncated(&mut self, field: &str) {
        *self.depth_truncated.entry(field.to_string()).or_default() += 1;
    }
}

fn is_json_start(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// JSON elements parsed together (in parallel) by [`read_objects`].
const PARSE_BATCH: usize = 256;

/// What [`read_objects`] found besides the objects: the kind hint (the first section header),
/// and whether the input was cut off (so later objects may be missing).
type ReadObjects = (Option<Kind>, bool);

/// Read every JSON value of `input` and hand each object, with its line, to `sink` as soon as it
/// is parsed (so only one object's JSON tree is alive at a time); an error from `sink` stops the
/// reading. Errors only while no object was handed over.
fn read_objects(
    input: &Input<'_>,
    summary: &mut InputSummary,
    sink: &mut dyn FnMut(Obj) -> Result<(), ParseError>,
) -> Result<ReadObjects, ParseError> {
    let text = input.text;
    let bytes = text.as_bytes();
    let idx = LineIndex::new(text, input.first_line);
    let mut objs = 0usize;
    let mut hint: Option<Kind> = None;
    let mut first_hint: Option<Kind> = None;
    let mut pos = 0usize;
    let mut found_json = false;
    let mut cut_off = false;
    let mut leading_text = 0usize;
    let mut leading_first: Option<u32> = None;
    while pos < text.len() {
        let line_end = text
            .get(pos..)
            .and_then(|r| r.find('\n'))
            .map_or(text.len(), |e| pos + e);
        let line = text.get(pos..line_end).unwrap_or("");
        if !is_json_start(line) {
            let t = line.trim();
            if let Some(k) = Kind::from_word(t).filter(|_| t.ends_with(':')) {
                hint = Some(k);
                first_hint.get_or_insert(k);
            } else if !t.is_empty() {
                leading_text += 1;
                leading_first.get_or_insert(idx.line(pos));
            }
            pos = line_end + 1;
            continue;
        }
        found_json = true;
        let start = pos + (line.len() - line.trim_start().len());
        let top = scan_value(bytes, start);
        let top_line = idx.line(start);
        let wrapper_hint = match top.wrapper.as_deref() {
            Some("PortPoolAllocations") => Some(Kind::PortPool),
            _ => None,
        };
        let whole_closed = top.end.is_some() && top.error.is_none();
        let is_array = bytes.get(start) == Some(&b'[');
        // Which spans to parse.
        let spans: Vec<Span> = if is_array || top.wrapper.is_some() {
            top.elements.clone()
        } else if let Some(end) = top.end {
            vec![Span { start, end }]
        } else {
            Vec::new()
        };
        if whole_closed && !is_array && top.wrapper.is_some() {
            // Envelope with Success:false and an Output? Parse the whole envelope to check.
            if let Some(Value::Object(env)) = top
                .end
                .and_then(|e| text.get(start..e))
                .and_then(|s| serde_json::from_str::<Value>(s).ok())
            {
                if let Some(err) = envelope_error(&env) {
                    return Err(ParseError::skip(format!("HNS returned an error: {err}")));
                }
            }
        }
        // Elements are parsed a batch at a time on every core, then taken in order: the same
        // objects, skips and errors as one at a time, with a bounded number of trees alive.
        let mut parsed = Vec::new().into_iter();
        for (i, sp) in spans.iter().enumerate() {
            if i % PARSE_BATCH == 0 {
                let batch = spans
                    .get(i..(i + PARSE_BATCH).min(spans.len()))
                    .unwrap_or_default();
                parsed = batch
                    .par_iter()
                    .map(|b| text.get(b.start..b.end).map(serde_json::from_str::<Value>))
                    .collect::<Vec<_>>()
                    .into_iter();
            }
            let (Some(s), Some(Some(value))) = (text.get(sp.start..sp.end), parsed.next()) else {
                continue;
            };
            match value {
                Ok(v) => {
                    let line = idx.line(sp.start);
                    let quote = id_quote(s).map_or_else(
                        || idx.rest_of_line(text, sp.start),
                        |rel| idx.rest_of_line(text, sp.start + rel),
                    );
                    objs += 1;
                    sink(Obj {
                        value: v,
                        line,
                        prov: Prov::quoted(input.source, line, quote),
                        hint: wrapper_hint.or(hint),
                    })?;
                }
                Err(e) => {
                    let line = idx
                        .line(sp.start)
                        .saturating_add(u32::try_from(e.line().saturating_sub(1)).unwrap_or(0));
                    if spans.len() == 1 && objs == 0 && whole_closed {
                        return Err(ParseError::broken(
                            input,
                            line,
                            "JSON",
                            idx.rest_of_line(text, sp.start),
                        ));
                    }
                    skip_line(summary, line, format!("JSON element not parsed: {e}"));
                }
            }
        }
        match (top.end, top.error) {
            (Some(end), None) => pos = end,
            (_, Some(err)) => {
                let line = idx.line(err);
                if objs == 0 {
                    return Err(ParseError::broken(
                        input,
                        line,
                        "balanced JSON brackets",
                        idx.rest_of_line(text, err),
                    ));
                }
                summary.warnings.push(format!(
                    "{}:{line}: JSON structure broken here; kept {} complete objects before it",
                    input.source, objs
                ));
                cut_off = true;
                break;
            }
            (None, None) => {
                let cut = idx.line(text.trim_end().len().saturating_sub(1).max(start));
                if spans.is_empty() && objs == 0 {
                    return Err(ParseError::broken(
                        input,
                        cut,
                        "a complete JSON object (input is cut off)",
                        idx.rest_of_line(text, start),
                    ));
                }
                summary.warnings.push(format!(
                    "{}:{cut}: JSON is truncated (cut off at line {cut}, value opened at line {top_line}); kept {} complete objects before the cut, later objects are missing",
                    input.source,
                    spans.len()
                ));
                cut_off = true;
                break;
            }
        }
        // continue after the value: skip to the next line start
        pos = text
            .get(pos..)
            .and_then(|r| r.find('\n'))
            .map_or(text.len(), |e| pos + e + 1);
    }
    if !found_json {
        return Err(ParseError::skip(
            "no JSON in input (a table or list: see the Get-Hns* list parser)",
        ));
    }
    if leading_text > 0 {
        summary.warnings.push(format!(
            "{}:{}: {leading_text} non-JSON lines (a table or list before the JSON) left to the list/table parser",
            input.source,
            leading_first.unwrap_or(input.first_line)
        ));
    }
    Ok((first_hint, cut_off))
}

/// Offset of the `"ID"` key within an object's text (first occurrence).
fn id_quote(s: &str) -> Option<usize> {
    s.find("\"ID\"").or_else(|| s.find("\"Id\""))
}

/// `Success:false` envelope → its error text.
fn envelope_error(o: &Map<String, Value>) -> Option<String> {
    if o.get("Success").and_then(Value::as_bool) == Some(false) {
        return Some(
            o.get("Error")
                .and_then(Value::as_str)
                .unwrap_or("(no error text)")
                .trim()
                .to_string(),
        );
    }
    None
}

/// Unwrap envelopes and arrays into plain HNS objects (a value may be an array, an envelope …).
fn flatten(v: Value, out: &mut Vec<(Map<String, Value>, Option<Kind>)>, hint: Option<Kind>) {
    match v {
        Value::Array(a) => {
            for x in a {
                flatten(x, out, hint);
            }
        }
        Value::Object(mut o) => {
            if o.contains_key("Success") && (o.contains_key("Output") || o.contains_key("Error")) {
                if let Some(inner) = o.remove("Output") {
                    flatten(inner, out, hint);
                }
                return;
            }
            if o.len() <= 2 && o.get("value").is_some_and(Value::is_array) {
                if let Some(inner) = o.remove("value") {
                    flatten(inner, out, hint);
                }
                return;
            }
            if let Some(inner) = o.remove("PortPoolAllocations") {
                match inner {
                    Value::Object(m) => {
                        for (k, mut v) in m {
                            if let Value::Object(e) = &mut v {
                                e.entry("Name").or_insert(Value::String(k));
                            }
                            flatten_pool(v, out);
                        }
                    }
                    other => flatten_pool(other, out),
                }
                return;
            }
            out.push((o, hint));
        }
        _ => out.push((Map::new(), hint)),
    }
}

fn flatten_pool(v: Value, out: &mut Vec<(Map<String, Value>, Option<Kind>)>) {
    match v {
        Value::Array(a) => a.into_iter().for_each(|x| flatten_pool(x, out)),
        Value::Object(o) => out.push((o, Some(Kind::PortPool))),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Field access
// ---------------------------------------------------------------------------------------------

/// Field by exact name, then ASCII case-insensitively.
fn field<'v>(o: &'v Map<String, Value>, k: &str) -> Option<&'v Value> {
    o.get(k).or_else(|| {
        o.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v)
    })
}

fn has(o: &Map<String, Value>, k: &str) -> bool {
    field(o, k).is_some()
}

fn s(o: &Map<String, Value>, k: &str) -> Option<String> {
    match field(o, k)? {
        Value::String(x) if !x.trim().is_empty() => Some(x.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn u(o: &Map<String, Value>, k: &str) -> Option<u64> {
    match field(o, k)? {
        Value::Number(n) => n.as_u64(),
        Value::String(x) => x.trim().parse().ok(),
        Value::Bool(b) => Some(u64::from(*b)),
        _ => None,
    }
}

fn b(o: &Map<String, Value>, k: &str) -> Option<bool> {
    match field(o, k)? {
        Value::Bool(x) => Some(*x),
        Value::String(x) => psformat::ps_bool(x),
        Value::Number(n) => n.as_u64().map(|v| v != 0),
        _ => None,
    }
}

fn u32_of(v: Option<u64>) -> Option<u32> {
    v.and_then(|x| u32::try_from(x).ok())
}

/// A depth-truncated ConvertTo-Json rendering in place of an object or array.
fn is_depth_truncated(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("@{") || t.starts_with("System.Object[]") || t.starts_with("System.Collections.")
}

/// An array field; PS 5.1 `{"value":[…]}` unwrapped; a depth-truncated string is noted.
fn arr<'v>(o: &'v Map<String, Value>, k: &str, notes: &mut Notes) -> &'v [Value] {
    match field(o, k) {
        Some(Value::Array(a)) => a,
        Some(Value::Object(w)) => match w.get("value") {
            Some(Value::Array(a)) => a,
            _ => &[],
        },
        Some(Value::String(x)) if is_depth_truncated(x) => {
            notes.truncated(k);
            &[]
        }
        _ => &[],
    }
}

/// An object field (borrowed, not cloned); a depth-truncated `@{K=V}` string is read back as an
/// object of strings.
fn obj<'a>(
    o: &'a Map<String, Value>,
    k: &str,
    notes: &mut Notes,
) -> Option<std::borrow::Cow<'a, Map<String, Value>>> {
    match field(o, k)? {
        Value::Object(m) => Some(std::borrow::Cow::Borrowed(m)),
        Value::String(x) if is_depth_truncated(x) => {
            notes.truncated(k);
            psformat::parse_nested(x).map(|pairs| {
                std::borrow::Cow::Owned(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect(),
                )
            })
        }
        _ => None,
    }
}

/// Strings of an array field, or a comma-separated string.
fn strings(o: &Map<String, Value>, k: &str, notes: &mut Notes) -> Vec<String> {
    if let Some(Value::String(x)) = field(o, k) {
        if is_depth_truncated(x) {
            notes.truncated(k);
            return Vec::new();
        }
        return x
            .split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
    }
    arr(o, k, notes)
        .iter()
        .filter_map(|v| match v {
            Value::String(x) => Some(x.trim().to_string()),
            Value::Object(m) => s(m, "ID"),
            _ => None,
        })
        .filter(|x| !x.is_empty())
        .collect()
}

fn guid(o: &Map<String, Value>, k: &str) -> Option<String> {
    s(o, k).map(|g| norm_guid(&g))
}

/// Policies: v2 `{Type, Settings}` or v1 flat objects with `Type`.
fn policies(o: &Map<String, Value>, notes: &mut Notes) -> Vec<Policy> {
    arr(o, "Policies", notes)
        .iter()
        .filter_map(|p| match p {
            Value::Object(m) => {
                let kind = s(m, "Type").unwrap_or_default();
                let settings = match field(m, "Settings") {
                    Some(v) => v.clone(),
                    None => {
                        let mut rest = m.clone();
                        rest.remove("Type");
                        Value::Object(rest)
                    }
                };
                Some(Policy { kind, settings })
            }
            Value::String(x) => {
                // depth-truncated "@{Type=ROUTE; …}"
                let pairs = psformat::parse_nested(x)?;
                notes.truncated("Policies");
                let kind = pairs
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("Type"))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                let settings = pairs
                    .into_iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("Type"))
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect();
                Some(Policy {
                    kind,
                    settings: Value::Object(settings),
                })
            }
            _ => None,
        })
        .collect()
}

/// Every `Allocators` entry anywhere below the object `o` (networks keep them under
/// `Resources` or `Layer.Resources`), depth-limited, borrowed (no copy of the object).
fn allocators<'a>(o: &'a Map<String, Value>, out: &mut Vec<&'a Map<String, Value>>) {
    allocators_in(o, 0, out);
}

fn allocators_in<'a>(m: &'a Map<String, Value>, depth: u32, out: &mut Vec<&'a Map<String, Value>>) {
    for (k, x) in m {
        if k.eq_ignore_ascii_case("Allocators") {
            if let Value::Array(a) = x {
                out.extend(a.iter().filter_map(Value::as_object));
            }
        }
        allocators_value(x, depth + 1, out);
    }
}

fn allocators_value<'a>(v: &'a Value, depth: u32, out: &mut Vec<&'a Map<String, Value>>) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Object(m) => allocators_in(m, depth, out),
        Value::Array(a) => a.iter().for_each(|x| allocators_value(x, depth + 1, out)),
        _ => {}
    }
}

fn allocator_tag(a: &Map<String, Value>) -> String {
    s(a, "Tag").unwrap_or_default().to_ascii_lowercase()
}

fn schema_of(o: &Map<String, Value>) -> ApiSchema {
    if let Some(Value::Object(sv)) = field(o, "SchemaVersion") {
        return if u(sv, "Major").unwrap_or(2) >= 2 {
            ApiSchema::V2
        } else {
            ApiSchema::V1
        };
    }
    const V2: &[&str] = &[
        "IpConfigurations",
        "HostComputeNetwork",
        "HostComputeEndpoints",
        "HostComputeNamespace",
        "FrontendVIPs",
        "Ipams",
        "PortMappings",
    ];
    const V1: &[&str] = &[
        "VirtualNetwork",
        "VirtualNetworkName",
        "IsRemoteEndpoint",
        "References",
        "ManagementIP",
        "Subnets",
        "IPAddress",
        "MacPools",
    ];
    if V2.iter().any(|k| has(o, k)) {
        ApiSchema::V2
    } else if V1.iter().any(|k| has(o, k)) {
        ApiSchema::V1
    } else {
        ApiSchema::Unknown
    }
}

/// Infer an object's kind from its fields; `None` when not distinctive.
#[must_use]
fn infer(o: &Map<String, Value>) -> Option<Kind> {
    if has(o, "Major") && has(o, "Minor") && o.len() <= 4 {
        return Some(Kind::Version);
    }
    if has(o, "FrontendVIPs") || has(o, "HostComputeEndpoints") || has(o, "PortMappings") {
        return Some(Kind::LoadBalancer);
    }
    if has(o, "References") {
        return Some(Kind::LoadBalancer);
    }
    if [
        "IpConfigurations",
        "HostComputeNetwork",
        "VirtualNetwork",
        "IsRemoteEndpoint",
        "IPAddress",
    ]
    .iter()
    .any(|k| has(o, k))
    {
        return Some(Kind::Endpoint);
    }
    if has(o, "NamespaceId") || has(o, "ResourceList") {
        return Some(Kind::Namespace);
    }
    if has(o, "CompartmentId")
        && s(o, "Type").is_some_and(|t| {
            ["host", "hostdefault", "guest", "guestdefault"]
                .contains(&t.to_ascii_lowercase().as_str())
        })
    {
        return Some(Kind::Namespace);
    }
    if [
        "Subnets",
        "Ipams",
        "ManagementIP",
        "NetworkAdapterName",
        "MacPools",
        "MacPool",
        "Extensions",
    ]
    .iter()
    .any(|k| has(o, k))
    {
        return Some(Kind::Network);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Object builders
// ---------------------------------------------------------------------------------------------

fn network(o: &Map<String, Value>, prov: Prov, notes: &mut Notes) -> Network {
    let schema = schema_of(o);
    let mut n = Network {
        id: guid(o, "ID").unwrap_or_default(),
        name: s(o, "Name").unwrap_or_default(),
        net_type: s(o, "Type").unwrap_or_else(|| {
            if schema == ApiSchema::V2 {
                "NAT".to_string()
            } else {
                String::new()
            }
        }),
        management_ip: s(o, "ManagementIP"),
        adapter_name: s(o, "NetworkAdapterName"),
        flags: u(o, "Flags"),
        policies: policies(o, notes),
        object_version: u(o, "Version"),
        state: u32_of(u(o, "State")),
        schema,
        prov,
        ..Network::default()
    };
    if n.adapter_name.is_none() {
        n.adapter_name = n
            .policies
            .iter()
            .find(|p| p.kind.eq_ignore_ascii_case("NetAdapterName"))
            .and_then(|p| p.settings.get("NetworkAdapterName"))
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    for sn in arr(o, "Subnets", notes) {
        if let Some(m) = sn.as_object() {
            if let Some(prefix) = s(m, "AddressPrefix").or_else(|| s(m, "IpAddressPrefix")) {
                n.subnets.push(Subnet {
                    prefix,
                    gateway: s(m, "GatewayAddress"),
                });
            }
        } else if let Some(x) = sn.as_str().and_then(psformat::parse_nested) {
            notes.truncated("Subnets");
            let get = |k: &str| {
                x.iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.clone())
                    .filter(|v| !v.is_empty())
            };
            if let Some(prefix) = get("AddressPrefix") {
                n.subnets.push(Subnet {
                    prefix,
                    gateway: get("GatewayAddress"),
                });
            }
        }
    }
    for ipam in arr(o, "Ipams", notes).iter().filter_map(Value::as_object) {
        for sn in arr(ipam, "Subnets", notes)
            .iter()
            .filter_map(Value::as_object)
        {
            let Some(prefix) = s(sn, "IpAddressPrefix") else {
                continue;
            };
            let gateway = arr(sn, "Routes", notes)
                .iter()
                .filter_map(Value::as_object)
                .find(|r| s(r, "DestinationPrefix").is_none_or(|d| d == "0.0.0.0/0" || d == "::/0"))
                .and_then(|r| s(r, "NextHop"));
            n.subnets.push(Subnet { prefix, gateway });
        }
    }
    n.dns_servers = strings(o, "DNSServerList", notes);
    if let Some(dns) = obj(o, "Dns", notes) {
        n.dns_servers.extend(strings(&dns, "ServerList", notes));
    }
    for e in arr(o, "Extensions", notes)
        .iter()
        .filter_map(Value::as_object)
    {
        n.extensions.push(SwitchExtension {
            id: guid(e, "Id").unwrap_or_default(),
            name: s(e, "Name"),
            enabled: b(e, "IsEnabled").unwrap_or(false),
        });
    }
    let mut allocs = Vec::new();
    allocators(o, &mut allocs);
    for a in &allocs {
        match allocator_tag(a).as_str() {
            "host vnic" => {
                n.host_vnic_port = n
                    .host_vnic_port
                    .take()
                    .or_else(|| guid(a, "EndpointPortGuid").or_else(|| guid(a, "ID")));
            }
            "external adapter info" => {
                n.external_port = n
                    .external_port
                    .take()
                    .or_else(|| guid(a, "ExternalNicPortGuid"));
            }
            _ => {}
        }
    }
    n
}

fn endpoint(o: &Map<String, Value>, prov: Prov, notes: &mut Notes) -> Endpoint {
    let schema = schema_of(o);
    let flags = u(o, "Flags");
    let mut e = Endpoint {
        id: guid(o, "ID").unwrap_or_default(),
        name: s(o, "Name"),
        network_id: guid(o, "VirtualNetwork").or_else(|| guid(o, "HostComputeNetwork")),
        network_name: s(o, "VirtualNetworkName"),
        prefix_length: u(o, "PrefixLength").and_then(|p| u8::try_from(p).ok()),
        mac: s(o, "MacAddress"),
        is_remote: b(o, "IsRemoteEndpoint"),
        state: u32_of(u(o, "State")),
        namespace_id: guid(o, "HostComputeNamespace"),
        encap_overhead: u32_of(u(o, "EncapOverhead")),
        gateway: s(o, "GatewayAddress"),
        policies: policies(o, notes),
        flags,
        schema,
        prov,
        ..Endpoint::default()
    };
    if e.is_remote.is_none() && schema == ApiSchema::V2 {
        // v2: RemoteEndpoint = Flags & 1; Flags 0 is omitted (omitempty).
        e.is_remote = Some(flags.unwrap_or(0) & 1 == 1);
    }
    if e.is_remote.is_none() && schema == ApiSchema::V1 && has(o, "State") {
        // v1 JSON carries `IsRemoteEndpoint` with omitempty (hcsshim's HNSEndpoint), so a v1
        // object that has its State but no IsRemoteEndpoint is a local endpoint.
        e.is_remote = Some(false);
    }
    e.ips.extend(s(o, "IPAddress"));
    e.ips.extend(s(o, "IPv6Address"));
    for (i, c) in arr(o, "IpConfigurations", notes)
        .iter()
        .filter_map(Value::as_object)
        .enumerate()
    {
        e.ips.extend(s(c, "IpAddress"));
        if i == 0 && e.prefix_length.is_none() {
            e.prefix_length = u(c, "PrefixLength").and_then(|p| u8::try_from(p).ok());
        }
    }
    if e.namespace_id.is_none() {
        e.namespace_id = obj(o, "Namespace", notes).and_then(|m| guid(&m, "ID"));
    }
    if e.gateway.is_none() {
        e.gateway = arr(o, "Routes", notes)
            .iter()
            .filter_map(Value::as_object)
            .find(|r| s(r, "DestinationPrefix").is_none_or(|d| d == "0.0.0.0/0"))
            .and_then(|r| s(r, "NextHop"));
    }
    if e.encap_overhead.is_none() {
        e.encap_overhead = e
            .policies
            .iter()
            .find(|p| p.kind.eq_ignore_ascii_case("EncapOverhead"))
            .and_then(|p| p.settings.get("Overhead"))
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|x| x.parse().ok()))
            })
            .and_then(|x| u32::try_from(x).ok());
    }
    let mut allocs = Vec::new();
    allocators(o, &mut allocs);
    for a in &allocs {
        if allocator_tag(a) == "endpoint port" {
            e.vfp_port = e.vfp_port.take().or_else(|| guid(a, "EndpointPortGuid"));
        }
        if e.compartment_id.is_none() {
            e.compartment_id = u32_of(u(a, "CompartmendId").or_else(|| u(a, "CompartmentId")));
        }
    }
    e
}

fn namespace(o: &Map<String, Value>, prov: Prov, notes: &mut Notes) -> Namespace {
    let mut n = Namespace {
        id: guid(o, "ID").unwrap_or_default(),
        compartment_id: u32_of(u(o, "NamespaceId").or_else(|| u(o, "CompartmentId"))),
        ns_type: s(o, "Type"),
        is_default: b(o, "IsDefault"),
        prov,
        ..Namespace::default()
    };
    let mut res: Vec<&Value> = arr(o, "Resources", notes).iter().collect();
    res.extend(arr(o, "ResourceList", notes).iter());
    for r in res.into_iter().filter_map(Value::as_object) {
        let t = s(r, "Type").unwrap_or_default().to_ascii_lowercase();
        let id = obj(r, "Data", notes)
            .and_then(|d| guid(&d, "ID").or_else(|| guid(&d, "ContainerId")))
            .or_else(|| guid(r, "ID"));
        match (t.as_str(), id) {
            ("endpoint", Some(id)) => n.endpoint_ids.push(id),
            ("container", Some(id)) => n.container_ids.push(id),
            _ => {}
        }
    }
    n
}

fn mapping_flags(ilb: Option<bool>, local_routed: Option<bool>) -> u64 {
    u64::from(ilb == Some(true)) | (u64::from(local_routed == Some(true)) << 1)
}

/// A v2 load balancer, or a v1 policy list with ELB policies; `None` for other policy lists.
fn load_balancer(o: &Map<String, Value>, prov: Prov, notes: &mut Notes) -> Option<LoadBalancer> {
    let schema = schema_of(o);
    let mut lb = LoadBalancer {
        id: guid(o, "ID").unwrap_or_default(),
        source_vip: s(o, "SourceVIP"),
        flags: u(o, "Flags"),
        state: u32_of(u(o, "State")),
        schema,
        prov,
        ..LoadBalancer::default()
    };
    if has(o, "References") || (!has(o, "PortMappings") && has(o, "Policies")) {
        lb.schema = ApiSchema::V1;
        lb.endpoint_ids = strings(o, "References", notes)
            .iter()
            .map(|r| norm_guid(r.rsplit('/').next().unwrap_or(r)))
            .collect();
        let elbs: Vec<Map<String, Value>> = arr(o, "Policies", notes)
            .iter()
            .filter_map(Value::as_object)
            .filter(|p| s(p, "Type").is_some_and(|t| t.eq_ignore_ascii_case("ELB")))
            .cloned()
            .collect();
        if elbs.is_empty() {
            return None;
        }
        for p in &elbs {
            for v in strings(p, "VIPs", notes) {
                if !lb.vips.contains(&v) {
                    lb.vips.push(v);
                }
            }
            if lb.source_vip.is_none() {
                lb.source_vip = s(p, "SourceVIP");
            }
            let ilb = b(p, "ILB");
            let dsr = b(p, "IsDSR");
            if dsr.is_some() {
                lb.dsr = Some(lb.dsr.unwrap_or(false) || dsr == Some(true));
            }
            if ilb.is_some() {
                lb.ilb = Some(lb.ilb.unwrap_or(false) || ilb == Some(true));
            }
            lb.port_mappings.push(PortMapping {
                protocol: u32_of(u(p, "Protocol")).unwrap_or(0),
                internal_port: u(p, "InternalPort")
                    .and_then(|x| u16::try_from(x).ok())
                    .unwrap_or(0),
                external_port: u(p, "ExternalPort")
                    .and_then(|x| u16::try_from(x).ok())
                    .unwrap_or(0),
                flags: mapping_flags(ilb, b(p, "LocalRoutedVip")),
                distribution: 0,
            });
        }
        return Some(lb);
    }
    lb.schema = if schema == ApiSchema::Unknown {
        ApiSchema::V2
    } else {
        schema
    };
    lb.vips = strings(o, "FrontendVIPs", notes);
    lb.endpoint_ids = strings(o, "HostComputeEndpoints", notes)
        .iter()
        .map(|g| norm_guid(g))
        .collect();
    lb.dsr = Some(lb.flags.unwrap_or(0) & 1 == 1);
    for m in arr(o, "PortMappings", notes)
        .iter()
        .filter_map(Value::as_object)
    {
        lb.port_mappings.push(PortMapping {
            protocol: u32_of(u(m, "Protocol")).unwrap_or(0),
            internal_port: u(m, "InternalPort")
                .and_then(|x| u16::try_from(x).ok())
                .unwrap_or(0),
            external_port: u(m, "ExternalPort")
                .and_then(|x| u16::try_from(x).ok())
                .unwrap_or(0),
            flags: u(m, "Flags").unwrap_or(0),
            distribution: u32_of(u(m, "DistributionType")).unwrap_or(0),
        });
    }
    lb.ilb = Some(lb.port_mappings.iter().any(|m| m.flags & 1 == 1));
    Some(lb)
}

fn protocol_number(v: &str) -> Option<u32> {
    match v.trim().to_ascii_lowercase().as_str() {
        "tcp" => Some(6),
        "udp" => Some(17),
        "sctp" => Some(132),
        x => x.parse().ok(),
    }
}

fn port_pool(o: &Map<String, Value>, prov: Prov) -> PortPoolAllocation {
    let first = |keys: &[&str]| keys.iter().find_map(|k| u(o, k));
    PortPoolAllocation {
        protocol: s(o, "Protocol").and_then(|p| protocol_number(&p)),
        start: first(&["StartPort", "Start", "PortStart", "StartingPort"])
            .and_then(|x| u16::try_from(x).ok()),
        count: u32_of(first(&[
            "Count",
            "NumberOfPorts",
            "PortCount",
            "Size",
            "NumPorts",
        ])),
        owner: ["Owner", "Name", "Tag", "Id", "ID"]
            .iter()
            .find_map(|k| s(o, k)),
        raw: Value::Object(o.clone()),
        prov,
    }
}

// ---------------------------------------------------------------------------------------------
// Parse entry points
// ---------------------------------------------------------------------------------------------

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

/// Kind suggested by cheap key markers in the text; `None` when it does not look like HNS JSON.
fn detect_kind(text: &str) -> Option<Kind> {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[') || text.contains("\n{") || text.contains("\n[")) {
        return None;
    }
    let k = |m: &str| text.contains(m);
    if k("\"PortPoolAllocations\"") {
        return Some(Kind::PortPool);
    }
    if k("\"FrontendVIPs\"")
        || k("\"HostComputeEndpoints\"")
        || (k("\"References\"") && k("\"ELB\""))
    {
        return Some(Kind::LoadBalancer);
    }
    if k("\"IpConfigurations\"")
        || k("\"IsRemoteEndpoint\"")
        || k("\"VirtualNetwork\"")
        || k("\"HostComputeNetwork\"")
    {
        return Some(Kind::Endpoint);
    }
    if k("\"NamespaceId\"") || (k("\"CompartmentId\"") && k("\"Resources\"")) {
        return Some(Kind::Namespace);
    }
    if k("\"ID\"")
        && (k("\"Subnets\"")
            || k("\"Ipams\"")
            || k("\"ManagementIP\"")
            || k("\"NetworkAdapterName\""))
    {
        return Some(Kind::Network);
    }
    if k("\"Major\"") && k("\"Minor\"") && text.len() < 400 {
        return Some(Kind::Version);
    }
    None
}

fn detect_for(text: &str, want: Kind) -> u8 {
    if detect_kind(text) == Some(want) {
        85
    } else {
        0
    }
}

/// Detector: networks JSON.
#[must_use]
pub fn detect_networks(text: &str) -> u8 {
    detect_for(text, Kind::Network)
}
/// Detector: endpoints JSON.
#[must_use]
pub fn detect_endpoints(text: &str) -> u8 {
    detect_for(text, Kind::Endpoint)
}
/// Detector: namespaces JSON.
#[must_use]
pub fn detect_namespaces(text: &str) -> u8 {
    detect_for(text, Kind::Namespace)
}
/// Detector: load balancers / policy lists JSON.
#[must_use]
pub fn detect_load_balancers(text: &str) -> u8 {
    detect_for(text, Kind::LoadBalancer)
}
/// Detector: port pools JSON.
#[must_use]
pub fn detect_port_pools(text: &str) -> u8 {
    detect_for(text, Kind::PortPool)
}
/// Detector: version JSON.
#[must_use]
pub fn detect_version(text: &str) -> u8 {
    detect_for(text, Kind::Version)
}
/// Detector for mixed documents (`hnsdiag list all -d`): JSON after `Networks:`-style headers.
#[must_use]
pub fn detect_any(text: &str) -> u8 {
    let headers = text
        .lines()
        .take(400)
        .filter(|l| {
            let t = l.trim();
            t.ends_with(':') && Kind::from_word(t).is_some()
        })
        .count();
    if headers >= 2 && detect_kind(text).is_some() {
        90
    } else {
        0
    }
}

#[cfg(test)]
mod tests;
