//! `hnsdoctor redact`: a bundle seeded with one secret of every kind holds none afterwards (in
//! UTF-8, UTF-16LE+BOM and zip form), and `--obfuscate` keeps every example's finding ids while
//! the mapping stays outside the output.

use crate::util::{hnsdoctor, repo_root};
use std::collections::BTreeSet;
use std::path::Path;

/// One secret of every kind: (kind, line holding it, the secret value).
const SECRETS: &[(&str, &str, &str)] = &[
    (
        "password",
        "  password = \"Hunter2-Sekret\"\n",
        "Hunter2-Sekret",
    ),
    (
        "api key",
        "{\"apiKey\": \"AKIAZZZZ1234567890\"}\n",
        "AKIAZZZZ1234567890",
    ),
    (
        "client secret",
        "{\"aadClientSecret\": \"sp-secret-value-42\"}\n",
        "sp-secret-value-42",
    ),
    (
        "bearer token",
        "Authorization: Bearer tok3nValue9876543\n",
        "tok3nValue9876543",
    ),
    (
        "JWT",
        "sa eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlMTIz\n",
        "c2lnbmF0dXJlMTIz",
    ),
    (
        "bootstrap token",
        "--token=07401b.f395accd246ae52d\n",
        "f395accd246ae52d",
    ),
    (
        "kubeconfig token",
        "    token: kc-user-token-abcdef\n",
        "kc-user-token-abcdef",
    ),
    (
        "kubeconfig client key",
        "    client-key-data: LS0tQ0xJRU5US0VZ\n",
        "LS0tQ0xJRU5US0VZ",
    ),
    (
        "kubeconfig client cert",
        "    client-certificate-data: LS0tQ0xJRU5UQ0VSVA==\n",
        "LS0tQ0xJRU5UQ0VSVA==",
    ),
    (
        "connection string",
        "Server=db;User Id=sa;Password=C0nnPass!;Database=x\n",
        "C0nnPass!",
    ),
    (
        "storage account key",
        "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=U3RvcmFnZUtleQ==;\n",
        "U3RvcmFnZUtleQ==",
    ),
    (
        "SAS token",
        "https://st.blob.core.windows.net/c/f?sv=2022-11-02&sig=SASsig%2Bvalue&se=2026\n",
        "SASsig%2Bvalue",
    ),
    (
        "private key",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEprivatekeybody\n-----END RSA PRIVATE KEY-----\n",
        "MIIEprivatekeybody",
    ),
    (
        "certificate",
        "-----BEGIN CERTIFICATE-----\nMIIDcertificatebody\n-----END CERTIFICATE-----\n",
        "MIIDcertificatebody",
    ),
];

fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut b = vec![0xff, 0xfe];
    b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    b
}

fn all_bytes_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_bytes_under(&p));
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    let u16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        || bytes.windows(u16.len()).any(|w| w == u16.as_slice())
}

