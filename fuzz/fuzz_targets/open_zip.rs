//! Opening a zip (bundle or CollectLogs): guards, manifest, per-entry decoding. The input is
//! written to one temporary file per process and opened by path, as `analyze x.zip` does.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn path() -> &'static std::path::Path {
    static P: OnceLock<std::path::PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        std::env::temp_dir().join(format!("hnsdoctor-fuzz-{}.zip", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    // Only zips: other bytes take the single-file path, which `analyze_file` covers.
    if !data.starts_with(b"PK") {
        return;
    }
    std::fs::write(path(), data).expect("write the fuzz input to a temporary file");
    if let Ok(opened) = hnsdoctor_bundle::open(&path().to_string_lossy()) {
        let _ = hnsdoctor_parse::assemble::assemble(&opened);
    }
});
