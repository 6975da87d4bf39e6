//! Building the corrected query shown with every error: the original tokens with the offending
//! one replaced or removed, so the model sees its own query, fixed.

use super::lexer::Token;
use crate::filter::{Arity, Operator};
use crate::model::{Catalogue, ObjectType, Property, PropertyType};

/// The tokens rejoined with single spaces, token `index` replaced by `with` (or dropped).
pub(super) fn replace(tokens: &[Token], index: usize, with: Option<&str>) -> String {
    let parts: Vec<&str> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            if i == index {
                with
            } else {
                Some(t.raw.as_str())
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    parts.join(" ")
}

/// Prepends `object_type:<guess>` when the example has none: the first type that has every
/// property the query names, else contacts.
pub(super) fn ensure_object_type(example: &str, tokens: &[Token], catalogue: &Catalogue) -> String {
    if tokens
        .iter()
        .any(|t| t.key.eq_ignore_ascii_case("object_type"))
    {
        return example.to_owned();
    }
    let keys: Vec<String> = tokens
        .iter()
        .filter(|t| t.has_colon)
        .map(|t| t.key.to_ascii_lowercase())
        .filter(|k| {
            !["q", "query", "limit", "offset", "sort"].contains(&k.as_str())
                && !k.starts_with("associated_")
        })
        .collect();
    let guess = ObjectType::ALL
        .into_iter()
        .find(|t| keys.iter().all(|k| catalogue.property(*t, k).is_some()))
        .unwrap_or(ObjectType::Contacts);
    if example.is_empty() {
        format!("object_type:{guess}")
    } else {
        format!("object_type:{guess} {example}")
    }
}

/// Whether `text` reads as an attempted operator: ASCII letters, `_` and comparison symbols
/// (`greater`, `is`, `>=`, `gt=`), and not a URL scheme followed by `//` — `https://x.io` stays a
/// plain value, as reference §2 rule 2 promises.
pub(super) fn operator_like(text: &str, next: Option<&str>) -> bool {
    let is_url = next.is_some_and(|n| n.starts_with("//"));
    !text.is_empty()
        && !is_url
        && text
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '=' | '<' | '>' | '!'))
}

/// Writes a value so the lexer reads it back whole: quoted when it has whitespace, is empty, or
/// would otherwise read as an operator (`in`, `note:x`).
pub(super) fn quote(value: &str) -> String {
    let reads_as_operator = match value.split_once(':') {
        Some((head, rest)) => operator_like(head, Some(rest)),
        None => Operator::parse(value).is_some(),
    };
    let needs = value.is_empty()
        || reads_as_operator
        || value.chars().any(char::is_whitespace)
        || value.starts_with(['"', '\'']);
    match (needs, value.contains('"')) {
        (false, _) => value.to_owned(),
        (true, false) => format!("\"{value}\""),
        (true, true) => format!("'{value}'"),
    }
}

/// `key:value` for `eq`, `key:op` for unary operators, `key:op:value` otherwise.
pub(super) fn render(key: &str, op: Operator, value: &str) -> String {
    match op {
        Operator::Eq => format!("{key}:{}", quote(value)),
        _ if op.arity() == Arity::None => format!("{key}:{op}"),
        _ => format!("{key}:{op}:{}", quote(value)),
    }
}

/// A plausible value for `op` on `property` (a pair for `between`, a list for `in`).
pub(super) fn sample(property: Option<&Property>, op: Operator) -> String {
    let kind = property.map_or(PropertyType::String, |p| p.kind);
    let first_option = property
        .and_then(|p| p.options.first())
        .map(|o| o.value.clone());
    match (op.arity(), kind) {
        (Arity::Two, PropertyType::Date | PropertyType::DateTime) => {
            "2025-01-01,2025-03-31".to_owned()
        }
        (Arity::Two, _) => "1000,5000".to_owned(),
        (_, PropertyType::Number) => "1000".to_owned(),
        (_, PropertyType::Date | PropertyType::DateTime) => "2025-01-31".to_owned(),
        (_, PropertyType::Bool) => "true".to_owned(),
        (_, PropertyType::Enumeration) => first_option.unwrap_or_else(|| "value".to_owned()),
        (_, PropertyType::String) => "text".to_owned(),
    }
}
