//! Observability: spans with OpenTelemetry MCP semantic-convention fields, Prometheus
//! metrics, and the audit log. `docs/observability.md` is the operator's guide.
//!
//! * **Spans.** `http.request` per POST (DEBUG) and `mcp.request` per JSON-RPC request
//!   (DEBUG) with `mcp.method.name`, `jsonrpc.request.id`, `mcp.protocol.version`,
//!   `gen_ai.tool.name`, `error.type`, … and the caller's W3C trace context from
//!   `params._meta.traceparent` ([`TraceContext`]).
//! * **Metrics.** Always collected (atomics resolved at `build()`); exposed only where you
//!   mount [`McpServer::metrics_router`](crate::McpServer::metrics_router) — the CLI serves it
//!   on a separate `--metrics-listen` address, never on the public MCP port.
//! * **Audit.** One INFO line per tool call on the [`AUDIT_TARGET`] target; tools add what
//!   they were asked for with [`Audit`].

mod audit;
pub(crate) mod logging;
pub(crate) mod metrics;
mod trace;

use std::sync::Arc;

pub use audit::{AUDIT_TARGET, Audit};
pub(crate) use audit::{AuditCell, AuditEntry, AuditFields};
pub use logging::LogFormat;
pub use trace::{SpanHook, TraceContext};
pub(crate) use trace::{http_span, record_trace_context, request_span};

pub(crate) use self::audit::write as write_audit;
use self::metrics::Metrics;

/// Whether tool calls are written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
#[non_exhaustive]
pub enum AuditLog {
    /// On when the server runs with auth (there is a caller to name), off otherwise.
    #[default]
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
}

impl AuditLog {
    /// Whether it is on for a server with or without auth.
    pub(crate) fn enabled(self, has_auth: bool) -> bool {
        match self {
            Self::Auto => has_auth,
            Self::On => true,
            Self::Off => false,
        }
    }
}

/// A server's telemetry: its metrics and how it logs.
#[derive(Debug)]
pub(crate) struct Telemetry {
    pub(crate) metrics: Metrics,
    pub(crate) audit: bool,
    pub(crate) span_hook: Option<Hook>,
}

/// A [`SpanHook`] (closures are not `Debug`).
#[derive(Clone)]
pub(crate) struct Hook(pub(crate) Arc<SpanHook>);

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SpanHook")
    }
}

/// Serve `GET /metrics` of `server` on its own listener at `addr` (the CLI's
/// `--metrics-listen`), in a task that ends when the returned handle is aborted.
pub(crate) async fn serve_metrics(
    server: &crate::McpServer,
    addr: std::net::SocketAddr,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    if bound.ip().is_loopback() {
        tracing::info!(target: "mcp_runtime::http", "metrics at http://{bound}/metrics");
    } else {
        tracing::warn!(
            target: "mcp_runtime::http",
            "metrics at http://{bound}/metrics on a non-loopback address: make sure only the scraper can reach it"
        );
    }
    let router = server.metrics_router();
    Ok(tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!(target: "mcp_runtime::http", error = %e, "the metrics listener failed");
        }
    }))
}
