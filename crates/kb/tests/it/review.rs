//! The knowledge base after the primary-source review (issue 11): the eight corrections, the
//! disagreements kept on both sides, a source on every entry (and a validator that rejects an
//! entry without one), the Win32 codes HNS and HCS return, image-keyed issues and the data
//! version.

use hnsdoctor_kb::{ImageQuery, ImageStatus, IssueStatus, Kb};
use std::path::PathBuf;

fn applying(v: &str) -> Vec<String> {
    let kb = Kb::get();
    let h = kb.parse_version(v).unwrap();
    kb.issues_for(&h, &[])
        .iter()
        .filter(|m| m.applies())
        .map(|m| m.entry.id.clone())
        .collect()
}

fn listed(v: &str) -> Vec<String> {
    let kb = Kb::get();
    let h = kb.parse_version(v).unwrap();
    kb.issues_for(&h, &[])
        .iter()
        .map(|m| m.entry.id.clone())
        .collect()
}

/// `repo:tag` as a query, with the Windows version a `10.0.B.R` tag shows (as the model's
/// `ContainerImage::from_reference` reads it).
fn image(r: &str) -> ImageQuery<'_> {
    let (repository, tag) = r.rsplit_once(':').unwrap();
    let n: Vec<u32> = tag.split('.').filter_map(|p| p.parse().ok()).collect();
    let os_version = match n.as_slice() {
        [10, 0, b, r] => Some((*b, Some(*r))),
        _ => None,
    };
    ImageQuery {
        repository,
        tag: Some(tag),
        os_version,
    }
}

fn image_status(r: &str, id: &str) -> Option<ImageStatus> {
    let kb = Kb::get();
    kb.issues_for_images(&[image(r)])
        .into_iter()
        .find(|m| m.entry.id == id)
        .map(|m| m.status)
}

// 1. WS2016 support end.
#[test]
fn ws2016_support_ends_2027_01_12_with_the_other_date_kept() {
    let r = Kb::get().release_by_alias("WS2016").unwrap();
    assert_eq!(r.support_end.as_deref(), Some("2027-01-12"));
    assert!(r.date_notes.iter().any(|n| n.contains("2027-01-11")));
}

// 2. Windows 10 21H1 / 21H2 support ends by edition.
#[test]
fn win10_21h1_and_21h2_support_ends() {
    let kb = Kb::get();
    let r = kb.release_for_build(19043).unwrap();
    assert_eq!(r.support_end.as_deref(), Some("2022-12-13"));
    let r = kb.release_for_build(19044).unwrap();
    assert_eq!(r.support_end.as_deref(), Some("2024-06-11"));
    let by: Vec<(&str, &str)> = r
        .edition_support
        .iter()
        .map(|e| (e.edition.as_str(), e.support_end.as_str()))
        .collect();
    assert!(by.contains(&("Home and Pro", "2023-06-13")), "{by:?}");
    assert!(by.contains(&("Enterprise and Education", "2024-06-11")));
    assert!(by
        .iter()
        .any(|(e, d)| e.contains("LTSC 2021") && *d == "2027-01-12"));
    // 2025-10-14 stays only on 22H2.
    assert_eq!(
        kb.release_for_build(19045).unwrap().support_end.as_deref(),
        Some("2025-10-14")
    );
}

// 3. ltsc2019-dns-2023-09 is keyed on the container image, not the host.
#[test]
fn ltsc2019_dns_is_keyed_on_the_image_revision() {
    let id = "ltsc2019-dns-2023-09";
    let e = Kb::get().entry(id).unwrap();
    assert!(e.affected.is_empty(), "no host range any more");
    assert!(!listed("17763.4900").contains(&id.to_string()));
    let s = |r: &str| image_status(r, id);
    assert_eq!(
        s("mcr.microsoft.com/windows/servercore:10.0.17763.4851"),
        Some(ImageStatus::Applies)
    );
    assert_eq!(
        s("mcr.microsoft.com/windows/nanoserver:10.0.17763.4973"),
        Some(ImageStatus::Applies)
    );
    assert!(matches!(
        s("mcr.microsoft.com/windows/servercore:10.0.17763.4974"),
        Some(ImageStatus::Fixed { rev: 4974, .. })
    ));
    assert_eq!(
        s("mcr.microsoft.com/windows/servercore:10.0.17763.4850"),
        None
    );
    assert_eq!(s("contoso.azurecr.io/web:10.0.17763.4851"), None);
    // A KB tag goes through the update map: KB5030214 = 17763.4851.
    assert_eq!(
        s("mcr.microsoft.com/windows/servercore:1809-KB5030214"),
        Some(ImageStatus::Applies)
    );
    // A floating tag: affected repository and build, revision unknown.
    assert!(matches!(
        s("mcr.microsoft.com/windows/servercore:ltsc2019"),
        Some(ImageStatus::RevisionUnknown {
            from_rev: 4851,
            until_rev: Some(4974)
        })
    ));
}

