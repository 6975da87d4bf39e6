//! Observability over real sockets: the Prometheus exposition after successful, failing,
//! panicking, timed-out and refused calls; auth failures; the `mcp.request` span's
//! OpenTelemetry fields and the caller's W3C trace context; the audit line of a call.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

#[allow(
    dead_code,
    reason = "shared with adversarial_http.rs, which uses all of it"
)]
mod raw_http;

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use mcp_runtime::{
    AuditLog, McpServer,
    auth::{Auth, DevKey, TokenRequest},
    prelude::*,
};
use raw_http::{call, exchange, post};
use tokio::{net::TcpListener, sync::oneshot};
use tracing::{
    Subscriber,
    field::{Field, Visit},
    span,
};
use tracing_subscriber::{Layer, layer::Context, prelude::*, registry::LookupSpan};

/// Adds two integers.
#[mcp_tool]
fn obs_add(a: i64, b: i64) -> Sum {
    Sum { sum: a + b }
}

/// A sum.
#[derive(serde::Serialize, schemars::JsonSchema)]
struct Sum {
    /// a + b
    sum: i64,
}

/// Notes found.
#[derive(serde::Serialize, schemars::JsonSchema)]
struct Notes {
    /// The notes.
    notes: Vec<String>,
}

/// Always fails.
#[mcp_tool]
fn obs_fail() -> Result<String, String> {
    Err("out of stock".to_owned())
}

/// Panics.
#[mcp_tool]
#[allow(clippy::panic, reason = "the test is about panics")]
fn obs_boom() -> String {
    panic!("kaboom")
}

/// Outlives the call timeout.
#[mcp_tool]
async fn obs_slow() -> String {
    tokio::time::sleep(Duration::from_secs(30)).await;
    "late".to_owned()
}

/// Needs a scope, and says what it was asked.
#[mcp_tool(scopes = ["notes:read"])]
fn obs_notes(
    /// What to look for.
    query: String,
    #[ctx] audit: Audit,
) -> Notes {
    audit.query(&query);
    audit.total(2);
    Notes {
        notes: vec!["secret note one".to_owned(), "secret note two".to_owned()],
    }
}

const TOOLS: &[&str] = &["obs_add", "obs_fail", "obs_boom", "obs_slow"];
const BASE: &str = "http://127.0.0.1";

/// A server on an ephemeral loopback port and its metrics on another.
struct Running {
    mcp: SocketAddr,
    metrics: SocketAddr,
    server: McpServer,
    _stop: oneshot::Sender<()>,
}

async fn start(server: McpServer) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mcp = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = server.clone();
    tokio::spawn(async move {
        serving
            .serve_listener(listener, async {
                let _ = stopped.await;
            })
            .await
    });
    let metrics_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics = metrics_listener.local_addr().unwrap();
    let router = server.metrics_router();
    tokio::spawn(async move { axum::serve(metrics_listener, router).await });
    Running {
        mcp,
        metrics,
        server,
        _stop: stop,
    }
}

async fn get(addr: SocketAddr, path: &str) -> raw_http::Response {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    exchange(addr, request.as_bytes()).await
}

async fn scrape(running: &Running) -> String {
    let response = get(running.metrics, "/metrics").await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert!(
        response
            .header("content-type")
            .unwrap()
            .starts_with("application/openmetrics-text"),
        "{:?}",
        response.headers
    );
    let text = response.text();
    assert_eq!(
        text,
        running.server.metrics_text(),
        "two scrapes in a row differ"
    );
    text
}

fn assert_has(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            text.lines().any(|l| l == *line),
            "missing `{line}` in\n{text}"
        );
    }
}

