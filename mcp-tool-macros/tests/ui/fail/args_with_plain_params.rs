use mcp_runtime::prelude::*;

/// A search query.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Query {
    q: String,
}

/// Searches.
#[mcp_tool]
fn search(#[args] query: Query, limit: u32) -> String {
    format!("{} {limit}", query.q)
}

fn main() {}
