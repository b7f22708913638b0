//! # hnsdoctor-kb — the knowledge base
//!
//! Pipeline role: data, consulted by rules and by `hnsdoctor kb` / `explain`. Known issues by
//! Windows build and UBR, KB → build map, release catalog, platform gaps, HNS feature table and
//! HCN/Win32 error codes, all as TOML files under `data/` embedded at build time and validated by
//! tests.
//!
//! ```
//! use hnsdoctor_kb::{HostVersion, IssueStatus, Kb};
//!
//! let kb = Kb::get();
//! let host = HostVersion::parse("10.0.16299.300").unwrap();
//! let hits = kb.issues_for(&host, &[]);
//! assert!(hits
//!     .iter()
//!     .any(|m| m.entry.id == "service-vip-unreachable" && m.status == IssueStatus::Applies));
//! // Rules take their fix text from here, never from code:
//! assert!(!kb.entry("stale-remote-endpoint").unwrap().workaround.is_empty());
//! // Error codes in any form:
//! assert_eq!(kb.find_codes("failed (0x803b0013) \"ErrorCode\":2151350291"), vec![0x803b_0013]);
//! ```
//!
//! "Is this fixed on my host?" is answered by comparing build.UBR with the fix's UBR, because
//! `Get-HotFix` lists only the latest cumulative update; a hotfix list still counts when one of
//! its KBs maps to a UBR at or above the fix. Hotpatch revisions (WS2022 Azure Edition, WS2025) are
//! a few numbers lower than the regular update of the same month; matches close below a fix carry
//! [`IssueMatch::hotpatch_caveat`].
#![forbid(unsafe_code)]

pub mod action;
mod catalogue;
pub mod codes;
mod error;
mod issues;
mod platform;
mod search;
mod types;
mod version;

pub use action::{check_actions, Action, HnsObjectKind, Protocol, RegValue, Select};
pub use catalogue::{ids_in_catalogue_markdown, CATALOGUE_IDS};
pub use codes::{CodeInfo, Explanation};
pub use error::{KbError, QueryError, VersionError};
pub use issues::{BuildRev, ImageMatch, ImageQuery, ImageStatus, IssueMatch, IssueStatus};
pub use platform::{Availability, FeatureAnswer, FeatureBasis, GapAnswer, Recommendation};
pub use search::SearchHit;
pub use types::*;
pub use version::{parse_build_ubr, BuildUbr, HostVersion};

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const RELEASES_TOML: &str = include_str!("../data/releases.toml");
const ISSUES_TOML: &str = include_str!("../data/issues.toml");
const GAPS_TOML: &str = include_str!("../data/gaps.toml");
const ERRORS_TOML: &str = include_str!("../data/errors.toml");
const REVIEW_TOML: &str = include_str!("../data/review.toml");

/// The data version of the knowledge base (`data/review.toml`): when it was last reviewed
/// against primary sources, and what the review covered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Date of the last review (YYYY-MM-DD).
    pub reviewed: String,
    /// What the review covered.
    pub basis: String,
}

/// The embedded data version, parsed once.
///
/// # Panics
/// Only if the embedded `data/review.toml` is broken, which the crate's tests rule out.
pub fn review() -> &'static Review {
    static R: OnceLock<Review> = OnceLock::new();
    R.get_or_init(|| match parse_review(REVIEW_TOML) {
        Ok(r) => r,
        Err(e) => panic!("embedded knowledge base is invalid: {e}"),
    })
}

/// The date (YYYY-MM-DD) the knowledge-base data was last reviewed against primary sources —
/// the data version shown by `--version`, `kb` and every report.
///
/// ```
/// let d = hnsdoctor_kb::data_reviewed();
/// assert_eq!(d.len(), 10);
/// assert_eq!(&d[4..5], "-");
/// ```
pub fn data_reviewed() -> &'static str {
    &review().reviewed
}

