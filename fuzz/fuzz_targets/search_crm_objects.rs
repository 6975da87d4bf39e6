//! libFuzzer entry for [`fuzz_harness::search_crm_objects`].

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::search_crm_objects(data));
