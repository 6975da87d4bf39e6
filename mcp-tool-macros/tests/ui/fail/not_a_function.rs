use mcp_runtime::prelude::*;

/// Not a function.
#[mcp_tool]
struct Tool;

fn main() {
    let _ = Tool;
}
