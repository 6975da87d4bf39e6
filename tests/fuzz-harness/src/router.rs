//! Target (a): an arbitrary HTTP request into the CRM server's router.
//!
//! Input format, so that seeds are readable and the fuzzer can mutate headers too: either a
//! bare body (it starts with `{` or `[`, or has no blank line), sent as a well-formed POST to
//! `/mcp` with a valid token; or a head and a body separated by the first blank line. The head
//! is an optional request line (`POST /deep-research/mcp`) and then `name: value` lines that
//! replace the default header of that name, or `-name` lines that drop it.

use axum::body::Body;
use http::{HeaderName, HeaderValue, Method, Request, header};

use crate::fixture::{MCP_PATH, fixture};
use crate::http::{check, send};

/// Sends `data`, framed as above, through the router and checks the reply's invariants.
pub fn mcp_request(data: &[u8]) {
    let Some(framed) = frame(data) else {
        return;
    };
    let body = framed.body.clone();
    let exchange = send(framed.into_request());
    check(&exchange, &body);
}

struct Framed {
    method: Method,
    path: String,
    /// `None`: drop the default header of that name.
    headers: Vec<(HeaderName, Option<HeaderValue>)>,
    body: Vec<u8>,
}

impl Framed {
    fn into_request(self) -> Request<Body> {
        let token = fixture().token_for(&self.path);
        let defaults = [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::ACCEPT,
                "application/json, text/event-stream".to_owned(),
            ),
            (header::AUTHORIZATION, format!("Bearer {token}")),
        ];
        let mut request = Request::new(Body::from(self.body));
        *request.method_mut() = self.method;
        if let Ok(uri) = self.path.parse() {
            *request.uri_mut() = uri;
        }
        let headers = request.headers_mut();
        for (name, value) in defaults {
            let overridden = self.headers.iter().any(|(n, _)| *n == name);
            if let (false, Ok(value)) = (overridden, HeaderValue::from_str(&value)) {
                headers.insert(name, value);
            }
        }
        for (name, value) in self.headers {
            if let Some(value) = value {
                headers.append(name, value);
            }
        }
        request
    }
}

/// `None` for inputs no HTTP parser would hand to the router (a bad method, path or header).
fn frame(data: &[u8]) -> Option<Framed> {
    let bare = || Framed {
        method: Method::POST,
        path: MCP_PATH.to_owned(),
        headers: Vec::new(),
        body: data.to_vec(),
    };
    if matches!(data.first(), Some(b'{' | b'[')) {
        return Some(bare());
    }
    let Some(split) = data.windows(2).position(|w| w == b"\n\n") else {
        return Some(bare());
    };
    let head = std::str::from_utf8(&data[..split]).ok()?;
    let mut framed = Framed {
        body: data[split + 2..].to_vec(),
        ..bare()
    };
    for (i, line) in head.lines().enumerate() {
        if let Some(name) = line.strip_prefix('-') {
            framed
                .headers
                .push((HeaderName::from_bytes(name.trim().as_bytes()).ok()?, None));
        } else if let Some((name, value)) = line.split_once(':') {
            framed.headers.push((
                HeaderName::from_bytes(name.trim().as_bytes()).ok()?,
                Some(HeaderValue::from_str(value.trim()).ok()?),
            ));
        } else if i == 0 {
            let (method, path) = line.split_once(' ')?;
            framed.method = Method::from_bytes(method.as_bytes()).ok()?;
            let _: http::Uri = path.parse().ok()?;
            framed.path = path.to_owned();
        } else {
            return None;
        }
    }
    Some(framed)
}
