use mcp_runtime::prelude::*;

/// Echoes.
#[mcp_tool(name = "echo", readonly)]
fn echo(text: String) -> String {
    text
}

fn main() {}
