//! Method dispatch for both protocol eras on one endpoint.
//!
//! Era selection follows the 2026-07-28 "dual-era" rules: `initialize` opens a handshake
//! (legacy) exchange; a request whose `params._meta` names a protocol version is modern;
//! anything else is legacy at the revision of the `MCP-Protocol-Version` header (absent:
//! 2025-03-26, as the transport spec prescribes).

use std::{borrow::Cow, collections::VecDeque, sync::Arc};

use base64::Engine as _;
use futures_util::stream::{self, BoxStream, StreamExt as _};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json, value::RawValue};
use tracing::Instrument as _;

use super::{
    jsonrpc::{self, Envelope, RpcError, code},
    meta::{self, McpHeaders},
    tools::{self, Reporting, Started},
    version::ProtocolVersion,
    wire::{self, CallResultWire, Modern},
};
use crate::{
    context::{LogLevel, RequestId, RequestParts},
    result::CallToolResult,
    server::{GatewayRuntime, Shared},
};

/// What the transport should send back.
pub(crate) enum Reply {
    /// 202 Accepted, no body (notifications and responses).
    Accepted,
    /// One JSON body.
    Json { status: StatusCode, body: Vec<u8> },
    /// An event stream: each item is one JSON-RPC message (notifications, then the response).
    Stream(BoxStream<'static, Vec<u8>>),
}

impl Reply {
    fn error(status: StatusCode, id: Option<&RawValue>, error: &RpcError) -> Self {
        Self::Json {
            status,
            body: jsonrpc::error_body(id, error),
        }
    }
}

/// Handle one POSTed body (a message, or a batch for 2025-03-26).
pub(crate) async fn handle(
    shared: &Arc<Shared>,
    gateway: &Arc<GatewayRuntime>,
    body: &[u8],
    headers: &McpHeaders<'_>,
) -> Reply {
    if body.trim_ascii_start().first() == Some(&b'[') {
        return batch(shared, gateway, body, headers).await;
    }
    let envelope: Envelope<'_> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(e) => return Reply::error(StatusCode::BAD_REQUEST, None, &unreadable(&e)),
    };
    match message(shared, gateway, envelope, headers, true).await {
        Outcome::None => Reply::Accepted,
        Outcome::Json(status, body) => Reply::Json { status, body },
        Outcome::Stream(stream) => Reply::Stream(stream),
    }
}

fn unreadable(e: &serde_json::Error) -> RpcError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => RpcError::new(
            code::PARSE_ERROR,
            format!("Parse error: the body is not valid JSON ({e})"),
        ),
        Category::Data => RpcError::new(
            code::INVALID_REQUEST,
            format!("Invalid request: not a JSON-RPC 2.0 message ({e})"),
        ),
    }
}

/// JSON-RPC batches exist only in 2025-03-26; later revisions removed them.
async fn batch(
    shared: &Arc<Shared>,
    gateway: &Arc<GatewayRuntime>,
    body: &[u8],
    headers: &McpHeaders<'_>,
) -> Reply {
    let version = headers
        .protocol_version
        .unwrap_or(ProtocolVersion::V2025_03_26.as_str());
    if version != ProtocolVersion::V2025_03_26.as_str() {
        let error = RpcError::new(
            code::INVALID_REQUEST,
            format!(
                "Invalid request: JSON-RPC batches are only allowed in protocol revision 2025-03-26, not {version}; send one message per request"
            ),
        );
        return Reply::error(StatusCode::BAD_REQUEST, None, &error);
    }
    let items: Vec<&RawValue> = match serde_json::from_slice(body) {
        Ok(items) => items,
        Err(e) => return Reply::error(StatusCode::BAD_REQUEST, None, &unreadable(&e)),
    };
    if items.is_empty() {
        let error = RpcError::new(code::INVALID_REQUEST, "Invalid request: empty batch");
        return Reply::error(StatusCode::BAD_REQUEST, None, &error);
    }
    let mut replies = Vec::new();
    for item in items {
        let outcome = match serde_json::from_str::<Envelope<'_>>(item.get()) {
            Ok(envelope) => message(shared, gateway, envelope, headers, false).await,
            Err(e) => Outcome::Json(StatusCode::OK, jsonrpc::error_body(None, &unreadable(&e))),
        };
        match outcome {
            Outcome::None => {}
            Outcome::Json(_, body) => replies.push(body),
            Outcome::Stream(_) => unreachable_stream(),
        }
    }
    if replies.is_empty() {
        return Reply::Accepted;
    }
    let mut body = Vec::with_capacity(replies.iter().map(|r| r.len() + 1).sum::<usize>() + 2);
    body.push(b'[');
    for (i, reply) in replies.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(reply);
    }
    body.push(b']');
    Reply::Json {
        status: StatusCode::OK,
        body,
    }
}

