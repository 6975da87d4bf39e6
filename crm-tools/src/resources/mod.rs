//! MCP resources and prompts over the CRM, each permission-checked through
//! [`Crm::viewer`] exactly like the tools:
//!
//! * `crm://{tenant}/{object_type}/{id}` — one record as JSON (the properties the viewer may
//!   see). A record of another account, of a type the viewer may not read, or one outside the
//!   viewer's permission reads as "not found", exactly like a missing one.
//! * `crm://{tenant}/properties/{object_type}` — the property catalogue of an object type as
//!   the viewer sees it (hidden properties absent).
//! * prompt `summarize_record` — asks the model to summarise one record, with the record
//!   embedded as a resource.
//!
//! Object types complete (`completion/complete`) from the four known types.

use mcp_runtime::prelude::*;
use serde_json::{Map, Value, json};

use crate::model::{ObjectType, Property, TenantId};
use crate::permission::Viewer;
use crate::sql::SqlValue;
use crate::tools::{Crm, ToolError};

/// One CRM record (contact, company, deal or ticket) as JSON: its id, type and the properties
/// you may see. `tenant` is the account (hub) id of your token; records you may not see read
/// as not found.
#[mcp_resource(
    template = "crm://{tenant}/{object_type}/{id}",
    name = "crm-record",
    title = "CRM record",
    mime_type = "application/json",
    complete(object_type = object_types)
)]
async fn crm_record(
    tenant: i64,
    object_type: ObjectType,
    id: i64,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
) -> Result<String, ResourceError> {
    let viewer = viewer_of(&crm, &auth, Some(tenant)).await?;
    record_json(&crm, &viewer, object_type, id)
        .await
        .map(|record| record.to_string())
}

/// The properties of one object type that you may see: name, label, type and, for
/// enumerations, the allowed values. Use the names in searches and filters.
#[mcp_resource(
    template = "crm://{tenant}/properties/{object_type}",
    name = "crm-properties",
    title = "CRM property catalogue",
    mime_type = "application/json",
    complete(object_type = object_types)
)]
async fn crm_properties(
    tenant: i64,
    object_type: ObjectType,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
) -> Result<String, ResourceError> {
    let viewer = viewer_of(&crm, &auth, Some(tenant)).await?;
    viewer
        .gate(object_type)
        .map_err(|_| ResourceError::NotFound)?;
    let schema = viewer.schema(crm.store().catalogue(), object_type);
    let properties: Vec<Value> = schema.properties().map(property_json).collect();
    Ok(json!({ "objectType": object_type.as_str(), "properties": properties }).to_string())
}

/// Summarise one CRM record for a busy colleague: who or what it is, its state, and what to
/// do next. The record is embedded in the prompt, limited to what you may see.
#[mcp_prompt(title = "Summarize a CRM record", complete(object_type = object_types))]
async fn summarize_record(
    /// `contacts`, `companies`, `deals` or `tickets`.
    object_type: String,
    /// The record's `hs_object_id`.
    record_id: String,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
) -> Result<Vec<PromptMessage>, PromptError> {
    let object_type: ObjectType =
        object_type
            .parse()
            .map_err(|e: crate::model::UnknownObjectType| {
                PromptError::InvalidArgument(e.to_string())
            })?;
    let id: i64 = record_id.trim().parse().map_err(|_| {
        PromptError::InvalidArgument(format!("record_id must be a number, not `{record_id}`"))
    })?;
    let viewer = viewer_of(&crm, &auth, None).await.map_err(prompt_error)?;
    let record = record_json(&crm, &viewer, object_type, id)
        .await
        .map_err(prompt_error)?;
    let uri = format!("crm://{}/{}/{id}", viewer.tenant.0, object_type.as_str());
    Ok(vec![
        PromptMessage::user(Content::resource_text(
            uri,
            "application/json",
            record.to_string(),
        )),
        PromptMessage::user(format!(
            "Summarize this {} for a busy colleague in three short paragraphs: who or what it is, \
             its current state (stage, owner, recent activity), and the most useful next step. \
             Use only the data above; say so when something is unknown.",
            object_type.singular()
        )),
    ])
}

/// Object types for completion.
fn object_types(request: &CompletionRequest) -> Completion {
    Completion::matching(request.value(), ObjectType::ALL.map(ObjectType::as_str))
}

/// The caller's viewer; a `tenant` other than the token's account reads as not found.
async fn viewer_of(
    crm: &Crm,
    auth: &AuthContext,
    tenant: Option<i64>,
) -> Result<Viewer, ResourceError> {
    let viewer = crm
        .viewer(auth)
        .await
        .map_err(|e| ResourceError::failed(e.to_string()))?;
    match tenant {
        Some(t) if TenantId(t) != viewer.tenant => Err(ResourceError::NotFound),
        _ => Ok(viewer),
    }
}

/// One record as the viewer may see it; invisible records and types are "not found".
async fn record_json(
    crm: &Crm,
    viewer: &Viewer,
    object_type: ObjectType,
    id: i64,
) -> Result<Value, ResourceError> {
    viewer
        .gate(object_type)
        .map_err(|_| ResourceError::NotFound)?;
    let records = crm
        .store()
        .fetch(viewer, object_type, &[id])
        .await
        .map_err(|e| ResourceError::failed(ToolError::from(e).to_string()))?;
    let record = records
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(ResourceError::NotFound)?;
    let properties: Map<String, Value> = record
        .properties
        .iter()
        .map(|(name, value)| (name.clone(), sql_json(value)))
        .collect();
    Ok(json!({
        "id": record.id.to_string(),
        "objectType": object_type.as_str(),
        "properties": properties,
    }))
}

fn sql_json(value: &SqlValue) -> Value {
    match value {
        SqlValue::Null => Value::Null,
        SqlValue::Integer(i) => json!(i),
        SqlValue::Real(r) => json!(r),
        SqlValue::Text(t) => json!(t),
    }
}

fn property_json(p: &Property) -> Value {
    let mut out = json!({
        "name": p.name,
        "label": p.label,
        "type": p.kind.as_str(),
        "searchable": p.searchable,
    });
    if !p.options.is_empty() {
        out["options"] = p
            .options
            .iter()
            .map(|o| json!({ "value": o.value, "label": o.label }))
            .collect();
    }
    out
}

fn prompt_error(e: ResourceError) -> PromptError {
    match e {
        ResourceError::NotFound => PromptError::InvalidArgument(
            "no such record, or you may not see it; check object_type and record_id".to_owned(),
        ),
        other => PromptError::Failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests;
