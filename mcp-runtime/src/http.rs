//! Streamable HTTP transport on axum: request checks, body limits, JSON or SSE replies.

use std::{convert::Infallible, sync::Arc};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::Request,
    response::{IntoResponse, Response},
    routing::{get, post},
    serve::ListenerExt as _,
};
use futures_util::StreamExt as _;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};

use crate::{
    protocol::{
        dispatch::{self, Reply},
        jsonrpc::{self, RpcError, code},
        meta::{McpHeaders, decode_header_value},
    },
    server::{GatewayRuntime, McpServer, Shared},
};

/// Transport settings: which hosts and origins may call, and how large a body may be.
///
/// The defaults suit a server on a developer's machine: only loopback `Host`s
/// (`localhost`, `127.0.0.1`, `[::1]`, any port) and loopback `Origin`s are accepted, which
/// blocks DNS-rebinding attacks from web pages. A deployment behind a domain lists its own
/// host names with [`HttpConfig::allow_hosts`]; requests without an `Origin` header (every
/// non-browser client) are always accepted.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    hosts: Allow,
    origins: Allow,
    body_limit: usize,
}

#[derive(Debug, Clone)]
enum Allow {
    Any,
    /// Loopback names plus these (lower-cased) entries.
    List(Vec<String>),
}

impl Allow {
    /// Add entries to a list (compared case-insensitively); `Any` stays `Any`.
    fn extend<S: Into<String>>(&mut self, entries: impl IntoIterator<Item = S>) {
        if let Self::List(list) = self {
            list.extend(entries.into_iter().map(Into::into));
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            hosts: Allow::List(Vec::new()),
            origins: Allow::List(Vec::new()),
            body_limit: 4 << 20,
        }
    }
}

impl HttpConfig {
    /// Also accept these `Host` names (without port; e.g. `mcp.example.com`).
    pub fn allow_hosts<S: Into<String>>(mut self, hosts: impl IntoIterator<Item = S>) -> Self {
        self.hosts.extend(hosts);
        self
    }

    /// Accept any `Host` (when a reverse proxy already checks it).
    pub fn allow_any_host(mut self) -> Self {
        self.hosts = Allow::Any;
        self
    }

    /// Also accept these `Origin`s (exact, e.g. `https://chatgpt.com`).
    pub fn allow_origins<S: Into<String>>(mut self, origins: impl IntoIterator<Item = S>) -> Self {
        self.origins.extend(origins);
        self
    }

    /// Accept any `Origin` (only for servers that authenticate every request).
    pub fn allow_any_origin(mut self) -> Self {
        self.origins = Allow::Any;
        self
    }

    /// The largest request body accepted, in bytes (default 4 MiB); larger ones get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    fn host_allowed(&self, host: &str) -> bool {
        let name = strip_port(host);
        match &self.hosts {
            Allow::Any => true,
            Allow::List(list) => {
                is_loopback_name(name) || list.iter().any(|h| h.eq_ignore_ascii_case(name))
            }
        }
    }

    fn origin_allowed(&self, origin: &str) -> bool {
        match &self.origins {
            Allow::Any => true,
            Allow::List(list) => {
                let rest = strip_prefix_ignore_case(origin, "http://")
                    .or_else(|| strip_prefix_ignore_case(origin, "https://"));
                let loopback = rest
                    .is_some_and(|rest| !rest.contains('/') && is_loopback_name(strip_port(rest)));
                loopback || list.iter().any(|o| o.eq_ignore_ascii_case(origin))
            }
        }
    }
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `localhost`, `[::1]` and the whole 127.0.0.0/8 range (a dotted quad starting with 127).
fn is_loopback_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name == "[::1]"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub(crate) fn router(server: &McpServer) -> Router {
    let mut router = Router::new().route("/healthz", get(|| async { "ok" }));
    for gateway in &server.gateways {
        let shared = Arc::clone(&server.shared);
        let gw = Arc::clone(gateway);
        router = router.route(
            &gateway.gateway.path,
            post(move |request: Request| handle(Arc::clone(&shared), Arc::clone(&gw), request))
                .get(method_not_allowed)
                .delete(method_not_allowed),
        );
    }
    if server.shared.auth.is_some() {
        router = auth_routes(server, router);
    }
    router
}

/// RFC 9728 metadata for every gateway (the default one also at the root well-known path),
/// and the dev-mode JWKS.
fn auth_routes(server: &McpServer, mut router: Router) -> Router {
    use crate::auth::metadata_path;
    let json = |doc: Bytes| {
        move || {
            let doc = doc.clone();
            async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    )],
                    doc,
                )
            }
        }
    };
    for gateway in &server.gateways {
        let Some(auth) = &gateway.auth else { continue };
        router = router.route(
            &metadata_path(&gateway.gateway.path),
            get(json(auth.metadata.clone())),
        );
        if gateway.gateway.name == crate::Gateway::DEFAULT {
            router = router.route(&metadata_path(""), get(json(auth.metadata.clone())));
        }
    }
    if let Some(jwks) = server
        .shared
        .auth
        .as_ref()
        .and_then(|a| a.jwks_document.clone())
    {
        router = router.route(
            "/.well-known/jwks.json",
            get(json(Bytes::from(jwks.as_bytes().to_vec()))),
        );
    }
    router
}

