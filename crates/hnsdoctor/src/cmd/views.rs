//! Typed JSON views of `kb list`, `kb show`, `kb search`, `explain` and
//! `collect --list-sources`: `#[derive(Serialize, JsonSchema)]` structs instead of hand-built
//! `json!` values. Field order is declaration order, which is the documented order in
//! docs/json.md ("kb and explain"), so the JSON is unchanged byte for byte.
//!
//! The JSON Schemas under `schemas/` are generated from these types by schemars; the test
//! `schemas_are_current` fails when a checked-in schema is stale and rewrites it when
//! `HNSDOCTOR_UPDATE_SCHEMAS=1` is set.
//!
//! Not yet typed (still `json!` in `cmd/kb/`): `kb issues` and `kb gaps`. A KB
//! entry (`kb show`, `explain <id>`) is the KB's own `Entry` serialised as is, with
//! `error_codes` added; its schema here is "an object" because `crates/kb/src/types.rs` (where
//! `Entry` lives) does not derive `JsonSchema`.

use crate::cmd::kb::KB_JSON_SCHEMA_VERSION;
use hnsdoctor_kb::Step;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// Every `kb` / `explain` document: the schema and data versions first, then the view.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Envelope<T> {
    /// Version of the kb/explain JSON shapes (`KB_JSON_SCHEMA_VERSION`).
    pub schema_version: u32,
    /// Date the knowledge base was last reviewed against primary sources (YYYY-MM-DD).
    pub kb_reviewed: String,
    /// The view itself, its fields inline.
    #[serde(flatten)]
    pub view: T,
}

impl<T> Envelope<T> {
    /// `view` with the current schema and data versions.
    pub fn new(view: T) -> Self {
        Self {
            schema_version: KB_JSON_SCHEMA_VERSION,
            kb_reviewed: hnsdoctor_kb::data_reviewed().to_string(),
            view,
        }
    }
}

/// `kb list`: every knowledge-base id.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ListView {
    /// One row per entry, in KB order.
    pub ids: Vec<IdRow>,
}

/// One knowledge-base id with its kind and title.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct IdRow {
    /// Entry id (kebab-case).
    pub id: String,
    /// `issue`, `finding` or `gap`.
    pub kind: String,
    /// One-line title.
    pub title: String,
    /// Part of the entry is inferred rather than taken from a primary source.
    pub inferred: bool,
}

/// `kb show <id>`: one entry in full.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ShowView {
    /// The KB entry as stored, plus `error_codes` (`{id, name}` per code that points to it).
    pub entry: Value,
}

/// `kb search`: entries ranked by relevance.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct SearchView {
    /// The query as typed (words joined by one space).
    pub query: String,
    /// Every hit, best first.
    pub results: Vec<SearchRow>,
}

/// One search hit.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct SearchRow {
    /// Entry id.
    pub id: String,
    /// Entry title.
    pub title: String,
    /// `issue`, `finding` or `gap`.
    pub kind: String,
    /// Relevance score (higher is better).
    pub score: f64,
    /// The query words that matched.
    pub matched: Vec<String>,
}

/// `kb builds`: the release catalog and the KB → build.UBR map.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct BuildsView {
    /// Catalog rows as stored in `crates/kb/data/releases.toml`, plus `id` (`<build>-<channel>`).
    pub releases: Vec<Value>,
    /// Every known update, in catalog order.
    pub updates: Vec<UpdateRow>,
}

/// One cumulative update: KB number → build.UBR.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct UpdateRow {
    /// KB number (`KB5034768`).
    pub id: String,
    /// Windows build.
    pub build: u32,
    /// Update build revision it brings.
    pub ubr: u32,
    /// Release date (YYYY-MM-DD).
    pub date: String,
    /// What the update is (LCU, OOB, …).
    pub note: String,
    /// Where the mapping comes from.
    pub sources: Vec<String>,
    /// The mapping is inferred rather than documented.
    pub inferred: bool,
}

/// A workaround or fix step.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct StepView {
    /// What to do.
    pub text: String,
    /// The command to run, if any.
    pub command: Option<String>,
    /// Only when nothing else worked.
    pub last_resort: bool,
    /// Changes the host (not just reads it).
    pub changes_host: bool,
}

impl From<&Step> for StepView {
    fn from(s: &Step) -> Self {
        Self {
            text: s.text.clone(),
            command: s.command.clone(),
            last_resort: s.last_resort,
            changes_host: s.changes_host,
        }
    }
}

/// `explain`: what an input (code, id or pasted line) means.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ExplainView {
    /// The input as given.
    pub input: String,
    /// `entry` (the input named a KB entry) or `codes` (error codes found in the input).
    pub kind: String,
    /// The entry, when `kind` is `entry` (same shape as `kb show`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<Value>,
    /// The codes found, in input order (empty when `kind` is `entry`).
    pub codes: Vec<CodeView>,
}

/// One error code found by `explain`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum CodeView {
    /// A code the knowledge base knows.
    Known(Box<KnownCode>),
    /// A code the knowledge base does not know.
    Unknown(UnknownCode),
}

