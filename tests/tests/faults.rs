//! Runtime faults over real sockets: panicking and hanging tools, clients that hang up in the
//! middle of a call (plain JSON and SSE replies), a JWKS endpoint that goes away, and the
//! `/readyz` probe. Each fault must get a clear answer, the next request must be served
//! normally, and nothing may leak: after every fault the runtime's live task count and the
//! process's open file descriptors return to their baseline.
//!
//! The fd count is per process, so these tests run one at a time (each on its own runtime,
//! built and dropped inside the lock): see [`serial`].
//!
//! Not checked here: the table of handshake-era server→client requests awaiting a reply
//! (`PendingReplies`) has no public view (a reply POST is answered 202 whether or not it
//! matched). Its entries are removed by a guard inside the tool's future, which these tests
//! show is dropped on timeout and on disconnect.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code fails loudly"
)]

mod served;

use std::{
    future::Future,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use axum::{Router, routing::get};
use http::StatusCode;
use mcp_runtime::{
    McpServer, McpServerBuilder,
    auth::{Auth, Claims, DevKey, JwtVerifier, KeySource},
    prelude::*,
};
use serde_json::{Value, json};
use served::Served;
use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::{TcpListener, TcpStream},
    sync::oneshot,
    task::JoinHandle,
};

// ------------------------------------------------------------------ tools ----------------

/// Counts live instances: a tool's future holds one, so its drop shows the call was cancelled.
struct Alive(&'static AtomicUsize);

impl Alive {
    fn new(counter: &'static AtomicUsize) -> Self {
        counter.fetch_add(1, SeqCst);
        Self(counter)
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, SeqCst);
    }
}

static HANGING: AtomicUsize = AtomicUsize::new(0);
static WAITING_JSON: AtomicUsize = AtomicUsize::new(0);
static WAITING_SSE: AtomicUsize = AtomicUsize::new(0);

/// Echoes its input.
#[mcp_tool]
fn echo(text: String) -> String {
    text
}

/// Panics at once.
#[mcp_tool]
#[allow(clippy::panic, reason = "the test is about panics")]
fn panics_sync() -> String {
    panic!("sync kaboom")
}

/// Panics after it has waited once (past the runtime's first-poll fast path).
#[mcp_tool]
#[allow(clippy::panic, reason = "the test is about panics")]
async fn panics_async() -> String {
    tokio::time::sleep(Duration::from_millis(5)).await;
    panic!("async kaboom")
}

/// Never returns.
#[mcp_tool]
async fn hangs() -> String {
    let _alive = Alive::new(&HANGING);
    std::future::pending().await
}

/// Never returns and never notifies: its reply would be plain JSON.
#[mcp_tool]
async fn waits_quietly() -> String {
    let _alive = Alive::new(&WAITING_JSON);
    std::future::pending().await
}

/// Reports progress (switching the reply to SSE), then never returns.
#[mcp_tool]
async fn waits_streaming(#[ctx] reporter: Reporter) -> String {
    let _alive = Alive::new(&WAITING_SSE);
    reporter.progress(1.0, Some(2.0), Some("started")).await;
    std::future::pending().await
}

const TOOLS: &[&str] = &[
    "echo",
    "panics_sync",
    "panics_async",
    "hangs",
    "waits_quietly",
    "waits_streaming",
];

// ------------------------------------------------------------------ harness --------------

/// Runs `test` alone, on a runtime of its own that is dropped before the next test starts.
fn serial(test: impl Future<Output = ()>) {
    static SERIAL: Mutex<()> = Mutex::new(());
    let _one_at_a_time = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(test);
    drop(runtime);
}

/// A served MCP server on an ephemeral loopback port.
/// A server with the fault tools only.
async fn serve(builder: McpServerBuilder) -> Served {
    Served::start(builder.only_tools(TOOLS).build().unwrap()).await
}

/// Live tasks of this runtime, open fds and resident memory of this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Usage {
    tasks: usize,
    fds: usize,
    rss_kib: u64,
}

/// Resident memory may grow this much over a test's faults (allocator caches, lazily
/// initialised statics); a leak per request over dozens of requests shows up well above it.
const RSS_SLACK_KIB: u64 = 16 * 1024;