// 4. ws2022-dsr-l2bridge no longer mixes in the overlay NodePort issue.
#[test]
fn ws2022_dsr_l2bridge_and_overlay_nodeport_are_separate() {
    let kb = Kb::get();
    let dsr = kb.entry("ws2022-dsr-l2bridge").unwrap();
    assert!(!dsr.symptom.contains("NodePort"), "{}", dsr.symptom);
    assert!(!dsr.affected[0]
        .note
        .as_deref()
        .unwrap_or("")
        .contains("No fixed build found"));
    let ov = kb.entry("ws2022-overlay-nodeport").unwrap();
    assert!(ov
        .references
        .iter()
        .any(|r| r == "microsoft/Windows-Containers#204"));
    assert!(ov.affected[0].disputed && ov.affected[0].inferred);
    assert!(applying("20348.300").contains(&"ws2022-dsr-l2bridge".to_string()));
    // Not tied to KB5005619: listed (as disputed) below UBR 261 too.
    let h = kb.parse_version("20348.100").unwrap();
    let m = kb.issues_for(&h, &[]);
    assert!(m
        .iter()
        .any(|m| m.entry.id == "ws2022-overlay-nodeport" && m.disputed));
    assert!(!m.iter().any(|m| m.entry.id == "ws2022-dsr-l2bridge"));
}

// 5. The DSR statement is attributed to its real source.
#[test]
fn dsr_attribution_is_corrected() {
    let kb = Kb::get();
    let e = kb.entry("dsr-unsupported").unwrap();
    assert!(!e.cause.contains("Windows Server docs name"), "{}", e.cause);
    assert!(e.cause.contains("AWS EKS Best Practices Guide"));
    assert!(e
        .references
        .iter()
        .any(|r| r == "microsoft/Windows-Containers#19"));
    let u = kb.update("KB4571748").unwrap();
    assert!(!u.note.contains("DSR per the Windows Server docs"));
    assert!(u.note.contains("AWS EKS"));
    assert!(u
        .sources
        .iter()
        .any(|r| r == "microsoft/Windows-Containers#19"));
}

// 6. The backend limit was raised to 1024.
#[test]
fn lb_backend_limit_mentions_1024() {
    let e = Kb::get().entry("lb-too-many-backends").unwrap();
    assert!(e.symptom.contains("1024") && e.cause.contains("1024"));
    assert!(e
        .references
        .iter()
        .any(|r| r == "kubernetes/kubernetes#135518"));
}

// 7. 1903 hits the "wrong diskette" error too.
#[test]
fn hns_data_incompatible_covers_1903() {
    assert!(applying("18362.30").contains(&"hns-data-incompatible".to_string()));
}

// 8. No windows:ltsc2022 image.
#[test]
fn ws2022_images_do_not_list_windows_ltsc2022() {
    let r = Kb::get().release_by_alias("WS2022").unwrap();
    assert!(!r.base_images.iter().any(|i| i.starts_with("windows:")));
    assert!(r.base_images.contains(&"server:ltsc2022".to_string()));
}

