//! One HTTP exchange with the in-process router, and the invariants every reply must keep
//! whatever the request was.

use axum::body::{Body, Bytes};
use http::{HeaderMap, Request, header};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

use crate::fixture::fixture;

/// Statuses the transport may answer with; anything else (a 500 above all) is a bug.
const EXPECTED_STATUSES: [u16; 10] = [200, 202, 400, 401, 403, 404, 405, 406, 413, 415];

/// What tools answer when the database refused a statement; from a read-only store over
/// compiled, validated queries that only happens when the compiler emitted bad SQL.
const STORE_FAILURE: &str = "the CRM store is unavailable right now";

/// A reply, read whole.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Exchange {
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The JSON-RPC messages of the reply: the JSON body, or each `data:` of an event stream.
    pub(crate) fn messages(&self) -> Vec<Value> {
        let text = String::from_utf8_lossy(&self.body);
        match self.content_type() {
            "application/json" => vec![parse_json(&text, self)],
            "text/event-stream" => text
                .split("\n\n")
                .filter_map(|event| event.lines().find_map(|l| l.strip_prefix("data: ")))
                .map(|data| parse_json(data, self))
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn parse_json(text: &str, exchange: &Exchange) -> Value {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => panic!("reply is not JSON ({e}): {exchange:?}"),
    }
}

/// Sends `request` through the CRM router and reads the whole reply.
pub(crate) fn send(request: Request<Body>) -> Exchange {
    let fixture = fixture();
    let app = fixture.app.clone();
    fixture.runtime.block_on(async move {
        let response = match app.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (parts, body) = response.into_parts();
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) => panic!("reply body failed mid-stream: {e}"),
        };
        Exchange {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        }
    })
}

/// A well-formed MCP POST with a valid token for `path`; `extra` headers are appended.
pub(crate) fn post(path: &str, protocol_version: &str, body: Vec<u8>) -> Request<Body> {
    let token = fixture().token_for(path);
    let built = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header("mcp-protocol-version", protocol_version)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body));
    match built {
        Ok(request) => request,
        Err(e) => panic!("a fixed request failed to build: {e}"),
    }
}

/// The invariants of any reply to any request whose body was `request_body`.
pub(crate) fn check(exchange: &Exchange, request_body: &[u8]) {
    assert!(
        EXPECTED_STATUSES.contains(&exchange.status),
        "unexpected status: {exchange:?}"
    );
    if exchange.status == 401 {
        assert!(
            exchange.headers.contains_key(header::WWW_AUTHENTICATE),
            "a 401 without a challenge: {exchange:?}"
        );
    }
    let messages = exchange.messages();
    // axum's own 404 and 405 (an unknown path, or a method /healthz does not take) are empty;
    // the MCP endpoints answer theirs with a JSON-RPC error.
    let routing = matches!(exchange.status, 404 | 405) && exchange.content_type().is_empty();
    if exchange.status != 202 && !routing {
        assert!(
            !messages.is_empty(),
            "a {} without a JSON-RPC body: {exchange:?}",
            exchange.status
        );
    }
    // Lossy: serde_json does not check UTF-8 inside members it skips, and neither may this.
    let request: Option<Value> = serde_json::from_str(&String::from_utf8_lossy(request_body)).ok();
    for message in &messages {
        check_message(message, request.as_ref(), exchange);
    }
}

/// A reply message is a JSON-RPC response (or a notification on a stream); a success answers
/// one of the request's ids; an error carries a non-empty message.
fn check_message(message: &Value, request: Option<&Value>, exchange: &Exchange) {
    if let Value::Array(items) = message {
        for item in items {
            check_message(item, request, exchange);
        }
        return;
    }
    assert_eq!(
        message.get("jsonrpc").and_then(Value::as_str),
        Some("2.0"),
        "not a JSON-RPC 2.0 message: {exchange:?}"
    );
    if let Some(error) = message.get("error") {
        let text = error.get("message").and_then(Value::as_str).unwrap_or("");
        assert!(
            !text.trim().is_empty(),
            "an error without a message: {exchange:?}"
        );
        assert!(
            error.get("code").is_some_and(Value::is_i64),
            "an error without an integer code: {exchange:?}"
        );
    }
    if let Some(result) = message.get("result") {
        // The whole text, not a substring: inputs are echoed in error messages.
        let text = result["content"][0]["text"].as_str().unwrap_or("");
        assert!(
            !text.starts_with(STORE_FAILURE),
            "the database refused a compiled statement: {exchange:?}"
        );
        let Some(request) = request else {
            return;
        };
        let id = message.get("id");
        let ids: Vec<&Value> = match request {
            Value::Array(batch) => batch.iter().filter_map(|m| m.get("id")).collect(),
            single => single.get("id").into_iter().collect(),
        };
        assert!(
            id.is_some_and(|id| ids.iter().any(|sent| same_id(sent, id))),
            "a result for an id the request did not send: {exchange:?}"
        );
    }
}

/// JSON ids are equal as JSON values: `-0`, `0` and `0.0` are one number.
fn same_id(sent: &Value, echoed: &Value) -> bool {
    match (sent, echoed) {
        (Value::Number(a), Value::Number(b)) => a == b || a.as_f64() == b.as_f64(),
        _ => sent == echoed,
    }
}
