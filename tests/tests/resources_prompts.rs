//! In-process router tests of resources, prompts, completion, caching hints, and requests to
//! the client (2026-07-28 multi-round-trip requests and handshake-era response streams).

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

mod common;

use axum::{Router, body::Body};
use common::{LEGACY, MODERN, Reply, legacy, post_raw};
use http_body_util::BodyExt as _;
use mcp_runtime::{
    McpServer, ResourceError,
    auth::{Auth, DevKey},
    client::{ElicitRequest, SamplingRequest},
    prelude::*,
};
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// The greeting of the day.
#[mcp_resource(
    uri = "memo://greeting",
    name = "greeting",
    title = "Greeting",
    mime_type = "text/plain"
)]
fn greeting() -> &'static str {
    "hello"
}

/// Raw bytes.
#[mcp_resource(uri = "memo://bytes", mime_type = "application/octet-stream")]
fn bytes() -> Vec<u8> {
    vec![0, 1, 2]
}

/// One note by id; ids above 100 do not exist.
#[mcp_resource(template = "memo://notes/{id}", mime_type = "text/plain", complete(id = note_ids))]
async fn note(
    /// The note's numeric id.
    id: u32,
) -> Result<String, ResourceError> {
    if id > 100 {
        return Err(ResourceError::NotFound);
    }
    Ok(format!("note {id}"))
}

fn note_ids(request: &CompletionRequest) -> Completion {
    Completion::matching(request.value(), (1..=150).map(|i| i.to_string()))
}

/// A secret only `memo:secret` may read.
#[mcp_resource(uri = "memo://secret", scopes = ["memo:secret"])]
fn secret() -> &'static str {
    "42"
}

/// Fails on purpose.
#[mcp_resource(uri = "memo://broken")]
fn broken() -> Result<String, String> {
    Err("the backing store is down".to_owned())
}

/// Greets someone.
#[mcp_prompt(title = "Greet", complete(style = styles))]
fn greet(
    /// Who to greet.
    name: String,
    /// `formal` or `casual`.
    style: Option<String>,
) -> Vec<PromptMessage> {
    let text = match style.as_deref() {
        Some("formal") => format!("Good day, {name}."),
        _ => format!("Hi {name}!"),
    };
    vec![
        PromptMessage::user(text),
        PromptMessage::assistant(Content::image([1, 2, 3], "image/png")),
    ]
}

fn styles(request: &CompletionRequest) -> Vec<&'static str> {
    ["formal", "casual"]
        .into_iter()
        .filter(|s| s.starts_with(request.value()))
        .collect()
}

/// Asks for a topic first.
#[mcp_prompt]
async fn interview(#[ctx] client: Client) -> Result<String, String> {
    let answer = client
        .elicit(
            "topic",
            ElicitRequest::new(
                "Which topic?",
                json!({"type": "object", "properties": {"topic": {"type": "string"}}}),
            ),
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "Interview about {}",
        answer.content.unwrap_or_default()["topic"]
    ))
}

/// Asks a name, then a colour.
#[mcp_tool]
async fn two_questions(
    /// A prefix for the answer.
    prefix: String,
    #[ctx] client: Client,
) -> Result<String, mcp_runtime::ClientError> {
    let schema =
        |f: &str| json!({"type": "object", "properties": {f: {"type": "string"}}, "required": [f]});
    let name = client
        .elicit("name", ElicitRequest::new("Name?", schema("name")))
        .await?;
    let colour = client
        .elicit("colour", ElicitRequest::new("Colour?", schema("colour")))
        .await?;
    Ok(format!(
        "{prefix}: {} likes {}",
        name.content.unwrap_or_default()["name"],
        colour.content.unwrap_or_default()["colour"]
    ))
}

/// Asks the client's model.
#[mcp_tool]
async fn ask_model(#[ctx] client: Client) -> Result<String, mcp_runtime::ClientError> {
    let reply = client
        .sample("q", SamplingRequest::user_text("2+2?", 10))
        .await?;
    Ok(format!("model said {}", reply.text().unwrap_or("")))
}

