//! Fixtures that ask the client for input. The same code serves both protocol eras: in the
//! handshake revisions the questions go out on the call's event stream; in 2026-07-28 they
//! become `InputRequiredResult`s and the tool is replayed with the answers.

use mcp_runtime::{
    Client, ClientError,
    client::{ElicitRequest, ElicitResult, SamplingRequest},
    mcp_tool,
};
use serde_json::{Value, json};

fn name_question(message: &str, field: &str) -> ElicitRequest {
    ElicitRequest::new(
        message,
        json!({
            "type": "object",
            "properties": { field: { "type": "string" } },
            "required": [field],
        }),
    )
}

fn field(answer: &ElicitResult, name: &str) -> String {
    answer
        .content
        .as_ref()
        .and_then(|c| c.get(name))
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        .unwrap_or_default()
}

fn describe(answer: &ElicitResult) -> String {
    let content = answer
        .content
        .as_ref()
        .map_or_else(|| "{}".to_owned(), |c| Value::Object(c.clone()).to_string());
    format!(
        "User response: action={:?}, content={content}",
        answer.action
    )
}

/// Asks the client's model to answer `prompt` (sampling).
#[mcp_tool]
async fn test_sampling(
    /// The prompt to send to the model.
    prompt: String,
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    let reply = client
        .sample("llm", SamplingRequest::user_text(prompt, 100))
        .await?;
    Ok(format!("LLM response: {}", reply.text().unwrap_or("")))
}

/// Asks the user for a username and an email (elicitation).
#[mcp_tool]
async fn test_elicitation(
    /// The message to show the user.
    message: String,
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    let schema = json!({
        "type": "object",
        "properties": {
            "username": { "type": "string", "description": "User's response" },
            "email": { "type": "string", "description": "User's email address" },
        },
        "required": ["username", "email"],
    });
    let answer = client
        .elicit("user_info", ElicitRequest::new(message, schema))
        .await?;
    Ok(describe(&answer))
}

/// Elicits a form whose fields carry default values (SEP-1034).
#[mcp_tool]
async fn test_elicitation_sep1034_defaults(#[ctx] client: Client) -> Result<String, ClientError> {
    let schema = json!({
        "type": "object",
        "properties": {
            "name": { "type": "string", "description": "User name", "default": "John Doe" },
            "age": { "type": "integer", "description": "User age", "default": 30 },
            "score": { "type": "number", "description": "User score", "default": 95.5 },
            "status": {
                "type": "string",
                "description": "User status",
                "enum": ["active", "inactive", "pending"],
                "default": "active",
            },
            "verified": { "type": "boolean", "description": "Verification status", "default": true },
        },
        "required": [],
    });
    let answer = client
        .elicit(
            "defaults",
            ElicitRequest::new(
                "Please review and update the form fields with defaults",
                schema,
            ),
        )
        .await?;
    Ok(describe(&answer))
}

/// Elicits every enum flavour of SEP-1330.
#[mcp_tool]
async fn test_elicitation_sep1330_enums(#[ctx] client: Client) -> Result<String, ClientError> {
    let schema = json!({
        "type": "object",
        "properties": {
            "untitledSingle": {
                "type": "string",
                "description": "Choose one option",
                "enum": ["option1", "option2", "option3"],
            },
            "titledSingle": {
                "type": "string",
                "description": "Choose one titled option",
                "oneOf": [
                    { "const": "value1", "title": "First Option" },
                    { "const": "value2", "title": "Second Option" },
                    { "const": "value3", "title": "Third Option" },
                ],
            },
            "legacyEnum": {
                "type": "string",
                "description": "Choose one (legacy)",
                "enum": ["opt1", "opt2", "opt3"],
                "enumNames": ["Option One", "Option Two", "Option Three"],
            },
            "untitledMulti": {
                "type": "array",
                "description": "Choose several options",
                "items": { "type": "string", "enum": ["option1", "option2", "option3"] },
            },
            "titledMulti": {
                "type": "array",
                "description": "Choose several titled options",
                "items": {
                    "anyOf": [
                        { "const": "value1", "title": "First Choice" },
                        { "const": "value2", "title": "Second Choice" },
                        { "const": "value3", "title": "Third Choice" },
                    ],
                },
            },
        },
        "required": [],
    });
    let answer = client
        .elicit(
            "enums",
            ElicitRequest::new("Please select options from the enum fields", schema),
        )
        .await?;
    Ok(describe(&answer))
}

