//! Accepting connections, bounding them, and draining them on shutdown.
//!
//! `axum::serve` has no connection limit, no header-read timeout and an unbounded graceful
//! shutdown, so the accept loop is ours, on hyper-util. The limits here protect only servers
//! started with `McpServer::serve`/`serve_listener`; an embedded `McpServer::router()` runs
//! in the embedder's accept loop.

use std::{
    convert::Infallible,
    pin::pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use axum::{Router, body::Body, response::Response};
use futures_util::future::{Either, Ready, ready};
use http::{HeaderValue, Request, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto,
    service::{TowerToHyperService, TowerToHyperServiceFuture},
};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore, watch},
    task::JoinSet,
};

use super::HttpConfig;
use crate::server::McpServer;

/// HTTP/2 bounds: hyper's default of 200 concurrent streams per connection lets one client
/// start 200 tool calls at once; pings find dead peers that never close.
const H2_MAX_CONCURRENT_STREAMS: u32 = 100;
const H2_KEEP_ALIVE_INTERVAL: Duration = Duration::from_secs(20);
const H2_KEEP_ALIVE_TIMEOUT: Duration = Duration::from_secs(20);

pub(crate) async fn serve(
    server: &McpServer,
    listener: TcpListener,
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
    AcceptLoop::new(&server.shared.http, server.router())
        .run(listener, shutdown)
        .await;
    Ok(())
}

struct AcceptLoop {
    /// One permit per open connection.
    permits: Arc<Semaphore>,
    max_connections: usize,
    drain_timeout: Duration,
    /// For connections accepted before shutdown began.
    builder: Arc<auto::Builder<TokioExecutor>>,
    /// For connections accepted while draining: one request each, answered with
    /// `Connection: close`.
    last_call: Arc<auto::Builder<TokioExecutor>>,
    service: Drainable,
    /// Tells connections accepted before shutdown to finish their request and close.
    drain: watch::Sender<bool>,
    /// The same for connections accepted while draining, once the listener has closed.
    closing: watch::Sender<bool>,
}

impl AcceptLoop {
    fn new(config: &HttpConfig, router: Router) -> Self {
        let builder = connection_builder(config);
        let mut last_call = builder.clone();
        last_call.http1().keep_alive(false);
        Self {
            permits: Arc::new(Semaphore::new(config.max_connections)),
            max_connections: config.max_connections,
            drain_timeout: config.drain_timeout,
            builder: Arc::new(builder),
            last_call: Arc::new(last_call),
            service: Drainable {
                router: TowerToHyperService::new(router),
                draining: Arc::new(AtomicBool::new(false)),
            },
            drain: watch::Sender::new(false),
            closing: watch::Sender::new(false),
        }
    }

    /// Accept until `shutdown`, then drain: while requests that were in flight at shutdown
    /// finish, keep answering new connections (healthz 503, one request each), so a balancer
    /// that has not noticed yet gets answers rather than refused connections; then close the
    /// listener and let the last of those finish. All within the drain timeout.
    async fn run(self, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        let mut shutdown = pin!(shutdown);
        // Accepted before shutdown, and accepted while draining.
        let mut connections = JoinSet::new();
        let mut late = JoinSet::new();
        let mut deadline = None;
        loop {
            if deadline.is_some() && connections.is_empty() {
                break;
            }
            let drain_over = async {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                biased;
                () = &mut shutdown, if deadline.is_none() => {
                    deadline = Some(tokio::time::Instant::now() + self.drain_timeout);
                    self.service.draining.store(true, Ordering::Relaxed);
                    self.drain.send_replace(true);
                    tracing::info!(
                        target: "mcp_runtime::http",
                        connections = connections.len(),
                        "draining: finishing in-flight requests"
                    );
                }
                Some(_) = connections.join_next() => {}
                Some(_) = late.join_next() => {}
                () = drain_over => break,
                (tcp, permit) = self.accept(&listener) => {
                    if deadline.is_some() {
                        late.spawn(self.connection(tcp, permit, true));
                    } else {
                        connections.spawn(self.connection(tcp, permit, false));
                    }
                }
            }
        }
        drop(listener);
        // A late connection that has not sent its request yet would otherwise hold shutdown
        // until the header read timeout.
        self.closing.send_replace(true);
        if let Some(deadline) = deadline {
            let finished = async {
                while connections.join_next().await.is_some() {}
                while late.join_next().await.is_some() {}
            };
            if tokio::time::timeout_at(deadline, finished).await.is_err() {
                tracing::warn!(
                    target: "mcp_runtime::http",
                    connections = connections.len() + late.len(),
                    "drain timeout: closing connections with requests still in flight"
                );
            }
        }
        // Cuts off whatever outlived the drain timeout.
        connections.shutdown().await;
        late.shutdown().await;
    }

