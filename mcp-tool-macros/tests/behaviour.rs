//! Runs what `#[mcp_tool]` generates: registration, the listed metadata and schemas, and real
//! `tools/call` round trips through the runtime's router (in process, no socket). Tools from
//! the two fixture crates check that registration works across crates.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failure is a failed test"
)]

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use http::Request;
use http_body_util::BodyExt as _;
use mcp_runtime::{Gateway, McpServer, prelude::*};
use serde_json::{Value, json};
use tower::ServiceExt as _;

// Tools in crates that no source file names are never linked; name both fixtures.
use fixture_tools_a as _;
use fixture_tools_b as _;

/// Adds two integers.
///
/// Longer text is kept, paragraphs too:
///
///     add(a = 1, b = 2) == 3
#[mcp_tool(title = "Add", read_only, idempotent, open_world = false)]
fn add(
    /// The first addend.
    a: i64,
    /// The second addend; 0 when absent.
    #[serde(default)]
    b: i64,
) -> Sum {
    Sum { sum: a + b }
}

/// The result of an addition.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
struct Sum {
    /// a + b
    sum: i64,
}

/// Divides, failing on zero.
#[mcp_tool(name = "math.divide")]
async fn divide(a: f64, b: f64) -> Result<Sum, String> {
    if b == 0.0 {
        return Err("division by zero: pass a non-zero `b`".to_owned());
    }
    #[allow(clippy::cast_possible_truncation, reason = "test data")]
    Ok(Sum {
        sum: (a / b) as i64,
    })
}

/// Shared state for `count`.
#[derive(Debug, Default)]
struct Counter(AtomicUsize);

/// Counts calls.
#[mcp_tool(scopes = ["counter.write"], destructive = false)]
async fn count(
    #[ctx] counter: State<Counter>,
    #[ctx] meta: RequestMeta,
    step: Option<usize>,
) -> String {
    let step = step.unwrap_or(1);
    let Counter(calls) = &*counter;
    let now = calls.fetch_add(step, Ordering::SeqCst) + step;
    format!("{} -> {now}", meta.tool_name())
}

/// A search query.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct Query {
    /// The text to look for.
    q: String,
    /// At most this many hits.
    limit: Option<u32>,
}

/// Searches with a structured query.
#[mcp_tool]
fn search(#[args] query: Query) -> Vec<Content> {
    let limit = query.limit.unwrap_or(2);
    (0..limit)
        .map(|i| Content::text(format!("{} #{i}", query.q)))
        .collect()
}

/// Raw identifiers: tool `type`, argument `match`.
#[mcp_tool]
fn r#type(r#match: String) -> String {
    r#match
}

/// Returns nothing.
#[mcp_tool]
fn nothing() {}

/// Docs of a tool with an explicit description.
#[mcp_tool(description = "Explicit description wins.", client_capabilities = ["sampling"])]
fn described() -> &'static str {
    "described"
}

fn server() -> McpServer {
    McpServer::builder()
        .name("behaviour")
        .state(Counter::default())
        .gateway(Gateway::new("fixtures", "/fixtures/mcp"))
        .build()
        .expect("the registry is valid")
}

async fn rpc(path: &str, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let request = Request::post(path)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .body(Body::from(body.to_string()))
        .expect("a valid request");
    let response = server()
        .router()
        .oneshot(request)
        .await
        .expect("the router answers");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    let reply: Value = serde_json::from_slice(&bytes).expect("a JSON reply");
    reply
        .get("result")
        .cloned()
        .unwrap_or_else(|| panic!("no result: {reply}"))
}

async fn call(name: &str, arguments: Value) -> Value {
    rpc(
        "/mcp",
        "tools/call",
        json!({"name": name, "arguments": arguments}),
    )
    .await
}

async fn listed(name: &str) -> Value {
    let list = rpc("/mcp", "tools/list", json!({})).await;
    let tools = list["tools"].as_array().expect("a tool list");
    tools
        .iter()
        .find(|t| t["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} not listed"))
}

#[test]
fn registers_every_tool_of_every_linked_crate() {
    let server = server();
    assert_eq!(
        server.registry().names(),
        [
            "add",
            "count",
            "described",
            "fixture_a.count",
            "fixture_a_greet",
            "fixture_b_reverse",
            "math.divide",
            "nothing",
            "search",
            "type",
        ]
    );
    assert_eq!(
        server.tool_names("fixtures").expect("the gateway exists"),
        ["fixture_a_greet", "fixture_b_reverse"]
    );
}

#[test]
fn descriptor_metadata() {
    let server = server();
    let add = server.registry().get("add").expect("add is registered");
    assert_eq!(add.title(), Some("Add"));
    assert_eq!(
        add.description(),
        "Adds two integers.\n\nLonger text is kept, paragraphs too:\n\n    add(a = 1, b = 2) == 3"
    );
    let hints = add.annotations();
    assert_eq!(
        (
            hints.read_only,
            hints.destructive,
            hints.idempotent,
            hints.open_world
        ),
        (Some(true), None, Some(true), Some(false))
    );
    assert!(add.scopes().is_empty() && add.gateways().is_empty());

    // The location is the function's name.
    let location = add.location();
    assert_eq!(location.file, file!());
    assert_eq!(location.module_path, module_path!());
    let source = include_str!("behaviour.rs");
    let line = source
        .lines()
        .nth(location.line as usize - 1)
        .expect("the line exists");
    assert_eq!(&line[location.column as usize - 1..][..3], "add");

    let count = server.registry().get("count").expect("count is registered");
    assert_eq!(count.scopes(), ["counter.write"]);
    assert_eq!(count.annotations().destructive, Some(false));
    let requirements = count.requirements();
    assert_eq!(
        requirements.len(),
        1,
        "State<Counter> only; RequestMeta needs nothing"
    );
    assert!(matches!(
        requirements[0],
        mcp_runtime::Requirement::State { type_name, .. } if type_name.ends_with("Counter")
    ));

    let described = server.registry().get("described").expect("registered");
    assert_eq!(described.description(), "Explicit description wins.");
    assert_eq!(described.client_capabilities(), ["sampling"]);
    assert!(add.client_capabilities().is_empty());
    let greet = server
        .registry()
        .get("fixture_a_greet")
        .expect("registered");
    assert_eq!(greet.gateways(), ["default", "fixtures"]);
    assert_eq!(greet.location().module_path, "fixture_tools_a");
}

