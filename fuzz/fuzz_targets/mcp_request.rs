//! libFuzzer entry for [`fuzz_harness::mcp_request`].

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::mcp_request(data));
