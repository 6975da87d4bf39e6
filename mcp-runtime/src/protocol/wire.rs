//! Result shapes that depend on the protocol revision, pre-serialized where they never change.

use serde::Serialize;
use serde_json::{Map, Value, value::RawValue};

use super::version::ProtocolVersion;
use crate::{
    result::{CallToolResult, Content},
    server::{GatewayRuntime, ServerInfo},
    tool::ToolDef,
};

/// `serverInfo` as a given revision defines `Implementation`.
pub(crate) fn server_info(info: &ServerInfo, version: ProtocolVersion) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), info.name.clone().into());
    out.insert("version".into(), info.version.clone().into());
    if version >= ProtocolVersion::V2025_06_18
        && let Some(title) = &info.title
    {
        out.insert("title".into(), title.clone().into());
    }
    if version >= ProtocolVersion::V2025_11_25 {
        if let Some(d) = &info.description {
            out.insert("description".into(), d.clone().into());
        }
        if let Some(w) = &info.website_url {
            out.insert("websiteUrl".into(), w.clone().into());
        }
        if !info.icons.is_empty() {
            out.insert(
                "icons".into(),
                serde_json::to_value(&info.icons).unwrap_or(Value::Null),
            );
        }
    }
    Value::Object(out)
}

/// Server capabilities of one gateway. Nothing changes at run time, hence
/// `listChanged: false`; resources, prompts and completions appear only where something is
/// registered.
pub(crate) fn capabilities(version: ProtocolVersion, gateway: &GatewayRuntime) -> Value {
    let mut caps = Map::new();
    caps.insert("tools".into(), serde_json::json!({ "listChanged": false }));
    if !gateway.resources.is_empty() {
        // `subscribe`: accepted (see `resources::subscribe` for what a stateless server does).
        caps.insert(
            "resources".into(),
            serde_json::json!({ "subscribe": true, "listChanged": false }),
        );
    }
    if !gateway.prompts.is_empty() {
        caps.insert(
            "prompts".into(),
            serde_json::json!({ "listChanged": false }),
        );
    }
    if gateway.completes() {
        caps.insert("completions".into(), serde_json::json!({}));
    }
    if !version.is_modern() {
        // 2026-07-28 sets log levels per request in `_meta`; the capability is a legacy one.
        caps.insert("logging".into(), serde_json::json!({}));
    }
    Value::Object(caps)
}

/// One tool as `tools/list` shows it to a client of `version`.
pub(crate) fn tool(def: &ToolDef, version: ProtocolVersion) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), def.name.into());
    if version >= ProtocolVersion::V2025_06_18
        && let Some(title) = def.title
    {
        out.insert("title".into(), title.into());
    }
    out.insert("description".into(), def.description.into());
    out.insert("inputSchema".into(), (def.input_schema)().to_value());
    if version.has_structured_output()
        && let Some(schema) = (def.output_schema)()
    {
        out.insert("outputSchema".into(), schema.to_value());
    }
    let a = def.annotations;
    if !a.is_empty() {
        let mut ann = Map::new();
        let hints = [
            ("readOnlyHint", a.read_only),
            ("destructiveHint", a.destructive),
            ("idempotentHint", a.idempotent),
            ("openWorldHint", a.open_world),
        ];
        for (key, value) in hints {
            if let Some(v) = value {
                ann.insert(key.into(), v.into());
            }
        }
        out.insert("annotations".into(), Value::Object(ann));
    }
    Value::Object(out)
}

/// `CallToolResult` as `version` defines it (2025-03-26 has no `structuredContent`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CallResultWire<'a> {
    content: &'a [Content],
    #[serde(skip_serializing_if = "Option::is_none")]
    structured_content: Option<&'a RawValue>,
    is_error: bool,
}

impl<'a> CallResultWire<'a> {
    pub(crate) fn new(result: &'a CallToolResult, version: ProtocolVersion) -> Self {
        Self {
            content: &result.content,
            structured_content: if version.has_structured_output() {
                result.structured_content.as_deref()
            } else {
                None
            },
            is_error: result.is_error,
        }
    }
}

/// A 2026-07-28 result: the method's fields plus `resultType` and `_meta` with `serverInfo`.
#[derive(Serialize)]
pub(crate) struct Modern<'a, R> {
    #[serde(flatten)]
    pub(crate) result: R,
    #[serde(rename = "resultType")]
    pub(crate) result_type: &'static str,
    #[serde(rename = "_meta")]
    pub(crate) meta: &'a RawValue,
}
