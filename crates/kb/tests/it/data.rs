//! Validation of the knowledge-base data itself: ids, ranges, KB numbers, references, error-code
//! links, and coverage of every id in the shared finding catalogue.

use hnsdoctor_kb::{EntryKind, Kb, CATALOGUE_IDS};
use std::path::PathBuf;

/// Ids from the catalogue: lines starting with "- `id`".
fn catalogue_ids() -> Vec<String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/finding-catalogue.md");
    match std::fs::read_to_string(&path) {
        Ok(text) => hnsdoctor_kb::ids_in_catalogue_markdown(&text),
        Err(_) => CATALOGUE_IDS.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn data_is_consistent() {
    let kb = Kb::load().expect("embedded data parses");
    let problems = kb.validate();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_catalogue_id_has_an_entry() {
    let ids = catalogue_ids();
    assert!(
        ids.len() >= 40,
        "catalogue parse found only {} ids",
        ids.len()
    );
    let kb = Kb::get();
    let missing: Vec<&String> = ids.iter().filter(|id| kb.entry(id).is_none()).collect();
    assert!(missing.is_empty(), "no entry for {missing:?}");
    // The embedded fallback list must not drift from the catalogue.
    for id in CATALOGUE_IDS {
        assert!(
            ids.iter().any(|i| i == id),
            "{id} not in the catalogue any more"
        );
    }
}

#[test]
fn every_issue_has_a_workaround_and_valid_ranges() {
    let kb = Kb::get();
    for e in kb.entries() {
        assert!(!e.workaround.is_empty(), "{}", e.id);
        for r in &e.affected {
            assert!(
                kb.release_for_build(r.build).is_some(),
                "{} build {}",
                e.id,
                r.build
            );
            if let Some(u) = r.until_ubr {
                assert!(r.from_ubr < u, "{} build {}", e.id, r.build);
            }
        }
    }
    let seeds = [
        "dns-blackout-15min",
        "winnat-port-collision",
        "service-vip-unreachable",
        "netns-cleanup-on-crash",
        "dns-negative-cache",
        "outbound-lost-after-restart",
        "docker-slow-start-hnsdata",
    ];
    for id in seeds {
        let e = kb.entry(id).unwrap();
        assert_eq!(e.kind, EntryKind::Issue, "{id}");
        assert!(!e.affected.is_empty(), "{id} has no build range");
    }
}

#[test]
fn every_kb_maps_to_a_catalog_build() {
    let kb = Kb::get();
    assert!(kb.updates().len() >= 20);
    for u in kb.updates() {
        assert!(
            kb.release_for_build(u.build).is_some(),
            "{} -> {}",
            u.kb,
            u.build
        );
    }
    for (k, b, r) in [
        ("KB4074588", 16299, 248),
        ("KB4074592", 15063, 909),
        ("KB4074590", 14393, 2068),
        ("KB4089848", 16299, 334),
        ("KB4093105", 16299, 402),
        ("KB4551853", 17763, 1217),
        ("KB4571748", 17763, 1432),
        ("KB4570333", 17763, 1457),
        ("KB4577668", 17763, 1518),
        ("KB4580390", 17763, 1554),
        ("KB4489899", 17763, 379),
        ("KB4482887", 17763, 348),
        ("KB4015217", 14393, 1066),
        ("KB5005619", 20348, 261),
        ("KB5040437", 20348, 2582),
        ("KB5044281", 20348, 2762),
        ("KB5034770", 20348, 2322),
        ("KB5030214", 17763, 4851),
        ("KB5031361", 17763, 4974),
        ("KB4497934", 17763, 529),
    ] {
        let u = kb.update(k).unwrap_or_else(|| panic!("{k} missing"));
        assert_eq!((u.build, u.ubr), (b, r), "{k}");
    }
}

#[test]
fn ids_unique_and_kebab() {
    let kb = Kb::get();
    let mut seen = std::collections::HashSet::new();
    for e in kb.entries() {
        assert!(seen.insert(&e.id), "duplicate {}", e.id);
        assert!(
            !e.id.is_empty()
                && e.id.split('-').all(|p| !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{} is not kebab-case",
            e.id
        );
    }
}

#[test]
fn every_error_code_links_to_existing_ids() {
    let kb = Kb::get();
    for c in kb.error_codes() {
        assert!(!c.findings.is_empty(), "{}", c.code);
        for f in &c.findings {
            assert!(kb.entry(f).is_some(), "{} -> {f}", c.code);
        }
    }
}

#[test]
fn references_look_like_urls_or_issue_refs() {
    let kb = Kb::get();
    for e in kb.entries() {
        assert!(!e.references.is_empty(), "{}", e.id);
        for r in &e.references {
            let url = r.starts_with("https://") && !r.contains(' ');
            let issue = r.split_once('#').is_some_and(|(repo, n)| {
                repo.split('/').count() == 2
                    && !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
            });
            assert!(url || issue, "{}: {r}", e.id);
        }
    }
}

#[test]
fn validate_catches_broken_data() {
    // The checker itself must be able to fail: feed it copies of the data with known faults.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let (rel, iss, gaps, errs) = (
        read("releases.toml"),
        read("issues.toml"),
        read("gaps.toml"),
        read("errors.toml"),
    );
    let iss_bad = iss
        .replacen("id = \"winnat-port-collision\"", "id = \"WinNAT_port\"", 1)
        .replacen(
            "until_ubr = 402\nfixed_by = \"KB4093105\"",
            "until_ubr = 400\nfixed_by = \"KB4093105\"",
            1,
        )
        .replacen(
            "build = 15063\nuntil_ubr = 909",
            "build = 15064\nuntil_ubr = 909",
            1,
        )
        .replacen("\"docker/for-win#1737\"", "\"see the docker issue\"", 1);
    let errs_bad = errs.replacen(
        "findings = [\"switch-port-not-found\"]",
        "findings = [\"no-such-id\"]",
        1,
    );
    let kb = Kb::from_toml(&rel, &iss_bad, &gaps, &errs_bad).unwrap();
    let p = kb.validate().join("\n");
    for want in [
        "\"WinNAT_port\" is not kebab-case",
        "fixed_by KB4093105 is 16299.402, not 16299.400",
        "build 15064: build not in the catalog",
        "reference \"see the docker issue\"",
        "links to unknown id no-such-id",
    ] {
        assert!(p.contains(want), "missing {want:?} in:\n{p}");
    }
    // And a clean copy is clean.
    assert!(Kb::from_toml(&rel, &iss, &gaps, &errs)
        .unwrap()
        .validate()
        .is_empty());
    // A typo in a field name is a load error.
    assert!(Kb::from_toml(
        &rel,
        &iss.replacen("symptom =", "symptm =", 1),
        &gaps,
        &errs
    )
    .is_err());
}

/// Every workaround issue #15 names is automated: at least one step of the entry has typed
/// actions, and their kinds are what the issue asks for.
#[test]
fn fix_workarounds_have_typed_actions() {
    use hnsdoctor_kb::{Action, HnsObjectKind, Select};
    let kb = Kb::get();
    let actions = |id: &str| -> Vec<Action> {
        kb.entry(id)
            .unwrap_or_else(|| panic!("{id} has no entry"))
            .workaround
            .iter()
            .flat_map(|s| s.actions.clone())
            .collect()
    };
    for id in [
        "dns-negative-cache",
        "outbound-lost-after-restart",
        "docker-slow-start-hnsdata",
        "hns-data-incompatible",
        "dns-lb-missing",
        "lb-already-exists",
        "stale-remote-endpoint",
        "lb-dangling-endpoint",
        "ipv6-disabled",
        "port-pool-exhaustion",
        "dynamic-port-range-misconfigured",
        "winnat-preexisting-nat",
    ] {
        assert!(!actions(id).is_empty(), "{id} has no automated step");
    }
    // dns-negative-cache: both TTLs to 0 in the container, then restart Dnscache; disabling
    // it only as a last resort.
    let e = kb.entry("dns-negative-cache").unwrap();
    assert!(e.workaround[0].in_container && !e.workaround[0].last_resort);
    assert!(
        matches!(&e.workaround[0].actions[2], Action::RestartServices { services } if services == &["dnscache"])
    );
    assert!(e.workaround[1].last_resort);
    assert!(e.workaround[1]
        .actions
        .iter()
        .any(|a| matches!(a, Action::DisableService { .. })));
    // outbound-lost: kube-proxy stops before kubelet, kubelet starts before kube-proxy.
    let a = actions("outbound-lost-after-restart");
    assert_eq!(
        a.first(),
        Some(&Action::StopServices {
            services: vec!["kube-proxy".into(), "kubelet".into()]
        })
    );
    assert_eq!(
        a.last(),
        Some(&Action::StartServices {
            services: vec!["kubelet".into(), "kube-proxy".into()]
        })
    );
    // stale objects: exactly those the finding names.
    assert!(
        actions("stale-remote-endpoint").contains(&Action::RemoveHnsObjects {
            kind: HnsObjectKind::Endpoint,
            select: Select::Finding
        })
    );
    assert!(
        actions("lb-dangling-endpoint").contains(&Action::RemoveHnsObjects {
            kind: HnsObjectKind::LoadBalancer,
            select: Select::Finding
        })
    );
    // ipv6: the change needs a reboot, which is never automated.
    let e = kb.entry("ipv6-disabled").unwrap();
    assert!(e.workaround.iter().any(|s| s.reboot_needed
        && s.actions.iter().any(|a| matches!(a, Action::DeleteRegistryValue { name, .. } if name == "DisabledComponents"))));
}

/// The action validator catches a command that does not say what the actions do, an action on
/// a step marked read-only, and a missing disruption text.
#[test]
fn action_validator_rejects_disagreeing_steps() {
    use hnsdoctor_kb::{check_actions, Action, Step};
    let step = Step {
        text: "Restart kube-proxy.".into(),
        command: Some("Restart-Service kubelet".into()),
        last_resort: false,
        changes_host: false,
        actions: vec![Action::RestartServices {
            services: vec!["kube-proxy".into()],
        }],
        in_container: false,
        reboot_needed: false,
        disruption: None,
    };
    let p = check_actions("x", &step).join("\n");
    assert!(p.contains("does not mention \"kube-proxy\""), "{p}");
    assert!(p.contains("changes_host = false"), "{p}");
    assert!(p.contains("no disruption"), "{p}");
    let good = Step {
        command: Some("Restart-Service kube-proxy".into()),
        changes_host: true,
        disruption: Some("seconds".into()),
        ..step
    };
    assert!(check_actions("x", &good).is_empty());
}

/// Actions round-trip through TOML in the shape the data uses.
#[test]
fn actions_parse_from_toml() {
    use hnsdoctor_kb::{Action, HnsObjectKind, Select};
    #[derive(serde::Deserialize)]
    struct W {
        a: Vec<Action>,
    }
    let w: W = toml::from_str(
        r#"
[[a]]
type = "remove-hns-objects"
kind = "network"
select = { named = "l2bridge" }
[[a]]
type = "set-dynamic-port-range"
protocol = "tcp"
start = 49152
count = 16384
"#,
    )
    .unwrap();
    assert_eq!(
        w.a[0],
        Action::RemoveHnsObjects {
            kind: HnsObjectKind::Network,
            select: Select::Named("l2bridge".into())
        }
    );
    let bad = toml::from_str::<W>("[[a]]\ntype = \"reboot\"\n");
    assert!(bad.is_err());
}
