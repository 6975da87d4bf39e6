//! Compile-time behaviour of `#[mcp_tool]`: `pass/` must compile, `fail/` must fail with
//! exactly the committed `.stderr`. Regenerate with `TRYBUILD=overwrite cargo test -p
//! mcp-tool-macros --test ui` and review every changed `.stderr` like code.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
