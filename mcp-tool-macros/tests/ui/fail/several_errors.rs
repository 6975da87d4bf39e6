use mcp_runtime::prelude::*;

#[mcp_tool(name = "bad name", colour = "blue", read_only, read_only)]
const fn tool<T: Copy>(#[ctx] #[args] value: T, (a, b): (u8, u8)) -> u8 {
    let _ = value;
    a + b
}

fn main() {
    // Still callable: the function is emitted despite the errors.
    let _ = tool::<()>((), (1, 2));
}
