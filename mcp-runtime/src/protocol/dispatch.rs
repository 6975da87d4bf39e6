//! Method dispatch for both protocol eras on one endpoint.
//!
//! Era selection follows the 2026-07-28 "dual-era" rules: `initialize` opens a handshake
//! (legacy) exchange; a request whose `params._meta` names a protocol version is modern;
//! anything else is legacy at the revision of the `MCP-Protocol-Version` header (absent:
//! 2025-03-26, as the transport spec prescribes).

use std::sync::Arc;

use futures_util::stream::BoxStream;
use http::StatusCode;
use serde_json::value::RawValue;

use super::{
    call::PendingCall,
    era::{Era, select_era},
    jsonrpc::{self, Envelope, Params, RawEnvelope, RpcError, code},
    meta::McpHeaders,
    methods,
    version::ProtocolVersion,
};
use crate::{
    auth::AuthContext,
    server::{GatewayRuntime, Shared},
    telemetry::{
        self, TraceContext,
        metrics::{self, AuthFailure, ErrorKind, RequestOutcome},
    },
};

/// What the transport should send back.
pub(crate) enum Reply {
    /// 202 Accepted, no body (notifications and responses).
    Accepted,
    /// One JSON body.
    Json { status: StatusCode, body: Vec<u8> },
    /// An event stream: each item is one JSON-RPC message (notifications, then the response).
    Stream(BoxStream<'static, Vec<u8>>),
    /// 403: the caller's token lacks these scopes (the transport adds the challenge header).
    Forbidden {
        body: Vec<u8>,
        scopes: &'static [&'static str],
    },
}

impl Reply {
    fn error(status: StatusCode, id: Option<&RawValue>, error: &RpcError) -> Self {
        Self::Json {
            status,
            body: jsonrpc::error_body(id, error),
        }
    }
}

/// What to do with one POSTed message.
pub(crate) enum Routed {
    /// Answered already.
    Reply(Reply),
    /// A tool call to await.
    Call(PendingCall),
}

/// Whether a body is a JSON-RPC batch (answer it with [`batch`]).
pub(crate) fn is_batch(body: &[u8]) -> bool {
    body.trim_ascii_start().first() == Some(&b'[')
}

/// Route one message synchronously. Only a tool call is left to await, so the future a
/// request needs stays small however many layers the protocol has.
pub(crate) fn route(
    shared: &Arc<Shared>,
    gateway: &Arc<GatewayRuntime>,
    body: &[u8],
    headers: &McpHeaders<'_>,
    auth: Option<&AuthContext>,
) -> Routed {
    let outcome = match serde_json::from_slice::<Envelope<'_>>(body) {
        Ok(envelope) => message(shared, gateway, envelope, headers, auth, true),
        Err(e) => {
            let outcome = unparsed(body, &e, StatusCode::BAD_REQUEST);
            observe_unrouted(shared, &outcome);
            outcome
        }
    };
    match outcome {
        Outcome::None => Routed::Reply(Reply::Accepted),
        Outcome::Json(status, body) => Routed::Reply(Reply::Json { status, body }),
        Outcome::Call(call) => Routed::Call(call),
        Outcome::Stream(events) => Routed::Reply(Reply::Stream(events)),
        Outcome::Forbidden { body, scopes } => Routed::Reply(Reply::Forbidden { body, scopes }),
    }
}

/// The answer to a message that did not parse: a parse error, an invalid request, or — when
/// only its `params` are malformed — invalid params naming the request's id.
fn unparsed(body: &[u8], e: &serde_json::Error, status: StatusCode) -> Outcome {
    if e.classify() == serde_json::error::Category::Data
        && let Ok(raw) = serde_json::from_slice::<RawEnvelope<'_>>(body)
        && let (Some(id), Some(method)) = (raw.id.filter(|i| jsonrpc::is_valid_id(i)), raw.method)
    {
        let error = RpcError::new(
            code::INVALID_PARAMS,
            format!(
                "Invalid params for `{}`: {}",
                jsonrpc::clip(&method),
                jsonrpc::clip(&e.to_string())
            ),
        );
        return Outcome::error(StatusCode::OK, Some(id), &error);
    }
    Outcome::error(status, None, &unreadable(e))
}

fn unreadable(e: &serde_json::Error) -> RpcError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => RpcError::new(
            code::PARSE_ERROR,
            format!(
                "Parse error: the body is not valid JSON ({})",
                jsonrpc::clip(&e.to_string())
            ),
        ),
        Category::Data => RpcError::new(
            code::INVALID_REQUEST,
            format!(
                "Invalid request: not a JSON-RPC 2.0 message ({})",
                jsonrpc::clip(&e.to_string())
            ),
        ),
    }
}

