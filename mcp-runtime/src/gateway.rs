//! Gateways: several MCP endpoints served from one registry, each with its own tool set.

use crate::schema::Profile;

/// An MCP endpoint that lists and serves only the tools tagged for it
/// (`#[mcp_tool(gateways = ["name"])]`; untagged tools are on `"default"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) profile: Option<Profile>,
}

impl Gateway {
    /// The name of the gateway untagged tools belong to, mounted at `/mcp` unless overridden.
    pub const DEFAULT: &'static str = "default";

    /// A gateway serving the tools tagged `name` at `path` (e.g. `/deep-research/mcp`).
    pub fn new(name: impl Into<String>, path: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            path: path.into(),
            profile: None,
        }
    }

    /// Serve this gateway's tool schemas rewritten for `profile` (default: the builder's
    /// [`schema_profile`](crate::McpServerBuilder::schema_profile)). The rewrite happens once,
    /// at `build()`; requests pay nothing for it.
    ///
    /// ```
    /// use mcp_runtime::{Gateway, schema::Profile};
    ///
    /// let gateway = Gateway::new("chatgpt", "/chatgpt/mcp").schema_profile(Profile::OpenAiStrict);
    /// assert_eq!(gateway.profile(), Some(Profile::OpenAiStrict));
    /// ```
    pub fn schema_profile(mut self, profile: Profile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// The schema profile set with [`schema_profile`](Self::schema_profile), if any. On the
    /// gateways of a built server ([`McpServer::gateways`](crate::McpServer::gateways)) it is
    /// always set: the profile actually served.
    pub fn profile(&self) -> Option<Profile> {
        self.profile
    }

    /// The gateway's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The path it is mounted at.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether a tool with these gateway tags belongs here.
    pub(crate) fn serves(&self, tags: &[&str]) -> bool {
        if tags.is_empty() {
            self.name == Self::DEFAULT
        } else {
            tags.iter().any(|t| *t == self.name)
        }
    }
}
