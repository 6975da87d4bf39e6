//! The registry across crates: exact tool lists, gateways, state requirements.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

mod common;

use fixture_tools_a as _;
use fixture_tools_b as _;

use common::{LEGACY, post_raw};
use mcp_runtime::{Gateway, McpServer, prelude::*};
use serde_json::json;

/// Configuration the tool below needs from the server.
#[derive(Debug)]
struct Greeting {
    text: &'static str,
}

/// Greets with the configured greeting.
#[mcp_tool]
fn configured_greet(name: String, #[ctx] greeting: State<Greeting>) -> String {
    format!("{}, {name}", greeting.text)
}

fn full() -> mcp_runtime::McpServerBuilder {
    McpServer::builder()
        .state(Greeting {
            text: "good morning",
        })
        .gateway(Gateway::new("fixtures", "/fixtures/mcp"))
}

/// The trap this guards: a crate whose tools are expected but that the binary never names is
/// not linked, and its tools are silently missing.
#[test]
fn exact_tool_list_across_crates() {
    let server = full().build().unwrap();
    assert_eq!(
        server.registry().names(),
        [
            "configured_greet",
            "fixture_a.count",
            "fixture_a_greet",
            "fixture_b_reverse"
        ]
    );
    assert_eq!(
        server.tool_names("default").unwrap(),
        ["configured_greet", "fixture_a.count", "fixture_a_greet"]
    );
    assert_eq!(
        server.tool_names("fixtures").unwrap(),
        ["fixture_a_greet", "fixture_b_reverse"]
    );
}

#[test]
fn missing_state_is_reported_at_build() {
    let err = McpServer::builder()
        .gateway(Gateway::new("fixtures", "/fixtures/mcp"))
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("tool `configured_greet`"), "{err}");
    assert!(err.contains("Greeting"), "{err}");
    assert!(err.contains("tests/tests/registry.rs"), "{err}");
}

#[test]
fn tool_on_no_mounted_gateway_is_reported_at_build() {
    let err = McpServer::builder()
        .state(Greeting { text: "hi" })
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(err.problems().len(), 1, "{text}");
    assert!(text.contains("tool `fixture_b_reverse`"), "{text}");
    assert!(text.contains("[\"fixtures\"]"), "{text}");
}

#[test]
fn gateway_paths_and_names_must_be_unique() {
    let err = full()
        .gateway(Gateway::new("other", "/fixtures/mcp"))
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("gateway path `/fixtures/mcp` is used twice"),
        "{err}"
    );
    let err = full()
        .gateway(Gateway::new("fixtures", "/x/mcp"))
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("gateway name `fixtures` is used twice"),
        "{err}"
    );
    let err = full()
        .gateway(Gateway::new("rel", "relative"))
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("must start with `/`"), "{err}");
}

#[tokio::test]
async fn each_gateway_serves_only_its_tools() {
    let app = full().build().unwrap().router();
    let call = |name: &str| {
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
               "params": {"name": name, "arguments": {"text": "abc"}}})
        .to_string()
    };
    let r = post_raw(&app, "/fixtures/mcp", call("fixture_b_reverse"), &[]).await;
    assert_eq!(r.json()["result"]["content"][0]["text"], "cba");
    let r = post_raw(&app, "/mcp", call("fixture_b_reverse"), &[]).await;
    assert_eq!(r.error_code(), -32602);
    let r = post_raw(&app, "/fixtures/mcp", call("fixture_a.count"), &[]).await;
    assert_eq!(r.error_code(), -32602);
    let r = post_raw(
        &app,
        "/mcp",
        call("fixture_a.count"),
        &[("mcp-protocol-version", LEGACY)],
    )
    .await;
    assert_eq!(r.json()["result"]["structuredContent"], json!({"words": 1}));
}

#[tokio::test]
async fn state_reaches_the_tool() {
    let app = full().build().unwrap().router();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": "configured_greet", "arguments": {"name": "Ada"}}});
    let r = post_raw(&app, "/mcp", body.to_string(), &[]).await;
    assert_eq!(
        r.json()["result"]["content"][0]["text"],
        "good morning, Ada"
    );
}
