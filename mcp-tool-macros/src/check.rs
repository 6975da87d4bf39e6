//! Checks that need more than one attribute or the whole signature: one small function per
//! rule, each reporting into the [`Ctxt`] with the offending token's span, none stopping the
//! others.

use std::collections::HashSet;

use syn::{
    FnArg, Lifetime, ParenthesizedGenericArguments, Type, TypeBareFn, TypeImplTrait, TypeReference,
    visit::{self, Visit},
};

use crate::{
    args::{Completers, StrList},
    ast::{Param, ParamKind, Tool, marker_word},
    ctxt::Ctxt,
};

/// Which attribute is being checked, for messages shared by the three macros.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Macro {
    /// `mcp_tool`, `mcp_resource`, `mcp_prompt`.
    pub(crate) attr: &'static str,
    /// `tool`, `resource`, `prompt`.
    pub(crate) noun: &'static str,
}

pub(crate) const TOOL: Macro = Macro {
    attr: "mcp_tool",
    noun: "tool",
};

/// Run every check.
pub(crate) fn check(cx: &Ctxt, tool: &Tool<'_>) {
    check_signature(cx, &tool.item.sig, TOOL);
    check_params(cx, tool);
    check_args_param(cx, tool);
    check_unique_param_names(cx, tool);
    check_output(cx, tool.output, TOOL);
    check_name(cx, tool);
    check_labels(
        cx,
        tool.title.as_ref(),
        tool.description.is_some(),
        tool.description_override.as_ref(),
        tool.ident,
        TOOL,
    );
    check_hints(cx, tool);
    check_access(cx, tool.scopes.as_ref(), tool.gateways.as_ref(), TOOL);
    check_client_capabilities(cx, tool);
}

/// A free, non-generic, safe, non-const Rust `fn` or `async fn`.
pub(crate) fn check_signature(cx: &Ctxt, sig: &syn::Signature, m: Macro) {
    let Macro { attr, noun } = m;
    if let Some(constness) = &sig.constness {
        cx.error_spanned_by(constness, format!("`#[{attr}]` cannot be used on a `const fn`: {noun}s run at request time; remove `const`"));
    }
    if let Some(unsafety) = &sig.unsafety {
        cx.error_spanned_by(unsafety, format!("`#[{attr}]` cannot be used on an `unsafe fn`: a remote caller cannot uphold its safety contract; make it safe and keep the `unsafe` block inside"));
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned_by(
            abi,
            format!("`#[{attr}]` cannot be used on an `extern` function: remove the ABI"),
        );
    }
    if !sig.generics.params.is_empty() {
        cx.error_spanned_by(&sig.generics, format!("`#[{attr}]` cannot be used on a generic function: a {noun} needs one concrete input and output type; remove the generic parameters"));
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        cx.error_spanned_by(where_clause, format!("`#[{attr}]` cannot be used on a function with a `where` clause: a {noun} needs concrete types"));
    }
    if let Some(FnArg::Receiver(receiver)) = sig.inputs.first() {
        cx.error_spanned_by(receiver, format!("`#[{attr}]` cannot be used on a method: {noun}s are free functions; take shared state as a `#[ctx] State<T>` parameter instead of `self`"));
    }
    // A receiver anywhere else is a syntax error rustc reports itself.
    if let Some(variadic) = &sig.variadic {
        cx.error_spanned_by(
            variadic,
            format!("`#[{attr}]` cannot be used on a variadic function"),
        );
    }
}

/// Per parameter: a name for plain parameters, owned concrete types, no `cfg`, and no field
/// attributes where there is no field.
fn check_params(cx: &Ctxt, tool: &Tool<'_>) {
    for param in &tool.params {
        if param.kind == ParamKind::Plain && param.ident().is_none() {
            cx.error_spanned_by(
                param.pat,
                "a tool parameter must be a plain name (`x` or `mut x`): the name is the argument's key in the input; destructure inside the body, or mark the parameter `#[args]`",
            );
        }
        let what = match param.kind {
            ParamKind::Ctx => "a `#[ctx]` parameter",
            _ => "a tool parameter",
        };
        check_type(cx, param.ty, what);
        for attr in &param.cfg_attrs {
            cx.error_spanned_by(attr, "`#[cfg]` on a tool parameter is not supported: the tool's input schema must not depend on the build configuration");
        }
        if param.kind != ParamKind::Plain {
            let word = marker_word(param.kind);
            for attr in &param.field_attrs {
                let hint = match param.kind {
                    ParamKind::Args => "put it on the fields of the argument struct instead",
                    _ => "a #[ctx] parameter is not part of the input",
                };
                cx.error_spanned_by(
                    attr,
                    format!("this attribute has no effect on a `#[{word}]` parameter: {hint}"),
                );
            }
        }
    }
}

