//! libFuzzer entry for [`fuzz_harness::dsl_query`].

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::dsl_query(data));
