//! What every server binary does the same way: `--listen`, logging set-up.

use std::net::SocketAddr;

pub mod auth;
pub use auth::{AuthArgs, TokenArgs};

pub mod schemas;

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
}

impl ServeArgs {
    /// The transport settings these options describe.
    pub fn http_config(&self) -> crate::HttpConfig {
        crate::HttpConfig::default()
            .allow_hosts(self.allowed_hosts.iter().cloned())
            .allow_origins(self.allowed_origins.iter().cloned())
    }
}

/// Install a `tracing` subscriber: `RUST_LOG` filter (default `info`), plain or JSON lines
/// (`MCP_LOG_FORMAT=json`), to stderr. Call once from `main`.
pub fn init_tracing() {
    use tracing_subscriber::{EnvFilter, fmt};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    let json = std::env::var("MCP_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let result = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // Already installed (e.g. by a test harness): keep that one.
    drop(result);
}

/// Build the server with the transport settings from `args`, then serve it until Ctrl-C or
/// SIGTERM. Build problems and bind errors are printed and give exit code 1.
pub async fn serve_main(
    builder: crate::McpServerBuilder,
    args: &ServeArgs,
) -> std::process::ExitCode {
    let mut builder = builder.http(args.http_config());
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
    match server.serve(args.listen).await {
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
