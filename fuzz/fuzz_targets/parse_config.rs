//! Parsers of the config family (see `hnsdoctor_fuzz::CONFIG`); the first byte picks the format.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hnsdoctor_fuzz::run_family(hnsdoctor_fuzz::CONFIG, data));
