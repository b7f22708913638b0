//! End-to-end tests of `hnsdoctor kb …` and `hnsdoctor explain …` (assert_cmd).

use crate::util::hnsdoctor;
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = hnsdoctor().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let (code, out, err) = run(&a);
    assert_eq!(code, 0, "{args:?}: {err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"));
    assert_eq!(v["schema_version"], 1, "{args:?}");
    v
}

/// Ids of issues with the given status.
fn issue_ids(v: &Value, status: &str) -> Vec<String> {
    v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == status && i["disputed"] == false)
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn issues_text_for_16299_300() {
    let (code, out, _) = run(&["kb", "issues", "--build", "16299.300"]);
    assert_eq!(code, 0);
    let applies = out.split("Fixed on this host").next().unwrap();
    for id in [
        "service-vip-unreachable",
        "outbound-lost-after-restart",
        "docker-slow-start-hnsdata",
        "dns-negative-cache",
        "netns-cleanup-on-crash",
    ] {
        assert!(applies.contains(id), "{id} not under Applies:\n{out}");
    }
    assert!(!out.contains("\x1b["), "colour with NO_COLOR set");
}

#[test]
fn issues_at_16299_402_show_fixed_rows_as_fixed() {
    let v = json(&["kb", "issues", "--build", "10.0.16299.402"]);
    let applies = issue_ids(&v, "applies");
    let fixed = issue_ids(&v, "fixed");
    for id in ["docker-slow-start-hnsdata", "service-vip-unreachable"] {
        assert!(!applies.contains(&id.to_string()), "{id} applies");
        assert!(fixed.contains(&id.to_string()), "{id} not fixed");
    }
    assert_eq!(v["query"]["ubr"], 402);
}

#[test]
fn issues_15063_boundary_and_17134() {
    let a = issue_ids(&json(&["kb", "issues", "--build", "15063.800"]), "applies");
    assert!(
        a.contains(&"dns-blackout-15min".into()) && a.contains(&"winnat-port-collision".into())
    );
    let a = issue_ids(&json(&["kb", "issues", "--build", "15063.909"]), "applies");
    assert!(
        !a.contains(&"dns-blackout-15min".into()) && !a.contains(&"winnat-port-collision".into())
    );
    let v = json(&["kb", "issues", "--build", "17134"]);
    let applying: Vec<&Value> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["applies"] == true)
        .collect();
    for id in [
        "service-vip-unreachable",
        "netns-cleanup-on-crash",
        "dns-negative-cache",
        "outbound-lost-after-restart",
        "docker-slow-start-hnsdata",
    ] {
        assert!(
            applying.iter().all(|i| i["id"] != id),
            "{id} applies to 17134"
        );
    }
}

#[test]
fn hotfix_counts_when_it_maps_past_the_fix() {
    let v = json(&[
        "kb",
        "issues",
        "--build",
        "16299.300",
        "--hotfix",
        "KB4093105,KB9999999",
    ]);
    assert!(issue_ids(&v, "fixed").contains(&"service-vip-unreachable".into()));
    let h = v["query"]["hotfixes"].as_array().unwrap();
    assert_eq!(h[0]["id"], "KB4093105");
    assert_eq!(h[0]["used"], true);
    assert_eq!(h[1]["known"], false);
}

#[test]
fn version_forms_are_accepted() {
    for (input, build, ubr) in [
        ("1709", 16299, Value::Null),
        ("16299", 16299, Value::Null),
        ("16299.334", 16299, Value::from(334)),
        ("10.0.16299.334", 16299, Value::from(334)),
        ("Microsoft Windows NT 10.0.17763.0", 17763, Value::Null),
        (
            "Microsoft Windows [Version 10.0.17763.1234]",
            17763,
            Value::from(1234),
        ),
        ("Windows Server 2019", 17763, Value::Null),
        ("ltsc2022", 20348, Value::Null),
        ("RS5", 17763, Value::Null),
    ] {
        let v = json(&["kb", "issues", "--build", input]);
        assert_eq!(v["query"]["build"], build, "{input}");
        assert_eq!(v["query"]["ubr"], ubr, "{input}");
        assert_eq!(v["query"]["assumed_rtm"], ubr.is_null(), "{input}");
    }
}

