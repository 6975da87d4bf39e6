//! `GET /readyz`: whether this replica can serve now (its database answers, say), as opposed
//! to `/healthz`, which only says the process is up. A balancer stops routing to a replica
//! that answers 503 here without restarting it.

use std::{fmt, future::Future, panic::AssertUnwindSafe, pin::Pin, sync::Arc, time::Duration};

use axum::{
    response::{IntoResponse, Response},
    routing::{MethodRouter, get},
};
use futures_util::FutureExt as _;
use http::{HeaderValue, StatusCode, header};

/// A check may take this long; a dependency that hangs is as unready as one that refuses.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

type CheckFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// The check given to [`McpServerBuilder::readiness`](crate::McpServerBuilder::readiness).
#[derive(Clone)]
pub(crate) struct Readiness(Arc<dyn Fn() -> CheckFuture + Send + Sync>);

impl fmt::Debug for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Readiness(..)")
    }
}

impl Readiness {
    pub(crate) fn new<F, Fut>(check: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        Self(Arc::new(move || Box::pin(check())))
    }
}

/// The `/readyz` route; without a check it answers like `/healthz`.
pub(crate) fn route(check: Option<Readiness>) -> MethodRouter {
    get(move || {
        let check = check.clone();
        async move { probe(check.as_ref()).await }
    })
}

async fn probe(check: Option<&Readiness>) -> Response {
    let Some(check) = check else {
        return "ready".into_response();
    };
    // A panicking check must not take the connection down with it: it is a failed check.
    let outcome = tokio::time::timeout(CHECK_TIMEOUT, AssertUnwindSafe((check.0)()).catch_unwind());
    let reason = match outcome.await {
        Ok(Ok(Ok(()))) => return "ready".into_response(),
        Ok(Ok(Err(reason))) => reason,
        Ok(Err(_)) => "the readiness check panicked".to_owned(),
        Err(_) => format!(
            "the readiness check did not answer within {} s",
            CHECK_TIMEOUT.as_secs()
        ),
    };
    tracing::warn!(target: "mcp_runtime::http", %reason, "not ready");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, HeaderValue::from_static("5"))],
        format!("not ready: {reason}"),
    )
        .into_response()
}
