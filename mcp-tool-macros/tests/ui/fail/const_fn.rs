use mcp_runtime::prelude::*;

/// Answers.
#[mcp_tool]
const fn answer() -> u32 {
    42
}

fn main() {
    let _ = answer();
}
