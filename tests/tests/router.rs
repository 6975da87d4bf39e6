//! In-process tests of the HTTP router: every transport and protocol error path, both eras.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

mod common;

use std::time::Duration;

use common::{LEGACY, MODERN, legacy, modern, post_raw, send};
use mcp_runtime::{HttpConfig, McpServer, prelude::*};
use serde_json::{Value, json};

/// Echoes its input.
#[mcp_tool(read_only)]
fn echo(
    /// Text to echo.
    text: String,
) -> String {
    text
}

/// Adds two integers.
#[mcp_tool]
fn add(a: i64, b: i64) -> Sum {
    Sum { sum: a + b }
}

/// A sum.
#[derive(serde::Serialize, schemars::JsonSchema)]
struct Sum {
    sum: i64,
}

/// Always fails.
#[mcp_tool]
fn fail() -> Result<String, String> {
    Err("the widget is out of stock; try another widget id".to_owned())
}

/// Panics.
#[mcp_tool]
#[allow(clippy::panic, reason = "the test is about panics")]
fn boom() -> String {
    panic!("kaboom")
}

/// Never finishes in time.
#[mcp_tool]
async fn slow() -> String {
    tokio::time::sleep(Duration::from_secs(30)).await;
    "late".to_owned()
}

/// Reports progress and logs.
#[mcp_tool]
async fn chatty(#[ctx] reporter: Reporter) -> &'static str {
    reporter.progress(1.0, Some(2.0), Some("half")).await;
    reporter.debug("debug detail").await;
    reporter.warning("careful").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    reporter.progress(2.0, Some(2.0), None).await;
    "done"
}

/// Needs sampling.
#[mcp_tool(client_capabilities = ["sampling"])]
fn sampler() -> &'static str {
    "sampled"
}

fn app() -> axum::Router {
    McpServer::builder()
        .name("router-test")
        .version("1.2.3")
        .call_timeout(Duration::from_millis(200))
        .tools_page_size(3)
        .http(HttpConfig::default().body_limit(64 * 1024))
        .build()
        .unwrap()
        .router()
}

fn call(name: &str, arguments: Value) -> Value {
    let mut params = json!({ "name": name });
    params["arguments"] = arguments;
    params
}

// ---------------------------------------------------------------- transport

#[tokio::test]
async fn bad_json_is_a_parse_error() {
    let r = post_raw(&app(), "/mcp", "{not json", &[]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), -32700);
    assert_eq!(r.json()["id"], Value::Null);
}

