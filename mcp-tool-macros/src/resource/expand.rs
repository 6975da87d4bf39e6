//! Code generation for `#[mcp_resource]`: the user's function unchanged, then one
//! `const _: () = { ... };` with the read glue, the completer and the registration. Each user
//! type meets its trait bound once, in a call spanned at that type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::ast::{Address, Resource};
use crate::{ast::ParamKind, expand};

pub(crate) fn expand(r: &Resource<'_>) -> TokenStream {
    let user_fn = expand::user_fn(r.item);
    let private = quote!(::mcp_runtime::__private);
    let ident = r.ident;
    let bindings = r.params.iter().enumerate().map(|(i, param)| {
        let local = format_ident!("__mcp_v{}", i);
        let ty = param.ty;
        match param.kind {
            ParamKind::Ctx => quote_spanned! {ty.span()=>
                let #local = #private::context_value::<#ty, #private::ResourceError>(__mcp_ctx)?;
            },
            _ => {
                let name = param
                    .ident()
                    .map(|i| syn::ext::IdentExt::unraw(i).to_string())
                    .unwrap_or_default();
                quote_spanned! {ty.span()=>
                    let #local = #private::uri_var::<#ty>(__mcp_req, #name)?;
                }
            }
        }
    });
    let locals = (0..r.params.len()).map(|i| format_ident!("__mcp_v{}", i));
    let call = quote!(#ident(#(#locals),*));
    let output = match r.output {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let output_span = r.output.map_or_else(|| ident.span(), |ty| ty.span());
    let convert = quote_spanned! {output_span=>
        <#output as #private::IntoResourceContents>::into_contents
    };
    let run = if r.item.sig.asyncness.is_some() {
        quote! {
            let __mcp_uri = ::std::string::String::from(__mcp_req.uri());
            let __mcp_mime = __mcp_req.mime_type();
            ::core::result::Result::Ok(#private::boxed_read(async move {
                #convert(#call.await, &__mcp_uri, __mcp_mime)
            }))
        }
    } else {
        quote! {
            ::core::result::Result::Ok(#private::ready_read(
                #convert(#call, __mcp_req.uri(), __mcp_req.mime_type()),
            ))
        }
    };
    let (uri, template) = match &r.address {
        Address::Uri(lit) => (lit, false),
        Address::Template(lit) => (lit, true),
        Address::Missing => unreachable_missing(),
    };
    let name = &r.name;
    let description = r
        .description
        .as_ref()
        .map_or_else(|| quote!(""), |d| d.to_tokens_at(ident.span()));
    let location = expand::location(ident);
    let mut def = quote! {
        #private::ResourceDef::new(#uri, #template, #name, #description, __mcp_read, #location)
    };
    if let Some(title) = &r.title {
        def = quote!(#def.with_title(#title));
    }
    if let Some(mime) = &r.mime_type {
        def = quote!(#def.with_mime_type(#mime));
    }
    if let Some(scopes) = &r.scopes {
        let items = &scopes.items;
        def = quote!(#def.with_scopes(&[#(#items),*]));
    }
    if let Some(gateways) = &r.gateways {
        let items = &gateways.items;
        def = quote!(#def.with_gateways(&[#(#items),*]));
    }
    let completer = r.complete.as_ref().map(|(_, completers)| {
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
    let requirements: Vec<TokenStream> = r
        .params
        .iter()
        .filter(|p| p.kind == ParamKind::Ctx)
        .map(|p| {
            let ty = p.ty;
            quote!(#private::push_requirement::<#ty>(__mcp_out);)
        })
        .collect();
    if !requirements.is_empty() {
        def = quote!(#def.with_requirements(|__mcp_out| { #(#requirements)* }));
    }
    quote! {
        #user_fn
        const _: () = {
            #[allow(unused_variables)]
            fn __mcp_read(
                __mcp_req: &#private::ResourceRequest,
                __mcp_ctx: &#private::ToolContext,
            ) -> ::core::result::Result<#private::ReadFuture, #private::ResourceError> {
                #(#bindings)*
                #run
            }
            #completer
            #private::inventory::submit! { #def }
        };
    }
}

/// The checks report a missing address, so expansion never sees one.
fn unreachable_missing() -> ! {
    unreachable!("expand runs only after the checks passed")
}
