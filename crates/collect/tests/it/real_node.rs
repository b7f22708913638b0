//! The eleven faults of issue 13 ("the collector on a real node"), one scenario each on the
//! scripted fake host: what the collector asks the host for (environment, paths, arguments, ACLs)
//! and what ends up in the bundle (decoded text, partial output, no secrets).

use hnsdoctor_bundle::manifest::{Manifest, SourceRecord, SourceStatus};
use hnsdoctor_collect::runner::RunOptions;
use hnsdoctor_collect::source::MIB;
use hnsdoctor_collect::testkit::full_fake;
use hnsdoctor_collect::{collect, CollectOptions, CollectReport};
use hnsdoctor_host::fake::{fail, ok, partial, FakeHost};
use hnsdoctor_host::{CodePages, Keep, KnownFolders, RegistryKey};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn opts(parent: &Path, only: &[&str]) -> CollectOptions {
    CollectOptions {
        parent: Some(parent.to_path_buf()),
        zip: false,
        run: RunOptions {
            timeout_scale: 0.05,
            ..RunOptions::default()
        },
        only: only.iter().map(|s| (*s).to_string()).collect(),
        ..CollectOptions::default()
    }
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

/// Every file under `dir`, recursively, with its bytes.
fn all_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
        || hay.windows(utf16.len()).any(|w| w == utf16.as_slice())
}

const KUBECONFIG_TOKEN: &str =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLXZhbHVl";
const BOOTSTRAP_TOKEN: &str = "07401b.f395accd246ae52d";
const REGISTRY_PASSWORD: &str = "Reg1stryPassw0rd";
const REGISTRY_AUTH: &str = "dXNlcjpSZWcxc3RyeVBhc3N3MHJk";
const CLIENT_SECRET: &str = "aad~Cl1entSecretValue";
const PRIVATE_KEY_BODY: &str = "MHcCAQEEIBkg4LVWM9nuwNSk3yBR6VVmSzrAKeyBody";
const ACCOUNT_KEY: &str = "U3RvcmFnZUFjY291bnRLZXk=";

