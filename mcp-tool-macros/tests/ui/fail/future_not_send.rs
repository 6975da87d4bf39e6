use std::rc::Rc;

use mcp_runtime::prelude::*;

async fn pause() {}

/// Holds an `Rc` across an await point.
#[mcp_tool]
async fn shared() -> String {
    let value = Rc::new(String::from("x"));
    pause().await;
    value.to_string()
}

fn main() {}
