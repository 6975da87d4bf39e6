//! Two crates registering the same tool name: `build()` fails and names both places.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use fixture_tools_a as _;

use mcp_runtime::{McpServer, prelude::*};

/// Clashes with `fixture_tools_a::fixture_a_greet`.
#[mcp_tool(name = "fixture_a_greet")]
fn impostor() -> &'static str {
    "not the real one"
}

#[test]
fn duplicate_names_across_crates_fail_build_with_both_locations() {
    let err = McpServer::builder().build().unwrap_err();
    let text = err.to_string();
    assert_eq!(err.problems().len(), 1, "{text}");
    assert!(
        text.contains("tool name `fixture_a_greet` is registered twice"),
        "{text}"
    );
    assert!(text.contains("tests/fixtures/tools-a/src/lib.rs"), "{text}");
    assert!(text.contains("tests/tests/duplicate_names.rs"), "{text}");
    assert_eq!(impostor(), "not the real one");
}
