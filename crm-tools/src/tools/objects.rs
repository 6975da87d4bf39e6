//! `search_crm_objects`, `get_crm_objects` and `list_associations`: HubSpot's record tools.

use std::collections::BTreeMap;

use mcp_runtime::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::args::{FilterGroupArg, ObjectTypeArg, SortArg, checked_groups};
use super::deep_research::tenant;
use super::{Crm, ToolError, render};
use crate::filter::{MAX_LIMIT, Query, Schema, Sort};
use crate::model::{ObjectType, Tenant};
use crate::store::{MAX_IDS, Record};

/// The default page size of `search_crm_objects` (HubSpot's).
const DEFAULT_SEARCH_LIMIT: u32 = 100;

/// Input of `search_crm_objects`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct SearchObjects {
    /// The object type to search.
    object_type: ObjectTypeArg,
    /// Free text over the type's key fields (≤ 200 characters).
    #[serde(default)]
    query: Option<String>,
    /// OR of AND groups of filters.
    #[serde(default)]
    filter_groups: Vec<FilterGroupArg>,
    /// At most one sort rule.
    #[serde(default)]
    sorts: Vec<SortArg>,
    /// The properties to return (default: key properties of the type).
    #[serde(default)]
    properties: Vec<String>,
    /// Page size, 1–200 (default 100).
    #[serde(default)]
    limit: Option<u32>,
    /// Records to skip (the previous answer's `offset`).
    #[serde(default)]
    offset: Option<u32>,
}

/// One page of records.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct ObjectPage {
    /// The records.
    results: Vec<CrmObject>,
    /// How many records match in all.
    total: u64,
    /// The `offset` of the next page, or null on the last one.
    offset: Option<u64>,
}

/// One record.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct CrmObject {
    /// `hs_object_id`, as text.
    id: String,
    /// The requested properties that are set and visible, as text.
    properties: BTreeMap<String, String>,
    /// When the record was created (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    /// When the record last changed (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
    /// The record's page in the CRM: give it to the user.
    url: String,
}

impl CrmObject {
    fn new(crm: &Crm, tenant: &Tenant, record: &Record, only: &[String]) -> Self {
        let catalogue = crm.store().catalogue();
        let defaults: Vec<String>;
        let only = if only.is_empty() {
            defaults = render::default_properties(record.object_type)
                .iter()
                .map(|s| (*s).to_owned())
                .chain(["hs_object_id".to_owned()])
                .collect();
            &defaults[..]
        } else {
            only
        };
        Self {
            id: record.id.to_string(),
            properties: render::properties(catalogue, record, Some(only)),
            created_at: render::property(catalogue, record, "createdate"),
            updated_at: render::property(
                catalogue,
                record,
                render::modified_property(record.object_type),
            ),
            url: render::url(tenant, record.object_type, record.id),
        }
    }
}

#[doc = include_str!("docs/search_crm_objects.md")]
#[mcp_tool(
    title = "Search CRM objects",
    read_only,
    idempotent,
    open_world = false
)]
pub(super) async fn search_crm_objects(
    #[args] input: SearchObjects,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<ObjectPage, ToolError> {
    let viewer = crm.viewer(&auth).await?;
    let object_type = ObjectType::from(input.object_type);
    // What was asked, before validation: a refused search is audited too.
    audit.query(object_type.to_string());
    viewer.gate(object_type)?;
    let store = crm.store();
    let schema = viewer.schema(store.catalogue(), object_type);
    let groups = checked_groups(&schema, input.filter_groups)?;
    if input.sorts.len() > 1 {
        return Err(ToolError::invalid(
            "at most one sort rule is supported; keep the most important one",
        ));
    }
    let sort = match input.sorts.into_iter().next() {
        Some(rule) => checked_sort(&schema, rule)?,
        None => Sort::default(),
    };
    unknown_properties(&schema, &input.properties)?;
    let limit = input.limit.unwrap_or(DEFAULT_SEARCH_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ToolError::invalid(format!(
            "limit must be between 1 and {MAX_LIMIT}, got {limit}"
        )));
    }
    let offset = input.offset.unwrap_or(0);
    let query = Query {
        object_type,
        groups,
        q: input.query.filter(|q| !q.trim().is_empty()),
        sort,
        limit,
        offset,
    };
    audit.query(query.to_string());
    let page = store.search(&viewer, &query).await?;
    audit.total(page.total);
    let tenant = tenant(&crm, &viewer).await?;
    let shown = page.records.len() as u64;
    let next = u64::from(offset) + shown;
    Ok(ObjectPage {
        results: page
            .records
            .iter()
            .map(|r| CrmObject::new(&crm, &tenant, r, &input.properties))
            .collect(),
        total: page.total,
        offset: (shown > 0 && next < page.total).then_some(next),
    })
}

