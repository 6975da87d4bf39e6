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
        Err(e) => unparsed(body, &e, StatusCode::BAD_REQUEST),
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
            format!("Invalid params for `{method}`: {e}"),
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
            format!("Parse error: the body is not valid JSON ({e})"),
        ),
        Category::Data => RpcError::new(
            code::INVALID_REQUEST,
            format!("Invalid request: not a JSON-RPC 2.0 message ({e})"),
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
            Ok(envelope) => message(shared, gateway, envelope, headers, auth, false),
            Err(e) => unparsed(item.get().as_bytes(), &e, StatusCode::OK),
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
        return Outcome::error(
            StatusCode::BAD_REQUEST,
            id.filter(|i| jsonrpc::is_valid_id(i)),
            &error,
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
    let params = envelope.params.unwrap_or_default();
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
        auth,
    };
    match era {
        Era::Legacy(_) => methods::legacy(request),
        Era::Modern(_) => methods::modern(request, headers),
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
}
