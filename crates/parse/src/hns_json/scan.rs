//! The tolerant JSON reader: a line index, a scanner that finds top-level JSON values in text
//! that also holds prompts and banners (`scan_value`), and `read_objects`, which flattens
//! wrappers (`value`, `Output`, port-pool lists) into one object list with its line numbers.

use super::*;

/// Byte offsets of line starts, for offset → line lookups without rescanning.
pub(crate) struct LineIndex {
    pub(super) starts: Vec<usize>,
    pub(super) first: u32,
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
    pub(super) fn idx(&self, off: usize) -> usize {
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
pub(super) struct Span {
    pub(super) start: usize,
    pub(super) end: usize,
}

/// One top-level JSON value found in the text.
#[derive(Debug, Default)]
pub(super) struct TopValue {
    /// End (exclusive) when the value was closed.
    pub(super) end: Option<usize>,
    /// Complete elements: of the top array, or of the wrapper array (`value`, `Output`,
    /// `PortPoolAllocations`) of a top object, or the `Output` object.
    pub(super) elements: Vec<Span>,
    /// The wrapper key whose array gave the elements.
    pub(super) wrapper: Option<String>,
    /// Offset of a structural error (mismatched bracket).
    pub(super) error: Option<usize>,
}

pub(super) const WRAPPER_KEYS: &[&str] = &["value", "Output", "PortPoolAllocations"];

/// Scan one JSON value starting at `start` (a `{` or `[`), recording the spans of its elements
/// without building values. Linear in the bytes scanned; stops at the value's end or the text's.
pub(super) fn scan_value(b: &[u8], start: usize) -> TopValue {
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
pub(super) struct Obj {
    pub(super) value: Value,
    pub(super) line: u32,
    pub(super) prov: Prov,
    /// Kind implied by the surrounding document (section header, wrapper key).
    pub(super) hint: Option<Kind>,
}

/// Collected depth-truncation warnings (field → count), reported once per field.
#[derive(Default)]
pub(super) struct Notes {
    pub(super) depth_truncated: std::collections::BTreeMap<String, usize>,
}

impl Notes {
    pub(super) fn truncated(&mut self, field: &str) {
        *self.depth_truncated.entry(field.to_string()).or_default() += 1;
    }
}

pub(super) fn is_json_start(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// What [`read_objects`] found: the objects, the kind hint, and whether the input was cut off
/// (so later objects may be missing).
pub(super) type ReadObjects = (Vec<Obj>, Option<Kind>, bool);

/// Read every JSON value of `input`: objects with lines, or an error.
pub(super) fn read_objects(
    input: &Input<'_>,
    summary: &mut InputSummary,
) -> Result<ReadObjects, ParseError> {
    let text = input.text;
    let bytes = text.as_bytes();
    let idx = LineIndex::new(text, input.first_line);
    let mut objs = Vec::new();
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
        for sp in &spans {
            let Some(s) = text.get(sp.start..sp.end) else {
                continue;
            };
            match serde_json::from_str::<Value>(s) {
                Ok(v) => {
                    let line = idx.line(sp.start);
                    let quote = id_quote(s).map_or_else(
                        || idx.rest_of_line(text, sp.start),
                        |rel| idx.rest_of_line(text, sp.start + rel),
                    );
                    objs.push(Obj {
                        value: v,
                        line,
                        prov: Prov::quoted(input.source, line, quote),
                        hint: wrapper_hint.or(hint),
                    });
                }
                Err(e) => {
                    let line = idx
                        .line(sp.start)
                        .saturating_add(u32::try_from(e.line().saturating_sub(1)).unwrap_or(0));
                    if spans.len() == 1 && objs.is_empty() && whole_closed {
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
                if objs.is_empty() {
                    return Err(ParseError::broken(
                        input,
                        line,
                        "balanced JSON brackets",
                        idx.rest_of_line(text, err),
                    ));
                }
                summary.warnings.push(format!(
                    "{}:{line}: JSON structure broken here; kept {} complete objects before it",
                    input.source,
                    objs.len()
                ));
                cut_off = true;
                break;
            }
            (None, None) => {
                let cut = idx.line(text.trim_end().len().saturating_sub(1).max(start));
                if spans.is_empty() && objs.is_empty() {
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
    Ok((objs, first_hint, cut_off))
}

/// Offset of the `"ID"` key within an object's text (first occurrence).
pub(super) fn id_quote(s: &str) -> Option<usize> {
    s.find("\"ID\"").or_else(|| s.find("\"Id\""))
}

/// `Success:false` envelope → its error text.
pub(super) fn envelope_error(o: &Map<String, Value>) -> Option<String> {
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
pub(super) fn flatten(
    v: Value,
    out: &mut Vec<(Map<String, Value>, Option<Kind>)>,
    hint: Option<Kind>,
) {
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

pub(super) fn flatten_pool(v: Value, out: &mut Vec<(Map<String, Value>, Option<Kind>)>) {
    match v {
        Value::Array(a) => a.into_iter().for_each(|x| flatten_pool(x, out)),
        Value::Object(o) => out.push((o, Some(Kind::PortPool))),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Field access
// ---------------------------------------------------------------------------------------------
