//! "Which known issues apply to this host?" — build/UBR ranges against the host version and its
//! hotfix list.
//!
//! The answer compares UBRs, because `Get-HotFix` lists only the latest cumulative update: a
//! hotfix counts when the update map puts it on the host's build at or above the fix's UBR.

use crate::{normalize_kb, AffectedImage, AffectedRange, Entry, HostVersion, Kb};
use serde::Serialize;

/// How a known issue relates to the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum IssueStatus {
    /// The host's UBR lies in the affected range.
    Applies,
    /// The host is on an affected build but at or past the fix.
    Fixed {
        /// The update that fixed it (the range's `fixed_by`; `None` when the data names none).
        by: Option<String>,
        /// The first fixed UBR.
        ubr: u32,
        /// The hotfix from the host's list that made the difference, if the UBR alone did not.
        via_hotfix: Option<String>,
    },
    /// UBR unknown: the answer assumes the build's first release (RTM), which is affected.
    AssumedRtm,
    /// UBR unknown: RTM is not affected, but a later UBR in `[from_ubr, until_ubr)` would be.
    LaterUbr {
        /// First affected UBR.
        from_ubr: u32,
        /// First fixed UBR, if any.
        until_ubr: Option<u32>,
    },
}

/// One known issue matched against a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueMatch<'a> {
    /// The issue.
    pub entry: &'a Entry,
    /// The range of the host's build that matched.
    pub range: &'a AffectedRange,
    /// How it relates to the host.
    pub status: IssueStatus,
    /// The range is disputed (only some sources include it): report it apart.
    pub disputed: bool,
    /// The host is a few UBRs below the fix on a release with hotpatch revisions: it may in
    /// fact be the hotpatch build of the fixing month.
    pub hotpatch_caveat: bool,
}

impl IssueMatch<'_> {
    /// Whether the issue affects the host now, on undisputed evidence (`Applies` or
    /// `AssumedRtm`, not disputed).
    pub fn applies(&self) -> bool {
        !self.disputed && matches!(self.status, IssueStatus::Applies | IssueStatus::AssumedRtm)
    }
}

/// How far below a fix a hotpatch revision of the same month can be.
const HOTPATCH_SLACK: u32 = 10;

impl Kb {
    /// The known issues whose affected ranges include the host's build, with their status.
    ///
    /// `hotfixes` are KB numbers as listed by `Get-HotFix` (any spelling; unknown ones and ones
    /// for other builds are ignored — see [`Kb::update`]). Issues whose range starts after the
    /// host's (known) UBR are left out; with an unknown UBR they come back as
    /// [`IssueStatus::LaterUbr`]. Order: data order (catalogue order).
    pub fn issues_for(&self, host: &HostVersion, hotfixes: &[&str]) -> Vec<IssueMatch<'_>> {
        // The newest hotfix on this build.
        let best_hotfix = hotfixes
            .iter()
            .filter_map(|h| normalize_kb(h))
            .filter_map(|k| self.update(&k))
            .filter(|u| u.build == host.build)
            .max_by_key(|u| u.ubr);
        let hotpatch = self.releases_for_build(host.build).any(|r| r.hotpatch);
        let mut out = Vec::new();
        for entry in &self.entries {
            for range in entry.affected.iter().filter(|r| r.build == host.build) {
                let (eff, via) = match (host.ubr, best_hotfix) {
                    (Some(u), Some(h)) if h.ubr > u => (Some(h.ubr), Some(h.kb.clone())),
                    (None, Some(h)) => (Some(h.ubr), Some(h.kb.clone())),
                    (u, _) => (u, None),
                };
                let status = match eff {
                    None if range.from_ubr == 0 => IssueStatus::AssumedRtm,
                    None => IssueStatus::LaterUbr {
                        from_ubr: range.from_ubr,
                        until_ubr: range.until_ubr,
                    },
                    Some(e) if e < range.from_ubr => continue,
                    Some(e) => match range.until_ubr {
                        Some(u) if e >= u => IssueStatus::Fixed {
                            // The update that fixed it is the range's, never the newer hotfix
                            // that merely brought the host past it (that one is `via_hotfix`).
                            by: range.fixed_by.clone(),
                            ubr: u,
                            via_hotfix: via.clone(),
                        },
                        _ => IssueStatus::Applies,
                    },
                };
                let hotpatch_caveat = hotpatch
                    && status == IssueStatus::Applies
                    && matches!((eff, range.until_ubr), (Some(e), Some(u)) if u - e <= HOTPATCH_SLACK);
                out.push(IssueMatch {
                    entry,
                    range,
                    status,
                    disputed: range.disputed,
                    hotpatch_caveat,
                });
            }
        }
        out
    }
}

