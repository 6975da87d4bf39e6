use mcp_runtime::prelude::*;

/// Reads things.
#[mcp_tool(read_only, destructive, scopes = ["crm read"], gateways = ["default", "deep research", "default"])]
fn read() -> String {
    String::new()
}

fn main() {}
