//! `#[mcp_resource(...)]` arguments.
//!
//! ```text
//! entry := "uri" "=" LitStr | "template" "=" LitStr | "name" "=" LitStr | "title" "=" LitStr
//!        | "description" "=" LitStr | "mime_type" "=" LitStr
//!        | "scopes" "=" "[" LitStr,* "]" | "gateways" "=" "[" LitStr,* "]"
//!        | "complete" "(" (Ident "=" Path),* ")"
//! ```

use proc_macro2::Span;
use syn::{LitStr, parse::ParseStream};

use crate::{
    args::{
        Completers, Grammar, StrList, parse_completers, parse_list, parse_str, set_once,
        unknown_key,
    },
    ctxt::Ctxt,
    symbol::{self, Symbol, kw},
};

/// Everything `#[mcp_resource(...)]` can say; each key at most once.
#[derive(Debug, Default)]
pub(crate) struct ResourceArgs {
    pub(crate) uri: Option<LitStr>,
    pub(crate) template: Option<LitStr>,
    pub(crate) name: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) mime_type: Option<LitStr>,
    pub(crate) scopes: Option<StrList>,
    pub(crate) gateways: Option<StrList>,
    pub(crate) complete: Option<(Span, Completers)>,
}

impl Grammar for ResourceArgs {
    const KEYS: &'static [Symbol] = &[
        symbol::URI,
        symbol::TEMPLATE,
        symbol::NAME,
        symbol::TITLE,
        symbol::DESCRIPTION,
        symbol::MIME_TYPE,
        symbol::SCOPES,
        symbol::GATEWAYS,
        symbol::COMPLETE,
    ];

    fn entry(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> syn::Result<()> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::uri) {
            let key = input.parse::<kw::uri>()?;
            let value = parse_str(input)?;
            set_once(cx, &mut self.uri, key.span, symbol::URI, value);
        } else if lookahead.peek(kw::template) {
            let key = input.parse::<kw::template>()?;
            let value = parse_str(input)?;
            set_once(cx, &mut self.template, key.span, symbol::TEMPLATE, value);
        } else if lookahead.peek(kw::name) {
            let key = input.parse::<kw::name>()?;
            let value = parse_str(input)?;
            set_once(cx, &mut self.name, key.span, symbol::NAME, value);
        } else if lookahead.peek(kw::title) {
            let key = input.parse::<kw::title>()?;
            let value = parse_str(input)?;
            set_once(cx, &mut self.title, key.span, symbol::TITLE, value);
        } else if lookahead.peek(kw::description) {
            let key = input.parse::<kw::description>()?;
            let value = parse_str(input)?;
            set_once(
                cx,
                &mut self.description,
                key.span,
                symbol::DESCRIPTION,
                value,
            );
        } else if lookahead.peek(kw::mime_type) {
            let key = input.parse::<kw::mime_type>()?;
            let value = parse_str(input)?;
            set_once(cx, &mut self.mime_type, key.span, symbol::MIME_TYPE, value);
        } else if lookahead.peek(kw::scopes) {
            let key = input.parse::<kw::scopes>()?;
            let value = parse_list(input)?;
            set_once(cx, &mut self.scopes, key.span, symbol::SCOPES, value);
        } else if lookahead.peek(kw::gateways) {
            let key = input.parse::<kw::gateways>()?;
            let value = parse_list(input)?;
            set_once(cx, &mut self.gateways, key.span, symbol::GATEWAYS, value);
        } else if lookahead.peek(kw::complete) {
            let key = input.parse::<kw::complete>()?;
            let value = parse_completers(input)?;
            set_once(
                cx,
                &mut self.complete,
                key.span,
                symbol::COMPLETE,
                (key.span, value),
            );
        } else {
            return Err(unknown_key(input, lookahead.error(), Self::KEYS));
        }
        Ok(())
    }
}
