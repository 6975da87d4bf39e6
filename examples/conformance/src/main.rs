//! A server implementing the fixture tools, resources and prompts of the official MCP
//! conformance suite (`@modelcontextprotocol/conformance` 0.1.16 and 0.2.0-alpha.12, both
//! protocol eras), built only with the framework's public API.
//!
//! Fixtures that ask the client for input (`src/input.rs`) run unchanged in both eras: as
//! server→client requests on the call's event stream (handshake revisions) and as
//! multi-round-trip `InputRequiredResult`s (2026-07-28). Replicas behind a load balancer
//! share `--request-state-key` / `MCP_REQUEST_STATE_KEY`.
//!
//! Run with `cargo run -p example-conformance -- --listen 127.0.0.1:8080`, then
//! `npx @modelcontextprotocol/conformance@0.1.16 server --url http://127.0.0.1:8080/mcp`.
//! `tests/e2e/conformance.sh` does both, for every suite version the project checks.

use std::{process::ExitCode, time::Duration};

use clap::Parser;
use mcp_runtime::{
    cli::{ServeArgs, ServerCommand},
    prelude::*,
};

mod input;
mod media;
mod resources;
mod schema_2020_12;

/// Returns a fixed text: "This is a simple text response for testing."
#[mcp_tool]
fn test_simple_text() -> &'static str {
    "This is a simple text response for testing."
}

/// Returns a 1×1 PNG image.
#[mcp_tool]
fn test_image_content() -> Content {
    media::png()
}

/// Returns a short WAV clip.
#[mcp_tool]
fn test_audio_content() -> Content {
    media::wav()
}

/// Returns an embedded text resource.
#[mcp_tool]
fn test_embedded_resource() -> Content {
    Content::resource_text(
        "test://embedded-resource",
        "text/plain",
        "This is an embedded resource content.",
    )
}

/// Returns text, an image and an embedded resource in one result.
#[mcp_tool]
fn test_multiple_content_types() -> Vec<Content> {
    vec![
        Content::text("Multiple content types test:"),
        media::png(),
        Content::resource_text(
            "test://mixed-content-resource",
            "application/json",
            r#"{"test":"data","value":123}"#,
        ),
    ]
}

/// Sends three log messages, 50 ms apart, while it runs.
#[mcp_tool]
async fn test_tool_with_logging(#[ctx] reporter: Reporter) -> &'static str {
    reporter.info("Tool execution started").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    reporter.info("Tool processing data").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    reporter.info("Tool execution completed").await;
    "Tool with logging executed successfully"
}

/// Reports progress 0, 50 and 100 of 100, 50 ms apart.
#[mcp_tool]
async fn test_tool_with_progress(#[ctx] reporter: Reporter) -> &'static str {
    for (i, progress) in [0.0, 50.0, 100.0].into_iter().enumerate() {
        if i > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        reporter.progress(progress, Some(100.0), None).await;
    }
    "Tool with progress executed successfully"
}

/// Always fails, to test error results.
#[mcp_tool]
fn test_error_handling() -> Result<String, &'static str> {
    Err("This tool intentionally returns an error for testing")
}

/// Logs one message, but only when the request asked for logs (2026-07-28 `logLevel`).
#[mcp_tool]
async fn test_logging_tool(#[ctx] reporter: Reporter) -> &'static str {
    reporter.info("Logging evaluated").await;
    "Logging evaluated"
}

/// Needs the client's `sampling` capability; a 2026-07-28 client without it is refused.
#[mcp_tool(client_capabilities = ["sampling"])]
fn test_missing_capability() -> &'static str {
    "The client declared sampling"
}

/// Streams a progress notification (when asked for) and then completes.
#[mcp_tool]
async fn test_streaming_elicitation(#[ctx] reporter: Reporter) -> &'static str {
    reporter.progress(1.0, Some(1.0), Some("streaming")).await;
    "Streaming complete"
}

/// Takes input described by a JSON Schema 2020-12 document using `$defs`, `$ref`, `allOf`,
/// `anyOf` and `if`/`then`/`else`.
#[mcp_tool]
fn json_schema_2020_12_tool(#[args] input: schema_2020_12::Contact) -> String {
    format!("ok: {}", input.name.as_deref().unwrap_or("(no name)"))
}

#[derive(Debug, Parser)]
#[command(
    version,
    about = "MCP conformance-suite fixture server.",
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
        .title("MCP conformance fixtures")
        .legacy_log_level(Some(LogLevel::Debug))
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
    fn canonical_profile_serves_the_2020_12_schema_verbatim() {
        use mcp_runtime::schema::{Export, ExportOptions};
        let export = Export::from_builder(builder(), &ExportOptions::default()).unwrap();
        let served = &export.tools["json_schema_2020_12_tool"].input_schema;
        let written = mcp_runtime::schema::root_schema_for::<schema_2020_12::Contact>();
        assert_eq!(served, written.as_value());
        assert_eq!(
            served["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(served["properties"]["address"]["$ref"], "#/$defs/address");
        assert!(served.get("if").is_some() && served.get("allOf").is_some());
    }

    #[test]
    fn serves_every_fixture() {
        let server = builder().build().unwrap();
        assert_eq!(
            server.tool_names("default").unwrap(),
            [
                "json_schema_2020_12_tool",
                "test_audio_content",
                "test_elicitation",
                "test_elicitation_sep1034_defaults",
                "test_elicitation_sep1330_enums",
                "test_embedded_resource",
                "test_error_handling",
                "test_image_content",
                "test_input_required_result_capabilities",
                "test_input_required_result_elicitation",
                "test_input_required_result_list_roots",
                "test_input_required_result_multi_round",
                "test_input_required_result_multiple_inputs",
                "test_input_required_result_request_state",
                "test_input_required_result_sampling",
                "test_input_required_result_tampered_state",
                "test_logging_tool",
                "test_missing_capability",
                "test_multiple_content_types",
                "test_sampling",
                "test_simple_text",
                "test_streaming_elicitation",
                "test_tool_with_logging",
                "test_tool_with_progress",
            ]
        );
        assert_eq!(
            server.resource_uris("default").unwrap(),
            [
                "test://static-binary",
                "test://static-text",
                "test://template/{id}/data",
                "test://watched-resource",
            ]
        );
        assert_eq!(
            server.prompt_names("default").unwrap(),
            [
                "test_input_required_result_prompt",
                "test_prompt_with_arguments",
                "test_prompt_with_embedded_resource",
                "test_prompt_with_image",
                "test_simple_prompt",
            ]
        );
    }
}
