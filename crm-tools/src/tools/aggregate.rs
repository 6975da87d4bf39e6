//! `aggregate_crm_objects`: group-by counts, sums and averages under the same filters and
//! permissions as a search (an extension standing in for HubSpot's `query_crm_data`; never on the
//! Deep-Research gateway).

use std::collections::BTreeMap;

use mcp_runtime::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::args::{FilterGroupArg, ObjectTypeArg, checked_groups};
use super::{Crm, ToolError, render};
use crate::model::ObjectType;
use crate::sql::{AggregateQuery, MAX_GROUP_BY, Metric, SqlValue};

/// At most this many metrics per call.
const MAX_METRICS: usize = 5;

/// Input of `aggregate_crm_objects`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Aggregate {
    /// The object type to aggregate.
    object_type: ObjectTypeArg,
    /// Up to 2 properties to group by (string, enumeration, bool or number; not dates). None
    /// gives one overall group.
    #[serde(default)]
    group_by: Vec<String>,
    /// What to compute per group (default: COUNT).
    #[serde(default)]
    metrics: Vec<MetricArg>,
    /// Which records: OR of AND groups of filters, exactly as in `search_crm_objects`.
    #[serde(default)]
    filter_groups: Vec<FilterGroupArg>,
    /// Free text over the type's key fields, as in `search_crm_objects`.
    #[serde(default)]
    query: Option<String>,
}

/// One metric.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct MetricArg {
    /// COUNT, SUM or AVG.
    r#type: MetricKind,
    /// The number property for SUM and AVG.
    #[serde(default)]
    property_name: Option<String>,
}

/// A metric kind.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub(super) enum MetricKind {
    /// Number of records.
    #[serde(alias = "count")]
    Count,
    /// Sum of a number property (unset values ignored).
    #[serde(alias = "sum")]
    Sum,
    /// Average of a number property (unset values ignored).
    #[serde(alias = "avg")]
    Avg,
}

/// The groups, largest first.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct AggregateResult {
    /// The metric names, in the order they appear in each group's `metrics`.
    metrics: Vec<String>,
    /// One entry per distinct combination of the group-by values (at most 1000).
    groups: Vec<AggregateGroup>,
}

/// One group.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct AggregateGroup {
    /// The group-by values (null: the property is unset on these records).
    key: BTreeMap<String, Option<String>>,
    /// Metric name (`count`, `sum_amount`, `avg_amount`, …) to value (null: no values).
    metrics: BTreeMap<String, Option<f64>>,
}

/// Count records, or sum and average a number property, grouped by up to two properties, over
/// the records matching `filterGroups` — one call instead of a search per group. Only records
/// you may see are counted. Example, conversion by region of contacts created since 1 August:
/// `{"objectType":"contacts","groupBy":["region","lifecyclestage"],"metrics":[{"type":"COUNT"}],
/// "filterGroups":[{"filters":[{"propertyName":"createdate","operator":"GTE","value":"2026-08-01"}]}]}`.
/// Today is {today} (UTC).
#[mcp_tool(
    title = "Aggregate CRM objects",
    read_only,
    idempotent,
    open_world = false
)]
pub(super) async fn aggregate_crm_objects(
    #[args] input: Aggregate,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<AggregateResult, ToolError> {
    audit.query(ObjectType::from(input.object_type).to_string());
    if input.group_by.len() > MAX_GROUP_BY {
        return Err(ToolError::invalid(format!(
            "group by at most {MAX_GROUP_BY} properties, got {}",
            input.group_by.len()
        )));
    }
    if input.metrics.len() > MAX_METRICS {
        return Err(ToolError::invalid(format!(
            "at most {MAX_METRICS} metrics, got {}",
            input.metrics.len()
        )));
    }
    let viewer = crm.viewer(&auth).await?;
    let object_type = ObjectType::from(input.object_type);
    viewer.gate(object_type)?;
    let store = crm.store();
    let catalogue = store.catalogue();
    let schema = viewer.schema(catalogue, object_type);
    let groups = checked_groups(&schema, input.filter_groups)?;
    let mut metrics = Vec::new();
    let mut names = Vec::new();
    for m in input.metrics {
        let (metric, name) = match (m.r#type, m.property_name) {
            (MetricKind::Count, _) => (Metric::Count, "count".to_owned()),
            (MetricKind::Sum, Some(p)) => (Metric::Sum(p.to_lowercase()), format!("sum_{p}")),
            (MetricKind::Avg, Some(p)) => (Metric::Avg(p.to_lowercase()), format!("avg_{p}")),
            (kind, None) => {
                return Err(ToolError::invalid(format!(
                    "{kind:?} needs propertyName (a number property, e.g. amount)"
                )));
            }
        };
        metrics.push(metric);
        names.push(name.to_lowercase());
    }
    if metrics.is_empty() {
        metrics.push(Metric::Count);
        names.push("count".to_owned());
    }
    let group_by: Vec<String> = input.group_by.iter().map(|g| g.to_lowercase()).collect();
    let query = AggregateQuery {
        object_type,
        groups,
        q: input.query.filter(|q| !q.trim().is_empty()),
        group_by: group_by.clone(),
        metrics,
    };
    audit.query(describe(&query, &names));
    let rows = store.aggregate(&viewer, &query).await?;
    audit.total(rows.len() as u64);
    let groups = rows
        .into_iter()
        .map(|row| AggregateGroup {
            key: group_by
                .iter()
                .zip(&row.keys)
                .map(|(name, value)| {
                    let text = catalogue
                        .property(object_type, name)
                        .and_then(|p| render::value_text(p.kind, value));
                    (name.clone(), text)
                })
                .collect(),
            metrics: names
                .iter()
                .zip(&row.values)
                .map(|(name, value)| (name.clone(), number(value)))
                .collect(),
        })
        .collect();
    Ok(AggregateResult {
        metrics: names,
        groups,
    })
}

/// What an aggregation asked for, in the search IR's words (`deals where … q "…" count by
/// dealstage`), for the audit line.
fn describe(query: &AggregateQuery, metrics: &[String]) -> String {
    let mut text = query.object_type.to_string();
    if let Some(clause) = crate::filter::where_clause(&query.groups) {
        text.push(' ');
        text.push_str(&clause);
    }
    if let Some(q) = &query.q {
        text.push_str(&format!(" q {q:?}"));
    }
    text.push_str(&format!(" {}", metrics.join(",")));
    if !query.group_by.is_empty() {
        text.push_str(&format!(" by {}", query.group_by.join(",")));
    }
    text
}

fn number(value: &SqlValue) -> Option<f64> {
    match value {
        #[allow(clippy::cast_precision_loss, reason = "counts and sums far below 2^53")]
        SqlValue::Integer(i) => Some(*i as f64),
        SqlValue::Real(r) => Some(*r),
        _ => None,
    }
}
