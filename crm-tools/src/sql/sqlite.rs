//! The SQLite dialect and the Rust functions it relies on.

use rusqlite::functions::FunctionFlags;
use rusqlite::types::{ToSql, ToSqlOutput, Value as SqliteValue, ValueRef};

use super::sqlite_fts::{fts_table, match_expression, schema};
use super::{Dialect, FreeText, SqlValue};
use crate::filter::contains_token;
use crate::model::PropertyType;

/// The SQL name of the registered `contains_token` function.
pub const CONTAINS_TOKEN_FN: &str = "crm_contains_token";

/// The SQL name of the registered Unicode lowercase function; SQLite's own `lower()` folds ASCII
/// only, which would make `MÜLLER` differ from `Müller`.
pub const LOWER_FN: &str = "crm_lower";

/// SQLite: numbered `?N` placeholders, dates as INTEGER epoch ms, `contains_token` as a
/// registered Rust function (see [`register_functions`]) and free text through one FTS5 index
/// per object type.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteDialect;

impl Dialect for SqliteDialect {
    fn placeholder(&self, index: usize) -> String {
        format!("?{index}")
    }

    fn column_type(&self, kind: PropertyType) -> &'static str {
        match kind {
            PropertyType::String | PropertyType::Enumeration => "TEXT",
            // NUMERIC stores integral values as INTEGER, so ids read back as `123`, not `123.0`.
            PropertyType::Number => "NUMERIC",
            PropertyType::Date | PropertyType::DateTime | PropertyType::Bool => "INTEGER",
        }
    }

    fn id_type(&self) -> &'static str {
        "INTEGER"
    }

    fn contains_token(&self, expr: &str, pattern: &str) -> String {
        format!("{CONTAINS_TOKEN_FN}({expr}, {pattern})")
    }

    fn lower(&self, expr: &str) -> String {
        format!("{LOWER_FN}({expr})")
    }

    fn token_pattern(&self, needle: &str) -> SqlValue {
        SqlValue::Text(needle.to_owned())
    }

    /// `o.rowid IN (SELECT rowid FROM "<type>_fts" WHERE "<type>_fts" MATCH ?N)`, the `MATCH`
    /// argument being a bound parameter in which every term is an FTS5 string (see
    /// `sqlite_fts::match_expression`), restricted to the visible columns.
    fn free_text(
        &self,
        text: &FreeText<'_>,
        bind: &mut dyn FnMut(SqlValue) -> String,
    ) -> Option<String> {
        let expr = match_expression(text.columns, text.terms)?;
        if text.columns.is_empty() {
            return Some("1 = 0".to_owned());
        }
        let p = bind(SqlValue::Text(expr));
        let fts = self.quote_ident(&fts_table(text.table));
        Some(format!(
            "{}.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH {p})",
            text.alias
        ))
    }

    fn free_text_schema(&self, table: &str, columns: &[&str]) -> Vec<String> {
        schema(table, columns)
    }
}

/// Registers the functions compiled SQL calls; run it once on every new connection.
pub fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        LOWER_FN,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Null => None,
                ValueRef::Integer(i) => Some(i.to_string()),
                ValueRef::Real(r) => Some(r.to_string()),
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    Some(String::from_utf8_lossy(t).to_lowercase())
                }
            })
        },
    )?;
    conn.create_scalar_function(
        CONTAINS_TOKEN_FN,
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let haystack = match ctx.get_raw(0) {
                ValueRef::Null => return Ok(None),
                ValueRef::Integer(i) => i.to_string(),
                ValueRef::Real(r) => r.to_string(),
                ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
            };
            let needle: String = ctx.get(1)?;
            Ok(Some(contains_token(&haystack, &needle)))
        },
    )
}

impl ToSql for SqlValue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Self::Null => ToSqlOutput::Owned(SqliteValue::Null),
            Self::Integer(i) => ToSqlOutput::Owned(SqliteValue::Integer(*i)),
            Self::Real(r) => ToSqlOutput::Owned(SqliteValue::Real(*r)),
            Self::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}
