//! `#[mcp_prompt]`: the same phases as `#[mcp_tool]` (args → ast → check → expand), sharing
//! the argument machinery, the parameter model, the signature checks and the fallback.

mod args;
mod ast;
mod check;
mod expand;

use proc_macro2::TokenStream;

use crate::{ctxt::Ctxt, fallback};

/// Parse → model → check → expand.
pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let item_fn = match fallback::parse_fn("mcp_prompt", item) {
        Ok(item_fn) => item_fn,
        Err(tokens) => return tokens,
    };
    let cx = Ctxt::new();
    let args = crate::args::parse::<args::PromptArgs>(&cx, args);
    let prompt = ast::Prompt::from_ast(&cx, args, &item_fn);
    check::check(&cx, &prompt);
    fallback::finish(cx, &item_fn, || expand::expand(&prompt))
}
