//! Property tests of version parsing and UBR comparison: every spelling of a catalogued build
//! and revision parses to the same version, and an issue's status is a step function of the
//! UBR (not affected below its range, affected inside, fixed from its fix on).

use hnsdoctor_kb::{HostVersion, IssueStatus, Kb};
use proptest::prelude::*;

/// Builds the catalog knows (every affected range names one).
fn builds() -> Vec<u32> {
    let mut b: Vec<u32> = [
        14393u32, 16299, 17134, 17763, 18363, 19041, 20348, 25398, 26100,
    ]
    .into_iter()
    .filter(|b| Kb::get().release_for_build(*b).is_some())
    .collect();
    b.sort_unstable();
    b
}

/// (issue id, status) of every issue for a host, hotfixes none.
fn statuses(build: u32, ubr: u32) -> Vec<(String, u32, IssueStatus)> {
    Kb::get()
        .issues_for(&HostVersion::new(build, Some(ubr)), &[])
        .into_iter()
        .map(|m| (m.entry.id.clone(), m.range.from_ubr, m.status))
        .collect()
}

fn rank(s: Option<&IssueStatus>) -> u8 {
    match s {
        None => 0,
        Some(IssueStatus::Fixed { .. }) => 2,
        Some(_) => 1,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(14), ..ProptestConfig::default() })]

    #[test]
    fn every_spelling_parses_to_the_same_version(i in 0usize..9, ubr in 1u32..100_000) {
        let bs = builds();
        prop_assume!(!bs.is_empty());
        let build = bs[i % bs.len()];
        let want = HostVersion::new(build, Some(ubr));
        for text in [
            format!("{build}.{ubr}"),
            format!("10.0.{build}.{ubr}"),
            format!("Microsoft Windows [Version 10.0.{build}.{ubr}]"),
            format!("  10.0.{build}.{ubr}\r\n"),
        ] {
            let v = HostVersion::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!((v.build, v.ubr), (want.build, want.ubr), "{}", text);
        }
        // The 4th field of [Environment]::OSVersion is never the UBR.
        let nt = HostVersion::parse(&format!("Microsoft Windows NT 10.0.{build}.{ubr}")).unwrap();
        prop_assert_eq!((nt.build, nt.ubr), (build, None));
    }

    #[test]
    fn issue_status_is_monotonic_in_the_ubr(i in 0usize..9, a in 0u32..40_000, b in 0u32..40_000) {
        let bs = builds();
        prop_assume!(!bs.is_empty());
        let build = bs[i % bs.len()];
        let (lo, hi) = (a.min(b), a.max(b));
        let low = statuses(build, lo);
        let high = statuses(build, hi);
        // Per (issue, range): not affected → affected → fixed, never backwards.
        for (id, from, s) in &low {
            let later = high.iter().find(|(i, f, _)| i == id && f == from).map(|x| &x.2);
            prop_assert!(rank(Some(s)) <= rank(later), "{} {}: {:?} at {} but {:?} at {}", id, build, s, lo, later, hi);
        }
        for (id, from, s) in &high {
            if matches!(s, IssueStatus::Applies) {
                // Affected at `hi` means the range started at or before it.
                prop_assert!(*from <= hi, "{}", id);
            }
        }
    }
}

#[test]
fn catalog_has_builds_to_test() {
    assert!(builds().len() >= 3, "{:?}", builds());
}