#[cold]
fn unreachable_stream() {
    // `message(.., allow_stream = false)` never streams; nothing to do if it ever did.
    tracing::error!(target: "mcp_runtime::protocol", "a batched call tried to stream; dropped");
}

enum Outcome {
    None,
    Json(StatusCode, Vec<u8>),
    Stream(BoxStream<'static, Vec<u8>>),
}

impl Outcome {
    fn error(status: StatusCode, id: Option<&RawValue>, error: &RpcError) -> Self {
        Self::Json(status, jsonrpc::error_body(id, error))
    }
}

/// Parameters any method may carry; each method reads the fields it defines.
#[derive(Debug, Default, Deserialize)]
struct Params<'a> {
    #[serde(rename = "_meta", default)]
    meta: Option<Map<String, Value>>,
    #[serde(default, borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    arguments: Option<&'a RawValue>,
    #[serde(default)]
    cursor: Option<String>,
    #[serde(default, borrow)]
    uri: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    level: Option<Cow<'a, str>>,
    #[serde(rename = "protocolVersion", default, borrow)]
    protocol_version: Option<Cow<'a, str>>,
}

/// Which era (and revision) a request speaks.
#[derive(Debug, Clone, Copy)]
enum Era {
    Legacy(ProtocolVersion),
    Modern(ProtocolVersion),
}

impl Era {
    fn version(self) -> ProtocolVersion {
        match self {
            Self::Legacy(v) | Self::Modern(v) => v,
        }
    }
}

async fn message(
    shared: &Arc<Shared>,
    gateway: &Arc<GatewayRuntime>,
    envelope: Envelope<'_>,
    headers: &McpHeaders<'_>,
    allow_stream: bool,
) -> Outcome {
    let id = envelope.id;
    if envelope.jsonrpc.as_deref() != Some("2.0") {
        let error = RpcError::new(
            code::INVALID_REQUEST,
            "Invalid request: `jsonrpc` must be \"2.0\"",
        );
        return Outcome::error(
            StatusCode::BAD_REQUEST,
            id.filter(|i| jsonrpc::is_valid_id(i)),
            &error,
        );
    }
    let Some(method) = envelope.method.as_deref() else {
        if id.is_some() && (envelope.result.is_some() || envelope.error.is_some()) {
            // A response to a server request; this server sends none, so there is nothing to route.
            return Outcome::None;
        }
        let error = RpcError::new(code::INVALID_REQUEST, "Invalid request: missing `method`");
        return Outcome::error(
            StatusCode::BAD_REQUEST,
            id.filter(|i| jsonrpc::is_valid_id(i)),
            &error,
        );
    };
    let Some(id) = id else {
        // Notifications need no answer; unknown ones are ignored as JSON-RPC prescribes.
        return Outcome::None;
    };
    if !jsonrpc::is_valid_id(id) {
        let error = RpcError::new(
            code::INVALID_REQUEST,
            "Invalid request: `id` must be a string or an integer (MCP forbids null)",
        );
        return Outcome::error(StatusCode::BAD_REQUEST, None, &error);
    }
    let params: Params<'_> = match envelope.params {
        None => Params::default(),
        Some(raw) => match serde_json::from_str(raw.get()) {
            Ok(p) => p,
            Err(e) => {
                let error = RpcError::new(
                    code::INVALID_PARAMS,
                    format!("Invalid params for `{method}`: {e}"),
                );
                return Outcome::error(StatusCode::OK, Some(id), &error);
            }
        },
    };
    let era = match select_era(method, &params, headers) {
        Ok(era) => era,
        Err((status, error)) => return Outcome::error(status, Some(id), &error),
    };
    let request = Request {
        shared,
        gateway,
        id,
        method,
        params,
        era,
        allow_stream,
    };
    match era {
        Era::Legacy(_) => legacy(request).await,
        Era::Modern(_) => modern(request, headers).await,
    }
}

