//! Target (c): the `search_crm_objects` arguments (`objectType`, `filterGroups`, `sorts`,
//! `properties`, `query`, paging) through a real `tools/call`: argument decoding, the filter
//! checks into IR, the SQL compiler and the SQLite store.

use serde_json::{Value, json};

use crate::fixture::MCP_PATH;
use crate::http::{check, post, send};

/// Calls `search_crm_objects` with `data` as its arguments (JSON only: anything else never
/// reaches the tool, the router target covers it) and checks the reply.
pub fn search_crm_objects(data: &[u8]) {
    let Ok(arguments) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let body = json!({
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/call",
        "params": {"name": "search_crm_objects", "arguments": arguments},
    })
    .to_string()
    .into_bytes();
    let exchange = send(post(MCP_PATH, "2025-11-25", body.clone()));
    check(&exchange, &body);
    assert_eq!(exchange.status, 200, "{exchange:?}");
    let messages = exchange.messages();
    let [reply] = messages.as_slice() else {
        panic!("one JSON reply expected: {exchange:?}");
    };
    if let Some(result) = reply.get("result") {
        let failed = result.get("isError") == Some(&Value::Bool(true));
        let text = result["content"][0]["text"].as_str().unwrap_or("");
        assert!(
            !text.trim().is_empty(),
            "a result without text: {exchange:?}"
        );
        if !failed {
            assert!(
                result["structuredContent"]["results"].is_array(),
                "a successful search without results: {exchange:?}"
            );
        }
    } else {
        assert!(
            reply.get("error").is_some(),
            "neither result nor error: {exchange:?}"
        );
    }
}
