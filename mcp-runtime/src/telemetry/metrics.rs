//! Prometheus metrics: every handle the request path touches is resolved once, when the
//! server is built, so a request only bumps atomics (and takes one uncontended histogram lock
//! per tool call) — it never hashes a label set.

use std::{fmt::Write as _, time::Duration};

use prometheus_client::{
    encoding::text::encode,
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram, info::Info},
    registry::{Registry, Unit},
};

/// JSON-RPC methods get their own label value; anything else is `other`, so a client cannot
/// grow the label set by sending made-up method names. `tools/call` first: the common case
/// matches on the first comparison.
const METHODS: &[&str] = &[
    "tools/call",
    "tools/list",
    "initialize",
    "ping",
    "logging/setLevel",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/list",
    "prompts/get",
    "completion/complete",
    "server/discover",
    "subscriptions/listen",
    "other",
];

/// The label index of `tools/call`.
pub(crate) const TOOLS_CALL: usize = 0;

/// The label index of a method name.
pub(crate) fn method_index(method: &str) -> usize {
    METHODS
        .iter()
        .position(|m| *m == method)
        .unwrap_or(METHODS.len() - 1)
}

/// How one JSON-RPC request ended (`mcp_requests_total{outcome}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestOutcome {
    /// A result (including a 2026-07-28 input-required result).
    Ok,
    /// A JSON-RPC error response.
    Error,
    /// A `tools/call` result with `isError: true`.
    ToolError,
    /// Refused for missing scopes (HTTP 403).
    Forbidden,
}

impl RequestOutcome {
    const ALL: [Self; 4] = [Self::Ok, Self::Error, Self::ToolError, Self::Forbidden];

    /// Whether a request of `method` can end this way.
    fn possible_for(self, method: &str) -> bool {
        match self {
            Self::Ok | Self::Error => true,
            Self::ToolError => method == "tools/call",
            // What has scopes: tools, prompts, resources (and completing their arguments).
            Self::Forbidden => matches!(
                method,
                "tools/call"
                    | "prompts/get"
                    | "resources/read"
                    | "resources/subscribe"
                    | "resources/unsubscribe"
                    | "completion/complete"
                    | "other"
            ),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Error => "error",
            Self::ToolError => "tool_error",
            Self::Forbidden => "forbidden",
        }
    }
}

/// `mcp_errors_total{kind}`: every way a request can fail, transport to tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// -32700.
    Parse,
    /// -32600.
    InvalidRequest,
    /// -32601.
    MethodNotFound,
    /// -32602.
    InvalidParams,
    /// -32603.
    Internal,
    /// Another JSON-RPC code (missing client capability, resource not found, …).
    OtherRpc,
    /// A tool result with `isError: true` (the tool's own error or rejected arguments).
    ToolError,
    /// A tool, prompt or resource ran past the call timeout.
    Timeout,
    /// A tool, prompt or resource panicked.
    Panic,
    /// HTTP 401: no or an invalid bearer token.
    Unauthorized,
    /// HTTP 403: missing scopes (transport or per tool).
    Forbidden,
    /// HTTP 503 from auth: the token could not be checked right now.
    AuthUnavailable,
    /// Refused by the transport before dispatch (Host, Origin, media types, body size, …).
    Transport,
}

impl ErrorKind {
    const ALL: [Self; 13] = [
        Self::Parse,
        Self::InvalidRequest,
        Self::MethodNotFound,
        Self::InvalidParams,
        Self::Internal,
        Self::OtherRpc,
        Self::ToolError,
        Self::Timeout,
        Self::Panic,
        Self::Unauthorized,
        Self::Forbidden,
        Self::AuthUnavailable,
        Self::Transport,
    ];

    /// The label value (also the span's and the audit line's `error.type`).
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Parse => "parse_error",
            Self::InvalidRequest => "invalid_request",
            Self::MethodNotFound => "method_not_found",
            Self::InvalidParams => "invalid_params",
            Self::Internal => "internal_error",
            Self::OtherRpc => "other_rpc_error",
            Self::ToolError => "tool_error",
            Self::Timeout => "timeout",
            Self::Panic => "panic",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::AuthUnavailable => "auth_unavailable",
            Self::Transport => "transport",
        }
    }

    /// The kind of a JSON-RPC error code.
    pub(crate) fn of_code(code: i64) -> Self {
        match code {
            -32700 => Self::Parse,
            -32600 => Self::InvalidRequest,
            -32601 => Self::MethodNotFound,
            -32602 => Self::InvalidParams,
            -32603 => Self::Internal,
            _ => Self::OtherRpc,
        }
    }
}