/// Fault 1: a node seeded with one secret of every kind yields a bundle holding none of them,
/// whose manifest says what was withheld or replaced.
#[test]
fn secrets_of_every_kind_stay_out_of_the_bundle() {
    let d = tempfile::tempdir().unwrap();
    let kubeconfig = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.0.0.1:443\n  name: k\nusers:\n- name: calico-node\n  user:\n    token: {KUBECONFIG_TOKEN}\n"
    );
    let host = FakeHost::new()
        // Calico's HostProcess installer writes its kubeconfig next to the conflist.
        .file(r"C:\etc\cni\net.d\calico-kubeconfig", kubeconfig.clone())
        .file(
            r"C:\etc\cni\net.d\10-calico.conflist",
            r#"{"cniVersion":"0.3.1","name":"Calico","plugins":[{"type":"calico","kubernetes":{"kubeconfig":"c:/etc/cni/net.d/calico-kubeconfig"}}]}"#,
        )
        // A kubeconfig under a neutral name is recognised by its content.
        .file(r"C:\etc\cni\net.d\99-extra.conf", kubeconfig)
        .file(
            r"C:\etc\cni\net.d\azure.json",
            format!(r#"{{"cloud":"AzurePublicCloud","aadClientId":"c1","aadClientSecret":"{CLIENT_SECRET}"}}"#),
        )
        .file(
            r"C:\ProgramData\containerd\config.toml",
            format!(
                "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"myreg.azurecr.io\".auth]\n  username = \"puller\"\n  password = \"{REGISTRY_PASSWORD}\"\n  auth = \"{REGISTRY_AUTH}\"\n"
            ),
        )
        .file(
            r"C:\var\lib\kubelet\kubeadm-flags.env",
            format!("KUBELET_KUBEADM_ARGS=\"--node-ip=10.0.0.4 --bootstrap-token={BOOTSTRAP_TOKEN}\"\n"),
        )
        .file(
            r"C:\k\kubelet.log",
            format!("I1124 02:00:00.000000    1234 flags.go:64] FLAG: --token=\"{BOOTSTRAP_TOKEN}\"\nI1124 02:00:01.000000    1234 server.go:1] started\n"),
        )
        .file(
            r"C:\var\log\calico\cni.log",
            format!("2026-11-24 02:00:00 [INFO] loaded key\n-----BEGIN EC PRIVATE KEY-----\n{PRIVATE_KEY_BODY}\n-----END EC PRIVATE KEY-----\n2026-11-24 02:00:01 [INFO] done\n"),
        )
        .file(r"C:\var\log\calico\node.key", format!("-----BEGIN EC PRIVATE KEY-----\n{PRIVATE_KEY_BODY}\n-----END EC PRIVATE KEY-----\n"))
        .file(
            r"C:\k\azure-vnet.log",
            format!("2026/11/24 02:00:00 storage: DefaultEndpointsProtocol=https;AccountName=st1;AccountKey={ACCOUNT_KEY};EndpointSuffix=core.windows.net\n"),
        );
    let mut o = opts(d.path(), &["k8s"]);
    o.zip = true;
    let (r, _) = run(host, &o);
    for (path, bytes) in all_files(&r.paths.dir) {
        for secret in [
            KUBECONFIG_TOKEN,
            BOOTSTRAP_TOKEN,
            REGISTRY_PASSWORD,
            REGISTRY_AUTH,
            CLIENT_SECRET,
            PRIVATE_KEY_BODY,
            ACCOUNT_KEY,
        ] {
            assert!(!contains(&bytes, secret), "{secret} in {path}");
        }
    }
    // The zip holds the same (redacted) files.
    let zip = r.paths.zip.as_ref().unwrap().to_string_lossy().into_owned();
    let opened = hnsdoctor_bundle::open::open(&zip).unwrap();
    for s in &opened.sources {
        let t = s.text().unwrap_or_default();
        assert!(
            !t.contains(KUBECONFIG_TOKEN) && !t.contains(REGISTRY_PASSWORD),
            "{}",
            s.name
        );
    }
    let m = &r.manifest;
    let withheld: Vec<&str> = m
        .sources
        .iter()
        .flat_map(|s| s.withheld.iter().map(|w| w.path.as_str()))
        .collect();
    for w in [
        r"C:\etc\cni\net.d\calico-kubeconfig",
        r"C:\etc\cni\net.d\99-extra.conf",
        r"C:\etc\cni\net.d\azure.json",
        r"C:\var\log\calico\node.key",
    ] {
        assert!(
            withheld.contains(&w),
            "{w} not listed as withheld: {withheld:?}"
        );
    }
    let redacted: Vec<(&str, &str)> = m
        .sources
        .iter()
        .flat_map(|s| {
            s.redacted
                .iter()
                .map(|x| (x.path.as_str(), x.what.as_str()))
        })
        .collect();
    for (path, what) in [
        (
            "k8s/containerd-config/config.toml",
            "value of key \"password\"",
        ),
        ("k8s/containerd-config/config.toml", "value of key \"auth\""),
        (
            "k8s/kubelet-config/kubeadm-flags.env",
            "value of key \"bootstrap-token\"",
        ),
        ("k8s/kubelet/kubelet.log", "value of key \"token\""),
        ("k8s/cni-logs/cni.log", "private key block"),
        ("k8s/cni-logs/azure-vnet.log", "value of key \"AccountKey\""),
    ] {
        assert!(
            redacted.contains(&(path, what)),
            "{path}: {what} not in {redacted:?}"
        );
    }
    // What is harmless stays: the conflist and the non-secret lines.
    let conflist = std::fs::read_to_string(r.paths.dir.join("k8s/cni/10-calico.conflist")).unwrap();
    assert!(conflist.contains("\"type\":\"calico\""));
    let toml =
        std::fs::read_to_string(r.paths.dir.join("k8s/containerd-config/config.toml")).unwrap();
    assert!(toml.contains("username = \"puller\""));
    let manifest_text = std::fs::read_to_string(r.paths.dir.join("manifest.json")).unwrap();
    assert!(manifest_text.contains("calico-kubeconfig"));
}

/// Fault 2 (and D17): Windows PowerShell by absolute path, no inherited PSModulePath,
/// -NoProfile -NonInteractive -ExecutionPolicy Bypass, UTF-8 output, streamed Out-String.
#[test]
fn powershell_gets_a_clean_environment() {
    let d = tempfile::tempdir().unwrap();
    let host = FakeHost::new().command("powershell", ok("Status Name\r\n"));
    let (r, h) = run(host, &opts(d.path(), &["services.status"]));
    assert_eq!(rec(&r.manifest, "services.status").status, SourceStatus::Ok);
    let req = h.requests().pop().unwrap();
    assert_eq!(
        req.program,
        r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"
    );
    assert!(
        req.env_remove.iter().any(|k| k == "PSModulePath"),
        "{req:?}"
    );
    let a = req.args.join(" ");
    for flag in [
        "-NoProfile",
        "-NonInteractive",
        "-ExecutionPolicy Bypass",
        "-Command",
    ] {
        assert!(a.contains(flag), "{flag} missing: {a}");
    }
    assert!(
        a.contains("[Console]::OutputEncoding=[Text.UTF8Encoding]::new($false)"),
        "{a}"
    );
    assert!(a.contains("Out-String -Stream -Width 4096"), "{a}");
    assert_eq!(
        rec(&r.manifest, "services.status").encoding.as_deref(),
        Some("utf-8")
    );
}

