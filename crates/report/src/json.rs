//! JSON renderer: the versioned machine format of `hnsdoctor analyze --format json`.
//!
//! The document is the [`Report`] serialised as-is plus a `summary` block, pretty-printed, ending
//! with a newline, and pure ASCII: every non-ASCII character is written as a `\uXXXX` escape
//! ([`ascii_escape`]), so the document parses to the same strings whatever code page the reader
//! decodes it with (Windows PowerShell 5.1 piping into `ConvertFrom-Json`).
//! Its shape is versioned by `schema_version` ([`REPORT_SCHEMA_VERSION`], currently 1): additive
//! changes (a new optional field, a new finding id, a new fact name) keep the number; renames,
//! removals and type changes bump it. A JSON Schema (draft 2020-12) is checked in as
//! `crates/report/schema/report.schema.json` ([`SCHEMA`]) and a test validates the fixture
//! report against it; the same format is described in `docs/json.md` ("analyze report").
//!
//! This schema is written by hand on purpose, unlike the view schemas of `kb`, `explain` and
//! `collect --list-sources` (generated with schemars): it is the published contract, and it
//! states what the types cannot (the `schema_version` constant, the build pattern, unique
//! `passed` ids, closed finding objects, descriptions for integrators) while leaving the host
//! model open for additive fields. It cannot drift silently: the tests validate a rendered
//! report against it and check that it rejects what it should.
//!
//! # Wire format (version 1)
//!
//! ```text
//! {
//!   "schema_version": 1,
//!   "tool_version": "0.1.0",
//!   "host": "node-01" | null,            host name when any input names it
//!   "os_build": "17763.5458" | null,     build[.UBR]
//!   "summary": {                          the verdict and counts (additive, see docs/json.md)
//!     "verdict": "2 errors, 1 warning — …", "worst": "error" | "warning" | "info" | null,
//!     "errors": 2, "warnings": 1, "info": 0, "passed": 30, "not_evaluated": 12,
//!     "not_evaluated_by_need": [ { "text": "9 checks need the OS build: add …",
//!                                  "ids": [ "os-outdated", … ] } ]
//!   },
//!   "findings": [                         sorted: errors, warnings, info; then id
//!     {
//!       "id": "port-pool-exhaustion",     stable kebab-case catalogue id — key on this
//!       "severity": "error" | "warning" | "info",
//!       "title": "…", "observed": "…", "why": "…",
//!       "evidence": [ { "source": "netsh/excludedportrange-tcp.txt", "line": 5,
//!                       "text": "49152 49215" } ],     line 0 = unknown; text optional
//!       "fix": [ { "text": "…", "command": "netsh …" | null,
//!                  "last_resort": false, "changes_host": true } ],
//!       "references": [ "https://…" ],
//!       "confidence": "low" | "medium" | "high"
//!     }
//!   ],
//!   "passed": [ "hns-crash", … ],         rules that ran and found nothing (sorted)
//!   "not_evaluated": [ { "id": "…", "title": "…", "missing": [ "vfp-port-state", … ],
//!                        "any_of": [ "kube-proxy-log", … ] } ],   any_of: only when any one would do
//!   "inputs": [                           what was read, per source
//!     { "source": "hns/endpoints.json", "format": "hns-json-v1", "encoding": "utf-8" | null,
//!       "objects": 3, "facts": [ "hns-endpoints" ],
//!       "skipped": [ { "line": 12, "reason": "…" } ], "skipped_count": 7,
//!       "warnings": [ "…" ], "refused": "binary data …" | null }
//!   ],
//!   "model": { "schema_version": 1, "host_name": …, "facts": [ … ], "os": …, "hns": …,
//!              "net": …, "ports": …, "vfp": …, "nat": …, "services": …, … }
//! }
//! ```
//!
//! Consumers should key on `findings[].id` and `severity`, treat unknown fields as additive, and
//! read "not evaluated" as *unknown*, never as a pass. `model` is the host model exactly as
//! `hnsdoctor inspect --format json` prints it (its own `schema_version`).

use hnsdoctor_findings::Report;
#[cfg(doc)]
use hnsdoctor_findings::REPORT_SCHEMA_VERSION;

/// The JSON Schema of the report (draft 2020-12), as checked in.
pub const SCHEMA: &str = include_str!("../schema/report.schema.json");