/// At most one `#[args]`, and then no plain parameters beside it.
fn check_args_param(cx: &Ctxt, tool: &Tool<'_>) {
    let mut args = tool.params.iter().filter(|p| p.kind == ParamKind::Args);
    let Some(first) = args.next() else { return };
    for extra in args {
        if let Some(marker) = extra.marker {
            cx.error_spanned_by(
                marker,
                "only one parameter can be `#[args]`: its type is the whole input",
            );
        }
    }
    let args_ty = first.ty;
    for plain in tool.params.iter().filter(|p| p.kind == ParamKind::Plain) {
        let name = plain
            .ident()
            .map_or_else(|| "this parameter".to_owned(), |i| format!("`{i}`"));
        cx.error_spanned_by(
            plain.pat,
            format!(
                "{name} cannot be combined with an `#[args]` parameter, whose type `{}` is the whole input: move it into that type, or mark it `#[ctx]` if the runtime supplies it",
                quote::quote!(#args_ty).to_string().replace(' ', ""),
            ),
        );
    }
}

/// rustc rejects the function itself; skipping the expansion avoids a second error about the
/// generated struct's fields.
fn check_unique_param_names(cx: &Ctxt, tool: &Tool<'_>) {
    check_unique_names(cx, &tool.params);
}

/// Parameter names are unique (rustc says so too, but after a confusing expansion error).
pub(crate) fn check_unique_names(cx: &Ctxt, params: &[crate::ast::Param<'_>]) {
    let mut seen = HashSet::new();
    for ident in params.iter().filter_map(|p| p.ident()) {
        if !seen.insert(ident.to_string()) {
            cx.error_spanned_by(
                ident,
                format!("parameter `{ident}` is declared more than once"),
            );
        }
    }
}

/// The return type, when there is one, is owned.
pub(crate) fn check_output(cx: &Ctxt, output: Option<&Type>, m: Macro) {
    if let Some(ty) = output {
        check_type(cx, ty, &format!("a {}'s return type", m.noun));
    }
}

/// No `impl Trait` and no borrowing (only `'static` lifetimes) anywhere in `ty`.
pub(crate) fn check_type(cx: &Ctxt, ty: &Type, what: &str) {
    struct Finder<'c> {
        cx: &'c Ctxt,
        what: &'c str,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_type_impl_trait(&mut self, node: &'ast TypeImplTrait) {
            self.cx.error_spanned_by(
                node,
                format!("`impl Trait` is not supported in {}: name the concrete type (the macro needs it for the schema and the conversion)", self.what),
            );
        }
        fn visit_type_reference(&mut self, node: &'ast TypeReference) {
            match &node.lifetime {
                Some(lifetime) if lifetime.ident == "static" => {}
                Some(lifetime) => self.borrowed(lifetime),
                None => self.borrowed(node),
            }
            visit::visit_type(self, &node.elem);
        }
        fn visit_lifetime(&mut self, node: &'ast Lifetime) {
            if node.ident != "static" {
                self.borrowed(node);
            }
        }
        // Elided lifetimes in `fn(&T)` and `Fn(&T)` are higher-ranked, not borrows.
        fn visit_type_bare_fn(&mut self, _: &'ast TypeBareFn) {}
        fn visit_parenthesized_generic_arguments(
            &mut self,
            _: &'ast ParenthesizedGenericArguments,
        ) {
        }
    }
    impl Finder<'_> {
        fn borrowed(&self, at: impl quote::ToTokens) {
            self.cx.error_spanned_by(
                at,
                format!("{} cannot borrow (only `'static` references are allowed): a tool call owns its inputs and outputs; use an owned type such as `String` or `Vec<T>`", self.what),
            );
        }
    }
    Finder { cx, what }.visit_type(ty);
}

/// MCP tool names: 1 to 128 characters from `[A-Za-z0-9_.-]`.
pub(crate) fn is_valid_tool_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

fn check_name(cx: &Ctxt, tool: &Tool<'_>) {
    let name = &tool.name;
    if is_valid_tool_name(&name.value) {
        return;
    }
    let rule = "a tool name is 1 to 128 characters from `A-Z a-z 0-9 _ - .`";
    let msg = if name.explicit {
        format!("invalid tool name {:?}: {rule}", name.value)
    } else {
        format!(
            "the tool name defaults to the function's name `{}`, which is not a valid tool name ({rule}); set one with `name = \"...\"`",
            name.value
        )
    };
    cx.syn_error(syn::Error::new(name.span, msg));
}

/// The title, then the description: what every attribute shows to clients and models.
pub(crate) fn check_labels(
    cx: &Ctxt,
    title: Option<&syn::LitStr>,
    description_present: bool,
    description_written: Option<&syn::LitStr>,
    ident: &syn::Ident,
    m: Macro,
) {
    check_title_value(cx, title);
    check_description_present(cx, description_present, description_written, ident, m);
}

fn check_title_value(cx: &Ctxt, title: Option<&syn::LitStr>) {
    if let Some(title) = title
        && title.value().trim().is_empty()
    {
        cx.error_spanned_by(
            title,
            "`title` must not be empty; remove it to show the name instead",
        );
    }
}

