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
            ParamKind::Ctx => quote_spanned! {ty.span()=>
                let #local = #private::context_value::<#ty, #private::PromptError>(__mcp_ctx)?;
            },
            _ => {
                // The same `<T as PromptArg>` path as the argument table: an unusable type is
                // one error (rustc merges identical diagnostics), not two.
                let name = arg_name(param);
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
            let name = arg_name(param);
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
    let output = match p.output {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let output_span = p.output.map_or_else(|| ident.span(), |ty| ty.span());
    let convert = quote_spanned! {output_span=>
        <#output as #private::IntoPromptResult>::into_prompt_result
    };
    let run = if p.item.sig.asyncness.is_some() {
        quote!(#private::boxed_prompt(async move { #convert(#call.await) }))
    } else {
        quote!(#private::ready_prompt(#convert(#call)))
    };
    let name = &p.name;
    let description = p
        .description
        .as_ref()
        .map_or_else(|| quote!(""), |d| d.to_tokens_at(ident.span()));
    let location = expand::location(ident);
    let mut def = quote! {
        #private::PromptDef::new(#name, #description, __MCP_ARGUMENTS, __mcp_get, #location)
    };
    if let Some(title) = &p.title {
        def = quote!(#def.with_title(#title));
    }
    if let Some(scopes) = &p.scopes {
        let items = &scopes.items;
        def = quote!(#def.with_scopes(&[#(#items),*]));
    }
    if let Some(gateways) = &p.gateways {
        let items = &gateways.items;
        def = quote!(#def.with_gateways(&[#(#items),*]));
    }
    let completer = p.complete.as_ref().map(|(_, completers)| {
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
    });
    if completer.is_some() {
        def = quote!(#def.with_complete(__mcp_complete));
    }
    let requirements: Vec<TokenStream> = p
        .params
        .iter()
        .filter(|param| param.kind == ParamKind::Ctx)
        .map(|param| {
            let ty = param.ty;
            quote!(#private::push_requirement::<#ty>(__mcp_out);)
        })
        .collect();
    if !requirements.is_empty() {
        def = quote!(#def.with_requirements(|__mcp_out| { #(#requirements)* }));
    }
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

fn arg_name(param: &crate::ast::Param<'_>) -> String {
    param
        .ident()
        .map(|i| syn::ext::IdentExt::unraw(i).to_string())
        .unwrap_or_default()
}
