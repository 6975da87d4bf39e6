//! The server over real sockets: health, streamed notifications, graceful shutdown.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

mod served;

use std::{net::SocketAddr, time::Duration};

use mcp_runtime::{McpServer, prelude::*};
use served::Served;
use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::TcpStream,
};

/// Reports progress twice, 20 ms apart.
#[mcp_tool]
async fn ticking(#[ctx] reporter: Reporter) -> &'static str {
    reporter.progress(1.0, Some(2.0), None).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    reporter.progress(2.0, Some(2.0), None).await;
    "ticked"
}

/// Takes a while.
#[mcp_tool]
async fn unhurried(millis: u64) -> String {
    tokio::time::sleep(Duration::from_millis(millis)).await;
    format!("slept {millis} ms")
}

async fn start() -> Served {
    Served::start(McpServer::builder().name("serve-test").build().unwrap()).await
}

/// One HTTP/1.1 exchange with `Connection: close`; returns the raw response.
async fn exchange(addr: SocketAddr, method: &str, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

fn call(tool: &str, arguments: &str, meta: &str) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"{tool}","arguments":{arguments}{meta}}}}}"#
    )
}

#[tokio::test]
async fn health_over_tcp() {
    let served = start().await;
    let addr = served.addr;
    let response = exchange(addr, "GET", "/healthz", "").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");
    served.shutdown().await;
}

#[tokio::test]
async fn notifications_stream_over_tcp() {
    let served = start().await;
    let addr = served.addr;
    let body = call("ticking", "{}", r#","_meta":{"progressToken":7}"#);
    let response = exchange(addr, "POST", "/mcp", &body).await;
    assert!(
        response.contains("content-type: text/event-stream"),
        "{response}"
    );
    let events: Vec<&str> = response
        .lines()
        .filter(|l| l.starts_with("data: "))
        .collect();
    assert_eq!(events.len(), 3, "{response}");
    assert!(
        events[0].contains(r#""progressToken":7,"progress":1.0"#),
        "{}",
        events[0]
    );
    assert!(events[1].contains(r#""progress":2.0"#), "{}", events[1]);
    assert!(events[2].contains(r#""text":"ticked""#), "{}", events[2]);
    served.shutdown().await;
}

#[tokio::test]
async fn graceful_shutdown_finishes_in_flight_calls() {
    let served = start().await;
    let addr = served.addr;
    let in_flight = tokio::spawn(async move {
        exchange(
            addr,
            "POST",
            "/mcp",
            &call("unhurried", r#"{"millis":300}"#, ""),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut served = served;
    served.begin_shutdown();
    let response = in_flight.await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("slept 300 ms"), "{response}");
    served.stopped().await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the listener is closed after shutdown"
    );
}