/// Fault 3: an ipconfig written in the OEM code page of a Japanese (932) and a German (850)
/// node reads back as the right text, because the manifest records the code pages.
#[test]
fn oem_ipconfig_of_japanese_and_german_nodes_reads_back() {
    let ja = "Windows IP 構成\r\n\r\nイーサネット アダプター vEthernet (nat):\r\n\r\n   接続固有の DNS サフィックス . . . . .:\r\n   IPv4 アドレス . . . . . . . . . . . .: 172.25.0.1\r\n   サブネット マスク . . . . . . . . . .: 255.255.240.0\r\n";
    let de = "Windows-IP-Konfiguration\r\n\r\nEthernet-Adapter Ethernet:\r\n\r\n   Lease läuft ab. . . . . . . . . . : Montag, 30. November 2026 10:00:00\r\n   Physische Adresse . . . . . . . . : 00-15-5D-00-00-01\r\n   Standardgateway . . . . . . . . . : 10.0.0.1 (Größe)\r\n";
    let ja_bytes = encoding_rs::SHIFT_JIS.encode(ja).0.into_owned();
    // CP850: ä 0x84, ö 0x94, ß 0xE1.
    let de_bytes: Vec<u8> = de
        .chars()
        .map(|c| match c {
            'ä' => 0x84,
            'ö' => 0x94,
            'ß' => 0xe1,
            c => u8::try_from(c).unwrap(),
        })
        .collect();
    for (cp, bytes, text) in [(932u32, ja_bytes, ja), (850, de_bytes, de)] {
        let d = tempfile::tempdir().unwrap();
        let host = FakeHost::new()
            .code_pages(Some(CodePages {
                oem: cp,
                ansi: if cp == 932 { 932 } else { 1252 },
            }))
            .command("ipconfig /allcompartments /all", ok(bytes.clone()));
        let (r, _) = run(host, &opts(d.path(), &["ip.ipconfig"]));
        assert_eq!(r.manifest.code_pages.map(|c| c.oem), Some(cp));
        // The raw bytes are kept as produced…
        assert_eq!(
            std::fs::read(r.paths.dir.join("net/ipconfig.txt")).unwrap(),
            bytes
        );
        // …and the reader decodes them with the recorded code page.
        let opened = hnsdoctor_bundle::open::open(&r.paths.dir.to_string_lossy()).unwrap();
        let src = opened
            .sources
            .iter()
            .find(|s| s.name == "net/ipconfig.txt")
            .unwrap();
        assert_eq!(src.text().unwrap(), text.replace("\r\n", "\n"), "cp{cp}");
        assert_eq!(src.encoding.as_deref(), Some(format!("cp{cp}").as_str()));
    }
}

/// Fault 4: the default bundle goes under %ProgramData%\hnsdoctor, and the folder, the bundle
/// and the zip are restricted to SYSTEM and Administrators; `--out` gets the same ACL.
#[test]
fn bundle_is_admin_only_and_under_program_data() {
    let d = tempfile::tempdir().unwrap();
    let pd = d.path().to_string_lossy().into_owned();
    let host = FakeHost::new()
        .folders(Some(KnownFolders {
            program_data: pd.clone(),
            ..KnownFolders::default_windows()
        }))
        .command("ipconfig", ok("Windows IP Configuration\r\n"));
    let mut o = opts(d.path(), &["ip.ipconfig"]);
    o.parent = None;
    o.zip = true;
    let (r, h) = run(host, &o);
    let home = d.path().join("hnsdoctor");
    assert_eq!(r.paths.dir.parent(), Some(home.as_path()));
    let acls: Vec<String> = h
        .calls()
        .into_iter()
        .filter_map(|c| c.strip_prefix("acl ").map(str::to_string))
        .collect();
    assert!(acls.contains(&home.display().to_string()), "{acls:?}");
    // The staging folder (renamed to the bundle) and the zip's temporary file.
    assert!(acls.iter().any(|a| a.contains(".partial")), "{acls:?}");
    assert!(acls.iter().any(|a| a.ends_with(".zip.tmp")), "{acls:?}");

    let out = d.path().join("chosen");
    let host = FakeHost::new().command("ipconfig", ok("x\r\n"));
    let mut o = opts(d.path(), &["ip.ipconfig"]);
    o.out = Some(out.clone());
    let (r, h) = run(host, &o);
    assert_eq!(r.paths.dir, out);
    let staging_acl = h
        .calls()
        .into_iter()
        .find(|c| c.starts_with("acl "))
        .unwrap();
    assert!(staging_acl.contains(".chosen."), "{staging_acl}");
}

