//! `hnsdoctor watch --sequence`: a scripted series of collections from one node (generated
//! bundles whose load balancers drop 577 → 1, whose port pool runs dry, whose DNS load balancer
//! disappears) must keep a bundle exactly on the runs where a condition becomes true, and keep
//! only the newest `--keep` of them.

mod util;

use hnsdoctor_synth::{Layout, Spec};
use std::path::Path;
use util::hnsdoctor;

fn sample(dir: &Path, lbs: usize, planted: Vec<&'static str>) -> String {
    let mut s = Spec::new(200).healthy();
    s.host = "win-node-7".into();
    s.lbs = lbs;
    s.planted = planted;
    hnsdoctor_synth::write(dir, &s, Layout::Bundle).expect("synth");
    dir.to_string_lossy().into_owned()
}

#[test]
fn bundles_are_kept_when_a_threshold_is_crossed() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let samples = [
        sample(&t.join("s1"), 577, vec![]),
        sample(&t.join("s2"), 570, vec![]), // -1%: nothing
        sample(&t.join("s3"), 3, vec![]),   // 577 → 3 (synth needs 3)
        sample(&t.join("s4"), 3, vec![]),   // still 3: no second bundle
        sample(&t.join("s5"), 570, vec!["port-pool-exhaustion"]),
        sample(
            &t.join("s6"),
            570,
            vec!["port-pool-exhaustion", "dns-lb-missing"],
        ),
    ];
    let kept = t.join("kept");
    let out = hnsdoctor()
        .arg("watch")
        .args(&samples)
        .args(["--sequence", "--interval", "1ms", "--lb-drop", "50"])
        .args([
            "--min-free-blocks",
            "8",
            "--on-dns-lb-missing",
            "--keep",
            "2",
        ])
        .arg("--bundle-dir")
        .arg(&kept)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 6);
    let lbs: Vec<u64> = lines
        .iter()
        .map(|l| l["load_balancers"].as_u64().unwrap())
        .collect();
    // the DNS load balancers come on top of the service ones (one while the VIP has it)
    assert_eq!(lbs, [578, 571, 4, 4, 571, 570]);
    let triggers: Vec<Vec<&str>> = lines
        .iter()
        .map(|l| {
            l["triggers"]
                .as_array()
                .map(|a| a.iter().map(|t| t.as_str().unwrap()).collect())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        triggers,
        [
            vec![],
            vec![],
            vec!["load balancers dropped 571 → 4 (-99%)"],
            vec![],
            vec!["0 free 64-port blocks (tcp), fewer than 8"],
            vec!["the cluster DNS VIP has no load balancer (dns-lb-missing)"],
        ]
    );
    let bundles: Vec<Option<&str>> = lines.iter().map(|l| l["bundle"].as_str()).collect();
    assert!(bundles[0].is_none() && bundles[1].is_none() && bundles[3].is_none());
    // three bundles were written, the oldest (run 3) was removed: 2 kept
    let mut left: Vec<String> = std::fs::read_dir(&kept)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left[0].ends_with("-run000005") && left[1].ends_with("-run000006"),
        "{left:?}"
    );
    assert!(!Path::new(bundles[2].unwrap()).exists());
    // a kept bundle is the full evidence of its run: analysing it finds what triggered it
    let newest = kept.join(&left[1]);
    assert_eq!(Path::new(bundles[5].unwrap()), newest);
    hnsdoctor()
        .arg("analyze")
        .arg(&newest)
        .args(["--format", "json"])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("\"dns-lb-missing\""))
        .stdout(predicates::str::contains("\"port-pool-exhaustion\""));
}

#[test]
fn severity_trigger_and_no_bundle_without_a_condition() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let a = sample(&t.join("a"), 300, vec![]);
    let b = sample(&t.join("b"), 300, vec!["endpoint-not-attached"]);
    let kept = t.join("kept");
    // no condition given: nothing kept whatever happens
    let out = hnsdoctor()
        .arg("watch")
        .args([&a, &b])
        .args(["--sequence", "--interval", "1ms", "--bundle-dir"])
        .arg(&kept)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\"bundle\""));
    assert!(!kept.exists());
    let out = hnsdoctor()
        .arg("watch")
        .args([&a, &b])
        .args([
            "--sequence",
            "--interval",
            "1ms",
            "--bundle-on",
            "error",
            "--bundle-dir",
        ])
        .arg(&kept)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(
        last["triggers"],
        serde_json::json!(["new finding endpoint-not-attached (error)"]),
        "{text}"
    );
    assert!(Path::new(last["bundle"].as_str().unwrap())
        .join("manifest.json")
        .is_file());
    assert_eq!(std::fs::read_dir(&kept).unwrap().count(), 1);
}

#[cfg(not(windows))]
#[test]
fn eventlog_off_windows_is_a_clear_error_before_any_run() {
    let tmp = tempfile::tempdir().unwrap();
    let a = sample(&tmp.path().join("a"), 300, vec!["dns-lb-missing"]);
    let out = hnsdoctor()
        .args(["watch", &a, "--runs", "1", "--eventlog"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    assert!(out.stdout.is_empty(), "no run happened");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "--eventlog writes events (source hnsdoctor, id 1001) to the Windows Event Log"
        ) && err.contains(std::env::consts::OS),
        "{err}"
    );
    // doctor refuses the same way, even where the live pipeline is allowed off Windows
    let out = util::live_host()
        .args(["doctor", "--eventlog"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--eventlog writes events"));
}
