//! The whole single-file analyze path without rendering: open (decode, split) → assemble →
//! rules.
#![no_main]
use hnsdoctor_bundle::InputKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(opened) = hnsdoctor_bundle::open::open_paste_bytes("fuzz.txt", "fuzz.txt", InputKind::File, data) else {
        return;
    };
    let model = hnsdoctor_parse::assemble::assemble(&opened);
    let _ = hnsdoctor_rules::run(&model, &hnsdoctor_rules::Options::default());
});
