//! One request of the mix on the wire: how each protocol era encodes it, and the outcome the
//! driver compares (status, `WWW-Authenticate`, the JSON-RPC body with volatile text
//! normalised).

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

/// The handshake-era version the driver speaks (the `MCP-Protocol-Version` header).
pub(crate) const LEGACY: &str = "2025-11-25";
/// The stateless era: version and capabilities in every request's `_meta`.
pub(crate) const MODERN: &str = "2026-07-28";

/// How a JSON-RPC request is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Era {
    /// `MCP-Protocol-Version: 2025-11-25`, no `_meta`.
    Legacy,
    /// `MCP-Protocol-Version: 2026-07-28` plus `Mcp-Method`/`Mcp-Name` headers and the version
    /// and client capabilities in `params._meta`.
    Modern,
}

impl Era {
    /// A short label for request kinds.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Legacy => "legacy",
            Self::Modern => "modern",
        }
    }
}

/// A request ready to send any number of times.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// `/mcp` or `/deep-research/mcp`.
    pub(crate) path: &'static str,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

/// What came back, in the form the driver compares.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub(crate) status: u16,
    /// The `WWW-Authenticate` header, if any.
    pub(crate) challenge: Option<String>,
    /// The JSON-RPC message (from a JSON body or the last SSE `data:` event); `Null` for an
    /// empty body, a string for a body that is not JSON.
    pub(crate) body: Value,
}

impl Outcome {
    /// `result` of a JSON-RPC reply.
    pub(crate) fn result(&self) -> &Value {
        &self.body["result"]
    }

    /// `structuredContent` of a successful tools/call, or why there is none.
    pub(crate) fn structured(&self) -> Result<&Value, String> {
        let result = self.result();
        if self.status != 200 || !result.is_object() {
            return Err(format!("no result: {}", self.brief()));
        }
        if result["isError"] == json!(true) {
            return Err(format!("tool error: {}", self.tool_text()));
        }
        Ok(&result["structuredContent"])
    }

    /// The text of a tool result that must be an error (`isError: true`).
    pub(crate) fn tool_error(&self) -> Result<String, String> {
        if self.status == 200 && self.result()["isError"] == json!(true) {
            Ok(self.tool_text())
        } else {
            Err(format!("expected an isError result: {}", self.brief()))
        }
    }

    fn tool_text(&self) -> String {
        self.result()["content"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Status and the start of the body, for messages.
    pub(crate) fn brief(&self) -> String {
        let body = self.body.to_string();
        let cut = body.char_indices().nth(600).map_or(body.len(), |(i, _)| i);
        format!("HTTP {} {}", self.status, &body[..cut])
    }
}

/// A JSON-RPC request in `era`; `token` goes into `Authorization: Bearer`.
pub(crate) fn rpc(
    path: &'static str,
    era: Era,
    token: Option<&str>,
    id: u64,
    method: &str,
    mut params: Value,
) -> Request {
    let mut headers = base_headers(token);
    match era {
        Era::Legacy => insert(&mut headers, "mcp-protocol-version", LEGACY),
        Era::Modern => {
            params["_meta"]["io.modelcontextprotocol/protocolVersion"] = MODERN.into();
            params["_meta"]["io.modelcontextprotocol/clientCapabilities"] = json!({});
            insert(&mut headers, "mcp-protocol-version", MODERN);
            insert(&mut headers, "mcp-method", method);
            if let Some(name) = params.get("name").and_then(Value::as_str) {
                insert(&mut headers, "mcp-name", name);
            }
        }
    }
    let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
    Request {
        path,
        headers,
        body: body.to_string(),
    }
}

/// A notification (no id): the server answers 202 with no body.
pub(crate) fn notification(path: &'static str, token: Option<&str>, method: &str) -> Request {
    let mut headers = base_headers(token);
    insert(&mut headers, "mcp-protocol-version", LEGACY);
    Request {
        path,
        headers,
        body: json!({"jsonrpc": "2.0", "method": method}).to_string(),
    }
}

/// A handshake-era request with an arbitrary (e.g. malformed) body.
pub(crate) fn raw(path: &'static str, token: Option<&str>, body: &str) -> Request {
    let mut headers = base_headers(token);
    insert(&mut headers, "mcp-protocol-version", LEGACY);
    Request {
        path,
        headers,
        body: body.to_owned(),
    }
}

/// A `tools/call` in `era`.
pub(crate) fn call(
    path: &'static str,
    era: Era,
    token: Option<&str>,
    tool: &str,
    arguments: Value,
) -> Request {
    let mut params = json!({"name": tool});
    params["arguments"] = arguments;
    rpc(path, era, token, 1, "tools/call", params)
}

fn base_headers(token: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    insert(&mut headers, "content-type", "application/json");
    insert(
        &mut headers,
        "accept",
        "application/json, text/event-stream",
    );
    if let Some(token) = token {
        insert(&mut headers, "authorization", &format!("Bearer {token}"));
    }
    headers
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) {
    // Every value here is ASCII the driver built itself or a JWT; a value that is not a valid
    // header becomes an empty one, which the server rejects and the check reports.
    let value = HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""));
    headers.insert(HeaderName::from_static(name), value);
}

/// Sends `request` to `base` (`http://host:port`) and reads the whole reply.
pub(crate) async fn send(
    client: &reqwest::Client,
    base: &str,
    request: &Request,
    timeout: Duration,
) -> Result<Outcome, String> {
    let response = client
        .post(format!("{base}{}", request.path))
        .headers(request.headers.clone())
        .body(request.body.clone())
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| transport("send", &e))?;
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let sse = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    let bytes = response.bytes().await.map_err(|e| transport("read", &e))?;
    let text = String::from_utf8_lossy(&bytes);
    let json = if sse {
        // The reply is the last event; earlier ones would be notifications.
        text.lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .filter_map(|d| serde_json::from_str::<Value>(d.trim()).ok())
            .next_back()
    } else {
        serde_json::from_str(&text).ok()
    };
    let body = match json {
        Some(v) => normalise(v),
        None if text.trim().is_empty() => Value::Null,
        None => Value::String(text.into_owned()),
    };
    Ok(Outcome {
        status,
        challenge,
        body,
    })
}

fn transport(step: &str, e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "transport"
    };
    let mut message = format!("{kind} ({step}): {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    message
}

/// Blanks the legitimately varying text, the wall clock: tool descriptions say `Today is
/// YYYY-MM-DD` (which moves at midnight UTC) and `get_user_details` reports `"now"` (in its
/// structured content and in the JSON text item that mirrors it).
fn normalise(value: Value) -> Value {
    match value {
        Value::String(s) => {
            Value::String(blank(&blank(&s, "Today is ", "-"), "\"now\":\"", "-:.TZ"))
        }
        Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if k == "now" && v.is_string() {
                        Value::from("<now>")
                    } else {
                        normalise(v)
                    };
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    }
}

/// Replaces the digits (and `extra` characters) after every `mark` with `<…>`.
fn blank(s: &str, mark: &str, extra: &str) -> String {
    if !s.contains(mark) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(mark) {
        let (head, tail) = rest.split_at(at + mark.len());
        out.push_str(head);
        // Digits and the extra characters are ASCII: the count is also a byte length.
        let len = tail
            .chars()
            .take_while(|c| c.is_ascii_digit() || extra.contains(*c))
            .count();
        out.push_str("<…>");
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}
