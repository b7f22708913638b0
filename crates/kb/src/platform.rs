//! Platform questions: gap status, HNS feature availability by HNS version or build, and which
//! release to move to (`os-outdated`).

use crate::{
    Channel, Entry, EntryKind, Feature, GapStatus, HnsVersion, HostVersion, Kb, QueryError, Release,
};
use chrono::NaiveDate;
use serde::Serialize;

/// A yes / no / depends answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Available.
    Yes,
    /// Not available.
    No,
    /// Depends on the update level (HNS versions observed on the build differ).
    DependsOnUpdate,
    /// Nothing known for this build.
    Unknown,
}

/// What an availability answer rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum FeatureBasis {
    /// The HNS version the user gave.
    HnsVersion {
        /// The version.
        version: HnsVersion,
    },
    /// HNS versions observed on the build (or on the nearest older build).
    Build {
        /// The build asked about.
        build: u32,
        /// The build whose observations were used.
        observed_on: Option<u32>,
        /// The versions observed there.
        versions: Vec<HnsVersion>,
        /// Always true: a build answer is inferred from observations.
        inferred: bool,
    },
    /// Neither was given.
    None,
}

/// A feature's availability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeatureAnswer<'a> {
    /// The feature.
    pub feature: &'a Feature,
    /// The answer.
    pub available: Availability,
    /// What it rests on.
    pub basis: FeatureBasis,
}

/// A gap's status on a build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapAnswer<'a> {
    /// The gap entry.
    pub entry: &'a Entry,
    /// Status on the build asked about (or in general without a build).
    pub status: GapStatus,
}

/// Which release to move to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation<'a> {
    /// The host's release.
    pub current: &'a Release,
    /// Out of all support on the date asked (`None`: the catalog has no end date).
    pub out_of_support: Option<bool>,
    /// Past mainstream support (LTSC) on that date.
    pub mainstream_ended: Option<bool>,
    /// The nearest newer LTSC server release still supported on that date.
    pub next_supported: Option<&'a Release>,
    /// The newest LTSC server release still supported on that date.
    pub latest_supported: Option<&'a Release>,
}

fn check_date(d: &str) -> Result<(), QueryError> {
    match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
        Ok(_) if d.len() == 10 => Ok(()),
        _ => Err(QueryError::BadDate(d.to_string())),
    }
}

/// The last day of a catalog date: `YYYY-MM-DD` itself, `YYYY-MM` the end of that month,
/// `YYYY` the end of that year; `None` for anything else.
fn period_end(d: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = d.split('-').collect();
    let num = |s: &str| s.parse::<u32>().ok();
    match parts.as_slice() {
        [_, _, _] => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
        [y, m] => {
            let (y, m) = (i32::try_from(num(y)?).ok()?, num(m)?);
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)
            };
            next?.pred_opt()
        }
        [y] => NaiveDate::from_ymd_opt(i32::try_from(num(y)?).ok()?, 12, 31),
        _ => None,
    }
}

/// `end` (possibly YYYY or YYYY-MM, meaning the end of that period) is before `today`
/// (YYYY-MM-DD). Dates are compared as `chrono::NaiveDate`s; an end that is not a date at all
/// falls back to comparing the text on the shared prefix (never true for malformed data that
/// `kb validate` would reject anyway).
fn ended(end: &str, today: &str) -> bool {
    match (
        period_end(end),
        NaiveDate::parse_from_str(today, "%Y-%m-%d").ok(),
    ) {
        (Some(e), Some(t)) => e < t,
        _ => {
            let n = end.len().min(today.len());
            end.get(..n) < today.get(..n)
        }
    }
}

impl Kb {
    /// The HNS versions observed on `build`, and whether any was inferred.
    pub fn hns_versions_for_build(&self, build: u32) -> Vec<HnsVersion> {
        self.hns_versions
            .iter()
            .filter(|o| o.build == build)
            .map(|o| o.hns)
            .collect()
    }