impl Usage {
    fn now() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let rss_kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        Self {
            tasks: tokio::runtime::Handle::current()
                .metrics()
                .num_alive_tasks(),
            fds: std::fs::read_dir("/proc/self/fd").unwrap().count(),
            rss_kib,
        }
    }

    /// The baseline: tasks and fds once they stopped changing (connection tasks of earlier
    /// requests end asynchronously after their sockets close).
    async fn settled() -> Self {
        let mut last = Self::now();
        let mut steady = 0;
        for _ in 0..250 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let now = Self::now();
            if (now.tasks, now.fds) == (last.tasks, last.fds) {
                steady += 1;
                if steady == 5 {
                    return now;
                }
            } else {
                steady = 0;
            }
            last = now;
        }
        panic!("task and fd counts never settled: {last:?}");
    }

    /// Waits (a bounded time: closing sockets and ending connection tasks is asynchronous)
    /// until usage is back to at most `self`, and fails with both numbers if it is not.
    async fn back_to(self, after: &str) -> Self {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let now = Self::now();
            if now.tasks <= self.tasks && now.fds <= self.fds {
                eprintln!(
                    "leak check after {after}: tasks {} -> {}, fds {} -> {}, rss {} -> {} KiB",
                    self.tasks, now.tasks, self.fds, now.fds, self.rss_kib, now.rss_kib
                );
                assert!(
                    now.rss_kib <= self.rss_kib + RSS_SLACK_KIB,
                    "memory grew after {after}: baseline {self:?}, now {now:?}"
                );
                return now;
            }
            assert!(
                Instant::now() < deadline,
                "leak after {after}: baseline {self:?}, now {now:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Polls `done` every 5 ms for at most `bound`; returns how long it took.
async fn within(bound: Duration, what: &str, done: impl Fn() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < bound,
            "{what} did not happen within {bound:?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    start.elapsed()
}

/// An HTTP/1.1 response read off a raw socket.
#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.head, self.body))
    }

    /// The `result` of a `tools/call` reply: (isError, first text).
    fn tool_result(&self) -> (bool, String) {
        assert_eq!(self.status, 200, "{}\n{}", self.head, self.body);
        let reply = self.json();
        let result = &reply["result"];
        let text = result["content"][0]["text"]
            .as_str()
            .unwrap_or_else(|| panic!("no tool result: {reply}"))
            .to_owned();
        (result["isError"] == json!(true), text)
    }
}

fn parse(raw: &[u8]) -> Response {
    let raw = String::from_utf8_lossy(raw).into_owned();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head: {raw:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status: {head}"));
    let mut response = Response {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    };
    if response
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        response.body = dechunk(body);
    }
    response
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// Sends a request on a fresh connection and returns the socket.
async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.unwrap();
    stream
}

/// One whole exchange, bounded so a hung server fails the test instead of stalling it.
async fn exchange(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Response {
    let mut headers = headers.to_vec();
    headers.push(("Connection", "close"));
    let mut stream = send(addr, method, path, body, &headers).await;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("a reply within 10 s")
        .unwrap();
    parse(&raw)
}

fn call_body(tool: &str, arguments: &Value, meta: Option<Value>) -> String {
    let mut params = json!({"name": tool, "arguments": arguments});
    if let Some(meta) = meta {
        params["_meta"] = meta;
    }
    json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}).to_string()
}

async fn call(addr: SocketAddr, tool: &str, arguments: Value) -> Response {
    exchange(
        addr,
        "POST",
        "/mcp",
        &call_body(tool, &arguments, None),
        &[],
    )
    .await
}

/// The server answers a normal call normally.
async fn serves_normally(addr: SocketAddr) {
    let (is_error, text) = call(addr, "echo", json!({"text": "still here"}))
        .await
        .tool_result();
    assert!(!is_error, "{text}");
    assert_eq!(text, "still here");
}

fn server() -> McpServerBuilder {
    McpServer::builder().name("faults-test")
}

// ------------------------------------------------------------------ panics and hangs -----

