//! Spans with OpenTelemetry MCP semantic-convention field names, and the W3C trace context
//! MCP clients send in `params._meta`.

use serde_json::{Map, Value};
use tracing::{Span, field::Empty};

/// The `_meta` keys MCP uses for W3C Trace Context (the same names as the HTTP headers).
const TRACEPARENT: &str = "traceparent";
const TRACESTATE: &str = "tracestate";

/// A `tracestate` longer than this is not recorded (W3C allows 32 members of ≤ 256 bytes;
/// real ones are short, and a span field should not carry a caller's megabyte).
const MAX_TRACESTATE: usize = 512;

/// The W3C trace context of a request, read from its `params._meta.traceparent` (and
/// `tracestate`).
///
/// The runtime records it on the request's span (`trace_id`, `parent_span_id`,
/// `trace_flags`, `tracestate`) and hands it to the hook set with
/// [`McpServerBuilder::on_request_span`](crate::McpServerBuilder::on_request_span), where an
/// OpenTelemetry layer can make it the span's parent; see `docs/observability.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceContext<'a> {
    /// The whole `traceparent` value, validated: `00-<trace id>-<parent id>-<flags>`.
    pub traceparent: &'a str,
    /// 32 lowercase hex digits.
    pub trace_id: &'a str,
    /// 16 lowercase hex digits: the caller's span.
    pub parent_span_id: &'a str,
    /// 2 hex digits; bit 0 is "sampled".
    pub trace_flags: &'a str,
    /// The vendor-specific `tracestate`, when present and of sane size.
    pub tracestate: Option<&'a str>,
}

impl<'a> TraceContext<'a> {
    /// Parse a `traceparent` (W3C Trace Context level 1); `None` when it is malformed, all
    /// zeros, or of the forbidden version `ff`.
    pub fn parse(traceparent: &'a str, tracestate: Option<&'a str>) -> Option<Self> {
        let mut parts = traceparent.split('-');
        let (version, trace_id, parent, flags) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        // Version 00 has exactly four parts; later versions may append more.
        if version == "00" && parts.next().is_some() {
            return None;
        }
        let hex = |s: &str, len: usize| {
            s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        };
        let nonzero = |s: &str| s.bytes().any(|b| b != b'0');
        let valid = hex(version, 2)
            && version != "ff"
            && hex(trace_id, 32)
            && nonzero(trace_id)
            && hex(parent, 16)
            && nonzero(parent)
            && hex(flags, 2);
        if !valid {
            return None;
        }
        let tracestate = tracestate
            .filter(|s| s.len() <= MAX_TRACESTATE && s.bytes().all(|b| (0x20..0x7f).contains(&b)));
        Some(Self {
            traceparent,
            trace_id,
            parent_span_id: parent,
            trace_flags: flags,
            tracestate,
        })
    }

    /// The trace context of a request's `_meta`, if it carries a valid one.
    pub(crate) fn from_meta(meta: &'a Map<String, Value>) -> Option<Self> {
        let traceparent = meta.get(TRACEPARENT)?.as_str()?;
        let tracestate = meta.get(TRACESTATE).and_then(Value::as_str);
        Self::parse(traceparent, tracestate)
    }

    /// Whether the caller sampled this trace.
    pub fn sampled(&self) -> bool {
        u8::from_str_radix(self.trace_flags, 16).is_ok_and(|f| f & 1 == 1)
    }
}

/// Called with every MCP request span and the caller's trace context (see
/// [`McpServerBuilder::on_request_span`](crate::McpServerBuilder::on_request_span)).
pub type SpanHook = dyn Fn(&Span, &TraceContext<'_>) + Send + Sync;

/// The span of one HTTP request to an MCP endpoint.
///
/// DEBUG: the MCP request span inside it carries everything an operator filters on, and at
/// the default `info` filter a disabled span costs one relaxed load (see
/// `docs/observability.md` for the measurement).
pub(crate) fn http_span(
    method: &http::Method,
    path: &str,
    version: http::Version,
    gateway: &str,
) -> Span {
    tracing::debug_span!(
        target: "mcp_runtime::http",
        "http.request",
        otel.kind = "server",
        otel.name = %method,
        http.request.method = %method,
        url.path = path,
        network.transport = "tcp",
        network.protocol.name = "http",
        network.protocol.version = protocol_version(version),
        mcp.gateway = gateway,
        http.response.status_code = Empty,
    )
}

fn protocol_version(version: http::Version) -> &'static str {
    match version {
        http::Version::HTTP_10 => "1.0",
        http::Version::HTTP_2 => "2",
        http::Version::HTTP_3 => "3",
        _ => "1.1",
    }
}

/// The span of one MCP request (one JSON-RPC message with a method and an id).
///
/// Field names follow the OpenTelemetry MCP semantic conventions (`mcp.method.name`,
/// `jsonrpc.request.id`, `gen_ai.tool.name`, …); `otel.name` and `otel.kind` are what
/// `tracing-opentelemetry` reads as the span's name (`{method} {target}`) and kind.
pub(crate) fn request_span(method: &str, request_id: &str, gateway: &str) -> Span {
    tracing::debug_span!(
        target: "mcp_runtime::request",
        "mcp.request",
        otel.kind = "server",
        otel.name = Empty,
        mcp.method.name = method,
        jsonrpc.request.id = request_id,
        jsonrpc.protocol.version = "2.0",
        mcp.protocol.version = Empty,
        mcp.gateway = gateway,
        gen_ai.operation.name = Empty,
        gen_ai.tool.name = Empty,
        gen_ai.prompt.name = Empty,
        mcp.resource.uri = Empty,
        tenant.id = Empty,
        user.id = Empty,
        client.id = Empty,
        error.type = Empty,
        rpc.response.status_code = Empty,
        trace_id = Empty,
        parent_span_id = Empty,
        trace_flags = Empty,
        tracestate = Empty,
    )
}

/// Record the caller's trace context on a request span.
pub(crate) fn record_trace_context(span: &Span, trace: &TraceContext<'_>) {
    span.record("trace_id", trace.trace_id);
    span.record("parent_span_id", trace.parent_span_id);
    span.record("trace_flags", trace.trace_flags);
    if let Some(state) = trace.tracestate {
        span.record("tracestate", state);
    }
}

#[cfg(test)]
mod tests {
    use super::TraceContext;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn w3c_traceparents() {
        let t = TraceContext::parse(VALID, Some("rojo=00f067aa0ba902b7")).unwrap();
        assert_eq!(t.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(t.parent_span_id, "00f067aa0ba902b7");
        assert!(t.sampled());
        assert_eq!(t.tracestate, Some("rojo=00f067aa0ba902b7"));
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        ] {
            assert_eq!(TraceContext::parse(bad, None), None, "{bad}");
        }
        // A future version may append fields.
        assert!(TraceContext::parse(&format!("01{}-xyz", &VALID[2..]), None).is_some());
        let long = "k=".repeat(300);
        assert_eq!(
            TraceContext::parse(VALID, Some(&long)).unwrap().tracestate,
            None
        );
    }
}
