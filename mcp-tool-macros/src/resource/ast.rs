//! The model of one `#[mcp_resource]` function.

use proc_macro2::Span;
use syn::{Ident, LitStr, Type, ext::IdentExt as _};

use super::args::ResourceArgs;
use crate::{
    args::{Completers, StrList},
    ast::{self, ItemFn, Param},
    ctxt::Ctxt,
    doc::Description,
};

/// Where the resource lives: a fixed URI or a URI template.
#[derive(Debug)]
pub(crate) enum Address {
    Uri(LitStr),
    /// A URI template.
    Template(LitStr),
    /// Neither was given (reported by the checks).
    Missing,
}

/// The resource as the rest of the macro sees it.
#[derive(Debug)]
pub(crate) struct Resource<'a> {
    pub(crate) item: &'a ItemFn,
    pub(crate) ident: &'a Ident,
    pub(crate) address: Address,
    /// `uri` given as well as `template` (reported by the checks).
    pub(crate) extra_uri: Option<LitStr>,
    pub(crate) name: String,
    pub(crate) name_lit: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<Description>,
    pub(crate) description_override: Option<LitStr>,
    pub(crate) mime_type: Option<LitStr>,
    pub(crate) scopes: Option<StrList>,
    pub(crate) gateways: Option<StrList>,
    pub(crate) complete: Option<(Span, Completers)>,
    pub(crate) params: Vec<Param<'a>>,
    pub(crate) output: Option<&'a Type>,
}

impl<'a> Resource<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, args: ResourceArgs, item: &'a ItemFn) -> Self {
        let ident = &item.sig.ident;
        let (address, extra_uri) = match (args.template, args.uri) {
            (Some(template), uri) => (Address::Template(template), uri),
            (None, Some(uri)) => (Address::Uri(uri), None),
            (None, None) => (Address::Missing, None),
        };
        Self {
            item,
            ident,
            address,
            extra_uri,
            name: args
                .name
                .as_ref()
                .map_or_else(|| ident.unraw().to_string(), LitStr::value),
            name_lit: args.name,
            title: args.title,
            description: ast::description(args.description.as_ref(), &item.attrs),
            description_override: args.description,
            mime_type: args.mime_type,
            scopes: args.scopes,
            gateways: args.gateways,
            complete: args.complete,
            params: ast::params(cx, item),
            output: ast::output(item),
        }
    }

    /// The template's variable names (empty for a fixed URI or a malformed template).
    pub(crate) fn variables(&self) -> Vec<String> {
        match &self.address {
            Address::Template(lit) => template_variables(&lit.value()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// `{var}` / `{+var}` names of an RFC 6570 template; `None` when it is malformed (the same
/// rule the runtime applies when it matches URIs).
pub(crate) fn template_variables(template: &str) -> Option<Vec<String>> {
    let mut vars = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if rest[..open].contains('}') {
            return None;
        }
        let close = rest[open..].find('}')? + open;
        let inner = &rest[open + 1..close];
        let name = inner.strip_prefix('+').unwrap_or(inner);
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        vars.push(name.to_owned());
        rest = &rest[close + 1..];
    }
    (!rest.contains('}')).then_some(vars)
}
