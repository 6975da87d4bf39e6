//! Doc comments → the tool's description.
//!
//! `///` lines arrive as `#[doc = "..."]` attributes, one per line, each usually starting with
//! the space after `///`. They are joined with newlines, the indentation common to all
//! non-blank lines (normally that one space) is removed, trailing whitespace and leading and
//! trailing blank lines are dropped, and paragraphs are kept: the whole comment is the
//! description, not only its first paragraph, since models read all of it.
//!
//! `#[doc = include_str!("tool.md")]` (or any other non-literal `doc` value) is kept as an
//! expression: the description then becomes `concat!(...)` of the literal text and those
//! expressions, and its text is used verbatim.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{Attribute, Expr, ExprLit, Lit, Meta};

use crate::symbol;

/// A description: plain text, or text mixed with `include_str!`-like expressions.
#[derive(Debug, Clone)]
pub(crate) enum Description {
    Text(String),
    Concat(Vec<Piece>),
}

/// One part of a mixed description.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Text(String),
    Expr(Expr),
}

impl Description {
    /// The description written by the doc comments among `attrs`, if there is one.
    pub(crate) fn from_docs(attrs: &[Attribute]) -> Option<Self> {
        let mut raw: Vec<RawPiece> = Vec::new();
        for attr in attrs {
            let Meta::NameValue(nv) = &attr.meta else {
                continue;
            };
            if nv.path != symbol::DOC {
                continue;
            }
            match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => {
                    let value = s.value();
                    // `split`, not `lines`: an empty `///` line is a paragraph break.
                    let lines = value
                        .split('\n')
                        .map(|line| line.trim_end_matches('\r').to_owned());
                    match raw.last_mut() {
                        Some(RawPiece::Lines(existing)) => existing.extend(lines),
                        _ => raw.push(RawPiece::Lines(lines.collect())),
                    }
                }
                other => raw.push(RawPiece::Expr(other.clone())),
            }
        }

        let indent = raw
            .iter()
            .filter_map(|piece| match piece {
                RawPiece::Lines(lines) => Some(lines),
                RawPiece::Expr(_) => None,
            })
            .flatten()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start().len())
            .min()
            .unwrap_or(0);

        let mut pieces: Vec<Piece> = raw
            .into_iter()
            .map(|piece| match piece {
                RawPiece::Lines(lines) => Piece::Text(unindent(&lines, indent)),
                RawPiece::Expr(expr) => Piece::Expr(expr),
            })
            .filter(|piece| !matches!(piece, Piece::Text(text) if text.is_empty()))
            .collect();

        match pieces.len() {
            0 => None,
            1 => match pieces.pop() {
                Some(Piece::Text(text)) => Some(Self::Text(text)),
                Some(expr) => Some(Self::Concat(vec![expr])),
                None => None,
            },
            _ => Some(Self::Concat(pieces)),
        }
    }

    /// The `description = "..."` override, trimmed.
    pub(crate) fn from_literal(value: &str) -> Option<Self> {
        let text = value.trim();
        (!text.is_empty()).then(|| Self::Text(text.to_owned()))
    }

    /// An expression of type `&'static str` for the generated code.
    pub(crate) fn to_tokens_at(&self, span: Span) -> TokenStream {
        match self {
            Self::Text(text) => syn::LitStr::new(text, span).into_token_stream(),
            Self::Concat(pieces) => {
                let mut parts = Vec::with_capacity(pieces.len() * 2);
                for (i, piece) in pieces.iter().enumerate() {
                    if i > 0 {
                        parts.push(quote!("\n"));
                    }
                    parts.push(match piece {
                        Piece::Text(text) => syn::LitStr::new(text, span).into_token_stream(),
                        Piece::Expr(expr) => expr.into_token_stream(),
                    });
                }
                quote!(::core::concat!(#(#parts),*))
            }
        }
    }
}

enum RawPiece {
    Lines(Vec<String>),
    Expr(Expr),
}

/// Remove `indent` leading characters of whitespace from each line, strip trailing
/// whitespace, and drop leading and trailing blank lines.
fn unindent(lines: &[String], indent: usize) -> String {
    let lines: Vec<&str> = lines
        .iter()
        .map(|line| {
            if line.trim().is_empty() {
                ""
            } else {
                // Non-blank lines start with at least `indent` bytes of whitespace.
                line.get(indent..)
                    .unwrap_or_else(|| line.trim_start())
                    .trim_end()
            }
        })
        .collect();
    let first = lines.iter().position(|line| !line.is_empty());
    let last = lines.iter().rposition(|line| !line.is_empty());
    match (first, last) {
        (Some(first), Some(last)) => lines[first..=last].join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(attrs: &[Attribute]) -> Option<String> {
        match Description::from_docs(attrs)? {
            Description::Text(text) => Some(text),
            Description::Concat(_) => panic!("expected plain text"),
        }
    }

    #[test]
    fn joins_lines_and_keeps_paragraphs() {
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[doc = " Adds two integers."]),
            syn::parse_quote!(#[doc = ""]),
            syn::parse_quote!(#[doc = " Longer text is kept too."]),
            syn::parse_quote!(#[doc = "     indented code"]),
        ];
        assert_eq!(
            text(&attrs).as_deref(),
            Some("Adds two integers.\n\nLonger text is kept too.\n    indented code")
        );
    }

    #[test]
    fn blank_docs_are_no_description() {
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[doc = ""]),
            syn::parse_quote!(#[doc = "   "]),
        ];
        assert!(Description::from_docs(&attrs).is_none());
        assert!(Description::from_docs(&[]).is_none());
    }

    #[test]
    fn block_comments_are_split_into_lines() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(#[doc = "\n  First.\n\n  Second.\n"])];
        assert_eq!(text(&attrs).as_deref(), Some("First.\n\nSecond."));
    }

    #[test]
    fn non_literal_docs_become_concat() {
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[doc = " Intro."]),
            syn::parse_quote!(#[doc = include_str!("x.md")]),
        ];
        let Some(description) = Description::from_docs(&attrs) else {
            panic!("no description")
        };
        let tokens = description.to_tokens_at(Span::call_site()).to_string();
        assert_eq!(
            tokens,
            r#":: core :: concat ! ("Intro." , "\n" , include_str ! ("x.md"))"#
        );
    }
}
