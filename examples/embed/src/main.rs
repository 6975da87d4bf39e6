//! The MCP runtime nested inside an existing axum application, beside its own routes, with
//! shared state that both the app and the tools use.
//!
//! Run with `cargo run -p example-embed -- --listen 127.0.0.1:8080`:
//! `GET /` and `GET /api/visits` are the app's own routes, MCP is at `/mcp`.

use std::{
    process::ExitCode,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use axum::{Router, extract, routing::get};
use clap::{Parser, Subcommand};
use mcp_runtime::{
    cli::{ServeArgs, schemas::SchemasCommand},
    prelude::*,
};

/// State the application already had; the MCP tools share it.
#[derive(Debug, Default)]
struct Visits {
    count: AtomicU64,
}

/// Records a visit and returns how many there have been, across the web app and MCP.
#[mcp_tool(idempotent = false)]
fn record_visit(
    /// Who is visiting (echoed back).
    visitor: String,
    #[ctx] visits: State<Visits>,
) -> VisitReceipt {
    let total = visits.count.fetch_add(1, Ordering::Relaxed) + 1;
    VisitReceipt { visitor, total }
}

/// Acknowledges a visit.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
struct VisitReceipt {
    /// The visitor's name.
    visitor: String,
    /// Visits so far, including this one.
    total: u64,
}

/// Tells which protocol revision the caller speaks.
#[mcp_tool(read_only)]
fn protocol_info(#[ctx] request: RequestMeta) -> String {
    format!("You are speaking MCP {}", request.protocol_version())
}

/// The MCP server without its state: what `schemas` subcommands read.
fn builder() -> mcp_runtime::McpServerBuilder {
    McpServer::builder()
        .name(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
}

fn app(
    visits: Arc<Visits>,
    http: mcp_runtime::HttpConfig,
) -> Result<Router, mcp_runtime::BuildError> {
    let mcp = builder()
        .state_arc(Arc::clone(&visits))
        .http(http)
        .build()?;
    let app = Router::new()
        .route(
            "/",
            get(|| async { "An existing web app that also speaks MCP at /mcp\n" }),
        )
        .route(
            "/api/visits",
            get(
                |extract::State(visits): extract::State<Arc<Visits>>| async move {
                    visits.count.load(Ordering::Relaxed).to_string()
                },
            ),
        )
        .with_state(visits)
        .merge(mcp.router());
    Ok(app)
}

#[derive(Debug, Parser)]
#[command(
    version,
    about = "An axum app with an MCP endpoint nested in it.",
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the app and MCP over HTTP (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Export, check (against schemas.json) or lint the tool schemas.
    #[command(subcommand)]
    Schemas(SchemasCommand),
}

#[tokio::main]
async fn main() -> ExitCode {
    mcp_runtime::cli::init_tracing();
    let args = Args::parse();
    match args.command {
        None => serve(&args.serve).await,
        Some(Command::Serve(serve_args)) => serve(&serve_args).await,
        Some(Command::Schemas(command)) => mcp_runtime::cli::schemas::run(builder(), &command),
    }
}

async fn serve(args: &ServeArgs) -> ExitCode {
    let app = match app(Arc::default(), args.http_config()) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("listening on http://{}/mcp", args.listen);
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_match_the_snapshot() {
        mcp_runtime::assert_schema_snapshot!(builder());
    }

    #[test]
    fn schemas_pass_the_lint_in_every_profile() {
        mcp_runtime::schema::assert_lint_clean(builder());
    }
    use axum::body::Body;
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;

    async fn send(app: &Router, request: axum::http::Request<Body>) -> (u16, String) {
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn app_routes_and_mcp_share_state() {
        let visits = Arc::new(Visits::default());
        let app = app(Arc::clone(&visits), mcp_runtime::HttpConfig::default()).unwrap();
        let call = axum::http::Request::post("/mcp")
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .body(Body::from(
                r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"record_visit","arguments":{"visitor":"ada"}}}"#,
            ))
            .unwrap();
        let (status, body) = send(&app, call).await;
        assert_eq!(status, 200, "{body}");
        let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            reply["result"]["structuredContent"],
            serde_json::json!({"visitor": "ada", "total": 1})
        );
        let tool = mcp_runtime::McpServer::builder()
            .state(Visits::default())
            .build()
            .unwrap()
            .registry()
            .get("record_visit")
            .unwrap();
        mcp_runtime::schema::validate_structured_content(
            tool,
            &reply["result"]["structuredContent"],
        )
        .unwrap();
        let (status, body) = send(
            &app,
            axum::http::Request::get("/api/visits")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!((status, body.as_str()), (200, "1"));
        let (status, _) = send(
            &app,
            axum::http::Request::get("/").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, 200);
    }
}
