//! Typed JSON views of `kb list`, `kb show`, `kb search`, `explain` and
//! `collect --list-sources`: `#[derive(Serialize, JsonSchema)]` structs instead of hand-built
//! `json!` values. Field order is declaration order, which is the documented order in
//! docs/json.md ("kb and explain"), so the JSON is unchanged byte for byte.
//!
//! The JSON Schemas under `schemas/` are generated from these types by schemars; the test
//! `schemas_are_current` fails when a checked-in schema is stale and rewrites it when
//! `HNSDOCTOR_UPDATE_SCHEMAS=1` is set.
//!
//! `kb issues` and `kb gaps` are typed here too ([`IssuesView`], [`GapsView`]). A KB entry
//! (`kb show`, `explain <id>`) is the KB's own `Entry` (which derives `JsonSchema` in
//! `hnsdoctor-kb`) flattened, with `error_codes` added ([`EntryView`]).

use crate::cmd::kb::KB_JSON_SCHEMA_VERSION;
use hnsdoctor_kb::{
    AffectedImage, Availability, Channel, Entry, HnsInterval, HnsVersion, ImageStatus, Release,
    Step,
};
use schemars::JsonSchema;
use serde::Serialize;

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
    pub entry: EntryView,
}

/// A KB entry as stored, plus the error codes that point to it.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct EntryView {
    /// The entry's own fields, inline.
    #[serde(flatten)]
    pub entry: Entry,
    /// Every error code whose `findings` name this entry.
    pub error_codes: Vec<CodeRef>,
}

/// An error code pointing to an entry.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct CodeRef {
    /// The code as the KB writes it (`0x803b0013`).
    pub id: String,
    /// Symbolic name (`HCN_E_PORT_ALREADY_EXISTS`).
    pub name: String,
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
    pub releases: Vec<ReleaseRow>,
    /// Every known update, in catalog order.
    pub updates: Vec<UpdateRow>,
}

/// A catalog release as stored, plus its id.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ReleaseRow {
    /// The release's own fields, inline.
    #[serde(flatten)]
    pub release: Release,
    /// `<build>-<channel>` (`17763-ltsc`).
    pub id: String,
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
    pub entry: Option<EntryView>,
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

impl From<&hnsdoctor_collect::source::SourceDef> for SourceRow {
    fn from(s: &hnsdoctor_collect::source::SourceDef) -> Self {
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

/// `kb issues`: known issues for a host build (with its hotfixes) and for container images.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct IssuesView {
    /// What was asked: the host version as read, or only the image references.
    pub query: IssuesQuery,
    /// Every build-keyed issue of the host's build, whatever its status (empty without
    /// `--build`).
    pub issues: Vec<IssueRow>,
    /// Ids of issues keyed on container images of the host's build (only with `--build`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_keyed: Option<Vec<String>>,
    /// One row per `--image` reference.
    pub images: Vec<ImageRow>,
}

/// The question of `kb issues`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum IssuesQuery {
    /// With `--build`: the host version as read.
    Host(Box<HostQuery>),
    /// Without `--build`: the image references only.
    Images {
        /// The `--image` references as given.
        images: Vec<String>,
    },
}

/// A host version as `kb issues` read it.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct HostQuery {
    /// `--build` as given.
    pub input: String,
    /// Windows build.
    pub build: u32,
    /// Update build revision, when the input carried one.
    pub ubr: Option<u32>,
    /// Why a 4th field was not taken as the UBR.
    pub ubr_note: Option<String>,
    /// No UBR and no hotfix on the build: the answer assumes the build's RTM revision.
    pub assumed_rtm: bool,
    /// The catalog release of the build.
    pub release: Option<ReleaseRef>,
    /// What each `--hotfix` told.
    pub hotfixes: Vec<HotfixRow>,
}

/// A release of the catalog, in short.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ReleaseRef {
    /// Release name (`Windows Server 2019`).
    pub name: String,
    /// Version (`1809`).
    pub version: String,
    /// Servicing channel.
    pub channel: Channel,
    /// End of support (YYYY-MM-DD), when known.
    pub support_end: Option<String>,
}

/// One `--hotfix`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum HotfixRow {
    /// An update in the KB → build.UBR map.
    Known {
        /// KB number.
        id: String,
        /// Always true.
        known: bool,
        /// Build it updates.
        build: u32,
        /// UBR it brings.
        ubr: u32,
        /// It is for the host's build, so it counts.
        used: bool,
    },
    /// An update not in the map: ignored.
    Unknown {
        /// KB number as given.
        id: String,
        /// Always false.
        known: bool,
        /// Always false.
        used: bool,
    },
}