/// Replace every non-ASCII character with its JSON `\uXXXX` escape (UTF-16 surrogate pairs
/// above U+FFFF). Valid only on serialised JSON, where non-ASCII can occur inside strings only.
/// The document then reads the same whatever code page decodes it — Windows PowerShell 5.1
/// decodes a native command's output with the console's OEM code page, which garbles UTF-8.
#[must_use]
pub fn ascii_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut buf = [0u16; 2];
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Render the report as pretty-printed JSON with a trailing newline, pure ASCII (see
/// [`ascii_escape`]).
#[must_use]
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and serialising plain data structs with string keys cannot
    // either; fall back to a minimal valid document rather than panicking if it ever did.
    match write(report, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!(
            "{{\"schema_version\":{},\"error\":{}}}\n",
            report.schema_version,
            serde_json::Value::String(e.to_string())
        ),
    }
}

/// Write the report as [`render`] does, straight into `out`: no intermediate JSON value or
/// string, so a report whose model holds 300,000 VFP rule names costs no second copy of them.
///
/// # Errors
/// Write errors from `out`.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(out);
    let mut ser = serde_json::Serializer::with_formatter(&mut w, AsciiPretty::default());
    serde::Serialize::serialize(&Document::of(report), &mut ser).map_err(std::io::Error::other)?;
    std::io::Write::write_all(&mut w, b"\n")?;
    std::io::Write::flush(&mut w)
}

/// The wire document: the [`Report`]'s fields in their order with `summary` after `os_build`
/// and `packet_path` last (when there is one), borrowed, not copied. `document_has_every_report_field` keeps it in step with [`Report`].
#[derive(serde::Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool_version: &'a str,
    kb_reviewed: &'a str,
    host: &'a Option<String>,
    os_build: &'a Option<String>,
    summary: crate::summary::Summary,
    findings: &'a [hnsdoctor_findings::Finding],
    passed: &'a [String],
    not_evaluated: &'a [hnsdoctor_findings::NotEvaluated],
    inputs: &'a [hnsdoctor_model::InputSummary],
    model: &'a hnsdoctor_model::HostModel,
    /// The packet path (`pktmon` data), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    packet_path: Option<serde_json::Value>,
}

impl<'a> Document<'a> {
    fn of(r: &'a Report) -> Self {
        Document {
            schema_version: r.schema_version,
            tool_version: &r.tool_version,
            kb_reviewed: &r.kb_reviewed,
            host: &r.host,
            os_build: &r.os_build,
            summary: crate::summary::summary(r),
            findings: &r.findings,
            passed: &r.passed,
            not_evaluated: &r.not_evaluated,
            inputs: &r.inputs,
            model: &r.model,
            packet_path: crate::packet_path::json(r),
        }
    }
}