/// JSON-RPC batches exist only in 2025-03-26; later revisions removed them. Calls in a batch
/// run one after another and never stream.
pub(crate) async fn batch(
    shared: &Arc<Shared>,
    gateway: &Arc<GatewayRuntime>,
    body: &[u8],
    headers: &McpHeaders<'_>,
    auth: Option<&AuthContext>,
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
        shared.telemetry.metrics.error(ErrorKind::InvalidRequest);
        return Reply::error(StatusCode::BAD_REQUEST, None, &error);
    }
    let items: Vec<&RawValue> = match serde_json::from_slice(body) {
        Ok(items) => items,
        Err(e) => {
            let error = unreadable(&e);
            shared
                .telemetry
                .metrics
                .error(ErrorKind::of_code(error.code));
            return Reply::error(StatusCode::BAD_REQUEST, None, &error);
        }
    };
    if items.is_empty() {
        let error = RpcError::new(code::INVALID_REQUEST, "Invalid request: empty batch");
        shared.telemetry.metrics.error(ErrorKind::InvalidRequest);
        return Reply::error(StatusCode::BAD_REQUEST, None, &error);
    }
    let mut replies = Vec::new();
    for item in items {
        let outcome = match serde_json::from_str::<Envelope<'_>>(item.get()) {
            Ok(envelope) => message(shared, gateway, envelope, headers, auth, false),
            Err(e) => {
                let outcome = unparsed(item.get().as_bytes(), &e, StatusCode::OK);
                observe_unrouted(shared, &outcome);
                outcome
            }
        };
        match outcome {
            // Streams exist only in 2026-07-28, which has no batches.
            Outcome::None | Outcome::Stream(_) => {}
            Outcome::Json(_, body) | Outcome::Forbidden { body, .. } => replies.push(body),
            Outcome::Call(call) => match call.run().await {
                Reply::Json { body, .. } | Reply::Forbidden { body, .. } => replies.push(body),
                Reply::Accepted | Reply::Stream(_) => unreachable_stream(),
            },
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
    // Batched calls get no notification channel, so they never stream or go unanswered.
    tracing::error!(target: "mcp_runtime::protocol", "a batched call tried to stream; dropped");
}

/// The answer to one message.
pub(crate) enum Outcome {
    /// Nothing (a notification or a response).
    None,
    /// A JSON-RPC response.
    Json(StatusCode, Vec<u8>),
    /// A tool call still to run.
    Call(PendingCall),
    /// An event stream (`subscriptions/listen`).
    Stream(BoxStream<'static, Vec<u8>>),
    /// A JSON-RPC error for a call the caller's scopes do not allow (HTTP 403 alone).
    Forbidden {
        body: Vec<u8>,
        scopes: &'static [&'static str],
    },
}

impl Outcome {
    pub(crate) fn error(status: StatusCode, id: Option<&RawValue>, error: &RpcError) -> Self {
        Self::Json(status, jsonrpc::error_body(id, error))
    }
}

