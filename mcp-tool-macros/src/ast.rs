//! The model of one `#[mcp_tool]` function, built from the parsed item and arguments.
//!
//! Building never fails fast: problems are reported into the [`Ctxt`] and the model is
//! completed as well as possible, so `check.rs` can find the remaining mistakes too.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::{
    Attribute, FnArg, Ident, LitStr, Meta, Pat, ReturnType, Signature, Type, Visibility,
    ext::IdentExt as _,
    parse::{Parse, ParseStream},
    token::Brace,
};

use crate::{
    args::{Flag, StrList, ToolArgs},
    ctxt::Ctxt,
    doc::Description,
    symbol,
};

/// A function item whose body is kept as raw tokens: the macro never looks inside it, and a
/// body that `syn` could not parse (the user is mid-edit) still gets the full expansion.
#[derive(Debug)]
pub(crate) struct ItemFn {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    pub(crate) body: TokenStream,
}

impl Parse for ItemFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        if !input.peek(Brace) {
            return Err(
                input.error("expected the function's body: `#[mcp_tool]` needs a `{ ... }` block")
            );
        }
        let body = input.parse::<proc_macro2::Group>()?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the function"));
        }
        Ok(Self {
            attrs,
            vis,
            sig,
            body: TokenTree::Group(body).into(),
        })
    }
}

/// The tool as the rest of the macro sees it.
#[derive(Debug)]
pub(crate) struct Tool<'a> {
    pub(crate) item: &'a ItemFn,
    pub(crate) ident: &'a Ident,
    pub(crate) name: ToolName,
    pub(crate) title: Option<LitStr>,
    /// `None` when neither a doc comment nor `description = "..."` gives one.
    pub(crate) description: Option<Description>,
    /// Where an explicit `description = ""` was written (to report it empty).
    pub(crate) description_override: Option<LitStr>,
    pub(crate) hints: Hints,
    pub(crate) scopes: Option<StrList>,
    pub(crate) gateways: Option<StrList>,
    /// Client capabilities the tool needs (`sampling`, `elicitation`, …).
    pub(crate) client_capabilities: Option<StrList>,
    pub(crate) params: Vec<Param<'a>>,
    /// The declared return type; `None` for `()` written as nothing.
    pub(crate) output: Option<&'a Type>,
}

/// The tool's name and where it came from.
#[derive(Debug)]
pub(crate) struct ToolName {
    pub(crate) value: String,
    pub(crate) span: Span,
    /// `name = "..."` was given (else the name is the function's).
    pub(crate) explicit: bool,
}

/// Behaviour hints (`ToolAnnotations`).
#[derive(Debug, Default)]
pub(crate) struct Hints {
    pub(crate) read_only: Option<Flag>,
    pub(crate) destructive: Option<Flag>,
    pub(crate) idempotent: Option<Flag>,
    pub(crate) open_world: Option<Flag>,
}

impl Hints {
    pub(crate) const fn is_empty(&self) -> bool {
        self.read_only.is_none()
            && self.destructive.is_none()
            && self.idempotent.is_none()
            && self.open_world.is_none()
    }
}

/// What a parameter is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamKind {
    /// One property of the generated input struct (the default).
    Plain,
    /// `#[ctx]`: supplied by the runtime, not part of the input.
    Ctx,
    /// `#[args]`: its type is the whole input.
    Args,
}

/// One parameter of the function.
#[derive(Debug)]
pub(crate) struct Param<'a> {
    pub(crate) kind: ParamKind,
    /// The `#[ctx]` / `#[args]` attribute, if any.
    pub(crate) marker: Option<&'a Attribute>,
    pub(crate) pat: &'a Pat,
    pub(crate) ty: &'a Type,
    /// `///` docs: become the property's description.
    pub(crate) docs: Vec<&'a Attribute>,
    /// `#[serde(...)]` and `#[schemars(...)]`: moved onto the generated field.
    pub(crate) field_attrs: Vec<&'a Attribute>,
    /// `#[cfg]` / `#[cfg_attr]`: rejected.
    pub(crate) cfg_attrs: Vec<&'a Attribute>,
}

impl Param<'_> {
    /// The parameter's name when its pattern is `x` or `mut x`.
    pub(crate) fn ident(&self) -> Option<&Ident> {
        match self.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => Some(&p.ident),
            _ => None,
        }
    }

    /// True when the generated field must have the user's concrete type: `#[serde(...)]`
    /// attributes such as `default = "path"` or `deserialize_with` need it. Other fields are
    /// generic, which keeps rustc's errors about unusable types at the user's type.
    pub(crate) fn needs_concrete_field(&self) -> bool {
        self.field_attrs
            .iter()
            .any(|attr| attr.path() == symbol::SERDE)
    }
}

