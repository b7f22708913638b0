//! The host's Windows version as users and logs write it, resolved against the release catalog.
//!
//! Accepted: `16299`, `16299.334`, `10.0.16299.334`, `Microsoft Windows [Version 10.0.17763.1234]`
//! (`ver`), `Microsoft Windows NT 10.0.17763.0` (`[Environment]::OSVersion`: its 4th field is the
//! service-pack number, never the UBR, so the UBR is unknown), BuildLabEx strings
//! (`14393.321.amd64fre…`), and release names and aliases (`1709`, `RS5`, `ltsc2022`,
//! `Windows Server 2019 Datacenter`).

use crate::{Kb, VersionError};
pub use hnsdoctor_version::{parse_build_ubr, BuildUbr};
use serde::Serialize;
use std::fmt;

/// A Windows build with its update revision (UBR) when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostVersion {
    /// Build number, e.g. 17763. Always in the release catalog.
    pub build: u32,
    /// Update build revision; `None` when the input did not carry one.
    pub ubr: Option<u32>,
    /// Why the UBR is unknown although the input had a 4th field (e.g. OSVersion's `.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ubr_note: Option<String>,
}

impl fmt::Display for HostVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ubr {
            Some(u) => write!(f, "{}.{u}", self.build),
            None => write!(f, "{} (UBR unknown)", self.build),
        }
    }
}

/// Edition and filler words dropped before alias lookup ("Windows Server 2019 Datacenter").
const FILLER: &[&str] = &[
    "microsoft",
    "datacenter",
    "standard",
    "azure edition",
    "server core",
    "evaluation",
    "edition",
    "ltsc edition",
];

impl HostVersion {
    /// Parse and resolve against the embedded catalog ([`Kb::get`]).
    pub fn parse(input: &str) -> Result<HostVersion, VersionError> {
        Kb::get().parse_version(input)
    }

    /// A version from parts, without checking the catalog (for callers that already have a
    /// build from a model).
    pub fn new(build: u32, ubr: Option<u32>) -> HostVersion {
        HostVersion {
            build,
            ubr,
            ubr_note: None,
        }
    }
}

impl Kb {
    /// Parse a Windows version string (see the module docs for the forms) and check that its
    /// build is in the release catalog.
    pub fn parse_version(&self, input: &str) -> Result<HostVersion, VersionError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(VersionError::Empty);
        }
        let (build, ubr, note) = if let Some(b) = parse_build_ubr(t) {
            (b.build, b.ubr, b.ubr_note.map(str::to_string))
        } else {
            let lower = t.to_ascii_lowercase();
            let mut key = lower.clone();
            for w in FILLER {
                key = key.replace(w, " ");
            }
            match self
                .release_by_alias(&key)
                .or_else(|| self.release_by_alias(&lower))
            {
                Some(r) => (r.build, None, None),
                None => return Err(VersionError::Unrecognised(t.into())),
            }
        };
        if self.release_for_build(build).is_none() {
            let mut known: Vec<u32> = self.releases.iter().map(|r| r.build).collect();
            known.dedup();
            return Err(VersionError::UnknownBuild {
                build,
                input: t.into(),
                known: known
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ok(HostVersion {
            build,
            ubr,
            ubr_note: note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<HostVersion, VersionError> {
        Kb::get().parse_version(s)
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(p("16299").unwrap(), HostVersion::new(16299, None));
        assert_eq!(p("16299.334").unwrap(), HostVersion::new(16299, Some(334)));
        assert_eq!(
            p("10.0.16299.334").unwrap(),
            HostVersion::new(16299, Some(334))
        );
        assert_eq!(
            p("Microsoft Windows [Version 10.0.17763.1234]").unwrap(),
            HostVersion::new(17763, Some(1234))
        );
        assert_eq!(
            p("14393.321.amd64fre.rs1_release_inmarket.161004-2338").unwrap(),
            HostVersion::new(14393, Some(321))
        );
    }

    #[test]
    fn osversion_dot_zero_is_not_a_ubr() {
        let v = p("Microsoft Windows NT 10.0.17763.0").unwrap();
        assert_eq!((v.build, v.ubr), (17763, None));
        assert!(v.ubr_note.unwrap().contains("service-pack"));
        assert_eq!(p("10.0.20348.0").unwrap().ubr, None);
    }

    #[test]
    fn names_and_aliases() {
        for (s, b) in [
            ("1709", 16299),
            ("RS3", 16299),
            ("Windows Server 2019", 17763),
            ("ltsc2019", 17763),
            ("WS2019", 17763),
            ("2022", 20348),
            ("ltsc2022", 20348),
            ("RS5", 17763),
            ("Server 2016", 14393),
            ("Windows 11 24H2", 26100),
            ("windows server 2019 datacenter", 17763),
            ("Windows Server, version 1709", 16299),
        ] {
            let v = p(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!((v.build, v.ubr), (b, None), "{s}");
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(p("  "), Err(VersionError::Empty));
        assert!(matches!(p("banana"), Err(VersionError::Unrecognised(_))));
        assert!(matches!(
            p("12345"),
            Err(VersionError::UnknownBuild { build: 12345, .. })
        ));
        assert!(matches!(
            p("10.0.99999.1"),
            Err(VersionError::UnknownBuild { .. })
        ));
        assert!(matches!(p("1234"), Err(VersionError::Unrecognised(_))));
    }
}
