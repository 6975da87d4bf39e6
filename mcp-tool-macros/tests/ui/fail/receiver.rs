use mcp_runtime::prelude::*;

struct Counter;

impl Counter {
    /// Counts.
    #[mcp_tool]
    fn count(&self) -> String {
        String::new()
    }
}

fn main() {
    let _ = Counter.count();
}
