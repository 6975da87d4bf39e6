//! Code generation: the user's function, unchanged, followed by one `const _: () = { ... };`
//! block that registers it. Only this module writes tokens.
//!
//! Every path is absolute (`::mcp_runtime::__private::…`, `::core::…`) and every generated
//! name starts with `__mcp`/`__Mcp`, so user items named `Result`, `Ok`, `Box`, `Option`, … in
//! scope change nothing.
//!
//! Type checks are left to rustc. All of the user's parameter types meet their trait bound
//! (`ToolParam`, or `FromToolContext` for `#[ctx]`) in exactly one place: the turbofish of
//! the generic `const fn __mcp_tool::<…>()` called in `inventory::submit!`, where each type
//! argument is the user's own tokens. An unusable type is therefore reported once, at the
//! user's type, with the runtime's `#[diagnostic::on_unimplemented]` message. Everything
//! that deserializes or describes the input (the generated `__McpArgs` struct and its
//! derives, `__mcp_call`) is generic over those types, so it cannot fail a second time. A
//! parameter with `#[serde(...)]` attributes keeps its concrete type in the struct instead
//! (`default = "path"` and `deserialize_with` need it).

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{FnArg, Type, spanned::Spanned as _};

use crate::{
    args::{Completers, StrList},
    ast::{ItemFn, Param, ParamKind, Tool, is_consumed_param_attr},
    doc::Description,
};

/// The user's function as written, minus the parameter attributes only `#[mcp_tool]`
/// understands (`///`, `#[ctx]`, `#[args]`, `#[serde]`, `#[schemars]`), plus
/// `#[allow(clippy::needless_pass_by_value)]`.
pub(crate) fn user_fn(item: &ItemFn) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        body,
    } = item;
    let mut sig = sig.clone();
    for input in &mut sig.inputs {
        if let FnArg::Typed(pat_type) = input {
            pat_type.attrs.retain(|attr| !is_consumed_param_attr(attr));
        }
    }
    // The one addition: tool parameters must be owned (the call outlives the request), so
    // clippy's advice to borrow them instead cannot be followed.
    quote! {
        #(#attrs)*
        #[allow(clippy::needless_pass_by_value)]
        #vis #sig #body
    }
}

/// The full expansion of a tool that passed every check.
pub(crate) fn expand(tool: &Tool<'_>) -> TokenStream {
    let user_fn = user_fn(tool.item);
    let registration = registration(tool);
    quote! {
        #user_fn
        #registration
    }
}

/// How one parameter reaches the user's function.
struct Slot<'a> {
    kind: ParamKind,
    ty: &'a syn::Type,
    /// The generic parameter standing for the user's type (`None`: concrete field).
    generic: Option<Ident>,
    /// The local holding the value in `__mcp_call`.
    local: Ident,
    /// `type __McpTy{i} = <the user's type>;`: generic items name the type only through
    /// this alias, so a type that does not resolve is reported once, not once per item.
    alias: Ident,
}

