//! `search` and `fetch`: the ChatGPT Deep-Research contract (one JSON text item plus
//! `structuredContent`), over the query DSL.

use std::collections::BTreeMap;

use mcp_runtime::prelude::*;
use schemars::JsonSchema;
use serde::Serialize;

use super::{Crm, ToolError, render};
use crate::dsl;
use crate::model::{ObjectType, Tenant};
use crate::permission::Viewer;
use crate::store::Record;

/// At most this many associated ids per type are listed in a fetched record's text.
const MAX_LISTED_ASSOCIATIONS: usize = 50;

/// One page of search results.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct SearchResults {
    /// The records of this page.
    results: Vec<SearchResult>,
    /// How many records match in all.
    total: u64,
    /// The `offset:` of the next page, or null when this is the last one.
    offset: Option<u64>,
}

/// One search result.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct SearchResult {
    /// The id to pass to `fetch` (`<object_type>:<hs_object_id>`); not usable inside queries.
    id: String,
    /// A one-line title.
    title: String,
    /// Key properties as `name: value` lines.
    text: String,
    /// The record's page in the CRM.
    url: String,
}

#[doc = include_str!("docs/search.md")]
#[mcp_tool(
    title = "Search CRM records",
    read_only,
    idempotent,
    open_world = false,
    gateways = ["default", "deep-research"]
)]
pub(super) async fn search(
    /// The query, e.g. `object_type:deals dealstage:closedwon sort:amount:desc limit:10`.
    query: String,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<SearchResults, ToolError> {
    audit.query(&query);
    let viewer = crm.viewer(&auth).await?;
    let store = crm.store();
    let parsed = dsl::parse(&query, store.catalogue(), &viewer.visibility)
        .map_err(|e| ToolError::invalid(e.to_string()))?;
    let page = store.search(&viewer, &parsed).await?;
    audit.total(page.total);
    let tenant = tenant(&crm, &viewer).await?;
    let catalogue = store.catalogue();
    let defaults = render::default_properties(parsed.object_type);
    let shown = page.records.len() as u64;
    let next = u64::from(parsed.offset) + shown;
    Ok(SearchResults {
        results: page
            .records
            .iter()
            .map(|r| SearchResult {
                id: fetch_id(r.object_type, r.id),
                title: render::title(catalogue, r),
                text: render::text(catalogue, r, defaults),
                url: render::url(&tenant, r.object_type, r.id),
            })
            .collect(),
        total: page.total,
        offset: (shown > 0 && next < page.total).then_some(next),
    })
}

/// A full record.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct Document {
    /// The id that was fetched.
    id: String,
    /// A one-line title.
    title: String,
    /// Every visible property as `name: value` lines, then the associated record ids.
    text: String,
    /// The record's page in the CRM.
    url: String,
    /// Object type, id, owner, dates, pipeline and stage.
    metadata: BTreeMap<String, String>,
}

#[doc = include_str!("docs/fetch.md")]
#[mcp_tool(
    title = "Fetch a CRM record",
    read_only,
    idempotent,
    open_world = false,
    gateways = ["default", "deep-research"]
)]
pub(super) async fn fetch(
    /// A search result's `id`, e.g. `contacts:1234`.
    id: String,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<Document, ToolError> {
    audit.ids([&id]);
    let (object_type, record_id) = parse_fetch_id(&id)?;
    let viewer = crm.viewer(&auth).await?;
    let store = crm.store();
    viewer.gate(object_type)?;
    let record = store
        .fetch(&viewer, object_type, &[record_id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| not_found(&id))?;
    audit.total(1);
    let tenant = tenant(&crm, &viewer).await?;
    let catalogue = store.catalogue();
    let mut lines: Vec<String> = catalogue
        .properties(object_type)
        .iter()
        .filter_map(|p| {
            render::property(catalogue, &record, &p.name).map(|v| format!("{}: {v}", p.name))
        })
        .collect();
    let mut association_lines = Vec::new();
    for other in ObjectType::ALL {
        if other == object_type || viewer.gate(other).is_err() {
            continue;
        }
        let links = store
            .associations(&viewer, object_type, record_id, other)
            .await?;
        if links.is_empty() {
            continue;
        }
        let mut ids: Vec<String> = links
            .iter()
            .take(MAX_LISTED_ASSOCIATIONS)
            .map(|l| l.to_id.to_string())
            .collect();
        if links.len() > MAX_LISTED_ASSOCIATIONS {
            ids.push(format!(
                "… and {} more (list_associations pages through them)",
                links.len() - MAX_LISTED_ASSOCIATIONS
            ));
        }
        association_lines.push(format!("{other} ({}): {}", links.len(), ids.join(", ")));
    }
    if !association_lines.is_empty() {
        lines.push("Associations (hs_object_id per type):".to_owned());
        lines.extend(association_lines);
    }
    Ok(Document {
        title: render::title(catalogue, &record),
        text: lines.join("\n"),
        url: render::url(&tenant, object_type, record_id),
        metadata: metadata(&crm, &record),
        id,
    })
}

fn metadata(crm: &Crm, record: &Record) -> BTreeMap<String, String> {
    let catalogue = crm.store().catalogue();
    let mut out = BTreeMap::from([
        ("object_type".to_owned(), record.object_type.to_string()),
        ("hs_object_id".to_owned(), record.id.to_string()),
    ]);
    let keys = [
        ("owner", "hubspot_owner_id"),
        ("createdate", "createdate"),
        (
            "lastmodifieddate",
            render::modified_property(record.object_type),
        ),
        ("pipeline", "pipeline"),
        ("stage", "dealstage"),
        ("pipeline", "hs_pipeline"),
        ("stage", "hs_pipeline_stage"),
        ("lifecyclestage", "lifecyclestage"),
    ];
    for (key, property) in keys {
        if let Some(value) = render::property(catalogue, record, property) {
            out.insert(key.to_owned(), value);
        }
    }
    out
}

/// `deals:9012` for a deal with `hs_object_id` 9012.
fn fetch_id(object_type: ObjectType, id: i64) -> String {
    format!("{object_type}:{id}")
}

fn parse_fetch_id(id: &str) -> Result<(ObjectType, i64), ToolError> {
    let parsed = id.trim().split_once(':').and_then(|(t, n)| {
        let object_type = t.parse::<ObjectType>().ok()?;
        let id = n.parse::<i64>().ok().filter(|n| *n > 0)?;
        Some((object_type, id))
    });
    parsed.ok_or_else(|| {
        ToolError::invalid(format!(
            "`{id}` is not a record id: pass the `id` of a search result, shaped `<object_type>:<hs_object_id>` (e.g. `contacts:1234`)"
        ))
    })
}

fn not_found(id: &str) -> ToolError {
    ToolError::invalid(format!(
        "no record `{id}`: it does not exist or you may not see it; search again for current ids"
    ))
}

pub(super) async fn tenant(crm: &Crm, viewer: &Viewer) -> Result<Tenant, ToolError> {
    crm.store()
        .tenant(viewer.tenant)
        .await?
        .ok_or(ToolError::UnknownUser)
}