#[test]
fn panicking_tools_answer_a_clear_error_and_the_server_lives_on() {
    serial(async {
        let served = serve(server()).await;
        serves_normally(served.addr).await;
        // The first panic pays for the panic hook's one-time work (a backtrace symbolizer
        // loads the debug info: ~140 MB of RSS under RUST_BACKTRACE=1); leaks are what the
        // next ones cost.
        for tool in ["panics_sync", "panics_async"] {
            assert!(call(served.addr, tool, json!({})).await.tool_result().0);
        }
        let baseline = Usage::settled().await;
        for (tool, detail) in [
            ("panics_sync", "sync kaboom"),
            ("panics_async", "async kaboom"),
        ] {
            for _ in 0..20 {
                let (is_error, text) = call(served.addr, tool, json!({})).await.tool_result();
                assert!(is_error, "{text}");
                assert!(
                    text.contains(&format!("Tool `{tool}` failed with an internal error"))
                        && text.contains(detail)
                        && text.contains("may be retried"),
                    "{text}"
                );
            }
            serves_normally(served.addr).await;
            baseline.back_to(&format!("20 × {tool}")).await;
        }
        served.shutdown().await;
    });
}

#[test]
fn a_hanging_tool_is_cancelled_at_the_call_timeout_with_a_clear_error() {
    serial(async {
        let served = serve(server().call_timeout(Duration::from_millis(300))).await;
        serves_normally(served.addr).await;
        let baseline = Usage::settled().await;
        for _ in 0..5 {
            let start = Instant::now();
            let (is_error, text) = call(served.addr, "hangs", json!({})).await.tool_result();
            let took = start.elapsed();
            assert!(is_error, "{text}");
            assert!(
                text.contains("Tool `hangs` did not finish within 300 ms and was cancelled"),
                "{text}"
            );
            assert!(
                took >= Duration::from_millis(300) && took < Duration::from_secs(3),
                "answered after {took:?}"
            );
            assert_eq!(HANGING.load(SeqCst), 0, "the timed-out future was dropped");
        }
        serves_normally(served.addr).await;
        baseline.back_to("5 timed-out calls").await;
        served.shutdown().await;
    });
}

// ------------------------------------------------------------------ disconnects ----------

/// Why this works without help from the runtime: the call runs inside the request's future
/// (nothing is spawned), and hyper's HTTP/1 dispatcher keeps reading the socket while the
/// service future is pending (half-close is off), so the client's FIN ends the connection
/// task, which drops that future — for a JSON reply as for an SSE body stream.
///
/// A client that sends a call (on a keep-alive or a `Connection: close` connection), waits
/// until the tool runs (and, for SSE, until the first event arrived), then closes its socket:
/// the tool's future must be dropped promptly, well before the 30 s call timeout could do it.
async fn hang_up_mid_call(
    addr: SocketAddr,
    tool: &str,
    meta: Option<Value>,
    live: &'static AtomicUsize,
    connection: &str,
) -> Duration {
    let body = call_body(tool, &json!({}), meta.clone());
    let mut stream = send(addr, "POST", "/mcp", &body, &[("Connection", connection)]).await;
    within(Duration::from_secs(5), "the tool starting", || {
        live.load(SeqCst) == 1
    })
    .await;
    if meta.is_some() {
        // Read until the progress event is through: the reply is now an open event stream.
        let mut raw = Vec::new();
        let mut chunk = [0u8; 4096];
        while !String::from_utf8_lossy(&raw).contains("notifications/progress") {
            let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
                .await
                .expect("the progress event within 5 s")
                .unwrap();
            assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&raw));
            raw.extend_from_slice(&chunk[..n]);
        }
        let head = String::from_utf8_lossy(&raw).to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-type: text/event-stream"), "{head}");
    }
    drop(stream);
    within(Duration::from_secs(2), "the tool's cancellation", || {
        live.load(SeqCst) == 0
    })
    .await
}

#[test]
fn a_client_hanging_up_cancels_a_call_with_a_json_reply() {
    serial(hang_ups("waits_quietly", &WAITING_JSON, false, "JSON"));
}

#[test]
fn a_client_hanging_up_cancels_a_call_with_an_sse_reply() {
    serial(hang_ups("waits_streaming", &WAITING_SSE, true, "SSE"));
}

