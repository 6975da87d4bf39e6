use mcp_runtime::prelude::*;

/// Echoes a value.
#[mcp_tool]
fn echo<T: serde::de::DeserializeOwned>(value: T) -> String {
    let _ = value;
    String::new()
}

fn main() {}
