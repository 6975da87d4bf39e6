//! A deliberately small HTTP/1 client over a raw `TcpStream`: it sends exactly the bytes a
//! test writes (malformed, slow, pipelined) and parses what comes back.

use std::{net::SocketAddr, time::Duration};

use serde_json::Value;
use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::TcpStream,
};

/// How long any single test exchange may take before the test fails.
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);

/// One parsed response.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status_line: String,
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The first value of a header (name compared case-insensitively).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (panics with the body if it is not).
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status_line, self.text()))
    }

    /// `error.code` and `error.message` of a JSON-RPC error reply.
    pub(crate) fn rpc_error(&self) -> (i64, String) {
        let json = self.json();
        let code = json["error"]["code"]
            .as_i64()
            .unwrap_or_else(|| panic!("no JSON-RPC error: {json}"));
        let message = json["error"]["message"].as_str().unwrap_or("").to_owned();
        (code, message)
    }

    /// Whether the server said it closes the connection after this response.
    pub(crate) fn closes(&self) -> bool {
        self.header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

/// A POST /mcp request with the headers a well-behaved client sends, `Connection: close`
/// and the given extra header lines (each without CRLF).
pub(crate) fn post(addr: SocketAddr, body: &[u8], extra: &[&str]) -> Vec<u8> {
    let mut head = format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !extra
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("mcp-protocol-version"))
    {
        head.push_str("MCP-Protocol-Version: 2025-11-25\r\n");
    }
    if !extra
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("connection"))
    {
        head.push_str("Connection: close\r\n");
    }
    for line in extra {
        head.push_str(line);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    request
}

/// A `tools/call` body.
pub(crate) fn call(id: &str, tool: &str, arguments: &str) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"{tool}","arguments":{arguments}}}}}"#
    )
}

/// Send `request` on a new connection and parse the one response; the server must then
/// close the connection.
pub(crate) async fn exchange(addr: SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // A server that answers early (413, 431) may close before the whole request is written.
    let _ = stream.write_all(request).await;
    let bytes = read_to_close(&mut stream, PATIENCE).await;
    let (response, rest) = parse(&bytes).unwrap_or_else(|| {
        panic!(
            "no complete response in {:?}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert!(
        rest.is_empty(),
        "bytes after the response: {:?}",
        String::from_utf8_lossy(rest)
    );
    response
}

/// Read until the peer closes (panics after `within`).
pub(crate) async fn read_to_close(stream: &mut TcpStream, within: Duration) -> Vec<u8> {
    let mut bytes = Vec::new();
    let read = stream.read_to_end(&mut bytes);
    match tokio::time::timeout(within, read).await {
        Ok(Ok(_)) => bytes,
        // A reset after the response still delivered the response.
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => bytes,
        Ok(Err(e)) => panic!("read failed: {e}"),
        Err(_) => panic!(
            "the server did not close the connection within {within:?}; got {:?}",
            String::from_utf8_lossy(&bytes)
        ),
    }
}

/// Read exactly one response from a connection that stays open.
pub(crate) async fn read_one(stream: &mut TcpStream, within: Duration) -> Response {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some((response, rest)) = parse(&bytes) {
            assert!(rest.is_empty(), "unexpected bytes after a response");
            return response;
        }
        let n = tokio::time::timeout_at(deadline, stream.read(&mut buf))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no response within {within:?}; got {:?}",
                    String::from_utf8_lossy(&bytes)
                )
            })
            .unwrap();
        assert!(
            n > 0,
            "closed mid-response: {:?}",
            String::from_utf8_lossy(&bytes)
        );
        bytes.extend_from_slice(&buf[..n]);
    }
}

/// Parse one response from the front of `bytes`; `None` if it is incomplete.
pub(crate) fn parse(bytes: &[u8]) -> Option<(Response, &[u8])> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?.to_owned();
    let status = status_line.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &bytes[end + 4..];
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let (body, rest) = if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        dechunk(rest)?
    } else if let Some(length) = find("content-length") {
        let length: usize = length.parse().ok()?;
        if rest.len() < length {
            return None;
        }
        (rest[..length].to_vec(), &rest[length..])
    } else {
        (rest.to_vec(), &rest[rest.len()..])
    };
    Some((
        Response {
            status_line,
            status,
            headers,
            body,
        },
        rest,
    ))
}

fn dechunk(mut bytes: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let mut body = Vec::new();
    loop {
        let line_end = bytes.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&bytes[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        bytes = &bytes[line_end + 2..];
        if size == 0 {
            let trailer_end = bytes.windows(2).position(|w| w == b"\r\n")?;
            return Some((body, &bytes[trailer_end + 2..]));
        }
        if bytes.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&bytes[..size]);
        bytes = &bytes[size + 2..];
    }
}
