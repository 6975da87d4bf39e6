//! Hostile and broken HTTP over real sockets: every case gets a clear error, and the server
//! still serves a normal tool call afterwards.
//!
//! Behaviour these tests pin down (see docs/operations.md, "Transport limits"):
//! - duplicate JSON keys in the JSON-RPC envelope (`method`, `id`, …) are an invalid request
//!   (-32600) whose message says "duplicate field"; duplicate argument keys are a tool error
//!   result naming the field. Nothing silently takes the first or the last value.
//! - ids must be strings or integers: 2^64 and -0 are integers and are echoed verbatim;
//!   1e400, 1.5, null, objects, arrays and booleans are invalid requests.
//! - echoed caller input (method and tool names, serde messages) is clipped to 200
//!   characters.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code fails loudly"
)]

mod raw_http;
mod served;

use std::{net::SocketAddr, time::Duration};

use mcp_runtime::{HttpConfig, McpServer, prelude::*};
use raw_http::{PATIENCE, call, exchange, post, read_one, read_to_close};
use served::Served;
use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::TcpStream,
};

/// Adds two integers.
#[mcp_tool]
fn add(a: i64, b: i64) -> Result<String, String> {
    a.checked_add(b)
        .map(|sum| sum.to_string())
        .ok_or_else(|| "the sum does not fit in 64 bits".to_owned())
}

/// Takes a while.
#[mcp_tool]
async fn unhurried(millis: u64) -> String {
    tokio::time::sleep(Duration::from_millis(millis)).await;
    format!("slept {millis} ms")
}

/// Counts characters.
#[mcp_tool]
fn measure(text: String) -> String {
    format!("{} chars", text.chars().count())
}

const HEADER_TIMEOUT: Duration = Duration::from_millis(700);
const BODY_TIMEOUT: Duration = Duration::from_millis(700);
const BODY_LIMIT: usize = 1 << 20;

/// The server under attack, with short timeouts so slow-client cases end quickly.
struct Server {
    addr: SocketAddr,
    served: Served,
}

impl Server {
    async fn start() -> Self {
        Self::with(|c| c).await
    }

    async fn with(configure: impl FnOnce(HttpConfig) -> HttpConfig) -> Self {
        let config = HttpConfig::default()
            .header_read_timeout(HEADER_TIMEOUT)
            .body_read_timeout(BODY_TIMEOUT)
            .body_limit(BODY_LIMIT);
        let server = McpServer::builder()
            .name("adversarial")
            .only_tools(&["add", "unhurried", "measure"])
            .http(configure(config))
            .build()
            .unwrap();
        let served = Served::start(server).await;
        Self {
            addr: served.addr,
            served,
        }
    }