#[test]
fn unverifiable_items_are_marked_inferred() {
    let kb = Kb::get();
    // The same-day 1607/1703 packages as fixes of the seed rows.
    for id in ["dns-blackout-15min", "winnat-port-collision"] {
        let e = kb.entry(id).unwrap();
        for b in [14393, 15063] {
            assert!(
                e.affected.iter().any(|r| r.build == b && r.inferred),
                "{id} {b}"
            );
        }
        assert!(e.affected.iter().any(|r| r.build == 16299 && !r.inferred));
    }
    for id in [
        "gap-http-proxy",
        "gap-endpoint-hot-add",
        "ws2022-overlay-nodeport",
    ] {
        assert!(kb.entry(id).unwrap().inferred, "{id}");
    }
    assert!(kb.update("KB4074590").unwrap().inferred);
    assert!(kb
        .hns_versions()
        .iter()
        .any(|o| o.build == 17763 && o.hns.to_string() == "9.5" && o.inferred));
    assert!(kb.error_code(0x570).unwrap().inferred);
}

#[test]
fn disagreements_keep_both_sides() {
    let kb = Kb::get();
    let decap = kb.entry("vfp-decap-regression").unwrap();
    assert!(decap.notes.iter().any(|n| n.contains("11B")));
    let ds = kb.feature("dual-stack").unwrap();
    assert!(ds.note.as_deref().unwrap_or("").contains("WS2022"));
    let d = kb.entry("dns-negative-cache").unwrap();
    assert!(d.affected.iter().any(|r| r.build == 17134 && r.disputed));
}

#[test]
fn every_item_carries_a_source() {
    let kb = Kb::get();
    for e in kb.entries() {
        assert!(!e.references.is_empty(), "{}", e.id);
    }
    for r in kb.releases() {
        assert!(!r.sources.is_empty(), "{}", r.name);
    }
    for u in kb.updates() {
        assert!(
            u.sources.iter().any(|s| s.ends_with(&u.kb[2..])),
            "{} lacks its support page",
            u.kb
        );
    }
    for c in kb.error_codes() {
        assert!(!c.sources.is_empty(), "{}", c.code);
    }
    for f in kb.features() {
        assert!(!f.sources.is_empty(), "{}", f.id);
    }
}

#[test]
fn validator_rejects_an_item_without_a_source() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let (rel, iss, gaps, errs) = (
        read("releases.toml"),
        read("issues.toml"),
        read("gaps.toml"),
        read("errors.toml"),
    );
    let iss_bad = iss.replacen("references = [\"Azure/AKS#2988\"]", "references = []", 1);
    let rel_bad = rel
        .replacen(
            "sources = [\"https://learn.microsoft.com/en-us/windows/release-health/release-information\", \"https://learn.microsoft.com/en-us/lifecycle/products/windows-10-home-and-pro\"]\n",
            "",
            1,
        )
        .replacen(
            "sources = [\"https://support.microsoft.com/help/4093105\", \"https://github.com/microsoft/SDN/blob/master/Diagnostics/ContainerDiagnostics.md\"]",
            "sources = [\"the SDN page\"]",
            1,
        );
    let errs_bad = errs.replacen(
        "sources = [\"https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes\", \"docker/for-win#8226\"]\n",
        "",
        1,
    );
    let gaps_bad = gaps
        .replacen(
            "source = \"kubernetes/kubernetes#131466\"",
            "source = \"a forum post\"",
            1,
        )
        .replacen(
            "id = \"gap-dnsrr\"",
            "id = \"gap-dnsrr\"\ninferred = true",
            1,
        );
    for (a, b) in [
        (&iss, &iss_bad),
        (&rel, &rel_bad),
        (&errs, &errs_bad),
        (&gaps, &gaps_bad),
    ] {
        assert_ne!(a, b, "a fault was not injected");
    }
    let kb = Kb::from_toml(&rel_bad, &iss_bad, &gaps_bad, &errs_bad).unwrap();
    let p = kb.validate().join("\n");
    for want in [
        "ws2019-container-dns-loss: no reference (no source)",
        "release Windows 10 (RTM): no source",
        "update KB4093105: source \"the SDN page\" is neither a URL nor owner/repo#N",
        "code 0x80070426: no source",
        "HNS observation 15.4 on 26100: source \"a forum post\" names no URL or owner/repo#N",
    ] {
        assert!(p.contains(want), "missing {want:?} in:\n{p}");
    }
    // gap-dnsrr has a status_note, so inferred alone is accepted there; an issue without notes
    // is not.
    let iss_bad2 = iss.replacen(
        "id = \"ws2019-container-dns-loss\"",
        "id = \"ws2019-container-dns-loss\"\ninferred = true",
        1,
    );
    let kb = Kb::from_toml(&rel, &iss_bad2, &gaps, &errs).unwrap();
    assert!(kb
        .validate()
        .iter()
        .any(|m| m.contains("ws2019-container-dns-loss: inferred = true needs a note")));
    // The clean data is clean.
    assert!(Kb::from_toml(&rel, &iss, &gaps, &errs)
        .unwrap()
        .validate()
        .is_empty());
}

