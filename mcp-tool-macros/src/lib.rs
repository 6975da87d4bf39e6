//! The `#[mcp_tool]`, `#[mcp_resource]` and `#[mcp_prompt]` attribute macros. Use them
//! through [`mcp_runtime::mcp_tool`] (and its siblings), which document them; this crate only generates code against `mcp_runtime`'s hidden `__private`
//! module and is versioned in lockstep with it.
//!
//! [`mcp_runtime::mcp_tool`]: https://docs.rs/mcp-runtime/latest/mcp_runtime/attr.mcp_tool.html
//!
//! The phases, one module each: `args` parses `#[mcp_tool(...)]`, `ast` models the function,
//! `check` reports every misuse at once through `ctxt::Ctxt`, `expand` writes the
//! registration, and `fallback` re-emits the function untouched when there are errors.
//! `symbol` names every keyword once and `doc` turns doc comments into descriptions.
//! `resource/` and `prompt/` repeat the phases for the other two attributes, reusing the
//! argument machinery, the parameter model, the shared checks and the fallback.

mod args;
mod ast;
mod check;
mod ctxt;
mod doc;
mod expand;
mod fallback;
mod prompt;
mod resource;
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
    let item_fn = match fallback::parse_fn("mcp_tool", item) {
        Ok(item_fn) => item_fn,
        Err(tokens) => return tokens,
    };
    let cx = ctxt::Ctxt::new();
    let tool_args = args::ToolArgs::parse(&cx, args);
    let tool = ast::Tool::from_ast(&cx, tool_args, &item_fn);
    check::check(&cx, &tool);
    fallback::finish(cx, &item_fn, || expand::expand(&tool))
}

#[doc = include_str!("docs/mcp_resource.md")]
#[proc_macro_attribute]
pub fn mcp_resource(args: TokenStream, item: TokenStream) -> TokenStream {
    resource::run(args.into(), item.into()).into()
}

#[doc = include_str!("docs/mcp_prompt.md")]
#[proc_macro_attribute]
pub fn mcp_prompt(args: TokenStream, item: TokenStream) -> TokenStream {
    prompt::run(args.into(), item.into()).into()
}
