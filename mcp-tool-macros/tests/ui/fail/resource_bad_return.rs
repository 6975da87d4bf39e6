use mcp_runtime::prelude::*;

/// Returns a number, which is no resource content.
#[mcp_resource(uri = "x://n")]
fn number() -> i32 {
    7
}

fn main() {}
