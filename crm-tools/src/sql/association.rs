//! Association lists and counts that only ever see visible records on both ends.

use super::builder::Builder;
use super::permission::visible;
use super::{Dialect, SqlValue};
use crate::model::{Catalogue, ObjectType};
use crate::permission::Viewer;

/// A compiled statement and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledStatement {
    /// The SQL text (values only as placeholders).
    pub sql: String,
    /// The parameters, in placeholder order.
    pub params: Vec<SqlValue>,
}

/// The join shared by lists and counts: association rows from `from_type` records in `from_ids`
/// to `to_type` records, with both ends visible to `viewer` (an invisible source has no links, an
/// invisible target is not one).
fn visible_links(
    b: &mut Builder<'_>,
    viewer: &Viewer,
    catalogue: &Catalogue,
    from_type: ObjectType,
    from_ids: &[i64],
    to_type: ObjectType,
) -> String {
    let src_visible = visible(b, "s", from_type, viewer, catalogue);
    let dst_visible = visible(b, "t", to_type, viewer, catalogue);
    let from_ty = b.bind(SqlValue::Text(from_type.as_str().to_owned()));
    let to_ty = b.bind(SqlValue::Text(to_type.as_str().to_owned()));
    let ids = b.bind_list(from_ids.iter().map(|id| SqlValue::Integer(*id)));
    format!(
        "FROM {assoc} a JOIN {src} s ON s.{tenant} = a.{tenant} AND s.{id} = a.{from_id} \
         JOIN {dst} t ON t.{tenant} = a.{tenant} AND t.{id} = a.{to_id} \
         WHERE a.{from_type} = {from_ty} AND a.{from_id} IN {ids} AND a.{to_type} = {to_ty} \
         AND {src_visible} AND {dst_visible}",
        assoc = b.table("associations"),
        src = b.table(from_type.as_str()),
        dst = b.table(to_type.as_str()),
        tenant = b.dialect.quote_ident("tenant_id"),
        id = b.dialect.quote_ident("hs_object_id"),
        from_id = b.dialect.quote_ident("from_id"),
        to_id = b.dialect.quote_ident("to_id"),
        from_type = b.dialect.quote_ident("from_type"),
        to_type = b.dialect.quote_ident("to_type"),
    )
}

/// `(to_id, type_id, label, category)` rows of the visible links from one record, ordered by
/// target id then type id. The viewer's tenant is part of both visibility predicates.
pub fn compile_association_list(
    viewer: &Viewer,
    catalogue: &Catalogue,
    dialect: &dyn Dialect,
    from_type: ObjectType,
    from_id: i64,
    to_type: ObjectType,
) -> CompiledStatement {
    let mut b = Builder::new(dialect);
    let from = visible_links(&mut b, viewer, catalogue, from_type, &[from_id], to_type);
    CompiledStatement {
        sql: format!(
            "SELECT a.\"to_id\", a.\"type_id\", a.\"label\", a.\"category\" {from} \
             ORDER BY a.\"to_id\", a.\"type_id\""
        ),
        params: b.params,
    }
}

/// `(from_id, count)` rows: how many distinct visible `to_type` records each visible source in
/// `from_ids` is linked to. Sources with none are absent.
pub fn compile_association_counts(
    viewer: &Viewer,
    catalogue: &Catalogue,
    dialect: &dyn Dialect,
    from_type: ObjectType,
    from_ids: &[i64],
    to_type: ObjectType,
) -> CompiledStatement {
    let mut b = Builder::new(dialect);
    let from = visible_links(&mut b, viewer, catalogue, from_type, from_ids, to_type);
    CompiledStatement {
        sql: format!(
            "SELECT a.\"from_id\", COUNT(DISTINCT a.\"to_id\") {from} GROUP BY a.\"from_id\""
        ),
        params: b.params,
    }
}

/// The correlated subquery body shared by count properties and association filters:
/// `FROM associations a JOIN target t ON … WHERE …` over the links from the outer row `alias`
/// (a `from_type` record) to `to_type` records visible to `viewer`. `to_ids` may bind a list
/// the target id must be in; it binds after the join's own parameters, so their order stays
/// that of the SQL. Returns the `a.to_id` column and the body.
pub(super) fn correlated_links(
    b: &mut Builder<'_>,
    alias: &str,
    (from_type, to_type): (ObjectType, ObjectType),
    viewer: &Viewer,
    catalogue: &Catalogue,
    to_ids: impl FnOnce(&mut Builder<'_>) -> Option<String>,
) -> (String, String) {
    let (a, t) = (b.alias("a"), b.alias("t"));
    let target_visible = visible(b, &t, to_type, viewer, catalogue);
    let from = b.bind(SqlValue::Text(from_type.as_str().to_owned()));
    let to = b.bind(SqlValue::Text(to_type.as_str().to_owned()));
    let a_to = b.column(&a, "to_id");
    let in_ids = to_ids(b).map_or_else(String::new, |list| format!(" AND {a_to} IN {list}"));
    let body = format!(
        "FROM {assoc} {a} JOIN {target} {t} ON {t_tenant} = {a_tenant} AND {t_id} = {a_to} \
         WHERE {a_tenant} = {o_tenant} AND {a_from_type} = {from} AND {a_from} = {o_id} \
         AND {a_to_type} = {to}{in_ids} AND {target_visible}",
        assoc = b.table("associations"),
        target = b.table(to_type.as_str()),
        t_tenant = b.column(&t, "tenant_id"),
        t_id = b.column(&t, "hs_object_id"),
        a_tenant = b.column(&a, "tenant_id"),
        a_from = b.column(&a, "from_id"),
        a_from_type = b.column(&a, "from_type"),
        a_to_type = b.column(&a, "to_type"),
        o_tenant = b.column(alias, "tenant_id"),
        o_id = b.column(alias, "hs_object_id"),
    );
    (a_to, body)
}
