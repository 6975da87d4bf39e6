//! What is emitted when the macro reports errors: the user's function, as written (minus the
//! parameter attributes rustc would reject), next to the errors. Callers and unit tests of
//! the function keep compiling, so only the real mistakes show.

use proc_macro2::TokenStream;
use quote::quote;

use crate::{ast::ItemFn, expand};

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