#[tokio::test]
async fn not_a_request_object_is_invalid() {
    let r = post_raw(&app(), "/mcp", r#"{"jsonrpc":"2.0","id":1}"#, &[]).await;
    assert_eq!((r.status, r.error_code()), (400, -32600));
    let r = post_raw(
        &app(),
        "/mcp",
        r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
        &[],
    )
    .await;
    assert_eq!((r.status, r.error_code()), (400, -32600));
    let r = post_raw(&app(), "/mcp", r#""just a string""#, &[]).await;
    assert_eq!((r.status, r.error_code()), (400, -32600));
}

#[tokio::test]
async fn malformed_params_are_32602_with_the_id() {
    for params in ["[1]", r#"{"name":5}"#, r#"{"_meta":"x"}"#] {
        let body = format!(r#"{{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{params}}}"#);
        let r = post_raw(&app(), "/mcp", body, &[]).await;
        assert_eq!(
            (r.status, r.error_code()),
            (200, -32602),
            "{params}: {}",
            r.body
        );
        assert_eq!(r.json()["id"], 5);
    }
}

#[tokio::test]
async fn null_and_object_ids_are_invalid() {
    for id in ["null", "{}", "[1]", "1.5", "true"] {
        let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
        let r = post_raw(&app(), "/mcp", body, &[]).await;
        assert_eq!(
            (r.status, r.error_code()),
            (400, -32600),
            "id {id}: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let r = post_raw(&app(), "/mcp", "{}", &[("content-type", "text/plain")]).await;
    assert_eq!(r.status, 415);
    assert_eq!(r.error_code(), -32600);
}

#[tokio::test]
async fn accept_must_list_json_and_sse() {
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    let r = post_raw(&app(), "/mcp", ping, &[("accept", "application/json")]).await;
    assert_eq!(r.status, 406);
    let r = post_raw(&app(), "/mcp", ping, &[("accept", "text/event-stream")]).await;
    assert_eq!(r.status, 406);
    let r = post_raw(&app(), "/mcp", ping, &[("accept", "*/*")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn oversized_body_is_413() {
    let big = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"ping","params":{{"pad":"{}"}}}}"#,
        "x".repeat(70_000)
    );
    let r = post_raw(&app(), "/mcp", big, &[]).await;
    assert_eq!(r.status, 413, "{}", r.body);
}

#[tokio::test]
async fn dns_rebinding_is_403() {
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    let cases: [(&[(&str, &str)], u16); 5] = [
        (
            &[
                ("host", "evil.example.com"),
                ("origin", "http://evil.example.com"),
            ],
            403,
        ),
        (
            &[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://evil.example.com"),
            ],
            403,
        ),
        (&[("host", "127.0.0.1:8080"), ("origin", "null")], 403),
        (
            &[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080"),
            ],
            200,
        ),
        (&[("host", "LOCALHOST:1")], 200),
    ];
    for (headers, status) in cases {
        let r = post_raw(&app(), "/mcp", ping, headers).await;
        assert_eq!(r.status, status, "{headers:?}: {}", r.body);
    }
}

#[tokio::test]
async fn get_and_delete_are_405() {
    for method in ["GET", "DELETE"] {
        let request = http::Request::builder()
            .method(method)
            .uri("/mcp")
            .body(axum::body::Body::empty())
            .unwrap();
        let r = send(&app(), request).await;
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.headers.get("allow").unwrap(), "POST");
    }
}

#[tokio::test]
async fn healthz() {
    let r = send(
        &app(),
        http::Request::get("/healthz")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn notifications_and_responses_are_202() {
    let r = post_raw(
        &app(),
        "/mcp",
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        &[],
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (202, ""));
    let r = post_raw(
        &app(),
        "/mcp",
        r#"{"jsonrpc":"2.0","id":"s-1","result":{}}"#,
        &[],
    )
    .await;
    assert_eq!(r.status, 202);
}

#[tokio::test]
async fn unknown_protocol_version_header_is_400() {
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    let r = post_raw(
        &app(),
        "/mcp",
        ping,
        &[("mcp-protocol-version", "1999-01-01")],
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["id"], 1);
}

// ---------------------------------------------------------------- legacy lifecycle

#[tokio::test]
async fn initialize_negotiates_and_never_issues_a_session() {
    let app = app();
    for (asked, answered) in [
        ("2025-11-25", "2025-11-25"),
        ("2025-06-18", "2025-06-18"),
        ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2025-11-25"),
        ("2031-01-01", "2025-11-25"),
    ] {
        let params = json!({"protocolVersion": asked, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}});
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params});
        let r = post_raw(&app, "/mcp", body.to_string(), &[]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.headers.get("mcp-session-id").is_none());
        let result = &r.json()["result"];
        assert_eq!(result["protocolVersion"], answered);
        assert_eq!(result["serverInfo"]["name"], "router-test");
        assert_eq!(result["serverInfo"]["version"], "1.2.3");
        assert_eq!(
            result["capabilities"]["tools"],
            json!({"listChanged": false})
        );
    }
}

#[tokio::test]
async fn ping_and_set_level_return_empty_objects() {
    let app = app();
    assert_eq!(
        legacy(&app, "ping", json!({})).await.json()["result"],
        json!({})
    );
    assert_eq!(
        legacy(&app, "logging/setLevel", json!({"level": "debug"}))
            .await
            .json()["result"],
        json!({})
    );
    assert_eq!(
        legacy(&app, "logging/setLevel", json!({"level": "loud"}))
            .await
            .error_code(),
        -32602
    );
}

#[tokio::test]
async fn unknown_method_is_32601() {
    let r = legacy(&app(), "resources/list", json!({})).await;
    assert_eq!((r.status, r.error_code()), (200, -32601));
}

#[tokio::test]
async fn batches_only_in_2025_03_26() {
    let batch = r#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":2}}}]"#;
    let r = post_raw(&app(), "/mcp", batch, &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let replies = r.json();
    assert_eq!(replies.as_array().unwrap().len(), 2);
    assert_eq!(replies[0]["id"], 1);
    // 2025-03-26 has no structured output: the text mirror carries the value.
    assert_eq!(replies[1]["result"]["content"][0]["text"], r#"{"sum":3}"#);
    assert!(replies[1]["result"].get("structuredContent").is_none());
    let r = post_raw(&app(), "/mcp", batch, &[("mcp-protocol-version", LEGACY)]).await;
    assert_eq!((r.status, r.error_code()), (400, -32600));
    let r = post_raw(&app(), "/mcp", "[]", &[]).await;
    assert_eq!((r.status, r.error_code()), (400, -32600));
}

// ---------------------------------------------------------------- tools

/// Every tool, following `nextCursor` (the test server pages by 3).
async fn all_tools(app: &axum::Router) -> Vec<Value> {
    let mut tools = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let params = match &cursor {
            Some(c) => json!({"cursor": c}),
            None => json!({}),
        };
        let r = legacy(app, "tools/list", params).await;
        let result = r.json()["result"].clone();
        let page = result["tools"].as_array().unwrap().clone();
        assert!(page.len() <= 3);
        tools.extend(page);
        match result.get("nextCursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => return tools,
        }
    }
}

#[tokio::test]
async fn tools_list_pages_deterministically() {
    let app = app();
    let names: Vec<Value> = all_tools(&app)
        .await
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(
        names,
        json!(["add", "boom", "chatty", "echo", "fail", "sampler", "slow"])
            .as_array()
            .unwrap()
            .clone()
    );
    assert_eq!(all_tools(&app).await.len(), names.len());
    let r = legacy(&app, "tools/list", json!({"cursor": "garbage!"})).await;
    assert_eq!(r.error_code(), -32602);
}

#[tokio::test]
async fn tool_entries_carry_schemas_and_hints() {
    let tools = all_tools(&app()).await;
    let echo = tools.iter().find(|t| t["name"] == "echo").unwrap().clone();
    assert_eq!(echo["description"], "Echoes its input.");
    assert_eq!(echo["inputSchema"]["type"], "object");
    assert_eq!(
        echo["inputSchema"]["properties"]["text"]["description"],
        "Text to echo."
    );
    assert_eq!(echo["inputSchema"]["required"], json!(["text"]));
    assert_eq!(echo["annotations"], json!({"readOnlyHint": true}));
    assert!(echo.get("outputSchema").is_none());
    let add = tools.iter().find(|t| t["name"] == "add").unwrap().clone();
    assert_eq!(add["outputSchema"]["properties"]["sum"]["type"], "integer");
}

#[tokio::test]
async fn structured_output_has_a_text_mirror() {
    let r = legacy(&app(), "tools/call", call("add", json!({"a": 2, "b": 3}))).await;
    let result = &r.json()["result"];
    assert_eq!(result["structuredContent"], json!({"sum": 5}));
    assert_eq!(
        result["content"],
        json!([{"type": "text", "text": "{\"sum\":5}"}])
    );
    assert_eq!(result["isError"], false);
}

#[tokio::test]
async fn unknown_tool_is_32602() {
    let r = legacy(&app(), "tools/call", call("nope", json!({}))).await;
    assert_eq!((r.status, r.error_code()), (200, -32602));
    assert!(r.body.contains("nope"));
}

#[tokio::test]
async fn bad_arguments_are_an_error_result() {
    let app = app();
    for (args, expected) in [
        (
            json!({"a": "x", "b": 1}),
            "`a`: invalid type: string \"x\", expected i64.",
        ),
        (json!({"a": 1}), ": missing field `b`."),
        (
            json!({"a": 1, "b": 2, "c": 3}),
            ": unknown field `c`, expected `a` or `b`.",
        ),
    ] {
        let r = legacy(&app, "tools/call", call("add", args.clone())).await;
        let result = &r.json()["result"];
        assert_eq!(result["isError"], true, "{args}: {}", r.body);
        let text = result["content"][0]["text"].as_str().unwrap();
        assert!(
            text.starts_with("Invalid arguments for tool `add`"),
            "{text}"
        );
        assert!(text.contains(expected), "{text}");
        assert!(!text.contains("line 1"), "{text}");
    }
    let r = legacy(&app, "tools/call", call("add", json!([1, 2]))).await;
    assert_eq!(r.error_code(), -32602);
    // Missing `arguments` means `{}`.
    let r = legacy(&app, "tools/call", json!({"name": "echo"})).await;
    assert_eq!(r.json()["result"]["isError"], true);
}

#[tokio::test]
async fn tool_error_is_an_error_result() {
    let r = legacy(&app(), "tools/call", call("fail", json!({}))).await;
    let result = &r.json()["result"];
    assert_eq!(result["isError"], true);
    assert_eq!(
        result["content"][0]["text"],
        "the widget is out of stock; try another widget id"
    );
}

#[tokio::test]
async fn tool_panic_is_an_error_result_and_the_server_lives() {
    let app = app();
    let r = legacy(&app, "tools/call", call("boom", json!({}))).await;
    let result = &r.json()["result"];
    assert_eq!(result["isError"], true);
    assert!(
        result["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("kaboom")
    );
    let r = legacy(
        &app,
        "tools/call",
        call("echo", json!({"text": "still here"})),
    )
    .await;
    assert_eq!(r.json()["result"]["content"][0]["text"], "still here");
}

#[tokio::test]
async fn timeout_is_an_error_result() {
    let r = legacy(&app(), "tools/call", call("slow", json!({}))).await;
    let result = &r.json()["result"];
    assert_eq!(result["isError"], true);
    assert!(
        result["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("did not finish within 200 ms")
    );
}

#[tokio::test]
async fn notifications_switch_the_reply_to_sse() {
    let params = json!({"name": "chatty", "arguments": {}, "_meta": {"progressToken": "p-1"}});
    let r = legacy(&app(), "tools/call", params).await;
    let events = r.events();
    let methods: Vec<&str> = events
        .iter()
        .map(|e| e["method"].as_str().unwrap_or("<response>"))
        .collect();
    // Legacy default level is `info`: the debug line is filtered, the warning goes through.
    assert_eq!(
        methods,
        [
            "notifications/progress",
            "notifications/message",
            "notifications/progress",
            "<response>"
        ]
    );
    assert_eq!(
        events[0]["params"],
        json!({"progressToken": "p-1", "progress": 1.0, "total": 2.0, "message": "half"})
    );
    assert_eq!(events[1]["params"]["level"], "warning");
    assert_eq!(events[3]["result"]["content"][0]["text"], "done");
    assert_eq!(events[3]["id"], 1);
}

#[tokio::test]
async fn no_notifications_means_plain_json() {
    let r = legacy(&app(), "tools/call", call("echo", json!({"text": "x"}))).await;
    assert_eq!(r.content_type(), "application/json");
}

// ---------------------------------------------------------------- 2026-07-28

#[tokio::test]
async fn discover_describes_the_server() {
    let r = modern(&app(), "server/discover", json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let result = &r.json()["result"];
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["supportedVersions"], json!([MODERN]));
    assert!(result["capabilities"]["tools"].is_object());
    assert!(result["ttlMs"].is_u64());
    assert_eq!(result["cacheScope"], "public");
    assert_eq!(
        result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "router-test"
    );
}

#[tokio::test]
async fn modern_results_carry_result_type_and_cache_fields() {
    let app = app();
    let r = modern(&app, "tools/list", json!({})).await;
    let result = &r.json()["result"];
    assert_eq!(result["resultType"], "complete");
    assert!(result["ttlMs"].is_u64());
    assert_eq!(result["cacheScope"], "public");
    let r = modern(&app, "tools/call", call("add", json!({"a": 1, "b": 1}))).await;
    let result = &r.json()["result"];
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["structuredContent"], json!({"sum": 2}));
}

#[tokio::test]
async fn modern_logs_only_when_asked() {
    let app = app();
    let r = modern(&app, "tools/call", call("chatty", json!({}))).await;
    assert_eq!(r.content_type(), "application/json", "{}", r.body);
    let mut params = call("chatty", json!({}));
    params["_meta"]["io.modelcontextprotocol/logLevel"] = "debug".into();
    let r = modern(&app, "tools/call", params).await;
    let levels: Vec<Value> = r
        .events()
        .iter()
        .filter_map(|e| e["params"].get("level").cloned())
        .collect();
    assert_eq!(levels, [json!("debug"), json!("warning")]);
}

#[tokio::test]
async fn modern_missing_meta_is_400_32602() {
    let body = r#"{"jsonrpc":"2.0","id":101,"method":"server/discover","params":{}}"#;
    let r = post_raw(
        &app(),
        "/mcp",
        body,
        &[
            ("mcp-protocol-version", MODERN),
            ("mcp-method", "server/discover"),
        ],
    )
    .await;
    assert_eq!((r.status, r.error_code()), (400, -32602));
    assert_eq!(r.json()["id"], 101);
}

#[tokio::test]
async fn modern_version_errors() {
    let meta = |v: &str| json!({"io.modelcontextprotocol/protocolVersion": v, "io.modelcontextprotocol/clientCapabilities": {}});
    let body = |v: &str| {
        json!({"jsonrpc": "2.0", "id": 301, "method": "server/discover", "params": {"_meta": meta(v)}}).to_string()
    };
    let r = post_raw(
        &app(),
        "/mcp",
        body("v999.0.0"),
        &[
            ("mcp-protocol-version", "v999.0.0"),
            ("mcp-method", "server/discover"),
        ],
    )
    .await;
    assert_eq!((r.status, r.error_code()), (400, -32022));
    assert_eq!(
        r.json()["error"]["data"],
        json!({"supported": [MODERN], "requested": "v999.0.0"})
    );
    let r = post_raw(
        &app(),
        "/mcp",
        body("v999.0.0"),
        &[
            ("mcp-protocol-version", MODERN),
            ("mcp-method", "server/discover"),
        ],
    )
    .await;
    assert_eq!((r.status, r.error_code()), (400, -32020));
    let r = post_raw(
        &app(),
        "/mcp",
        body(MODERN),
        &[("mcp-method", "server/discover")],
    )
    .await;
    assert_eq!((r.status, r.error_code()), (400, -32020));
}

#[tokio::test]
async fn modern_header_mismatch_is_32020() {
    let app = app();
    let params = json!({"name": "echo", "arguments": {"text": "x"}, "_meta": {
        "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}}});
    let body =
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": params}).to_string();
    for headers in [
        vec![("mcp-method", "tools/list"), ("mcp-name", "echo")],
        vec![("mcp-method", "TOOLS/CALL"), ("mcp-name", "echo")],
        vec![("mcp-name", "echo")],
        vec![("mcp-method", "tools/call"), ("mcp-name", "wrong")],
        vec![("mcp-method", "tools/call")],
    ] {
        let mut all = vec![("mcp-protocol-version", MODERN)];
        all.extend(headers.iter().copied());
        let r = post_raw(&app, "/mcp", body.clone(), &all).await;
        assert_eq!((r.status, r.error_code()), (400, -32020), "{headers:?}");
    }
    let ok = [
        ("mcp-protocol-version", MODERN),
        ("mcp-method", "tools/call"),
        ("mcp-name", "=?base64?ZWNobw==?="),
    ];
    let r = post_raw(&app, "/mcp", body, &ok).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn modern_missing_client_capability_is_32021() {
    let r = modern(&app(), "tools/call", call("sampler", json!({}))).await;
    assert_eq!((r.status, r.error_code()), (400, -32021));
    assert_eq!(
        r.json()["error"]["data"],
        json!({"requiredCapabilities": {"sampling": {}}})
    );
}

#[tokio::test]
async fn modern_removed_and_unknown_methods_are_404() {
    for method in ["initialize", "ping", "logging/setLevel", "unknown/method"] {
        let r = modern(&app(), method, json!({})).await;
        assert_eq!((r.status, r.error_code()), (404, -32601), "{method}");
    }
}