    /// The next connection, once one may be served: at the connection limit this waits,
    /// leaving new connections in the kernel's listen backlog.
    async fn accept(&self, listener: &TcpListener) -> (TcpStream, OwnedSemaphorePermit) {
        let permit = match Arc::clone(&self.permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                tracing::warn!(
                    target: "mcp_runtime::http",
                    max_connections = self.max_connections,
                    "connection limit reached: new connections wait until one closes"
                );
                match Arc::clone(&self.permits).acquire_owned().await {
                    Ok(permit) => permit,
                    // The semaphore is never closed.
                    Err(_) => std::future::pending().await,
                }
            }
        };
        loop {
            match listener.accept().await {
                Ok((tcp, _)) => {
                    // Without TCP_NODELAY an SSE reply on a keep-alive connection stalls
                    // ~40 ms (Nagle + delayed ACK).
                    if let Err(e) = tcp.set_nodelay(true) {
                        tracing::debug!(target: "mcp_runtime::http", error = %e, "could not set TCP_NODELAY");
                    }
                    return (tcp, permit);
                }
                Err(e) if is_connection_error(&e) => {}
                Err(e) => {
                    // EMFILE and the like: retrying at once would spin.
                    tracing::error!(target: "mcp_runtime::http", error = %e, "accept failed; retrying in 100 ms");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    fn connection(
        &self,
        tcp: TcpStream,
        permit: OwnedSemaphorePermit,
        late: bool,
    ) -> impl Future<Output = ()> + Send + 'static {
        let (builder, mut stop) = if late {
            (Arc::clone(&self.last_call), self.closing.subscribe())
        } else {
            (Arc::clone(&self.builder), self.drain.subscribe())
        };
        let service = self.service.clone();
        async move {
            let _permit = permit;
            let mut connection = pin!(builder.serve_connection(TokioIo::new(tcp), service));
            let result = tokio::select! {
                result = connection.as_mut() => result,
                () = async {
                    // The guard `wait_for` returns is not `Send`: drop it here.
                    drop(stop.wait_for(|stop| *stop).await);
                } => {
                    // Idle connections close now; busy ones after their response.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = result {
                tracing::debug!(target: "mcp_runtime::http", error = %e, "connection ended with an error");
            }
        }
    }
}

/// Errors that concern only the connection being accepted, not the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}

fn connection_builder(config: &HttpConfig) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // hyper starts this clock whenever it waits for a request head, idle keep-alive included.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(H2_MAX_CONCURRENT_STREAMS)
        .keep_alive_interval(H2_KEEP_ALIVE_INTERVAL)
        .keep_alive_timeout(H2_KEEP_ALIVE_TIMEOUT);
    builder
}

/// The router, except that `/healthz` and `/readyz` answer 503 once the server is draining,
/// so load balancers stop sending new work.
#[derive(Clone)]
struct Drainable {
    router: TowerToHyperService<Router>,
    draining: Arc<AtomicBool>,
}

impl hyper::service::Service<Request<Incoming>> for Drainable {
    type Response = Response;
    type Error = Infallible;
    type Future = Either<
        Ready<Result<Response, Infallible>>,
        TowerToHyperServiceFuture<Router, Request<Incoming>>,
    >;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        if self.draining.load(Ordering::Relaxed)
            && matches!(request.uri().path(), "/healthz" | "/readyz")
        {
            return Either::Left(ready(Ok(draining_health())));
        }
        Either::Right(self.router.call(request))
    }
}

fn draining_health() -> Response {
    let mut response = Response::new(Body::from("draining"));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
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
