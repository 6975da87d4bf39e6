//! Running one `tools/call`: argument parsing, panics, the timeout, and notifications.

use std::{any::Any, panic::AssertUnwindSafe, sync::Arc, task::Poll, time::Duration};

use futures_util::{FutureExt as _, future::BoxFuture};
use tokio::sync::mpsc;

use crate::{
    client::{ClientLink, PendingReplies},
    context::{LogLevel, Notification, Reporter, RequestParts, StateMap, ToolContext},
    result::CallToolResult,
    telemetry::{AuditCell, metrics::CallOutcome},
    tool::{CallFuture, ToolDef},
};

/// A call's result and how it ended (for the metrics and the audit line).
pub(crate) type Ended = (CallToolResult, CallOutcome);

/// A started call's remaining work.
pub(crate) type EndedFuture = BoxFuture<'static, Ended>;

/// How many notifications a tool may queue before `Reporter` calls wait for the client.
const NOTIFICATION_BUFFER: usize = 64;

/// What the caller asked to receive while the tool runs.
#[derive(Debug, Default)]
pub(crate) struct Reporting {
    pub(crate) progress_token: Option<serde_json::Value>,
    pub(crate) min_log_level: Option<LogLevel>,
}

/// A started call.
pub(crate) enum Started {
    /// Finished before it produced a notification (or could not start): answer with JSON.
    Done(Ended),
    /// Sent notifications: answer with an event stream of these, then the rest, then the result.
    Streaming {
        queued: Vec<Notification>,
        rx: mpsc::Receiver<Notification>,
        call: EndedFuture,
    },
}

/// How a call may ask the client for input.
#[derive(Debug)]
pub(crate) enum ClientSetup {
    /// It may not (or does not take a `Client`).
    None,
    /// Handshake era: requests go out on the call's event stream.
    Legacy(Arc<PendingReplies>, Duration),
    /// 2026-07-28: this round's answers; an unanswered question ends the call.
    Modern(Arc<ClientLink>),
}

/// A call after its synchronous part: finished, or a future (with its notifications).
pub(crate) enum Begun {
    Done(Ended),
    Quiet(CallFuture),
    Reporting(CallFuture, mpsc::Receiver<Notification>),
}

/// Parse the arguments, extract the context, and create the call's future (running a sync
/// tool to completion on the way).
pub(crate) fn begin(
    tool: &'static ToolDef,
    args: Option<&serde_json::value::RawValue>,
    request: RequestParts,
    state: Arc<StateMap>,
    reporting: Reporting,
    client: ClientSetup,
    audited: bool,
) -> (Begun, Option<Arc<AuditCell>>) {
    let wants_notifications = reporting.progress_token.is_some()
        || reporting.min_log_level.is_some()
        || matches!(client, ClientSetup::Legacy(..));
    let (tx, rx) = if wants_notifications {
        let (tx, rx) = mpsc::channel(NOTIFICATION_BUFFER);
        (Some(tx), Some(rx))
    } else {
        (None, None)
    };
    let reporter = match &tx {
        Some(tx) => Reporter::new(
            tx.clone(),
            reporting.progress_token,
            reporting.min_log_level,
            tool.name,
        ),
        None => Reporter::default(),
    };
    let (link, gate) = match (client, tx) {
        (ClientSetup::Legacy(pending, timeout), Some(tx)) => (
            Arc::new(ClientLink::Legacy {
                tx,
                pending,
                timeout,
            }),
            None,
        ),
        (ClientSetup::Modern(link), _) => (Arc::clone(&link), Some(link)),
        _ => (Arc::new(ClientLink::Unavailable), None),
    };
    let mut ctx = ToolContext::new(request, state, reporter, link);
    if audited {
        ctx = ctx.audited();
    }
    // Argument parsing and sync tools run inside this call; guard it like the future.
    let begun = std::panic::catch_unwind(AssertUnwindSafe(|| (tool.call)(args, &ctx)));
    let audit = ctx.audit.take();
    drop(ctx);
    let begun = match (begun, gate) {
        (Ok(Ok(future)), Some(link)) => Ok(Ok(super::mrtr::gate(future, link, waiting_for_input))),
        (begun, _) => begun,
    };
    let begun = match (begun, rx) {
        (Ok(Ok(future)), None) => Begun::Quiet(future),
        (Ok(Ok(future)), Some(rx)) => Begun::Reporting(future, rx),
        (Ok(Err(rejected)), _) => Begun::Done((rejected, CallOutcome::InvalidArguments)),
        (Err(panic), _) => Begun::Done((panicked(tool, panic.as_ref()), CallOutcome::Panic)),
    };
    (begun, audit)
}

/// What a gated call yields when it stopped at a question (the response is the
/// `InputRequiredResult`, never this).
fn waiting_for_input() -> CallToolResult {
    CallToolResult::error("waiting for input from the client")
}

/// Run a call that may notify until it finishes or sends its first notification.
pub(crate) async fn race(
    tool: &'static ToolDef,
    future: CallFuture,
    mut rx: mpsc::Receiver<Notification>,
    timeout: Duration,
) -> Started {
    let mut call: EndedFuture = Box::pin(guarded(tool, future, timeout));
    tokio::select! {
        biased;
        result = &mut call => {
            let mut queued = Vec::new();
            while let Ok(n) = rx.try_recv() {
                queued.push(n);
            }
            if queued.is_empty() {
                Started::Done(result)
            } else {
                Started::Streaming { queued, rx, call: Box::pin(std::future::ready(result)) }
            }
        }
        Some(first) = rx.recv() => Started::Streaming { queued: vec![first], rx, call },
    }
}

/// The call with panics and the timeout turned into error results.
///
/// Most calls finish on their first poll (sync tools, async tools that never wait); they get
/// no timer at all. Only a call that has to wait pays for the (boxed) timeout, which keeps
/// every request's future small.
pub(crate) async fn guarded(
    tool: &'static ToolDef,
    future: CallFuture,
    timeout: Duration,
) -> Ended {
    let mut future = AssertUnwindSafe(future).catch_unwind();
    let first = std::future::poll_fn(|cx| Poll::Ready(future.poll_unpin(cx))).await;
    if let Poll::Ready(outcome) = first {
        return settle(tool, outcome);
    }
    match Box::pin(tokio::time::timeout(timeout, future)).await {
        Ok(outcome) => settle(tool, outcome),
        Err(_) => {
            tracing::warn!(target: "mcp_runtime::tools", tool = tool.name, ?timeout, "tool call timed out");
            let result = CallToolResult::error(format!(
                "Tool `{}` did not finish within {} ms and was cancelled. Try a narrower request.",
                tool.name,
                timeout.as_millis()
            ));
            (result, CallOutcome::Timeout)
        }
    }
}

fn settle(tool: &ToolDef, outcome: std::thread::Result<CallToolResult>) -> Ended {
    match outcome {
        Ok(result) if result.is_error => (result, CallOutcome::ToolError),
        Ok(result) => (result, CallOutcome::Ok),
        Err(panic) => (panicked(tool, panic.as_ref()), CallOutcome::Panic),
    }
}

fn panicked(tool: &ToolDef, payload: &(dyn Any + Send)) -> CallToolResult {
    let detail = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    tracing::error!(target: "mcp_runtime::tools", tool = tool.name, panic = detail, "tool panicked");
    CallToolResult::error(format!(
        "Tool `{}` failed with an internal error ({detail}). The request may be retried; if it fails again, report it to the server's operator.",
        tool.name
    ))
}