/// How one tool call ended (`mcp_tool_calls_total{outcome}`, the audit line's `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallOutcome {
    /// The tool returned a result.
    Ok,
    /// The tool returned an error result.
    ToolError,
    /// The arguments (or a context parameter) were rejected before the tool ran.
    InvalidArguments,
    /// Cancelled at the call timeout.
    Timeout,
    /// The tool panicked.
    Panic,
    /// The caller lacks the tool's scopes.
    Forbidden,
    /// 2026-07-28: the tool stopped at a question to the client (the call resumes in a new
    /// request).
    InputRequired,
}

impl CallOutcome {
    const ALL: [Self; 7] = [
        Self::Ok,
        Self::ToolError,
        Self::InvalidArguments,
        Self::Timeout,
        Self::Panic,
        Self::Forbidden,
        Self::InputRequired,
    ];

    /// The label value.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::ToolError => "tool_error",
            Self::InvalidArguments => "invalid_arguments",
            Self::Timeout => "timeout",
            Self::Panic => "panic",
            Self::Forbidden => "forbidden",
            Self::InputRequired => "input_required",
        }
    }

    /// The error kind it counts as, if it is an error.
    pub(crate) fn error_kind(self) -> Option<ErrorKind> {
        match self {
            Self::Ok | Self::InputRequired => None,
            Self::ToolError | Self::InvalidArguments => Some(ErrorKind::ToolError),
            Self::Timeout => Some(ErrorKind::Timeout),
            Self::Panic => Some(ErrorKind::Panic),
            Self::Forbidden => Some(ErrorKind::Forbidden),
        }
    }

    /// The request outcome it counts as.
    pub(crate) fn request_outcome(self) -> RequestOutcome {
        match self {
            Self::Ok | Self::InputRequired => RequestOutcome::Ok,
            Self::Forbidden => RequestOutcome::Forbidden,
            _ => RequestOutcome::ToolError,
        }
    }
}

/// Why auth refused a request (`mcp_auth_failures_total{reason}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    /// 401: no, a malformed, an expired or an otherwise invalid token.
    Unauthorized,
    /// 403: the token lacks the gateway's base scopes or a tool's / prompt's / resource's.
    Forbidden,
    /// 400: a malformed request (e.g. two tokens).
    BadRequest,
    /// 503: the token could not be checked (JWKS or introspection endpoint down).
    Unavailable,
}

impl AuthFailure {
    const ALL: [Self; 4] = [
        Self::Unauthorized,
        Self::Forbidden,
        Self::BadRequest,
        Self::Unavailable,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::BadRequest => "bad_request",
            Self::Unavailable => "unavailable",
        }
    }

    /// The failure an auth denial's HTTP status stands for.
    pub(crate) fn of_status(status: http::StatusCode) -> Self {
        match status.as_u16() {
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            400 => Self::BadRequest,
            _ => Self::Unavailable,
        }
    }

    fn error_kind(self) -> ErrorKind {
        match self {
            Self::Unauthorized => ErrorKind::Unauthorized,
            Self::Forbidden => ErrorKind::Forbidden,
            Self::BadRequest => ErrorKind::Transport,
            Self::Unavailable => ErrorKind::AuthUnavailable,
        }
    }
}

type Labels = [(&'static str, &'static str); 1];
type Labels2 = [(&'static str, &'static str); 2];

/// One tool's handles.
#[derive(Debug)]
pub(crate) struct ToolMetrics {
    duration: Histogram,
    calls: [Counter; CallOutcome::ALL.len()],
}

impl ToolMetrics {
    /// Count a finished call and its duration.
    pub(crate) fn observe(&self, outcome: CallOutcome, elapsed: Duration) {
        self.duration.observe(elapsed.as_secs_f64());
        self.calls[outcome as usize].inc();
    }

    /// Count a call that never ran (refused before it started).
    pub(crate) fn count(&self, outcome: CallOutcome) {
        self.calls[outcome as usize].inc();
    }
}

/// Every metric of one server.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    requests: Vec<[Counter; RequestOutcome::ALL.len()]>,
    errors: [Counter; ErrorKind::ALL.len()],
    auth_failures: [Counter; AuthFailure::ALL.len()],
    in_flight: Gauge,
    http_duration: Histogram,
    tools: Vec<ToolMetrics>,
}