/// Fault 6: events newest first (`/rd:true`), in Unicode (`/uni:true`), the head kept at the
/// cap, and what was exported before a timeout is kept.
#[test]
fn events_are_newest_first_and_survive_a_timeout() {
    let d = tempfile::tempdir().unwrap();
    let newest = "<Events><Event><System><EventID>7031</EventID></System></Event>";
    let host = FakeHost::new().events("System", partial(newest));
    let (r, h) = run(host, &opts(d.path(), &["events.system"]));
    let e = rec(&r.manifest, "events.system");
    assert_eq!(e.status, SourceStatus::Timeout);
    assert!(e.truncated);
    assert!(
        e.error.as_deref().unwrap().contains("newest events"),
        "{e:?}"
    );
    assert_eq!(
        std::fs::read_to_string(r.paths.dir.join("events/system.xml")).unwrap(),
        newest
    );
    let req = h.requests().pop().unwrap();
    assert_eq!(req.program, r"C:\Windows\System32\wevtutil.exe");
    for a in ["/rd:true", "/uni:true", "/f:xml", "/e:Events"] {
        assert!(req.args.iter().any(|x| x == a), "{a}: {:?}", req.args);
    }
    assert_eq!(req.keep, Keep::Head);
    assert_eq!(e.encoding.as_deref(), Some("utf-16le"));
}

/// Fault 7: `sc queryex type= service state= all` — a stopped hns is listed.
#[test]
fn stopped_service_is_visible() {
    let d = tempfile::tempdir().unwrap();
    let listing = "SERVICE_NAME: hns\r\nDISPLAY_NAME: Host Network Service\r\n        TYPE               : 20  WIN32_SHARE_PROCESS\r\n        STATE              : 1  STOPPED\r\n        PID                : 0\r\n";
    // Only the full form answers: a bare `sc queryex` (running services only) finds nothing.
    let host = FakeHost::new()
        .default_command(fail(1, "not scripted"))
        .command("sc queryex type= service state= all", ok(listing));
    let (r, h) = run(host, &opts(d.path(), &["services.queryex"]));
    assert_eq!(
        rec(&r.manifest, "services.queryex").status,
        SourceStatus::Ok
    );
    let text = std::fs::read_to_string(r.paths.dir.join("services/scqueryex.txt")).unwrap();
    assert!(text.contains("STOPPED"));
    assert_eq!(
        h.requests()[0].args,
        ["queryex", "type=", "service", "state=", "all"]
    );
}

/// Fault 10: sources needing the Hyper-V role are "absent by design" on a container-only host,
/// and services.status does not name services that cannot all exist.
#[test]
fn missing_features_are_absent_by_design_not_failures() {
    let d = tempfile::tempdir().unwrap();
    let only = ["vfp.vmswitch", "services.config_hyperv", "services.status"];
    let host = FakeHost::new().default_command(fail(1, "Get-VMSwitch : not recognized"));
    let (r, _) = run(host, &opts(d.path(), &only));
    for id in ["vfp.vmswitch", "services.config_hyperv"] {
        let s = rec(&r.manifest, id);
        assert_eq!(s.status, SourceStatus::Skipped, "{id}");
        assert!(
            s.error.as_deref().unwrap().starts_with("absent by design"),
            "{s:?}"
        );
    }
    // With the Hyper-V role the same sources run.
    let d2 = tempfile::tempdir().unwrap();
    let host = FakeHost::new()
        .default_command(ok("Name : nat\r\n"))
        .registry(RegistryKey {
            path: r"HKLM\SYSTEM\CurrentControlSet\Services\vmms".into(),
            ..RegistryKey::default()
        });
    let (r, _) = run(host, &opts(d2.path(), &only));
    assert_eq!(rec(&r.manifest, "vfp.vmswitch").status, SourceStatus::Ok);
    // `Get-Service -Name a,b` errors for every name not installed (kubeproxy vs kube-proxy), and
    // that error makes powershell exit 1 on every node: the names are filtered instead.
    let status = hnsdoctor_collect::sources::by_id("services.status").unwrap();
    let hnsdoctor_collect::source::Via::PowerShell(p) = status.via else {
        panic!("services.status is a PowerShell source")
    };
    assert!(!p.contains("-Name"), "{p}");
    assert!(
        p.contains("'kubeproxy'") && p.contains("'kube-proxy'"),
        "{p}"
    );
}

