//! Running one `tools/call`: argument parsing, panics, the timeout, and notifications.

use std::{any::Any, panic::AssertUnwindSafe, sync::Arc, time::Duration};

use futures_util::FutureExt as _;
use tokio::sync::mpsc;

use crate::{
    context::{LogLevel, Notification, Reporter, RequestParts, StateMap, ToolContext},
    result::CallToolResult,
    tool::{CallFuture, ToolDef},
};

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
    Done(CallToolResult),
    /// Sent notifications: answer with an event stream of these, then the rest, then the result.
    Streaming {
        queued: Vec<Notification>,
        rx: mpsc::Receiver<Notification>,
        call: CallFuture,
    },
}

/// Start a call and run it until it either finishes or sends its first notification.
pub(crate) async fn start(
    tool: &'static ToolDef,
    args: Option<&serde_json::value::RawValue>,
    request: RequestParts,
    state: Arc<StateMap>,
    reporting: Reporting,
    timeout: Duration,
) -> Started {
    let wants_notifications =
        reporting.progress_token.is_some() || reporting.min_log_level.is_some();
    let (reporter, rx) = if wants_notifications {
        let (tx, rx) = mpsc::channel(NOTIFICATION_BUFFER);
        let reporter = Reporter::new(
            tx,
            reporting.progress_token,
            reporting.min_log_level,
            tool.name,
        );
        (reporter, Some(rx))
    } else {
        (Reporter::default(), None)
    };
    let ctx = ToolContext::new(request, state, reporter);
    // Argument parsing and sync tools run inside this call; guard it like the future.
    let begun = std::panic::catch_unwind(AssertUnwindSafe(|| (tool.call)(args, &ctx)));
    drop(ctx);
    let future = match begun {
        Ok(Ok(future)) => future,
        Ok(Err(rejected)) => return Started::Done(rejected),
        Err(panic) => return Started::Done(panicked(tool, panic.as_ref())),
    };
    let Some(mut rx) = rx else {
        // The common case needs no second box: await the guarded call in place.
        return Started::Done(guarded(tool, future, timeout).await);
    };
    let mut call: CallFuture = Box::pin(guarded(tool, future, timeout));
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
async fn guarded(tool: &'static ToolDef, future: CallFuture, timeout: Duration) -> CallToolResult {
    match tokio::time::timeout(timeout, AssertUnwindSafe(future).catch_unwind()).await {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => panicked(tool, panic.as_ref()),
        Err(_) => {
            tracing::warn!(target: "mcp_runtime::tools", tool = tool.name, ?timeout, "tool call timed out");
            CallToolResult::error(format!(
                "Tool `{}` did not finish within {} ms and was cancelled. Try a narrower request.",
                tool.name,
                timeout.as_millis()
            ))
        }
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
