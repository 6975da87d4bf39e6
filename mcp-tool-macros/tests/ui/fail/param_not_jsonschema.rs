use mcp_runtime::prelude::*;

/// A point, without `JsonSchema`.
#[derive(serde::Deserialize)]
struct Point {
    x: f64,
    y: f64,
}

/// Measures a point.
#[mcp_tool]
fn norm(point: Point) -> String {
    (point.x * point.x + point.y * point.y).sqrt().to_string()
}

fn main() {}
