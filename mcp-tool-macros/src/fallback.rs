//! What is emitted when the macro reports errors: the user's function, as written (minus the
//! parameter attributes rustc would reject), next to the errors. Callers and unit tests of
//! the function keep compiling, so only the real mistakes show.

use proc_macro2::TokenStream;
use quote::quote;

use crate::{ast::ItemFn, ctxt::Ctxt, expand};

/// The function plus the errors; nothing is registered.
pub(crate) fn with_errors(item: &ItemFn, errors: &syn::Error) -> TokenStream {
    let user_fn = expand::user_fn(item);
    let errors = errors.to_compile_error();
    quote! {
        #user_fn
        #errors
    }
}

/// The item did not parse as a function: its tokens untouched, plus the error.
pub(crate) fn unparsed(item: TokenStream, error: &syn::Error) -> TokenStream {
    let mut out = item;
    out.extend(error.to_compile_error());
    out
}

/// The first phase of every attribute: the item as a function, or — when it is not one — the
/// tokens to emit instead (the item untouched plus the error).
pub(crate) fn parse_fn(attr: &str, item: TokenStream) -> Result<ItemFn, TokenStream> {
    syn::parse2::<ItemFn>(item.clone()).map_err(|error| {
        let error = syn::Error::new(
            error.span(),
            format!("`#[{attr}]` applies to a free `fn` or `async fn`: {error}"),
        );
        unparsed(item, &error)
    })
}

/// The last phase of every attribute: the expansion when the checks reported nothing, else
/// the function plus the errors. `expand` runs only on a clean model.
pub(crate) fn finish(cx: Ctxt, item: &ItemFn, expand: impl FnOnce() -> TokenStream) -> TokenStream {
    match cx.check() {
        Ok(()) => expand(),
        Err(errors) => with_errors(item, &errors),
    }
}