struct Request<'r, 'a> {
    shared: &'r Arc<Shared>,
    gateway: &'r Arc<GatewayRuntime>,
    id: &'a RawValue,
    method: &'a str,
    params: Params<'a>,
    era: Era,
    allow_stream: bool,
}

fn legacy_versions() -> String {
    ProtocolVersion::LEGACY
        .map(ProtocolVersion::as_str)
        .join(", ")
}

/// Era selection as the 2026-07-28 dual-era rules and the conformance suite read them: a
/// request is legacy when it carries no modern `_meta` and its `MCP-Protocol-Version` header is
/// absent or a handshake revision; everything else is held to the modern rules, so a modern
/// client gets modern errors (-32020/-32602/-32022) instead of a silent legacy fallback.
fn select_era(
    method: &str,
    params: &Params<'_>,
    headers: &McpHeaders<'_>,
) -> Result<Era, (StatusCode, RpcError)> {
    let meta = params.meta.as_ref();
    let modern_meta = meta.is_some_and(|m| {
        m.contains_key(meta::PROTOCOL_VERSION)
            || m.contains_key(meta::CLIENT_CAPABILITIES)
            || m.contains_key(meta::CLIENT_INFO)
    });
    let header = headers.protocol_version;
    let header_version = header.map(|h| ProtocolVersion::parse(h).filter(|v| !v.is_modern()));
    if !modern_meta {
        match header_version {
            None if method == "initialize" => return Ok(Era::Legacy(ProtocolVersion::V2025_11_25)),
            Some(Some(_)) if method == "initialize" => {
                return Ok(Era::Legacy(ProtocolVersion::V2025_11_25));
            }
            None => return Ok(Era::Legacy(ProtocolVersion::V2025_03_26)),
            Some(Some(v)) => return Ok(Era::Legacy(v)),
            Some(None) => {}
        }
    }
    let bad = |status, error| Err((status, error));
    let Some(header) = header else {
        return bad(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::HEADER_MISMATCH,
                "Header mismatch: missing MCP-Protocol-Version header (required with `_meta` protocol metadata)",
            ),
        );
    };
    let requested = meta
        .and_then(|m| m.get(meta::PROTOCOL_VERSION))
        .and_then(Value::as_str);
    let capabilities = meta
        .and_then(|m| m.get(meta::CLIENT_CAPABILITIES))
        .is_some_and(Value::is_object);
    if requested.is_none() || !capabilities {
        let mut missing = Vec::new();
        if requested.is_none() {
            missing.push(meta::PROTOCOL_VERSION);
        }
        if !capabilities {
            missing.push(meta::CLIENT_CAPABILITIES);
        }
        return bad(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::INVALID_PARAMS,
                format!(
                    "Invalid params: missing _meta keys: {}. MCP-Protocol-Version `{header}` is not a handshake revision this server speaks ({}); requests of 2026-07-28 carry both keys in params._meta",
                    missing.join(", "),
                    legacy_versions()
                ),
            ),
        );
    }
    let requested = requested.unwrap_or_default();
    if requested != header {
        return bad(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::HEADER_MISMATCH,
                format!(
                    "Header mismatch: MCP-Protocol-Version is `{header}` but _meta `{}` is `{requested}`",
                    meta::PROTOCOL_VERSION
                ),
            ),
        );
    }
    match ProtocolVersion::parse(requested).filter(|v| v.is_modern()) {
        Some(v) => Ok(Era::Modern(v)),
        None => bad(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::UNSUPPORTED_PROTOCOL_VERSION,
                format!("Unsupported protocol version `{requested}`"),
            )
            .with_data(json!({
                "supported": ProtocolVersion::MODERN.map(ProtocolVersion::as_str),
                "requested": requested,
            })),
        ),
    }
}

