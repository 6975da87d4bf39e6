//! The smallest MCP server: one tool, `add`, with structured output.
//!
//! Run with `cargo run -p example-hello -- --listen 127.0.0.1:8080`, then point any MCP
//! client at `http://127.0.0.1:8080/mcp`.

use std::{fmt, process::ExitCode};

use clap::Parser;
use mcp_runtime::{
    cli::{ServeArgs, ServerCommand},
    prelude::*,
};

/// Adds two integers and returns their sum.
///
/// Fails (with a message, not a crash) when the sum does not fit in a 64-bit integer.
#[mcp_tool(title = "Add two integers", read_only, idempotent, open_world = false)]
async fn add(
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
) -> Result<Sum, Overflow> {
    a.checked_add(b)
        .map(|sum| Sum { sum })
        .ok_or(Overflow { a, b })
}

/// The result of an addition.
#[derive(Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
struct Sum {
    /// a + b
    sum: i64,
}

/// The sum is outside the 64-bit range.
#[derive(Debug)]
struct Overflow {
    a: i64,
    b: i64,
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} + {} does not fit in a signed 64-bit integer; use smaller addends",
            self.a, self.b
        )
    }
}

#[derive(Debug, Parser)]
#[command(
    version,
    about = "A minimal MCP server with one tool, `add`.",
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<ServerCommand>,
}

fn builder() -> mcp_runtime::McpServerBuilder {
    McpServer::builder()
        .name(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
        .title("Hello MCP")
        .description("The smallest mcp-tools server: adds two integers.")
}

#[tokio::main]
async fn main() -> ExitCode {
    mcp_runtime::cli::init_tracing();
    let args = Args::parse();
    mcp_runtime::cli::run(builder(), &args.serve, args.command).await
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
    fn serves_exactly_add() {
        let server = builder().build().unwrap();
        assert_eq!(server.tool_names("default").unwrap(), ["add"]);
    }

    #[tokio::test]
    async fn add_is_callable_as_written() {
        assert_eq!(add(2, 3).await.unwrap(), Sum { sum: 5 });
        assert!(add(i64::MAX, 1).await.is_err());
    }

    #[tokio::test]
    async fn structured_output_matches_the_output_schema() {
        let server = builder().build().unwrap();
        let tool = server.registry().get("add").unwrap();
        let structured = serde_json::to_value(add(2, 3).await.unwrap()).unwrap();
        mcp_runtime::schema::validate_structured_content(tool, &structured).unwrap();
    }
}
