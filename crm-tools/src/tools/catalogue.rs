//! `search_properties`, `get_properties` and `get_pipelines`: the data model as the viewer sees it
//! (hidden properties are absent, exactly as if they did not exist).

use mcp_runtime::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::args::ObjectTypeArg;
use super::{Crm, ToolError};
use crate::model::{ObjectType, Property};

/// At most this many keywords per `search_properties` call.
const MAX_KEYWORDS: usize = 5;

/// A property as the property tools describe it.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct PropertyInfo {
    /// The internal name, used in filters, sorts and `properties`.
    name: String,
    /// The display label.
    label: String,
    /// What the property holds and how to filter on it.
    description: String,
    /// `string`, `number`, `date`, `datetime`, `enumeration` or `bool`.
    r#type: String,
    /// How the value is shown in the UI.
    field_type: String,
    /// Whether free-text `query`/`q` searches it.
    searchable: bool,
    /// For enumerations: the allowed values (filter on `value`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<OptionInfo>,
    /// How well it matched the keywords (search_properties only; 1 is an exact name).
    #[serde(skip_serializing_if = "Option::is_none")]
    match_score: Option<f64>,
}

/// One allowed value.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct OptionInfo {
    /// The internal value, used in filters.
    value: String,
    /// The display label.
    label: String,
}

impl PropertyInfo {
    fn new(object_type: ObjectType, p: &Property, match_score: Option<f64>) -> Self {
        Self {
            name: p.name.clone(),
            label: p.label.clone(),
            description: describe(object_type, p),
            r#type: p.kind.as_str().to_owned(),
            field_type: field_type(p).to_owned(),
            searchable: p.searchable,
            options: p
                .options
                .iter()
                .map(|o| OptionInfo {
                    value: o.value.clone(),
                    label: o.label.clone(),
                })
                .collect(),
            match_score,
        }
    }
}

fn field_type(p: &Property) -> &'static str {
    use crate::model::PropertyType as T;
    match p.kind {
        T::String => "text",
        T::Number => "number",
        T::Date | T::DateTime => "date",
        T::Enumeration => "select",
        T::Bool => "booleancheckbox",
    }
}

fn describe(object_type: ObjectType, p: &Property) -> String {
    use crate::model::PropertyType as T;
    let what = match p.kind {
        T::String => "Text; EQ is case-insensitive, CONTAINS_TOKEN matches words",
        T::Number => "A number; compare with EQ, LT, GT, BETWEEN",
        T::Date => "A date (YYYY-MM-DD, a whole UTC day)",
        T::DateTime => "An instant; filter with YYYY-MM-DD (whole UTC days) or RFC 3339",
        T::Enumeration => "One of the listed options; filter on the option value",
        T::Bool => "true or false",
    };
    let owner = if p.owner_reference {
        " Holds an owner id (see search_owners)."
    } else {
        ""
    };
    let count = if p.name.contains("num_associated_") {
        " Counts only associated records you may see."
    } else {
        ""
    };
    format!(
        "{} of a {}. {what}.{owner}{count}",
        p.label,
        object_type.singular()
    )
}

/// Input of `search_properties`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct SearchProperties {
    /// The object type whose properties to search.
    object_type: ObjectTypeArg,
    /// Up to 5 guesses at property names or labels (e.g. `["revenue", "region"]`); none lists
    /// every property.
    #[serde(default)]
    keywords: Vec<String>,
}

/// Matching properties, best first.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct PropertyList {
    /// The properties.
    results: Vec<PropertyInfo>,
}

/// Find property names of an object type from rough guesses (`["close date", "amount"]`), with
/// type, label, options and a match score. Without keywords, lists every property you may see.
/// Use the returned `name` in filters, sorts and `properties`.
#[mcp_tool(title = "Search properties", read_only, idempotent, open_world = false)]
pub(super) async fn search_properties(
    #[args] input: SearchProperties,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<PropertyList, ToolError> {
    audit.query(format!(
        "{} keywords {:?}",
        ObjectType::from(input.object_type),
        input.keywords
    ));
    if input.keywords.len() > MAX_KEYWORDS {
        return Err(ToolError::invalid(format!(
            "at most {MAX_KEYWORDS} keywords, got {}",
            input.keywords.len()
        )));
    }
    let viewer = crm.viewer(&auth).await?;
    let object_type = ObjectType::from(input.object_type);
    viewer.gate(object_type)?;
    let schema = viewer.schema(crm.store().catalogue(), object_type);
    let keywords: Vec<String> = input
        .keywords
        .iter()
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    let mut scored: Vec<(f64, &Property)> = schema
        .properties()
        .filter_map(|p| {
            if keywords.is_empty() {
                return Some((1.0, p));
            }
            let best = keywords.iter().map(|k| score(k, p)).fold(0.0_f64, f64::max);
            (best >= MIN_SCORE).then_some((best, p))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    audit.total(scored.len() as u64);
    Ok(PropertyList {
        results: scored
            .into_iter()
            .map(|(s, p)| {
                let s = (s * 1000.0).round() / 1000.0;
                PropertyInfo::new(object_type, p, (!keywords.is_empty()).then_some(s))
            })
            .collect(),
    })
}

/// Matches below this score are noise.
const MIN_SCORE: f64 = 0.5;

/// 1 for an exact name, high for a name or label containing the keyword (spaces and
/// underscores ignored), else the normalized edit similarity of the best of name and label.
fn score(keyword: &str, p: &Property) -> f64 {
    let squash = |s: &str| s.to_lowercase().replace([' ', '_', '-'], "");
    let (k, name, label) = (squash(keyword), squash(&p.name), squash(&p.label));
    if k == name {
        return 1.0;
    }
    if k == label {
        return 0.95;
    }
    if name.contains(&k) || label.contains(&k) {
        return 0.9;
    }
    strsim::normalized_damerau_levenshtein(&k, &name)
        .max(strsim::normalized_damerau_levenshtein(&k, &label))
}

/// Input of `get_properties`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct GetProperties {
    /// The object type.
    object_type: ObjectTypeArg,
    /// The property names to describe (none: all of them — large, so prefer a few).
    #[serde(default)]
    property_names: Vec<String>,
}

/// Property definitions.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct PropertyDefinitions {
    /// The properties found, in the order asked.
    results: Vec<PropertyInfo>,
    /// Names that are not properties of this type, each with the nearest existing names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unknown: Vec<UnknownProperty>,
}

