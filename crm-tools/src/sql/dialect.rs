//! What differs between SQL engines, so a PostgreSQL dialect can follow without touching callers.

use super::free_text::{FreeText, token_scan};
use crate::filter::Direction;
use crate::model::PropertyType;

/// A bound parameter value.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    /// SQL NULL.
    Null,
    /// An integer (ids, epoch ms, booleans as 0/1, paging).
    Integer(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
}

/// Engine-specific SQL spelling. Implementations must only produce fixed SQL text around the
/// expressions and placeholders they are given; values always travel as parameters.
pub trait Dialect: std::fmt::Debug {
    /// The placeholder for the `index`-th parameter, counted from 1 (`?1`, `$1`).
    fn placeholder(&self, index: usize) -> String;

    /// Quotes an identifier, doubling embedded quotes (identifiers are catalogue names already,
    /// so this is a second line of defence).
    fn quote_ident(&self, ident: &str) -> String {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }

    /// The column type storing a property of `kind`.
    fn column_type(&self, kind: PropertyType) -> &'static str;

    /// The column type of ids (`hs_object_id`, tenant, owner and team ids).
    fn id_type(&self) -> &'static str;

    /// Case folding used by case-insensitive comparisons.
    fn lower(&self, expr: &str) -> String {
        format!("lower({expr})")
    }

    /// A boolean expression: `expr` (any column type) token-matches the pattern parameter.
    /// Must be NULL or false when `expr` is NULL.
    fn contains_token(&self, expr: &str, pattern: &str) -> String;

    /// The parameter value for a `contains_token` needle (the raw needle for an engine with the
    /// Rust matcher registered; a regular expression for an engine without one).
    fn token_pattern(&self, needle: &str) -> SqlValue;

    /// Free text `q` over one table: a boolean expression, or `None` when the text restricts
    /// nothing (no term a search could look for). Values go through `bind`, which returns the
    /// placeholder of the value it was given.
    ///
    /// The default is [`token_scan`]: portable, but it reads every row; an engine with a text
    /// index (SQLite FTS5, PostgreSQL `tsvector`) overrides this and [`Self::free_text_schema`].
    fn free_text(
        &self,
        text: &FreeText<'_>,
        bind: &mut dyn FnMut(SqlValue) -> String,
    ) -> Option<String> {
        Some(token_scan(self, text, bind))
    }

    /// Statements creating and maintaining whatever [`Self::free_text`] reads for `table`, whose
    /// searchable properties are `columns`; run after the table exists. None by default.
    fn free_text_schema(&self, _table: &str, _columns: &[&str]) -> Vec<String> {
        Vec::new()
    }

    /// One `ORDER BY` term; unset values sort last in both directions.
    fn order_term(&self, expr: &str, direction: Direction) -> String {
        let dir = match direction {
            Direction::Asc => "ASC",
            Direction::Desc => "DESC",
        };
        format!("{expr} {dir} NULLS LAST")
    }
}
