//! What the SQLite and PostgreSQL stores do alike around their drivers: checking and querying
//! ids, and shaping result rows into the store's types. Each store keeps only the driving of
//! its own driver (sync `rusqlite` on blocking threads, async `tokio-postgres`); a cell is read
//! through a closure so these functions stay independent of either driver's row type.

use std::collections::BTreeMap;

use super::{AggregateRow, AssociationLink, LinkType, MAX_IDS, Record, StoreError};
use crate::filter::{Condition, Filter, FilterGroup, Query, Sort, Target, Value};
use crate::model::{Catalogue, ObjectType, Pipeline, standard_pipelines};
use crate::permission::Viewer;
use crate::sql::{COUNT_PROPERTIES, CompiledSearch, Dialect, SqlValue, compile_search};

/// At most [`MAX_IDS`] ids per request.
pub(super) fn check_ids(ids: &[i64]) -> Result<(), StoreError> {
    if ids.len() > MAX_IDS {
        return Err(StoreError::TooManyIds {
            max: MAX_IDS,
            got: ids.len(),
        });
    }
    Ok(())
}

/// The query behind `fetch`: `hs_object_id in ids`, compiled like any search so the same tenant,
/// permission and hidden-property rules apply.
fn ids_query(object_type: ObjectType, ids: &[i64]) -> Query {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    #[allow(clippy::cast_precision_loss, reason = "record ids stay far below 2^53")]
    let values = unique.iter().map(|id| Value::Number(*id as f64)).collect();
    Query {
        object_type,
        groups: vec![FilterGroup {
            filters: vec![Filter {
                target: Target::Property("hs_object_id".to_owned()),
                condition: Condition::In(values),
            }],
        }],
        q: None,
        sort: Sort::default(),
        limit: u32::try_from(unique.len()).unwrap_or(1).max(1),
        offset: 0,
    }
}

/// `fetch`'s checks and compiled query; `None` when no ids were asked for.
pub(super) fn fetch_search(
    viewer: &Viewer,
    catalogue: &Catalogue,
    dialect: &dyn Dialect,
    object_type: ObjectType,
    ids: &[i64],
) -> Result<Option<CompiledSearch>, StoreError> {
    check_ids(ids)?;
    viewer.gate(object_type)?;
    if ids.is_empty() {
        return Ok(None);
    }
    Ok(Some(compile_search(
        &ids_query(object_type, ids),
        viewer,
        catalogue,
        dialect,
    )?))
}

/// `fetch`'s answer: the found records in the order the ids were asked (the query returns
/// them in its own order); ids not found are absent.
pub(super) fn in_requested_order(records: Vec<Record>, ids: &[i64]) -> Vec<Record> {
    let mut by_id: BTreeMap<i64, Record> = records.into_iter().map(|r| (r.id, r)).collect();
    ids.iter().filter_map(|id| by_id.remove(id)).collect()
}

/// One search result row: the id in column 0, then `columns` in order, NULLs left out.
pub(super) fn record<E>(
    object_type: ObjectType,
    id: i64,
    columns: &[String],
    mut cell: impl FnMut(usize) -> Result<SqlValue, E>,
) -> Result<Record, E> {
    let mut properties = BTreeMap::new();
    for (i, name) in columns.iter().enumerate() {
        let v = cell(i)?;
        if v != SqlValue::Null {
            properties.insert(name.clone(), v);
        }
    }
    Ok(Record {
        object_type,
        id,
        properties,
    })
}

/// A row count as the API reports it (a negative count cannot happen; it reads as 0).
pub(super) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Add one `(to_id, link type)` row to `links`. The association query orders rows by `to_id`,
/// so the types of one linked record are adjacent and fold into one link.
pub(super) fn push_link(links: &mut Vec<AssociationLink>, to_id: i64, link: LinkType) {
    match links.last_mut() {
        Some(last) if last.to_id == to_id => last.types.push(link),
        _ => links.push(AssociationLink {
            to_id,
            types: vec![link],
        }),
    }
}

/// One aggregate result row: `keys` group-by columns, then `metrics` metric columns.
pub(super) fn aggregate_row<E>(
    keys: usize,
    metrics: usize,
    mut cell: impl FnMut(usize) -> Result<SqlValue, E>,
) -> Result<AggregateRow, E> {
    let mut row = AggregateRow {
        keys: Vec::with_capacity(keys),
        values: Vec::with_capacity(metrics),
    };
    for i in 0..keys {
        row.keys.push(cell(i)?);
    }
    for i in keys..keys + metrics {
        row.values.push(cell(i)?);
    }
    Ok(row)
}

/// The `num_associated_*` properties of `object_type` the viewer can see, each with the type
/// it counts: the ones `visible_counts` recomputes.
pub(super) fn count_properties(
    viewer: &Viewer,
    catalogue: &Catalogue,
    object_type: ObjectType,
) -> Vec<(&'static str, ObjectType)> {
    COUNT_PROPERTIES
        .iter()
        .filter(|c| c.0 == object_type)
        .filter(|(_, property, _)| {
            viewer
                .schema(catalogue, object_type)
                .property(property)
                .is_some()
        })
        .map(|(_, property, to)| (*property, *to))
        .collect()
}

/// Set `property` of every record to its visible count (0 when it has none).
pub(super) fn set_counts(records: &mut [Record], property: &str, counts: &BTreeMap<i64, i64>) {
    for r in records.iter_mut() {
        let n = counts.get(&r.id).copied().unwrap_or(0);
        r.properties
            .insert(property.to_owned(), SqlValue::Integer(n));
    }
}

/// The pipelines of `object_type`: the standard ones for every account.
pub(super) fn pipelines(object_type: ObjectType) -> Vec<Pipeline> {
    standard_pipelines()
        .into_iter()
        .filter(|p| p.object_type == object_type)
        .collect()
}
