//! The paste splitter: prompts, command echoes, format changes, the alternative reading.
//! Differential: splitting an owned paste (which may reuse the input's string) reads exactly as
//! splitting a borrowed one, and the format-change cut returns runs of the section's own lines.
#![no_main]
use hnsdoctor_bundle::paste;
use libfuzzer_sys::fuzz_target;

/// A cheap stand-in for format detection: a few words pick a "format", strongly or weakly.
fn scores(t: &str) -> Vec<(&'static str, u8)> {
    let mut v = Vec::new();
    for (word, id, score) in [
        ("Configuration", "ipconfig", 90),
        ("Port", "ports", 80),
        (" : ", "list", 40),
        ("{", "json", 65),
    ] {
        if t.contains(word) {
            v.push((id, score));
        }
    }
    v
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sections = paste::split(&text);
    assert_eq!(paste::split_owned(text.to_string()), sections);
    for section in &sections {
        let _ = paste::alt_reading(&section.text);
        for piece in paste::split_on_format_change(&section.text, section.first_line, &scores) {
            assert!(section.text.contains(piece.text));
            assert!(piece.first_line >= section.first_line);
        }
    }
});