/// Asks for the user's name, then greets them (one input round).
#[mcp_tool]
async fn test_input_required_result_elicitation(
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    let answer = client
        .elicit("user_name", name_question("What is your name?", "name"))
        .await?;
    Ok(format!("Hello, {}!", field(&answer, "name")))
}

/// Asks the client's model a question (one input round).
#[mcp_tool]
async fn test_input_required_result_sampling(#[ctx] client: Client) -> Result<String, ClientError> {
    let reply = client
        .sample(
            "capital_question",
            SamplingRequest::user_text("What is the capital of France?", 100),
        )
        .await?;
    Ok(format!("Model says: {}", reply.text().unwrap_or("")))
}

/// Lists the client's roots (one input round).
#[mcp_tool]
async fn test_input_required_result_list_roots(
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    let roots = client.list_roots("client_roots").await?;
    let uris: Vec<&str> = roots.iter().map(|r| r.uri.as_str()).collect();
    Ok(format!("Client roots: {}", uris.join(", ")))
}

/// Asks for a confirmation; the answer comes back with a signed request state.
#[mcp_tool]
async fn test_input_required_result_request_state(
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    confirm(&client).await
}

/// Like the request-state fixture; the suite tampers with the state to see it refused.
#[mcp_tool]
async fn test_input_required_result_tampered_state(
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    confirm(&client).await
}

async fn confirm(client: &Client) -> Result<String, ClientError> {
    let schema = json!({
        "type": "object",
        "properties": { "ok": { "type": "boolean" } },
        "required": ["ok"],
    });
    client
        .elicit("confirm", ElicitRequest::new("Please confirm", schema))
        .await?;
    Ok("state-ok: the request state was verified".to_owned())
}

/// Asks three questions at once: elicitation, sampling and roots.
#[mcp_tool]
async fn test_input_required_result_multiple_inputs(
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    let (name, greeting, roots) = tokio::join!(
        client.elicit("user_name", name_question("What is your name?", "name")),
        client.sample(
            "greeting",
            SamplingRequest::user_text("Generate a greeting", 50)
        ),
        client.list_roots("client_roots"),
    );
    Ok(format!(
        "{} {} (roots: {})",
        greeting?.text().unwrap_or("Hello"),
        field(&name?, "name"),
        roots?.len()
    ))
}

/// Asks two questions, one after the other (two input rounds).
#[mcp_tool]
async fn test_input_required_result_multi_round(
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    let name = client
        .elicit("step1", name_question("Step 1: What is your name?", "name"))
        .await?;
    let color = client
        .elicit(
            "step2",
            name_question("Step 2: What is your favorite color?", "color"),
        )
        .await?;
    Ok(format!(
        "{}'s favorite color is {}",
        field(&name, "name"),
        field(&color, "color")
    ))
}

/// Asks only what the client declared it can answer.
#[mcp_tool]
async fn test_input_required_result_capabilities(
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    let mut answers = Vec::new();
    if client.supports("elicitation") != Some(false) {
        let answer = client
            .elicit("user_name", name_question("What is your name?", "name"))
            .await?;
        answers.push(field(&answer, "name"));
    }
    if client.supports("sampling") != Some(false) {
        let reply = client
            .sample(
                "greeting",
                SamplingRequest::user_text("Generate a greeting", 50),
            )
            .await?;
        answers.push(reply.text().unwrap_or_default().to_owned());
    }
    Ok(format!("Answers: {}", answers.join(", ")))
}
