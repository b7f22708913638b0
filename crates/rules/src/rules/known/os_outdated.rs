//! `os-outdated` — the host runs a release that is out of support, or older than the update
//! that fixed the networking issues it has; says which release / update to move to.
//!
//! # What it finds
//! (a) The host's release is past its end of support on the reference date (`--now`, else the
//! collection time, else today): warning, naming the nearest and the newest supported LTSC
//! Windows Server release. (b) Known networking issues with a fix apply to the host's UBR:
//! info, naming the update (build.UBR and KB) that fixes all of them.
//!
//! # Why it matters
//! Unsupported releases get no fixes for the networking bugs they have; an old UBR keeps bugs
//! that an ordinary cumulative update removes.
//!
//! # Evidence used
//! OS build and UBR (`os-build`, `os-ubr`), hotfixes; the release catalog of the knowledge base.
//!
//! # Fix
//! From the knowledge base entry `os-outdated`.
//!
//! # Applies to
//! All builds.
//!
//! # References
//! Domain facts §1.2 (release table).

use crate::known_issue::host_version;
use crate::rules::prelude::*;
use hnsdoctor_kb::IssueStatus;

/// The rule.
pub struct OsOutdated;

impl Rule for OsOutdated {
    fn id(&self) -> &'static str {
        "os-outdated"
    }
    fn title(&self) -> &'static str {
        "Windows release out of support or outdated"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::OsBuild]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let Some((host, hot, prov)) = host_version(ctx) else {
            return;
        };
        let kb = ctx.kb.kb();
        let today = ctx
            .now()
            .unwrap_or_else(chrono::Utc::now)
            .format("%Y-%m-%d")
            .to_string();
        if let Ok(Some(rec)) = kb.recommended_release(&host, &today) {
            if rec.out_of_support == Some(true) {
                let target = match (rec.next_supported, rec.latest_supported) {
                    (Some(n), Some(l)) if n.build != l.build => format!(
                        "move to {} (build {}) or, better, {} (build {})",
                        n.name, n.build, l.name, l.build
                    ),
                    (Some(n), _) | (None, Some(n)) => {
                        format!("move to {} (build {})", n.name, n.build)
                    }
                    (None, None) => "move to a supported Windows Server LTSC release".to_string(),
                };
                // "Windows Server, version 1709" already says its version: no "1709 1709"
                let release = if rec.current.name.contains(rec.current.version.as_str()) {
                    rec.current.name.to_string()
                } else {
                    format!("{} {}", rec.current.name, rec.current.version)
                };
                ctx.finding(
                    self,
                    format!(
                        "{release} (build {host}) is out of support since {} (as of {today}); {target}.",
                        rec.current.support_end.as_deref().unwrap_or("?")
                    ),
                )
                .why("An unsupported release gets no fixes: the container-networking bugs it has stay.")
                .evidence(&prov)
                .push(out);
                return;
            }
        }
        let hot: Vec<&str> = hot.iter().map(String::as_str).collect();
        let fixable: Vec<_> = kb
            .issues_for(&host, &hot)
            .into_iter()
            .filter(|m| {
                m.status == IssueStatus::Applies && !m.disputed && m.range.until_ubr.is_some()
            })
            .collect();
        let Some(best) = fixable.iter().max_by_key(|m| m.range.until_ubr) else {
            return;
        };
        let ids: Vec<&str> = fixable.iter().map(|m| m.entry.id.as_str()).collect();
        ctx.finding(
            self,
            format!(
                "Build {host} is older than the updates that fix {}: {}. Install at least {}.{}{} (or the latest cumulative update).",
                plural(fixable.len(), "known networking issue"),
                list(&ids, 8),
                host.build,
                best.range.until_ubr.unwrap_or_default(),
                best.range.fixed_by.as_deref().map(|k| format!(" ({k})")).unwrap_or_default()
            ),
        )
        .severity(Severity::Info)
        .why("These bugs are fixed by an ordinary cumulative update for this build.")
        .evidence(&prov)
        .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use chrono::TimeZone;

    fn opts() -> Options {
        Options {
            now: chrono::Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).single(),
            ..Options::default()
        }
    }

    #[test]
    fn fires_on_unsupported_release_and_names_target() {
        let f = findings_with(&OsOutdated, &os_model(16299, Some(100)), &opts());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].observed.contains("out of support"),
            "{}",
            f[0].observed
        );
        assert!(
            f[0].observed.contains("move to Windows Server"),
            "{}",
            f[0].observed
        );
        assert!(
            f[0].observed.contains("version 1709 (build 16299"),
            "{}",
            f[0].observed
        );
        assert!(!f[0].observed.contains("1709 1709"), "{}", f[0].observed);
    }

    #[test]
    fn fires_info_on_old_ubr_of_supported_release() {
        let f = findings_with(&OsOutdated, &os_model(17763, Some(1000)), &opts());
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Info);
        assert!(
            f[0].observed.contains("Install at least 17763."),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn quiet_on_current_supported_build() {
        assert!(findings_with(&OsOutdated, &os_model(20348, Some(3000)), &opts()).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        assert_eq!(missing(&OsOutdated, &model(&[])), vec![Fact::OsBuild]);
    }
}