const HINT_PROPERTIES: &str = "search_properties lists the property names of each object type";

fn checked_sort(schema: &Schema<'_>, rule: SortArg) -> Result<Sort, ToolError> {
    let sort = rule.into_sort();
    match schema.property(&sort.property) {
        Some(p) => Ok(Sort {
            property: p.name.clone(),
            direction: sort.direction,
        }),
        None => Err(unknown_property(schema, &sort.property)),
    }
}

fn unknown_property(schema: &Schema<'_>, name: &str) -> ToolError {
    let nearest = schema.suggest(name);
    let hint = if nearest.is_empty() {
        String::new()
    } else {
        format!(" Closest names: {}.", nearest.join(", "))
    };
    ToolError::invalid(format!(
        "unknown property `{name}` on {}.{hint} {HINT_PROPERTIES}.",
        schema.object_type()
    ))
}

/// Asking for a property that does not exist (or is hidden) is an error, so a typo does not
/// silently return records without the value the caller wanted.
fn unknown_properties(schema: &Schema<'_>, names: &[String]) -> Result<(), ToolError> {
    match names.iter().find(|n| schema.property(n).is_none()) {
        Some(name) => Err(unknown_property(schema, name)),
        None => Ok(()),
    }
}

/// Input of `get_crm_objects`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct GetObjects {
    /// The object type of the records.
    object_type: ObjectTypeArg,
    /// 1 to 100 `hs_object_id`s.
    object_ids: Vec<i64>,
    /// The properties to return (default: every property you may see).
    #[serde(default)]
    properties: Vec<String>,
}

/// Records by id.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct ObjectBatch {
    /// The records found, in the order asked.
    results: Vec<CrmObject>,
    /// Ids that do not exist or that you may not see.
    missing: Vec<i64>,
}

/// Read up to 100 CRM records of one type by `hs_object_id`, with the properties asked for (all
/// visible ones by default — call it without `properties` once to learn the data model).
/// Ids that do not exist and ids you may not see are both listed under `missing`.
#[mcp_tool(title = "Get CRM objects", read_only, idempotent, open_world = false)]
pub(super) async fn get_crm_objects(
    #[args] input: GetObjects,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<ObjectBatch, ToolError> {
    let object_type = ObjectType::from(input.object_type);
    audit.query(object_type.to_string());
    audit.ids(&input.object_ids);
    if input.object_ids.is_empty() || input.object_ids.len() > MAX_IDS {
        return Err(ToolError::invalid(format!(
            "objectIds takes 1 to {MAX_IDS} ids, got {}",
            input.object_ids.len()
        )));
    }
    let viewer = crm.viewer(&auth).await?;
    viewer.gate(object_type)?;
    let store = crm.store();
    unknown_properties(
        &viewer.schema(store.catalogue(), object_type),
        &input.properties,
    )?;
    let records = store.fetch(&viewer, object_type, &input.object_ids).await?;
    audit.total(records.len() as u64);
    let tenant = tenant(&crm, &viewer).await?;
    let all: Vec<String>;
    let only = if input.properties.is_empty() {
        all = records
            .iter()
            .flat_map(|r| r.properties.keys().cloned())
            .collect();
        &all[..]
    } else {
        &input.properties[..]
    };
    let missing = input
        .object_ids
        .iter()
        .copied()
        .filter(|id| !records.iter().any(|r| r.id == *id))
        .collect();
    Ok(ObjectBatch {
        results: records
            .iter()
            .map(|r| CrmObject::new(&crm, &tenant, r, only))
            .collect(),
        missing,
    })
}