/// A name that matched no property.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct UnknownProperty {
    /// The name as asked.
    name: String,
    /// Up to three nearest property names.
    suggestions: Vec<String>,
}

/// Describe properties of an object type: label, type, field type, whether `query` searches it,
/// and for enumerations the allowed option values (filter on `value`). Batch the names you need.
#[mcp_tool(title = "Get properties", read_only, idempotent, open_world = false)]
pub(super) async fn get_properties(
    #[args] input: GetProperties,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<PropertyDefinitions, ToolError> {
    let viewer = crm.viewer(&auth).await?;
    let object_type = ObjectType::from(input.object_type);
    audit.query(object_type.to_string());
    audit.ids(&input.property_names);
    viewer.gate(object_type)?;
    let schema = viewer.schema(crm.store().catalogue(), object_type);
    if input.property_names.is_empty() {
        let results: Vec<PropertyInfo> = schema
            .properties()
            .map(|p| PropertyInfo::new(object_type, p, None))
            .collect();
        audit.total(results.len() as u64);
        return Ok(PropertyDefinitions {
            results,
            unknown: Vec::new(),
        });
    }
    let mut results = Vec::new();
    let mut unknown = Vec::new();
    for name in &input.property_names {
        match schema.property(name) {
            Some(p) => results.push(PropertyInfo::new(object_type, p, None)),
            None => unknown.push(UnknownProperty {
                name: name.clone(),
                suggestions: schema.suggest(name),
            }),
        }
    }
    audit.total(results.len() as u64);
    Ok(PropertyDefinitions { results, unknown })
}

/// Input of `get_pipelines`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct GetPipelines {
    /// `deals` or `tickets` (the types with pipelines).
    object_type: ObjectTypeArg,
}

/// The pipelines of a type.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct Pipelines {
    /// The pipelines with their stages in order.
    results: Vec<PipelineInfo>,
}

/// One pipeline.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct PipelineInfo {
    /// The pipeline id (the value of `pipeline` / `hs_pipeline`).
    id: String,
    /// The display label.
    label: String,
    /// The stages, in display order.
    stages: Vec<StageInfo>,
}

/// One stage.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct StageInfo {
    /// The stage id (the value of `dealstage` / `hs_pipeline_stage`).
    id: String,
    /// The display label.
    label: String,
    /// Position in the pipeline.
    display_order: u32,
    /// Win probability (deals), 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    probability: Option<f64>,
    /// Whether a record in this stage is closed.
    is_closed: bool,
}

/// The deal or ticket pipelines with their stages in order: stage ids (for `dealstage` /
/// `hs_pipeline_stage` filters), labels, win probability and whether a stage is closed.
#[mcp_tool(title = "Get pipelines", read_only, idempotent, open_world = false)]
pub(super) async fn get_pipelines(
    #[args] input: GetPipelines,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<Pipelines, ToolError> {
    let object_type = ObjectType::from(input.object_type);
    audit.query(object_type.to_string());
    if !matches!(object_type, ObjectType::Deals | ObjectType::Tickets) {
        return Err(ToolError::invalid(format!(
            "{object_type} have no pipelines; use deals or tickets"
        )));
    }
    let viewer = crm.viewer(&auth).await?;
    viewer.gate(object_type)?;
    let pipelines = crm.store().pipelines(&viewer, object_type).await?;
    audit.total(pipelines.len() as u64);
    Ok(Pipelines {
        results: pipelines
            .into_iter()
            .map(|p| PipelineInfo {
                id: p.id,
                label: p.label,
                stages: p
                    .stages
                    .into_iter()
                    .map(|s| StageInfo {
                        id: s.id,
                        label: s.label,
                        display_order: s.display_order,
                        probability: s.probability,
                        is_closed: s.is_closed,
                    })
                    .collect(),
            })
            .collect(),
    })
}