fn message(
    shared: &Arc<Shared>,
    gateway: &Arc<GatewayRuntime>,
    envelope: Envelope<'_>,
    headers: &McpHeaders<'_>,
    auth: Option<&AuthContext>,
    allow_stream: bool,
) -> Outcome {
    let id = envelope.id;
    if envelope.jsonrpc.as_deref() != Some("2.0") {
        let error = RpcError::new(
            code::INVALID_REQUEST,
            "Invalid request: `jsonrpc` must be \"2.0\"",
        );
        return unrouted(
            shared,
            Outcome::error(
                StatusCode::BAD_REQUEST,
                id.filter(|i| jsonrpc::is_valid_id(i)),
                &error,
            ),
        );
    }
    let Some(method) = envelope.method.as_deref() else {
        if let Some(id) = id
            && (envelope.result.is_some() || envelope.error.is_some())
        {
            // A reply to an elicitation/sampling/roots request of a handshake-era call: hand it
            // to the call waiting in this process. One that waits elsewhere (another replica)
            // or no longer waits is dropped; the call then times out.
            let id: Option<String> = serde_json::from_str(id.get()).ok();
            let delivered = id.is_some_and(|id| {
                shared.pending.complete(
                    &id,
                    envelope.result.map(RawValue::get),
                    envelope.error.map(RawValue::get),
                )
            });
            if !delivered {
                tracing::debug!(target: "mcp_runtime::protocol", "a client reply matched no waiting request in this process");
            }
            return Outcome::None;
        }
        let error = RpcError::new(code::INVALID_REQUEST, "Invalid request: missing `method`");
        return unrouted(
            shared,
            Outcome::error(
                StatusCode::BAD_REQUEST,
                id.filter(|i| jsonrpc::is_valid_id(i)),
                &error,
            ),
        );
    };
    let Some(id) = id else {
        // Notifications need no answer; unknown ones are ignored as JSON-RPC prescribes.
        return Outcome::None;
    };
    if !jsonrpc::is_valid_id(id) {
        let error = RpcError::new(
            code::INVALID_REQUEST,
            "Invalid request: `id` must be a string or a 64-bit integer (MCP forbids null)",
        );
        return unrouted(
            shared,
            Outcome::error(StatusCode::BAD_REQUEST, None, &error),
        );
    }
    let params = envelope.params.unwrap_or_default();
    let span = telemetry::request_span(method, id.get(), &gateway.gateway.name);
    let trace = params.meta.as_ref().and_then(TraceContext::from_meta);
    if let Some(trace) = &trace {
        telemetry::record_trace_context(&span, trace);
        if let Some(hook) = &shared.telemetry.span_hook {
            (hook.0)(&span, trace);
        }
    }
    let trace_id = trace.map(|t| TraceId::new(t.trace_id));
    let _entered = span.enter();
    if let Some(auth) = auth
        && !span.is_disabled()
    {
        span.record("tenant.id", auth.tenant());
        span.record("user.id", auth.subject());
        span.record("client.id", auth.client_id());
    }
    let outcome = match select_era(method, &params, headers) {
        Ok(era) => {
            span.record("mcp.protocol.version", era.version().as_str());
            let request = Request {
                shared,
                gateway,
                id,
                method,
                params,
                era,
                allow_stream,
                auth,
                span: &span,
                trace_id,
            };
            match era {
                Era::Legacy(_) => methods::legacy(request),
                Era::Modern(_) => methods::modern(request, headers),
            }
        }
        Err((status, error)) => Outcome::error(status, Some(id), &error),
    };
    observe(shared, metrics::method_index(method), &span, &outcome);
    outcome
}

/// Count an answered request (tool calls, prompts and resource reads are counted when they
/// finish) and record its outcome on its span.
fn observe(shared: &Shared, method: usize, span: &tracing::Span, outcome: &Outcome) {
    let metrics = &shared.telemetry.metrics;
    match outcome {
        Outcome::Json(_, body) => match metrics::error_code(body) {
            Some(code) => {
                let kind = ErrorKind::of_code(code);
                metrics.request(method, RequestOutcome::Error);
                metrics.error(kind);
                span.record("error.type", kind.label());
                span.record("rpc.response.status_code", code);
            }
            None => metrics.request(method, RequestOutcome::Ok),
        },
        Outcome::Forbidden { .. } => {
            metrics.request(method, RequestOutcome::Forbidden);
            metrics.auth_failure(AuthFailure::Forbidden);
            span.record("error.type", ErrorKind::Forbidden.label());
        }
        Outcome::Stream(_) => metrics.request(method, RequestOutcome::Ok),
        Outcome::None | Outcome::Call(_) => {}
    }
}

/// [`observe_unrouted`], passing the outcome on.
fn unrouted(shared: &Shared, outcome: Outcome) -> Outcome {
    observe_unrouted(shared, &outcome);
    outcome
}

/// Count a message refused before it had a method and an id to count it under.
fn observe_unrouted(shared: &Shared, outcome: &Outcome) {
    if let Outcome::Json(_, body) = outcome
        && let Some(code) = metrics::error_code(body)
    {
        shared.telemetry.metrics.error(ErrorKind::of_code(code));
    }
}

/// A W3C trace id, copied out of the request's `_meta` for the audit line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TraceId([u8; 32]);

impl TraceId {
    fn new(hex: &str) -> Self {
        let mut bytes = [b'0'; 32];
        let n = hex.len().min(32);
        bytes[..n].copy_from_slice(&hex.as_bytes()[..n]);
        Self(bytes)
    }

    /// The 32 hex digits.
    pub(crate) fn as_str(&self) -> &str {
        // Validated lowercase hex on the way in; the fallback is never taken.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// One request, routed to its era, on its way to a method.
pub(crate) struct Request<'r, 'a> {
    pub(crate) shared: &'r Arc<Shared>,
    pub(crate) gateway: &'r Arc<GatewayRuntime>,
    pub(crate) id: &'a RawValue,
    pub(crate) method: &'a str,
    pub(crate) params: Params<'a>,
    pub(crate) era: Era,
    /// False inside a batch: its calls answer with JSON only.
    pub(crate) allow_stream: bool,
    /// The verified caller; `None` when the server runs without auth.
    pub(crate) auth: Option<&'r AuthContext>,
    /// The request's `mcp.request` span.
    pub(crate) span: &'r tracing::Span,
    /// The caller's W3C trace id, when `_meta` carried a `traceparent`.
    pub(crate) trace_id: Option<TraceId>,
}
