//! The expansion must not depend on anything in the user's scope: every prelude name it could
//! use is shadowed here, under `#![deny(warnings)]`, and every return shape and parameter
//! kind is exercised, sync and async.

#![deny(warnings, missing_docs)]

// User types live outside the shadowing module: their own derives use plain `serde::`/
// `schemars::` paths, which the shadows below would break (that is the user's business).
/// Structured output.
#[derive(::serde::Serialize, ::schemars::JsonSchema)]
pub struct Sum {
    /// The sum.
    pub sum: i64,
}

/// A failure a model can act on.
#[derive(Debug)]
pub struct Oops;

impl ::std::fmt::Display for Oops {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("oops")
    }
}

/// Shared state.
pub struct Db;

/// The whole input of `search`.
#[derive(::serde::Deserialize, ::schemars::JsonSchema)]
pub struct Query {
    /// Search text.
    pub q: ::std::string::String,
}

#[allow(dead_code, non_camel_case_types, reason = "shadows that generated code must not pick up")]
mod shadows {
    struct Result;
    struct Ok;
    struct Err;
    struct Option;
    struct Some;
    struct None;
    struct Box;
    struct Vec;
    struct String;
    struct Send;
    struct Sync;
    struct Sized;
    struct Fn;
    struct Future;
    struct Default;
    struct From;
    struct Into;
    struct Deserialize;
    struct Serialize;
    struct JsonSchema;
    struct ToolDef;
    struct Schema;
    mod core {}
    mod std {}
    mod serde {}
    mod schemars {}
    mod inventory {}
    mod mcp_runtime {}
    macro_rules! line {
        () => {
            "not a line"
        };
    }
    macro_rules! concat {
        ($($t:tt)*) => {
            "not concatenated"
        };
    }

    use ::mcp_runtime::prelude::{CallToolResult, Content, Reporter, RequestMeta, State, mcp_tool};

    use super::{Db, Oops, Query, Sum};

    /// Returns text.
    #[mcp_tool]
    pub fn text(
        /// Some text.
        text: ::std::string::String,
    ) -> ::std::string::String {
        text
    }

    /// Returns structured output.
    #[mcp_tool(read_only, idempotent)]
    pub async fn structured(a: i64, #[serde(default)] b: i64) -> Sum {
        Sum { sum: a + b }
    }

    /// Returns a result of structured output.
    #[mcp_tool]
    pub fn result_struct(fail: bool) -> ::std::result::Result<Sum, Oops> {
        if fail { ::std::result::Result::Err(Oops) } else { ::std::result::Result::Ok(Sum { sum: 1 }) }
    }

    /// Returns a result of text.
    #[mcp_tool]
    pub async fn result_text(fail: bool) -> ::std::result::Result<::std::string::String, Oops> {
        if fail { ::std::result::Result::Err(Oops) } else { ::std::result::Result::Ok("ok".into()) }
    }

    /// Returns content blocks.
    #[mcp_tool]
    pub fn content() -> ::std::vec::Vec<Content> {
        ::std::vec![Content::text("a"), Content::text("b")]
    }

    /// Returns a full result.
    #[mcp_tool]
    pub async fn full() -> CallToolResult {
        CallToolResult::success(::std::vec::Vec::new())
    }

    /// Returns nothing.
    #[mcp_tool(destructive = false)]
    pub fn nothing() {}

    /// Uses every context type.
    #[mcp_tool(scopes = ["ctx.read"], gateways = ["default", "internal"], client_capabilities = ["sampling"])]
    pub async fn context(
        #[ctx] meta: RequestMeta,
        #[ctx] reporter: Reporter,
        #[ctx] db: State<Db>,
        /// A plain argument beside them.
        label: ::std::string::String,
    ) -> ::std::string::String {
        reporter.info("hello").await;
        let _: &Db = &db;
        ::std::format!("{label} {}", meta.tool_name())
    }

    /// Takes its whole input as one struct.
    #[mcp_tool(name = "search.all", title = "Search")]
    pub fn search(#[args] query: Query, #[ctx] _meta: RequestMeta) -> ::std::string::String {
        query.q
    }

    /// Raw identifiers: the tool is `match`, its argument `type`.
    #[mcp_tool]
    pub fn r#match(r#type: ::std::string::String) -> ::std::string::String {
        r#type
    }

    /// A parameter named like its function.
    #[mcp_tool]
    pub fn echo(echo: ::std::string::String, mut times: u8) -> ::std::string::String {
        times = times.max(1);
        echo.repeat(usize::from(times))
    }

    #[doc = " Docs from an expression too:"]
    #[doc = ::core::concat!(" ", "computed")]
    #[mcp_tool]
    pub fn computed() -> &'static str {
        "computed"
    }

    pub(crate) fn use_shadows() {
        let _: &str = line!();
        let _: &str = concat!(a b);
    }
}

fn main() {
    shadows::use_shadows();
    // The functions are still callable exactly as written.
    assert_eq!(shadows::text("x".to_owned()), "x");
    assert!(shadows::result_struct(true).is_err());
    assert_eq!(shadows::r#match("t".to_owned()), "t");
    assert_eq!(shadows::echo("ab".to_owned(), 2), "abab");
    assert_eq!(shadows::content().len(), 2);
    shadows::nothing();
    let _ = shadows::structured(1, 2);
    let _ = shadows::full();
    assert_eq!(shadows::computed(), "computed");

    let server = mcp_runtime::McpServer::builder()
        .state(Db)
        .gateway(mcp_runtime::Gateway::new("internal", "/internal/mcp"))
        .build()
        .expect("every tool is valid");
    assert_eq!(
        server.registry().names(),
        [
            "computed", "content", "context", "echo", "full", "match", "nothing", "result_struct",
            "result_text", "search.all", "structured", "text",
        ]
    );
}