/// Parse a `review.toml` text, checking that `reviewed` is a full date.
pub fn parse_review(text: &str) -> Result<Review, KbError> {
    let r: Review = parse_file("review.toml", text)?;
    let ok = r.reviewed.len() == 10
        && r.reviewed.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !ok {
        return Err(KbError::Invalid {
            file: "review.toml",
            what: format!("reviewed = {:?} is not a YYYY-MM-DD date", r.reviewed),
        });
    }
    Ok(r)
}

/// The knowledge base: every table, with indexes. Get the embedded one with [`Kb::get`].
#[derive(Debug, Clone)]
pub struct Kb {
    releases: Vec<Release>,
    updates: Vec<Update>,
    entries: Vec<Entry>,
    features: Vec<Feature>,
    hns_versions: Vec<HnsObservation>,
    codes: Vec<ErrorCode>,
    entry_index: HashMap<String, usize>,
    update_index: HashMap<String, usize>,
    code_index: HashMap<u32, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleasesFile {
    release: Vec<Release>,
    update: Vec<Update>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntriesFile {
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GapsFile {
    entry: Vec<Entry>,
    feature: Vec<Feature>,
    hns_version: Vec<HnsObservation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorsFile {
    code: Vec<ErrorCode>,
}

fn parse_file<T: serde::de::DeserializeOwned>(
    file: &'static str,
    text: &str,
) -> Result<T, KbError> {
    toml::from_str(text).map_err(|e| KbError::Parse {
        file,
        source: Box::new(e),
    })
}

/// Normalises a KB number as users write it (`kb4093105`, `4093105`, ` KB4093105 `) to
/// `KB4093105`; `None` when it is not one.
pub fn normalize_kb(s: &str) -> Option<String> {
    let t = s.trim();
    let digits = if t.len() > 2 && t.is_char_boundary(2) && t[..2].eq_ignore_ascii_case("kb") {
        &t[2..]
    } else {
        t
    };
    (!digits.is_empty() && digits.len() <= 8 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("KB{digits}"))
}

impl Kb {
    /// The embedded knowledge base, parsed once.
    ///
    /// # Panics
    /// Only if the embedded data is broken, which the crate's tests rule out.
    pub fn get() -> &'static Kb {
        static KB: OnceLock<Kb> = OnceLock::new();
        KB.get_or_init(|| match Kb::load() {
            Ok(kb) => kb,
            Err(e) => panic!("embedded knowledge base is invalid: {e}"),
        })
    }

    /// Parse the embedded TOML files (use [`Kb::get`] unless you need the error).
    pub fn load() -> Result<Kb, KbError> {
        Kb::from_toml(RELEASES_TOML, ISSUES_TOML, GAPS_TOML, ERRORS_TOML)
    }

    /// Build a knowledge base from the texts of the four data files (`releases.toml`,
    /// `issues.toml`, `gaps.toml`, `errors.toml`). Does not [`validate`](Kb::validate).
    pub fn from_toml(
        releases: &str,
        issues: &str,
        gaps: &str,
        errors: &str,
    ) -> Result<Kb, KbError> {
        let rel: ReleasesFile = parse_file("releases.toml", releases)?;
        let iss: EntriesFile = parse_file("issues.toml", issues)?;
        let gaps: GapsFile = parse_file("gaps.toml", gaps)?;
        let mut errs: ErrorsFile = parse_file("errors.toml", errors)?;
        for c in &mut errs.code {
            let hex = c.code.trim();
            let digits = hex.strip_prefix("0x").ok_or_else(|| KbError::Invalid {
                file: "errors.toml",
                what: format!("code {hex:?} must start with 0x"),
            })?;
            c.value = u32::from_str_radix(digits, 16).map_err(|e| KbError::Invalid {
                file: "errors.toml",
                what: format!("code {hex:?}: {e}"),
            })?;
        }
        let mut entries = iss.entry;
        entries.extend(gaps.entry);
        let entry_index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let update_index = rel
            .update
            .iter()
            .enumerate()
            .map(|(i, u)| (u.kb.to_ascii_uppercase(), i))
            .collect();
        let code_index = errs
            .code
            .iter()
            .enumerate()
            .map(|(i, c)| (c.value, i))
            .collect();
        Ok(Kb {
            releases: rel.release,
            updates: rel.update,
            entries,
            features: gaps.feature,
            hns_versions: gaps.hns_version,
            codes: errs.code,
            entry_index,
            update_index,
            code_index,
        })
    }

    /// The release catalog, oldest build first.
    pub fn releases(&self) -> &[Release] {
        &self.releases
    }

    /// The update map (KB → build.UBR).
    pub fn updates(&self) -> &[Update] {
        &self.updates
    }

    /// Every entry: known issues, findings and gaps, in data order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The HNS feature table.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// HNS versions observed per build.
    pub fn hns_versions(&self) -> &[HnsObservation] {
        &self.hns_versions
    }

    /// Every error code.
    pub fn error_codes(&self) -> &[ErrorCode] {
        &self.codes
    }

    /// The entry with this id (issues, findings and gaps alike).
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entry_index.get(id).map(|&i| &self.entries[i])
    }

    /// Like [`Kb::entry`], but an unknown id is an error carrying "did you mean" suggestions.
    pub fn entry_or_suggest(&self, id: &str) -> Result<&Entry, QueryError> {
        let key = id.trim().to_ascii_lowercase();
        self.entry(&key).ok_or_else(|| QueryError::UnknownId {
            id: id.to_string(),
            suggestions: self.suggest_ids(&key),
        })
    }

    /// Ids close to `s` (edit distance, or containing it), best first, at most five.
    pub fn suggest_ids(&self, s: &str) -> Vec<String> {
        let s = s.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Vec::new();
        }
        let limit = (s.chars().count() / 3).max(2);
        let mut scored: Vec<(usize, &str)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let d = strsim::levenshtein(&s, &e.id);
                if d <= limit {
                    Some((d, e.id.as_str()))
                } else if s.len() >= 3 && e.id.contains(&s) {
                    Some((limit + 1, e.id.as_str()))
                } else {
                    None
                }
            })
            .collect();
        scored.sort();
        scored
            .into_iter()
            .take(5)
            .map(|(_, id)| id.to_string())
            .collect()
    }

    /// The update with this KB number (any spelling [`normalize_kb`] accepts).
    pub fn update(&self, kb: &str) -> Option<&Update> {
        let k = normalize_kb(kb)?;
        self.update_index.get(&k).map(|&i| &self.updates[i])
    }

    /// The primary release of a build (the first catalog row with it: for 17763 that is
    /// Windows Server 2019 LTSC, not the 1809 SAC release).
    pub fn release_for_build(&self, build: u32) -> Option<&Release> {
        self.releases.iter().find(|r| r.build == build)
    }

    /// Every release row of a build.
    pub fn releases_for_build(&self, build: u32) -> impl Iterator<Item = &Release> {
        self.releases.iter().filter(move |r| r.build == build)
    }

    /// The release an alias names ("RS5", "ltsc2019", "Windows Server 2019", "1709" …),
    /// matched ignoring case, spaces and punctuation.
    pub fn release_by_alias(&self, alias: &str) -> Option<&Release> {
        let key = alias_key(alias);
        if key.is_empty() {
            return None;
        }
        self.releases
            .iter()
            .find(|r| r.aliases.iter().any(|a| alias_key(a) == key))
    }

    /// Checks the data's internal consistency; every string returned is one problem. The crate's
    /// tests assert this is empty.
    pub fn validate(&self) -> Vec<String> {
        validate::validate(self)
    }
}

/// Lower-case alphanumerics only: "Windows Server, version 1709" → "windowsserverversion1709".
pub(crate) fn alias_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

mod validate;
