//! libFuzzer entry for [`fuzz_harness::bearer_token`].

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::bearer_token(data));
