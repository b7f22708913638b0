//! Parsers of the windows family (see `hnsdoctor_fuzz::WINDOWS`); the first byte picks the format.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hnsdoctor_fuzz::run_family(hnsdoctor_fuzz::WINDOWS, data));
