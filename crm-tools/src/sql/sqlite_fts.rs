//! Free text on SQLite: one FTS5 index per object type over its searchable properties.
//!
//! Each `<type>_fts` table is an *external-content* FTS5 table: it stores only the index and
//! reads text from the record table by `rowid`, so the text is not duplicated. Triggers keep it
//! in step with row-by-row writes; a bulk load drops them and calls [`rebuild_statement`] once
//! at the end instead (see `crate::demo::seed`). `VACUUM` may renumber the implicit rowids of
//! the record tables, so run the rebuild after one.
//!
//! Tokens are what `unicode61` makes of the text: runs of letters and digits, case-folded, with
//! diacritics kept (`müller` does not match `muller`, as with `contains_token`).

use crate::model::{Catalogue, ObjectType};

/// The tokenizer: Unicode case folding, diacritics kept so `q` agrees with `contains_token`.
const TOKENIZER: &str = "unicode61 remove_diacritics 0";

/// The FTS5 table indexing `table`.
pub(crate) fn fts_table(table: &str) -> String {
    format!("{table}_fts")
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An FTS5 string: the only quoting FTS5 has. Inside it every character is literal text for the
/// tokenizer, so `AND`, `NEAR(…)`, `col:`, `^`, `-` or `*` typed by a user are never syntax.
fn fts_string(s: &str) -> String {
    // FTS5's query parser reads a NUL as the end of the string ("unterminated string"); to the
    // tokenizer a NUL is a separator like a space, so the space matches the same rows.
    format!("\"{}\"", s.replace('"', "\"\"").replace('\0', " "))
}

/// The `MATCH` argument for `terms` restricted to `columns`: `{c1 c2} : ("t1"* AND "t2"*)`.
///
/// Every term is an FTS5 string with a trailing `*`, i.e. a phrase of its tokens whose last
/// token is a prefix. A term without a letter or digit has no token to look for and is dropped;
/// `None` when no term is left (the caller then does not restrict at all, as for an empty `q`).
pub(crate) fn match_expression(columns: &[&str], terms: &[&str]) -> Option<String> {
    let phrases: Vec<String> = terms
        .iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .map(|t| format!("{}*", fts_string(t)))
        .collect();
    if phrases.is_empty() {
        return None;
    }
    let columns: Vec<String> = columns.iter().map(|c| fts_string(c)).collect();
    Some(format!(
        "{{{}}} : ({})",
        columns.join(" "),
        phrases.join(" AND ")
    ))
}

/// The FTS5 table of `table` and the triggers that keep it in step with the record table.
pub(crate) fn schema(table: &str, columns: &[&str]) -> Vec<String> {
    if columns.is_empty() {
        return Vec::new();
    }
    let fts = fts_table(table);
    let cols: Vec<String> = columns.iter().map(|c| ident(c)).collect();
    let cols = cols.join(", ");
    let values = |prefix: &str| -> String {
        columns
            .iter()
            .map(|c| format!("{prefix}.{}", ident(c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (new, old) = (values("new"), values("old"));
    let (t, f) = (ident(table), ident(&fts));
    let insert = format!("INSERT INTO {f} (rowid, {cols}) VALUES (new.rowid, {new});");
    let delete =
        format!("INSERT INTO {f} ({f}, rowid, {cols}) VALUES ('delete', old.rowid, {old});");
    vec![
        format!(
            "CREATE VIRTUAL TABLE IF NOT EXISTS {f} USING fts5({cols}, content={}, tokenize={})",
            literal(table),
            literal(TOKENIZER)
        ),
        format!(
            "CREATE TRIGGER IF NOT EXISTS {} AFTER INSERT ON {t} BEGIN {insert} END",
            ident(&format!("{fts}_insert"))
        ),
        format!(
            "CREATE TRIGGER IF NOT EXISTS {} AFTER DELETE ON {t} BEGIN {delete} END",
            ident(&format!("{fts}_delete"))
        ),
        format!(
            "CREATE TRIGGER IF NOT EXISTS {} AFTER UPDATE ON {t} BEGIN {delete} {insert} END",
            ident(&format!("{fts}_update"))
        ),
    ]
}

/// Re-indexes `table` from scratch: one pass over the record table, much cheaper than the
/// triggers row by row.
pub(crate) fn rebuild_statement(table: &str) -> String {
    let f = ident(&fts_table(table));
    format!("INSERT INTO {f} ({f}) VALUES ('rebuild')")
}

/// [`rebuild_statement`] for every object type that has searchable properties.
pub(crate) fn rebuild_all(catalogue: &Catalogue) -> Vec<String> {
    ObjectType::ALL
        .iter()
        .filter(|t| catalogue.searchable(**t).next().is_some())
        .map(|t| rebuild_statement(t.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_fts_strings_with_a_prefix_star() {
        assert_eq!(
            match_expression(&["firstname", "email"], &["John", "o'brien"]).as_deref(),
            Some("{\"firstname\" \"email\"} : (\"John\"* AND \"o'brien\"*)")
        );
        assert_eq!(
            match_expression(&["a"], &["x\"y", "NEAR(a", "b)", "--"]).as_deref(),
            Some("{\"a\"} : (\"x\"\"y\"* AND \"NEAR(a\"* AND \"b)\"*)")
        );
        assert_eq!(match_expression(&["a"], &["-", "*", "\"\""]), None);
    }
}
