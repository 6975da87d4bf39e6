//! `#[mcp_resource]` and `#[mcp_prompt]` expansions must not depend on the user's scope either:
//! the prelude names they could use are shadowed here, under `#![deny(warnings)]`, sync and
//! async, with template variables, context parameters and completers.

#![deny(warnings, missing_docs)]

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
    struct Future;
    struct From;
    struct Into;
    mod core {}
    mod std {}
    mod inventory {}
    mod mcp_runtime {}

    use ::mcp_runtime::prelude::{
        Client, Completion, CompletionRequest, PromptMessage, ResourceError, State, mcp_prompt,
        mcp_resource,
    };

    /// A fixed resource.
    #[mcp_resource(uri = "h://fixed", mime_type = "text/plain")]
    fn fixed() -> &'static str {
        "fixed"
    }

    /// A template with two variables and state.
    #[mcp_resource(template = "h://{kind}/{id}", complete(kind = kinds))]
    async fn item(
        kind: ::std::string::String,
        id: u64,
        #[ctx] _db: State<super::Db>,
    ) -> ::core::result::Result<::std::string::String, ResourceError> {
        ::core::result::Result::Ok(::std::format!("{kind}/{id}"))
    }

    fn kinds(_: &CompletionRequest) -> Completion {
        Completion::empty()
    }

    /// A prompt with a required and an optional argument.
    #[mcp_prompt(complete(topic = kinds))]
    fn plain(
        /// The topic.
        topic: ::std::string::String,
        /// A tone.
        tone: ::core::option::Option<::std::string::String>,
    ) -> PromptMessage {
        PromptMessage::user(::std::format!("{topic} {tone:?}"))
    }

    /// An async prompt that may ask the client.
    #[mcp_prompt]
    async fn asking(#[ctx] _client: Client) -> &'static str {
        "asked"
    }
}

/// Shared state.
pub struct Db;

fn main() {}
