//! End-to-end collector scenarios on the scripted fake host (sos `timeout_tests.py` style): every
//! source runs; a hang costs one source; a failure keeps its exit code; a huge output is capped;
//! the bundle is complete, atomic and its manifest matches the files; not-admin and
//! missing-DLL hosts still yield everything they can.

use hnsdoctor_bundle::manifest::{Manifest, SourceRecord, SourceStatus, MANIFEST_NAME};
use hnsdoctor_collect::bundle_writer::{sha256_hex, BundleWriter};
use hnsdoctor_collect::runner::{Collected, Output, RunOptions};
use hnsdoctor_collect::source::MIB;
use hnsdoctor_collect::testkit::full_fake;
use hnsdoctor_collect::{collect, sources, CollectOptions, CollectReport};
use hnsdoctor_host::fake::{fail, hang, huge, FakeHost};
use hnsdoctor_host::HcnKind;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn opts(dir: &Path) -> CollectOptions {
    CollectOptions {
        parent: Some(dir.to_path_buf()),
        zip: true,
        run: RunOptions {
            jobs: 8,
            since_hours: 24,
            // 60 s source timeouts become 300 ms: hangs end quickly.
            timeout_scale: 0.005,
            admin: true,
            ..RunOptions::default()
        },
        ..CollectOptions::default()
    }
}

fn instant_host() -> FakeHost {
    full_fake(&|_| Duration::ZERO)
}

fn run(host: FakeHost, o: &CollectOptions) -> (CollectReport, Arc<FakeHost>) {
    let host = Arc::new(host);
    let r = collect(host.clone(), o, &mut |_| {}).expect("collect");
    host.release_hangs();
    (r, host)
}

fn rec<'a>(m: &'a Manifest, id: &str) -> &'a SourceRecord {
    m.sources
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("{id} not in manifest"))
}

/// Every file the manifest names exists with that size and hash; nothing else but the manifest.
fn assert_manifest_matches_files(dir: &Path, m: &Manifest) {
    let mut named = vec![MANIFEST_NAME.to_string()];
    for s in &m.sources {
        if s.files.is_empty() {
            if let Some(p) = &s.path {
                let bytes = std::fs::read(dir.join(p)).unwrap();
                assert_eq!(bytes.len() as u64, s.bytes, "{}", s.id);
                assert_eq!(
                    s.sha256.as_deref(),
                    Some(sha256_hex(&bytes).as_str()),
                    "{}",
                    s.id
                );
                named.push(p.clone());
            }
        } else {
            let mut total = 0;
            for f in &s.files {
                let bytes = std::fs::read(dir.join(&f.path)).unwrap();
                assert_eq!(bytes.len() as u64, f.bytes, "{}", f.path);
                assert_eq!(f.sha256, sha256_hex(&bytes), "{}", f.path);
                total += f.bytes;
                named.push(f.path.clone());
            }
            assert_eq!(total, s.bytes, "{}", s.id);
        }
    }
    let mut on_disk = Vec::new();
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            if e.path().is_dir() {
                walk(root, &e.path(), out);
            } else {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    walk(dir, dir, &mut on_disk);
    on_disk.sort();
    named.sort();
    assert_eq!(on_disk, named);
}

#[test]
fn every_source_runs_and_the_bundle_is_complete() {
    let d = tempfile::tempdir().unwrap();
    let (r, host) = run(instant_host(), &opts(d.path()));
    let m = &r.manifest;
    assert_eq!(m.sources.len(), sources::all().len());
    for s in &m.sources {
        assert_eq!(s.status, SourceStatus::Ok, "{} {:?}", s.id, s.error);
        assert!(s.path.is_some(), "{} wrote nothing", s.id);
    }
    assert_eq!(m.host, "FAKEHOST");
    assert_eq!(m.os_build.as_deref(), Some("10.0.17763.5458"));
    assert_eq!(m.admin, Some(true));
    assert_eq!(m.since_hours, Some(24));
    // Folder name, no temporary folder left, zip present with the manifest inside.
    let name = r
        .paths
        .dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("hnsdoctor-FAKEHOST-"), "{name}");
    let entries: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries
        .iter()
        .all(|e| !e.contains("partial") && !e.ends_with(".tmp")));
    let zip = r.paths.zip.clone().unwrap();
    let mut za = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut mf = String::new();
    std::io::Read::read_to_string(&mut za.by_name(MANIFEST_NAME).unwrap(), &mut mf).unwrap();
    let back: Manifest = serde_json::from_str(&mf).unwrap();
    assert_eq!(&back, m);
    assert_manifest_matches_files(&r.paths.dir, m);
    // Raw HCN JSON kept as produced; one enumeration per HCN kind, no process per object.
    let nets = std::fs::read_to_string(r.paths.dir.join("hns/networks.json")).unwrap();
    assert_eq!(nets, hnsdoctor_collect::testkit::NETWORKS_JSON);
    let calls = host.calls();
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.starts_with("hcn Endpoints"))
            .count(),
        1
    );
    // VFP fan-out ran per listed port.
    let pol = std::fs::read_to_string(r.paths.dir.join("vfp/port-policies.txt")).unwrap();
    assert!(pol.contains("/port 0D1E5F2B-1111-4C3A-9D1E-000000000002 /get-flow-stats"));
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.contains("/list-vmswitch-port"))
            .count(),
        1
    );
}