const RESOURCES: &[&str] = &[
    "memo://greeting",
    "memo://bytes",
    "memo://notes/{id}",
    "memo://secret",
    "memo://broken",
];
const PROMPTS: &[&str] = &["greet", "interview"];

fn builder() -> mcp_runtime::McpServerBuilder {
    McpServer::builder()
        .only_tools(&["two_questions", "ask_model"])
        .only_resources(RESOURCES)
        .only_prompts(PROMPTS)
        .request_state_key("test key shared by replicas")
}

fn app() -> Router {
    builder().build().unwrap().router()
}

/// A 2026-07-28 request declaring `capabilities`.
async fn modern_as(app: &Router, method: &str, mut params: Value, capabilities: Value) -> Reply {
    params["_meta"]["io.modelcontextprotocol/protocolVersion"] = MODERN.into();
    params["_meta"]["io.modelcontextprotocol/clientCapabilities"] = capabilities;
    let name = params
        .get("name")
        .or_else(|| params.get("uri"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let body = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
    let mut headers = vec![("mcp-protocol-version", MODERN), ("mcp-method", method)];
    if let Some(name) = &name {
        headers.push(("mcp-name", name.as_str()));
    }
    post_raw(app, "/mcp", body.to_string(), &headers).await
}

async fn modern(app: &Router, method: &str, params: Value) -> Reply {
    modern_as(
        app,
        method,
        params,
        json!({"elicitation": {}, "sampling": {}}),
    )
    .await
}

#[tokio::test]
async fn capabilities_appear_only_with_registrations() {
    let init = json!({"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}});
    let caps =
        legacy(&app(), "initialize", init.clone()).await.json()["result"]["capabilities"].clone();
    assert_eq!(
        caps["resources"],
        json!({"subscribe": true, "listChanged": false})
    );
    assert_eq!(caps["prompts"], json!({"listChanged": false}));
    assert_eq!(caps["completions"], json!({}));

    let bare = McpServer::builder()
        .only_tools(&["ask_model"])
        .build()
        .unwrap()
        .router();
    let caps = legacy(&bare, "initialize", init).await.json()["result"]["capabilities"].clone();
    assert!(
        caps.get("resources").is_none() && caps.get("prompts").is_none(),
        "{caps}"
    );
    assert!(caps.get("completions").is_none(), "{caps}");
    assert_eq!(
        legacy(&bare, "resources/list", json!({}))
            .await
            .error_code(),
        -32601
    );
    assert_eq!(
        legacy(&bare, "prompts/list", json!({})).await.error_code(),
        -32601
    );
    let discover = modern(&bare, "server/discover", json!({})).await.json();
    assert!(discover["result"]["capabilities"].get("prompts").is_none());
}

#[tokio::test]
async fn resources_list_and_templates_in_both_eras() {
    let app = app();
    let list = legacy(&app, "resources/list", json!({})).await.json();
    let uris: Vec<&str> = list["result"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        uris,
        [
            "memo://broken",
            "memo://bytes",
            "memo://greeting",
            "memo://secret"
        ]
    );
    let greeting = &list["result"]["resources"][2];
    assert_eq!(greeting["name"], "greeting");
    assert_eq!(greeting["title"], "Greeting");
    assert_eq!(greeting["description"], "The greeting of the day.");
    assert_eq!(greeting["mimeType"], "text/plain");
    assert!(list["result"].get("ttlMs").is_none());

    let list = modern(&app, "resources/list", json!({})).await.json();
    assert_eq!(list["result"]["resultType"], "complete");
    assert_eq!(list["result"]["ttlMs"], 300_000);
    assert_eq!(list["result"]["cacheScope"], "public");

    let templates = modern(&app, "resources/templates/list", json!({}))
        .await
        .json();
    assert_eq!(
        templates["result"]["resourceTemplates"],
        json!([{"uriTemplate": "memo://notes/{id}", "name": "note", "description": "One note by id; ids above 100 do not exist.", "mimeType": "text/plain"}])
    );
    assert_eq!(templates["result"]["cacheScope"], "public");
}

#[tokio::test]
async fn resources_read_text_binary_and_templates() {
    let app = app();
    let read = legacy(&app, "resources/read", json!({"uri": "memo://greeting"}))
        .await
        .json();
    assert_eq!(
        read["result"]["contents"],
        json!([{"uri": "memo://greeting", "mimeType": "text/plain", "text": "hello"}])
    );
    let read = legacy(&app, "resources/read", json!({"uri": "memo://bytes"}))
        .await
        .json();
    assert_eq!(read["result"]["contents"][0]["blob"], "AAEC");
    let read = modern(&app, "resources/read", json!({"uri": "memo://notes/7"}))
        .await
        .json();
    assert_eq!(read["result"]["contents"][0]["text"], "note 7");
    assert_eq!(read["result"]["ttlMs"], 60_000);
    assert_eq!(read["result"]["cacheScope"], "public");
}

#[tokio::test]
async fn resource_errors_use_each_eras_codes() {
    let app = app();
    for uri in ["memo://nothing", "memo://notes/101"] {
        let reply = legacy(&app, "resources/read", json!({"uri": uri})).await;
        assert_eq!(reply.error_code(), -32002, "{}", reply.body);
        assert_eq!(reply.json()["error"]["data"]["uri"], uri);
        let reply = modern(&app, "resources/read", json!({"uri": uri})).await;
        assert_eq!(reply.error_code(), -32602, "{}", reply.body);
        assert_eq!(reply.json()["error"]["data"]["uri"], uri);
    }
    // A template variable that does not parse as the parameter's type.
    let reply = legacy(&app, "resources/read", json!({"uri": "memo://notes/abc"})).await;
    assert_eq!(reply.error_code(), -32602);
    assert!(
        reply.body.contains("`id` cannot be `abc`"),
        "{}",
        reply.body
    );
    let reply = legacy(&app, "resources/read", json!({"uri": "memo://broken"})).await;
    assert_eq!(reply.error_code(), -32603);
    assert!(
        reply.body.contains("the backing store is down"),
        "{}",
        reply.body
    );
    assert_eq!(
        legacy(&app, "resources/read", json!({})).await.error_code(),
        -32602
    );
}

#[tokio::test]
async fn subscribe_is_acknowledged_statelessly() {
    let app = app();
    for method in ["resources/subscribe", "resources/unsubscribe"] {
        let ok = legacy(&app, method, json!({"uri": "memo://greeting"}))
            .await
            .json();
        assert_eq!(ok["result"], json!({}));
        assert_eq!(
            legacy(&app, method, json!({"uri": "memo://x"}))
                .await
                .error_code(),
            -32002
        );
    }
    // Removed in 2026-07-28: 404 + -32601.
    let reply = modern(
        &app,
        "resources/subscribe",
        json!({"uri": "memo://greeting"}),
    )
    .await;
    assert_eq!((reply.status, reply.error_code()), (404, -32601));
}

#[tokio::test]
async fn subscriptions_listen_acknowledges_the_honoured_subset() {
    let app = builder()
        .listen_duration(std::time::Duration::from_millis(10))
        .build()
        .unwrap()
        .router();
    let reply = modern(
        &app,
        "subscriptions/listen",
        json!({"notifications": {"toolsListChanged": true, "promptsListChanged": false, "resourceSubscriptions": ["memo://greeting", "memo://nope"]}}),
    )
    .await;
    let events = reply.events();
    assert_eq!(
        events[0]["method"],
        "notifications/subscriptions/acknowledged"
    );
    assert_eq!(
        events[0]["params"]["notifications"],
        json!({"toolsListChanged": true, "resourceSubscriptions": ["memo://greeting"]})
    );
    assert_eq!(
        events[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"],
        7
    );
    assert_eq!(events[1]["id"], 7);
    assert_eq!(events[1]["result"]["resultType"], "complete");
}

#[tokio::test]
async fn prompts_list_and_get() {
    let app = app();
    let list = legacy(&app, "prompts/list", json!({})).await.json();
    assert_eq!(
        list["result"]["prompts"][0],
        json!({
            "name": "greet",
            "title": "Greet",
            "description": "Greets someone.",
            "arguments": [
                {"name": "name", "description": "Who to greet.", "required": true},
                {"name": "style", "description": "`formal` or `casual`.", "required": false},
            ],
        })
    );
    let list = modern(&app, "prompts/list", json!({})).await.json();
    assert_eq!(list["result"]["ttlMs"], 300_000);
    assert_eq!(list["result"]["cacheScope"], "public");

    let got = legacy(
        &app,
        "prompts/get",
        json!({"name": "greet", "arguments": {"name": "Ada", "style": "formal"}}),
    )
    .await
    .json();
    assert_eq!(got["result"]["description"], "Greets someone.");
    assert_eq!(
        got["result"]["messages"][0],
        json!({"role": "user", "content": {"type": "text", "text": "Good day, Ada."}})
    );
    assert_eq!(got["result"]["messages"][1]["role"], "assistant");
    assert_eq!(got["result"]["messages"][1]["content"]["type"], "image");
    let got = modern(
        &app,
        "prompts/get",
        json!({"name": "greet", "arguments": {"name": "Ada"}}),
    )
    .await
    .json();
    assert_eq!(got["result"]["resultType"], "complete");
    assert_eq!(got["result"]["messages"][0]["content"]["text"], "Hi Ada!");
}

#[tokio::test]
async fn prompt_errors() {
    let app = app();
    let missing = legacy(&app, "prompts/get", json!({"name": "greet"})).await;
    assert_eq!(missing.error_code(), -32602);
    assert!(
        missing.body.contains("needs argument(s) name"),
        "{}",
        missing.body
    );
    assert_eq!(
        legacy(&app, "prompts/get", json!({"name": "nope"}))
            .await
            .error_code(),
        -32602
    );
    let not_strings = legacy(
        &app,
        "prompts/get",
        json!({"name": "greet", "arguments": {"name": 1}}),
    )
    .await;
    assert_eq!(not_strings.error_code(), -32602);
    // A handshake-era prompt cannot ask the client: the prompt's own error explains.
    let interview = legacy(&app, "prompts/get", json!({"name": "interview"})).await;
    assert_eq!(interview.error_code(), -32603, "{}", interview.body);
}

#[tokio::test]
async fn completion_for_prompts_and_templates() {
    let app = app();
    let complete = |r: Value, name: &str, value: &str| json!({"ref": r, "argument": {"name": name, "value": value}});
    let reply = legacy(
        &app,
        "completion/complete",
        complete(json!({"type": "ref/prompt", "name": "greet"}), "style", "f"),
    )
    .await
    .json();
    assert_eq!(
        reply["result"]["completion"],
        json!({"values": ["formal"], "hasMore": false})
    );
    // No completer for `name`: an empty answer, not an error.
    let reply = legacy(
        &app,
        "completion/complete",
        complete(json!({"type": "ref/prompt", "name": "greet"}), "name", "A"),
    )
    .await
    .json();
    assert_eq!(reply["result"]["completion"]["values"], json!([]));
    // 150 candidates starting with "": capped at 100 with hasMore and total.
    let reply = modern(
        &app,
        "completion/complete",
        complete(
            json!({"type": "ref/resource", "uri": "memo://notes/{id}"}),
            "id",
            "",
        ),
    )
    .await
    .json();
    assert_eq!(
        reply["result"]["completion"]["values"]
            .as_array()
            .unwrap()
            .len(),
        100
    );
    assert_eq!(reply["result"]["completion"]["hasMore"], true);
    assert_eq!(reply["result"]["completion"]["total"], 150);
    assert_eq!(reply["result"]["resultType"], "complete");
    for bad in [
        complete(json!({"type": "ref/prompt", "name": "nope"}), "x", ""),
        complete(json!({"type": "ref/prompt", "name": "greet"}), "nope", ""),
        complete(
            json!({"type": "ref/resource", "uri": "memo://greeting"}),
            "id",
            "",
        ),
        complete(json!({"type": "ref/other"}), "id", ""),
        json!({"ref": {"type": "ref/prompt", "name": "greet"}}),
    ] {
        assert_eq!(
            legacy(&app, "completion/complete", bad).await.error_code(),
            -32602
        );
    }
}

fn state_of(reply: &Reply) -> String {
    reply.json()["result"]["requestState"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn multi_round_trip_across_replicas() {
    // Two servers with the same key: any round may land on either.
    let (a, b) = (app(), app());
    let first = modern(
        &a,
        "tools/call",
        json!({"name": "two_questions", "arguments": {"prefix": "P"}}),
    )
    .await;
    let result = first.json()["result"].clone();
    assert_eq!(result["resultType"], "input_required");
    assert_eq!(
        result["inputRequests"]["name"]["method"],
        "elicitation/create"
    );
    assert_eq!(
        result["inputRequests"]["name"]["params"]["message"],
        "Name?"
    );
    let second = modern(
        &b,
        "tools/call",
        json!({"name": "two_questions", "arguments": {"prefix": "P"}, "requestState": state_of(&first),
               "inputResponses": {"name": {"action": "accept", "content": {"name": "Ada"}}}}),
    )
    .await;
    assert_eq!(
        second.json()["result"]["inputRequests"]["colour"]["method"],
        "elicitation/create"
    );
    assert_ne!(state_of(&second), state_of(&first));
    let third = modern(
        &a,
        "tools/call",
        json!({"name": "two_questions", "arguments": {"prefix": "P"}, "requestState": state_of(&second),
               "inputResponses": {"colour": {"action": "accept", "content": {"colour": "teal"}}}}),
    )
    .await
    .json();
    assert_eq!(third["result"]["resultType"], "complete");
    assert_eq!(
        third["result"]["content"][0]["text"],
        "P: \"Ada\" likes \"teal\""
    );
}

#[tokio::test]
async fn request_state_is_integrity_protected() {
    let app = app();
    let first = modern(
        &app,
        "tools/call",
        json!({"name": "two_questions", "arguments": {"prefix": "P"}}),
    )
    .await;
    let answer = json!({"name": {"action": "accept", "content": {"name": "Ada"}}});
    let retry = |state: String, arguments: Value| json!({"name": "two_questions", "arguments": arguments, "requestState": state, "inputResponses": answer});
    // Tampered, forged with another key, bound to other arguments, not a string.
    let tampered = format!("{}-TAMPERED", state_of(&first));
    let reply = modern(&app, "tools/call", retry(tampered, json!({"prefix": "P"}))).await;
    assert_eq!(reply.error_code(), -32602);
    assert!(
        reply.body.contains("integrity check failed"),
        "{}",
        reply.body
    );
    let other = builder()
        .request_state_key("another key")
        .build()
        .unwrap()
        .router();
    assert_eq!(
        modern(
            &other,
            "tools/call",
            retry(state_of(&first), json!({"prefix": "P"}))
        )
        .await
        .error_code(),
        -32602
    );
    let moved = modern(
        &app,
        "tools/call",
        retry(state_of(&first), json!({"prefix": "Q"})),
    )
    .await;
    assert!(
        moved.body.contains("issued for another request"),
        "{}",
        moved.body
    );
    let mut not_string = retry(String::new(), json!({"prefix": "P"}));
    not_string["requestState"] = json!(5);
    assert_eq!(
        modern(&app, "tools/call", not_string).await.error_code(),
        -32602
    );
    let mut bad_responses = retry(state_of(&first), json!({"prefix": "P"}));
    bad_responses["inputResponses"] = json!([1]);
    assert_eq!(
        modern(&app, "tools/call", bad_responses).await.error_code(),
        -32602
    );
}

#[tokio::test]
async fn mrtr_respects_declared_capabilities_and_prompts() {
    let app = app();
    // Sampling not declared: the tool's question fails at once instead of being asked.
    let reply = modern_as(
        &app,
        "tools/call",
        json!({"name": "ask_model", "arguments": {}}),
        json!({"elicitation": {}}),
    )
    .await
    .json();
    assert_eq!(reply["result"]["resultType"], "complete");
    assert_eq!(reply["result"]["isError"], true);
    assert!(
        reply["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("sampling")
    );
    // A malformed answer is asked again rather than accepted.
    let reply = modern(
        &app,
        "tools/call",
        json!({"name": "ask_model", "arguments": {}, "inputResponses": {"q": 12345}}),
    )
    .await
    .json();
    assert_eq!(reply["result"]["resultType"], "input_required");
    // prompts/get takes part in MRTR too.
    let first = modern(&app, "prompts/get", json!({"name": "interview"})).await;
    assert_eq!(
        first.json()["result"]["inputRequests"]["topic"]["method"],
        "elicitation/create"
    );
    let done = modern(
        &app,
        "prompts/get",
        json!({"name": "interview", "requestState": state_of(&first), "inputResponses": {"topic": {"action": "accept", "content": {"topic": "rust"}}}}),
    )
    .await
    .json();
    assert_eq!(
        done["result"]["messages"][0]["content"]["text"],
        "Interview about \"rust\""
    );
    // Lists never return input_required.
    assert_eq!(
        modern(&app, "tools/list", json!({})).await.json()["result"]["resultType"],
        "complete"
    );
}

#[tokio::test]
async fn legacy_requests_travel_on_the_call_stream() {
    let app = app();
    let body = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "ask_model", "arguments": {}}});
    let request = http::Request::post("/mcp")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", LEGACY)
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();
    let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
    let text = String::from_utf8(first.to_vec()).unwrap();
    let request: Value =
        serde_json::from_str(text.trim().strip_prefix("event: message\ndata: ").unwrap()).unwrap();
    assert_eq!(request["method"], "sampling/createMessage");
    assert_eq!(request["params"]["maxTokens"], 10);
    // The client answers with a POST (which may arrive on any connection of this process).
    let reply = json!({"jsonrpc": "2.0", "id": request["id"], "result": {"role": "assistant", "content": {"type": "text", "text": "4"}, "model": "m"}});
    let accepted = post_raw(
        &app,
        "/mcp",
        reply.to_string(),
        &[("mcp-protocol-version", LEGACY)],
    )
    .await;
    assert_eq!(accepted.status, 202);
    let rest = body.collect().await.unwrap().to_bytes();
    let rest = String::from_utf8(rest.to_vec()).unwrap();
    let response: Value =
        serde_json::from_str(rest.trim().strip_prefix("event: message\ndata: ").unwrap()).unwrap();
    assert_eq!(response["id"], 3);
    assert_eq!(response["result"]["content"][0]["text"], "model said 4");
    // A reply nobody waits for is accepted and dropped.
    let stray = json!({"jsonrpc": "2.0", "id": "srv-unknown-1", "result": {}});
    assert_eq!(
        post_raw(&app, "/mcp", stray.to_string(), &[]).await.status,
        202
    );
}

#[tokio::test]
async fn legacy_client_errors_reach_the_tool() {
    let app = app();
    let body = json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "ask_model", "arguments": {}}});
    let request = http::Request::post("/mcp")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", LEGACY)
        .body(Body::from(body.to_string()))
        .unwrap();
    let mut body = app.clone().oneshot(request).await.unwrap().into_body();
    let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
    let text = String::from_utf8(first.to_vec()).unwrap();
    let request: Value =
        serde_json::from_str(text.trim().strip_prefix("event: message\ndata: ").unwrap()).unwrap();
    let refusal = json!({"jsonrpc": "2.0", "id": request["id"], "error": {"code": -1, "message": "user declined"}});
    post_raw(&app, "/mcp", refusal.to_string(), &[]).await;
    let rest = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(
        rest.contains("\"isError\":true") && rest.contains("user declined"),
        "{rest}"
    );
}

#[tokio::test]
async fn batches_cannot_ask_the_client() {
    let app = app();
    let batch = json!([{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "ask_model", "arguments": {}}}]);
    let reply = post_raw(
        &app,
        "/mcp",
        batch.to_string(),
        &[("mcp-protocol-version", "2025-03-26")],
    )
    .await;
    let text = reply.json()[0]["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(text.contains("cannot be asked"), "{text}");
}

#[tokio::test]
async fn scopes_guard_resources_and_cache_scope_turns_private() {
    let key = DevKey::generate().unwrap();
    let app = builder()
        .auth(
            Auth::new(key.verifier("https://issuer.test"), "http://mcp.test")
                .authorization_server("https://issuer.test"),
        )
        .build()
        .unwrap()
        .router();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let token = |scope: &str| {
        key.sign(
            json!({"iss": "https://issuer.test", "aud": "http://mcp.test/mcp", "sub": "alice", "scope": scope, "iat": now, "exp": now + 600})
                .as_object()
                .unwrap(),
        )
        .unwrap()
    };
    let call = |token: String, uri: &str| {
        let body =
            json!({"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": uri}});
        let app = app.clone();
        async move {
            let bearer = format!("Bearer {token}");
            post_raw(
                &app,
                "/mcp",
                body.to_string(),
                &[
                    ("mcp-protocol-version", LEGACY),
                    ("authorization", bearer.as_str()),
                ],
            )
            .await
        }
    };
    assert_eq!(call(token(""), "memo://secret").await.status, 403);
    let ok = call(token("memo:secret"), "memo://secret").await;
    assert_eq!(ok.json()["result"]["contents"][0]["text"], "42");
    // The list hides what the caller may not read.
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "resources/list"});
    let bearer = format!("Bearer {}", token(""));
    let list = post_raw(
        &app,
        "/mcp",
        body.to_string(),
        &[
            ("mcp-protocol-version", LEGACY),
            ("authorization", bearer.as_str()),
        ],
    )
    .await;
    assert!(!list.body.contains("memo://secret"), "{}", list.body);
    // 2026-07-28 results under auth are private to the caller.
    let mut params = json!({"_meta": {"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}}});
    params["uri"] = "memo://greeting".into();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": params});
    let read = post_raw(
        &app,
        "/mcp",
        body.to_string(),
        &[
            ("mcp-protocol-version", MODERN),
            ("mcp-method", "resources/read"),
            ("mcp-name", "memo://greeting"),
            ("authorization", bearer.as_str()),
        ],
    )
    .await;
    assert_eq!(
        read.json()["result"]["cacheScope"],
        "private",
        "{}",
        read.body
    );
}

#[tokio::test]
async fn registry_lists_resources_and_prompts() {
    let server = builder().build().unwrap();
    assert_eq!(
        server.resource_uris("default").unwrap(),
        [
            "memo://broken",
            "memo://bytes",
            "memo://greeting",
            "memo://notes/{id}",
            "memo://secret"
        ]
    );
    assert_eq!(
        server.prompt_names("default").unwrap(),
        ["greet", "interview"]
    );
}

/// One of two resources at the same URI.
#[mcp_resource(uri = "memo://dup")]
fn dup_one() -> &'static str {
    "1"
}

/// The other.
#[mcp_resource(uri = "memo://dup")]
fn dup_two() -> &'static str {
    "2"
}

/// One of two prompts with the same name.
#[mcp_prompt(name = "dup")]
fn dup_prompt_one() -> &'static str {
    "1"
}

/// The other.
#[mcp_prompt(name = "dup")]
fn dup_prompt_two() -> &'static str {
    "2"
}

/// Needs state nobody registered, on a gateway nobody mounted.
#[mcp_resource(uri = "memo://needy", gateways = ["elsewhere"])]
fn needy(#[ctx] _state: State<u8>) -> &'static str {
    "never"
}

#[test]
fn build_reports_every_resource_and_prompt_problem() {
    let error = McpServer::builder()
        .only_tools(&[])
        .only_resources(&["memo://dup", "memo://needy"])
        .only_prompts(&["dup"])
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("resource URI `memo://dup` is registered twice"),
        "{error}"
    );
    assert!(
        error.contains("prompt name `dup` is registered twice"),
        "{error}"
    );
    let error = McpServer::builder()
        .only_tools(&[])
        .only_resources(&["memo://needy"])
        .build()
        .unwrap_err()
        .to_string();
    assert!(error.contains("resource `memo://needy`"), "{error}");
    assert!(error.contains("shared state of type `u8`"), "{error}");
    assert!(error.contains("none of which is mounted"), "{error}");
}