/// A Windows build and, when shown, the revision of a container image.
pub type BuildRev = (u32, Option<u32>);

/// A container image as the knowledge base compares it. Callers build it from what they read
/// (`hnsdoctor_model::ContainerImage`: repository, tag, and the Windows version its tag or
/// `OsVersion` shows); the knowledge base adds what only it knows (KB tags, release aliases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageQuery<'a> {
    /// Repository as printed, registry included: `mcr.microsoft.com/windows/servercore`.
    pub repository: &'a str,
    /// Tag (`ltsc2019`, `10.0.17763.4851`, `1809-KB5030214`), when any.
    pub tag: Option<&'a str>,
    /// The Windows build and revision the caller read from the tag or the image metadata.
    pub os_version: Option<BuildRev>,
}

impl ImageQuery<'_> {
    /// `repository[:tag]`.
    pub fn reference(&self) -> String {
        match self.tag {
            Some(t) => format!("{}:{t}", self.repository),
            None => self.repository.to_string(),
        }
    }
}

/// How a container image relates to an image-keyed known issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ImageStatus {
    /// The image's revision lies in the affected range.
    Applies,
    /// The image is at or past the fixed revision.
    Fixed {
        /// The fixed image (or the update it carries).
        by: Option<String>,
        /// The first fixed revision.
        rev: u32,
    },
    /// The image is of an affected repository and build, but its revision is not shown (a
    /// floating tag such as `ltsc2019` without a digest or version): pull date decides.
    RevisionUnknown {
        /// First affected revision.
        from_rev: u32,
        /// First fixed revision, if any.
        until_rev: Option<u32>,
    },
}

/// One image-keyed known issue matched against a container image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageMatch<'a> {
    /// The issue.
    pub entry: &'a Entry,
    /// The image range that matched.
    pub range: &'a AffectedImage,
    /// The image reference as read (`repository[:tag][@digest]`).
    pub image: String,
    /// Index of the image in the slice given to [`Kb::issues_for_images`].
    pub image_index: usize,
    /// Build and revision used (`None` revision: not shown).
    pub build: u32,
    /// The image revision, when known.
    pub revision: Option<u32>,
    /// How it relates to the image.
    pub status: ImageStatus,
}

impl ImageMatch<'_> {
    /// Whether the issue affects the image on the evidence shown.
    pub fn applies(&self) -> bool {
        self.status == ImageStatus::Applies
    }
}

impl Kb {
    /// The `(build, revision)` an image is for: the version the caller read (tag
    /// `10.0.17763.4851`, `OsVersion`), else a KB tag (`1809-KB5030214` → the update map), else
    /// the build of a release alias in the tag (`ltsc2019` → 17763) with the revision unknown.
    pub fn image_version(&self, image: &ImageQuery<'_>) -> Option<BuildRev> {
        if let Some(v) = image.os_version {
            return Some(v);
        }
        let tag = image.tag?;
        if let Some(u) = tag
            .split(['-', '_'])
            .filter_map(|p| {
                self.update(p)
                    .filter(|_| p.to_ascii_lowercase().starts_with("kb"))
            })
            .next()
        {
            return Some((u.build, Some(u.ubr)));
        }
        tag.split(['-', '_'])
            .find_map(|p| self.release_by_alias(p))
            .map(|r| (r.build, None))
    }

