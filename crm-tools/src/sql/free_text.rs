//! Free text `q`: what a [`Dialect`] is handed to compile it, and the portable fallback.
//!
//! `q` is an AND of its whitespace-separated terms; each term must prefix-match a token of at
//! least one of the viewer's visible searchable properties (reference §2). How that is served
//! (a full-text index, a `tsvector`, a scan) is the dialect's business, so the compilers and the
//! tools never see it.

use super::{Dialect, SqlValue};

/// One free-text restriction on one searched table.
#[derive(Debug, Clone, Copy)]
pub struct FreeText<'a> {
    /// The searched table (the object type's name, unquoted).
    pub table: &'a str,
    /// The alias the searched table has in the statement.
    pub alias: &'a str,
    /// The searchable properties the viewer may see, in catalogue order. Hidden ones are
    /// absent so a term cannot probe them; when this is empty, no record can match.
    pub columns: &'a [&'a str],
    /// Every searchable property of the table, hidden or not, in catalogue order: when it
    /// equals `columns`, a dialect may use a text index built over all of them.
    pub all_columns: &'a [&'a str],
    /// The whitespace-separated terms, as typed (never empty, at least one).
    pub terms: &'a [&'a str],
}

/// The portable implementation: every term, with `*` appended unless it ends with one, must
/// `contains_token`-match some visible searchable column. Correct on any engine, but a scan.
pub fn token_scan<D: Dialect + ?Sized>(
    dialect: &D,
    text: &FreeText<'_>,
    bind: &mut dyn FnMut(SqlValue) -> String,
) -> String {
    let terms: Vec<String> = text
        .terms
        .iter()
        .map(|term| {
            let needle = if term.ends_with('*') {
                (*term).to_owned()
            } else {
                format!("{term}*")
            };
            let any: Vec<String> = text
                .columns
                .iter()
                .map(|c| {
                    let col = format!("{}.{}", text.alias, dialect.quote_ident(c));
                    let p = bind(dialect.token_pattern(&needle));
                    dialect.contains_token(&col, &p)
                })
                .collect();
            if any.is_empty() {
                "1 = 0".to_owned()
            } else {
                format!("({})", any.join(" OR "))
            }
        })
        .collect();
    format!("({})", terms.join(" AND "))
}