    /// The feature with this id (`dsr`, `dual-stack`, `session-affinity` …).
    pub fn feature(&self, id: &str) -> Result<&Feature, QueryError> {
        let id = id.trim().to_ascii_lowercase();
        self.features
            .iter()
            .find(|f| f.id == id)
            .ok_or_else(|| QueryError::UnknownFeature {
                feature: id.clone(),
                known: self
                    .features
                    .iter()
                    .map(|f| f.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Whether HNS version `hns` supports `feature` (a feature id).
    pub fn feature_available(&self, feature: &str, hns: HnsVersion) -> Result<bool, QueryError> {
        Ok(self.feature(feature)?.available_in(hns))
    }

    /// Every feature's availability, from the HNS version when given, else from the build
    /// (inferred from the HNS versions observed on it or on the nearest older build).
    pub fn features_for(
        &self,
        build: Option<u32>,
        hns: Option<HnsVersion>,
    ) -> Vec<FeatureAnswer<'_>> {
        self.features
            .iter()
            .map(|f| {
                let (available, basis) = match (hns, build) {
                    (Some(v), _) => (
                        if f.available_in(v) {
                            Availability::Yes
                        } else {
                            Availability::No
                        },
                        FeatureBasis::HnsVersion { version: v },
                    ),
                    (None, Some(b)) => self.feature_on_build(f, b),
                    (None, None) => (Availability::Unknown, FeatureBasis::None),
                };
                FeatureAnswer {
                    feature: f,
                    available,
                    basis,
                }
            })
            .collect()
    }

    fn feature_on_build(&self, f: &Feature, build: u32) -> (Availability, FeatureBasis) {
        let basis = |observed_on, versions| FeatureBasis::Build {
            build,
            observed_on,
            versions,
            inferred: true,
        };
        let here = self.hns_versions_for_build(build);
        if !here.is_empty() {
            let yes = here.iter().filter(|v| f.available_in(**v)).count();
            let a = match yes {
                0 => Availability::No,
                n if n == here.len() => Availability::Yes,
                _ => Availability::DependsOnUpdate,
            };
            return (a, basis(Some(build), here));
        }
        // Pre-1803 hosts cannot even answer the version query: below every gate (7.2).
        if build < 17134 {
            return (Availability::No, basis(None, Vec::new()));
        }
        // Nearest older build with observations: HNS only grows, so an open-ended interval that
        // holds its newest version holds here too.
        let older = self
            .hns_versions
            .iter()
            .filter(|o| o.build < build)
            .map(|o| o.build)
            .max();
        if let Some(ob) = older {
            let vs = self.hns_versions_for_build(ob);
            if let Some(max) = vs.iter().max() {
                if f.hns.iter().any(|i| i.until.is_none() && *max >= i.from) {
                    return (Availability::Yes, basis(Some(ob), vs));
                }
            }
            return (Availability::Unknown, basis(Some(ob), vs));
        }
        (Availability::Unknown, basis(None, Vec::new()))
    }

    /// The platform gaps and their status, on `build` when given.
    pub fn gaps(&self, build: Option<u32>) -> Vec<GapAnswer<'_>> {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::Gap)
            .map(|e| {
                let s = e.gap_status.unwrap_or(GapStatus::Unknown);
                let status = match (s, e.closed_from_build, build) {
                    (GapStatus::Closed, Some(from), Some(b)) if b < from => GapStatus::Open,
                    (s, _, _) => s,
                };
                GapAnswer { entry: e, status }
            })
            .collect()
    }

    /// For `os-outdated`: the host's release, whether it is out of support on `today`
    /// (`YYYY-MM-DD`), and which supported LTSC server release to move to.
    pub fn recommended_release(
        &self,
        host: &HostVersion,
        today: &str,
    ) -> Result<Option<Recommendation<'_>>, QueryError> {
        check_date(today)?;
        let Some(current) = self.release_for_build(host.build) else {
            return Ok(None);
        };
        let supported = |r: &&Release| {
            r.channel == Channel::Ltsc
                && r.name.starts_with("Windows Server")
                && r.support_end.as_deref().is_some_and(|e| !ended(e, today))
        };
        let candidates: Vec<&Release> = self
            .releases
            .iter()
            .filter(|r| r.build > host.build)
            .filter(supported)
            .collect();
        Ok(Some(Recommendation {
            current,
            out_of_support: current.support_end.as_deref().map(|e| ended(e, today)),
            mainstream_ended: current.mainstream_end.as_deref().map(|e| ended(e, today)),
            next_supported: candidates.first().copied(),
            latest_supported: candidates.last().copied(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_end_dates_mean_the_end_of_their_period() {
        assert!(!ended("2024", "2024-12-31"));
        assert!(ended("2024", "2025-01-01"));
        assert!(
            !ended("2024-02", "2024-02-29"),
            "leap day is still February"
        );
        assert!(ended("2024-02", "2024-03-01"));
        assert!(ended("2023-12", "2024-01-01"));
        assert!(!ended("2029-01-09", "2029-01-09"));
        assert!(ended("2029-01-09", "2029-01-10"));
        assert!(check_date("2026-13-01").is_err(), "month 13 is not a date");
        assert!(check_date("2026-02-28").is_ok());
        assert!(check_date("2026-2-28").is_err());
    }

    #[test]
    fn feature_by_hns_version() {
        let kb = Kb::get();
        assert!(kb.feature_available("dsr", HnsVersion::new(9, 3)).unwrap());
        assert!(!kb.feature_available("dsr", HnsVersion::new(10, 1)).unwrap());
        assert!(kb.feature_available("dsr", HnsVersion::new(10, 2)).unwrap());
        assert!(!kb
            .feature_available("dual-stack", HnsVersion::new(11, 9))
            .unwrap());
        assert!(kb
            .feature_available("session-affinity", HnsVersion::new(12, 0))
            .unwrap());
        assert!(kb.feature_available("nope", HnsVersion::new(1, 0)).is_err());
    }

    #[test]
    fn feature_by_build_is_inferred() {
        let kb = Kb::get();
        let get = |b, id: &str| {
            kb.features_for(Some(b), None)
                .into_iter()
                .find(|a| a.feature.id == id)
                .unwrap()
                .available
        };
        assert_eq!(get(17763, "dsr"), Availability::DependsOnUpdate);
        assert_eq!(get(20348, "session-affinity"), Availability::Yes);
        assert_eq!(get(17763, "session-affinity"), Availability::No);
        assert_eq!(get(16299, "hcn-v2"), Availability::No);
        // 25398 has no observation; 20348 (13.3) holds open-ended session affinity.
        assert_eq!(get(25398, "session-affinity"), Availability::Yes);
        assert_eq!(get(25398, "modify-load-balancer"), Availability::Unknown);
    }

    #[test]
    fn gap_status_by_build() {
        let kb = Kb::get();
        let st = |b| {
            kb.gaps(b)
                .into_iter()
                .find(|g| g.entry.id == "gap-endpoint-hot-add")
                .unwrap()
                .status
        };
        assert_eq!(st(Some(17134)), GapStatus::Open);
        assert_eq!(st(Some(17763)), GapStatus::Closed);
        assert_eq!(kb.gaps(None).len(), 5);
    }

    #[test]
    fn recommendation_for_outdated_hosts() {
        let kb = Kb::get();
        let h = kb.parse_version("1709").unwrap();
        let r = kb.recommended_release(&h, "2025-06-01").unwrap().unwrap();
        assert_eq!(r.out_of_support, Some(true));
        assert_eq!(r.next_supported.unwrap().build, 17763);
        assert_eq!(r.latest_supported.unwrap().build, 26100);
        let h = kb.parse_version("ltsc2019").unwrap();
        let r = kb.recommended_release(&h, "2025-06-01").unwrap().unwrap();
        assert_eq!(
            (r.out_of_support, r.mainstream_ended),
            (Some(false), Some(true))
        );
        assert_eq!(r.next_supported.unwrap().build, 20348);
        let r = kb.recommended_release(&h, "2029-01-10").unwrap().unwrap();
        assert_eq!(r.out_of_support, Some(true));
        assert!(kb.recommended_release(&h, "June 2025").is_err());
    }
}