/// The largest page of `list_associations`.
const MAX_ASSOCIATIONS_PAGE: usize = 500;

/// Input of `list_associations`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct ListAssociations {
    /// The object type of the record.
    object_type: ObjectTypeArg,
    /// The record's `hs_object_id`.
    object_id: i64,
    /// The type of the associated records to list.
    to_object_type: ObjectTypeArg,
    /// Page size, 1–500 (default 100).
    #[serde(default)]
    limit: Option<usize>,
    /// The `after` cursor of the previous page.
    #[serde(default)]
    after: Option<String>,
}

/// Associated records, v4-shaped.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct AssociationPage {
    /// The associated records of this page.
    results: Vec<Association>,
    /// How many associated records you may see in all.
    total: usize,
    /// The cursor for the next page (pass it as `after`), or null on the last one.
    after: Option<String>,
}

/// One associated record and how it is linked.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct Association {
    /// The associated record's `hs_object_id`.
    to_object_id: i64,
    /// The association types (category, type id, label).
    association_types: Vec<AssociationType>,
}

/// One association type.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct AssociationType {
    /// `HUBSPOT_DEFINED` or `USER_DEFINED`.
    category: String,
    /// The numeric association type id.
    type_id: i64,
    /// The label (e.g. `Decision maker`), if any.
    label: Option<String>,
}

/// List the records of `toObjectType` associated with one record (e.g. the contacts of a
/// company), with the association types and labels. Only records you may see are listed and
/// counted; a record you may not see has no associations.
#[mcp_tool(title = "List associations", read_only, idempotent, open_world = false)]
pub(super) async fn list_associations(
    #[args] input: ListAssociations,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<AssociationPage, ToolError> {
    audit.query(format!(
        "{} of {}",
        ObjectType::from(input.to_object_type),
        ObjectType::from(input.object_type)
    ));
    audit.ids([input.object_id]);
    let limit = input.limit.unwrap_or(100);
    if !(1..=MAX_ASSOCIATIONS_PAGE).contains(&limit) {
        return Err(ToolError::invalid(format!(
            "limit must be between 1 and {MAX_ASSOCIATIONS_PAGE}, got {limit}"
        )));
    }
    let start = match input.after.as_deref() {
        None | Some("") => 0,
        Some(after) => after.parse::<usize>().map_err(|_| {
            ToolError::invalid(format!(
                "after `{after}` is not a cursor from a previous page; omit it to start at the beginning"
            ))
        })?,
    };
    let viewer = crm.viewer(&auth).await?;
    let (from, to) = (
        ObjectType::from(input.object_type),
        ObjectType::from(input.to_object_type),
    );
    viewer.gate(from)?;
    viewer.gate(to)?;
    let links = crm
        .store()
        .associations(&viewer, from, input.object_id, to)
        .await?;
    let total = links.len();
    audit.total(total as u64);
    let end = start.saturating_add(limit).min(total);
    let results = links
        .into_iter()
        .skip(start)
        .take(limit)
        .map(|l| Association {
            to_object_id: l.to_id,
            association_types: l
                .types
                .into_iter()
                .map(|t| AssociationType {
                    category: t.category,
                    type_id: t.type_id,
                    label: t.label,
                })
                .collect(),
        })
        .collect();
    Ok(AssociationPage {
        results,
        total,
        after: (end < total).then(|| end.to_string()),
    })
}