#[test]
fn unknown_ubr_says_it_assumes_rtm() {
    let (code, out, _) = run(&[
        "kb",
        "issues",
        "--build",
        "Microsoft Windows NT 10.0.17763.0",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("assumes the RTM revision"), "{out}");
    assert!(out.contains("What a newer UBR would change"), "{out}");
    assert!(out.contains("vfp-decap-regression"), "{out}");
}

#[test]
fn unknown_build_is_exit_3() {
    for bad in ["12345", "banana", "10.0.99999.1"] {
        let (code, out, err) = run(&["kb", "issues", "--build", bad]);
        assert_eq!(code, 3, "{bad}");
        assert!(out.is_empty(), "{bad}: {out}");
        assert!(err.contains(bad), "{bad}: {err}");
    }
}

#[test]
fn gaps_by_build_and_hns_version() {
    let v = json(&["kb", "gaps", "--build", "1803"]);
    let gap = |v: &Value, id: &str| {
        v["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(v["gaps"].as_array().unwrap().len(), 5);
    assert_eq!(gap(&v, "gap-endpoint-hot-add")["status"], "open");
    assert_eq!(gap(&v, "gap-node-to-service-vip")["status"], "open");
    let feat = |v: &Value, id: &str| {
        v["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone()
    };
    let v = json(&["kb", "gaps", "--hns-version", "10.1"]);
    assert_eq!(feat(&v, "dsr")["available"], "no");
    let v = json(&["kb", "gaps", "--hns-version", "9.3"]);
    assert_eq!(feat(&v, "dsr")["available"], "yes");
    let v = json(&["kb", "gaps", "--build", "ltsc2019"]);
    assert_eq!(feat(&v, "dsr")["available"], "depends_on_update");
    assert_eq!(feat(&v, "dsr")["basis"]["inferred"], true);
    let (code, _, err) = run(&["kb", "gaps", "--hns-version", "x.y"]);
    assert_eq!(code, 3, "{err}");
    let (code, out, _) = run(&["kb", "gaps"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("gap-dnsrr") && out.contains("session-affinity"),
        "{out}"
    );
}

#[test]
fn show_prints_an_entry_in_full() {
    let (code, out, _) = run(&["kb", "show", "port-pool-exhaustion"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("netsh int ipv4 set dynamicportrange tcp start=1025 num=64511"),
        "{out}"
    );
    assert!(out.contains("last resort"), "{out}");
    assert!(out.contains("KB4551853"), "{out}");
    let v = json(&["kb", "show", "stale-remote-endpoint"]);
    assert_eq!(v["entry"]["id"], "stale-remote-endpoint");
    assert!(!v["entry"]["workaround"].as_array().unwrap().is_empty());
}

#[test]
fn show_unknown_id_is_exit_3_with_suggestions() {
    let (code, _, err) = run(&["kb", "show", "port-pool-exhuastion"]);
    assert_eq!(code, 3);
    assert!(err.contains("did you mean port-pool-exhaustion"), "{err}");
}

#[test]
fn search_ranks_by_symptom() {
    let v = json(&["kb", "search", "port already exists"]);
    assert_eq!(v["results"][0]["id"], "port-already-exists");
    let v = json(&["kb", "search", "dns", "fails", "after", "node", "restart"]);
    assert_eq!(v["query"], "dns fails after node restart");
    assert_eq!(v["results"][0]["id"], "dns-lb-missing");
    let (code, out, _) = run(&["kb", "search", "wrong diskette"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("hns-data-incompatible"),
        "{out}"
    );
}

#[test]
fn empty_search_is_exit_3() {
    let (code, _, err) = run(&["kb", "search", ""]);
    assert_eq!(code, 3);
    assert!(err.contains("empty search"), "{err}");
}

#[test]
fn builds_lists_the_catalog() {
    let (code, out, _) = run(&["kb", "builds"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Windows Server 2019") && out.contains("KB4093105"),
        "{out}"
    );
    let v = json(&["kb", "builds"]);
    let rel = v["releases"].as_array().unwrap();
    assert!(rel
        .iter()
        .any(|r| r["id"] == "17763-ltsc" && r["support_end"] == "2029-01-09"));
    assert!(v["updates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["id"] == "KB4093105" && u["ubr"] == 402));
}

#[test]
fn explain_code_forms() {
    for input in ["0x803b0013", "2151350291", "-2143617005"] {
        let v = json(&["explain", input]);
        assert_eq!(v["kind"], "codes", "{input}");
        let c = &v["codes"][0];
        assert_eq!(c["id"], "0x803b0013", "{input}");
        assert_eq!(c["name"], "HCN_E_PORT_ALREADY_EXISTS");
        assert_eq!(c["value"], 2151350291u64);
        assert_eq!(c["signed"], -2143617005);
        let f: Vec<&str> = c["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        assert!(
            f.contains(&"port-already-exists") && f.contains(&"port-pool-exhaustion"),
            "{f:?}"
        );
    }
    for input in ["0x57", "87"] {
        let v = json(&["explain", input]);
        assert_eq!(v["codes"][0]["id"], "0x80070057", "{input}");
        assert_eq!(v["codes"][0]["win32"], 0x57, "{input}");
    }
    let (code, out, _) = run(&["explain", "0x1392"]);
    assert_eq!(code, 0);
    assert!(out.contains("ERROR_OBJECT_ALREADY_EXISTS"), "{out}");
}

#[test]
fn explain_pasted_line_and_message() {
    let line = r#"hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013) {"Success":false,"Error":"The specified port already exists. ","ErrorCode":2151350291}"#;
    let v = json(&["explain", line]);
    assert_eq!(v["codes"].as_array().unwrap().len(), 1);
    assert_eq!(v["codes"][0]["id"], "0x803b0013");
    let (code, out, _) = run(&["explain", "The wrong diskette is in the drive"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("ERROR_WRONG_DISK") && out.contains("hns-data-incompatible"),
        "{out}"
    );
}

#[test]
fn explain_finding_id() {
    let v = json(&["explain", "port-already-exists"]);
    assert_eq!(v["kind"], "entry");
    assert_eq!(v["entry"]["id"], "port-already-exists");
    let (code, out, _) = run(&["explain", "hns-address-reserved"]);
    assert_eq!(code, 0);
    assert!(out.contains("0x803b002f"), "{out}");
}

#[test]
fn explain_bad_input_is_exit_3() {
    for (input, want) in [
        ("0x80004005", "not in the knowledge base"),
        ("nothing useful here", "found no error code"),
        ("port-alredy-exists", "did you mean port-already-exists"),
        ("", "nothing to explain"),
    ] {
        let (code, _, err) = run(&["explain", input]);
        assert_eq!(code, 3, "{input}");
        assert!(err.contains(want), "{input}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 11: the reviewed knowledge base through the CLI.
// ---------------------------------------------------------------------------------------------

/// The corrected values of the eight fact-check items, as `kb show`, `kb issues` and `kb builds`
/// print them.
#[test]
fn corrected_values_through_kb_show_and_kb_issues() {
    // 1. WS2016 support end.
    let (code, out, _) = run(&["kb", "issues", "--build", "14393"]);
    assert_eq!(code, 0);
    assert!(out.contains("support ends/ended 2027-01-12"), "{out}");
    // 2. Windows 10 21H1 / 21H2.
    let (_, out, _) = run(&["kb", "issues", "--build", "19043"]);
    assert!(out.contains("support ends/ended 2022-12-13"), "{out}");
    let (_, out, _) = run(&["kb", "issues", "--build", "19044"]);
    for want in [
        "depends on edition",
        "Home and Pro 2023-06-13",
        "Enterprise and Education 2024-06-11",
        "Enterprise LTSC 2021 (mainstream) 2027-01-12",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
    // 3. ltsc2019 DNS: not from the host UBR, from the image.
    let v = json(&["kb", "issues", "--build", "17763.4900"]);
    let ids: Vec<&str> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"ltsc2019-dns-2023-09"), "{ids:?}");
    // … but named as keyed on images for this build.
    assert_eq!(v["image_keyed"][0], "ltsc2019-dns-2023-09");
    let (_, out, _) = run(&["kb", "issues", "--build", "17763.4900"]);
    assert!(
        out.contains("Keyed on container images, not on the host"),
        "{out}"
    );
    let v = json(&[
        "kb",
        "issues",
        "--image",
        "mcr.microsoft.com/windows/servercore:10.0.17763.4851",
    ]);
    assert_eq!(v["images"][0]["issues"][0]["id"], "ltsc2019-dns-2023-09");
    assert_eq!(v["images"][0]["issues"][0]["status"]["status"], "applies");
    assert_eq!(v["images"][0]["revision"], 4851);
    let (_, out, _) = run(&[
        "kb",
        "issues",
        "--build",
        "17763.6000",
        "--image",
        "mcr.microsoft.com/windows/servercore:10.0.17763.4974",
    ]);
    assert!(out.contains("ltsc2019-dns-2023-09  fixed"), "{out}");
    let (_, out, _) = run(&["kb", "show", "ltsc2019-dns-2023-09"]);
    assert!(
        out.contains("affects container images (not the host)"),
        "{out}"
    );
    assert!(
        out.contains("windows/servercore, windows/nanoserver 17763.4851 .. fixed in 17763.4974"),
        "{out}"
    );
    // 4. The l2bridge DSR issue and the overlay NodePort issue are two entries.
    let (_, out, _) = run(&["kb", "show", "ws2022-dsr-l2bridge"]);
    assert!(!out.contains("No fixed build found"), "{out}");
    assert!(out.contains("ws2022-overlay-nodeport"), "{out}");
    let (_, out, _) = run(&["kb", "show", "ws2022-overlay-nodeport"]);
    assert!(
        out.contains("microsoft/Windows-Containers#204") && out.contains("disputed"),
        "{out}"
    );
    // 5. DSR attribution.
    let (_, out, _) = run(&["kb", "show", "dsr-unsupported"]);
    assert!(
        out.contains("AWS EKS Best Practices Guide")
            && out.contains("microsoft/Windows-Containers#19"),
        "{out}"
    );
    // 6. 1024 backends.
    let (_, out, _) = run(&["kb", "show", "lb-too-many-backends"]);
    assert!(out.contains("1024"), "{out}");
    // 7. 1903 and the wrong diskette.
    let v = json(&["kb", "issues", "--build", "18362.1000"]);
    assert!(issue_ids(&v, "applies").contains(&"hns-data-incompatible".to_string()));
    // 8. No windows:ltsc2022.
    let v = json(&["kb", "builds"]);
    let ws2022 = v["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["build"] == 20348)
        .unwrap();
    assert!(!ws2022["base_images"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i == "windows:ltsc2022"));
    assert!(!ws2022["sources"].as_array().unwrap().is_empty());
}

#[test]
fn fixing_kb_for_overlay_hotfix_is_kb4489899_not_the_installed_one() {
    let (code, out, _) = run(&["kb", "issues", "--build", "17763", "--hotfix", "KB4551853"]);
    assert_eq!(code, 0);
    let line = out
        .lines()
        .skip_while(|l| !l.contains("overlay-hotfix-missing"))
        .nth(1)
        .unwrap_or_default();
    assert!(
        line.contains("fixed in 17763.379 (KB4489899), installed KB4551853"),
        "{out}"
    );
    let v = json(&["kb", "issues", "--build", "17763", "--hotfix", "KB4551853"]);
    let o = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "overlay-hotfix-missing")
        .unwrap();
    assert_eq!(o["range"]["fixed_by"], "KB4489899");
    assert_eq!(o["via_hotfix"], "KB4551853");
}

#[test]
fn kb_list_names_every_id() {
    let (code, out, _) = run(&["kb", "list"]);
    assert_eq!(code, 0);
    let v = json(&["kb", "list"]);
    let ids: Vec<&str> = v["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    for id in hnsdoctor_kb::CATALOGUE_IDS {
        assert!(ids.contains(id), "{id} not listed");
        assert!(out.contains(id), "{id} not in the text");
    }
    assert_eq!(ids.len(), hnsdoctor_kb::Kb::get().entries().len());
    assert!(ids.contains(&"ws2022-overlay-nodeport"));
}

#[test]
fn explain_win32_codes_hns_returns() {
    for (code, name, meaning) in [
        ("0xe", "ERROR_OUTOFMEMORY", "HNS or HCS could not allocate"),
        (
            "0x8007000e",
            "ERROR_OUTOFMEMORY",
            "HNS or HCS could not allocate",
        ),
        ("0x5", "ERROR_ACCESS_DENIED", "transparent network"),
        (
            "0x32",
            "ERROR_NOT_SUPPORTED",
            "does not support the request",
        ),
        (
            "0x6ba",
            "RPC_S_SERVER_UNAVAILABLE",
            "HNS (or vmcompute) service",
        ),
        ("0x2", "ERROR_FILE_NOT_FOUND", "already deleted"),
        ("0x3", "ERROR_PATH_NOT_FOUND", "subnet.env"),
        ("0x4c7", "ERROR_CANCELLED", "cancelled"),
        ("0x5b4", "ERROR_TIMEOUT", "HNS is hung"),
        ("2147943860", "ERROR_TIMEOUT", "HNS is hung"),
    ] {
        let (c, out, err) = run(&["explain", code]);
        assert_eq!(c, 0, "{code}: {err}");
        assert!(
            out.contains(name) && out.contains(meaning),
            "{code}:\n{out}"
        );
        assert!(out.contains("-> "), "{code} names no finding:\n{out}");
    }
    let v = json(&["explain", "0xe"]);
    assert_eq!(v["codes"][0]["id"], "0x8007000e");
    assert_eq!(v["codes"][0]["inferred"], true);
    assert!(!v["codes"][0]["sources"].as_array().unwrap().is_empty());
}

#[test]
fn data_version_in_version_kb_and_reports() {
    let d = hnsdoctor_kb::data_reviewed();
    let out = hnsdoctor().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("knowledge base reviewed {d}")));
    let (_, out, _) = run(&["kb", "list"]);
    assert!(
        out.contains(&format!("Knowledge base reviewed {d}")),
        "{out}"
    );
    let v = json(&["kb", "issues", "--build", "17763"]);
    assert_eq!(v["kb_reviewed"], d);
    let v = json(&["explain", "0x5"]);
    assert_eq!(v["kb_reviewed"], d);
    let ex = crate::util::repo_root().join("examples/port-exhaustion");
    for (fmt, want) in [
        ("text", format!("Knowledge base reviewed {d}")),
        ("json", format!("\"kb_reviewed\": \"{d}\"")),
        ("markdown", format!("Knowledge base reviewed {d}")),
        ("html", format!("Knowledge base reviewed {d}")),
    ] {
        let out = hnsdoctor()
            .args(["analyze", ex.to_str().unwrap(), "--format", fmt])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(&want), "{fmt}:\n{text}");
    }
}

#[test]
fn analyze_learns_images_from_a_paste_and_keys_the_ltsc2019_issue_on_them() {
    let paste = "PS C:\\> docker images\n\
        REPOSITORY                             TAG               IMAGE ID       CREATED        SIZE\n\
        mcr.microsoft.com/windows/servercore   10.0.17763.4851   3c8f1e2a9b7d   2 months ago   5.78GB\n";
    let out = hnsdoctor()
        .args(["analyze", "-", "--format", "json"])
        .write_stdin(paste)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["model"]["images"][0]["os_revision"], 4851);
    let f = v["findings"].as_array().unwrap();
    assert!(f.iter().any(|f| f["id"] == "ltsc2019-dns-2023-09"), "{f:?}");
}