#[test]
fn a_bundle_with_one_secret_of_every_kind_holds_none_after_redact() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("bundle");
    std::fs::create_dir_all(src.join("k8s")).unwrap();
    let all: String = SECRETS.iter().map(|s| s.1).collect();
    // The same secrets in UTF-8 and in UTF-16LE with BOM (as Windows PowerShell writes).
    std::fs::write(src.join("k8s/config-dump.txt"), &all).unwrap();
    std::fs::write(src.join("k8s/ps-output.txt"), utf16le_bom(&all)).unwrap();
    // Whole files that are credentials by name or by content.
    std::fs::write(src.join("k8s/calico-kubeconfig"), "apiVersion: v1\n").unwrap();
    std::fs::write(
        src.join("k8s/other.conf"),
        "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: inner-kc-token-zz\n",
    )
    .unwrap();
    std::fs::write(src.join("k8s/client.key"), "anything-keyish-zz").unwrap();
    for (input, out) in [(src.clone(), tmp.path().join("out"))] {
        hnsdoctor()
            .args(["redact"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let files = all_bytes_under(&out);
        assert_eq!(files.len(), 2, "withheld files must be gone: {files:?}");
        for (kind, _, secret) in SECRETS {
            for (path, bytes) in &files {
                assert!(!holds(bytes, secret), "{kind} ({secret}) left in {path}");
            }
        }
        for secret in ["inner-kc-token-zz", "anything-keyish-zz"] {
            assert!(files.iter().all(|(_, b)| !holds(b, secret)), "{secret}");
        }
        // UTF-16LE stays UTF-16LE with its BOM; text around the secrets stays.
        let ps = files
            .iter()
            .find(|f| f.0.ends_with("ps-output.txt"))
            .unwrap();
        assert!(ps.1.starts_with(&[0xff, 0xfe]));
        assert!(holds(&ps.1, "AccountName=st;"));
        assert!(holds(&ps.1, "-----BEGIN CERTIFICATE-----"));
    }
    // The same through a zip: entries redacted, the output a zip.
    let zip_in = tmp.path().join("b.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_in).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("bundle/k8s/a.txt", o).unwrap();
        std::io::Write::write_all(&mut z, all.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let zip_out = tmp.path().join("shared.zip");
    hnsdoctor()
        .args(["redact"])
        .arg(&zip_in)
        .arg("--out")
        .arg(&zip_out)
        .assert()
        .success();
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip_out).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut z.by_name("bundle/k8s/a.txt").unwrap(), &mut text).unwrap();
    for (kind, _, secret) in SECRETS {
        assert!(!text.contains(secret), "{kind} left in the zip");
    }
}

/// Whether `needle` occurs as a whole address (not inside a longer number) in UTF-8 or
/// UTF-16LE text.
fn holds_token(bytes: &[u8], needle: &str) -> bool {
    let text = if bytes.starts_with(&[0xff, 0xfe]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    };
    let addr_char = |c: char| c.is_ascii_hexdigit() || c == '.' || c == ':' || c == '/';
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !before.is_some_and(addr_char) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

fn finding_ids(path: &Path) -> BTreeSet<String> {
    let out = hnsdoctor()
        .args(["analyze", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn obfuscation_keeps_the_finding_ids_of_every_example() {
    let tmp = tempfile::tempdir().unwrap();
    let examples = repo_root().join("examples");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for ex in entries {
        let name = ex.file_name().unwrap().to_string_lossy().into_owned();
        if name == "README.md" || name.ends_with(".py") {
            continue;
        }
        let out = tmp.path().join(&name);
        hnsdoctor()
            .args(["redact", "--obfuscate", "--keyword", "contoso"])
            .arg(&ex)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let before = finding_ids(&ex);
        let after = finding_ids(&out);
        assert!(!before.is_empty(), "{name}: no findings at all");
        assert_eq!(before, after, "{name}: finding ids changed by --obfuscate");
        // The mapping is beside the output, private, and not inside it.
        let mapping = tmp.path().join(format!("{name}.mapping.json"));
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&mapping).unwrap()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&mapping).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{name}: mapping readable by others");
        }
        // Every original address it replaced is gone from the output.
        let files: Vec<(String, Vec<u8>)> = if out.is_dir() {
            all_bytes_under(&out)
        } else {
            vec![(name.clone(), std::fs::read(&out).unwrap())]
        };
        assert!(files.iter().all(|f| !f.0.ends_with("mapping.json")));
        // (A stand-in can be equal to another original address: the keyed permutation is a
        // bijection of the address space, so some address maps onto every original one. Such a
        // token is then a stand-in, not a leftover.)
        let addresses = m["addresses"].as_object().unwrap();
        let stand_ins: std::collections::HashSet<&str> = addresses
            .values()
            .filter_map(|v| v.as_str())
            .flat_map(|v| [v, v.split('/').next().unwrap_or(v)])
            .collect();
        for orig in addresses.keys() {
            if stand_ins.contains(orig.as_str()) {
                continue;
            }
            for (path, bytes) in &files {
                assert!(
                    !holds_token(bytes, orig),
                    "{path}: {orig} left after --obfuscate"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} examples checked");
}
