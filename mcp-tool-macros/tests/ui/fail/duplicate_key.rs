use mcp_runtime::prelude::*;

/// Echoes.
#[mcp_tool(name = "echo", read_only, name = "echo2")]
fn echo(text: String) -> String {
    text
}

fn main() {}
