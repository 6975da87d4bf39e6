//! DSL errors: what went wrong, where, and a corrected query.

use std::fmt;

use crate::filter::{FilterError, MAX_DSL_FILTERS, MAX_LIMIT, MAX_Q_CHARS, MAX_WINDOW, Operator};

/// The error classes of the query language.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The query has no tokens.
    #[error("the query is empty")]
    Empty,
    /// A token without `:`.
    #[error(
        "every token must be key:value (or key:operator:value); to search free text use q:\"…\""
    )]
    MissingColon,
    /// `OR`, `AND` or `NOT` used as a word.
    #[error(
        "boolean keyword `{0}` is not supported: all tokens are ANDed; use in:a,b for alternatives on one \
         property, or run one search per alternative"
    )]
    BooleanKeyword(String),
    /// Parentheses.
    #[error("parentheses and nested expressions are not supported: all tokens are ANDed")]
    Parentheses,
    /// A quote that is never closed.
    #[error("unterminated {quote} quote: close the quote before the next token")]
    UnterminatedQuote {
        /// The opening quote character.
        quote: char,
    },
    /// Text right after a closing quote.
    #[error("a closing quote must end the token: quote the whole value")]
    TextAfterQuote,
    /// No `object_type` token.
    #[error("object_type is required (contacts, companies, deals or tickets)")]
    MissingObjectType,
    /// `object_type` with an unknown value.
    #[error("unknown object_type `{0}`: use contacts, companies, deals or tickets")]
    UnknownObjectType(String),
    /// `object_type`, `q`, `limit`, `offset` or `sort` given twice.
    #[error("`{0}` may appear only once")]
    DuplicateKey(String),
    /// An operator (or key) with no value.
    #[error("missing value{}", .0.map(|op| format!(" after operator `{op}` (to use `{op}` as a literal value, quote it: \"{op}\")")).unwrap_or_default())]
    MissingValue(Option<Operator>),
    /// A word in the operator position of `key:word:value` that is no operator (`greater`, `is`).
    #[error(
        "unknown operator `{word}`; nearest operators: {}{}",
        join_operators(suggestions),
        quote_hint.as_ref().map(|h| format!("; a value that contains `:` (such as a URL or a time) must be quoted: {h}")).unwrap_or_default()
    )]
    UnknownOperator {
        /// The word as written.
        word: String,
        /// Up to three operators it may mean, the likeliest first.
        suggestions: Vec<Operator>,
        /// The token with its whole right-hand side quoted, when that is a likely reading.
        quote_hint: Option<String>,
    },
    /// `has_property` / `not_has_property` followed by a value.
    #[error("`{0}` takes no value")]
    UnaryWithValue(Operator),
    /// `limit` or `offset` that is not a whole number.
    #[error("`{key}` must be a whole number, not `{value}`")]
    InvalidInteger {
        /// `limit` or `offset`.
        key: String,
        /// The value as written.
        value: String,
    },
    /// `limit` outside 1..=200.
    #[error("limit must be between 1 and {MAX_LIMIT}, got {0}")]
    LimitOutOfRange(u64),
    /// `offset + limit` above 10 000.
    #[error(
        "offset + limit may not exceed {MAX_WINDOW} (got offset {offset} + limit {limit}); narrow the filters instead of paging further"
    )]
    WindowTooLarge {
        /// The offset.
        offset: u64,
        /// The limit.
        limit: u64,
    },
    /// `sort` with a direction other than asc/desc, or extra parts.
    #[error("sort takes property[:asc|:desc], not `{0}`")]
    InvalidSort(String),
    /// More than [`MAX_DSL_FILTERS`] filters.
    #[error("at most {MAX_DSL_FILTERS} filters per query")]
    TooManyFilters,
    /// Free text over [`MAX_Q_CHARS`] characters.
    #[error("q is longer than {MAX_Q_CHARS} characters")]
    QueryTooLong,
    /// A property filter or sort rejected by the filter checker (unknown property, operator not
    /// allowed for the type, bad value, wrong number of values, bad association filter).
    #[error(transparent)]
    Filter(#[from] FilterError),
}

fn join_operators(ops: &[Operator]) -> String {
    ops.iter()
        .map(|o| o.dsl_name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A query that could not be parsed: the error, the offending token and its position, and a
/// corrected query to try instead.
#[derive(Debug, Clone, PartialEq)]
pub struct DslError {
    /// What went wrong (boxed: it is large, and errors travel through every parser function).
    pub kind: Box<ErrorKind>,
    /// The offending token as written (`None` for whole-query errors).
    pub token: Option<String>,
    /// 1-based character position of the token in the query (`None` for whole-query errors).
    pub position: Option<usize>,
    /// A corrected query (best effort: it fixes this error, not necessarily every error).
    pub example: String,
}

impl DslError {
    /// Up to three nearest property names, when the error is an unknown property.
    pub fn suggestions(&self) -> &[String] {
        match &*self.kind {
            ErrorKind::Filter(FilterError::UnknownProperty { suggestions, .. }) => suggestions,
            _ => &[],
        }
    }
}

impl fmt::Display for DslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Invalid query: {}", self.kind)?;
        if let (Some(token), Some(position)) = (&self.token, self.position) {
            write!(f, " (token `{token}` at character {position})")?;
        }
        f.write_str(".")?;
        if let ErrorKind::Filter(FilterError::UnknownProperty { suggestions, .. }) = &*self.kind {
            if !suggestions.is_empty() {
                write!(f, " Closest names: {}.", suggestions.join(", "))?;
            }
            f.write_str(" Call search_properties to list the properties of this object type.")?;
        }
        write!(f, " Corrected example: {}", self.example)
    }
}

impl std::error::Error for DslError {}
