use mcp_runtime::prelude::*;

/// A point, without `Deserialize`.
#[derive(schemars::JsonSchema)]
struct Point {
    x: f64,
    y: f64,
}

/// Measures a point.
#[mcp_tool]
fn norm(label: String, point: Point) -> String {
    format!("{label}: {}", (point.x * point.x + point.y * point.y).sqrt())
}

fn main() {}