/// Attributes `#[mcp_tool]` consumes from parameters (rustc rejects most of them there).
pub(crate) fn is_consumed_param_attr(attr: &Attribute) -> bool {
    let path = attr.path();
    path == symbol::DOC
        || path == symbol::CTX
        || path == symbol::ARGS
        || path == symbol::SERDE
        || path == symbol::SCHEMARS
}

impl<'a> Tool<'a> {
    /// Build the model; problems go to `cx`.
    pub(crate) fn from_ast(cx: &Ctxt, args: ToolArgs, item: &'a ItemFn) -> Self {
        let ident = &item.sig.ident;
        let name = match &args.name {
            Some(lit) => ToolName {
                value: lit.value(),
                span: lit.span(),
                explicit: true,
            },
            None => ToolName {
                value: ident.unraw().to_string(),
                span: ident.span(),
                explicit: false,
            },
        };
        let description = match &args.description {
            Some(lit) => Description::from_literal(&lit.value()),
            None => Description::from_docs(&item.attrs),
        };
        let params = params(cx, item);
        let output = output(item);
        Self {
            item,
            ident,
            name,
            title: args.title,
            description,
            description_override: args.description,
            hints: Hints {
                read_only: args.read_only,
                destructive: args.destructive,
                idempotent: args.idempotent,
                open_world: args.open_world,
            },
            scopes: args.scopes,
            gateways: args.gateways,
            client_capabilities: args.client_capabilities,
            params,
            output,
        }
    }

    /// True for `async fn`.
    pub(crate) const fn is_async(&self) -> bool {
        self.item.sig.asyncness.is_some()
    }
}

/// The function's parameters (a receiver is reported by the checks).
pub(crate) fn params<'a>(cx: &Ctxt, item: &'a ItemFn) -> Vec<Param<'a>> {
    item.sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            FnArg::Typed(pat_type) => Some(param(cx, &pat_type.attrs, &pat_type.pat, &pat_type.ty)),
            FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The declared return type; `None` for `()` written as nothing.
pub(crate) fn output(item: &ItemFn) -> Option<&Type> {
    match &item.sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some(&**ty),
    }
}

/// The description: `description = "..."` if given, else the doc comment.
pub(crate) fn description(written: Option<&LitStr>, attrs: &[Attribute]) -> Option<Description> {
    match written {
        Some(lit) => Description::from_literal(&lit.value()),
        None => Description::from_docs(attrs),
    }
}

fn param<'a>(cx: &Ctxt, attrs: &'a [Attribute], pat: &'a Pat, ty: &'a Type) -> Param<'a> {
    let mut out = Param {
        kind: ParamKind::Plain,
        marker: None,
        pat,
        ty,
        docs: Vec::new(),
        field_attrs: Vec::new(),
        cfg_attrs: Vec::new(),
    };
    for attr in attrs {
        let path = attr.path();
        let kind = if path == symbol::CTX {
            ParamKind::Ctx
        } else if path == symbol::ARGS {
            ParamKind::Args
        } else {
            if path == symbol::DOC {
                out.docs.push(attr);
            } else if path == symbol::SERDE || path == symbol::SCHEMARS {
                out.field_attrs.push(attr);
            } else if path == symbol::CFG || path == symbol::CFG_ATTR {
                out.cfg_attrs.push(attr);
            }
            continue;
        };
        if !matches!(attr.meta, Meta::Path(_)) {
            cx.error_spanned_by(
                attr,
                format!("`#[{}]` takes no arguments", marker_word(kind)),
            );
        }
        match out.marker {
            Some(_) if out.kind == kind => {
                cx.error_spanned_by(attr, format!("`#[{}]` specified more than once", marker_word(kind)));
            }
            Some(_) => cx.error_spanned_by(
                attr,
                "a parameter is either `#[ctx]` (supplied by the runtime) or `#[args]` (the whole input), not both",
            ),
            None => {
                out.kind = kind;
                out.marker = Some(attr);
            }
        }
    }
    out
}

/// The marker's name, for messages.
pub(crate) const fn marker_word(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Plain => "",
        ParamKind::Ctx => symbol::CTX.as_str(),
        ParamKind::Args => symbol::ARGS.as_str(),
    }
}
