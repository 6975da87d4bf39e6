use mcp_runtime::prelude::*;

/// A report, without `Serialize`.
#[derive(schemars::JsonSchema)]
struct Report {
    total: u64,
}

/// Builds a report.
#[mcp_tool]
fn report() -> Report {
    Report { total: 0 }
}

fn main() {}