#[test]
fn a_hang_costs_one_source_and_the_rest_finish() {
    let d = tempfile::tempdir().unwrap();
    let host = instant_host()
        .hang("ipconfig /allcompartments /all")
        .hcn(HcnKind::Endpoints, hang())
        .hang("vfpctrl /list-vmswitch-port");
    // Only the hanging sources get a short timeout; everyone else keeps the real (60 s-scale)
    // timeouts and budgets, so a loaded machine cannot make an instant source time out.
    let mut o = opts(d.path());
    o.run.timeout_scale = 1.0;
    for id in ["ip.ipconfig", "hns.endpoints", "vfp.ports"] {
        o.run
            .timeout_overrides
            .insert(id.to_string(), Duration::from_millis(300));
    }
    let start = Instant::now();
    let (r, _) = run(host, &o);
    // generous sanity bound only: the fake hangs for 30 s without the runner's timeouts
    assert!(start.elapsed() < Duration::from_secs(25));
    let m = &r.manifest;
    assert_eq!(rec(m, "ip.ipconfig").status, SourceStatus::Timeout);
    assert!(rec(m, "ip.ipconfig")
        .error
        .as_deref()
        .unwrap()
        .contains("killed"));
    let ep = rec(m, "hns.endpoints");
    assert_eq!(ep.status, SourceStatus::Timeout);
    assert!(ep.error.as_deref().unwrap().contains("abandoned"));
    assert_eq!(rec(m, "vfp.ports").status, SourceStatus::Timeout);
    assert_eq!(rec(m, "vfp.port_counters").status, SourceStatus::Skipped);
    let others: Vec<_> = m
        .sources
        .iter()
        .filter(|s| {
            ![
                "ip.ipconfig",
                "hns.endpoints",
                "vfp.ports",
                "vfp.port_counters",
                "vfp.port_policies",
            ]
            .contains(&s.id.as_str())
        })
        .collect();
    assert!(
        others.iter().all(|s| s.status == SourceStatus::Ok),
        "{others:?}"
    );
    assert_manifest_matches_files(&r.paths.dir, m);
}

#[test]
fn failure_keeps_exit_code_and_huge_output_is_capped() {
    let d = tempfile::tempdir().unwrap();
    let host = instant_host()
        .command(
            "sc queryex type= service state= all",
            fail(5, "[SC] OpenSCManager FAILED 5: Access is denied."),
        )
        .command("ipconfig /allcompartments /all", huge(20 * MIB as usize));
    let mut o = opts(d.path());
    o.zip = false;
    // No hang here: room for writing 16 MiB to disk on a loaded debug build.
    o.run.timeout_scale = 0.2;
    let (r, _) = run(host, &o);
    let m = &r.manifest;
    let sc = rec(m, "services.queryex");
    assert_eq!(sc.status, SourceStatus::Failed);
    assert_eq!(sc.exit_code, Some(5));
    assert!(sc.error.as_deref().unwrap().contains("Access is denied"));
    let ip = rec(m, "ip.ipconfig");
    assert_eq!(ip.status, SourceStatus::Ok);
    assert!(ip.truncated);
    assert_eq!(ip.bytes, 16 * MIB);
    let kept = std::fs::read(r.paths.dir.join("net/ipconfig.txt")).unwrap();
    // The tail is kept: the first lines are gone, the last ones are there.
    assert!(!kept.starts_with(b"line 00000000"));
    assert!(kept.windows(13).any(|w| w == b"line 01400000"));
    assert!(r.paths.zip.is_none());
    assert_manifest_matches_files(&r.paths.dir, m);
}

