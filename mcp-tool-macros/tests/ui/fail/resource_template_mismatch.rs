use mcp_runtime::prelude::*;

/// Variables and parameters disagree.
#[mcp_resource(template = "x://{id}/{other}", complete(nope = f))]
fn mismatch(id: String, extra: String) -> String {
    format!("{id}{extra}")
}

fn f(_: &CompletionRequest) -> Completion {
    Completion::empty()
}

fn main() {}
