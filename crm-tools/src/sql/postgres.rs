//! The PostgreSQL dialect: `$N` placeholders, byte-order text, `contains_token` and free text as
//! bound regular expressions, free text served by a `pg_trgm` GIN index.
//!
//! Semantics follow SQLite's exactly (the same test suites run on both):
//!
//! - Text columns are `COLLATE "C"`, so comparisons, `ORDER BY` and `GROUP BY` use code-point
//!   order like SQLite's `BINARY`, whatever the database's default collation.
//! - Case folding is `lower()` under [`CTYPE_COLLATION`] (Unicode-aware whatever the database
//!   locale), sorted in code-point order like SQLite's registered `crm_lower`.
//! - Numbers are `DOUBLE PRECISION` (the store reads integral values back as integers, as
//!   SQLite's `NUMERIC` affinity stores them); dates, booleans and ids are `BIGINT`.
//! - `contains_token` is [`super::postgres_regex::token_regex`] matched against the lower-cased
//!   value.
//! - Free text: one expression per object type, the lower-cased searchable columns joined by a
//!   separator that no term can match across, with a trigram GIN index on it; each term is a
//!   [`super::postgres_regex::term_regex`] (consecutive whole tokens, the last a prefix).

use super::postgres_regex::{COLUMN_SEPARATOR, term_regex, token_regex};
use super::{Dialect, FreeText, SqlValue};
use crate::model::PropertyType;

/// The collation whose character classes and case mapping folding and token boundaries use:
/// ICU's root locale, present on every PostgreSQL built with ICU (Debian's, the official
/// images), so results do not depend on the database's `LC_CTYPE`.
pub const CTYPE_COLLATION: &str = "und-x-icu";

/// PostgreSQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDialect;

/// The name of the trigram index serving free text on `table`.
pub(crate) fn free_text_index(table: &str) -> String {
    format!("{table}_free_text")
}

impl PostgresDialect {
    /// The lower-cased free-text document of `columns` on `alias` (or unqualified when `alias`
    /// is empty): the very expression the trigram index is built on, so the planner can use it.
    fn document(&self, alias: &str, columns: &[&str]) -> String {
        let sep = format!("E'\\x{:02x}'", u32::from(COLUMN_SEPARATOR));
        let parts: Vec<String> = columns
            .iter()
            .map(|c| {
                let col = if alias.is_empty() {
                    self.quote_ident(c)
                } else {
                    format!("{alias}.{}", self.quote_ident(c))
                };
                format!("COALESCE(CAST({col} AS TEXT), '')")
            })
            .collect();
        format!(
            "lower(({}) COLLATE \"{CTYPE_COLLATION}\")",
            parts.join(&format!(" || {sep} || "))
        )
    }
}

impl Dialect for PostgresDialect {
    fn placeholder(&self, index: usize) -> String {
        format!("${index}")
    }

    fn column_type(&self, kind: PropertyType) -> &'static str {
        match kind {
            PropertyType::String | PropertyType::Enumeration => "TEXT COLLATE \"C\"",
            PropertyType::Number => "DOUBLE PRECISION",
            PropertyType::Date | PropertyType::DateTime | PropertyType::Bool => "BIGINT",
        }
    }

    fn id_type(&self) -> &'static str {
        "BIGINT"
    }

    fn lower(&self, expr: &str) -> String {
        format!("(lower(CAST({expr} AS TEXT) COLLATE \"{CTYPE_COLLATION}\") COLLATE \"C\")")
    }

    fn contains_token(&self, expr: &str, pattern: &str) -> String {
        format!(
            "(lower(CAST({expr} AS TEXT) COLLATE \"{CTYPE_COLLATION}\") ~ CAST({pattern} AS TEXT))"
        )
    }

    fn token_pattern(&self, needle: &str) -> SqlValue {
        SqlValue::Text(token_regex(needle))
    }

    /// Each term is one regex parameter. When the viewer sees every searchable column, the
    /// terms are matched against the indexed document; otherwise (hidden searchable
    /// properties) against each visible column separately, which is exact but not indexed.
    fn free_text(
        &self,
        text: &FreeText<'_>,
        bind: &mut dyn FnMut(SqlValue) -> String,
    ) -> Option<String> {
        let regexes: Vec<String> = text.terms.iter().filter_map(|t| term_regex(t)).collect();
        if regexes.is_empty() {
            return None;
        }
        if text.columns.is_empty() {
            return Some("1 = 0".to_owned());
        }
        let all = text.all_columns == text.columns;
        let conditions: Vec<String> = regexes
            .into_iter()
            .map(|r| {
                let p = bind(SqlValue::Text(r));
                if all {
                    format!(
                        "{} ~ CAST({p} AS TEXT)",
                        self.document(text.alias, text.columns)
                    )
                } else {
                    let any: Vec<String> = text
                        .columns
                        .iter()
                        .map(|c| {
                            format!(
                                "{} ~ CAST({p} AS TEXT)",
                                self.document(text.alias, std::slice::from_ref(c))
                            )
                        })
                        .collect();
                    format!("({})", any.join(" OR "))
                }
            })
            .collect();
        Some(format!("({})", conditions.join(" AND ")))
    }

    fn free_text_schema(&self, table: &str, columns: &[&str]) -> Vec<String> {
        if columns.is_empty() {
            return Vec::new();
        }
        vec![
            "CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned(),
            format!(
                "CREATE INDEX IF NOT EXISTS {} ON {} USING gin (({}) gin_trgm_ops)",
                self.quote_ident(&free_text_index(table)),
                self.quote_ident(table),
                self.document("", columns)
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_and_the_query_use_the_same_document() {
        let d = PostgresDialect;
        let schema = d.free_text_schema("contacts", &["firstname", "email"]);
        assert!(schema[1].contains(
            "lower((COALESCE(CAST(\"firstname\" AS TEXT), '') || E'\\x1f' || COALESCE(CAST(\"email\" AS TEXT), '')) COLLATE \"und-x-icu\")"
        ), "{}", schema[1]);
    }
}