/// The Win32 codes HNS and HCS return in practice: each has an entry with an operation-specific
/// meaning, a source and at least one finding, in its plain and its 0x8007xxxx form.
#[test]
fn win32_codes_hns_returns_have_entries() {
    let kb = Kb::get();
    for (plain, name, word) in [
        ("0xe", "ERROR_OUTOFMEMORY", "HNS"),
        ("0x5", "ERROR_ACCESS_DENIED", "HNS"),
        ("0x32", "ERROR_NOT_SUPPORTED", "HCS"),
        ("0x6ba", "RPC_S_SERVER_UNAVAILABLE", "HNS"),
        ("0x2", "ERROR_FILE_NOT_FOUND", "HNS"),
        ("0x3", "ERROR_PATH_NOT_FOUND", "flannel"),
        ("0x4c7", "ERROR_CANCELLED", "HNS"),
        ("0x5b4", "ERROR_TIMEOUT", "HNS"),
        ("0x426", "ERROR_SERVICE_NOT_ACTIVE", "HNS"),
        ("0x7e", "ERROR_MOD_NOT_FOUND", "Containers feature"),
    ] {
        let v = u32::from_str_radix(&plain[2..], 16).unwrap();
        let hr = format!("0x8007{v:04x}");
        for form in [
            plain.to_string(),
            hr.clone(),
            (0x8007_0000u32 | v).to_string(),
        ] {
            match kb.explain(&form).unwrap_or_else(|e| panic!("{form}: {e}")) {
                hnsdoctor_kb::Explanation::Codes { codes } => {
                    let c = codes[0].code.unwrap_or_else(|| panic!("{form} unknown"));
                    assert_eq!(c.name, name, "{form}");
                    assert_eq!(c.code, hr);
                    assert!(c.meaning.contains(word), "{form}: {}", c.meaning);
                    assert!(
                        !c.sources.is_empty() && !codes[0].entries.is_empty(),
                        "{form}"
                    );
                }
                other => panic!("{form}: {other:?}"),
            }
        }
    }
    // From a pasted line, by code and by message.
    let line = "hnsCall failed in Win32: Not enough memory resources are available to complete this operation. (0xe)";
    assert_eq!(kb.find_codes(line), vec![0x8007_000e]);
    assert_eq!(
        kb.find_codes("hnsCall failed in Win32: The service has not been started."),
        vec![0x8007_0426]
    );
}

#[test]
fn fixing_kb_is_the_ranges_not_the_installed_hotfix() {
    let kb = Kb::get();
    let h = kb.parse_version("17763").unwrap();
    let m = kb.issues_for(&h, &["KB4551853"]);
    let o = m
        .iter()
        .find(|m| m.entry.id == "overlay-hotfix-missing")
        .unwrap();
    assert_eq!(
        o.status,
        IssueStatus::Fixed {
            by: Some("KB4489899".into()),
            ubr: 379,
            via_hotfix: Some("KB4551853".into()),
        }
    );
}

#[test]
fn data_version_is_a_date_and_broken_ones_are_rejected() {
    let d = hnsdoctor_kb::data_reviewed();
    assert_eq!(d, hnsdoctor_kb::review().reviewed);
    assert!(d.starts_with("20") && d.len() == 10, "{d}");
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/review.toml"))
            .unwrap();
    assert!(text.contains(&format!("reviewed = \"{d}\"")));
    let bad = text.replacen(&format!("reviewed = \"{d}\""), "reviewed = \"2026-11\"", 1);
    let e = hnsdoctor_kb::parse_review(&bad).unwrap_err().to_string();
    assert!(e.contains("review.toml") && e.contains("2026-11"), "{e}");
    assert!(
        hnsdoctor_kb::parse_review("reviewed = \"2026-11-30\"\n").is_err(),
        "basis missing"
    );
}