async fn legacy(r: Request<'_, '_>) -> Outcome {
    let version = r.era.version();
    match r.method {
        "initialize" => {
            let requested = r.params.protocol_version.as_deref();
            let Some(requested) = requested else {
                let error = RpcError::new(
                    code::INVALID_PARAMS,
                    "Invalid params: `initialize` needs `protocolVersion`",
                );
                return Outcome::error(StatusCode::OK, Some(r.id), &error);
            };
            let negotiated = ProtocolVersion::parse(requested)
                .filter(|v| !v.is_modern())
                .unwrap_or(ProtocolVersion::V2025_11_25);
            let mut result = Map::new();
            result.insert("protocolVersion".into(), negotiated.as_str().into());
            result.insert("capabilities".into(), wire::capabilities(negotiated));
            result.insert(
                "serverInfo".into(),
                wire::server_info(&r.shared.info, negotiated),
            );
            if let Some(instructions) = &r.shared.info.instructions {
                result.insert("instructions".into(), instructions.clone().into());
            }
            ok(r.id, &result)
        }
        "ping" => ok(r.id, &json!({})),
        "logging/setLevel" => match r.params.level.as_deref().map(LogLevel::parse) {
            // A stateless server cannot remember the level for later requests; calls are
            // filtered at the configured legacy level instead (see HttpConfig docs).
            Some(Some(_)) => ok(r.id, &json!({})),
            Some(None) | None => {
                let error = RpcError::new(
                    code::INVALID_PARAMS,
                    "Invalid params: `level` must be one of debug, info, notice, warning, error, critical, alert, emergency",
                );
                Outcome::error(StatusCode::OK, Some(r.id), &error)
            }
        },
        "tools/list" => tools_list(&r, version),
        "tools/call" => tools_call(r).await,
        other => Outcome::error(
            StatusCode::OK,
            Some(r.id),
            &RpcError::new(code::METHOD_NOT_FOUND, format!("Method not found: {other}")),
        ),
    }
}

