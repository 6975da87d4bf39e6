//! The aggregate compiler: `GROUP BY` up to two properties with count, sum and average, over the
//! same permission-filtered rows as a search.

use super::builder::Builder;
use super::compile::filtered_from;
use super::counts;
use super::{CompileError, Dialect, SqlValue};
use crate::filter::{FilterGroup, MAX_Q_CHARS};
use crate::model::{Catalogue, ObjectType, PropertyType};
use crate::permission::Viewer;

/// At most this many properties in `groupBy`.
pub const MAX_GROUP_BY: usize = 2;

/// At most this many groups are returned (largest first), so a high-cardinality key cannot
/// produce an unbounded answer.
pub const MAX_AGGREGATE_GROUPS: u32 = 1_000;

/// One aggregate metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Metric {
    /// `COUNT(*)`.
    Count,
    /// The sum of a number property (unset values ignored).
    Sum(String),
    /// The average of a number property (unset values ignored).
    Avg(String),
}

/// What to aggregate: the filters and free text of a search, grouped by up to two properties.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateQuery {
    /// The object type.
    pub object_type: ObjectType,
    /// OR of AND groups, as in a search.
    pub groups: Vec<FilterGroup>,
    /// Free text, as in a search.
    pub q: Option<String>,
    /// Group-by property names (0 to [`MAX_GROUP_BY`]); no grouping gives one overall row.
    pub group_by: Vec<String>,
    /// The metrics, in output order (at least one).
    pub metrics: Vec<Metric>,
}

/// Why an aggregate could not be compiled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AggregateError {
    /// The shared filter part failed (gate, unknown property, free text too long).
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// More than [`MAX_GROUP_BY`] group-by properties, or none and no metric.
    #[error("group by at most {MAX_GROUP_BY} properties and ask for at least one metric")]
    Shape,
    /// A group-by or metric property is missing or hidden from the viewer.
    #[error("unknown property `{0}`; use search_properties to list the available ones")]
    UnknownProperty(String),
    /// Sum or average of a property that is not a number.
    #[error("`{0}` is not a number property; sum and avg need one")]
    NotNumeric(String),
    /// Grouping by a date: there is no bucketing, so every instant would be its own group.
    #[error("`{0}` is a date; group by a string, enumeration, boolean or number property")]
    DateGroup(String),
}

/// A compiled aggregate: columns are the group keys in order, then one column per metric.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledAggregate {
    /// The statement.
    pub sql: String,
    /// Its parameters.
    pub params: Vec<SqlValue>,
}

/// Compiles `query` for `viewer`; groups come back largest first, then by key.
pub fn compile_aggregate(
    query: &AggregateQuery,
    viewer: &Viewer,
    catalogue: &Catalogue,
    dialect: &dyn Dialect,
) -> Result<CompiledAggregate, AggregateError> {
    if query.group_by.len() > MAX_GROUP_BY || query.metrics.is_empty() {
        return Err(AggregateError::Shape);
    }
    if query
        .q
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_Q_CHARS)
    {
        return Err(CompileError::QueryTooLong.into());
    }
    viewer.gate(query.object_type).map_err(CompileError::from)?;
    let schema = viewer.schema(catalogue, query.object_type);
    let mut b = Builder::new(dialect);
    let alias = "o";
    let mut keys = Vec::new();
    for name in &query.group_by {
        let p = schema
            .property(name)
            .ok_or_else(|| AggregateError::UnknownProperty(name.clone()))?;
        if p.kind.is_temporal() {
            return Err(AggregateError::DateGroup(p.name.clone()));
        }
        keys.push(counts::value(
            &mut b,
            alias,
            query.object_type,
            &p.name,
            viewer,
            catalogue,
        ));
    }
    let mut selected = keys.clone();
    for metric in &query.metrics {
        selected.push(match metric {
            Metric::Count => "COUNT(*)".to_owned(),
            Metric::Sum(name) | Metric::Avg(name) => {
                let p = schema
                    .property(name)
                    .ok_or_else(|| AggregateError::UnknownProperty(name.clone()))?;
                if p.kind != PropertyType::Number {
                    return Err(AggregateError::NotNumeric(p.name.clone()));
                }
                let col =
                    counts::value(&mut b, alias, query.object_type, &p.name, viewer, catalogue);
                if matches!(metric, Metric::Sum(_)) {
                    format!("SUM({col})")
                } else {
                    format!("AVG({col})")
                }
            }
        });
    }
    let from = filtered_from(
        &mut b,
        alias,
        query.object_type,
        &query.groups,
        query.q.as_deref(),
        viewer,
        catalogue,
    )?;
    let mut sql = format!("SELECT {} {from}", selected.join(", "));
    if !keys.is_empty() {
        let order: Vec<String> = keys
            .iter()
            .map(|k| dialect.order_term(k, crate::filter::Direction::Asc))
            .collect();
        let limit = b.bind(SqlValue::Integer(i64::from(MAX_AGGREGATE_GROUPS)));
        sql.push_str(&format!(
            " GROUP BY {} ORDER BY COUNT(*) DESC, {} LIMIT {limit}",
            keys.join(", "),
            order.join(", ")
        ));
    }
    Ok(CompiledAggregate {
        sql,
        params: b.params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl;
    use crate::filter::Visibility;
    use crate::model::{TenantId, UserId};
    use crate::permission::ObjectPermission;
    use crate::sql::SqliteDialect;

    #[test]
    fn groups_counts_and_binds_every_value() {
        let catalogue = Catalogue::standard();
        let viewer = Viewer {
            tenant: TenantId(3),
            user: UserId(1),
            owner_ids: std::collections::BTreeSet::new(),
            team_ids: std::collections::BTreeSet::new(),
            scopes: ["crm.objects.contacts.read".to_owned()].into(),
            permissions: [(ObjectType::Contacts, ObjectPermission::ALL)].into(),
            visibility: Visibility::default(),
        };
        let q = dsl::parse(
            "object_type:contacts createdate:gte:2026-08-03 region:EMEA",
            &catalogue,
            &Visibility::default(),
        )
        .unwrap();
        let c = compile_aggregate(
            &AggregateQuery {
                object_type: ObjectType::Contacts,
                groups: q.groups,
                q: Some("o'brien".to_owned()),
                group_by: vec!["region".to_owned(), "lifecyclestage".to_owned()],
                metrics: vec![
                    Metric::Count,
                    Metric::Avg("num_associated_deals".to_owned()),
                ],
            },
            &viewer,
            &catalogue,
            &SqliteDialect,
        )
        .unwrap();
        assert!(
            c.sql.starts_with(
                "SELECT o.\"region\", o.\"lifecyclestage\", COUNT(*), AVG(0) \
                 FROM \"contacts\" o WHERE o.\"tenant_id\" = ?1 AND "
            ),
            "{}",
            c.sql
        );
        assert!(
            c.sql
                .contains("GROUP BY o.\"region\", o.\"lifecyclestage\" ORDER BY COUNT(*) DESC")
        );
        assert!(
            !c.sql.contains("EMEA") && !c.sql.contains("brien"),
            "{}",
            c.sql
        );
        // An enumeration value naming an option compares exactly, so an index can serve it.
        assert!(c.sql.contains("o.\"region\" = ?"), "{}", c.sql);
        assert!(c.params.contains(&SqlValue::Text("EMEA".to_owned())));
        assert_eq!(c.params[0], SqlValue::Integer(3));
        assert_eq!(
            c.params.last(),
            Some(&SqlValue::Integer(i64::from(MAX_AGGREGATE_GROUPS)))
        );
    }
}
