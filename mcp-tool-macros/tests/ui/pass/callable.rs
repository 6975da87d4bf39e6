//! The function is emitted as written: callable (sync and async) and unit-testable with
//! the signature the user wrote, also when declared inside a function body.

use mcp_runtime::prelude::*;

/// Greets.
#[mcp_tool]
pub fn greet(
    /// Who to greet.
    name: String,
    #[ctx] _meta: RequestMeta,
) -> String {
    format!("hello, {name}")
}

/// Doubles, asynchronously.
#[mcp_tool]
async fn double(mut value: i64) -> String {
    value *= 2;
    value.to_string()
}

fn main() {
    /// A tool declared inside a function body.
    #[mcp_tool(name = "local")]
    fn local_tool(x: u8) -> String {
        x.to_string()
    }

    assert_eq!(local_tool(7), "7");
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    assert_eq!(runtime.block_on(double(21)), "42");

    let server = McpServer::builder().build().unwrap();
    assert_eq!(server.registry().names(), ["double", "greet", "local"]);
    // `greet` takes a context parameter; a unit test can still call it with any value it builds.
    let _: fn(String, RequestMeta) -> String = greet;
}