#[test]
fn missing_state_is_a_build_error() {
    let error = McpServer::builder()
        .gateway(Gateway::new("fixtures", "/fixtures/mcp"))
        .build()
        .expect_err("State<Counter> is not registered");
    assert!(error.to_string().contains("Counter"), "{error}");
}

#[tokio::test]
async fn input_schema_from_parameters_and_docs() {
    let add = listed("add").await;
    assert_eq!(add["title"], "Add");
    let schema = &add["inputSchema"];
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(
        schema["required"],
        json!(["a"]),
        "`b` has #[serde(default)]"
    );
    assert_eq!(
        schema["properties"]["a"]["description"],
        "The first addend."
    );
    assert_eq!(
        schema["properties"]["b"]["description"],
        "The second addend; 0 when absent."
    );
    assert_eq!(schema["properties"]["a"]["type"], "integer");
    assert_eq!(add["outputSchema"]["properties"]["sum"]["type"], "integer");

    let count = listed("count").await["inputSchema"].clone();
    assert_eq!(
        count["properties"].as_object().map(|p| p.len()),
        Some(1),
        "#[ctx] is not input: {count}"
    );

    let search = listed("search").await["inputSchema"].clone();
    assert_eq!(
        search["properties"]["q"]["description"],
        "The text to look for."
    );
    assert_eq!(search["required"], json!(["q"]));

    let raw = listed("type").await["inputSchema"].clone();
    assert_eq!(raw["required"], json!(["match"]));

    let nothing = listed("nothing").await;
    assert_eq!(nothing["inputSchema"]["type"], "object");
    assert!(
        nothing.get("outputSchema").is_none(),
        "unit output is unstructured"
    );
}

#[tokio::test]
async fn calls_sync_tools_with_structured_output() {
    let result = call("add", json!({"a": 2, "b": 3})).await;
    assert_eq!(result["isError"], false);
    assert_eq!(result["structuredContent"], json!({"sum": 5}));
    let defaulted = call("add", json!({"a": 2})).await;
    assert_eq!(defaulted["structuredContent"], json!({"sum": 2}));
}

#[tokio::test]
async fn calls_async_tools_and_maps_errors() {
    let ok = call("math.divide", json!({"a": 9.0, "b": 3.0})).await;
    assert_eq!(ok["structuredContent"], json!({"sum": 3}));
    let err = call("math.divide", json!({"a": 1.0, "b": 0.0})).await;
    assert_eq!(err["isError"], true);
    assert_eq!(
        err["content"][0]["text"],
        "division by zero: pass a non-zero `b`"
    );
}

#[tokio::test]
async fn rejects_bad_arguments_with_an_actionable_message() {
    for arguments in [json!({"a": "two"}), json!({"a": 1, "c": 2}), json!({})] {
        let result = call("add", arguments.clone()).await;
        assert_eq!(result["isError"], true, "{arguments}");
        let text = result["content"][0]["text"].as_str().unwrap_or_default();
        assert!(
            text.starts_with("Invalid arguments for tool `add`"),
            "{text}"
        );
    }
    let unknown = call("add", json!({"a": 1, "c": 2})).await["content"][0]["text"].clone();
    assert!(
        unknown
            .as_str()
            .is_some_and(|t| t.contains("unknown field `c`")),
        "{unknown}"
    );
}

#[tokio::test]
async fn injects_context_and_whole_input() {
    let first = call("count", json!({})).await;
    assert_eq!(first["content"][0]["text"], "count -> 1");
    let hits = call("search", json!({"q": "acme", "limit": 3})).await;
    assert_eq!(hits["content"].as_array().map(Vec::len), Some(3));
    assert_eq!(hits["content"][2]["text"], "acme #2");
    let raw = call("type", json!({"match": "m"})).await;
    assert_eq!(raw["content"][0]["text"], "m");
    let nothing = call("nothing", json!({})).await;
    assert_eq!(nothing, json!({"content": [], "isError": false}));
}

#[tokio::test]
async fn calls_tools_of_other_crates() {
    let counted = call("fixture_a.count", json!({"text": "one two three"})).await;
    assert_eq!(counted["structuredContent"], json!({"words": 3}));
    let reversed = rpc(
        "/fixtures/mcp",
        "tools/call",
        json!({"name": "fixture_b_reverse", "arguments": {"text": "abc"}}),
    )
    .await;
    assert_eq!(reversed["content"][0]["text"], "cba");
}

#[test]
fn functions_stay_callable_as_written() {
    assert_eq!(add(1, 2).sum, 3);
    assert_eq!(r#type("x".to_owned()), "x");
    assert_eq!(
        search(Query {
            q: "q".to_owned(),
            limit: Some(1)
        })
        .len(),
        1
    );
    let _future = divide(1.0, 1.0);
}
