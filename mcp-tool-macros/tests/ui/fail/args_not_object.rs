use mcp_runtime::prelude::*;

/// Doubles a number given as the whole input.
#[mcp_tool]
fn double(#[args] n: i64) -> String {
    (n * 2).to_string()
}

/// Takes a list as the whole input.
#[mcp_tool]
fn total(#[args] items: Vec<u32>) -> String {
    items.iter().sum::<u32>().to_string()
}

/// Takes an optional struct as the whole input.
#[mcp_tool]
fn maybe(#[args] point: Option<Point>) -> String {
    format!("{point:?}")
}

/// A point.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct Point {
    x: f64,
}

/// A struct is fine.
#[mcp_tool]
fn fine(#[args] point: Point) -> String {
    point.x.to_string()
}

fn main() {}
