//! The text decoder: BOM sniffing, UTF-16LE/BE without BOM, 8-bit fallbacks, normalisation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = hnsdoctor_bundle::text::decode("fuzz.txt", data) {
        let _ = hnsdoctor_bundle::text::normalize(&d.text);
    }
    let _ = hnsdoctor_bundle::text::decode_code_page(data, 437);
});
