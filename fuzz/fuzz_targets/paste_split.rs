//! The paste splitter: prompts, command echoes, format changes, the alternative reading.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for section in hnsdoctor_bundle::paste::split(&text) {
        let _ = hnsdoctor_bundle::paste::alt_reading(&section.text);
    }
});
