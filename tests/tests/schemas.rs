//! Schema tooling end to end: profiles served per gateway (pre-serialized at `build()`),
//! build errors for schemas a profile cannot rewrite, export, snapshot check and lint.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

mod common;

use common::{LEGACY, post_raw};
use mcp_runtime::{
    Gateway, McpServer, McpServerBuilder,
    prelude::*,
    schema::{
        Export, ExportOptions, FindingKind, Profile, Rule, Severity, check_snapshot, diff, lint,
    },
};
use serde_json::{Value, json};

/// A place.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct Place {
    /// Street and number.
    street: String,
    /// City, if known.
    city: Option<String>,
}

/// Books a visit.
#[mcp_tool(gateways = ["default", "portable", "strict", "gemini"])]
fn book(
    /// Where.
    place: Place,
    /// How many people (optional).
    people: Option<u8>,
) -> String {
    format!("{} in {:?} for {people:?}", place.street, place.city)
}

/// A tree node: recursive, so it cannot be inlined.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct Node {
    /// Children.
    children: Vec<Self>,
}

/// Counts nodes.
#[mcp_tool(gateways = ["trees"])]
fn count_nodes(root: Node) -> String {
    (1 + root.children.len()).to_string()
}

fn builder() -> McpServerBuilder {
    McpServer::builder()
        .only_tools(&["book"])
        .gateway(Gateway::new("portable", "/portable/mcp").schema_profile(Profile::Portable))
        .gateway(Gateway::new("strict", "/strict/mcp").schema_profile(Profile::OpenAiStrict))
        .gateway(Gateway::new("gemini", "/gemini/mcp").schema_profile(Profile::Gemini))
}

async fn listed_input_schema(app: &axum::Router, path: &str) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}});
    let reply = post_raw(
        app,
        path,
        body.to_string(),
        &[("mcp-protocol-version", LEGACY)],
    )
    .await;
    reply.json()["result"]["tools"][0]["inputSchema"].clone()
}

#[tokio::test]
async fn each_gateway_serves_its_profile() {
    let app = builder().build().unwrap().router();
    let canonical = listed_input_schema(&app, "/mcp").await;
    assert_eq!(canonical["properties"]["place"]["$ref"], "#/$defs/Place");
    assert!(canonical["$defs"]["Place"].is_object());

    let portable = listed_input_schema(&app, "/portable/mcp").await;
    assert!(portable.get("$defs").is_none());
    assert_eq!(portable["properties"]["place"]["type"], "object");
    assert_eq!(
        portable["properties"]["place"]["properties"]["city"],
        json!({"description": "City, if known.", "anyOf": [{"type": "string"}, {"type": "null"}]})
    );

    let strict = listed_input_schema(&app, "/strict/mcp").await;
    assert_eq!(strict["required"], json!(["people", "place"]));
    assert_eq!(
        strict["properties"]["place"]["required"],
        json!(["city", "street"])
    );
    assert_eq!(
        strict["properties"]["place"]["additionalProperties"],
        json!(false)
    );

    let gemini = listed_input_schema(&app, "/gemini/mcp").await;
    assert_eq!(gemini["properties"]["people"]["nullable"], json!(true));
    assert_eq!(gemini["properties"]["people"]["type"], "integer");
    assert!(gemini.get("additionalProperties").is_none());
}

#[tokio::test]
async fn the_builder_sets_the_default_profile() {
    let app = McpServer::builder()
        .only_tools(&["book"])
        .schema_profile(Profile::Portable)
        .gateway(Gateway::new("strict", "/strict/mcp").schema_profile(Profile::OpenAiStrict))
        .build()
        .unwrap()
        .router();
    assert!(
        listed_input_schema(&app, "/mcp")
            .await
            .get("$defs")
            .is_none()
    );
    let strict = listed_input_schema(&app, "/strict/mcp").await;
    assert_eq!(strict["additionalProperties"], json!(false));
}

#[test]
fn a_schema_the_profile_cannot_rewrite_fails_the_build() {
    let err = McpServer::builder()
        .only_tools(&["count_nodes"])
        .gateway(Gateway::new("trees", "/trees/mcp").schema_profile(Profile::Portable))
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("count_nodes"), "{text}");
    assert!(text.contains("recursive `$ref`"), "{text}");
    assert!(text.contains("portable"), "{text}");
    // Canonical serves it as written.
    McpServer::builder()
        .only_tools(&["count_nodes"])
        .gateway(Gateway::new("trees", "/trees/mcp"))
        .build()
        .unwrap();
}

