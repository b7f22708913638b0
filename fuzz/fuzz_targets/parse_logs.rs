//! Parsers of the logs family (see `hnsdoctor_fuzz::LOGS`); the first byte picks the format.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hnsdoctor_fuzz::run_family(hnsdoctor_fuzz::LOGS, data));