#[test]
fn not_admin_skips_admin_sources_and_gathers_the_rest() {
    let d = tempfile::tempdir().unwrap();
    let (r, _) = run(instant_host().admin(false), &opts(d.path()));
    let m = &r.manifest;
    assert_eq!(m.admin, Some(false));
    for s in &m.sources {
        let src = sources::by_id(&s.id).unwrap();
        if src.admin_required {
            assert_eq!(s.status, SourceStatus::Skipped, "{}", s.id);
            assert!(s.error.as_deref().unwrap().contains("administrator"));
            assert!(s.path.is_none());
        } else {
            assert_eq!(s.status, SourceStatus::Ok, "{} {:?}", s.id, s.error);
        }
    }
    assert!(m.sources.iter().any(|s| s.status == SourceStatus::Ok));
    assert!(m.sources.iter().any(|s| s.status == SourceStatus::Skipped));
}

#[test]
fn missing_dlls_fail_hns_api_sources_only() {
    let d = tempfile::tempdir().unwrap();
    let (r, _) = run(instant_host().missing_dlls(), &opts(d.path()));
    let m = &r.manifest;
    for s in &m.sources {
        let src = sources::by_id(&s.id).unwrap();
        if src.via.describe().starts_with("Hcn") || src.via.describe().starts_with("HNSCall") {
            assert_eq!(s.status, SourceStatus::Failed, "{}", s.id);
            assert!(
                s.error
                    .as_deref()
                    .unwrap()
                    .starts_with("HNS API not available"),
                "{:?}",
                s.error
            );
        } else {
            assert_eq!(s.status, SourceStatus::Ok, "{} {:?}", s.id, s.error);
        }
    }
}

#[test]
fn out_dir_is_used_exactly_and_an_unfinished_bundle_leaves_no_final_folder() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("mybundle");
    let mut o = opts(d.path());
    o.out = Some(out.clone());
    o.only = vec!["ports".into()];
    let (r, _) = run(instant_host(), &o);
    assert_eq!(r.paths.dir, out);
    assert!(out.join(MANIFEST_NAME).exists());
    assert!(d.path().join("mybundle.zip").exists());
    assert_eq!(r.manifest.sources.len(), 4);

    // A run that dies before finish(): the final name never appears, nothing is left behind.
    let out2 = d.path().join("crashed");
    let mut w = BundleWriter::create(Some(&out2), d.path(), "h", chrono::Utc::now()).unwrap();
    let rec = w.write(Collected {
        source: sources::by_id("ip.ipconfig").unwrap(),
        status: SourceStatus::Ok,
        output: Output::File(b"x".to_vec()),
        exit_code: Some(0),
        error: None,
        duration: Duration::ZERO,
        truncated: false,
        encoding: Some("oem"),
        withheld: Vec::new(),
        redacted: Vec::new(),
    });
    assert_eq!(rec.bytes, 1);
    assert!(w.staging_dir().join("net/ipconfig.txt").exists());
    drop(w);
    assert!(!out2.exists());
    let names: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}"); // mybundle + mybundle.zip
}

/// Ctrl-C: the cancel flag is set while sources run (here by the progress callback after the
/// first source finishes, so the test does not depend on timing): the collection ends with
/// `Cancelled`, and neither the bundle folder, its zip nor the staging folder is left.
#[test]
fn cancelled_collection_leaves_no_bundle_and_says_so() {
    let d = tempfile::tempdir().unwrap();
    let host = Arc::new(instant_host().hang("ipconfig /allcompartments /all"));
    let mut o = opts(d.path());
    o.run.timeout_scale = 1.0;
    o.run.jobs = 2;
    let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
    o.run.cancel = Some(flag.clone());
    let mut finished = 0;
    let err = collect(host.clone(), &o, &mut |p| {
        if matches!(p, hnsdoctor_collect::runner::Progress::Finished { .. }) {
            finished += 1;
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    })
    .unwrap_err();
    // The abandoned source may answer after this: it must not bring the staging folder back.
    host.release_hangs();
    std::thread::sleep(Duration::from_millis(200));
    assert!(finished >= 1);
    let msg = err.to_string();
    assert!(
        matches!(err, hnsdoctor_collect::CollectError::Cancelled { .. }),
        "{err:?}"
    );
    assert!(
        msg.contains("interrupted") && msg.contains("no bundle written"),
        "{msg}"
    );
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// An output folder that cannot be created: the error names it, nothing is left.
#[test]
fn unwritable_output_folder_is_an_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    // Under a regular file (works for root too, unlike permission bits).
    std::fs::write(d.path().join("file"), b"x").unwrap();
    let mut o = opts(d.path());
    o.out = Some(d.path().join("file").join("bundle"));
    let err = collect(Arc::new(instant_host()), &o, &mut |_| {}).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("file"), "{msg}");
    assert!(
        matches!(err, hnsdoctor_collect::CollectError::Bundle(_)),
        "{err:?}"
    );
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("file")]);
}