/// A request auth refused: its status, challenge and a JSON-RPC error body.
fn denied(denial: crate::auth::Denial) -> Response {
    let mut response = transport_error(denial.status, denial.message);
    if let Some(challenge) = denial.challenge {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, challenge);
    }
    if denial.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}

fn transport_error(status: StatusCode, message: impl Into<String>) -> Response {
    Rejection::new(status, message).into_response()
}

/// A request refused by the transport before JSON-RPC dispatch: an HTTP status and a
/// JSON-RPC error body without id (the message was not read).
#[derive(Debug)]
struct Rejection {
    status: StatusCode,
    message: String,
}

impl Rejection {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let body = jsonrpc::error_body(None, &RpcError::new(code::INVALID_REQUEST, self.message));
        let json = [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )];
        (self.status, json, body).into_response()
    }
}

async fn method_not_allowed() -> Response {
    let mut response = transport_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed: this stateless server takes POST only (no GET stream, no sessions to DELETE)",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

async fn handle(shared: Arc<Shared>, gateway: Arc<GatewayRuntime>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if let Err(rejection) = check_request(&shared, &parts.headers, parts.uri.authority()) {
        return rejection.into_response();
    }
    // Only with auth configured: otherwise no header is read and nothing is allocated.
    let auth = match (&shared.auth, &gateway.auth) {
        (Some(config), Some(gw)) => {
            let verified = Box::pin(crate::auth::authenticate(
                config,
                gw,
                &parts.headers,
                parts.uri.query(),
            ));
            match verified.await {
                Ok(context) => Some(context),
                Err(denial) => return denied(denial),
            }
        }
        _ => None,
    };
    let limit = shared.http.body_limit;
    let body = match axum::body::to_bytes(body, limit).await {
        Ok(body) => body,
        Err(e) => {
            let too_large = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            return if too_large {
                transport_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("Request body exceeds the limit of {limit} bytes"),
                )
            } else {
                transport_error(
                    StatusCode::BAD_REQUEST,
                    format!("Could not read the request body: {e}"),
                )
            };
        }
    };
    let headers = match mcp_headers(&parts.headers) {
        Ok(h) => h,
        Err(rejection) => return rejection.into_response(),
    };
    let reply = if dispatch::is_batch(&body) {
        // Boxed: batches are rare, and their future should not enlarge every request's.
        Box::pin(dispatch::batch(
            &shared,
            &gateway,
            &body,
            &headers,
            auth.as_ref(),
        ))
        .await
    } else {
        match dispatch::route(&shared, &gateway, &body, &headers, auth.as_ref()) {
            dispatch::Routed::Reply(reply) => reply,
            dispatch::Routed::Call(call) => call.run().await,
        }
    };
    match reply {
        Reply::Accepted => StatusCode::ACCEPTED.into_response(),
        Reply::Json { status, body } => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Reply::Stream(events) => event_stream(events),
        Reply::Forbidden { body, scopes } => {
            let mut response = (
                StatusCode::FORBIDDEN,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response();
            if let Some(gw) = &gateway.auth {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    crate::auth::insufficient_scope(gw, scopes),
                );
            }
            response
        }
    }
}

/// Host/Origin (DNS rebinding), Content-Type and Accept, before the body is read.
fn check_request(
    shared: &Shared,
    headers: &HeaderMap,
    authority: Option<&http::uri::Authority>,
) -> Result<(), Rejection> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| authority.map(http::uri::Authority::as_str));
    if let Some(host) = host
        && !shared.http.host_allowed(host)
    {
        return Err(Rejection::new(
            StatusCode::FORBIDDEN,
            format!("Forbidden: Host `{host}` is not allowed by this server"),
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let allowed = origin.to_str().is_ok_and(|o| shared.http.origin_allowed(o));
        if !allowed {
            return Err(Rejection::new(
                StatusCode::FORBIDDEN,
                format!(
                    "Forbidden: Origin `{}` is not allowed by this server",
                    String::from_utf8_lossy(origin.as_bytes())
                ),
            ));
        }
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/json") {
        return Err(Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json",
        ));
    }
    if !accepts_both(headers) {
        return Err(Rejection::new(
            StatusCode::NOT_ACCEPTABLE,
            "Not Acceptable: the Accept header must list both application/json and text/event-stream",
        ));
    }
    Ok(())
}

