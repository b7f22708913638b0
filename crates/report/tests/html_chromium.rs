//! The HTML report in a real browser: renders the sample report, opens it in headless
//! Chromium (offline: no network, fresh profile), takes a screenshot and dumps the DOM.
//! Asserts Chromium exits successfully, the screenshot is a real image, and the DOM holds every
//! finding id and the non-ASCII host name. Chromium comes from `tools/test.sh` (the README's
//! test command installs it from the distribution's packages when missing) or
//! `tools/ci-install.sh`; `HNSDOCTOR_CHROMIUM` names another binary. Without it this test fails
//! with that advice (it does not skip).

use hnsdoctor_report::test_fixture::sample_report;
use hnsdoctor_report::{render, Format, RenderOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("HNSDOCTOR_CHROMIUM").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    for name in ["chromium", "chromium-browser"] {
        for dir in on_path
            .iter()
            .map(PathBuf::as_path)
            .chain([Path::new("/usr/bin")])
        {
            let c = dir.join(name);
            if c.is_file() {
                return c;
            }
        }
    }
    panic!(
        "chromium not found (PATH, /usr/bin, HNSDOCTOR_CHROMIUM): run the tests with \
         `bash tools/test.sh`, which installs it (`apt-get install chromium`) when missing"
    );
}

fn out_dir() -> PathBuf {
    // inside the target dir, so the screenshot can be looked at after the run
    let base = option_env!("CARGO_TARGET_TMPDIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let d = base.join("html_chromium");
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("create {}: {e}", d.display()));
    d
}

fn base_args(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .chain(std::iter::once(format!(
        "--user-data-dir={}",
        profile.display()
    )))
    .collect()
}

#[test]
fn html_report_renders_in_chromium() {
    let bin = chromium();
    let dir = out_dir();
    let report = sample_report();
    let html = render(&report, Format::Html, &RenderOptions::default());
    let page = dir.join("report.html");
    std::fs::write(&page, &html).unwrap_or_else(|e| panic!("write {}: {e}", page.display()));
    let url = format!("file://{}", page.display());

    // screenshot
    let png = dir.join("report.png");
    let _ = std::fs::remove_file(&png);
    let profile = tempfile_dir(&dir, "profile-shot");
    let out = Command::new(&bin)
        .args(base_args(&profile))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2000")
        .arg(&url)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "chromium --screenshot failed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes =
        std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot {}: {e}", png.display()));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        bytes.len() > 40_000,
        "screenshot suspiciously small ({} bytes): blank page?",
        bytes.len()
    );

    // DOM
    let profile = tempfile_dir(&dir, "profile-dom");
    let out = Command::new(&bin)
        .args(base_args(&profile))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "chromium --dump-dom failed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    for f in &report.findings {
        assert!(
            dom.contains(&format!("data-id=\"{}\"", f.id)),
            "finding {} missing from the DOM",
            f.id
        );
    }
    assert!(dom.contains("ノード-01"), "host name mangled (charset?)");
    assert!(dom.contains("<table>"), "model tables missing");
}

fn tempfile_dir(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap_or_else(|e| panic!("create {}: {e}", p.display()));
    p
}