    /// A normal tool call still works.
    async fn assert_alive(&self) {
        let response = exchange(
            self.addr,
            &post(
                self.addr,
                call("1", "add", r#"{"a":2,"b":3}"#).as_bytes(),
                &[],
            ),
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(
            response.json()["result"]["content"][0]["text"],
            "5",
            "{}",
            response.text()
        );
    }

    /// POST `body` (with extra header lines) and return the response.
    async fn post(&self, body: impl AsRef<[u8]>, extra: &[&str]) -> raw_http::Response {
        exchange(self.addr, &post(self.addr, body.as_ref(), extra)).await
    }

    fn begin_shutdown(&mut self) {
        self.served.begin_shutdown();
    }

    async fn stopped(self) {
        self.served.stopped().await;
    }
}

/// A JSON-RPC error with this HTTP status and code whose message contains `needle`.
#[track_caller]
fn assert_rpc_error(response: &raw_http::Response, status: u16, code: i64, needle: &str) {
    assert_eq!(
        response.status,
        status,
        "{} {}",
        response.status_line,
        response.text()
    );
    let (actual, message) = response.rpc_error();
    assert_eq!(actual, code, "{message}");
    assert!(message.contains(needle), "`{needle}` not in: {message}");
}

/// A tool result with `isError: true` whose text contains `needle`.
#[track_caller]
fn assert_tool_error(response: &raw_http::Response, needle: &str) {
    assert_eq!(response.status, 200, "{}", response.text());
    let json = response.json();
    assert_eq!(json["result"]["isError"], true, "{json}");
    let text = json["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains(needle), "`{needle}` not in: {text}");
}

// ---------------------------------------------------------------- body size ----------------

#[tokio::test]
async fn oversized_body_is_413() {
    let server = Server::start().await;
    let body = vec![b' '; BODY_LIMIT + 1];
    let response = server.post(&body, &[]).await;
    assert_rpc_error(&response, 413, -32600, "exceeds the limit of 1048576 bytes");
    server.assert_alive().await;
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_unread() {
    let server = Server::start().await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: 1000000000000\r\n\r\n{{",
        server.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // Answered at once, long before the body timeout, without waiting for a terabyte.
    let response = read_one(&mut stream, BODY_TIMEOUT / 2).await;
    assert_rpc_error(&response, 413, -32600, "exceeds the limit");
    assert!(response.closes(), "{:?}", response.headers);
    server.assert_alive().await;
}

#[tokio::test]
async fn a_content_length_shorter_than_the_body_leaves_garbage_that_is_refused() {
    let server = Server::start().await;
    // Content-Length covers only the message; the rest is read as a second request, which
    // is not HTTP and gets a 400 from the parser instead of being executed.
    let message = call("1", "add", r#"{"a":1,"b":1}"#);
    let mut request = post(server.addr, message.as_bytes(), &["Connection: keep-alive"]);
    request.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}\r\n\r\n");
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let bytes = read_to_close(&mut stream, PATIENCE).await;
    let (first, rest) = raw_http::parse(&bytes).unwrap();
    assert_eq!(first.json()["result"]["content"][0]["text"], "2");
    let (second, _) = raw_http::parse(rest).unwrap();
    assert_eq!(second.status, 400, "{}", second.status_line);
    server.assert_alive().await;
}

#[tokio::test]
async fn a_content_length_longer_than_the_body_times_out_with_408() {
    let server = Server::start().await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(&post(server.addr, b"", &["Content-Length: 100"])[..])
        .await
        .unwrap();
    // `post` wrote Content-Length: 0 first; hyper refuses two different lengths.
    let response = read_one(&mut stream, PATIENCE).await;
    assert_eq!(response.status, 400, "{}", response.status_line);

    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: 100\r\n\r\n{{\"jsonrpc\"",
        server.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let response = read_one(&mut stream, PATIENCE).await;
    assert_rpc_error(&response, 408, -32600, "did not arrive within 700 ms");
    assert!(response.closes());
    server.assert_alive().await;
}

#[tokio::test]
async fn chunked_body_over_the_limit_is_413() {
    let server = Server::start().await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n",
        server.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    let response = loop {
        // Keep sending until the server answers: it must not wait for the end of the body.
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(&chunk);
        frame.extend_from_slice(b"\r\n");
        if stream.write_all(&frame).await.is_err() || sent > 4 * BODY_LIMIT {
            break read_one(&mut stream, PATIENCE).await;
        }
        sent += chunk.len();
        if sent > BODY_LIMIT + chunk.len() {
            break read_one(&mut stream, PATIENCE).await;
        }
    };
    assert_rpc_error(&response, 413, -32600, "exceeds the limit");
    server.assert_alive().await;
}

#[tokio::test]
async fn chunked_body_within_the_limit_is_served() {
    let server = Server::start().await;
    let message = call("7", "add", r#"{"a":40,"b":2}"#);
    let (one, two) = message.split_at(10);
    let head = format!(
        "POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n{:x}\r\n{one}\r\n{:x}\r\n{two}\r\n0\r\n\r\n",
        server.addr,
        one.len(),
        two.len()
    );
    let response = exchange(server.addr, head.as_bytes()).await;
    assert_eq!(response.json()["result"]["content"][0]["text"], "42");
}

#[tokio::test]
async fn an_empty_body_is_a_parse_error() {
    let server = Server::start().await;
    let response = server.post(b"", &[]).await;
    assert_rpc_error(&response, 400, -32700, "Parse error");
    server.assert_alive().await;
}

// ---------------------------------------------------------------- JSON shape ---------------

#[tokio::test]
async fn deeply_nested_json_is_refused_without_a_stack_overflow() {
    let server = Server::start().await;
    let open = "[".repeat(100_000);
    let deep = format!("{open}{}", "]".repeat(100_000));
    // Unclosed, as a batch (2025-03-26 allows batches, so the parser really walks it).
    let response = server
        .post(&open, &["MCP-Protocol-Version: 2025-03-26"])
        .await;
    assert_rpc_error(&response, 400, -32700, "Parse error");
    // Where a JSON value is built (`_meta`), serde_json's recursion limit stops it.
    let meta = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{{"_meta":{{"x":{deep}}}}}}}"#
    );
    let response = server.post(&meta, &[]).await;
    assert_rpc_error(&response, 400, -32700, "recursion limit exceeded");
    // Where an object belongs, the first `[` is already wrong.
    let params = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{deep}}}"#);
    let response = server.post(&params, &[]).await;
    assert_rpc_error(&response, 200, -32602, "invalid type: sequence");
    // In a tool's arguments (kept raw until the tool parses them): a tool error.
    let response = server
        .post(call("1", "measure", &format!(r#"{{"text":{deep}}}"#)), &[])
        .await;
    assert_tool_error(&response, "invalid type: sequence");
    server.assert_alive().await;
}

#[tokio::test]
async fn invalid_utf8_is_a_parse_error() {
    let server = Server::start().await;
    // In a string of the envelope, outside any string, and inside a tool argument.
    let cases: [&[u8]; 3] = [
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/\xff\xfelist\"}",
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\xc3\x28\"method\":\"tools/list\"}",
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"measure\",\"arguments\":{\"text\":\"\xed\xa0\x80\"}}}",
    ];
    for body in cases {
        let response = server.post(body, &[]).await;
        assert_rpc_error(&response, 400, -32700, "Parse error");
    }
    // A lone surrogate escape is valid JSON text but not a Unicode string: in an envelope
    // string a parse error, in a tool argument a tool error naming the argument.
    let response = server
        .post(
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/\ud800list"}"#,
            &[],
        )
        .await;
    assert_rpc_error(&response, 400, -32700, "Parse error");
    let response = server
        .post(call("1", "measure", r#"{"text":"\ud800"}"#), &[])
        .await;
    assert_tool_error(&response, "`text`");
    server.assert_alive().await;
}

#[tokio::test]
async fn duplicate_keys_are_refused_and_say_so() {
    let server = Server::start().await;
    let twice_method = r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call"}"#;
    let response = server.post(twice_method, &[]).await;
    assert_rpc_error(&response, 400, -32600, "duplicate field `method`");
    let twice_id = r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/list"}"#;
    let response = server.post(twice_id, &[]).await;
    assert_rpc_error(&response, 400, -32600, "duplicate field `id`");
    // In params, with a valid id: invalid params naming the request.
    let twice_name = r#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"add","name":"measure"}}"#;
    let response = server.post(twice_name, &[]).await;
    assert_rpc_error(&response, 200, -32602, "duplicate field `name`");
    assert_eq!(response.json()["id"], 5);
    // In a tool's arguments: a tool error the model can act on.
    let response = server
        .post(call("1", "add", r#"{"a":1,"a":2,"b":3}"#), &[])
        .await;
    assert_tool_error(&response, "duplicate field `a`");
    server.assert_alive().await;
}

#[tokio::test]
async fn numeric_ids_at_the_edges() {
    let server = Server::start().await;
    // 64-bit integers come back exactly as sent; -0 comes back as 0, the same number.
    for (id, echoed) in [
        ("18446744073709551615", "18446744073709551615"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("-0", "0"),
    ] {
        let response = server.post(call(id, "add", r#"{"a":1,"b":2}"#), &[]).await;
        assert_eq!(response.status, 200, "{}", response.text());
        let text = response.text();
        assert!(text.contains(&format!(r#""id":{echoed},"#)), "{text}");
        assert_eq!(response.json()["result"]["content"][0]["text"], "3");
    }
    // Larger integers would come back rounded; fractions and exponents are not integers.
    for id in [
        "18446744073709551616",
        "-9223372036854775809",
        "1e400",
        "1.5",
        "1E2",
        "-1e-400",
    ] {
        let response = server.post(call(id, "add", r#"{"a":1,"b":2}"#), &[]).await;
        assert_rpc_error(
            &response,
            400,
            -32600,
            "`id` must be a string or a 64-bit integer",
        );
        assert!(response.json()["id"].is_null());
    }
    server.assert_alive().await;
}

#[tokio::test]
async fn ids_of_other_types_are_invalid_requests() {
    let server = Server::start().await;
    for id in ["null", "{}", r#"{"a":1}"#, "[]", "[1]", "true", "false"] {
        let response = server.post(call(id, "add", r#"{"a":1,"b":2}"#), &[]).await;
        assert_rpc_error(
            &response,
            400,
            -32600,
            "`id` must be a string or a 64-bit integer",
        );
    }
    // A huge string id is an id like any other.
    let id = format!("\"{}\"", "i".repeat(100_000));
    let response = server.post(call(&id, "add", r#"{"a":1,"b":2}"#), &[]).await;
    assert_eq!(response.status, 200);
    server.assert_alive().await;
}

#[tokio::test]
async fn numbers_out_of_range_in_arguments_are_tool_errors() {
    let server = Server::start().await;
    let cases = [
        (r#"{"a":9223372036854775808,"b":0}"#, "`a`"),
        (r#"{"a":18446744073709551616,"b":0}"#, "`a`"),
        (r#"{"a":1e400,"b":0}"#, "out of range"),
        (r#"{"a":1.5,"b":0}"#, "`a`"),
        (r#"{"a":-0.0,"b":0}"#, "`a`"),
    ];
    for (arguments, needle) in cases {
        let response = server.post(call("1", "add", arguments), &[]).await;
        assert_tool_error(&response, needle);
    }
    let response = server
        .post(call("1", "add", r#"{"a":9223372036854775807,"b":1}"#), &[])
        .await;
    assert_tool_error(&response, "does not fit in 64 bits");
    let response = server
        .post(call("1", "unhurried", r#"{"millis":-1}"#), &[])
        .await;
    assert_tool_error(&response, "`millis`");
    server.assert_alive().await;
}

#[tokio::test]
async fn very_long_names_get_short_errors() {
    let server = Server::with(|c| c.body_limit(4 << 20)).await;
    let long = "x".repeat(1 << 20);
    let response = server.post(call("1", &long, "{}"), &[]).await;
    assert_rpc_error(&response, 200, -32602, "Unknown tool: xxxx");
    assert!(response.body.len() < 1024, "{} bytes", response.body.len());
    assert!(response.text().contains("(1048576 bytes in all)"));

    let method = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{long}"}}"#);
    let response = server.post(&method, &[]).await;
    let (code, message) = response.rpc_error();
    assert_eq!(code, -32601, "{message}");
    assert!(message.starts_with("Method not found: xxxx"), "{message}");
    assert!(response.body.len() < 1024, "{} bytes", response.body.len());

    // A long string where an object belongs: serde quotes it, clipped.
    let params = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"{long}"}}"#);
    let response = server.post(&params, &[]).await;
    assert!(response.body.len() < 1024, "{} bytes", response.body.len());
    assert_rpc_error(&response, 200, -32602, "invalid type: string");

    // And a long string where a tool wants a number.
    let response = server
        .post(call("1", "add", &format!(r#"{{"a":"{long}","b":1}}"#)), &[])
        .await;
    assert_tool_error(&response, "invalid type: string");
    assert!(response.body.len() < 1024, "{} bytes", response.body.len());
    server.assert_alive().await;
}

// ---------------------------------------------------------------- headers ------------------

#[tokio::test]
async fn too_many_headers_is_431() {
    let server = Server::start().await;
    let many: Vec<String> = (0..200).map(|i| format!("X-Filler-{i}: {i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let response = server
        .post(call("1", "add", r#"{"a":1,"b":2}"#), &many)
        .await;
    assert_eq!(response.status, 431, "{}", response.status_line);
    server.assert_alive().await;
}

#[tokio::test]
async fn one_huge_header_is_431() {
    let server = Server::start().await;
    let huge = format!("X-Huge: {}", "h".repeat(1 << 20));
    let response = server
        .post(call("1", "add", r#"{"a":1,"b":2}"#), &[&huge])
        .await;
    assert_eq!(response.status, 431, "{}", response.status_line);
    server.assert_alive().await;
}

#[tokio::test]
async fn non_ascii_mcp_headers_are_400() {
    let server = Server::start().await;
    let body = call("1", "add", r#"{"a":1,"b":2}"#);
    for header in ["MCP-Protocol-Version: 2025-11-25", "Mcp-Method: tools/call"] {
        // obs-text bytes: legal in HTTP, but not visible ASCII.
        let mut request = format!(
            "POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n\
             Connection: close\r\n{header}",
            server.addr,
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(b"\xc3\xa9\r\n\r\n");
        request.extend_from_slice(body.as_bytes());
        let response = exchange(server.addr, &request).await;
        assert_rpc_error(&response, 400, -32600, "is not visible ASCII");
    }
    // Control characters are not header text at all: hyper's parser refuses the request.
    let response = server.post(&body, &["Mcp-Method: tools/\x01call"]).await;
    assert_eq!(response.status, 400, "{}", response.status_line);
    // A malformed base64 encoding.
    let response = server.post(&body, &["Mcp-Method: =?base64?%%%?="]).await;
    assert_rpc_error(&response, 400, -32600, "malformed");
    server.assert_alive().await;
}

// ---------------------------------------------------------------- slow clients -------------

#[tokio::test]
async fn slow_headers_are_cut_off() {
    let server = Server::start().await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(format!("POST /mcp HTTP/1.1\r\nHost: {}\r\n", server.addr).as_bytes())
        .await
        .unwrap();
    let started = tokio::time::Instant::now();
    // Dribble header bytes more often than the timeout: the timeout counts from the start.
    let dribble = async {
        for i in 0..100 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if stream
                .write_all(format!("X-{i}: y\r\n").as_bytes())
                .await
                .is_err()
            {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(3), dribble).await;
    let bytes = read_to_close(&mut stream, PATIENCE).await;
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(3),
        "closed only after {waited:?}"
    );
    // hyper answers 408 when it can, else it just closes; either way nothing is dispatched.
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    server.assert_alive().await;
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let server = Server::start().await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let request = post(
        server.addr,
        call("1", "add", r#"{"a":1,"b":2}"#).as_bytes(),
        &["Connection: keep-alive"],
    );
    stream.write_all(&request).await.unwrap();
    let response = read_one(&mut stream, PATIENCE).await;
    assert_eq!(response.status, 200);
    let started = tokio::time::Instant::now();
    let rest = read_to_close(&mut stream, PATIENCE).await;
    assert!(rest.is_empty() || rest.starts_with(b"HTTP/1.1 408"));
    assert!(
        started.elapsed() >= HEADER_TIMEOUT / 2,
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn slow_bodies_get_408() {
    let server = Server::start().await;
    let body = call("1", "add", r#"{"a":1,"b":2}"#);
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let request = post(server.addr, body.as_bytes(), &[]);
    let head_len = request.len() - body.len();
    stream.write_all(&request[..head_len]).await.unwrap();
    // One byte every 100 ms: never idle for long, yet far too slow in total.
    let started = tokio::time::Instant::now();
    let drip = async {
        for byte in &request[head_len..] {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if stream.write_all(&[*byte]).await.is_err() {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), drip).await;
    let response = read_one(&mut stream, PATIENCE).await;
    assert_rpc_error(&response, 408, -32600, "Request timeout");
    assert!(response.closes());
    assert!(started.elapsed() < Duration::from_secs(3));
    server.assert_alive().await;
}

// ---------------------------------------------------------------- connections --------------

#[tokio::test]
async fn beyond_the_connection_limit_callers_wait_then_are_served() {
    let server = Server::with(|c| {
        c.max_connections(3)
            .header_read_timeout(Duration::from_secs(30))
    })
    .await;
    // Three keep-alive connections, each proven open by one request.
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        let request = post(
            server.addr,
            call("1", "add", r#"{"a":1,"b":2}"#).as_bytes(),
            &["Connection: keep-alive"],
        );
        stream.write_all(&request).await.unwrap();
        assert_eq!(read_one(&mut stream, PATIENCE).await.status, 200);
        held.push(stream);
    }
    // The fourth connects (the kernel's backlog) but is not served while all three are open.
    let mut waiting = TcpStream::connect(server.addr).await.unwrap();
    let request = post(
        server.addr,
        call("2", "add", r#"{"a":20,"b":22}"#).as_bytes(),
        &[],
    );
    waiting.write_all(&request).await.unwrap();
    let mut buf = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(500), waiting.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "served beyond the connection limit: {early:?}"
    );
    // Closing one lets it in.
    drop(held.pop());
    let bytes = read_to_close(&mut waiting, PATIENCE).await;
    let (response, _) = raw_http::parse(&bytes).unwrap();
    assert_eq!(response.json()["result"]["content"][0]["text"], "42");
    drop(held);
    // Many more callers than slots at once: all are served, three at a time.
    let addr = server.addr;
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            tokio::spawn(async move {
                let body = call(&i.to_string(), "add", &format!(r#"{{"a":{i},"b":1}}"#));
                let response = exchange(addr, &post(addr, body.as_bytes(), &[])).await;
                assert_eq!(
                    response.json()["result"]["content"][0]["text"],
                    (i + 1).to_string()
                );
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    server.assert_alive().await;
}

// ---------------------------------------------------------------- protocol shapes ----------

#[tokio::test]
async fn http_1_0_is_served_and_closed() {
    let server = Server::start().await;
    let body = call("1", "add", r#"{"a":1,"b":2}"#);
    let request = format!(
        "POST /mcp HTTP/1.0\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let response = exchange(server.addr, request.as_bytes()).await;
    assert_eq!(response.status, 200, "{}", response.status_line);
    assert_eq!(response.json()["result"]["content"][0]["text"], "3");
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let server = Server::start().await;
    let mut request = Vec::new();
    for (i, (a, b)) in [(1, 1), (2, 2), (3, 3)].into_iter().enumerate() {
        let last = if i == 2 {
            "Connection: close"
        } else {
            "Connection: keep-alive"
        };
        request.extend(post(
            server.addr,
            call(&i.to_string(), "add", &format!(r#"{{"a":{a},"b":{b}}}"#)).as_bytes(),
            &[last],
        ));
    }
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let bytes = read_to_close(&mut stream, PATIENCE).await;
    let mut rest = &bytes[..];
    for (i, sum) in ["2", "4", "6"].into_iter().enumerate() {
        let (response, next) = raw_http::parse(rest).unwrap();
        assert_eq!(response.json()["id"], i);
        assert_eq!(response.json()["result"]["content"][0]["text"], sum);
        rest = next;
    }
    assert!(rest.is_empty());
}

#[tokio::test]
async fn transfer_encoding_with_content_length_is_not_smuggled() {
    let server = Server::start().await;
    // Read by Content-Length, the body would end early and leave a second request
    // (`tools/call unhurried`) on the connection. hyper must not run it.
    let smuggled = post(
        server.addr,
        call("9", "unhurried", r#"{"millis":1}"#).as_bytes(),
        &[],
    );
    let chunked = format!("0\r\n\r\n{}", String::from_utf8(smuggled).unwrap());
    let request = format!(
        "POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: 5\r\n\
         Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n{chunked}",
        server.addr
    );
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let bytes = read_to_close(&mut stream, PATIENCE).await;
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("slept"), "a smuggled request ran: {text}");
    let (first, _) = raw_http::parse(&bytes).unwrap();
    assert_eq!(first.status, 400, "{text}");
    server.assert_alive().await;
}

#[tokio::test]
async fn other_methods_get_405_with_a_json_body() {
    let server = Server::start().await;
    for method in ["GET", "DELETE", "PUT", "PATCH"] {
        let request = format!(
            "{method} /mcp HTTP/1.1\r\nHost: {}\r\nAccept: application/json, text/event-stream\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n",
            server.addr
        );
        let response = exchange(server.addr, request.as_bytes()).await;
        assert_rpc_error(&response, 405, -32600, "Method not allowed");
        assert_eq!(response.header("allow"), Some("POST"), "{method}");
    }
    server.assert_alive().await;
}

// ---------------------------------------------------------------- shutdown -----------------

#[tokio::test]
async fn drain_finishes_in_flight_calls_and_fails_health_checks() {
    let mut server = Server::with(|c| {
        c.drain_timeout(Duration::from_secs(10))
            .header_read_timeout(Duration::from_secs(30))
    })
    .await;
    let addr = server.addr;
    // An idle keep-alive connection, and a call in flight.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    let request = post(
        addr,
        call("1", "add", r#"{"a":1,"b":2}"#).as_bytes(),
        &["Connection: keep-alive"],
    );
    idle.write_all(&request).await.unwrap();
    assert_eq!(read_one(&mut idle, PATIENCE).await.status, 200);
    let mut busy = TcpStream::connect(addr).await.unwrap();
    let request = post(
        addr,
        call("2", "unhurried", r#"{"millis":1500}"#).as_bytes(),
        &["Connection: keep-alive"],
    );
    busy.write_all(&request).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    server.begin_shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The idle connection is closed at once.
    let rest = read_to_close(&mut idle, Duration::from_millis(500)).await;
    assert!(rest.is_empty(), "{:?}", String::from_utf8_lossy(&rest));
    // New connections still get answers, each closing its connection; health says 503.
    let health = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let response = exchange(addr, health.as_bytes()).await;
    assert_eq!(response.status, 503, "{}", response.text());
    assert_eq!(response.text(), "draining");
    assert!(response.closes());
    let ready = format!("GET /readyz HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    assert_eq!(exchange(addr, ready.as_bytes()).await.status, 503);
    let request = post(
        addr,
        call("3", "add", r#"{"a":2,"b":2}"#).as_bytes(),
        &["Connection: keep-alive"],
    );
    let response = exchange(addr, &request).await;
    assert_eq!(response.json()["result"]["content"][0]["text"], "4");
    assert!(response.closes(), "{:?}", response.headers);
    // A new connection that sends nothing does not hold shutdown up.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    // The call in flight completes, and its connection closes after it.
    let bytes = read_to_close(&mut busy, PATIENCE).await;
    let finished = tokio::time::Instant::now();
    let (response, _) = raw_http::parse(&bytes).unwrap();
    assert_eq!(
        response.json()["result"]["content"][0]["text"],
        "slept 1500 ms"
    );
    assert!(response.closes(), "{:?}", response.headers);
    server.stopped().await;
    assert!(
        finished.elapsed() < Duration::from_secs(2),
        "stopped {:?} after the last call",
        finished.elapsed()
    );
    assert!(read_to_close(&mut silent, PATIENCE).await.is_empty());
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the listener is closed"
    );
}

#[tokio::test]
async fn drain_is_bounded() {
    let mut server = Server::with(|c| c.drain_timeout(Duration::from_millis(300))).await;
    let addr = server.addr;
    let mut busy = TcpStream::connect(addr).await.unwrap();
    let request = post(
        addr,
        call("2", "unhurried", r#"{"millis":60000}"#).as_bytes(),
        &[],
    );
    busy.write_all(&request).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = tokio::time::Instant::now();
    server.begin_shutdown();
    server.stopped().await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // The cut-off call's connection is closed without an answer.
    let bytes = read_to_close(&mut busy, PATIENCE).await;
    assert!(bytes.is_empty(), "{:?}", String::from_utf8_lossy(&bytes));
}
