//! Splits a query into `key:rest` tokens on unquoted whitespace, keeping character positions.

use super::ErrorKind;

/// One `:`-separated piece of a token's right-hand side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Segment {
    /// The text, without quotes.
    pub(super) text: String,
    /// Whether it was quoted (a quoted segment is always the last one).
    pub(super) quoted: bool,
}

/// One whitespace-separated token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    /// Character index of the token's first character, from 0.
    pub(super) start: usize,
    /// The token exactly as written.
    pub(super) raw: String,
    /// Everything before the first `:`.
    pub(super) key: String,
    /// Whether the token has a `:` at all.
    pub(super) has_colon: bool,
    /// The right-hand side split on unquoted `:` (empty without a colon).
    pub(super) segments: Vec<Segment>,
}

impl Token {
    /// The right-hand side from segment `from` on, rejoined with `:` and without quotes.
    pub(super) fn value_from(&self, from: usize) -> String {
        self.segments
            .iter()
            .skip(from)
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(":")
    }

    /// Whether any segment from `from` on was quoted.
    pub(super) fn quoted_from(&self, from: usize) -> bool {
        self.segments.iter().skip(from).any(|s| s.quoted)
    }
}

/// A lexing failure: what, where (character index), and the token text so far.
#[derive(Debug)]
pub(super) struct LexError {
    pub(super) kind: ErrorKind,
    pub(super) start: usize,
    pub(super) raw: String,
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Tokenizes `input`. A quote opens only at the start of a segment (right after a `:`) and must
/// be closed, and followed by whitespace or the end of the query.
pub(super) fn tokenize(input: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = input.chars().collect();
    let n = chars.len();
    let mut tokens = Vec::new();
    let mut i = 0;
    loop {
        while i < n && is_space(chars[i]) {
            i += 1;
        }
        if i >= n {
            return Ok(tokens);
        }
        let start = i;
        let raw_until = |end: usize| chars[start..end].iter().collect::<String>();
        let mut key = String::new();
        while i < n && !is_space(chars[i]) && chars[i] != ':' {
            key.push(chars[i]);
            i += 1;
        }
        let has_colon = i < n && chars[i] == ':';
        let mut segments = Vec::new();
        if has_colon {
            i += 1;
            loop {
                if i < n && (chars[i] == '"' || chars[i] == '\'') {
                    let quote = chars[i];
                    i += 1;
                    let mut text = String::new();
                    while i < n && chars[i] != quote {
                        text.push(chars[i]);
                        i += 1;
                    }
                    if i >= n {
                        return Err(LexError {
                            kind: ErrorKind::UnterminatedQuote { quote },
                            start,
                            raw: raw_until(n),
                        });
                    }
                    i += 1;
                    if i < n && !is_space(chars[i]) {
                        let mut end = i;
                        while end < n && !is_space(chars[end]) {
                            end += 1;
                        }
                        return Err(LexError {
                            kind: ErrorKind::TextAfterQuote,
                            start,
                            raw: raw_until(end),
                        });
                    }
                    segments.push(Segment { text, quoted: true });
                    break;
                }
                let mut text = String::new();
                while i < n && !is_space(chars[i]) && chars[i] != ':' {
                    text.push(chars[i]);
                    i += 1;
                }
                segments.push(Segment {
                    text,
                    quoted: false,
                });
                if i < n && chars[i] == ':' {
                    i += 1;
                } else {
                    break;
                }
            }
        }
        tokens.push(Token {
            start,
            raw: raw_until(i),
            key,
            has_colon,
            segments,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str, quoted: bool) -> Segment {
        Segment {
            text: text.to_owned(),
            quoted,
        }
    }

    #[test]
    fn splits_on_unquoted_space_with_positions() {
        let t = tokenize("  object_type:contacts q:'John Doe'\temail:contains_token:\"@x.com\"")
            .unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!((t[0].start, t[0].key.as_str()), (2, "object_type"));
        assert_eq!(t[1].segments, [seg("John Doe", true)]);
        assert_eq!(t[1].raw, "q:'John Doe'");
        assert_eq!(
            t[2].segments,
            [seg("contains_token", false), seg("@x.com", true)]
        );
        assert_eq!(t[2].start, 36);
    }

    #[test]
    fn colons_inside_values_and_literal_inner_quotes() {
        let t = tokenize("website:https://x.io lastname:O'Brien name:\"O'Brien & Co\"").unwrap();
        assert_eq!(t[0].value_from(0), "https://x.io");
        assert_eq!(t[1].value_from(0), "O'Brien");
        assert_eq!(t[2].value_from(0), "O'Brien & Co");
    }

    #[test]
    fn quote_errors() {
        let e = tokenize("object_type:contacts q:\"John").unwrap_err();
        assert_eq!(
            (e.kind, e.start, e.raw.as_str()),
            (ErrorKind::UnterminatedQuote { quote: '"' }, 21, "q:\"John")
        );
        let e = tokenize("name:\"Acme\"Corp x:y").unwrap_err();
        assert_eq!(
            (e.kind, e.raw.as_str()),
            (ErrorKind::TextAfterQuote, "name:\"Acme\"Corp")
        );
    }

    #[test]
    fn bare_words_have_no_colon() {
        let t = tokenize("OR").unwrap();
        assert!(!t[0].has_colon);
        assert!(t[0].segments.is_empty());
    }
}