/// serde_json's pretty printer with every non-ASCII character of a string written as its
/// `\uXXXX` escape, as [`ascii_escape`] does on a finished document.
#[derive(Default)]
struct AsciiPretty(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for AsciiPretty {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if fragment.is_ascii() {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        let mut buf = [0u16; 2];
        for (i, c) in fragment.char_indices() {
            if !c.is_ascii() {
                w.write_all(&fragment.as_bytes()[start..i])?;
                for unit in c.encode_utf16(&mut buf) {
                    write!(w, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// The report as a JSON value (for embedding in other documents): the [`Report`] with the
/// [`crate::summary::Summary`] block inserted as `summary` after `os_build`.
#[must_use]
pub fn to_value(report: &Report) -> serde_json::Value {
    serde_json::to_value(Document::of(report)).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixture::{empty_report, sample_report};
    use hnsdoctor_findings::REPORT_SCHEMA_VERSION;

    fn validator() -> jsonschema::Validator {
        let schema: serde_json::Value =
            serde_json::from_str(SCHEMA).unwrap_or_else(|e| panic!("schema is not JSON: {e}"));
        jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema invalid: {e}"))
    }

    fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
        v.iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[test]
    fn snapshot_sample() {
        insta::assert_json_snapshot!(to_value(&sample_report()));
    }

    #[test]
    fn snapshot_empty() {
        insta::assert_json_snapshot!(to_value(&empty_report()));
    }

    #[test]
    fn rendered_fixture_validates_against_the_schema() {
        let v = validator();
        for r in [
            sample_report(),
            empty_report(),
            crate::packet_path::tests::report(),
        ] {
            let doc: serde_json::Value = serde_json::from_str(&render(&r))
                .unwrap_or_else(|e| panic!("render is not JSON: {e}"));
            let errs = errors(&v, &doc);
            assert!(errs.is_empty(), "{errs:#?}");
        }
    }

    #[test]
    fn schema_rejects_what_it_should() {
        let v = validator();
        let good = to_value(&sample_report());

        let mut bad_sev = good.clone();
        bad_sev["findings"][0]["severity"] = "critical".into();
        assert!(!errors(&v, &bad_sev).is_empty(), "unknown severity");

        let mut bad_version = good.clone();
        bad_version["schema_version"] = 2.into();
        assert!(
            !errors(&v, &bad_version).is_empty(),
            "version bump needs a schema change"
        );

        let mut bad_id = good.clone();
        bad_id["findings"][0]["id"] = "Port Pool".into();
        assert!(!errors(&v, &bad_id).is_empty(), "ids are kebab-case");

        let mut extra = good.clone();
        extra["surprise"] = true.into();
        assert!(!errors(&v, &extra).is_empty(), "top level is closed");

        let mut no_inputs = good;
        if let Some(o) = no_inputs.as_object_mut() {
            o.remove("inputs");
        }
        assert!(!errors(&v, &no_inputs).is_empty(), "inputs are required");
    }

    #[test]
    fn round_trips_and_is_versioned() {
        let r = sample_report();
        let s = render(&r);
        assert!(s.ends_with("}\n"));
        let back: Report =
            serde_json::from_str(&s).unwrap_or_else(|e| panic!("does not parse back: {e}"));
        assert_eq!(back, r);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(v["schema_version"], REPORT_SCHEMA_VERSION);
        assert_eq!(v["findings"][0]["id"], "endpoint-not-attached");
        assert_eq!(v["findings"][0]["severity"], "error");
        assert_eq!(v["host"], "ノード-01");
    }

    #[test]
    fn output_is_ascii_and_reads_back_unchanged() {
        let r = sample_report();
        let s = render(&r);
        assert!(s.is_ascii(), "non-ASCII byte in the JSON");
        assert!(s.contains("\\u30ce\\u30fc\\u30c9-01"), "ノード-01 escaped");
        let back: Report = serde_json::from_str(&s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.host.as_deref(), Some("ノード-01"));
        assert_eq!(ascii_escape("\"😀\""), "\"\\ud83d\\ude00\"");
    }

    #[test]
    fn summary_block_counts_and_follows_os_build() {
        let v = to_value(&sample_report());
        let keys: Vec<&String> = v
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        let at = |k: &str| keys.iter().position(|x| *x == k).unwrap_or(usize::MAX);
        assert_eq!(at("summary"), at("os_build") + 1, "{keys:?}");
        let s = &v["summary"];
        assert_eq!(s["errors"], 2);
        assert_eq!(s["warnings"], 1);
        assert_eq!(s["info"], 1);
        assert_eq!(s["worst"], "error");
        assert_eq!(s["not_evaluated"], 3);
        assert!(s["verdict"]
            .as_str()
            .unwrap_or("")
            .starts_with("2 errors, 1 warning"));
        assert_eq!(
            to_value(&empty_report())["summary"]["worst"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn document_has_every_report_field() {
        // The streamed document must carry every field of `Report`, in its order, plus
        // `summary` after `os_build`: a field added to `Report` and not here fails this test.
        let r = sample_report();
        let plain = serde_json::to_value(&r).expect("report serialises");
        let mut want: Vec<String> = plain.as_object().expect("object").keys().cloned().collect();
        let at = want.iter().position(|k| k == "os_build").expect("os_build") + 1;
        want.insert(at, "summary".into());
        let got: Vec<String> = to_value(&r)
            .as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect();
        assert_eq!(got, want);
        for k in plain.as_object().expect("object").keys() {
            assert_eq!(plain[k], to_value(&r)[k], "field {k}");
        }
    }

    #[test]
    fn streamed_output_equals_escaping_the_pretty_document() {
        let mut r = sample_report();
        r.host = Some("ノード-01 \u{1F600} naïve".into());
        let old = format!(
            "{}\n",
            serde_json::to_string_pretty(&to_value(&r)).expect("serialises")
        );
        assert!(!old.is_ascii());
        assert_eq!(render(&r), ascii_escape(&old));
    }
}
