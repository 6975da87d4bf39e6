//! `#[mcp_resource]`: the same phases as `#[mcp_tool]` (args → ast → check → expand), sharing
//! the argument machinery, the parameter model, the signature checks and the fallback.

mod args;
mod ast;
mod check;
mod expand;

use proc_macro2::TokenStream;

use crate::{ctxt::Ctxt, fallback};

/// Parse → model → check → expand.
pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let item_fn = match syn::parse2::<crate::ast::ItemFn>(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(error) => {
            let error = syn::Error::new(
                error.span(),
                format!("`#[mcp_resource]` applies to a free `fn` or `async fn`: {error}"),
            );
            return fallback::unparsed(item, &error);
        }
    };
    let cx = Ctxt::new();
    let args = crate::args::parse::<args::ResourceArgs>(&cx, args);
    let resource = ast::Resource::from_ast(&cx, args, &item_fn);
    check::check(&cx, &resource);
    match cx.check() {
        Ok(()) => expand::expand(&resource),
        Err(errors) => fallback::with_errors(&item_fn, &errors),
    }
}