/// Ten calls of `tool` whose client hangs up mid-call, on keep-alive and `Connection: close`
/// connections (with a progress token when `streaming`): each call's future is dropped, and the
/// server serves normally and holds no more tasks or fds than before.
async fn hang_ups(tool: &str, live: &'static AtomicUsize, streaming: bool, reply: &str) {
    let served = serve(server().call_timeout(Duration::from_secs(30))).await;
    serves_normally(served.addr).await;
    let baseline = Usage::settled().await;
    let mut slowest = Duration::ZERO;
    for connection in ["keep-alive", "close"] {
        for i in 0..5 {
            let meta = streaming.then(|| json!({"progressToken": i}));
            let took = hang_up_mid_call(served.addr, tool, meta, live, connection).await;
            slowest = slowest.max(took);
        }
    }
    eprintln!("{reply} reply: tool dropped at most {slowest:?} after the client closed");
    serves_normally(served.addr).await;
    baseline.back_to(&format!("10 hang-ups ({reply})")).await;
    served.shutdown().await;
}

// ------------------------------------------------------------------ JWKS down -------------

const ISS: &str = "https://issuer.test";
const BASE: &str = "http://mcp.test";
const AUD: &str = "http://mcp.test/mcp";

/// A JWKS endpoint on a fixed loopback port that can be stopped (its socket closed: fetches
/// are refused) and started again.
struct Jwks {
    addr: SocketAddr,
    document: Arc<Mutex<String>>,
    running: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

impl Jwks {
    async fn start(keys: &[&DevKey]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut jwks = Self {
            addr: listener.local_addr().unwrap(),
            document: Arc::new(Mutex::new(String::new())),
            running: None,
        };
        jwks.serve(keys, listener);
        jwks
    }

    fn url(&self) -> String {
        format!("http://{}/jwks.json", self.addr)
    }

    fn serve(&mut self, keys: &[&DevKey], listener: TcpListener) {
        let keys: Vec<_> = keys.iter().flat_map(|k| k.jwks().keys).collect();
        *self.document.lock().unwrap() = json!({ "keys": keys }).to_string();
        let document = Arc::clone(&self.document);
        let router = Router::new().route(
            "/jwks.json",
            get(move || {
                let document = Arc::clone(&document);
                async move { (StatusCode::OK, document.lock().unwrap().clone()) }
            }),
        );
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        self.running = Some((stop, task));
    }

    async fn stop(&mut self) {
        let (stop, task) = self.running.take().unwrap();
        stop.send(()).unwrap();
        task.await.unwrap();
        assert!(
            TcpStream::connect(self.addr).await.is_err(),
            "the JWKS endpoint is down"
        );
    }

