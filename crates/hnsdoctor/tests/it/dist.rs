//! `tools/dist.sh` (Windows zip + scoop and winget manifests) on a stand-in exe: the zip holds
//! the exe, README, licences and SHA-256 sums; both manifests carry the zip's real SHA-256
//! (recomputed here with `sha2`, independent of the scripts); and `tools/dist-check.py`
//! rejects a manifest whose hash does not match. CI runs the same script on the real
//! cross-built exe (`.ci/run`).

use crate::util::repo_root;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// The smallest bytes `dist-check.py` accepts as an x86-64 PE file.
fn fake_pe() -> Vec<u8> {
    let mut b = vec![0u8; 0x100];
    b[0..2].copy_from_slice(b"MZ");
    b[0x3C..0x40].copy_from_slice(&0x40u32.to_le_bytes());
    b[0x40..0x44].copy_from_slice(b"PE\0\0");
    b[0x44..0x46].copy_from_slice(&0x8664u16.to_le_bytes());
    b
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn dist(exe: &Path, out: &Path) -> std::process::Output {
    Command::new("bash")
        .arg(repo_root().join("tools/dist.sh"))
        .arg("--exe")
        .arg(exe)
        .arg("--out")
        .arg(out)
        .args(["--base-url", "https://downloads.test/hnsdoctor/v1"])
        .output()
        .expect("run tools/dist.sh")
}

#[test]
fn dist_zip_and_manifests_match() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = tmp.path().join("hnsdoctor.exe");
    std::fs::write(&exe, fake_pe()).unwrap();
    let out = tmp.path().join("dist");
    let run = dist(&exe, &out);
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let version = env!("CARGO_PKG_VERSION");
    let stem = format!("hnsdoctor-{version}-x86_64-pc-windows-gnu");
    let zip_path = out.join(format!("{stem}.zip"));
    let bytes = std::fs::read(&zip_path).unwrap();
    let digest = hex(&Sha256::digest(&bytes));

    // contents
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    names.sort();
    let mut want: Vec<String> = [
        "LICENSE",
        "LICENSE-APACHE",
        "LICENSE-MIT",
        "README.md",
        "SHA256SUMS.txt",
        "hnsdoctor.exe",
    ]
    .iter()
    .map(|n| format!("{stem}/{n}"))
    .collect();
    want.sort();
    assert_eq!(names, want);
    let mut packed = Vec::new();
    z.by_name(&format!("{stem}/hnsdoctor.exe"))
        .unwrap()
        .read_to_end(&mut packed)
        .unwrap();
    assert_eq!(packed, fake_pe());
    let mut sums = String::new();
    z.by_name(&format!("{stem}/SHA256SUMS.txt"))
        .unwrap()
        .read_to_string(&mut sums)
        .unwrap();
    assert!(sums.contains(&format!(
        "{}  hnsdoctor.exe",
        hex(&Sha256::digest(fake_pe()))
    )));

    // manifests
    let scoop: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("hnsdoctor.json")).unwrap()).unwrap();
    assert_eq!(scoop["hash"], digest);
    assert_eq!(scoop["version"], version);
    assert_eq!(
        scoop["url"],
        format!("https://downloads.test/hnsdoctor/v1/{stem}.zip")
    );
    let winget = std::fs::read_to_string(out.join("hnsdoctor.winget.yaml")).unwrap();
    assert!(
        winget.contains(&format!("InstallerSha256: {}", digest.to_uppercase())),
        "{winget}"
    );
    assert!(winget.contains(&format!("PackageVersion: {version}")));
    // krew: the plugin manifest points at the same zip and names the exe kubectl-hnsdoctor.exe
    let krew: serde_json::Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(out.join("hnsdoctor.krew.yaml")).unwrap())
            .unwrap();
    assert_eq!(krew["kind"], "Plugin");
    assert_eq!(krew["metadata"]["name"], "hnsdoctor");
    assert_eq!(krew["spec"]["version"], format!("v{version}"));
    let platform = &krew["spec"]["platforms"][0];
    assert_eq!(platform["sha256"], digest);
    assert_eq!(
        platform["uri"],
        format!("https://downloads.test/hnsdoctor/v1/{stem}.zip")
    );
    assert_eq!(platform["selector"]["matchLabels"]["os"], "windows");
    assert_eq!(platform["bin"], "kubectl-hnsdoctor.exe");
    assert_eq!(
        platform["files"][0]["from"],
        format!("{stem}/hnsdoctor.exe")
    );
    assert_eq!(platform["files"][0]["to"], "kubectl-hnsdoctor.exe");
    assert!(
        names.contains(&platform["files"][0]["from"].as_str().unwrap().to_string()),
        "krew copies a file the zip has"
    );
    let side = std::fs::read_to_string(out.join(format!("{stem}.zip.sha256"))).unwrap();
    assert_eq!(side, format!("{digest}  {stem}.zip\n"));

    // deterministic: the same exe gives the same zip
    let again = tmp.path().join("again");
    assert!(dist(&exe, &again).status.success());
    assert_eq!(
        std::fs::read(again.join(format!("{stem}.zip"))).unwrap(),
        bytes
    );

    // the check fails on a manifest whose hash is not the zip's
    let mut bad = scoop.clone();
    bad["hash"] = "0".repeat(64).into();
    std::fs::write(
        out.join("hnsdoctor.json"),
        serde_json::to_vec_pretty(&bad).unwrap(),
    )
    .unwrap();
    let check = Command::new("python3")
        .arg(repo_root().join("tools/dist-check.py"))
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("scoop hash"));
}

#[test]
fn licences_exist_and_the_repository_is_no_placeholder() {
    let root = repo_root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"MIT OR Apache-2.0\""));
    for f in ["LICENSE", "LICENSE-MIT", "LICENSE-APACHE"] {
        let text = std::fs::read_to_string(root.join(f)).unwrap_or_default();
        assert!(text.len() > 300, "{f} missing or empty");
    }
    assert!(std::fs::read_to_string(root.join("LICENSE-MIT"))
        .unwrap()
        .starts_with("MIT License"));
    assert!(std::fs::read_to_string(root.join("LICENSE-APACHE"))
        .unwrap()
        .contains("Apache License"));
    for line in manifest
        .lines()
        .filter(|l| l.trim_start().starts_with("repository"))
    {
        assert!(
            !line.contains(".invalid") && !line.contains("example."),
            "placeholder repository: {line}"
        );
    }
}
