//! The search compiler: one `SELECT` page and one `COUNT(*)` total over the same `WHERE`.

use super::builder::Builder;
use super::counts;
use super::permission::visible;
use super::predicate::{Ctx, free_text, groups};
use super::{Dialect, SqlValue};
use crate::filter::{Direction, FilterGroup, MAX_LIMIT, MAX_Q_CHARS, MAX_WINDOW, Query};
use crate::model::{Catalogue, ObjectType, PropertyType};
use crate::permission::{AccessDenied, Viewer};

/// Why a query could not be compiled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CompileError {
    /// The viewer may not read the object type.
    #[error(transparent)]
    Access(#[from] AccessDenied),
    /// The IR names a property that is missing or hidden from the viewer (IR built by hand).
    #[error("unknown property `{0}`")]
    UnknownProperty(String),
    /// `limit` outside 1..=200 or `offset + limit` above 10 000.
    #[error(
        "limit must be 1..={MAX_LIMIT} and offset + limit at most {MAX_WINDOW} (got limit {limit}, offset {offset})"
    )]
    Paging {
        /// The limit asked for.
        limit: u32,
        /// The offset asked for.
        offset: u32,
    },
    /// Free text longer than [`MAX_Q_CHARS`].
    #[error("free text is longer than {MAX_Q_CHARS} characters")]
    QueryTooLong,
}

/// A compiled search: run `select_sql` with [`Self::select_params`] for the page and `count_sql`
/// with [`Self::count_params`] for the total.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledSearch {
    /// `SELECT <columns> FROM t WHERE tenant AND id IN (SELECT id FROM … WHERE … ORDER BY … LIMIT …
    /// OFFSET …) ORDER BY …`: the page's ids first, then only their rows read whole.
    pub select_sql: String,
    /// `SELECT COUNT(*) FROM … WHERE …`, the same `WHERE`.
    pub count_sql: String,
    /// The selected property names, in column order (`hs_object_id` first, hidden ones absent).
    pub columns: Vec<String>,
    params: Vec<SqlValue>,
    where_params: usize,
}

impl CompiledSearch {
    /// Parameters of `select_sql` (the `WHERE` parameters, then any of the sort, the tenant,
    /// limit and offset).
    pub fn select_params(&self) -> &[SqlValue] {
        &self.params
    }

    /// Parameters of `count_sql` (the `WHERE` parameters only).
    pub fn count_params(&self) -> &[SqlValue] {
        &self.params[..self.where_params]
    }
}

/// Compiles `query` for `viewer`.
///
/// The object gate runs first; then the `WHERE` clause is the tenant and row-permission predicate
/// AND the filter groups AND the free text, so paging and the total never count invisible rows.
pub fn compile_search(
    query: &Query,
    viewer: &Viewer,
    catalogue: &Catalogue,
    dialect: &dyn Dialect,
) -> Result<CompiledSearch, CompileError> {
    viewer.gate(query.object_type)?;
    if query.limit == 0
        || query.limit > MAX_LIMIT
        || query.offset.saturating_add(query.limit) > MAX_WINDOW
    {
        return Err(CompileError::Paging {
            limit: query.limit,
            offset: query.offset,
        });
    }
    let schema = viewer.schema(catalogue, query.object_type);
    let sort = schema
        .property(&query.sort.property)
        .ok_or_else(|| CompileError::UnknownProperty(query.sort.property.clone()))?;

    let mut b = Builder::new(dialect);
    let alias = "o";
    let from = filtered_from(
        &mut b,
        alias,
        query.object_type,
        &query.groups,
        query.q.as_deref(),
        viewer,
        catalogue,
    )?;
    let where_params = b.params.len();

    let mut columns = vec!["hs_object_id".to_owned()];
    columns.extend(
        schema
            .properties()
            .filter(|p| p.name != "hs_object_id")
            .map(|p| p.name.clone()),
    );
    let select_list: Vec<String> = columns.iter().map(|c| b.column(alias, c)).collect();
    let id = b.column(alias, "hs_object_id");
    let order = if sort.name == "hs_object_id" {
        dialect.order_term(&id, query.sort.direction)
    } else {
        // A count property sorts by the count the viewer may see (see `counts`).
        let column = counts::value(
            &mut b,
            alias,
            query.object_type,
            &sort.name,
            viewer,
            catalogue,
        );
        // Text sorts case-insensitively, as the comparisons do.
        let key = match sort.kind {
            PropertyType::String | PropertyType::Enumeration => dialect.lower(&column),
            _ => column,
        };
        // Ties broken by id so that consecutive pages neither repeat nor skip records.
        format!(
            "{}, {}",
            dialect.order_term(&key, query.sort.direction),
            dialect.order_term(&id, Direction::Asc)
        )
    };
    let tenant = b.bind(SqlValue::Integer(viewer.tenant.0));
    let limit = b.bind(SqlValue::Integer(i64::from(query.limit)));
    let offset = b.bind(SqlValue::Integer(i64::from(query.offset)));
    // The page's ids are chosen first, reading only what the filter and sort need (often an
    // index alone); only those ≤ 200 rows are then read whole. Sorting every match with all its
    // columns is what made a selective filter with a few thousand matches slow.
    Ok(CompiledSearch {
        select_sql: format!(
            "SELECT {} FROM {} {alias} WHERE {} = {tenant} AND {id} IN \
             (SELECT {id} {from} ORDER BY {order} LIMIT {limit} OFFSET {offset}) ORDER BY {order}",
            select_list.join(", "),
            b.table(query.object_type.as_str()),
            b.column(alias, "tenant_id"),
        ),
        count_sql: format!("SELECT COUNT(*) {from}"),
        columns,
        params: b.params,
        where_params,
    })
}

