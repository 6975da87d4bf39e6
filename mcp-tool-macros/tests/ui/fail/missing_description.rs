use mcp_runtime::prelude::*;

#[mcp_tool]
fn echo(text: String) -> String {
    text
}

fn main() {
    // The function is still emitted: no "cannot find function" error.
    let _ = echo(String::new());
}
