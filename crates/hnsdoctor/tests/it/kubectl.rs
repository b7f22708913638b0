//! `kubectl hnsdoctor` against a fake `kubectl` on PATH: a shell script that records its
//! arguments and serves canned output (node list, pods, logs; `cp` copies a generated bundle).
//! Four Windows nodes: two deliver a bundle, one's Job fails, one never leaves Pending.

use hnsdoctor_synth::{Layout, Spec};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const FAKE: &str = r#"#!/bin/sh
# fake kubectl: record the call, answer from the files beside this script
printf '%s\n' "$*" >> "$FAKE_DIR/calls"
if [ "$1" = "--context" ]; then shift 2; fi
case "$1" in
  get)
    if [ "$2" = nodes ]; then printf 'node/win-a\nnode/win-b\nnode/win-c\nnode/win-d\n'; exit 0; fi
    cat "$FAKE_DIR/pods"; exit 0 ;;
  create)
    n=$(ls "$FAKE_DIR" | grep -c '^created-')
    cat > "$FAKE_DIR/created-$n.json"
    echo "job.batch/created"; exit 0 ;;
  logs)
    cat "$FAKE_DIR/logs-$4"; exit 0 ;;
  cp)
    job=$(printf '%s' "$2" | sed 's/.*\\//')
    cp -r "$FAKE_DIR/bundles/$job" "$3"; exit 0 ;;
  delete) exit 0 ;;
esac
echo "fake kubectl: unexpected call: $*" >&2
exit 1
"#;

fn fake_kubectl(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let k = bin.join("kubectl");
    std::fs::write(&k, FAKE).unwrap();
    std::fs::set_permissions(&k, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        dir.join("pods"),
        "hnsdoctor-t1-1 hnsdoctor-t1-1-x7k2p Running\n\
         hnsdoctor-t1-2 hnsdoctor-t1-2-q9z7d Failed\n\
         hnsdoctor-t1-3 hnsdoctor-t1-3-m4n8r Pending\n\
         hnsdoctor-t1-4 hnsdoctor-t1-4-b2c6w Running\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("logs-hnsdoctor-t1-1-x7k2p"),
        "[ok     ] hns.networks (412 ms)\nhnsdoctor-bundle-ready hnsdoctor-t1-1\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("logs-hnsdoctor-t1-2-q9z7d"),
        "hnsdoctor: error: cannot create C:\\ProgramData\\hnsdoctor\\hnsdoctor-t1-2: access denied\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("logs-hnsdoctor-t1-4-b2c6w"),
        "hnsdoctor-bundle-ready hnsdoctor-t1-4\n",
    )
    .unwrap();
    for (job, host, planted) in [
        ("hnsdoctor-t1-1", "win-a", vec![]),
        ("hnsdoctor-t1-4", "win-d", vec!["dns-lb-missing"]),
    ] {
        let mut s = Spec::new(80).healthy();
        s.host = host.into();
        s.planted = planted;
        hnsdoctor_synth::write(&dir.join("bundles").join(job), &s, Layout::Bundle).unwrap();
    }
    bin
}