/// A non-empty description, from the doc comment or `description = "..."`.
fn check_description_present(
    cx: &Ctxt,
    present: bool,
    written: Option<&syn::LitStr>,
    ident: &syn::Ident,
    m: Macro,
) {
    let Macro { attr, noun } = m;
    let why = if noun == "tool" {
        "models read it to decide when to call the tool".to_owned()
    } else {
        format!("clients and models read it to decide when to use the {noun}")
    };
    match (present, written) {
        (true, _) => {}
        (false, Some(lit)) => {
            cx.error_spanned_by(lit, format!("`description` must not be empty: {why}"));
        }
        (false, None) => cx.error_spanned_by(
            ident,
            format!("missing description for this {noun}: add a `///` doc comment to the function ({why}), or set `description = \"...\"` in `#[{attr}(...)]`"),
        ),
    }
}

/// `read_only` and `destructive` contradict each other.
fn check_hints(cx: &Ctxt, tool: &Tool<'_>) {
    if let (Some(read_only), Some(destructive)) = (tool.hints.read_only, tool.hints.destructive)
        && read_only.value
        && destructive.value
    {
        cx.syn_error(syn::Error::new(
            destructive.span,
            "a `read_only` tool cannot be `destructive`: it does not modify its environment",
        ));
    }
}

/// OAuth scope tokens (RFC 6749 §3.3): printable ASCII without space, `"` and `\`.
/// The scopes, then the gateways: who may see and call the item.
pub(crate) fn check_access(
    cx: &Ctxt,
    scopes: Option<&StrList>,
    gateways: Option<&StrList>,
    m: Macro,
) {
    check_scope_list(cx, scopes);
    check_gateway_list(cx, gateways, m);
}

fn check_scope_list(cx: &Ctxt, scopes: Option<&StrList>) {
    let Some(scopes) = scopes else { return };
    let valid = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
    };
    check_list(
        cx,
        scopes,
        "scope",
        valid,
        "a scope is a non-empty OAuth scope token: printable ASCII without spaces, `\"` or `\\`",
    );
}

/// Gateway names: non-empty `[A-Za-z0-9_-]`; the list itself must not be empty.
fn check_gateway_list(cx: &Ctxt, gateways: Option<&StrList>, m: Macro) {
    let Some(gateways) = gateways else {
        return;
    };
    if gateways.items.is_empty() {
        cx.syn_error(syn::Error::new(gateways.span, format!("`gateways` must name at least one gateway; remove it to serve the {} on the default gateway", m.noun)));
    }
    let valid = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    };
    check_list(
        cx,
        gateways,
        "gateway",
        valid,
        "a gateway name is non-empty and made of `A-Z a-z 0-9 _ -`",
    );
}

/// Client capability names are keys of the client's `capabilities` object.
fn check_client_capabilities(cx: &Ctxt, tool: &Tool<'_>) {
    let Some(capabilities) = &tool.client_capabilities else {
        return;
    };
    let valid = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
    };
    check_list(
        cx,
        capabilities,
        "client capability",
        valid,
        "a capability is a key of the client's `capabilities` object, such as `sampling` or `elicitation`",
    );
}

fn check_list(cx: &Ctxt, list: &StrList, what: &str, valid: impl Fn(&str) -> bool, rule: &str) {
    let mut seen = HashSet::new();
    for item in &list.items {
        let value = item.value();
        if !valid(&value) {
            cx.error_spanned_by(item, format!("invalid {what} {value:?}: {rule}"));
        } else if !seen.insert(value) {
            cx.error_spanned_by(
                item,
                format!("{what} {:?} is listed more than once", item.value()),
            );
        }
    }
}

/// A resource or prompt parameter: an owned type and none of the tool-only forms (`#[args]`,
/// `#[serde]`/`#[schemars]` field attributes, `cfg`). `args_why` says what plain parameters
/// are instead.
pub(crate) fn check_simple_param(cx: &Ctxt, param: &Param<'_>, m: Macro, args_why: &str) {
    let noun = m.noun;
    check_type(cx, param.ty, &format!("a {noun} parameter"));
    if let Some(marker) = param.marker.filter(|_| param.kind == ParamKind::Args) {
        cx.error_spanned_by(
            marker,
            format!("`#[args]` does not apply to {noun}s: {args_why}"),
        );
    }
    for attr in param.field_attrs.iter().chain(&param.cfg_attrs) {
        cx.error_spanned_by(
            attr,
            format!("this attribute is not supported on a {noun} parameter"),
        );
    }
}

/// Each `complete(arg = path)` names one of `known`, once; `unknown` words the message for a
/// name that is not.
pub(crate) fn check_completer_names(
    cx: &Ctxt,
    completers: &Completers,
    known: &[String],
    unknown: impl Fn(&str) -> String,
) {
    let mut seen = HashSet::new();
    for (arg, _) in &completers.entries {
        let name = arg.to_string();
        if !known.contains(&name) {
            cx.error_spanned_by(arg, unknown(&name));
        } else if !seen.insert(name.clone()) {
            cx.error_spanned_by(arg, format!("`{name}` has more than one completer"));
        }
    }
}