async fn modern(r: Request<'_, '_>, headers: &McpHeaders<'_>) -> Outcome {
    if let Err(error) = check_modern_headers(&r, headers) {
        return Outcome::error(StatusCode::BAD_REQUEST, Some(r.id), &error);
    }
    let version = r.era.version();
    match r.method {
        "server/discover" => {
            let result = Discover {
                supported_versions: ProtocolVersion::MODERN.map(ProtocolVersion::as_str),
                capabilities: wire::capabilities(version),
                server_info: wire::server_info(&r.shared.info, version),
                instructions: r.shared.info.instructions.as_deref(),
                ttl_ms: r.shared.config.list_ttl_ms,
                cache_scope: "public",
            };
            ok(
                r.id,
                &Modern {
                    result,
                    result_type: "complete",
                    meta: &r.shared.modern_meta,
                },
            )
        }
        "tools/list" => tools_list(&r, version),
        "tools/call" => tools_call(r).await,
        other => Outcome::error(
            StatusCode::NOT_FOUND,
            Some(r.id),
            &RpcError::new(code::METHOD_NOT_FOUND, format!("Method not found: {other}")),
        ),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Discover<'a> {
    supported_versions: [&'static str; 1],
    capabilities: Value,
    server_info: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<&'a str>,
    ttl_ms: u64,
    cache_scope: &'static str,
}

/// 2026-07-28: the `Mcp-Method` and `Mcp-Name` headers must repeat the body (case-sensitive).
fn check_modern_headers(r: &Request<'_, '_>, headers: &McpHeaders<'_>) -> Result<(), RpcError> {
    let mismatch = |what: String| RpcError::new(code::HEADER_MISMATCH, what);
    match headers.method.as_deref().map(str::trim) {
        Some(m) if m == r.method => {}
        Some(m) => {
            return Err(mismatch(format!(
                "Header mismatch: Mcp-Method is `{m}` but the body's method is `{}`",
                r.method
            )));
        }
        None => {
            return Err(mismatch(
                "Header mismatch: missing Mcp-Method header".into(),
            ));
        }
    }
    let named = match r.method {
        "tools/call" | "prompts/get" => Some(r.params.name.as_deref()),
        "resources/read" => Some(r.params.uri.as_deref()),
        _ => None,
    };
    if let Some(body_name) = named {
        match (headers.name.as_deref().map(str::trim), body_name) {
            (Some(h), Some(b)) if h == b => {}
            (None, _) => return Err(mismatch("Header mismatch: missing Mcp-Name header".into())),
            (Some(h), b) => {
                return Err(mismatch(format!(
                    "Header mismatch: Mcp-Name is `{h}` but the body names `{}`",
                    b.unwrap_or("nothing")
                )));
            }
        }
    }
    Ok(())
}

fn ok(id: &RawValue, result: &impl Serialize) -> Outcome {
    Outcome::Json(StatusCode::OK, jsonrpc::result_body(id, result))
}

const CURSOR_PREFIX: &str = "after:";

fn encode_cursor(last: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{last}"))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix(CURSOR_PREFIX)
        .map(str::to_owned)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ToolsList<'a> {
    tools: Vec<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache_scope: Option<&'static str>,
}

fn tools_list(r: &Request<'_, '_>, version: ProtocolVersion) -> Outcome {
    let listed = &r.gateway.listed;
    // 2026-07-28: an empty cursor is a valid cursor meaning "from the start".
    let start = match r.params.cursor.as_deref() {
        None | Some("") => 0,
        Some(cursor) => match decode_cursor(cursor) {
            Some(last) => listed.partition_point(|t| t.name <= last.as_str()),
            None => {
                let error = RpcError::new(
                    code::INVALID_PARAMS,
                    "Invalid params: unknown `cursor`; pass the `nextCursor` of a previous tools/list, or none to start over",
                );
                return Outcome::error(StatusCode::OK, Some(r.id), &error);
            }
        },
    };
    let page_size = r.shared.config.page_size.max(1);
    let page = listed.get(start..).unwrap_or_default();
    let page = &page[..page.len().min(page_size)];
    let next_cursor = if start + page.len() < listed.len() {
        page.last().map(|t| encode_cursor(t.name))
    } else {
        None
    };
    let tools = page.iter().map(|t| t.json(version)).collect();
    match r.era {
        Era::Legacy(_) => ok(
            r.id,
            &ToolsList {
                tools,
                next_cursor,
                ttl_ms: None,
                cache_scope: None,
            },
        ),
        Era::Modern(_) => {
            let result = ToolsList {
                tools,
                next_cursor,
                ttl_ms: Some(r.shared.config.list_ttl_ms),
                cache_scope: Some("public"),
            };
            ok(
                r.id,
                &Modern {
                    result,
                    result_type: "complete",
                    meta: &r.shared.modern_meta,
                },
            )
        }
    }
}

async fn tools_call(r: Request<'_, '_>) -> Outcome {
    let Some(name) = r.params.name.as_deref() else {
        let error = RpcError::new(
            code::INVALID_PARAMS,
            "Invalid params: `tools/call` needs `name`",
        );
        return Outcome::error(StatusCode::OK, Some(r.id), &error);
    };
    let Some(tool) = r.gateway.tools.get(name).copied() else {
        let error = RpcError::new(code::INVALID_PARAMS, format!("Unknown tool: {name}"));
        return Outcome::error(StatusCode::OK, Some(r.id), &error);
    };
    if let Era::Modern(_) = r.era
        && let Some(error) = missing_client_capabilities(tool, r.params.meta.as_ref())
    {
        return Outcome::error(StatusCode::BAD_REQUEST, Some(r.id), &error);
    }
    let args = r.params.arguments.filter(|a| a.get() != "null");
    if args.is_some_and(|a| !a.get().starts_with('{')) {
        let error = RpcError::new(
            code::INVALID_PARAMS,
            "Invalid params: `arguments` must be a JSON object",
        );
        return Outcome::error(StatusCode::OK, Some(r.id), &error);
    }
    let meta = r.params.meta;
    let reporting = Reporting {
        progress_token: meta
            .as_ref()
            .and_then(|m| m.get(meta::PROGRESS_TOKEN))
            .cloned(),
        min_log_level: match r.era {
            Era::Legacy(_) => r.shared.config.legacy_log_level,
            // 2026-07-28: no log notifications unless this request asked for a level.
            Era::Modern(_) => meta
                .as_ref()
                .and_then(|m| m.get(meta::LOG_LEVEL))
                .and_then(Value::as_str)
                .and_then(LogLevel::parse),
        },
    };
    let reporting = if r.allow_stream {
        reporting
    } else {
        Reporting::default()
    };
    let request = RequestParts {
        protocol_version: r.era.version(),
        request_id: RequestId::from_raw(r.id.get()),
        tool: tool.name,
        meta,
    };
    let span = tracing::debug_span!("tools/call", tool = tool.name);
    let started = tools::start(
        tool,
        args,
        request,
        Arc::clone(&r.shared.state),
        reporting,
        r.shared.config.call_timeout,
    )
    .instrument(span)
    .await;
    match started {
        Started::Done(result) => Outcome::Json(
            StatusCode::OK,
            call_result_body(r.id, r.era, r.shared, &result),
        ),
        Started::Streaming { queued, rx, call } => {
            let finish = Finish {
                id: r.id.to_owned(),
                era: r.era,
                shared: Arc::clone(r.shared),
            };
            let queue: VecDeque<Vec<u8>> = queued.into_iter().map(|n| n.0.into_bytes()).collect();
            let state = StreamState {
                queue,
                rx: Some(rx),
                call: Some(call),
                finish,
            };
            Outcome::Stream(stream::unfold(state, next_event).boxed())
        }
    }
}

/// 2026-07-28 declares client capabilities on every request, so a tool that needs one can be
/// refused up front (-32021) instead of failing half-way. Handshake-era capabilities were only
/// sent with `initialize`, which a stateless server does not remember.
fn missing_client_capabilities(
    tool: &crate::tool::ToolDef,
    meta: Option<&Map<String, Value>>,
) -> Option<RpcError> {
    let declared = meta
        .and_then(|m| m.get(meta::CLIENT_CAPABILITIES))
        .and_then(Value::as_object);
    let missing: Map<String, Value> = tool
        .client_capabilities
        .iter()
        .filter(|c| !declared.is_some_and(|d| d.contains_key(**c)))
        .map(|c| ((*c).to_owned(), json!({})))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&String> = missing.keys().collect();
    Some(
        RpcError::new(
            code::MISSING_CLIENT_CAPABILITY,
            format!(
                "Missing required client capability: tool `{}` needs {names:?}; declare it in _meta `{}`",
                tool.name,
                meta::CLIENT_CAPABILITIES
            ),
        )
        .with_data(json!({ "requiredCapabilities": missing })),
    )
}

/// Turns the call's result into the response message.
struct Finish {
    id: Box<RawValue>,
    era: Era,
    shared: Arc<Shared>,
}

impl Finish {
    fn body(&self, result: &CallToolResult) -> Vec<u8> {
        call_result_body(&self.id, self.era, &self.shared, result)
    }
}

fn call_result_body(id: &RawValue, era: Era, shared: &Shared, result: &CallToolResult) -> Vec<u8> {
    let wire = CallResultWire::new(result, era.version());
    match era {
        Era::Legacy(_) => jsonrpc::result_body(id, &wire),
        Era::Modern(_) => jsonrpc::result_body(
            id,
            &Modern {
                result: wire,
                result_type: "complete",
                meta: &shared.modern_meta,
            },
        ),
    }
}

struct StreamState {
    queue: VecDeque<Vec<u8>>,
    rx: Option<tokio::sync::mpsc::Receiver<crate::context::Notification>>,
    call: Option<crate::tool::CallFuture>,
    finish: Finish,
}

/// One step of a streamed call: queued notifications first, then whatever comes next, and the
/// response last. Dropping the stream (client gone) drops the call, which cancels it.
async fn next_event(mut s: StreamState) -> Option<(Vec<u8>, StreamState)> {
    loop {
        if let Some(event) = s.queue.pop_front() {
            return Some((event, s));
        }
        let call = s.call.as_mut()?;
        let result = match s.rx.as_mut() {
            Some(rx) => tokio::select! {
                biased;
                n = rx.recv() => match n {
                    Some(n) => { s.queue.push_back(n.0.into_bytes()); continue; }
                    None => { s.rx = None; continue; }
                },
                result = call => result,
            },
            None => call.await,
        };
        if let Some(rx) = s.rx.as_mut() {
            while let Ok(n) = rx.try_recv() {
                s.queue.push_back(n.0.into_bytes());
            }
        }
        s.queue.push_back(s.finish.body(&result));
        s.call = None;
        s.rx = None;
    }
}