/// Fault 8: every tool runs by absolute path (no application-folder or PATH search while
/// elevated).
#[test]
fn every_tool_runs_by_absolute_path() {
    let d = tempfile::tempdir().unwrap();
    let (r, h) = run(full_fake(&|_| Duration::ZERO), &opts(d.path(), &[]));
    assert!(r.manifest.sources.len() > 60);
    let reqs = h.requests();
    assert!(reqs.len() > 40);
    for q in reqs {
        assert!(
            q.program.starts_with(r"C:\Windows\System32\")
                || q.program.starts_with(r"C:\Program Files\"),
            "{}",
            q.program
        );
    }
}

/// Fault 9: outputs are streamed into their files; a Files source stops at its total cap and
/// the bundle at its own.
#[test]
fn caps_per_source_and_per_bundle() {
    let d = tempfile::tempdir().unwrap();
    let mut host = FakeHost::new().default_command(ok("x\r\n"));
    for i in 0..6 {
        let log =
            "2026-11-24 02:00:00, Info CBS Exec: servicing line\r\n".repeat(12 * MIB as usize / 52);
        host = host.file(&format!(r"C:\Windows\logs\CBS\CBS{i}.log"), log);
    }
    let (r, _) = run(host, &opts(d.path(), &["os.cbs_logs"]));
    let cbs = rec(&r.manifest, "os.cbs_logs");
    assert!(cbs.bytes <= 32 * MIB, "{cbs:?}");
    assert_eq!(cbs.status, SourceStatus::Ok, "{cbs:?}");
    assert!(cbs.truncated);
    assert!(
        cbs.error
            .as_deref()
            .unwrap()
            .contains("size cap of the source"),
        "{cbs:?}"
    );

    let d2 = tempfile::tempdir().unwrap();
    let mut o = opts(d2.path(), &["ip.ipconfig", "ip.route_print", "ip.arp"]);
    o.run.jobs = 1;
    o.run.bundle_max_bytes = 20 * MIB;
    let host = FakeHost::new().default_command(ok(vec![b'r'; 12 * MIB as usize]));
    let (r, _) = run(host, &o);
    let total: u64 = r.manifest.sources.iter().map(|s| s.bytes).sum();
    assert!(total <= 20 * MIB, "{total}");
    let skipped = r
        .manifest
        .sources
        .iter()
        .filter(|s| {
            s.error
                .as_deref()
                .is_some_and(|e| e.contains("size cap of the bundle"))
        })
        .count();
    assert_eq!(skipped, 1, "{:?}", r.manifest.sources);
}

/// Fault 11: AKS CNI configuration, state and logs are collected.
#[test]
fn aks_cni_files_are_collected() {
    let d = tempfile::tempdir().unwrap();
    let host = FakeHost::new()
        .file(r"C:\k\azurecni\netconf\10-azure.conflist", r#"{"cniVersion":"0.3.0","name":"azure","plugins":[{"type":"azure-vnet","mode":"bridge"}]}"#)
        .file(r"C:\k\azure-vnet.json", r#"{"Network":{"Version":"v0.9"}}"#)
        .file(r"C:\k\azure-vnet-ipam.json", r#"{"IPAM":{"Version":"v0.9"}}"#)
        .file(r"C:\k\azurecns\azure-cns.log", "2026/11/24 02:00:00 [1] CNS started\n")
        .file(r"C:\Windows\System32\azure-vnet.log", "2026/11/24 02:00:00 [cni-net] Plugin started.\n");
    let (r, _) = run(host, &opts(d.path(), &["k8s"]));
    let m = &r.manifest;
    let files: Vec<&str> = m
        .sources
        .iter()
        .flat_map(|s| s.files.iter().map(|f| f.path.as_str()))
        .collect();
    for f in [
        "k8s/cni/10-azure.conflist",
        "k8s/cni-state/azure-vnet.json",
        "k8s/cni-state/azure-vnet-ipam.json",
        "k8s/cni-logs/azure-cns.log",
        "k8s/cni-logs/azure-vnet.log",
    ] {
        assert!(files.contains(&f), "{f} not in {files:?}");
    }
}