#[tokio::test]
async fn metrics_count_requests_errors_and_per_tool_durations() {
    let server = McpServer::builder()
        .name("obs-test")
        .only_tools(TOOLS)
        .call_timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    let running = start(server).await;
    let rpc = |body: String| {
        let addr = running.mcp;
        async move { exchange(addr, &post(addr, body.as_bytes(), &[])).await }
    };
    for id in ["1", "2"] {
        let reply = rpc(call(id, "obs_add", r#"{"a":1,"b":2}"#)).await;
        assert_eq!(reply.json()["result"]["structuredContent"]["sum"], 3);
    }
    for tool in ["obs_fail", "obs_boom", "obs_slow"] {
        let reply = rpc(call("3", tool, "{}")).await;
        assert_eq!(reply.json()["result"]["isError"], true, "{tool}");
    }
    let rejected = rpc(call("4", "obs_add", r#"{"a":"one"}"#)).await;
    assert_eq!(rejected.json()["result"]["isError"], true);
    assert_eq!(
        rpc(r#"{"jsonrpc":"2.0","id":5,"method":"no/such"}"#.to_owned())
            .await
            .rpc_error()
            .0,
        -32601
    );
    assert_eq!(rpc("{not json".to_owned()).await.rpc_error().0, -32700);
    assert_eq!(
        rpc(r#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{}}"#.to_owned())
            .await
            .rpc_error()
            .0,
        -32602
    );
    let addr = running.mcp;
    let text_plain = format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    );
    let unsupported = exchange(addr, text_plain.as_bytes()).await;
    assert_eq!(unsupported.status, 415);
    let batch = rpc(r#"[{"jsonrpc":"2.0","id":8,"method":"ping"}]"#.to_owned()).await;
    assert_eq!(batch.status, 400, "batches are 2025-03-26 only");

    let text = scrape(&running).await;
    assert_has(
        &text,
        &[
            r#"mcp_requests_total{method="tools/call",outcome="ok"} 2"#,
            r#"mcp_requests_total{method="tools/call",outcome="tool_error"} 4"#,
            r#"mcp_requests_total{method="tools/call",outcome="error"} 1"#,
            r#"mcp_requests_total{method="other",outcome="error"} 1"#,
            r#"mcp_tool_calls_total{tool="obs_add",outcome="ok"} 2"#,
            r#"mcp_tool_calls_total{tool="obs_add",outcome="invalid_arguments"} 1"#,
            r#"mcp_tool_calls_total{tool="obs_fail",outcome="tool_error"} 1"#,
            r#"mcp_tool_calls_total{tool="obs_boom",outcome="panic"} 1"#,
            r#"mcp_tool_calls_total{tool="obs_slow",outcome="timeout"} 1"#,
            r#"mcp_tool_call_duration_seconds_count{tool="obs_add"} 3"#,
            r#"mcp_tool_call_duration_seconds_count{tool="obs_slow"} 1"#,
            r#"mcp_errors_total{kind="tool_error"} 2"#,
            r#"mcp_errors_total{kind="panic"} 1"#,
            r#"mcp_errors_total{kind="timeout"} 1"#,
            r#"mcp_errors_total{kind="method_not_found"} 1"#,
            r#"mcp_errors_total{kind="parse_error"} 1"#,
            r#"mcp_errors_total{kind="invalid_params"} 1"#,
            r#"mcp_errors_total{kind="transport"} 1"#,
            r#"mcp_errors_total{kind="invalid_request"} 1"#,
            "mcp_http_requests_in_flight 0",
            "mcp_http_request_duration_seconds_count 11",
        ],
    );
    // The timed-out call waited for the 50 ms timeout: its duration says so.
    let slow_sum: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix(r#"mcp_tool_call_duration_seconds_sum{tool="obs_slow"} "#))
        .unwrap()
        .parse()
        .unwrap();
    assert!(slow_sum >= 0.05, "obs_slow took {slow_sum} s");
    assert!(
        text.contains(r#"mcp_build_info{server="obs-test""#),
        "{text}"
    );
    assert!(text.ends_with("# EOF\n"), "{text}");
    // Never on the public port.
    assert_eq!(get(running.mcp, "/metrics").await.status, 404);
}

#[tokio::test]
async fn auth_failures_and_scope_denials_are_counted_and_audited() {
    let key = DevKey::generate().unwrap();
    let server = McpServer::builder()
        .only_tools(&["obs_notes"])
        .auth(Auth::new(key.verifier(BASE), BASE).authorization_server(BASE))
        .build()
        .unwrap();
    let running = start(server).await;
    let token = |scopes: &[&str]| {
        key.mint(&TokenRequest {
            issuer: BASE.to_owned(),
            audience: format!("{BASE}/mcp"),
            subject: "alice".to_owned(),
            tenant: Some("acme".to_owned()),
            tenant_claim: "tenant".to_owned(),
            client_id: Some("notes-app".to_owned()),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            ttl: Duration::from_secs(600),
        })
        .unwrap()
    };
    let body = call("1", "obs_notes", r#"{"query":"groceries"}"#);
    let send = |auth: Option<String>| {
        let addr = running.mcp;
        let body = body.clone();
        async move {
            let header = auth.map(|t| format!("Authorization: Bearer {t}"));
            let extra: Vec<&str> = header.iter().map(String::as_str).collect();
            exchange(addr, &post(addr, body.as_bytes(), &extra)).await
        }
    };
    let (logs, _guard) = capture();
    assert_eq!(send(None).await.status, 401);
    assert_eq!(send(Some("not-a-jwt".to_owned())).await.status, 401);
    let reader = token(&["notes:read"]);
    let denied = token(&["other"]);
    assert_eq!(send(Some(denied.clone())).await.status, 403);
    let ok = send(Some(reader.clone())).await;
    assert_eq!(ok.status, 200, "{}", ok.text());

    let text = scrape(&running).await;
    assert_has(
        &text,
        &[
            r#"mcp_auth_failures_total{reason="unauthorized"} 2"#,
            r#"mcp_auth_failures_total{reason="forbidden"} 1"#,
            r#"mcp_errors_total{kind="unauthorized"} 2"#,
            r#"mcp_errors_total{kind="forbidden"} 1"#,
            r#"mcp_requests_total{method="tools/call",outcome="forbidden"} 1"#,
            r#"mcp_tool_calls_total{tool="obs_notes",outcome="forbidden"} 1"#,
            r#"mcp_tool_calls_total{tool="obs_notes",outcome="ok"} 1"#,
            "mcp_http_requests_in_flight 0",
        ],
    );

    let audit = logs.events("mcp_audit");
    assert_eq!(
        audit.len(),
        2,
        "one line per call that reached a tool: {audit:?}"
    );
    let (denied_line, ok_line) = (&audit[0], &audit[1]);
    assert_eq!(denied_line["outcome"], "forbidden");
    assert_eq!(ok_line["outcome"], "ok");
    for line in &audit {
        assert_eq!(line["tenant"], "acme");
        assert_eq!(line["user"], "alice");
        assert_eq!(line["client"], "notes-app");
        assert_eq!(line["tool"], "obs_notes");
        assert_eq!(line["gateway"], "default");
        assert_eq!(line["request_id"], "1");
        assert!(line.contains_key("duration_ms"), "{line:?}");
    }
    assert_eq!(ok_line["query"], "groceries");
    assert_eq!(ok_line["total"], "2");
    let everything = logs.text();
    for secret in [&reader, &denied, "secret note"] {
        assert!(
            !everything.contains(secret),
            "`{secret}` leaked into the logs"
        );
    }
}

#[tokio::test]
async fn request_spans_carry_semconv_fields_and_the_callers_trace_context() {
    const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let hooked = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&hooked);
    let server = McpServer::builder()
        .only_tools(TOOLS)
        .audit_log(AuditLog::On)
        .on_request_span(move |_span, trace| {
            seen.lock()
                .unwrap()
                .push(format!("{} {:?}", trace.traceparent, trace.tracestate));
        })
        .build()
        .unwrap();
    let running = start(server).await;
    let (logs, _guard) = capture();
    let modern = |id: u32, tool: &str, arguments: &str| {
        format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"{tool}","arguments":{arguments},
            "_meta":{{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{{}},
            "traceparent":"{TRACEPARENT}","tracestate":"vendor=abc"}}}}}}"#
        )
    };
    let headers = |tool: &'static str| {
        [
            "MCP-Protocol-Version: 2026-07-28",
            "Mcp-Method: tools/call",
            match tool {
                "obs_add" => "Mcp-Name: obs_add",
                _ => "Mcp-Name: obs_fail",
            },
        ]
    };
    let ok = exchange(
        running.mcp,
        &post(
            running.mcp,
            modern(41, "obs_add", r#"{"a":2,"b":3}"#).as_bytes(),
            &headers("obs_add"),
        ),
    )
    .await;
    assert_eq!(
        ok.json()["result"]["structuredContent"]["sum"],
        5,
        "{}",
        ok.text()
    );
    let failed = exchange(
        running.mcp,
        &post(
            running.mcp,
            modern(42, "obs_fail", "{}").as_bytes(),
            &headers("obs_fail"),
        ),
    )
    .await;
    assert_eq!(failed.json()["result"]["isError"], true);

    let spans = logs.spans("mcp.request");
    assert_eq!(spans.len(), 2, "{spans:?}");
    let (add, fail) = (&spans[0], &spans[1]);
    let expect = [
        ("mcp.method.name", "tools/call"),
        ("gen_ai.tool.name", "obs_add"),
        ("gen_ai.operation.name", "execute_tool"),
        ("otel.name", "tools/call obs_add"),
        ("otel.kind", "server"),
        ("jsonrpc.request.id", "41"),
        ("jsonrpc.protocol.version", "2.0"),
        ("mcp.protocol.version", "2026-07-28"),
        ("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"),
        ("parent_span_id", "00f067aa0ba902b7"),
        ("trace_flags", "01"),
        ("tracestate", "vendor=abc"),
        ("parent", "http.request"),
    ];
    for (field, value) in expect {
        assert_eq!(
            add.get(field).map(String::as_str),
            Some(value),
            "{field}: {add:?}"
        );
    }
    assert!(!add.contains_key("error.type"), "{add:?}");
    assert_eq!(fail["error.type"], "tool_error");
    assert_eq!(fail["gen_ai.tool.name"], "obs_fail");

    let http = logs.spans("http.request");
    assert_eq!(http.len(), 2, "{http:?}");
    for (field, value) in [
        ("http.request.method", "POST"),
        ("url.path", "/mcp"),
        ("network.transport", "tcp"),
        ("network.protocol.name", "http"),
        ("network.protocol.version", "1.1"),
        ("http.response.status_code", "200"),
    ] {
        assert_eq!(
            http[0].get(field).map(String::as_str),
            Some(value),
            "{field}: {http:?}"
        );
    }

    assert_eq!(
        *hooked.lock().unwrap(),
        vec![format!("{TRACEPARENT} Some(\"vendor=abc\")"); 2]
    );
    let audit = logs.events("mcp_audit");
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(audit[0]["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(audit[1]["outcome"], "tool_error");
    assert!(
        !audit[0].contains_key("tenant"),
        "no auth, no tenant: {:?}",
        audit[0]
    );
}

#[tokio::test]
async fn a_malformed_traceparent_is_ignored() {
    let server = McpServer::builder().only_tools(TOOLS).build().unwrap();
    let running = start(server).await;
    let (logs, _guard) = capture();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"obs_add","arguments":{"a":1,"b":1},"_meta":{"traceparent":"00-zz-00f067aa0ba902b7-01"}}}"#;
    let reply = exchange(running.mcp, &post(running.mcp, body.as_bytes(), &[])).await;
    assert_eq!(reply.json()["result"]["structuredContent"]["sum"], 2);
    let spans = logs.spans("mcp.request");
    assert_eq!(spans.len(), 1);
    assert!(!spans[0].contains_key("trace_id"), "{:?}", spans[0]);
    assert!(
        logs.events("mcp_audit").is_empty(),
        "no auth: audit is off by default"
    );
}

// ------------------------------------------------------------------ capture ---------

type Fields = BTreeMap<String, String>;

/// Closed spans (name and fields, including later `record`s) and events, in order.
#[derive(Debug, Default, Clone)]
struct Captured(Arc<Mutex<Vec<(String, String, Fields)>>>);

impl Captured {
    fn spans(&self, name: &str) -> Vec<Fields> {
        self.of("span", name)
    }

    fn events(&self, target: &str) -> Vec<Fields> {
        self.of("event", target)
    }

    fn of(&self, kind: &str, name: &str) -> Vec<Fields> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(k, n, _)| k == kind && n == name)
            .map(|(_, _, f)| f.clone())
            .collect()
    }

    /// Everything captured, as text.
    fn text(&self) -> String {
        format!("{:?}", self.0.lock().unwrap())
    }
}

struct FieldsVisitor<'a>(&'a mut Fields);

impl Visit for FieldsVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Captured {
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        attrs.record(&mut FieldsVisitor(&mut fields));
        let span = ctx.span(id).unwrap();
        if let Some(parent) = span.parent() {
            fields.insert("parent".to_owned(), parent.name().to_owned());
        }
        span.extensions_mut().insert(fields);
    }

    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).unwrap();
        let mut extensions = span.extensions_mut();
        values.record(&mut FieldsVisitor(extensions.get_mut::<Fields>().unwrap()));
    }

    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        event.record(&mut FieldsVisitor(&mut fields));
        let target = event.metadata().target().to_owned();
        self.0
            .lock()
            .unwrap()
            .push(("event".to_owned(), target, fields));
    }

    fn on_close(&self, id: span::Id, ctx: Context<'_, S>) {
        let span = ctx.span(&id).unwrap();
        let fields = span.extensions_mut().remove::<Fields>().unwrap_or_default();
        self.0
            .lock()
            .unwrap()
            .push(("span".to_owned(), span.name().to_owned(), fields));
    }
}

/// Capture everything (TRACE) on this thread: `#[tokio::test]` runs the server's tasks here.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::registry().with(captured.clone());
    (captured, tracing::subscriber::set_default(subscriber))
}