/// `FROM <table> <alias> WHERE <tenant and row permission> AND <groups> AND <free text>`, shared
/// by the search and the aggregate compilers so both see exactly the same rows.
pub(super) fn filtered_from(
    b: &mut Builder<'_>,
    alias: &str,
    object_type: ObjectType,
    filter_groups: &[FilterGroup],
    q: Option<&str>,
    viewer: &Viewer,
    catalogue: &Catalogue,
) -> Result<String, CompileError> {
    viewer.gate(object_type)?;
    if q.is_some_and(|q| q.chars().count() > MAX_Q_CHARS) {
        return Err(CompileError::QueryTooLong);
    }
    let ctx = Ctx {
        object_type,
        alias,
        viewer,
        catalogue,
    };
    let mut conditions = vec![visible(b, alias, object_type, viewer, catalogue)];
    if let Some(g) =
        groups(b, &ctx, filter_groups).map_err(|e| CompileError::UnknownProperty(e.0))?
    {
        conditions.push(g);
    }
    if let Some(q) = q.and_then(|q| free_text(b, &ctx, q)) {
        conditions.push(q);
    }
    Ok(format!(
        "FROM {} {alias} WHERE {}",
        b.table(object_type.as_str()),
        conditions.join(" AND ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl;
    use crate::filter::Visibility;
    use crate::model::{ObjectType, OwnerId, TenantId, UserId};
    use crate::permission::{ObjectPermission, ViewLevel};

    /// A PostgreSQL-shaped dialect: only the trait implementation changes, the compiler does not.
    #[derive(Debug)]
    struct PgLike;

    impl Dialect for PgLike {
        fn placeholder(&self, index: usize) -> String {
            format!("${index}")
        }
        fn column_type(&self, _: PropertyType) -> &'static str {
            "TEXT"
        }
        fn id_type(&self) -> &'static str {
            "BIGINT"
        }
        fn contains_token(&self, expr: &str, pattern: &str) -> String {
            format!("({expr})::text ~* {pattern}")
        }
        fn token_pattern(&self, needle: &str) -> SqlValue {
            SqlValue::Text(format!("regex-for:{needle}"))
        }
    }

    fn own_viewer() -> Viewer {
        Viewer {
            tenant: TenantId(7),
            user: UserId(1),
            owner_ids: [OwnerId(10)].into(),
            team_ids: std::collections::BTreeSet::new(),
            scopes: ["crm.objects.deals.read".to_owned()].into(),
            permissions: [(
                ObjectType::Deals,
                ObjectPermission {
                    view: ViewLevel::Own,
                    unassigned: true,
                },
            )]
            .into(),
            visibility: Visibility::default(),
        }
    }

    fn compile(dialect: &dyn Dialect) -> CompiledSearch {
        let catalogue = Catalogue::standard();
        let q = dsl::parse(
            "object_type:deals dealname:contains_token:acme amount:gt:5 sort:dealname:desc limit:5 offset:10",
            &catalogue,
            &Visibility::default(),
        )
        .unwrap();
        compile_search(&q, &own_viewer(), &catalogue, dialect).unwrap()
    }

    #[test]
    fn sqlite_shape_and_parameter_order() {
        let c = compile(&super::super::SqliteDialect);
        let from = "FROM \"deals\" o WHERE (o.\"tenant_id\" = ?1 AND (o.\"hubspot_owner_id\" IN (?2) OR \
                    (o.\"hubspot_owner_id\" IS NULL))) AND ((crm_contains_token(o.\"dealname\", ?3) AND \
                    o.\"amount\" > ?4))";
        assert_eq!(c.count_sql, format!("SELECT COUNT(*) {from}"));
        let order = "crm_lower(o.\"dealname\") DESC NULLS LAST, o.\"hs_object_id\" ASC NULLS LAST";
        let tail = format!(
            "FROM \"deals\" o WHERE o.\"tenant_id\" = ?5 AND o.\"hs_object_id\" IN \
             (SELECT o.\"hs_object_id\" {from} ORDER BY {order} LIMIT ?6 OFFSET ?7) ORDER BY {order}"
        );
        assert!(c.select_sql.ends_with(&tail), "{}", c.select_sql);
        let expected = [
            SqlValue::Integer(7),
            SqlValue::Integer(10),
            SqlValue::Text("acme".to_owned()),
            SqlValue::Real(5.0),
            SqlValue::Integer(7),
            SqlValue::Integer(5),
            SqlValue::Integer(10),
        ];
        assert_eq!(c.select_params(), expected);
        assert_eq!(c.count_params(), &expected[..4]);
        assert_eq!(c.columns.first().map(String::as_str), Some("hs_object_id"));
    }

    #[test]
    fn another_dialect_needs_no_compiler_change() {
        let c = compile(&PgLike);
        assert!(
            c.count_sql.contains("o.\"tenant_id\" = $1"),
            "{}",
            c.count_sql
        );
        assert!(
            c.count_sql.contains("(o.\"dealname\")::text ~* $3"),
            "{}",
            c.count_sql
        );
        assert!(
            c.select_sql.contains("LIMIT $6 OFFSET $7) ORDER BY"),
            "{}",
            c.select_sql
        );
        assert_eq!(
            c.select_params()[2],
            SqlValue::Text("regex-for:acme".to_owned())
        );
    }
}
