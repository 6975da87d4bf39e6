//! Code generation for `#[mcp_prompt]`: the user's function unchanged, then one
//! `const _: () = { ... };` with the argument table, the get glue, the completer and the
//! registration. Each user type meets its trait bound once, in code spanned at that type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::ast::Prompt;
use crate::{ast::ParamKind, doc::Description, expand};

pub(crate) fn expand(p: &Prompt<'_>) -> TokenStream {
    let user_fn = expand::user_fn(p.item);
    let private = quote!(::mcp_runtime::__private);
    let ident = p.ident;
    let bindings = p.params.iter().enumerate().map(|(i, param)| {
        let local = format_ident!("__mcp_v{}", i);
        let ty = param.ty;
        match param.kind {
            ParamKind::Ctx => expand::context_binding(&local, ty, "PromptError"),
            _ => {
                // The same `<T as PromptArg>` path as the argument table: an unusable type is
                // one error (rustc merges identical diagnostics), not two.
                let name = expand::arg_name(param);
                quote_spanned! {ty.span()=>
                    let #local = <#ty as #private::PromptArg>::from_arg(__mcp_args.get(#name))
                        .ok_or_else(|| #private::missing_argument(#name))?;
                }
            }
        }
    });
    let arguments = p
        .params
        .iter()
        .filter(|param| param.kind == ParamKind::Plain)
        .map(|param| {
            let name = expand::arg_name(param);
            let ty = param.ty;
            let docs: Vec<syn::Attribute> = param.docs.iter().map(|a| (*a).clone()).collect();
            let description = Description::from_docs(&docs)
                .map_or_else(|| quote!(""), |d| d.to_tokens_at(ty.span()));
            let required = quote_spanned!(ty.span()=> <#ty as #private::PromptArg>::REQUIRED);
            quote! {
                #private::PromptArgument { name: #name, description: #description, required: #required }
            }
        });
    let locals = (0..p.params.len()).map(|i| format_ident!("__mcp_v{}", i));
    let call = quote!(#ident(#(#locals),*));
    let convert = expand::converter(p.output, ident, ("IntoPromptResult", "into_prompt_result"));
    let run = if p.item.sig.asyncness.is_some() {
        quote!(#private::boxed_prompt(async move { #convert(#call.await) }))
    } else {
        quote!(#private::ready_prompt(#convert(#call)))
    };
    let name = &p.name;
    let description = expand::description(p.description.as_ref(), ident);
    let location = expand::location(ident);
    let mut def = quote! {
        #private::PromptDef::new(#name, #description, __MCP_ARGUMENTS, __mcp_get, #location)
    };
    if let Some(title) = &p.title {
        def = quote!(#def.with_title(#title));
    }
    def = expand::with_access(def, p.scopes.as_ref(), p.gateways.as_ref());
    let completer = expand::completer(p.complete.as_ref());
    if completer.is_some() {
        def = quote!(#def.with_complete(__mcp_complete));
    }
    let def = expand::with_requirements(def, &p.params);
    quote! {
        #user_fn
        const _: () = {
            const __MCP_ARGUMENTS: &[#private::PromptArgument] = &[#(#arguments),*];
            #[allow(unused_variables)]
            fn __mcp_get(
                __mcp_args: &#private::PromptArguments,
                __mcp_ctx: &#private::ToolContext,
            ) -> ::core::result::Result<#private::PromptFuture, #private::PromptError> {
                #(#bindings)*
                ::core::result::Result::Ok(#run)
            }
            #completer
            #private::inventory::submit! { #def }
        };
    }
}
