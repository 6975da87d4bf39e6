use mcp_runtime::prelude::*;

/// Uses a type that does not exist: rustc reports it once, at the user's type.
#[mcp_tool]
fn lookup(id: CustomerId) -> String {
    let _ = id;
    String::new()
}

fn main() {}
