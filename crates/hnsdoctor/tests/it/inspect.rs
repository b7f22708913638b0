//! `hnsdoctor inspect` end to end on the four kinds of input: stdin, a file, a folder, a zip;
//! plus the exit-3 cases (missing path, empty input, nothing recognised).

use crate::util::{hnsdoctor, repo_root};
use std::io::Write;
use std::path::Path;

const NETSH_PASTE: &str = "PS C:\\k> netsh int ipv4 show excludedportrange protocol=tcp\r\n\r\n\
Protocol tcp Port Exclusion Ranges\r\n\r\n\
Start Port    End Port\r\n\
----------    --------\r\n\
      5357        5357\r\n\
     50000       50059     *\r\n\r\n\
* - Administered port exclusions.\r\n\r\n\
PS C:\\k> netsh int ipv4 show dynamicportrange protocol=tcp\r\n\r\n\
Protocol tcp Dynamic Port Range\r\n\
---------------------------------\r\n\
Start Port      : 49152\r\n\
Number of Ports : 16384\r\n\r\n\
PS C:\\k>\r\n";

fn legacy_dir() -> std::path::PathBuf {
    repo_root().join("examples/legacy-collectlogs-ws2019")
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn zip_dir(dir: &Path, top: &str, dest: &Path) {
    let f = std::fs::File::create(dest).unwrap();
    let mut w = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            w.start_file(format!("{top}/{rel}"), opts).unwrap();
            w.write_all(&std::fs::read(&p).unwrap()).unwrap();
        }
    }
    w.finish().unwrap();
}

#[test]
fn stdin_paste_is_split_by_prompt_and_parsed() {
    let out = hnsdoctor()
        .args(["inspect", "-"])
        .write_stdin(NETSH_PASTE)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Input: <stdin> (stdin)"), "{text}");
    assert!(
        text.contains("paste#1") && text.contains("netsh-excludedportrange"),
        "{text}"
    );
    assert!(
        text.contains("paste#2") && text.contains("netsh-dynamicportrange"),
        "{text}"
    );
    assert!(text.contains("excluded ranges  2"), "{text}");
}

#[test]
fn file_paste_as_json() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("issue-1234.txt");
    std::fs::write(&p, NETSH_PASTE).unwrap();
    let out = hnsdoctor()
        .args(["inspect", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v = json_of(&out);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["input"]["kind"], "file");
    let inputs = v["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0]["source"], "issue-1234.txt#1");
    assert_eq!(inputs[0]["format"], "netsh-excludedportrange");
    assert_eq!(inputs[0]["encoding"], "ascii");
    let excluded = v["model"]["ports"]["excluded"].as_array().unwrap();
    assert_eq!(excluded.len(), 2);
    // provenance points into the pasted file: `     50000 …` is line 8
    assert_eq!(excluded[1]["prov"]["line"], 8);
    assert_eq!(v["model"]["ports"]["dynamic"][0]["start"], 49152);
}

#[test]
fn legacy_folder_is_recognised() {
    let out = hnsdoctor()
        .args(["inspect", "--format", "json"])
        .arg(legacy_dir())
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(v["input"]["kind"], "legacy-collect-logs");
    let inputs = v["inputs"].as_array().unwrap();
    let excl = inputs
        .iter()
        .find(|s| s["source"] == "excludedportrange.txt")
        .expect("excludedportrange.txt listed");
    assert_eq!(excl["format"], "netsh-excludedportrange");
    assert_eq!(excl["encoding"], "utf-16le-bom");
    assert!(excl["refused"].is_null(), "{excl}");
    assert!(!v["model"]["ports"]["excluded"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(out.status.success());
    // every file of the folder is accounted for
    let files = std::fs::read_dir(legacy_dir()).unwrap().count();
    assert!(
        inputs.len() >= files - 1,
        "{} inputs for {files} entries",
        inputs.len()
    );
}

#[test]
fn legacy_zip_with_a_top_folder() {
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("collectlogs.zip");
    zip_dir(&legacy_dir(), "xy3k2c1d.4fe", &z);
    let out = hnsdoctor().args(["inspect"]).arg(&z).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("(legacy CollectLogs output, top folder xy3k2c1d.4fe/)"),
        "{text}"
    );
    assert!(text.contains("dynamicportrange.txt"), "{text}");
    assert!(text.contains("utf-16le-bom"), "{text}");
}

#[test]
fn missing_path_exits_3_naming_it() {
    let out = hnsdoctor()
        .args(["inspect", "/no/such/collectlogs-folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/no/such/collectlogs-folder"), "{err}");
}

#[test]
fn empty_stdin_exits_3() {
    let out = hnsdoctor()
        .args(["inspect", "-"])
        .write_stdin("\r\n   \r\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
}

#[test]
fn unrecognised_text_is_listed_then_exits_3() {
    let out = hnsdoctor()
        .args(["inspect", "-"])
        .write_stdin("my pods cannot reach the service, please help\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("unknown"), "{text}");
    assert!(text.contains("skipped line 1"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing recognised"));
}

#[test]
fn binary_file_exits_3_naming_it() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("hns.etl");
    std::fs::write(&p, [0u8, 1, 2, 3, 0, 0, 9, 9, 0, 0, 0, 1]).unwrap();
    let out = hnsdoctor().arg("inspect").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hns.etl"));
}

#[test]
fn each_block_shows_its_normalisation_and_the_format_chosen_with_its_score() {
    // A provisioning log: every output line carries `    node1: `, the banner `==> node1:`.
    let paste = "==> node1: Checking ports\n    node1: Protocol tcp Dynamic Port Range\n    node1: ---------------------------------\n    node1: Start Port      : 1025\n    node1: Number of Ports : 64510\n    node1:\n";
    let out = hnsdoctor()
        .args(["inspect", "-"])
        .write_stdin(paste)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("normalised: removed a `node1:` line prefix from 6 line(s)"),
        "{text}"
    );
    assert!(
        text.contains("format chosen by content (score 90)"),
        "{text}"
    );
    assert!(text.contains("netsh-dynamicportrange"), "{text}");
    let out = hnsdoctor()
        .args(["inspect", "-", "--format", "json"])
        .write_stdin(paste)
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(v["inputs"][0]["selected_by"], "content (score 90)", "{v:#}");
    assert!(v["inputs"][0]["normalised"][0]
        .as_str()
        .is_some_and(|n| n.contains("node1")));
}
