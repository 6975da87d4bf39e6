use mcp_runtime::prelude::*;

/// No address.
#[mcp_resource(mime_type = "text/plain")]
fn nowhere() -> &'static str {
    "lost"
}

fn main() {}
