//! Streamable HTTP transport on axum: request checks, body limits, JSON or SSE replies.

mod config;
mod serve;

pub use config::HttpConfig;
pub(crate) use serve::{serve, shutdown_signal};

use std::{convert::Infallible, sync::Arc};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::Request,
    response::{IntoResponse, Response},
    routing::{get, post},
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

pub(crate) fn router(server: &McpServer) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/readyz",
            crate::readiness::route(server.shared.readiness.clone()),
        );
    for gateway in &server.gateways {
        let shared = Arc::clone(&server.shared);
        let gw = Arc::clone(gateway);
        router = router.route(
            &gateway.gateway.path,
            post(move |request: Request| observed(Arc::clone(&shared), Arc::clone(&gw), request))
                .get(method_not_allowed)
                .delete(method_not_allowed)
                // PUT, PATCH, …: the same JSON-RPC error instead of axum's empty 405.
                .fallback(method_not_allowed),
        );
    }
    if server.shared.auth.is_some() {
        router = auth_routes(server, router);
    }
    router
}

/// `GET /metrics` (see [`McpServer::metrics_router`]).
pub(crate) fn metrics_router(server: &McpServer) -> Router {
    let shared = Arc::clone(&server.shared);
    Router::new().route(
        "/metrics",
        get(move || {
            let text = shared.telemetry.metrics.encode();
            async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(
                            "application/openmetrics-text; version=1.0.0; charset=utf-8",
                        ),
                    )],
                    text,
                )
            }
        }),
    )
}

/// [`handle`] inside its `http.request` span, counted in flight, its refusals counted by kind.
fn observed(
    shared: Arc<Shared>,
    gateway: Arc<GatewayRuntime>,
    request: Request,
) -> impl std::future::Future<Output = Response> {
    use tracing::Instrument as _;
    let span = crate::telemetry::http_span(
        request.method(),
        request.uri().path(),
        request.version(),
        &gateway.gateway.name,
    );
    let telemetry = Arc::clone(&shared);
    async move {
        let metrics = &telemetry.telemetry.metrics;
        let in_flight = metrics.in_flight();
        let response = handle(shared, gateway, request)
            .instrument(span.clone())
            .await;
        if let Some(refused) = response.extensions().get::<Refused>() {
            use crate::telemetry::metrics::{AuthFailure, ErrorKind};
            match refused {
                Refused::Transport => metrics.error(ErrorKind::Transport),
                Refused::Auth => metrics.auth_failure(AuthFailure::of_status(response.status())),
            }
        }
        span.record("http.response.status_code", response.status().as_u16());
        drop(in_flight);
        response
    }
}

/// Marks a response the transport produced itself (not a JSON-RPC reply), for the metrics.
#[derive(Debug, Clone, Copy)]
enum Refused {
    /// Host, Origin, media type, body size, …
    Transport,
    /// Auth refused the token.
    Auth,
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
    response.extensions_mut().insert(Refused::Auth);
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
        let mut response = (self.status, json, body).into_response();
        response.extensions_mut().insert(Refused::Transport);
        response
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
    // A declared Content-Length over the limit is refused before a byte of it is read.
    if axum::body::HttpBody::size_hint(&body).lower() > limit as u64 {
        let mut response = transport_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body exceeds the limit of {limit} bytes"),
        );
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    let read = axum::body::to_bytes(body, limit);
    let body = match tokio::time::timeout(shared.http.body_read_timeout, read).await {
        Ok(Ok(body)) => body,
        Err(_elapsed) => {
            let mut response = transport_error(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "Request timeout: the body did not arrive within {} ms",
                    shared.http.body_read_timeout.as_millis()
                ),
            );
            // The rest of the body may still be on its way: never read it as a next request.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
        Ok(Err(e)) => {
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
