//! Running a prompt or resource function: the shared tail of `prompts/get` and
//! `resources/read` (timeout, panics, the 2026-07-28 input gate, one JSON reply).

use std::{future::Future, panic::AssertUnwindSafe, pin::Pin, sync::Arc};

use futures_util::{FutureExt as _, future::BoxFuture};
use http::StatusCode;

use super::{
    call::PendingCall,
    dispatch::{Outcome, Reply, Request},
    jsonrpc::{self, RpcError, code},
    mrtr::{Round, gate},
};
use crate::{
    client::ClientLink,
    context::{Reporter, RequestId, RequestParts, ToolContext},
    server::Shared,
    telemetry::metrics::{self, ErrorKind, RequestOutcome},
};
use tracing::Instrument as _;

/// The context a prompt or resource function runs with: no notifications, and a client link
/// only in a 2026-07-28 round (handshake-era prompts and resources never stream).
pub(crate) fn context(
    r: &Request<'_, '_>,
    name: &'static str,
    round: Option<&Round>,
) -> ToolContext {
    let link = round.map_or_else(
        || Arc::new(ClientLink::Unavailable),
        |round| Arc::clone(&round.link),
    );
    ToolContext::new(
        RequestParts {
            protocol_version: r.era.version(),
            request_id: RequestId::from_raw(r.id.get()),
            tool: name,
            meta: r.params.meta.clone(),
            auth: r.auth.cloned(),
        },
        Arc::clone(&r.shared.state),
        Reporter::default(),
        link,
    )
}

/// Turns a finished value or error into a response body.
pub(crate) type Respond<T> = Box<dyn FnOnce(&Shared, &RequestId, T) -> Vec<u8> + Send>;

/// Await `future` as the request's reply; `what` names it in error messages.
pub(crate) fn reply<T: Send + 'static, E: Send + 'static>(
    r: &Request<'_, '_>,
    what: String,
    future: Pin<Box<dyn Future<Output = Result<T, E>> + Send>>,
    round: Option<Round>,
    ok: Respond<T>,
    err: Respond<E>,
) -> Outcome {
    let shared = Arc::clone(r.shared);
    let id = RequestId::from_raw(r.id.get());
    let timeout = shared.config.call_timeout;
    let method = metrics::method_index(r.method);
    let span = r.span.clone();
    if !span.is_disabled() {
        if let Some(name) = r.params.name.as_deref() {
            span.record("gen_ai.prompt.name", name);
            span.record("otel.name", format_args!("{} {name}", r.method));
        } else if let Some(uri) = r.params.uri.as_deref() {
            span.record("mcp.resource.uri", uri);
            span.record("otel.name", format_args!("{} {uri}", r.method));
        }
    }
    // `None`: stopped at a question (see `gate`).
    let future: BoxFuture<'static, Option<Result<T, E>>> = Box::pin(future.map(Some));
    let future = match &round {
        Some(round) => gate(future, Arc::clone(&round.link), || None),
        None => future,
    };
    Outcome::Call(PendingCall::Other(Box::pin(
        async move {
            let outcome = AssertUnwindSafe(tokio::time::timeout(timeout, future))
                .catch_unwind()
                .await;
            let internal = |message: String| {
                jsonrpc::error_body_for(&id, &RpcError::new(code::INTERNAL_ERROR, message))
            };
            // The error kind of an ending the body does not show (a timeout and a panic are both
            // internal errors on the wire).
            let mut failure = None;
            let body = match outcome {
                Ok(Ok(Some(Ok(value)))) => ok(&shared, &id, value),
                Ok(Ok(Some(Err(error)))) => err(&shared, &id, error),
                Ok(Ok(None)) => round
                    .as_ref()
                    .and_then(|round| round.input_required_body(&shared, &id))
                    .unwrap_or_else(|| internal(format!("{what} stopped without an answer"))),
                Ok(Err(_)) => {
                    failure = Some(ErrorKind::Timeout);
                    internal(format!(
                        "{what} did not finish within {} ms",
                        timeout.as_millis()
                    ))
                }
                Err(_) => {
                    tracing::error!(target: "mcp_runtime::protocol", what, "panicked");
                    failure = Some(ErrorKind::Panic);
                    internal(format!("{what} failed with an internal error"))
                }
            };
            let metrics = &shared.telemetry.metrics;
            match (failure, metrics::error_code(&body)) {
                (None, None) => metrics.request(method, RequestOutcome::Ok),
                (failure, code) => {
                    let kind = failure
                        .or(code.map(ErrorKind::of_code))
                        .unwrap_or(ErrorKind::Internal);
                    metrics.request(method, RequestOutcome::Error);
                    metrics.error(kind);
                    tracing::Span::current().record("error.type", kind.label());
                }
            }
            Reply::Json {
                status: StatusCode::OK,
                body,
            }
        }
        .instrument(span),
    )))
}
