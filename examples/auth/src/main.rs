//! An OAuth-protected MCP server: tools with different scopes, one that reads the caller.
//!
//! Try it locally in dev mode (a signing key is generated once into `--data-dir`):
//!
//! ```text
//! cargo run -p example-auth -- --dev-auth            # prints a ready Authorization header
//! cargo run -p example-auth -- token --sub alice --tenant acme --scope notes:write,profile
//! ```
//!
//! In production point it at your authorization server instead:
//! `--auth-issuer https://auth.example.com --auth-jwks-url https://auth.example.com/jwks.json
//! --auth-resource-url https://mcp.example.com --allowed-host mcp.example.com`.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use mcp_runtime::{
    cli::{AuthArgs, ServeArgs, TokenArgs, schemas::SchemasCommand},
    prelude::*,
};

/// Who is calling: the verified subject, tenant, client and scopes of the access token.
#[mcp_tool(title = "Who am I?", read_only, idempotent, open_world = false, scopes = ["profile"])]
fn whoami(#[ctx] auth: AuthContext) -> Caller {
    Caller {
        subject: auth.subject().map(str::to_owned),
        tenant: auth.tenant().map(str::to_owned),
        client_id: auth.client_id().map(str::to_owned),
        scopes: auth.scopes().to_vec(),
    }
}

/// The verified caller.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
struct Caller {
    /// `sub` of the token.
    subject: Option<String>,
    /// Tenant or account id.
    tenant: Option<String>,
    /// OAuth client.
    client_id: Option<String>,
    /// Granted scopes.
    scopes: Vec<String>,
}

/// Writes a note in the caller's tenant (here: echoes it back with its author).
#[mcp_tool(title = "Write a note", open_world = false, scopes = ["notes:write"])]
fn write_note(
    /// The note's text.
    text: String,
    #[ctx] auth: Option<AuthContext>,
) -> Note {
    Note {
        author: auth
            .as_ref()
            .and_then(|a| a.subject().map(str::to_owned))
            .unwrap_or_else(|| "anonymous".to_owned()),
        tenant: auth.as_ref().and_then(|a| a.tenant().map(str::to_owned)),
        text,
    }
}

/// A stored note.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
struct Note {
    /// Who wrote it.
    author: String,
    /// Whose tenant it belongs to.
    tenant: Option<String>,
    /// The text.
    text: String,
}

/// Adds two integers (the same tool as example-hello's, behind the `calc` scope: the load
/// benchmark compares the two to measure the cost of token verification).
#[mcp_tool(title = "Add two integers", read_only, idempotent, open_world = false, scopes = ["calc"])]
async fn add(
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
) -> Result<Sum, String> {
    a.checked_add(b)
        .map(|sum| Sum { sum })
        .ok_or_else(|| format!("{a} + {b} does not fit in a signed 64-bit integer"))
}

/// The result of an addition.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
struct Sum {
    /// a + b
    sum: i64,
}

/// Deletes every note of every tenant. Needs the `admin` scope.
#[mcp_tool(title = "Purge all notes", destructive, open_world = false, scopes = ["admin"])]
fn purge_notes() -> String {
    "all notes purged".to_owned()
}

#[derive(Debug, Parser)]
#[command(version, about = "An MCP server whose tools need OAuth scopes.")]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
    #[command(flatten)]
    auth: AuthArgs,
    /// Where the dev signing key lives.
    #[arg(
        long,
        env = "MCP_DATA_DIR",
        default_value = "./auth-data",
        global = true
    )]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve MCP (the default).
    Serve,
    /// Mint a dev token (signed with the dev key in --data-dir) and print it.
    Token(TokenArgs),
    /// Export, check (against schemas.json) or lint the tool schemas.
    #[command(subcommand)]
    Schemas(SchemasCommand),
}

fn builder() -> mcp_runtime::McpServerBuilder {
    McpServer::builder()
        .name(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
        .title("Auth example")
        .description("Tools behind OAuth scopes: profile, notes:write, calc, admin.")
}

#[tokio::main]
async fn main() -> ExitCode {
    mcp_runtime::cli::init_tracing();
    let args = Args::parse();
    match &args.command {
        Some(Command::Token(token)) => mint(&args, token),
        Some(Command::Schemas(command)) => mcp_runtime::cli::schemas::run(builder(), command),
        Some(Command::Serve) | None => serve(&args).await,
    }
}

fn mint(args: &Args, token: &TokenArgs) -> ExitCode {
    let minted = args
        .auth
        .dev_auth(args.serve.listen, &args.data_dir)
        .map_err(|e| e.to_string())
        .and_then(|dev| dev.mint(token).map_err(|e| e.to_string()));
    match minted {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: &Args) -> ExitCode {
    let mut builder = builder();
    match args.auth.configure(args.serve.listen, &args.data_dir) {
        Ok(Some(configured)) => {
            if let Some(dev) = &configured.dev
                && let Err(e) = dev.print_banner(&["profile", "notes:write", "calc"])
            {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
            builder = builder.auth(configured.auth);
        }
        Ok(None) => {
            eprintln!(
                "error: example-auth needs auth: pass --dev-auth, or --auth-issuer with --auth-jwks-url or --auth-introspection-url"
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    mcp_runtime::cli::serve_main(builder, &args.serve).await
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

    #[test]
    fn tools_that_read_the_caller_need_auth_at_build() {
        let err = builder().build().unwrap_err().to_string();
        assert!(err.contains("whoami"), "{err}");
    }
}
