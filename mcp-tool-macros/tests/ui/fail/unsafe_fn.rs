use mcp_runtime::prelude::*;

/// Reads raw memory.
#[mcp_tool]
unsafe fn peek(address: u64) -> String {
    address.to_string()
}

fn main() {}
