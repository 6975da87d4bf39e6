//! What every server binary does the same way: `--listen`, logging set-up.

use std::net::SocketAddr;

pub mod auth;
pub use auth::{AuthArgs, TokenArgs};

pub mod schemas;

use crate::telemetry::AuditLog;
pub use crate::telemetry::LogFormat;

/// Options every server binary takes (flatten into your clap parser).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; MCP is served at /mcp, health at /healthz.
    #[arg(long, env = "MCP_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Extra Host names to accept besides loopback (comma-separated), e.g. mcp.example.com.
    #[arg(
        long = "allowed-host",
        env = "MCP_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
    /// Extra browser Origins to accept besides loopback (comma-separated).
    #[arg(
        long = "allowed-origin",
        env = "MCP_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// Secret that signs 2026-07-28 multi-round `requestState`s. Every replica behind one
    /// load balancer needs the same value (32+ random bytes, e.g. `openssl rand -hex 32`);
    /// without it each process draws a random key.
    #[arg(
        long = "request-state-key",
        env = "MCP_REQUEST_STATE_KEY",
        hide_env_values = true
    )]
    pub request_state_key: Option<String>,
    /// Connections served at once; beyond it new ones wait in the listen backlog
    /// [default: 1024].
    #[arg(long, env = "MCP_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
    /// Seconds a client may take to send request headers; also the keep-alive idle bound,
    /// so keep it above your load balancer's idle timeout [default: 65].
    #[arg(long, env = "MCP_HEADER_READ_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: Option<u64>,
    /// Seconds a request body may take to arrive in full; slower ones get 408 [default: 30].
    #[arg(long, env = "MCP_BODY_READ_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub body_read_timeout_secs: Option<u64>,
    /// Largest request body in bytes; larger ones get 413 [default: 4194304].
    #[arg(long, env = "MCP_BODY_LIMIT_BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub body_limit_bytes: Option<u64>,
    /// Seconds shutdown waits for in-flight requests (healthz answers 503 meanwhile)
    /// [default: 30].
    #[arg(long, env = "MCP_DRAIN_TIMEOUT_SECS")]
    pub drain_timeout_secs: Option<u64>,
    /// Log line format on stderr: `text`, or `json` (one object per line, span fields
    /// included). Filter with RUST_LOG; audit lines use the target `mcp_audit`.
    #[arg(long, env = "MCP_LOG_FORMAT", value_enum, ignore_case = true)]
    pub log_format: Option<LogFormat>,
    /// Serve Prometheus metrics at http://ADDR/metrics, on this separate address only (keep it
    /// loopback or internal: metrics name tools and traffic). Off by default.
    #[arg(long, env = "MCP_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Audit log of tool calls (INFO on target `mcp_audit`): `auto` (on when auth is
    /// configured), `on` or `off`.
    #[arg(long, env = "MCP_AUDIT_LOG", value_enum, default_value = "auto")]
    pub audit_log: AuditLog,
}

impl ServeArgs {
    /// The transport settings these options describe.
    pub fn http_config(&self) -> crate::HttpConfig {
        use std::time::Duration;
        let mut config = crate::HttpConfig::default()
            .allow_hosts(self.allowed_hosts.iter().cloned())
            .allow_origins(self.allowed_origins.iter().cloned());
        if let Some(max) = self.max_connections {
            config = config.max_connections(usize::try_from(max).unwrap_or(usize::MAX));
        }
        if let Some(secs) = self.header_read_timeout_secs {
            config = config.header_read_timeout(Duration::from_secs(secs));
        }
        if let Some(secs) = self.body_read_timeout_secs {
            config = config.body_read_timeout(Duration::from_secs(secs));
        }
        if let Some(bytes) = self.body_limit_bytes {
            config = config.body_limit(usize::try_from(bytes).unwrap_or(usize::MAX));
        }
        if let Some(secs) = self.drain_timeout_secs {
            config = config.drain_timeout(Duration::from_secs(secs));
        }
        config
    }
}

/// Install a `tracing` subscriber: `RUST_LOG` filter (default `info`), plain or JSON lines
/// (`MCP_LOG_FORMAT=json`), to stderr. Call once from `main`, before parsing arguments;
/// [`serve_main`] applies `--log-format` when it differs.
pub fn init_tracing() {
    crate::telemetry::logging::init(LogFormat::from_env());
}

/// Build the server with the transport settings from `args`, then serve it until Ctrl-C or
/// SIGTERM. Build problems and bind errors are printed and give exit code 1.
pub async fn serve_main(
    builder: crate::McpServerBuilder,
    args: &ServeArgs,
) -> std::process::ExitCode {
    if let Some(format) = args.log_format {
        crate::telemetry::logging::set_format(format);
    }
    let mut builder = builder.http(args.http_config()).audit_log(args.audit_log);
    if let Some(key) = &args.request_state_key {
        builder = builder.request_state_key(key.as_bytes());
    }
    let server = match builder.build() {
        Ok(server) => server,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let metrics = match args.metrics_listen {
        Some(addr) => match crate::telemetry::serve_metrics(&server, addr).await {
            Ok(task) => Some(task),
            Err(e) => {
                eprintln!("error: cannot serve metrics on {addr}: {e}");
                return std::process::ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let served = server.serve(args.listen).await;
    if let Some(task) = metrics {
        task.abort();
    }
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot serve on {}: {e}", args.listen);
            std::process::ExitCode::FAILURE
        }
    }
}

/// The subcommands every server binary gets; flatten `ServeArgs` beside it so that running
/// the binary with no subcommand serves:
///
/// ```no_run
/// use clap::Parser;
/// use mcp_runtime::cli::{ServeArgs, ServerCommand};
///
/// #[derive(Parser)]
/// #[command(args_conflicts_with_subcommands = true)]
/// struct Args {
///     #[command(flatten)]
///     serve: ServeArgs,
///     #[command(subcommand)]
///     command: Option<ServerCommand>,
/// }
///
/// #[tokio::main]
/// async fn main() -> std::process::ExitCode {
///     let args = Args::parse();
///     let builder = mcp_runtime::McpServer::builder();
///     mcp_runtime::cli::run(builder, &args.serve, args.command).await
/// }
/// ```
#[derive(Debug, Clone, clap::Subcommand)]
// Without this, clap would show this enum's documentation as the binary's own help text.
#[command(about = None, long_about = None)]
pub enum ServerCommand {
    /// Serve MCP over HTTP (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Export, check (against schemas.json) or lint the tool schemas.
    #[command(subcommand)]
    Schemas(schemas::SchemasCommand),
}

/// Run a [`ServerCommand`]; `None` serves with `serve`.
pub async fn run(
    builder: crate::McpServerBuilder,
    serve: &ServeArgs,
    command: Option<ServerCommand>,
) -> std::process::ExitCode {
    match command {
        None => serve_main(builder, serve).await,
        Some(ServerCommand::Serve(args)) => serve_main(builder, &args).await,
        Some(ServerCommand::Schemas(command)) => schemas::run(builder, &command),
    }
}
