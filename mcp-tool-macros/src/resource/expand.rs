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
            ParamKind::Ctx => expand::context_binding(&local, ty, "ResourceError"),
            _ => {
                let name = expand::arg_name(param);
                quote_spanned! {ty.span()=>
                    let #local = #private::uri_var::<#ty>(__mcp_req, #name)?;
                }
            }
        }
    });
    let locals = (0..r.params.len()).map(|i| format_ident!("__mcp_v{}", i));
    let call = quote!(#ident(#(#locals),*));
    let convert = expand::converter(r.output, ident, ("IntoResourceContents", "into_contents"));
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
    let description = expand::description(r.description.as_ref(), ident);
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
    def = expand::with_access(def, r.scopes.as_ref(), r.gateways.as_ref());
    let completer = expand::completer(r.complete.as_ref());
    if completer.is_some() {
        def = quote!(#def.with_complete(__mcp_complete));
    }
    let def = expand::with_requirements(def, &r.params);
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