    async fn restart(&mut self, keys: &[&DevKey]) {
        let listener = TcpListener::bind(self.addr).await.unwrap();
        self.serve(keys, listener);
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A fresh token (its own `jti`, so the verified-token cache never answers for it).
fn token(key: &DevKey) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let claims: Claims = json!({
        "iss": ISS, "aud": AUD, "sub": "alice", "scope": "", "iat": now(), "exp": now() + 600,
        "jti": NEXT.fetch_add(1, SeqCst).to_string(),
    })
    .as_object()
    .unwrap()
    .clone();
    key.sign(&claims).unwrap()
}

/// A server verifying tokens against `jwks`, refetching it at most every 100 ms.
async fn protected(jwks: &Jwks) -> Served {
    let verifier = JwtVerifier::new(KeySource::Url(jwks.url()), ISS)
        .refresh_interval(Duration::from_millis(100));
    serve(server().auth(Auth::new(verifier, BASE).authorization_server(ISS))).await
}

async fn authorized_call(addr: SocketAddr, key: &DevKey) -> Response {
    let bearer = format!("Bearer {}", token(key));
    exchange(
        addr,
        "POST",
        "/mcp",
        &call_body("echo", &json!({"text": "authorized"}), None),
        &[("Authorization", &bearer)],
    )
    .await
}

async fn assert_authorized(addr: SocketAddr, key: &DevKey) {
    let (is_error, text) = authorized_call(addr, key).await.tool_result();
    assert!(!is_error, "{text}");
    assert_eq!(text, "authorized");
}

/// 503, `Retry-After`, no challenge (the token may be fine) and a message saying why.
async fn assert_keys_unavailable(addr: SocketAddr, key: &DevKey) {
    let reply = authorized_call(addr, key).await;
    assert_eq!(reply.status, 503, "{}\n{}", reply.head, reply.body);
    assert_eq!(reply.header("retry-after"), Some("5"), "{}", reply.head);
    assert_eq!(reply.header("www-authenticate"), None, "{}", reply.head);
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("the authorization server's keys cannot be fetched")
            && message.contains("retry later"),
        "{message}"
    );
}

/// Waits out the verifier's refetch interval.
async fn after_refresh_interval() {
    tokio::time::sleep(Duration::from_millis(150)).await;
}

#[test]
fn jwks_down_before_any_fetch_is_a_503_until_it_is_back() {
    serial(async {
        let key = DevKey::generate().unwrap();
        let mut jwks = Jwks::start(&[&key]).await;
        let served = protected(&jwks).await;
        serves_unauthenticated_health(served.addr).await;
        jwks.stop().await;
        let baseline = Usage::settled().await;
        for _ in 0..3 {
            assert_keys_unavailable(served.addr, &key).await;
            after_refresh_interval().await;
        }
        baseline
            .back_to("3 requests refused for want of keys")
            .await;
        jwks.restart(&[&key]).await;
        after_refresh_interval().await;
        assert_authorized(served.addr, &key).await;
        served.shutdown().await;
        jwks.stop().await;
    });
}

#[test]
fn jwks_down_with_cached_keys_serves_known_keys_and_refuses_new_ones_with_503() {
    serial(async {
        let old = DevKey::generate().unwrap();
        let new = DevKey::generate().unwrap();
        let mut jwks = Jwks::start(&[&old]).await;
        let served = protected(&jwks).await;
        assert_authorized(served.addr, &old).await;
        jwks.stop().await;
        let baseline = Usage::settled().await;
        // Keys fetched before the outage keep working.
        assert_authorized(served.addr, &old).await;
        // A key rotated in during the outage cannot be fetched: fail closed, say so.
        after_refresh_interval().await;
        assert_keys_unavailable(served.addr, &new).await;
        assert_authorized(served.addr, &old).await;
        baseline.back_to("the JWKS outage").await;
        jwks.restart(&[&old, &new]).await;
        after_refresh_interval().await;
        assert_authorized(served.addr, &new).await;
        assert_authorized(served.addr, &old).await;
        served.shutdown().await;
        jwks.stop().await;
    });
}

async fn serves_unauthenticated_health(addr: SocketAddr) {
    let reply = exchange(addr, "GET", "/healthz", "", &[]).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "ok"));
}

// ------------------------------------------------------------------ readiness -------------

#[test]
fn readyz_reports_the_readiness_check() {
    serial(async {
        let ready = Arc::new(AtomicBool::new(true));
        let check = Arc::clone(&ready);
        let served = serve(server().readiness(move || {
            let ready = check.load(SeqCst);
            async move {
                if ready {
                    Ok(())
                } else {
                    Err("the widget database refuses connections".to_owned())
                }
            }
        }))
        .await;
        let readyz = || exchange(served.addr, "GET", "/readyz", "", &[]);
        let reply = readyz().await;
        assert_eq!((reply.status, reply.body.as_str()), (200, "ready"));
        let baseline = Usage::settled().await;
        ready.store(false, SeqCst);
        let reply = readyz().await;
        assert_eq!(reply.status, 503, "{}", reply.body);
        assert_eq!(reply.header("retry-after"), Some("5"));
        assert_eq!(
            reply.body,
            "not ready: the widget database refuses connections"
        );
        // Liveness is another question: the process is fine.
        serves_unauthenticated_health(served.addr).await;
        ready.store(true, SeqCst);
        assert_eq!(readyz().await.status, 200);
        baseline.back_to("an unready probe").await;
        served.shutdown().await;

        // A panicking check is a failed check, not a dropped connection.
        #[allow(clippy::panic, reason = "the test is about panics")]
        let served = serve(server().readiness(|| async { panic!("probe kaboom") })).await;
        let reply = exchange(served.addr, "GET", "/readyz", "", &[]).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (503, "not ready: the readiness check panicked")
        );
        served.shutdown().await;

        // Without a check, ready means alive.
        let served = serve(server()).await;
        let reply = exchange(served.addr, "GET", "/readyz", "", &[]).await;
        assert_eq!((reply.status, reply.body.as_str()), (200, "ready"));
        served.shutdown().await;
    });
}