/// A code not in the knowledge base.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct UnknownCode {
    /// `0x` and eight hex digits.
    pub id: String,
    /// The value as unsigned.
    pub value: u32,
    /// The value as signed (how .NET and PowerShell print HRESULTs).
    pub signed: i32,
    /// Always false.
    pub known: bool,
}

/// A code in the knowledge base.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct KnownCode {
    /// The code as the KB writes it (`0x803b0013`).
    pub id: String,
    /// The value as unsigned.
    pub value: u32,
    /// The value as signed.
    pub signed: i32,
    /// The Win32 error inside an `0x8007xxxx` HRESULT.
    pub win32: Option<u32>,
    /// Always true.
    pub known: bool,
    /// Symbolic name (`HCN_E_PORT_ALREADY_EXISTS`).
    pub name: String,
    /// The system message text, when known.
    pub message: Option<String>,
    /// What it means for container networking.
    pub meaning: String,
    /// A caveat.
    pub note: Option<String>,
    /// Where the meaning comes from.
    pub sources: Vec<String>,
    /// The meaning is inferred rather than documented.
    pub inferred: bool,
    /// Entries this code points to, with their workarounds.
    pub findings: Vec<CodeFinding>,
}

/// An entry an error code points to.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct CodeFinding {
    /// Entry id.
    pub id: String,
    /// Entry title.
    pub title: String,
    /// The entry's workaround steps.
    pub workaround: Vec<StepView>,
}

/// `collect --list-sources --format json`: one row per collector source (an array, no
/// envelope).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct SourceRow {
    /// Source id (`ports.excluded`).
    pub id: &'static str,
    /// What it collects, in words.
    pub what: &'static str,
    /// How it is collected (command, API call or files), in words.
    pub via: String,
    /// Time budget in seconds.
    pub timeout_s: u64,
    /// Byte cap of its output.
    pub max_bytes: u64,
    /// Where its output goes in the bundle.
    pub path: &'static str,
    /// The format id the parser reads it with; null when it is kept raw.
    pub parser: Option<&'static str>,
    /// Why it is kept raw, when it is.
    pub raw_only: Option<&'static str>,
    /// Names CollectLogs.ps1 gave the same artefact.
    pub legacy: &'static [&'static str],
    /// Needs an elevated prompt.
    pub admin_required: bool,
    /// Changes the host.
    pub mutates: bool,
}

impl From<&hnsdoctor_collect::source::Source> for SourceRow {
    fn from(s: &hnsdoctor_collect::source::Source) -> Self {
        Self {
            id: s.id,
            what: s.what,
            via: s.via.describe(),
            timeout_s: s.timeout.as_secs(),
            max_bytes: s.max_bytes,
            path: s.path(),
            parser: s.parser().id(),
            raw_only: match s.parser() {
                hnsdoctor_collect::source::Parser::RawOnly(r) => Some(r),
                hnsdoctor_collect::source::Parser::Format(_) => None,
            },
            legacy: s.legacy,
            admin_required: s.admin_required,
            mutates: s.mutates,
        }
    }
}

/// The checked-in schemas: file name under `schemas/` and the generated schema.
#[cfg(test)]
fn schemas() -> Vec<(&'static str, schemars::Schema)> {
    use schemars::schema_for;
    vec![
        ("kb-list.schema.json", schema_for!(Envelope<ListView>)),
        ("kb-show.schema.json", schema_for!(Envelope<ShowView>)),
        ("kb-search.schema.json", schema_for!(Envelope<SearchView>)),
        ("kb-builds.schema.json", schema_for!(Envelope<BuildsView>)),
        ("explain.schema.json", schema_for!(Envelope<ExplainView>)),
        ("list-sources.schema.json", schema_for!(Vec<SourceRow>)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn schemas_are_current() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let update = std::env::var_os("HNSDOCTOR_UPDATE_SCHEMAS").is_some_and(|v| v == "1");
        let mut stale = Vec::new();
        for (name, schema) in schemas() {
            let want = serde_json::to_string_pretty(&schema).expect("schema serialises") + "\n";
            let path = dir.join(name);
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            if have != want {
                if update {
                    std::fs::create_dir_all(&dir).expect("create schemas/");
                    std::fs::write(&path, &want)
                        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
                } else {
                    stale.push(name);
                }
            }
        }
        assert!(
            stale.is_empty(),
            "stale JSON Schemas in schemas/: {stale:?}; regenerate with \
             HNSDOCTOR_UPDATE_SCHEMAS=1 cargo test -p hnsdoctor schemas_are_current"
        );
    }

    #[test]
    fn explain_of_a_known_code_matches_its_schema_shape() {
        let kb = hnsdoctor_kb::Kb::get();
        let ex = kb.explain("0x803b0013").expect("explain a known code");
        let view = crate::cmd::explain::view("0x803b0013", kb, &ex, &mut String::new());
        let v = serde_json::to_value(Envelope::new(view)).expect("serialises");
        let keys: Vec<&str> = v
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["schema_version", "kb_reviewed", "input", "kind", "codes"]
        );
        assert_eq!(v["codes"][0]["id"], "0x803b0013");
        assert_eq!(v["codes"][0]["known"], true);
        assert!(v["codes"][0]["findings"].is_array());
    }
}
