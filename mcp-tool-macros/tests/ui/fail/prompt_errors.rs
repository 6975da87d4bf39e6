use mcp_runtime::prelude::*;

#[mcp_prompt(name = "bad name", complete(missing = f))]
unsafe fn many(#[args] all: String, #[serde(default)] other: String) -> String {
    format!("{all}{other}")
}

fn f(_: &CompletionRequest) -> Completion {
    Completion::empty()
}

fn main() {}
