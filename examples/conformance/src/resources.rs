//! Resource, prompt and completion fixtures of the conformance suite.

use mcp_runtime::{
    Client, Completion, CompletionRequest, Content, PromptMessage, client::ElicitRequest,
    mcp_prompt, mcp_resource,
};
use serde_json::json;

use crate::media;

/// A static text resource.
#[mcp_resource(
    uri = "test://static-text",
    name = "static-text",
    mime_type = "text/plain"
)]
fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

/// A static binary resource (a 1×1 PNG).
#[mcp_resource(
    uri = "test://static-binary",
    name = "static-binary",
    mime_type = "image/png"
)]
fn static_binary() -> mcp_runtime::Blob {
    mcp_runtime::Blob(media::png_bytes())
}

/// A resource clients may subscribe to.
#[mcp_resource(
    uri = "test://watched-resource",
    name = "watched-resource",
    mime_type = "text/plain"
)]
fn watched_resource() -> &'static str {
    "This resource is watched for changes."
}

/// Data for one id, from a URI template.
#[mcp_resource(
    template = "test://template/{id}/data",
    name = "template-data",
    mime_type = "application/json",
    complete(id = complete_id)
)]
fn template_data(
    /// The record id.
    id: String,
) -> String {
    json!({ "id": id, "templateTest": true, "data": format!("Data for ID: {id}") }).to_string()
}

fn complete_id(request: &CompletionRequest) -> Completion {
    Completion::matching(request.value(), ["123", "456", "789"])
}

/// A simple prompt without arguments.
#[mcp_prompt]
fn test_simple_prompt() -> &'static str {
    "This is a simple prompt for testing."
}

/// A prompt with two required arguments.
#[mcp_prompt(complete(arg1 = complete_arg))]
fn test_prompt_with_arguments(
    /// First test argument.
    arg1: String,
    /// Second test argument.
    arg2: String,
) -> String {
    format!("Prompt with arguments: arg1='{arg1}', arg2='{arg2}'")
}

fn complete_arg(request: &CompletionRequest) -> Completion {
    Completion::matching(request.value(), ["test-value-1", "test-value-2", "other"])
}

/// A prompt that embeds a resource.
#[mcp_prompt]
fn test_prompt_with_embedded_resource(
    /// URI of the resource to embed.
    #[allow(non_snake_case)]
    resourceUri: String,
) -> Vec<PromptMessage> {
    vec![
        PromptMessage::user(Content::resource_text(
            resourceUri,
            "text/plain",
            "Embedded resource content for testing.",
        )),
        PromptMessage::user("Please process the embedded resource above."),
    ]
}

/// A prompt with an image.
#[mcp_prompt]
fn test_prompt_with_image() -> Vec<PromptMessage> {
    vec![
        PromptMessage::user(media::png()),
        PromptMessage::user("Please analyze the image above."),
    ]
}

/// A prompt that first asks the user (2026-07-28 multi-round-trip request).
#[mcp_prompt]
async fn test_input_required_result_prompt(#[ctx] client: Client) -> Result<String, String> {
    let answer = client
        .elicit(
            "user_context",
            ElicitRequest::new(
                "What context should the prompt use?",
                json!({
                    "type": "object",
                    "properties": { "context": { "type": "string" } },
                    "required": ["context"],
                }),
            ),
        )
        .await
        .map_err(|e| e.to_string())?;
    let context = answer
        .content
        .and_then(|c| c.get("context").and_then(|v| v.as_str()).map(str::to_owned))
        .unwrap_or_default();
    Ok(format!("Prompt built with context: {context}"))
}
