//! `contains_token` and free text on PostgreSQL, as regular expressions built in Rust.
//!
//! SQLite calls the Rust matcher ([`crate::filter::contains_token`]); PostgreSQL cannot, so the
//! same rule is translated into a POSIX regular expression matched against the lower-cased
//! value. The needle is folded here exactly as the matcher folds it, and every character of it
//! that is not a letter or digit is escaped, so the user's text is never regex syntax. The
//! regex travels as a bound parameter.
//!
//! Token boundaries are `[^[:alnum:]]` (or the start/end of the value), evaluated under the
//! Unicode-aware collation [`super::postgres::CTYPE_COLLATION`].

/// Folds like the Rust matcher: the first character of the lowercase mapping.
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Appends `c` as a literal: letters and digits stand for themselves, anything else is
/// escaped (`\` before a non-alphanumeric character is that character in an ARE).
fn push_literal(out: &mut String, c: char) {
    if c.is_alphanumeric() {
        out.push(c);
    } else {
        out.push('\\');
        out.push(c);
    }
}

/// A regex that never matches anything (used for an empty needle).
const NEVER: &str = "a^";

/// The regex equivalent of `contains_token(value, needle)` over the lower-cased value.
///
/// Mirrors the matcher: `*` is any run of characters; the match must start at a boundary
/// unless the needle starts with `*` or a non-alphanumeric character, and end at one unless it
/// ends with `*` or a non-alphanumeric character; a needle of wildcards only matches any
/// non-empty value, an empty one nothing.
pub(crate) fn token_regex(needle: &str) -> String {
    let pat: Vec<char> = needle.chars().map(fold).collect();
    let Some(first) = pat.iter().find(|c| **c != '*').copied() else {
        return if pat.is_empty() {
            NEVER.to_owned()
        } else {
            ".".to_owned()
        };
    };
    let last = pat
        .iter()
        .rev()
        .find(|c| **c != '*')
        .copied()
        .unwrap_or(first);
    let open_start = !first.is_alphanumeric() || pat.first() == Some(&'*');
    let open_end = !last.is_alphanumeric() || pat.last() == Some(&'*');
    let mut out = String::with_capacity(pat.len() * 2 + 40);
    if !open_start {
        out.push_str("(^|[^[:alnum:]])");
    }
    for c in &pat {
        if *c == '*' {
            out.push_str(".*");
        } else {
            push_literal(&mut out, *c);
        }
    }
    if !open_end {
        out.push_str("($|[^[:alnum:]])");
    }
    out
}

/// The separator between columns in the free-text document of a row (see
/// [`super::postgres`]): not a letter or digit, and excluded from the gap between the tokens of
/// a term, so a term never matches across two properties.
pub(crate) const COLUMN_SEPARATOR: char = '\u{1f}';

/// The regex for one free-text term, or `None` when it has no letter or digit.
///
/// As with SQLite's FTS5 index: the term's letter-and-digit tokens must match consecutive
/// tokens of one property, whole except the last, which is a prefix; the first starts at a
/// token boundary.
pub(crate) fn term_regex(term: &str) -> Option<String> {
    let folded: String = term.chars().map(fold).collect();
    let tokens: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return None;
    }
    let gap = format!("[^[:alnum:]{COLUMN_SEPARATOR}]+");
    let mut out = String::from("(^|[^[:alnum:]])");
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            // The previous token is whole: at least one non-token character follows it.
            out.push_str(&gap);
        }
        out.push_str(t);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_become_escaped_bounded_regexes() {
        assert_eq!(
            token_regex("startup"),
            "(^|[^[:alnum:]])startup($|[^[:alnum:]])"
        );
        assert_eq!(token_regex("start*"), "(^|[^[:alnum:]])start.*");
        assert_eq!(
            token_regex("@example.com"),
            "\\@example\\.com($|[^[:alnum:]])"
        );
        assert_eq!(
            token_regex("MÜLLER"),
            "(^|[^[:alnum:]])müller($|[^[:alnum:]])"
        );
        assert_eq!(token_regex("*"), ".");
        assert_eq!(token_regex(""), NEVER);
        assert_eq!(token_regex("a(b|c)"), "(^|[^[:alnum:]])a\\(b\\|c\\)");
    }

    #[test]
    fn terms_are_token_phrases_with_a_prefix_last_token() {
        assert_eq!(term_regex("John").as_deref(), Some("(^|[^[:alnum:]])john"));
        assert_eq!(
            term_regex("o'brien").as_deref(),
            Some("(^|[^[:alnum:]])o[^[:alnum:]\u{1f}]+brien")
        );
        assert_eq!(term_regex("--"), None);
    }
}
