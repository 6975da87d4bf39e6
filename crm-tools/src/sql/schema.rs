//! The tables compiled SQL reads, generated from the catalogue so columns and properties agree.

use super::Dialect;
use crate::model::{Catalogue, ObjectType};

/// What the dialect needs for free text on every object type (see
/// [`Dialect::free_text_schema`]); all `IF NOT EXISTS`, so safe to run again.
pub(crate) fn create_free_text(catalogue: &Catalogue, dialect: &dyn Dialect) -> Vec<String> {
    ObjectType::ALL
        .iter()
        .flat_map(|t| {
            let columns: Vec<&str> = catalogue.searchable(*t).map(|p| p.name.as_str()).collect();
            dialect.free_text_schema(t.as_str(), &columns)
        })
        .collect()
}

/// `CREATE TABLE IF NOT EXISTS` statements: one table per object type (a column per property,
/// keyed by tenant and `hs_object_id`), plus `associations`, `owners`, `teams` and
/// `team_members`, and last the dialect's free-text structures over them.
pub fn create_tables(catalogue: &Catalogue, dialect: &dyn Dialect) -> Vec<String> {
    let q = |s: &str| dialect.quote_ident(s);
    let id = dialect.id_type();
    let mut statements = Vec::new();
    for object_type in ObjectType::ALL {
        let mut columns = vec![format!("{} {id} NOT NULL", q("tenant_id"))];
        for p in catalogue.properties(object_type) {
            let kind = if p.name == "hs_object_id" {
                format!("{id} NOT NULL")
            } else {
                dialect.column_type(p.kind).to_owned()
            };
            columns.push(format!("{} {kind}", q(&p.name)));
        }
        columns.push(format!(
            "PRIMARY KEY ({}, {})",
            q("tenant_id"),
            q("hs_object_id")
        ));
        statements.push(format!(
            "CREATE TABLE IF NOT EXISTS {} ({})",
            q(object_type.as_str()),
            columns.join(", ")
        ));
    }
    statements.push(format!(
        "CREATE TABLE IF NOT EXISTS {} ({} {id} NOT NULL, {} TEXT NOT NULL, {} {id} NOT NULL, {} TEXT NOT NULL, \
         {} {id} NOT NULL, {} {id} NOT NULL, {} TEXT, {} TEXT NOT NULL)",
        q("associations"),
        q("tenant_id"),
        q("from_type"),
        q("from_id"),
        q("to_type"),
        q("to_id"),
        q("type_id"),
        q("label"),
        q("category"),
    ));
    statements.push(format!(
        "CREATE INDEX IF NOT EXISTS {} ON {} ({}, {}, {}, {})",
        q("associations_from"),
        q("associations"),
        q("tenant_id"),
        q("from_type"),
        q("from_id"),
        q("to_type"),
    ));
    statements.push(format!(
        "CREATE TABLE IF NOT EXISTS {} ({} {id} NOT NULL, {} {id} NOT NULL, {} TEXT NOT NULL, {} TEXT NOT NULL, \
         {} TEXT NOT NULL, {} {id}, {} INTEGER NOT NULL, PRIMARY KEY ({}, {}))",
        q("owners"),
        q("tenant_id"),
        q("id"),
        q("email"),
        q("first_name"),
        q("last_name"),
        q("user_id"),
        q("archived"),
        q("tenant_id"),
        q("id"),
    ));
    statements.push(format!(
        "CREATE TABLE IF NOT EXISTS {} ({} {id} NOT NULL, {} {id} NOT NULL, {} TEXT NOT NULL, {} {id}, PRIMARY KEY ({}, {}))",
        q("teams"),
        q("tenant_id"),
        q("id"),
        q("name"),
        q("parent_id"),
        q("tenant_id"),
        q("id"),
    ));
    statements.push(format!(
        "CREATE TABLE IF NOT EXISTS {} ({} {id} NOT NULL, {} {id} NOT NULL, {} {id} NOT NULL, {} INTEGER NOT NULL, \
         PRIMARY KEY ({}, {}, {}))",
        q("team_members"),
        q("tenant_id"),
        q("team_id"),
        q("owner_id"),
        q("is_primary"),
        q("tenant_id"),
        q("team_id"),
        q("owner_id"),
    ));
    statements.extend(create_free_text(catalogue, dialect));
    statements
}
