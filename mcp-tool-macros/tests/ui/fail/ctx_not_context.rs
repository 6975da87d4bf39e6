use mcp_runtime::prelude::*;

struct Database;

/// Counts rows.
#[mcp_tool]
fn count(#[ctx] db: Database) -> String {
    let _ = db;
    String::new()
}

fn main() {}
