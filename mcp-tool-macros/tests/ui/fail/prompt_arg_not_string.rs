use mcp_runtime::prelude::*;

/// Prompt arguments are strings.
#[mcp_prompt]
fn counted(count: u32) -> String {
    count.to_string()
}

fn main() {}
