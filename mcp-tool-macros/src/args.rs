//! `#[mcp_tool(...)]` arguments: a strict grammar parsed with `lookahead1`.
//!
//! ```text
//! args  := (entry ("," entry)* ","?)?
//! entry := "name" "=" LitStr | "title" "=" LitStr | "description" "=" LitStr
//!        | flag ("=" LitBool)?            flag := read_only | destructive | idempotent | open_world
//!        | "scopes" "=" "[" LitStr,* "]"  | "gateways" "=" "[" LitStr,* "]"
//!        | "client_capabilities" "=" "[" LitStr,* "]"
//! ```
//!
//! `#[mcp_resource(...)]` and `#[mcp_prompt(...)]` share this machinery ([`Grammar`],
//! [`parse`]) and the value parsers; each declares its own keys.
//!
//! Parsing never stops at the first mistake: a malformed entry is reported into the
//! [`Ctxt`] and skipped up to the next top-level comma, and a repeated key is reported at its
//! second occurrence. Checks on the values themselves (name syntax, gateway names) live in
//! `check.rs`.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::{
    Ident, LitBool, LitStr, Path, Token, bracketed,
    ext::IdentExt as _,
    parenthesized,
    parse::{Lookahead1, ParseStream, Parser},
    punctuated::Punctuated,
};

use crate::{
    ctxt::Ctxt,
    symbol::{self, Symbol, kw},
};

/// A boolean behaviour hint: `read_only` or `read_only = false`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flag {
    pub(crate) value: bool,
    /// The key, or the literal when one was given.
    pub(crate) span: Span,
}

/// A `["a", "b"]` list.
#[derive(Debug, Clone)]
pub(crate) struct StrList {
    /// The whole bracketed list.
    pub(crate) span: Span,
    pub(crate) items: Vec<LitStr>,
}

/// Everything `#[mcp_tool(...)]` can say; each key at most once.
#[derive(Debug, Default)]
pub(crate) struct ToolArgs {
    pub(crate) name: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) read_only: Option<Flag>,
    pub(crate) destructive: Option<Flag>,
    pub(crate) idempotent: Option<Flag>,
    pub(crate) open_world: Option<Flag>,
    pub(crate) scopes: Option<StrList>,
    pub(crate) gateways: Option<StrList>,
    pub(crate) client_capabilities: Option<StrList>,
}

impl ToolArgs {
    /// Parse the attribute's tokens, reporting every problem into `cx`.
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Self {
        parse(cx, tokens)
    }
}

/// One attribute's key grammar: its keys (for suggestions) and how to read one entry.
pub(crate) trait Grammar: Default {
    /// Every key, for "did you mean" suggestions.
    const KEYS: &'static [Symbol];
    /// Parse one `key = value` entry into `self`; unknown keys are reported with
    /// [`unknown_key`].
    fn entry(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> syn::Result<()>;
}

/// Parse an attribute's tokens with grammar `G`, reporting every problem into `cx`.
pub(crate) fn parse<G: Grammar>(cx: &Ctxt, tokens: TokenStream) -> G {
    let mut args = G::default();
    let parser = |input: ParseStream<'_>| {
        parse_entries(cx, &mut args, input);
        Ok(())
    };
    // `parse_entries` consumes all input and reports into `cx`; this cannot fail.
    if let Err(err) = parser.parse2(tokens) {
        cx.syn_error(err);
    }
    args
}

impl Grammar for ToolArgs {
    const KEYS: &'static [Symbol] = &KEYS;

