//! libFuzzer entry for [`fuzz_harness::request_state`].

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::request_state(data));
