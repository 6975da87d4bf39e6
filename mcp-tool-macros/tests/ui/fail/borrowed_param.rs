use mcp_runtime::prelude::*;

/// Counts the words of a text.
#[mcp_tool]
fn word_count(text: &str) -> String {
    text.split_whitespace().count().to_string()
}

fn main() {
    let _ = word_count("still callable");
}