    fn entry(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> syn::Result<()> {
        parse_entry(cx, self, input)
    }
}

fn parse_entries<G: Grammar>(cx: &Ctxt, args: &mut G, input: ParseStream<'_>) {
    while !input.is_empty() {
        if let Err(err) = args.entry(cx, input) {
            cx.syn_error(err);
            skip_to_comma(input);
        }
        if input.is_empty() {
            break;
        }
        if let Err(err) = input.parse::<Token![,]>() {
            cx.syn_error(err);
            skip_to_comma(input);
            // `skip_to_comma` stops before a comma (or at the end): eat it.
            let _ = input.parse::<Option<Token![,]>>();
        }
    }
}

/// Skip one malformed entry: everything up to (not including) the next top-level comma.
pub(crate) fn skip_to_comma(input: ParseStream<'_>) {
    while !input.is_empty() && !input.peek(Token![,]) {
        if input.parse::<TokenTree>().is_err() {
            break;
        }
    }
}

fn parse_entry(cx: &Ctxt, args: &mut ToolArgs, input: ParseStream<'_>) -> syn::Result<()> {
    let lookahead = input.lookahead1();
    // `||` keeps the peeks in key order, which is the order "expected one of" lists them.
    let known = describing_entry(
        cx,
        &lookahead,
        input,
        &mut args.name,
        &mut args.title,
        &mut args.description,
    )? || hint_entry(cx, &lookahead, input, args)?
        || access_entry(cx, &lookahead, input, &mut args.scopes, &mut args.gateways)?
        || capabilities_entry(cx, &lookahead, input, args)?;
    if !known {
        return Err(unknown_key(input, lookahead.error(), &KEYS));
    }
    Ok(())
}

/// The behaviour hints, which only tools have.
fn hint_entry(
    cx: &Ctxt,
    lookahead: &Lookahead1<'_>,
    input: ParseStream<'_>,
    args: &mut ToolArgs,
) -> syn::Result<bool> {
    if lookahead.peek(kw::read_only) {
        let key = input.parse::<kw::read_only>()?;
        let value = parse_flag(input, key.span)?;
        set_once(cx, &mut args.read_only, key.span, symbol::READ_ONLY, value);
    } else if lookahead.peek(kw::destructive) {
        let key = input.parse::<kw::destructive>()?;
        let value = parse_flag(input, key.span)?;
        set_once(
            cx,
            &mut args.destructive,
            key.span,
            symbol::DESTRUCTIVE,
            value,
        );
    } else if lookahead.peek(kw::idempotent) {
        let key = input.parse::<kw::idempotent>()?;
        let value = parse_flag(input, key.span)?;
        set_once(
            cx,
            &mut args.idempotent,
            key.span,
            symbol::IDEMPOTENT,
            value,
        );
    } else if lookahead.peek(kw::open_world) {
        let key = input.parse::<kw::open_world>()?;
        let value = parse_flag(input, key.span)?;
        set_once(
            cx,
            &mut args.open_world,
            key.span,
            symbol::OPEN_WORLD,
            value,
        );
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// `client_capabilities`, which only tools have.
fn capabilities_entry(
    cx: &Ctxt,
    lookahead: &Lookahead1<'_>,
    input: ParseStream<'_>,
    args: &mut ToolArgs,
) -> syn::Result<bool> {
    if !lookahead.peek(kw::client_capabilities) {
        return Ok(false);
    }
    let key = input.parse::<kw::client_capabilities>()?;
    let value = parse_list(input)?;
    set_once(
        cx,
        &mut args.client_capabilities,
        key.span,
        symbol::CLIENT_CAPABILITIES,
        value,
    );
    Ok(true)
}

/// The describing keys every attribute takes: `name`, `title`, `description`. Returns
/// whether the entry was one of them; the peeks are recorded in `lookahead`, so its
/// "expected one of" lists them in the caller's key order.
pub(crate) fn describing_entry(
    cx: &Ctxt,
    lookahead: &Lookahead1<'_>,
    input: ParseStream<'_>,
    name: &mut Option<LitStr>,
    title: &mut Option<LitStr>,
    description: &mut Option<LitStr>,
) -> syn::Result<bool> {
    if lookahead.peek(kw::name) {
        let key = input.parse::<kw::name>()?;
        let value = parse_str(input)?;
        set_once(cx, name, key.span, symbol::NAME, value);
    } else if lookahead.peek(kw::title) {
        let key = input.parse::<kw::title>()?;
        let value = parse_str(input)?;
        set_once(cx, title, key.span, symbol::TITLE, value);
    } else if lookahead.peek(kw::description) {
        let key = input.parse::<kw::description>()?;
        let value = parse_str(input)?;
        set_once(cx, description, key.span, symbol::DESCRIPTION, value);
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// The access keys every attribute takes: `scopes`, `gateways`. Returns whether the entry
/// was one of them.
pub(crate) fn access_entry(
    cx: &Ctxt,
    lookahead: &Lookahead1<'_>,
    input: ParseStream<'_>,
    scopes: &mut Option<StrList>,
    gateways: &mut Option<StrList>,
) -> syn::Result<bool> {
    if lookahead.peek(kw::scopes) {
        let key = input.parse::<kw::scopes>()?;
        let value = parse_list(input)?;
        set_once(cx, scopes, key.span, symbol::SCOPES, value);
    } else if lookahead.peek(kw::gateways) {
        let key = input.parse::<kw::gateways>()?;
        let value = parse_list(input)?;
        set_once(cx, gateways, key.span, symbol::GATEWAYS, value);
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// `complete(...)`, taken by resources and prompts. Returns whether the entry was it.
pub(crate) fn complete_entry(
    cx: &Ctxt,
    lookahead: &Lookahead1<'_>,
    input: ParseStream<'_>,
    complete: &mut Option<(Span, Completers)>,
) -> syn::Result<bool> {
    if !lookahead.peek(kw::complete) {
        return Ok(false);
    }
    let key = input.parse::<kw::complete>()?;
    let value = parse_completers(input)?;
    set_once(cx, complete, key.span, symbol::COMPLETE, (key.span, value));
    Ok(true)
}

/// Every key, for suggestions.
const KEYS: [Symbol; 10] = [
    symbol::NAME,
    symbol::TITLE,
    symbol::DESCRIPTION,
    symbol::READ_ONLY,
    symbol::DESTRUCTIVE,
    symbol::IDEMPOTENT,
    symbol::OPEN_WORLD,
    symbol::SCOPES,
    symbol::GATEWAYS,
    symbol::CLIENT_CAPABILITIES,
];

/// `lookahead1`'s "expected one of: …", prefixed with the unknown key and a suggestion when
/// the key looks like a misspelt one.
pub(crate) fn unknown_key(
    input: ParseStream<'_>,
    expected: syn::Error,
    keys: &[Symbol],
) -> syn::Error {
    let Ok(ident) = input.fork().call(Ident::parse_any) else {
        return expected;
    };
    let typed = ident.to_string();
    let normalized = |s: &str| s.replace(['_', '-'], "").to_ascii_lowercase();
    let suggestion = keys
        .iter()
        .find(|key| {
            normalized(key.as_str()) == normalized(&typed)
                || edit_distance(key.as_str(), &typed) <= 2
        })
        .map(|key| format!(" (did you mean `{key}`?)"))
        .unwrap_or_default();
    syn::Error::new(
        ident.span(),
        format!("unknown argument `{typed}`{suggestion}; {expected}"),
    )
}

/// Levenshtein distance, for short keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

/// Keep the first value of a key; report every later one at its key.
pub(crate) fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, key: Span, word: Symbol, value: T) {
    if slot.is_some() {
        cx.syn_error(syn::Error::new(
            key,
            format!("`{word}` specified more than once"),
        ));
    } else {
        *slot = Some(value);
    }
}

/// `= "text"`
pub(crate) fn parse_str(input: ParseStream<'_>) -> syn::Result<LitStr> {
    input.parse::<Token![=]>()?;
    input.parse()
}

/// Nothing (true) or `= true` / `= false`.
fn parse_flag(input: ParseStream<'_>, key: Span) -> syn::Result<Flag> {
    if !input.peek(Token![=]) {
        return Ok(Flag {
            value: true,
            span: key,
        });
    }
    input.parse::<Token![=]>()?;
    let lit = input.parse::<LitBool>().map_err(|err| {
        syn::Error::new(
            err.span(),
            "expected `true` or `false` (or the bare key, meaning true)",
        )
    })?;
    Ok(Flag {
        value: lit.value,
        span: lit.span,
    })
}

/// `= ["a", "b"]`
fn parse_list(input: ParseStream<'_>) -> syn::Result<StrList> {
    input.parse::<Token![=]>()?;
    let content;
    let brackets = bracketed!(content in input);
    let items = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(StrList {
        span: brackets.span.join(),
        items: items.into_iter().collect(),
    })
}

/// `complete(arg = path, ...)`: a completion function per argument.
#[derive(Debug, Clone)]
pub(crate) struct Completers {
    pub(crate) entries: Vec<(Ident, Path)>,
}

/// `(arg = path, other = path)`
fn parse_completers(input: ParseStream<'_>) -> syn::Result<Completers> {
    let content;
    parenthesized!(content in input);
    let mut entries = Vec::new();
    while !content.is_empty() {
        let arg = content.call(Ident::parse_any)?;
        content.parse::<Token![=]>()?;
        let path = content.parse::<Path>()?;
        entries.push((arg, path));
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(Completers { entries })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(tokens: TokenStream) -> (ToolArgs, Result<(), syn::Error>) {
        let cx = Ctxt::new();
        let args = ToolArgs::parse(&cx, tokens);
        (args, cx.check())
    }

    #[test]
    fn full_grammar() {
        let (args, result) = parse(quote!(
            name = "a.b",
            title = "T",
            description = "D",
            read_only,
            destructive = false,
            idempotent = true,
            open_world,
            scopes = ["x", "y"],
            gateways = ["default"],
        ));
        assert!(result.is_ok());
        assert_eq!(args.name.map(|n| n.value()).as_deref(), Some("a.b"));
        assert_eq!(args.destructive.map(|f| f.value), Some(false));
        assert_eq!(args.read_only.map(|f| f.value), Some(true));
        assert_eq!(args.scopes.map(|s| s.items.len()), Some(2));
    }

    #[test]
    fn reports_every_mistake() {
        let (_, result) =
            parse(quote!(nmae = "x", read_only = 1, title = "a" title = "b", scopes = "x"));
        let messages: Vec<String> = result
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages[0].starts_with(
            "unknown argument `nmae` (did you mean `name`?); expected one of: `name`"
        ));
        assert!(messages[1].starts_with("expected `true` or `false`"));
        assert_eq!(messages[2], "expected `,`");
        assert_eq!(messages[3], "expected square brackets");
    }

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("read_only", "readonly"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("gateways", "gateways"), 0);
    }
}