#[test]
fn export_records_gateways_profiles_and_canonical_schemas() {
    let export = Export::from_builder(builder(), &ExportOptions::default()).unwrap();
    assert_eq!(
        export.gateways.keys().collect::<Vec<_>>(),
        ["default", "gemini", "portable", "strict"]
    );
    assert_eq!(export.gateways["strict"].profile, Profile::OpenAiStrict);
    assert_eq!(export.gateways["portable"].tools, ["book"]);
    assert!(export.tools["book"].input_schema["$defs"].is_object());
    assert!(export.tools["book"].location.is_none());
    let text = export.to_json();
    assert_eq!(Export::from_json(&text).unwrap(), export);
    // Deterministic: a second export is byte-identical.
    let again = Export::from_builder(builder(), &ExportOptions::default()).unwrap();
    assert_eq!(again.to_json(), text);
    // Rendered for a profile, with locations.
    let options = ExportOptions::default()
        .profile(Profile::Gemini)
        .locations(true);
    let gemini = Export::from_builder(builder(), &options).unwrap();
    assert!(gemini.tools["book"].input_schema.get("$defs").is_none());
    assert!(
        gemini.tools["book"]
            .location
            .as_deref()
            .unwrap()
            .starts_with("tests/tests/schemas.rs:")
    );
}

#[test]
fn check_against_a_snapshot_file() {
    let export = Export::from_builder(builder(), &ExportOptions::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("mcp-schemas-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("schemas.json");
    std::fs::write(&path, export.to_json()).unwrap();
    assert!(check_snapshot(&export, &path).unwrap().is_empty());

    let mut older = export.clone();
    older.gateways.remove("gemini");
    let tool = older.tools.get_mut("book").unwrap();
    tool.input_schema["required"] = json!(["place"]);
    std::fs::write(&path, older.to_json()).unwrap();
    let changes = check_snapshot(&export, &path).unwrap();
    let rules: Vec<(Rule, Severity)> = changes.iter().map(|c| (c.rule, c.severity)).collect();
    assert_eq!(rules, [(Rule::GatewayAdded, Severity::Additive)]);
    assert_eq!(diff(&older, &export), changes);

    let missing = check_snapshot(&export, &dir.join("nope.json")).unwrap_err();
    assert!(missing.to_string().contains("--update"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lint_names_tool_profile_and_pointer() {
    let export = Export::from_builder(builder(), &ExportOptions::default()).unwrap();
    let errors: Vec<_> = lint(&export, &Profile::ALL)
        .into_iter()
        .filter(|f| f.kind == FindingKind::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let mut broken = export;
    let tool = broken.tools.get_mut("book").unwrap();
    tool.description = String::new();
    tool.input_schema["properties"]["people"]["type"] = json!("int");
    tool.output_schema = Some(json!({"type": "array"}));
    let findings: Vec<String> = lint(&broken, &[Profile::Canonical])
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("error: tool `book` /description")),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("error: tool `book` /inputSchema/properties/people/type")),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("error: tool `book` /outputSchema:")),
        "{findings:#?}"
    );
}

/// Shows the date: today is {today}.
#[mcp_tool(gateways = ["dated"])]
fn dated() -> String {
    String::new()
}

#[tokio::test]
async fn description_vars_fill_served_descriptions_but_not_exports() {
    let builder = || {
        McpServer::builder()
            .only_tools(&["dated"])
            .gateway(Gateway::new("dated", "/dated/mcp"))
            .description_var("today", "2026-11-30")
    };
    let app = builder().build().unwrap().router();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}});
    let reply = post_raw(
        &app,
        "/dated/mcp",
        body.to_string(),
        &[("mcp-protocol-version", LEGACY)],
    )
    .await;
    assert_eq!(
        reply.json()["result"]["tools"][0]["description"],
        "Shows the date: today is 2026-11-30."
    );
    // The snapshot keeps the placeholder, so it does not change every day.
    let export = Export::from_builder(builder(), &ExportOptions::default()).unwrap();
    assert_eq!(
        export.tools["dated"].description,
        "Shows the date: today is {today}."
    );
}

/// What `sparse` returns: one field left out when empty, one always present (maybe null).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
struct Sparse {
    /// Omitted when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    /// Always sent, null when unknown.
    owner: Option<String>,
}

/// Returns a sparse record.
#[mcp_tool(gateways = ["sparse"])]
fn sparse() -> Sparse {
    Sparse {
        notes: Vec::new(),
        owner: None,
    }
}

#[test]
fn output_schemas_describe_what_is_serialized() {
    let builder = McpServer::builder()
        .only_tools(&["sparse"])
        .gateway(Gateway::new("sparse", "/sparse/mcp"));
    let export = Export::from_builder(builder, &ExportOptions::default()).unwrap();
    let output = export.tools["sparse"].output_schema.as_ref().unwrap();
    // `notes` may be missing from the output, `owner` never is (it is null instead).
    assert_eq!(output["required"], json!(["owner"]), "{output}");
}
