//! `#[mcp_prompt(...)]` arguments.
//!
//! ```text
//! entry := "name" "=" LitStr | "title" "=" LitStr | "description" "=" LitStr
//!        | "scopes" "=" "[" LitStr,* "]" | "gateways" "=" "[" LitStr,* "]"
//!        | "complete" "(" (Ident "=" Path),* ")"
//! ```

use proc_macro2::Span;
use syn::{LitStr, parse::ParseStream};

use crate::{
    args::{
        Completers, Grammar, StrList, access_entry, complete_entry, describing_entry, unknown_key,
    },
    ctxt::Ctxt,
    symbol::{self, Symbol},
};

/// Everything `#[mcp_prompt(...)]` can say; each key at most once.
#[derive(Debug, Default)]
pub(crate) struct PromptArgs {
    pub(crate) name: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) scopes: Option<StrList>,
    pub(crate) gateways: Option<StrList>,
    pub(crate) complete: Option<(Span, Completers)>,
}

impl Grammar for PromptArgs {
    const KEYS: &'static [Symbol] = &[
        symbol::NAME,
        symbol::TITLE,
        symbol::DESCRIPTION,
        symbol::SCOPES,
        symbol::GATEWAYS,
        symbol::COMPLETE,
    ];

    fn entry(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> syn::Result<()> {
        let lookahead = input.lookahead1();
        // `||` keeps the peeks in key order, which is the order "expected one of" lists them.
        let known =
            describing_entry(
                cx,
                &lookahead,
                input,
                &mut self.name,
                &mut self.title,
                &mut self.description,
            )? || access_entry(cx, &lookahead, input, &mut self.scopes, &mut self.gateways)?
                || complete_entry(cx, &lookahead, input, &mut self.complete)?;
        if !known {
            return Err(unknown_key(input, lookahead.error(), Self::KEYS));
        }
        Ok(())
    }
}
