//! The `#[mcp_tool]` attribute macro. Use it through [`mcp_runtime::mcp_tool`], which
//! documents it; this crate only generates code against `mcp_runtime`'s hidden `__private`
//! module and is versioned in lockstep with it.
//!
//! [`mcp_runtime::mcp_tool`]: https://docs.rs/mcp-runtime/latest/mcp_runtime/attr.mcp_tool.html
//!
//! The phases, one module each: `args` parses `#[mcp_tool(...)]`, `ast` models the function,
//! `check` reports every misuse at once through `ctxt::Ctxt`, `expand` writes the
//! registration, and `fallback` re-emits the function untouched when there are errors.
//! `symbol` names every keyword once and `doc` turns doc comments into descriptions.

mod args;
mod ast;
mod check;
mod ctxt;
mod doc;
mod expand;
mod fallback;
mod symbol;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

#[doc = include_str!("docs/mcp_tool.md")]
#[proc_macro_attribute]
pub fn mcp_tool(args: TokenStream, item: TokenStream) -> TokenStream {
    run(args.into(), item.into()).into()
}

/// Parse → model → check → expand; the one exit of the macro.
fn run(args: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let item_fn = match syn::parse2::<ast::ItemFn>(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(error) => {
            let error = syn::Error::new(
                error.span(),
                format!("`#[mcp_tool]` applies to a free `fn` or `async fn`: {error}"),
            );
            return fallback::unparsed(item, &error);
        }
    };
    let cx = ctxt::Ctxt::new();
    let tool_args = args::ToolArgs::parse(&cx, args);
    let tool = ast::Tool::from_ast(&cx, tool_args, &item_fn);
    check::check(&cx, &tool);
    match cx.check() {
        Ok(()) => expand::expand(&tool),
        Err(errors) => fallback::with_errors(&item_fn, &errors),
    }
}