/// Seconds, 0.5 ms to 60 s: tool calls range from in-memory arithmetic to database scans.
const DURATION_BUCKETS: [f64; 16] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    60.0,
];

impl Metrics {
    /// The metrics of a server serving `tools` (index `i` of [`Self::tool`] is `tools[i]`).
    pub(crate) fn new(server_name: &str, server_version: &str, tools: &[&'static str]) -> Self {
        let mut registry = Registry::default();
        registry.register(
            "mcp_build",
            "The server's name and version, and the runtime's version",
            Info::new(vec![
                ("server", server_name.to_owned()),
                ("version", server_version.to_owned()),
                ("runtime_version", env!("CARGO_PKG_VERSION").to_owned()),
            ]),
        );

        let requests_family = Family::<Labels2, Counter>::default();
        // Only the combinations that can happen are exported (a detached counter takes the
        // others' place), so a scrape is not 64 series of mostly zeros.
        let requests = METHODS
            .iter()
            .map(|m| {
                RequestOutcome::ALL.map(|o| {
                    if o.possible_for(m) {
                        requests_family
                            .get_or_create_owned(&[("method", *m), ("outcome", o.label())])
                    } else {
                        Counter::default()
                    }
                })
            })
            .collect();
        registry.register(
            "mcp_requests",
            "JSON-RPC requests answered, by method and outcome (notifications are not counted)",
            requests_family,
        );

        let errors_family = Family::<Labels, Counter>::default();
        let errors =
            ErrorKind::ALL.map(|k| errors_family.get_or_create_owned(&[("kind", k.label())]));
        registry.register(
            "mcp_errors",
            "Failed requests and tool calls, by kind (transport, auth, JSON-RPC, tool)",
            errors_family,
        );

        let auth_family = Family::<Labels, Counter>::default();
        let auth_failures =
            AuthFailure::ALL.map(|k| auth_family.get_or_create_owned(&[("reason", k.label())]));
        registry.register(
            "mcp_auth_failures",
            "Requests refused by auth, by reason",
            auth_family,
        );

        let in_flight = Gauge::default();
        registry.register(
            "mcp_http_requests_in_flight",
            "HTTP requests on the MCP endpoints that have not been answered yet",
            in_flight.clone(),
        );

        let http_duration = Histogram::new(DURATION_BUCKETS);
        registry.register_with_unit(
            "mcp_http_request_duration",
            "Time from receiving an MCP POST to its response head (an event stream's head comes with its first event)",
            Unit::Seconds,
            http_duration.clone(),
        );

        let duration_family = Family::<Labels, Histogram>::new_with_constructor(
            (|| Histogram::new(DURATION_BUCKETS)) as fn() -> Histogram,
        );
        let calls_family = Family::<Labels2, Counter>::default();
        let tools = tools
            .iter()
            .map(|t| ToolMetrics {
                duration: duration_family.get_or_create_owned(&[("tool", t)]),
                calls: CallOutcome::ALL.map(|o| {
                    calls_family.get_or_create_owned(&[("tool", t), ("outcome", o.label())])
                }),
            })
            .collect();
        registry.register_with_unit(
            "mcp_tool_call_duration",
            "Tool call duration, by tool (OpenTelemetry: mcp.server.operation.duration of tools/call)",
            Unit::Seconds,
            duration_family,
        );
        registry.register(
            "mcp_tool_calls",
            "Tool calls, by tool and outcome",
            calls_family,
        );

        Self {
            registry,
            requests,
            errors,
            auth_failures,
            in_flight,
            http_duration,
            tools,
        }
    }

    /// Count one answered request.
    pub(crate) fn request(&self, method: usize, outcome: RequestOutcome) {
        if let Some(counters) = self.requests.get(method) {
            counters[outcome as usize].inc();
        }
    }

    /// Count one error.
    pub(crate) fn error(&self, kind: ErrorKind) {
        self.errors[kind as usize].inc();
    }

    /// Count one auth refusal (and its error).
    pub(crate) fn auth_failure(&self, failure: AuthFailure) {
        self.auth_failures[failure as usize].inc();
        self.error(failure.error_kind());
    }

    /// The handles of the tool with index `index`.
    pub(crate) fn tool(&self, index: usize) -> Option<&ToolMetrics> {
        self.tools.get(index)
    }

    /// Count a request in until the guard drops; the drop also records its duration.
    pub(crate) fn in_flight(&self) -> InFlight<'_> {
        self.in_flight.inc();
        InFlight {
            metrics: self,
            started: std::time::Instant::now(),
        }
    }

