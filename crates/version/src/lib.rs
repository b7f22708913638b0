//! Version values that the knowledge base and the host model both need, though neither crate
//! depends on the other: the HNS service version ([`HnsVersion`]) and the one reader of a
//! Windows build and update revision ([`parse_build_ubr`]).
//!
//! Windows builds are compared as `(build, ubr)` tuples (derived `Ord`), never as semver.
//!
//! ```
//! use hnsdoctor_version::{parse_build_ubr, HnsVersion};
//! let v = parse_build_ubr("Microsoft Windows [Version 10.0.17763.5458]").unwrap();
//! assert_eq!((v.build, v.ubr), (17763, Some(5458)));
//! assert!("13.3".parse::<HnsVersion>().unwrap() > HnsVersion::new(9, 3));
//! ```

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// An HNS service version (`GET /globals/version` → `{"Major":N,"Minor":M}`).
///
/// Serialised as the string `"13.3"` (the knowledge base's form); the host model keeps its
/// `{"major":13,"minor":3}` form through [`as_parts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HnsVersion {
    /// Major version.
    pub major: u32,
    /// Minor version.
    pub minor: u32,
}

impl HnsVersion {
    /// A version from its parts.
    pub const fn new(major: u32, minor: u32) -> Self {
        HnsVersion { major, minor }
    }
}

impl fmt::Display for HnsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Error parsing an [`HnsVersion`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an HNS version: expected MAJOR.MINOR, e.g. 13.3")]
pub struct HnsVersionError(pub String);

impl FromStr for HnsVersion {
    type Err = HnsVersionError;
    /// Parses `M.m` (and `M`, meaning `M.0`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (ma, mi) = t.split_once('.').unwrap_or((t, "0"));
        match (ma.parse(), mi.parse()) {
            (Ok(major), Ok(minor)) => Ok(HnsVersion { major, minor }),
            _ => Err(HnsVersionError(s.to_string())),
        }
    }
}

impl Serialize for HnsVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HnsVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for HnsVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HnsVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": r"^\d+(\.\d+)?$",
            "description": "HNS version as MAJOR.MINOR, e.g. \"13.3\"",
        })
    }
}

/// Serde for an `Option<HnsVersion>` as `{"major":13,"minor":3}` (the host model's JSON form),
/// for `#[serde(with = "hnsdoctor_version::as_parts")]`.
pub mod as_parts {
    use super::HnsVersion;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Parts {
        major: u32,
        minor: u32,
    }

    /// Write `Some(v)` as `{"major":…,"minor":…}`, `None` as `null`.
    ///
    /// # Errors
    /// The serializer's.
    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(v: &Option<HnsVersion>, s: S) -> Result<S::Ok, S::Error> {
        v.map(|v| Parts {
            major: v.major,
            minor: v.minor,
        })
        .serialize(s)
    }

    /// Read `{"major":…,"minor":…}` or `null`.
    ///
    /// # Errors
    /// The deserializer's.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<HnsVersion>, D::Error> {
        Ok(Option::<Parts>::deserialize(d)?.map(|p| HnsVersion::new(p.major, p.minor)))
    }
}

fn re_full() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?:^|[^\d.])10\.0\.(\d{4,5})(?:\.(\d{1,6}))?(?:$|[^\d.])")
            .expect("static regex")
    })
}

fn re_build() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^(\d{5})(?:\.(\d{1,6}))?(?:$|[^\d])").expect("static regex"))
}

/// The build and update revision (UBR) a Windows version text carries, read without the release
/// catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildUbr {
    /// Build number, e.g. 17763 (not checked against the catalog).
    pub build: u32,
    /// Update build revision; `None` when the text had none, or only a 4th field that is not one.
    pub ubr: Option<u32>,
    /// Why a 4th field was not taken as the UBR (OSVersion's service-pack field, revision 0).
    pub ubr_note: Option<&'static str>,
}

const NOTE_SERVICE_PACK: &str =
    "the 4th field of \"Microsoft Windows NT 10.0.x.y\" ([Environment]::OSVersion) is the \
                                 service-pack number, not the UBR";
const NOTE_REVISION_ZERO: &str =
    "revision 0 is not a real update revision (it is what [Environment]::OSVersion prints)";

/// The one Windows build/UBR reader: `10.0.B[.U]` anywhere in a line (`ver`, OSVersion,
/// systeminfo, a manifest), or a text starting with a five-digit build (`17763.5458`, BuildLabEx
/// `14393.321.amd64fre…`). Revision 0 and OSVersion's 4th field are not UBRs (`ubr_note` says
/// why). Release names are not read here: that needs the catalog (`hnsdoctor_kb::Kb::parse_version`).
#[must_use]
pub fn parse_build_ubr(text: &str) -> Option<BuildUbr> {
    let lower = text.trim().to_ascii_lowercase();
    let num = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<u32>().ok());
    let (build, ubr, mut note) = if let Some(c) = re_full().captures(&lower) {
        let ubr = num(c.get(2));
        if lower.contains("windows nt") && ubr.is_some() {
            (num(c.get(1))?, None, Some(NOTE_SERVICE_PACK))
        } else {
            (num(c.get(1))?, ubr, None)
        }
    } else if let Some(c) = re_build().captures(&lower) {
        (num(c.get(1))?, num(c.get(2)), None)
    } else {
        return None;
    };
    let ubr = match ubr {
        Some(0) => {
            note.get_or_insert(NOTE_REVISION_ZERO);
            None
        }
        u => u,
    };
    Some(BuildUbr {
        build,
        ubr,
        ubr_note: note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_ubr_without_the_catalog() {
        let b = parse_build_ubr("Microsoft Windows [Versión 10.0.20348.2340]").unwrap();
        assert_eq!((b.build, b.ubr, b.ubr_note), (20348, Some(2340), None));
        let nt = parse_build_ubr("Microsoft Windows NT 10.0.17763.0").unwrap();
        assert_eq!((nt.build, nt.ubr), (17763, None));
        assert_eq!(nt.ubr_note, Some(NOTE_SERVICE_PACK));
        let lab = parse_build_ubr("14393.321.amd64fre.rs1_release.161004-2338").unwrap();
        assert_eq!((lab.build, lab.ubr), (14393, Some(321)));
        // Not in the catalog, still read: the catalog check is the caller's.
        assert_eq!(
            parse_build_ubr("10.0.99999.7").map(|b| b.build),
            Some(99999)
        );
        assert_eq!(
            parse_build_ubr("Win32NT 10.0.17763.0").unwrap().ubr_note,
            Some(NOTE_REVISION_ZERO)
        );
        assert_eq!(parse_build_ubr("ltsc2019"), None);
        assert_eq!(parse_build_ubr("1709"), None);
    }

    #[test]
    fn hns_version_forms() {
        assert_eq!("13".parse::<HnsVersion>(), Ok(HnsVersion::new(13, 0)));
        assert!("x.1".parse::<HnsVersion>().is_err());
        assert_eq!(
            serde_json::to_string(&HnsVersion::new(13, 3)).unwrap(),
            "\"13.3\""
        );
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct M {
            #[serde(with = "as_parts")]
            v: Option<HnsVersion>,
        }
        let m = M {
            v: Some(HnsVersion::new(9, 3)),
        };
        let j = serde_json::to_string(&m).unwrap();
        assert_eq!(j, r#"{"v":{"major":9,"minor":3}}"#);
        assert_eq!(serde_json::from_str::<M>(&j).unwrap(), m);
        assert_eq!(
            serde_json::from_str::<M>(r#"{"v":null}"#).unwrap(),
            M { v: None }
        );
    }
}
