//! `hnsdoctor watch --sequence`: a scripted series of collections from one node (generated
//! bundles whose load balancers drop 577 → 1, whose port pool runs dry, whose DNS load balancer
//! disappears) must keep a bundle exactly on the runs where a condition becomes true, and keep
//! only the newest `--keep` of them.

use crate::util::hnsdoctor;
use hnsdoctor_synth::{Layout, Spec};
use std::path::Path;

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
    let out = crate::util::live_host()
        .args(["doctor", "--eventlog"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--eventlog writes events"));
}

/// A fake API server: answers every request with `status`, records request line, headers and
/// body.
fn fake_api(status: &'static str) -> (String, std::sync::mpsc::Receiver<(String, String)>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut r = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0u8; len];
            r.read_exact(&mut body).unwrap();
            let _ = tx.send((head, String::from_utf8_lossy(&body).into_owned()));
            let mut w = stream;
            let _ = write!(
                w,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
            );
        }
    });
    (format!("http://{addr}"), rx)
}

#[test]
fn error_findings_become_events_on_the_node_once() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let healthy = sample(&t.join("a"), 300, vec![]);
    let broken = sample(
        &t.join("b"),
        300,
        vec!["dns-lb-missing", "port-pool-exhaustion"],
    );
    let sa = t.join("sa");
    std::fs::create_dir_all(&sa).unwrap();
    std::fs::write(sa.join("token"), "sekret-token\n").unwrap();
    let (api, rx) = fake_api("201 Created");
    let out = hnsdoctor()
        .args([
            "watch",
            &healthy,
            &broken,
            &broken,
            "--sequence",
            "--interval",
            "1ms",
        ])
        .arg("--k8s-events")
        .env("HNSDOCTOR_KUBE_API", &api)
        .env("HNSDOCTOR_SA_DIR", &sa)
        .env("NODE_NAME", "akswin000007")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let posts: Vec<(String, String)> = rx.try_iter().collect();
    assert_eq!(
        posts.len(),
        2,
        "two errors, posted once although present twice: {posts:?}"
    );
    let mut reasons = Vec::new();
    for (head, body) in &posts {
        assert!(
            head.starts_with("POST /api/v1/namespaces/default/events HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(
            head.to_ascii_lowercase()
                .contains("authorization: bearer sekret-token\r\n"),
            "{head}"
        );
        let ev: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(ev["kind"], "Event");
        assert_eq!(ev["type"], "Warning");
        assert_eq!(ev["involvedObject"]["kind"], "Node");
        assert_eq!(ev["involvedObject"]["name"], "akswin000007");
        assert_eq!(ev["source"]["component"], "hnsdoctor");
        let msg = ev["message"].as_str().unwrap();
        assert!(
            msg.starts_with("hnsdoctor found ") && !msg.contains('\n'),
            "{msg}"
        );
        reasons.push(ev["reason"].as_str().unwrap().to_string());
    }
    reasons.sort();
    assert_eq!(reasons, ["DnsLbMissing", "PortPoolExhaustion"]);

    // the API refusing (RBAC missing) is reported and the watch goes on
    let (api, rx) = fake_api("403 Forbidden");
    let out = hnsdoctor()
        .args(["watch", &broken, "--runs", "1", "--k8s-events"])
        .env("HNSDOCTOR_KUBE_API", &api)
        .env("HNSDOCTOR_SA_DIR", &sa)
        .env("NODE_NAME", "akswin000007")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("HTTP 403"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rx.try_iter().count(), 1, "stopped at the first refusal");

    // outside a pod: a clear error before any run
    let out = hnsdoctor()
        .args(["watch", &broken, "--runs", "1", "--k8s-events"])
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("HNSDOCTOR_KUBE_API")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("KUBERNETES_SERVICE_HOST is not set"));
}
