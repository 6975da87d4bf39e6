use mcp_runtime::prelude::*;

struct Opaque;

/// A variable whose type cannot be parsed from the URI.
#[mcp_resource(template = "x://{id}")]
fn opaque(id: Opaque) -> String {
    let _ = id;
    String::new()
}

fn main() {}
