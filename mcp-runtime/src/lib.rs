//! # mcp-runtime
//!
//! Turn plain Rust functions into Model Context Protocol tools and serve them as a
//! stateless, Streamable-HTTP MCP server on axum.
//!
//! ```no_run
//! use mcp_runtime::prelude::*;
//!
//! /// Adds two integers.
//! #[mcp_tool(read_only, idempotent)]
//! fn add(
//!     /// The first addend.
//!     a: i64,
//!     /// The second addend.
//!     b: i64,
//! ) -> Sum {
//!     Sum { sum: a + b }
//! }
//!
//! /// The result of an addition.
//! #[derive(serde::Serialize, schemars::JsonSchema)]
//! struct Sum {
//!     /// a + b
//!     sum: i64,
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let server = McpServer::builder().name("hello").build()?;
//!     server.serve("127.0.0.1:8080".parse()?).await?;
//!     Ok(())
//! }
//! ```
//!
//! Every `#[mcp_tool]` in every crate linked into the binary registers itself; there is no
//! central list. [`McpServer::router`] gives an [`axum::Router`] to nest into an existing
//! application instead of [`McpServer::serve`].
//!
//! ## What the runtime speaks
//!
//! * Handshake revisions 2025-03-26, 2025-06-18 and 2025-11-25, served statelessly: `initialize`
//!   is answered but no `Mcp-Session-Id` is ever issued, so any replica can serve any request.
//! * The stateless 2026-07-28 revision (`_meta` on every request, `server/discover`,
//!   `resultType`, `ttlMs`/`cacheScope`), on the same endpoint.
//! * OAuth 2.1 resource-server auth, opt-in ([`McpServerBuilder::auth`]): bearer tokens (JWT
//!   via JWKS, or RFC 7662 introspection), RFC 9728 metadata, per-tool scopes, and an
//!   [`AuthContext`] for tools; see [`auth`].
//! * Streamable HTTP: POST only (GET and DELETE answer 405); JSON responses, switched to
//!   `text/event-stream` for a call as soon as its tool sends a progress or log notification.
//! * Resources, resource templates and prompts ([`mcp_resource`](macro@mcp_resource),
//!   [`mcp_prompt`](macro@mcp_prompt)) with `completion/complete` hooks; their capabilities
//!   are advertised only on gateways that serve some. 2026-07-28 list and read results carry
//!   `ttlMs` and `cacheScope` (`private` under auth).
//! * Requests to the client ([`Client`]: elicitation, sampling, roots) without sticky
//!   sessions: 2026-07-28 multi-round-trip requests with an HMAC-signed `requestState` that
//!   any replica sharing the key can resume, and, for the handshake revisions, requests on the
//!   call's event stream whose reply POST must reach the same replica. See [`client`] for the
//!   design and its one scaling trade-off.
//!
//! See the [`tool`](macro@mcp_tool) attribute for how functions become tools.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod client;
mod completion;
mod context;
#[macro_use]
mod def;
mod error;
mod gateway;
mod http;
mod output;
mod prompt;
pub mod protocol;
mod readiness;
mod registry;
mod resource;
mod result;
pub mod schema;
mod server;
pub mod telemetry;
mod tool;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub mod cli;

pub use auth::AuthContext;
pub use client::{Client, ClientError};
pub use completion::{CompleteFn, Completion, CompletionRequest};
pub use context::{
    ContextError, FromToolContext, LogLevel, Reporter, RequestMeta, State, ToolContext,
};
pub use error::BuildError;
pub use gateway::Gateway;
pub use http::HttpConfig;
pub use mcp_tool_macros::{mcp_prompt, mcp_resource, mcp_tool};
pub use output::IntoToolResult;
pub use prompt::{
    GetPromptResult, IntoPromptResult, PromptArg, PromptArgument, PromptDef, PromptError,
    PromptMessage, Role,
};
pub use protocol::version::ProtocolVersion;
pub use registry::Registry;
pub use resource::{Blob, IntoResourceContents, ResourceDef, ResourceError, ResourceRequest};
pub use result::{CallToolResult, Content, ResourceContents};
pub use server::{Icon, McpServer, McpServerBuilder, ServerInfo};
pub use telemetry::{Audit, AuditLog, TraceContext};
pub use tool::{Location, Requirement, ToolAnnotations, ToolDef};

/// Everything a tool author usually needs: `use mcp_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::{
        Audit, AuthContext, Blob, CallToolResult, Client, Completion, CompletionRequest, Content,
        GetPromptResult, LogLevel, McpServer, PromptError, PromptMessage, Reporter, RequestMeta,
        ResourceContents, ResourceError, State, mcp_prompt, mcp_resource, mcp_tool,
    };
}