/// One build-keyed known issue against the host.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct IssueRow {
    /// Entry id.
    pub id: String,
    /// Entry title.
    pub title: String,
    /// `applies`, `fixed`, `assumed_rtm` or `later_ubr`.
    pub status: &'static str,
    /// Affects the host now, on undisputed evidence.
    pub applies: bool,
    /// Only some sources include this build.
    pub disputed: bool,
    /// A few UBRs below the fix on a hotpatch release: may be the fixing month's hotpatch.
    pub hotpatch_caveat: bool,
    /// The affected range that matched.
    pub range: RangeRow,
    /// First fixed UBR, when `status` is `fixed`.
    pub fixed_in_ubr: Option<u32>,
    /// The `--hotfix` that made the difference, when the UBR alone did not.
    pub via_hotfix: Option<String>,
    /// The entry's workaround steps.
    pub workaround: Vec<StepView>,
}

/// An affected build range of a known issue.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct RangeRow {
    /// Windows build.
    pub build: u32,
    /// First affected UBR (0: every revision).
    pub from_ubr: u32,
    /// First fixed UBR, when a fix is known.
    pub until_ubr: Option<u32>,
    /// The update that fixed it.
    pub fixed_by: Option<String>,
    /// Updates that fixed part of it.
    pub partial_fixes: Vec<String>,
    /// A remark on the range.
    pub note: Option<String>,
    /// The range is inferred rather than documented.
    pub inferred: bool,
}

/// One `--image` with its image-keyed issues.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ImageRow {
    /// `repository[:tag][@digest]`.
    pub reference: String,
    /// Repository.
    pub repository: String,
    /// Tag, when given.
    pub tag: Option<String>,
    /// Digest, when given.
    pub digest: Option<String>,
    /// Windows build the image is for, when shown.
    pub build: Option<u32>,
    /// Image revision, when shown.
    pub revision: Option<u32>,
    /// Image-keyed issues of the image's repository and build.
    pub issues: Vec<ImageIssueRow>,
}

/// One image-keyed known issue against an image.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ImageIssueRow {
    /// Entry id.
    pub id: String,
    /// Entry title.
    pub title: String,
    /// How it relates to the image (`{"status": …}` with the fix or range).
    pub status: ImageStatus,
    /// Affects the image on the evidence shown.
    pub applies: bool,
    /// The image range that matched, as stored.
    pub range: AffectedImage,
}

/// `kb gaps`: platform gaps and HNS feature availability.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct GapsView {
    /// What was asked.
    pub query: GapsQuery,
    /// Every platform gap with its status on the build.
    pub gaps: Vec<GapRow>,
    /// Every HNS feature with its availability.
    pub features: Vec<FeatureRow>,
}

/// The question of `kb gaps`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct GapsQuery {
    /// `--build` as a build number.
    pub build: Option<u32>,
    /// Its UBR, when given.
    pub ubr: Option<u32>,
    /// `--hns-version`.
    pub hns_version: Option<HnsVersion>,
}

/// One platform gap.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct GapRow {
    /// Entry id.
    pub id: String,
    /// Entry title.
    pub title: String,
    /// `open`, `closed` or `unknown`.
    pub status: &'static str,
    /// The first build without the gap, when known.
    pub closed_from_build: Option<u32>,
    /// The later history, in words.
    pub status_note: Option<String>,
}

/// One HNS feature.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct FeatureRow {
    /// Feature id.
    pub id: String,
    /// Feature title.
    pub title: String,
    /// The answer.
    pub available: Availability,
    /// HNS version intervals with the feature.
    pub hns: Vec<HnsInterval>,
    /// A remark.
    pub note: Option<String>,
    /// What the answer rests on.
    pub basis: BasisRow,
}

/// What a feature answer rests on.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub(crate) enum BasisRow {
    /// The HNS version given.
    HnsVersion {
        /// The version.
        hns_version: HnsVersion,
    },
    /// HNS versions observed on the build (or the nearest older one).
    Build {
        /// The build asked about.
        build: u32,
        /// The build whose observations were used.
        observed_on: Option<u32>,
        /// The versions observed there.
        hns_versions: Vec<HnsVersion>,
        /// Always true.
        inferred: bool,
    },
    /// Neither was given.
    None,
}

/// The checked-in schemas: file name under `schemas/` and the generated schema.
#[cfg(test)]
fn schemas() -> Vec<(&'static str, schemars::Schema)> {
    use schemars::schema_for;
    vec![
        ("kb-list.schema.json", schema_for!(Envelope<ListView>)),
        ("kb-show.schema.json", schema_for!(Envelope<ShowView>)),
        ("kb-issues.schema.json", schema_for!(Envelope<IssuesView>)),
        ("kb-gaps.schema.json", schema_for!(Envelope<GapsView>)),
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