/// The calls, with the repeated look at the pods while waiting for the last node collapsed.
fn calls(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_to_string(dir.join("calls"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    v.dedup_by(|a, b| a == b && a.contains(" get pods "));
    v
}

#[test]
fn collects_fetches_and_summarises_and_failed_nodes_still_count() {
    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("fake");
    let bin = fake_kubectl(&fake);
    // run under the krew name, as `kubectl hnsdoctor` does
    let plugin = tmp.path().join("kubectl-hnsdoctor");
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("hnsdoctor"), &plugin).unwrap();
    let bundles = tmp.path().join("out");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new(&plugin)
        .env("PATH", path)
        .env("FAKE_DIR", &fake)
        .env_remove("KUBECTL")
        .env("NO_COLOR", "1")
        .args([
            "--context",
            "prod",
            "--run-id",
            "t1",
            "--timeout",
            "400ms",
            "--poll",
            "50ms",
        ])
        .arg("--bundles")
        .arg(&bundles)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "win-d has an error finding\n{stdout}\n{stderr}"
    );

    let jp = r#"jsonpath={range .items[*]}{.metadata.labels.job-name}{" "}{.metadata.name}{" "}{.status.phase}{"\n"}{end}"#;
    let pods =
        format!("--context prod get pods -n hnsdoctor -l app.kubernetes.io/instance=t1 -o {jp}");
    let mut expected = vec![
        "--context prod get nodes -l kubernetes.io/os=windows -o name".to_string(),
        "--context prod create -f - -o name".into(),
        "--context prod create -f - -o name".into(),
        "--context prod create -f - -o name".into(),
        "--context prod create -f - -o name".into(),
        pods.clone(),
        "--context prod logs -n hnsdoctor hnsdoctor-t1-1-x7k2p --tail=20".into(),
        r"--context prod cp hnsdoctor/hnsdoctor-t1-1-x7k2p:C:\ProgramData\hnsdoctor\hnsdoctor-t1-1 win-a".into(),
        "--context prod logs -n hnsdoctor hnsdoctor-t1-2-q9z7d --tail=20".into(),
        "--context prod logs -n hnsdoctor hnsdoctor-t1-4-b2c6w --tail=20".into(),
        r"--context prod cp hnsdoctor/hnsdoctor-t1-4-b2c6w:C:\ProgramData\hnsdoctor\hnsdoctor-t1-4 win-d".into(),
        pods, // then only win-c is waited for, until the timeout
    ];
    for n in 1..=4 {
        expected.push(format!(
            "--context prod delete job -n hnsdoctor hnsdoctor-t1-{n} --wait=false --ignore-not-found"
        ));
    }
    assert_eq!(calls(&fake), expected, "{stderr}");

    // the Jobs sent: deploy/job.yaml pinned to each node in turn
    for (i, node) in ["win-a", "win-b", "win-c", "win-d"].iter().enumerate() {
        let job: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(fake.join(format!("created-{i}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(job["metadata"]["name"], format!("hnsdoctor-t1-{}", i + 1));
        assert_eq!(job["spec"]["template"]["spec"]["nodeName"], *node);
    }
    // the fetched bundles
    for node in ["win-a", "win-d"] {
        assert!(bundles.join(node).join("manifest.json").is_file(), "{node}");
    }
    assert!(!bundles.join("win-b").exists() && !bundles.join("win-c").exists());
    // the summary: 2 nodes read, the 2 others listed as unreadable with why
    assert!(
        stdout.contains("fleet: 2 nodes read (2 unreadable), 3 need attention"),
        "{stdout}"
    );
    assert!(
        stdout.contains("dns-lb-missing: 1 of 4 nodes: win-d"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "kubectl hnsdoctor (win-b): the collect Job ended (Failed) without a bundle: \
             hnsdoctor: error: cannot create C:\\ProgramData\\hnsdoctor\\hnsdoctor-t1-2: access denied"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "kubectl hnsdoctor (win-c): timed out after 400ms waiting for the bundle (pod Pending)"
        ),
        "{stdout}"
    );
    assert!(stderr.contains("win-a: bundle fetched into"), "{stderr}");
}

#[test]
fn missing_kubectl_and_no_bundle_at_all_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let out = crate::util::hnsdoctor()
        .env("PATH", &empty)
        .env_remove("KUBECTL")
        .arg("kubectl")
        .arg("--bundles")
        .arg(tmp.path().join("b"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot run kubectl (kubectl)") && err.contains("--kubectl PATH"),
        "{err}"
    );

    // only the failing node chosen: nothing to summarise, the reason is given
    let fake = tmp.path().join("fake");
    let bin = fake_kubectl(&fake);
    // the one Job of this run is hnsdoctor-t1-1, and its pod fails
    std::fs::write(
        fake.join("pods"),
        "hnsdoctor-t1-1 hnsdoctor-t1-2-q9z7d Failed\n",
    )
    .unwrap();
    let out = crate::util::hnsdoctor()
        .env("FAKE_DIR", &fake)
        .args([
            "kubectl",
            "--node",
            "win-b",
            "--run-id",
            "t1",
            "--poll",
            "10ms",
            "--kubectl",
        ])
        .arg(bin.join("kubectl"))
        .arg("--bundles")
        .arg(tmp.path().join("b2"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("no bundle could be fetched: win-b: the collect Job ended (Failed)"),
        "{err}"
    );
    let calls = calls(&fake);
    assert_eq!(
        calls[0], "create -f - -o name",
        "--node skips the node list: {calls:?}"
    );
    assert_eq!(
        calls.last().unwrap(),
        "delete job -n hnsdoctor hnsdoctor-t1-1 --wait=false --ignore-not-found"
    );
}
