use mcp_runtime::prelude::*;

/// Both addresses, a bad MIME type, a completer on a fixed URI, a misspelt key.
#[mcp_resource(uri = "x://a", template = "x://{a}", mime_type = "text", mimetype = "a/b")]
fn both(a: String) -> String {
    a
}

/// A fixed URI takes no variables, and `{` belongs in templates.
#[mcp_resource(uri = "x://{b}", complete(b = f))]
fn fixed(b: String) -> String {
    b
}

fn f(_: &CompletionRequest) -> Completion {
    Completion::empty()
}

fn main() {}