    /// The image-keyed known issues that concern these container images, one match per image
    /// and range, in data order of the entries. Images of other repositories or builds, and
    /// images before an affected range, are left out.
    pub fn issues_for_images(&self, images: &[ImageQuery<'_>]) -> Vec<ImageMatch<'_>> {
        let mut out = Vec::new();
        let resolved: Vec<(String, Option<BuildRev>)> = images
            .iter()
            .map(|i| (i.reference(), self.image_version(i)))
            .collect();
        for entry in self
            .entries
            .iter()
            .filter(|e| !e.affected_images.is_empty())
        {
            for range in &entry.affected_images {
                for (image_index, (img, (reference, version))) in
                    images.iter().zip(&resolved).enumerate()
                {
                    let Some((build, rev)) = *version else {
                        continue;
                    };
                    if !range.covers(img.repository, build) {
                        continue;
                    }
                    let status = match rev {
                        None => ImageStatus::RevisionUnknown {
                            from_rev: range.from_rev,
                            until_rev: range.until_rev,
                        },
                        Some(r) if r < range.from_rev => continue,
                        Some(r) => match range.until_rev {
                            Some(u) if r >= u => ImageStatus::Fixed {
                                by: range.fixed_by.clone(),
                                rev: u,
                            },
                            _ => ImageStatus::Applies,
                        },
                    };
                    out.push(ImageMatch {
                        entry,
                        range,
                        image: reference.clone(),
                        image_index,
                        build,
                        revision: rev,
                        status,
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &str, hot: &[&str], want: fn(&IssueMatch) -> bool) -> Vec<String> {
        let kb = Kb::get();
        let h = kb.parse_version(v).unwrap();
        kb.issues_for(&h, hot)
            .iter()
            .filter(|m| want(m))
            .map(|m| m.entry.id.clone())
            .collect()
    }

    fn applying(v: &str) -> Vec<String> {
        ids(v, &[], |m| m.applies())
    }

    fn fixed(v: &str, hot: &[&str]) -> Vec<String> {
        ids(v, hot, |m| matches!(m.status, IssueStatus::Fixed { .. }))
    }

    #[test]
    fn seed_rows_at_16299_300() {
        let a = applying("16299.300");
        for id in [
            "service-vip-unreachable",
            "outbound-lost-after-restart",
            "docker-slow-start-hnsdata",
            "dns-negative-cache",
            "netns-cleanup-on-crash",
        ] {
            assert!(a.contains(&id.to_string()), "{id} missing from {a:?}");
        }
        // Fixed at 16299.248.
        assert!(!a.contains(&"dns-blackout-15min".to_string()));
        assert!(fixed("16299.300", &[]).contains(&"dns-blackout-15min".to_string()));
    }

    #[test]
    fn seed_rows_at_16299_402_are_fixed() {
        let a = applying("16299.402");
        let f = fixed("16299.402", &[]);
        for id in ["docker-slow-start-hnsdata", "service-vip-unreachable"] {
            assert!(!a.contains(&id.to_string()), "{id} still applies");
            assert!(f.contains(&id.to_string()), "{id} not shown as fixed");
        }
        assert!(a.contains(&"outbound-lost-after-restart".to_string()));
        // One below the fix still applies.
        assert!(applying("16299.401").contains(&"docker-slow-start-hnsdata".to_string()));
    }

    #[test]
    fn seed_rows_at_15063() {
        let a = applying("15063.800");
        assert!(a.contains(&"dns-blackout-15min".to_string()));
        assert!(a.contains(&"winnat-port-collision".to_string()));
        let b = applying("15063.909");
        assert!(!b.contains(&"dns-blackout-15min".to_string()));
        assert!(!b.contains(&"winnat-port-collision".to_string()));
        assert!(applying("15063.908").contains(&"winnat-port-collision".to_string()));
    }

    #[test]
    fn seed_rows_at_14393_boundary() {
        assert!(applying("14393.2067").contains(&"dns-blackout-15min".to_string()));
        assert!(!applying("14393.2068").contains(&"dns-blackout-15min".to_string()));
    }

    #[test]
    fn build_17134_has_none_of_the_1709_rows() {
        let a = applying("17134");
        for id in [
            "dns-blackout-15min",
            "winnat-port-collision",
            "service-vip-unreachable",
            "netns-cleanup-on-crash",
            "dns-negative-cache",
            "outbound-lost-after-restart",
            "docker-slow-start-hnsdata",
        ] {
            assert!(!a.contains(&id.to_string()), "{id} applies to 17134: {a:?}");
        }
        // The later "1803 and below" text is kept, as disputed.
        let d = ids("17134", &[], |m| m.disputed);
        assert_eq!(d, vec!["dns-negative-cache".to_string()]);
    }

    #[test]
    fn hotfix_list_counts_by_ubr() {
        // UBR 300 but the hotfix list has KB4093105 (16299.402).
        let f = fixed("16299.300", &["kb4093105"]);
        assert!(f.contains(&"service-vip-unreachable".to_string()));
        // A hotfix for another build changes nothing.
        assert!(applying("16299.300").contains(&"service-vip-unreachable".to_string()));
        let a = ids("16299.300", &["KB4074590"], |m| m.applies());
        assert!(a.contains(&"service-vip-unreachable".to_string()));
        // Unknown UBR plus a hotfix: the hotfix gives the UBR.
        let f = fixed("1709", &["KB4089848"]);
        assert!(f.contains(&"dns-blackout-15min".to_string()), "{f:?}");
        assert!(applying("16299.334").contains(&"service-vip-unreachable".to_string()));
    }

    #[test]
    fn unknown_ubr_assumes_rtm_and_lists_later_ranges() {
        let kb = Kb::get();
        let h = kb.parse_version("ltsc2019").unwrap();
        let m = kb.issues_for(&h, &[]);
        let vfp = m
            .iter()
            .find(|m| m.entry.id == "vfp-decap-regression")
            .unwrap();
        assert_eq!(
            vfp.status,
            IssueStatus::LaterUbr {
                from_ubr: 1432,
                until_ubr: Some(1554)
            }
        );
        let pool = m
            .iter()
            .find(|m| m.entry.id == "port-pool-exhaustion")
            .unwrap();
        assert_eq!(pool.status, IssueStatus::AssumedRtm);
    }

    #[test]
    fn regression_window() {
        assert!(applying("17763.1432").contains(&"vfp-decap-regression".to_string()));
        assert!(applying("17763.1553").contains(&"vfp-decap-regression".to_string()));
        assert!(!applying("17763.1554").contains(&"vfp-decap-regression".to_string()));
        // Before the regression: not listed at all.
        assert!(!ids("17763.1431", &[], |_| true).contains(&"vfp-decap-regression".to_string()));
        let a = applying("20348.2600");
        assert!(a.contains(&"ws2022-pod-network-regression".to_string()));
        assert!(!applying("20348.2762").contains(&"ws2022-pod-network-regression".to_string()));
    }

    #[test]
    fn hotpatch_caveat_close_below_a_fix() {
        let kb = Kb::get();
        let h = kb.parse_version("20348.2755").unwrap();
        let m = kb.issues_for(&h, &[]);
        let r = m
            .iter()
            .find(|m| m.entry.id == "ws2022-pod-network-regression" && !m.disputed)
            .unwrap();
        assert!(r.hotpatch_caveat);
        let h = kb.parse_version("20348.2600").unwrap();
        assert!(kb.issues_for(&h, &[]).iter().all(|m| !m.hotpatch_caveat));
    }
}
