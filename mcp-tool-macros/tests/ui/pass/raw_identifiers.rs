//! Raw identifiers: the tool and argument names drop the `r#`.

use mcp_runtime::prelude::*;

/// A tool named `match` with an argument named `type`.
#[mcp_tool]
fn r#match(r#type: String, r#async: Option<bool>) -> String {
    format!("{type_}{async_:?}", type_ = r#type, async_ = r#async)
}

fn main() {
    assert_eq!(r#match("t".to_owned(), None), "tNone");
    let server = McpServer::builder().build().unwrap();
    let tool = server.registry().get("match").unwrap();
    assert_eq!(tool.name(), "match");
}