fn accepts_both(headers: &HeaderMap) -> bool {
    let (mut json, mut sse) = (false, false);
    for value in headers.get_all(header::ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let media = item
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            match media.as_str() {
                "*/*" => (json, sse) = (true, true),
                "application/*" | "application/json" => json = true,
                "text/*" | "text/event-stream" => sse = true,
                _ => {}
            }
        }
    }
    json && sse
}

static MCP_PROTOCOL_VERSION: HeaderName = HeaderName::from_static("mcp-protocol-version");
static MCP_METHOD: HeaderName = HeaderName::from_static("mcp-method");
static MCP_NAME: HeaderName = HeaderName::from_static("mcp-name");

fn mcp_headers(headers: &HeaderMap) -> Result<McpHeaders<'_>, Rejection> {
    let text = |name: &HeaderName| -> Result<Option<&str>, Rejection> {
        match headers.get(name) {
            None => Ok(None),
            Some(v) => v.to_str().map(Some).map_err(|_| {
                Rejection::new(
                    StatusCode::BAD_REQUEST,
                    format!("Header {name} is not visible ASCII"),
                )
            }),
        }
    };
    let decoded = |name: &HeaderName| -> Result<_, Rejection> {
        match text(name)? {
            None => Ok(None),
            Some(v) => decode_header_value(v).map(Some).ok_or_else(|| {
                Rejection::new(
                    StatusCode::BAD_REQUEST,
                    format!("Header {name} has a malformed =?base64?…?= value"),
                )
            }),
        }
    };
    Ok(McpHeaders {
        protocol_version: text(&MCP_PROTOCOL_VERSION)?,
        method: decoded(&MCP_METHOD)?,
        name: decoded(&MCP_NAME)?,
    })
}

fn event_stream(events: futures_util::stream::BoxStream<'static, Vec<u8>>) -> Response {
    let frames = events.map(|json| {
        let mut frame = Vec::with_capacity(json.len() + 24);
        frame.extend_from_slice(b"event: message\ndata: ");
        frame.extend_from_slice(&json);
        frame.extend_from_slice(b"\n\n");
        Ok::<_, Infallible>(Bytes::from(frame))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .header("x-accel-buffering", "no")
        .body(Body::from_stream(frames))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

pub(crate) async fn serve(
    server: &McpServer,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        tracing::warn!(
            target: "mcp_runtime::http",
            %addr,
            "bound to a non-loopback address: only loopback Host names are accepted until HttpConfig::allow_hosts lists yours"
        );
    }
    for (i, g) in server.gateways.iter().enumerate() {
        if i == 0 {
            tracing::info!(target: "mcp_runtime::http", "listening on http://{addr}{}", g.gateway.path);
        } else {
            tracing::info!(target: "mcp_runtime::http", gateway = %g.gateway.name, "gateway at http://{addr}{}", g.gateway.path);
        }
    }
    // Without TCP_NODELAY an SSE reply on a keep-alive connection stalls ~40 ms (Nagle + delayed ACK).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(target: "mcp_runtime::http", error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(listener, server.router())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!(target: "mcp_runtime::http", "shutting down: finishing in-flight requests");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let c = HttpConfig::default();
        assert!(c.host_allowed("localhost:8080"));
        assert!(c.host_allowed("127.0.0.1:1"));
        assert!(c.host_allowed("[::1]:3000"));
        assert!(c.host_allowed("LOCALHOST"));
        assert!(!c.host_allowed("evil.example.com"));
        assert!(!c.host_allowed("evil.example.com:8080"));
        let c = c.allow_hosts(["mcp.example.com"]);
        assert!(c.host_allowed("mcp.example.com:443"));
        assert!(!c.host_allowed("localhost.evil.com"));
    }

    #[test]
    fn origins() {
        let c = HttpConfig::default();
        assert!(c.origin_allowed("http://localhost:3000"));
        assert!(c.origin_allowed("http://127.0.0.1:8080"));
        assert!(!c.origin_allowed("http://evil.example.com"));
        assert!(!c.origin_allowed("null"));
        assert!(!c.origin_allowed("http://localhost.evil.com"));
        let c = c.allow_origins(["https://chatgpt.com"]);
        assert!(c.origin_allowed("https://chatgpt.com"));
    }
}
/// Every request's future is moved into a box by axum, and every layer of `async fn` nesting
/// moves its child: a large future costs memcpy on the hot path. Routing is synchronous so
/// that only a small call future is awaited; this keeps it that way.
#[cfg(test)]
mod future_size {
    #[test]
    fn request_future_stays_small() {
        let server = crate::McpServer::builder().build().unwrap();
        let shared = std::sync::Arc::clone(&server.shared);
        let gateway = std::sync::Arc::clone(&server.gateways[0]);
        let request = axum::extract::Request::new(axum::body::Body::empty());
        let size = std::mem::size_of_val(&super::handle(shared, gateway, request));
        assert!(size <= 1600, "the per-request future grew to {size} bytes");
    }
}
