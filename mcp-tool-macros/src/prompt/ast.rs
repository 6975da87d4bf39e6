//! The model of one `#[mcp_prompt]` function.

use proc_macro2::Span;
use syn::{Ident, LitStr, Type, ext::IdentExt as _};

use super::args::PromptArgs;
use crate::{
    args::{Completers, StrList},
    ast::{self, ItemFn, Param, ParamKind},
    ctxt::Ctxt,
    doc::Description,
};

/// The prompt as the rest of the macro sees it.
#[derive(Debug)]
pub(crate) struct Prompt<'a> {
    pub(crate) item: &'a ItemFn,
    pub(crate) ident: &'a Ident,
    pub(crate) name: String,
    pub(crate) name_span: Span,
    pub(crate) explicit_name: bool,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<Description>,
    pub(crate) description_override: Option<LitStr>,
    pub(crate) scopes: Option<StrList>,
    pub(crate) gateways: Option<StrList>,
    pub(crate) complete: Option<(Span, Completers)>,
    pub(crate) params: Vec<Param<'a>>,
    pub(crate) output: Option<&'a Type>,
}

impl<'a> Prompt<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, args: PromptArgs, item: &'a ItemFn) -> Self {
        let ident = &item.sig.ident;
        let (name, name_span, explicit_name) = match &args.name {
            Some(lit) => (lit.value(), lit.span(), true),
            None => (ident.unraw().to_string(), ident.span(), false),
        };
        Self {
            item,
            ident,
            name,
            name_span,
            explicit_name,
            title: args.title,
            description: ast::description(args.description.as_ref(), &item.attrs),
            description_override: args.description,
            scopes: args.scopes,
            gateways: args.gateways,
            complete: args.complete,
            params: ast::params(cx, item),
            output: ast::output(item),
        }
    }

    /// The prompt's argument names: its plain parameters.
    pub(crate) fn argument_names(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|p| p.kind == ParamKind::Plain)
            .filter_map(|p| p.ident().map(|i| i.unraw().to_string()))
            .collect()
    }
}