    /// The Prometheus text exposition (version 0.0.4, OpenMetrics-compatible).
    pub(crate) fn encode(&self) -> String {
        let mut text = String::with_capacity(8 * 1024);
        if encode(&mut text, &self.registry).is_err() {
            // Writing into a String cannot fail; keep the scrape readable if it ever does.
            let _ = writeln!(text, "# encoding failed");
        }
        text
    }
}

/// One request in flight: dropping it (answered, or cancelled by a client that went away)
/// takes it out again.
#[derive(Debug)]
pub(crate) struct InFlight<'a> {
    metrics: &'a Metrics,
    started: std::time::Instant,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.metrics.in_flight.dec();
        self.metrics
            .http_duration
            .observe(self.started.elapsed().as_secs_f64());
    }
}

/// The JSON-RPC error code of a response body the runtime serialized, `None` for a result.
///
/// Every error body comes from `jsonrpc::error_body*`, which writes
/// `{"jsonrpc":"2.0","id":<id>,"error":{"code":<n>,…`: reading that prefix tells the outcome
/// without parsing the body or threading a code through every method.
pub(crate) fn error_code(body: &[u8]) -> Option<i64> {
    let rest = body.strip_prefix(br#"{"jsonrpc":"2.0","id":"#)?;
    let rest = skip_id(rest)?;
    let rest = rest.strip_prefix(br#","error":{"code":"#)?;
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'-'))
        .unwrap_or(rest.len());
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// The bytes after a serialized id (a number, `null`, or a string with escapes).
fn skip_id(bytes: &[u8]) -> Option<&[u8]> {
    if let Some(string) = bytes.strip_prefix(b"\"") {
        let mut escaped = false;
        for (i, b) in string.iter().enumerate() {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => return Some(&string[i + 1..]),
                _ => {}
            }
        }
        return None;
    }
    let end = bytes.iter().position(|b| *b == b',')?;
    Some(&bytes[end..])
}

#[cfg(test)]
mod tests {
    use serde_json::value::RawValue;

    use super::*;
    use crate::protocol::jsonrpc::{self, RpcError};

    #[test]
    fn error_codes_are_read_from_the_runtime_bodies() {
        let error = RpcError::new(-32601, "Method not found");
        for id in ["7", "\"a\\\",\\\"error\\\":{\\\"code\\\":1\"", "null"] {
            let raw = RawValue::from_string(id.to_owned()).unwrap();
            let body = jsonrpc::error_body(Some(&raw), &error);
            assert_eq!(
                error_code(&body),
                Some(-32601),
                "{}",
                String::from_utf8_lossy(&body)
            );
        }
        assert_eq!(
            error_code(&jsonrpc::error_body(None, &RpcError::new(-32700, "x"))),
            Some(-32700)
        );
        let ok = jsonrpc::result_body(&7, &serde_json::json!({"error": {"code": 5}}));
        assert_eq!(error_code(&ok), None);
        let tricky = jsonrpc::result_body(&"\",\"error\":{\"code\":3", &serde_json::json!({}));
        assert_eq!(error_code(&tricky), None);
    }

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_index("tools/call"), 0);
        assert_eq!(method_index("x/y"), METHODS.len() - 1);
        assert_eq!(method_index("other"), METHODS.len() - 1);
    }

    #[test]
    fn handles_resolved_at_build_show_in_the_exposition() {
        let metrics = Metrics::new("s", "1", &["add"]);
        metrics
            .tool(0)
            .unwrap()
            .observe(CallOutcome::Ok, Duration::from_millis(2));
        metrics.request(method_index("tools/call"), RequestOutcome::Ok);
        metrics.auth_failure(AuthFailure::Unauthorized);
        drop(metrics.in_flight());
        let text = metrics.encode();
        for line in [
            r#"mcp_requests_total{method="tools/call",outcome="ok"} 1"#,
            r#"mcp_tool_calls_total{tool="add",outcome="ok"} 1"#,
            r#"mcp_tool_call_duration_seconds_count{tool="add"} 1"#,
            r#"mcp_auth_failures_total{reason="unauthorized"} 1"#,
            r#"mcp_errors_total{kind="unauthorized"} 1"#,
            "mcp_http_requests_in_flight 0",
            "mcp_http_request_duration_seconds_count 1",
        ] {
            assert!(text.contains(line), "missing `{line}` in\n{text}");
        }
    }
}
