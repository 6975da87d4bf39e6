//! `#[mcp_resource(...)]` arguments.
//!
//! ```text
//! entry := "uri" "=" LitStr | "template" "=" LitStr | "name" "=" LitStr | "title" "=" LitStr
//!        | "description" "=" LitStr | "mime_type" "=" LitStr
//!        | "scopes" "=" "[" LitStr,* "]" | "gateways" "=" "[" LitStr,* "]"
//!        | "complete" "(" (Ident "=" Path),* ")"
//! ```

use proc_macro2::Span;
use syn::{
    LitStr,
    parse::{Lookahead1, ParseStream},
};

use crate::{
    args::{
        Completers, Grammar, StrList, access_entry, complete_entry, describing_entry, parse_str,
        set_once, unknown_key,
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
        // `||` keeps the peeks in key order, which is the order "expected one of" lists them.
        let known = self.address_entry(cx, &lookahead, input)?
            || describing_entry(
                cx,
                &lookahead,
                input,
                &mut self.name,
                &mut self.title,
                &mut self.description,
            )?
            || self.mime_type_entry(cx, &lookahead, input)?
            || access_entry(cx, &lookahead, input, &mut self.scopes, &mut self.gateways)?
            || complete_entry(cx, &lookahead, input, &mut self.complete)?;
        if !known {
            return Err(unknown_key(input, lookahead.error(), Self::KEYS));
        }
        Ok(())
    }
}

impl ResourceArgs {
    /// `uri` or `template`: the keys only resources have, before the shared ones.
    fn address_entry(
        &mut self,
        cx: &Ctxt,
        lookahead: &Lookahead1<'_>,
        input: ParseStream<'_>,
    ) -> syn::Result<bool> {
        if lookahead.peek(kw::uri) {
            let key = input.parse::<kw::uri>()?;
            let value = parse_str(input)?;
            set_once(cx, &mut self.uri, key.span, symbol::URI, value);
        } else if lookahead.peek(kw::template) {
            let key = input.parse::<kw::template>()?;
            let value = parse_str(input)?;
            set_once(cx, &mut self.template, key.span, symbol::TEMPLATE, value);
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    /// `mime_type`, which only resources have.
    fn mime_type_entry(
        &mut self,
        cx: &Ctxt,
        lookahead: &Lookahead1<'_>,
        input: ParseStream<'_>,
    ) -> syn::Result<bool> {
        if !lookahead.peek(kw::mime_type) {
            return Ok(false);
        }
        let key = input.parse::<kw::mime_type>()?;
        let value = parse_str(input)?;
        set_once(cx, &mut self.mime_type, key.span, symbol::MIME_TYPE, value);
        Ok(true)
    }
}
