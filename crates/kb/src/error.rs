//! Errors of the knowledge base: loading the embedded data, parsing user input
//! (versions, dates, ids, codes).

use thiserror::Error;

/// The embedded data could not be loaded (a bug caught by the crate's tests).
#[derive(Debug, Error)]
pub enum KbError {
    /// A data file is not valid TOML for its schema.
    #[error("knowledge base file data/{file}: {source}")]
    Parse {
        /// File name under `data/`.
        file: &'static str,
        /// The TOML error.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A value inside a data file is malformed.
    #[error("knowledge base file data/{file}: {what}")]
    Invalid {
        /// File name under `data/`.
        file: &'static str,
        /// What is wrong.
        what: String,
    },
}

/// A Windows version string could not be understood or names no known release.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VersionError {
    /// Nothing was given.
    #[error("empty Windows version")]
    Empty,
    /// The text is neither a build number, a version string nor a known release name.
    #[error(
        "{0:?} is not a Windows version: give a build (17763), build.UBR (17763.1234), a version \
         string (10.0.17763.1234, output of `ver`) or a release name (1809, RS5, ltsc2019, Windows Server 2019)"
    )]
    Unrecognised(String),
    /// The build number is not in the release catalog.
    #[error("unknown Windows build {build} (from {input:?}); known builds: {known}")]
    UnknownBuild {
        /// The build.
        build: u32,
        /// What was given.
        input: String,
        /// The known builds, comma separated.
        known: String,
    },
}

/// A query argument other than a version was malformed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    /// A date was not `YYYY-MM-DD`.
    #[error("{0:?} is not a date: expected YYYY-MM-DD")]
    BadDate(String),
    /// No knowledge-base entry has this id.
    #[error("unknown knowledge-base id {id:?}{}", did_you_mean(.suggestions))]
    UnknownId {
        /// What was given.
        id: String,
        /// Close ids.
        suggestions: Vec<String>,
    },
    /// No feature has this id.
    #[error("unknown feature {feature:?}; known features: {known}")]
    UnknownFeature {
        /// What was given.
        feature: String,
        /// Known feature ids, comma separated.
        known: String,
    },
    /// Free-text search without any usable word.
    #[error("empty search: give a few words describing the symptom, e.g. \"dns fails after node restart\"")]
    EmptySearch,
    /// `explain` was given nothing.
    #[error("nothing to explain: give an error code (0x803b0013, 2151350291), a finding id or a pasted error line")]
    EmptyExplain,
    /// Codes were found but none is in the knowledge base.
    #[error("{}", unknown_codes(.0))]
    UnknownCodes(Vec<u32>),
    /// Neither a code, an id, nor a known message was found in the text.
    #[error("found no error code, known error message or id in {input:?}{}", did_you_mean(.suggestions))]
    NothingFound {
        /// What was given.
        input: String,
        /// Close ids.
        suggestions: Vec<String>,
    },
}

fn did_you_mean(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

fn unknown_codes(codes: &[u32]) -> String {
    let parts: Vec<String> = codes
        .iter()
        .map(|c| {
            let facility = (c >> 16) & 0x1fff;
            let what = match facility {
                0x3b => " (facility 0x3B: HCN, but not in the HCN error table)".to_string(),
                7 => format!(" (Win32 error {} = 0x{:x})", c & 0xffff, c & 0xffff),
                0 if c & 0x8000_0000 == 0 => " (not an HRESULT)".to_string(),
                f => format!(" (facility 0x{f:x})"),
            };
            format!("0x{c:08x}{what}")
        })
        .collect();
    format!(
        "error code {} is not in the knowledge base",
        parts.join(", ")
    )
}