fn registration(tool: &Tool<'_>) -> TokenStream {
    let private = quote!(::mcp_runtime::__private);
    let slots: Vec<Slot<'_>> = tool
        .params
        .iter()
        .enumerate()
        .map(|(i, param)| Slot {
            kind: param.kind,
            ty: param.ty,
            generic: (param.kind != ParamKind::Plain || !param.needs_concrete_field())
                .then(|| format_ident!("__McpT{}", i)),
            local: format_ident!("__mcp_v{}", i),
            alias: format_ident!("__McpTy{}", i),
        })
        .collect();

    // Generic parameters of `__mcp_call` / `__mcp_tool`, with their bounds at the user's type.
    let bounds: Vec<TokenStream> = slots
        .iter()
        .filter_map(|slot| {
            let generic = slot.generic.as_ref()?;
            let alias = &slot.alias;
            let span = slot.ty.span();
            Some(match slot.kind {
                ParamKind::Ctx => {
                    quote_spanned!(span=> #generic: #private::FromToolContext + __McpIs<#alias>)
                }
                _ => quote_spanned!(span=> #generic: #private::ToolParam + __McpIs<#alias>),
            })
        })
        .collect();
    let generics: Vec<&Ident> = slots.iter().filter_map(|s| s.generic.as_ref()).collect();
    // The user's types, in the same order: the one place where they meet their bounds.
    let concrete: Vec<&syn::Type> = slots
        .iter()
        .filter(|s| s.generic.is_some())
        .map(|s| s.ty)
        .collect();
    // Concrete plain fields are checked too (their derive errors would be less clear).
    let concrete_checks: Vec<TokenStream> = slots
        .iter()
        .filter(|s| s.generic.is_none())
        .map(|slot| {
            let ty = slot.ty;
            quote_spanned!(ty.span()=> const _: () = #private::assert_param::<#ty>();)
        })
        .collect();

    let aliases = slots.iter().map(|slot| {
        let (alias, ty) = (&slot.alias, slot.ty);
        quote!(type #alias = #ty;)
    });
    let name = &tool.name.value;
    let input = input_struct(tool, &slots);
    let parse = parse_input(tool, &slots);
    let contexts = slots
        .iter()
        .filter(|s| s.kind == ParamKind::Ctx)
        .map(|slot| {
            let (local, generic) = (&slot.local, &slot.generic);
            quote!(let #local = #private::context_param::<#generic>(__mcp_ctx)?;)
        });
    let call_args = slots.iter().map(|slot| {
        let (local, alias) = (&slot.local, &slot.alias);
        match &slot.generic {
            Some(generic) => quote!(<#generic as __McpIs<#alias>>::__mcp_cast(#local)),
            None => quote!(#local),
        }
    });
    let ident = tool.ident;
    let call = quote!(#ident(#(#call_args),*));
    let run = if tool.is_async() {
        let span = tool.item.sig.asyncness.span();
        quote_spanned! {span=>
            #private::boxed(async move { (__mcp_output.convert)(#call.await) })
        }
    } else {
        quote!(#private::ready((__mcp_output.convert)(#call)))
    };

    let output_ty = match tool.output {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let output_span = tool.output.map_or_else(|| ident.span(), |ty| ty.span());
    let dispatch = quote_spanned! {output_span=>
        (&&&#private::Returns::<#output_ty>::new()).__mcp_output()
    };

    // `#[args] x: T` with a `T` whose schema is known never to be an object (a number, a
    // string, a sequence, an `Option`, …): rejected here rather than at `build()`. Other types
    // fall through to the fallback impl and are checked by `build()`.
    let args_shape_check = slots
        .iter()
        .find(|s| s.kind == ParamKind::Args)
        .map(|slot| {
            let alias = &slot.alias;
            quote_spanned! {slot.ty.span()=>
                #[allow(dead_code)]
                fn __mcp_args_shape() {
                    #[allow(unused_imports)]
                    use #private::{ArgsKnownNotObject as _, ArgsMaybeObject as _};
                    #private::assert_object_args(
                        (&#private::ArgsProbe::<#alias>::new()).__mcp_args_shape(),
                    );
                }
            }
        });
    let input_schema = match slots.iter().find(|s| s.kind == ParamKind::Args) {
        Some(slot) => {
            let generic = &slot.generic;
            quote!(#private::input_schema::<#generic>)
        }
        None => {
            let struct_generics = struct_generics(&slots);
            quote!(#private::input_schema::<__McpArgs #struct_generics>)
        }
    };
    let def = tool_def(tool, &slots, &input_schema);

    let cast_trait = (!generics.is_empty()).then(|| {
        quote! {
            trait __McpIs<__McpT> {
                fn __mcp_cast(self) -> __McpT;
            }
            impl<__McpT> __McpIs<__McpT> for __McpT {
                #[inline(always)]
                fn __mcp_cast(self) -> __McpT {
                    self
                }
            }
        }
    });
    let turbofish = (!generics.is_empty()).then(|| quote!(::<#(#concrete),*>));
    let generic_params = (!bounds.is_empty()).then(|| quote!(<#(#bounds),*>));

    quote! {
        const _: () = {
            #(#aliases)*
            #input
            #cast_trait
            #(#concrete_checks)*
            #args_shape_check

            const __MCP_NAME: &str = #name;

            fn __mcp_output() -> #private::OutputAdapter<#output_ty> {
                #[allow(unused_imports)]
                use #private::{ViaIntoToolResult as _, ViaStructured as _, ViaStructuredResult as _};
                // Level 4, on `Returns<T>` itself: reached only when the runtime's three
                // levels all fail. Its method bound turns method-resolution failure (E0599,
                // naming internal types) into E0277 with `IntoToolResult`'s message, at the
                // user's return type.
                trait __McpViaUnsupported<__McpT> {
                    fn __mcp_output(self) -> #private::OutputAdapter<__McpT>
                    where
                        __McpT: ::mcp_runtime::__private::IntoToolResult;
                }
                impl<__McpT> __McpViaUnsupported<__McpT> for #private::Returns<__McpT> {
                    fn __mcp_output(self) -> #private::OutputAdapter<__McpT>
                    where
                        __McpT: ::mcp_runtime::__private::IntoToolResult,
                    {
                        #private::ViaIntoToolResult::__mcp_output(&&&self)
                    }
                }
                #dispatch
            }

            fn __mcp_output_schema() -> ::core::option::Option<#private::schemars::Schema> {
                (__mcp_output().schema)()
            }

            fn __mcp_call #generic_params(
                __mcp_args: ::core::option::Option<&#private::serde_json::value::RawValue>,
                __mcp_ctx: &#private::ToolContext,
            ) -> ::core::result::Result<#private::CallFuture, #private::CallToolResult> {
                #parse
                #(#contexts)*
                let __mcp_output = __mcp_output();
                ::core::result::Result::Ok(#run)
            }

            const fn __mcp_tool #generic_params() -> #private::ToolDef {
                #def
            }

            #private::inventory::submit! {
                __mcp_tool #turbofish()
            }
        };
    }
}

/// `<__McpT0, __McpT2>` for the generic fields of `__McpArgs` (or nothing).
fn struct_generics(slots: &[Slot<'_>]) -> Option<TokenStream> {
    let generics: Vec<&Ident> = slots
        .iter()
        .filter(|s| s.kind == ParamKind::Plain)
        .filter_map(|s| s.generic.as_ref())
        .collect();
    (!generics.is_empty()).then(|| quote!(<#(#generics),*>))
}

/// The hidden input struct (unless an `#[args]` parameter is the input).
fn input_struct(tool: &Tool<'_>, slots: &[Slot<'_>]) -> Option<TokenStream> {
    if tool.params.iter().any(|p| p.kind == ParamKind::Args) {
        return None;
    }
    let private = quote!(::mcp_runtime::__private);
    let fields = tool
        .params
        .iter()
        .zip(slots)
        .filter(|(p, _)| p.kind == ParamKind::Plain)
        .map(|(param, slot)| {
            let ident = param.ident();
            let attrs = param.docs.iter().chain(&param.field_attrs);
            let ty = match &slot.generic {
                Some(generic) => quote!(#generic),
                None => {
                    let alias = &slot.alias;
                    quote!(#alias)
                }
            };
            quote! {
                #(#attrs)*
                #ident: #ty
            }
        });
    let generics = struct_generics(slots);
    // schemars_derive 1.2 writes `Some(..)`/`None` unqualified for `#[serde(default)]`
    // fields; pin them so user items named `Some`/`None` cannot capture them.
    let pin_option = tool
        .params
        .iter()
        .any(|p| p.kind == ParamKind::Plain && p.needs_concrete_field())
        .then(|| {
            quote! {
                #[allow(unused_imports)]
                use ::core::option::Option::{None, Some};
            }
        });
    let expecting = format!(
        "a JSON object with the arguments of tool `{}`",
        tool.name.value
    );
    Some(quote! {
        #pin_option
        #[derive(#private::serde::Deserialize, #private::schemars::JsonSchema)]
        #[serde(crate = "::mcp_runtime::__private::serde", deny_unknown_fields, expecting = #expecting)]
        #[schemars(crate = "::mcp_runtime::__private::schemars")]
        struct __McpArgs #generics {
            #(#fields,)*
        }
    })
}

/// Statements binding the input's values to `__mcp_v{i}` locals.
fn parse_input(tool: &Tool<'_>, slots: &[Slot<'_>]) -> TokenStream {
    let private = quote!(::mcp_runtime::__private);
    if let Some(slot) = slots.iter().find(|s| s.kind == ParamKind::Args) {
        let (local, generic) = (&slot.local, &slot.generic);
        return quote!(let #local = #private::parse_args::<#generic>(__MCP_NAME, __mcp_args)?;);
    }
    let fields = tool
        .params
        .iter()
        .zip(slots)
        .filter(|(p, _)| p.kind == ParamKind::Plain)
        .map(|(param, slot)| {
            let ident = param.ident();
            let local = &slot.local;
            quote!(#ident: #local)
        });
    let generics = struct_generics(slots).map(|g| quote!(::#g));
    quote! {
        let __McpArgs { #(#fields),* } =
            #private::parse_args::<__McpArgs #generics>(__MCP_NAME, __mcp_args)?;
    }
}

/// The declaration's `Location`, spanned at the function's name.
pub(crate) fn location(ident: &Ident) -> TokenStream {
    quote_spanned! {ident.span()=>
        ::mcp_runtime::__private::Location {
            file: ::core::file!(),
            line: ::core::line!(),
            column: ::core::column!(),
            module_path: ::core::module_path!(),
        }
    }
}

/// The `ToolDef` builder chain.
fn tool_def(tool: &Tool<'_>, slots: &[Slot<'_>], input_schema: &TokenStream) -> TokenStream {
    let private = quote!(::mcp_runtime::__private);
    let ident = tool.ident;
    let description = description(tool.description.as_ref(), ident);
    let generics: Vec<&Ident> = slots.iter().filter_map(|s| s.generic.as_ref()).collect();
    let call = if generics.is_empty() {
        quote!(__mcp_call)
    } else {
        quote!(__mcp_call::<#(#generics),*>)
    };
    let location = location(ident);
    let mut def = quote! {
        #private::ToolDef::new(__MCP_NAME, #description, #input_schema, __mcp_output_schema, #call, #location)
    };
    if let Some(title) = &tool.title {
        def = quote!(#def.with_title(#title));
    }
    if !tool.hints.is_empty() {
        let hint = |flag: Option<crate::args::Flag>| match flag {
            Some(flag) => {
                let value = flag.value;
                quote!(::core::option::Option::Some(#value))
            }
            None => quote!(::core::option::Option::None),
        };
        let (read_only, destructive, idempotent, open_world) = (
            hint(tool.hints.read_only),
            hint(tool.hints.destructive),
            hint(tool.hints.idempotent),
            hint(tool.hints.open_world),
        );
        def = quote! {
            #def.with_annotations(#private::ToolAnnotations {
                read_only: #read_only,
                destructive: #destructive,
                idempotent: #idempotent,
                open_world: #open_world,
            })
        };
    }
    if let Some(scopes) = &tool.scopes {
        let items = &scopes.items;
        def = quote!(#def.with_scopes(&[#(#items),*]));
    }
    if let Some(capabilities) = &tool.client_capabilities {
        let items = &capabilities.items;
        def = quote!(#def.with_client_capabilities(&[#(#items),*]));
    }
    if let Some(gateways) = &tool.gateways {
        let items = &gateways.items;
        def = quote!(#def.with_gateways(&[#(#items),*]));
    }
    let requirements: Vec<TokenStream> = slots
        .iter()
        .filter(|s| s.kind == ParamKind::Ctx)
        .map(|slot| {
            let generic = &slot.generic;
            quote!(#private::push_requirement::<#generic>(__mcp_out);)
        })
        .collect();
    if !requirements.is_empty() {
        def = quote!(#def.with_requirements(|__mcp_out| { #(#requirements)* }));
    }
    def
}

// The pieces `#[mcp_resource]` and `#[mcp_prompt]` expand alike.

/// A plain parameter's external name: its identifier without `r#`.
pub(crate) fn arg_name(param: &Param<'_>) -> String {
    param
        .ident()
        .map(|i| syn::ext::IdentExt::unraw(i).to_string())
        .unwrap_or_default()
}

/// The description as a string literal, spanned at the function's name (`""` when absent).
pub(crate) fn description(description: Option<&Description>, ident: &Ident) -> TokenStream {
    description.map_or_else(|| quote!(""), |d| d.to_tokens_at(ident.span()))
}

/// `let __mcp_vN = context_value::<T, Error>(__mcp_ctx)?;` for a `#[ctx]` parameter, spanned at
/// its type so an unusable type is reported there.
pub(crate) fn context_binding(local: &Ident, ty: &Type, error: &str) -> TokenStream {
    let private = quote!(::mcp_runtime::__private);
    let error = Ident::new(error, ty.span());
    quote_spanned! {ty.span()=>
        let #local = #private::context_value::<#ty, #private::#error>(__mcp_ctx)?;
    }
}

/// `<Output as Trait>::method`, spanned at the return type (or the name when there is none),
/// so a return type without the conversion is reported there.
pub(crate) fn converter(
    output: Option<&Type>,
    ident: &Ident,
    conversion: (&str, &str),
) -> TokenStream {
    let private = quote!(::mcp_runtime::__private);
    let output_ty = match output {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let span = output.map_or_else(|| ident.span(), |ty| ty.span());
    let (trait_name, method) = (
        Ident::new(conversion.0, span),
        Ident::new(conversion.1, span),
    );
    quote_spanned! {span=>
        <#output_ty as #private::#trait_name>::#method
    }
}

/// `def.with_scopes(..).with_gateways(..)` for the lists that were given.
pub(crate) fn with_access(
    mut def: TokenStream,
    scopes: Option<&StrList>,
    gateways: Option<&StrList>,
) -> TokenStream {
    if let Some(scopes) = scopes {
        let items = &scopes.items;
        def = quote!(#def.with_scopes(&[#(#items),*]));
    }
    if let Some(gateways) = gateways {
        let items = &gateways.items;
        def = quote!(#def.with_gateways(&[#(#items),*]));
    }
    def
}

/// `fn __mcp_complete`, dispatching on the argument name to each `complete(arg = path)`.
pub(crate) fn completer(complete: Option<&(Span, Completers)>) -> Option<TokenStream> {
    let private = quote!(::mcp_runtime::__private);
    complete.map(|(_, completers)| {
        let arms = completers.entries.iter().map(|(arg, path)| {
            let name = arg.to_string();
            quote_spanned!(path.span()=> #name => #private::complete_with(#path, __mcp_request),)
        });
        quote! {
            fn __mcp_complete(
                __mcp_request: &#private::CompletionRequest,
            ) -> #private::Completion {
                match __mcp_request.argument() {
                    #(#arms)*
                    _ => #private::Completion::empty(),
                }
            }
        }
    })
}

/// `def.with_requirements(..)` pushing each `#[ctx]` parameter's requirement, if there are any.
pub(crate) fn with_requirements(def: TokenStream, params: &[Param<'_>]) -> TokenStream {
    let private = quote!(::mcp_runtime::__private);
    let requirements: Vec<TokenStream> = params
        .iter()
        .filter(|param| param.kind == ParamKind::Ctx)
        .map(|param| {
            let ty = param.ty;
            quote!(#private::push_requirement::<#ty>(__mcp_out);)
        })
        .collect();
    if requirements.is_empty() {
        def
    } else {
        quote!(#def.with_requirements(|__mcp_out| { #(#requirements)* }))
    }
}
