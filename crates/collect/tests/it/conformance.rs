//! Conformance of the source table (sos `conformance_tests.py`): ids unique and well-formed,
//! timeouts and caps positive, a parser or a stated raw-only reason, read-only, bundle paths
//! unique and relative, and every CollectLogs artefact covered by some source's `legacy`.

use hnsdoctor_bundle::artefacts::{self, Origin};
use hnsdoctor_collect::source::{Parser, Via};
use hnsdoctor_collect::sources::{self, BUDGETS, TABLES};
use std::collections::BTreeSet;

#[test]
fn ids_unique_well_formed_and_in_their_subsystem_file() {
    let mut seen = BTreeSet::new();
    for table in TABLES {
        let sub = table[0].subsystem();
        for s in *table {
            assert!(seen.insert(s.id), "duplicate id {}", s.id);
            assert_eq!(s.subsystem(), sub, "{} is in the {sub} table", s.id);
            let (a, b) = s.id.split_once('.').expect("id is <subsystem>.<name>");
            for part in [a, b] {
                assert!(
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "bad id {}",
                    s.id
                );
            }
            assert!(!s.what.is_empty(), "{} has no description", s.id);
        }
    }
    assert!(seen.len() >= 60, "table shrank to {}", seen.len());
}

#[test]
fn limits_parsers_and_read_only() {
    for s in sources::all() {
        assert!(!s.timeout.is_zero(), "{} timeout", s.id);
        assert!(s.max_bytes > 0, "{} cap", s.id);
        assert!(!s.mutates, "{} mutates the host", s.id);
        match s.parser() {
            Parser::Format(f) => {
                let id = f.id();
                assert!(!id.is_empty() && id == id.to_ascii_lowercase(), "{}", s.id)
            }
            Parser::RawOnly(why) => assert!(why.len() > 10, "{} raw_only needs a reason", s.id),
        }
        if let Via::FanOut {
            from,
            per_command_timeout,
            ..
        } = s.via
        {
            assert!(
                sources::by_id(from).is_some(),
                "{} fans out from unknown {from}",
                s.id
            );
            assert!(!per_command_timeout.is_zero());
        }
        if let Via::Files { max_files, .. } = s.via {
            assert!(max_files > 0);
            assert!(s.is_folder(), "{}: file sources write a folder", s.id);
        } else {
            assert!(!s.is_folder(), "{}: single output has a file path", s.id);
        }
    }
    for (sub, d) in BUDGETS {
        assert!(
            TABLES.iter().any(|t| t[0].subsystem() == *sub),
            "budget for unknown {sub}"
        );
        assert!(!d.is_zero());
    }
}

#[test]
fn bundle_paths_unique_and_relative() {
    let mut seen = BTreeSet::new();
    for s in sources::all() {
        assert!(seen.insert(s.path()), "two sources write {}", s.path());
        assert!(
            !s.path().starts_with('/') && !s.path().contains('\\') && !s.path().contains(".."),
            "{}",
            s.path()
        );
        assert!(
            s.path().contains('/'),
            "{} should be in a subsystem folder",
            s.path()
        );
    }
}

/// Every source writes a bundle artefact of the one table, and every bundle artefact is
/// written by exactly one source.
#[test]
fn sources_and_bundle_artefacts_are_one_to_one() {
    let mut written = BTreeSet::new();
    for s in sources::all()
        .into_iter()
        .chain(hnsdoctor_collect::drops::STEPS)
    {
        assert_eq!(s.artefact.origin, Origin::Bundle, "{}", s.id);
        assert!(
            artefacts::ARTEFACTS.contains(s.artefact),
            "{}: {} is not in the artefact table",
            s.id,
            s.path()
        );
        assert!(written.insert(s.path()), "{} written twice", s.path());
    }
    for a in artefacts::ARTEFACTS {
        if a.origin == Origin::Bundle {
            assert!(written.contains(a.name), "no source writes {}", a.name);
        }
    }
}

#[test]
fn every_collectlogs_artefact_is_covered() {
    let covered: BTreeSet<&str> = sources::all()
        .iter()
        .flat_map(|s| s.legacy.iter().copied())
        .collect();
    for (a, _) in artefacts::collectlogs() {
        let a = &a.name;
        assert!(
            covered.contains(a),
            "CollectLogs artefact {a} is not replaced by any source"
        );
    }
    for c in &covered {
        assert!(
            artefacts::collectlogs().any(|(a, _)| a.name == *c),
            "legacy name {c} is not a CollectLogs artefact"
        );
    }
}

#[test]
fn parity_doc_is_in_sync_with_the_table() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/collectlogs-parity.md");
    let want = hnsdoctor_collect::parity::markdown();
    assert!(!want.contains("**not covered**"));
    if std::env::var_os("HNSDOCTOR_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/collectlogs-parity.md is out of date: HNSDOCTOR_BLESS=1 cargo test -p hnsdoctor-collect --test it conformance::"
    );
}
