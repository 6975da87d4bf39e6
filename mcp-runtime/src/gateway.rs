//! Gateways: several MCP endpoints served from one registry, each with its own tool set.

/// An MCP endpoint that lists and serves only the tools tagged for it
/// (`#[mcp_tool(gateways = ["name"])]`; untagged tools are on `"default"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    pub(crate) name: String,
    pub(crate) path: String,
}

impl Gateway {
    /// The name of the gateway untagged tools belong to, mounted at `/mcp` unless overridden.
    pub const DEFAULT: &'static str = "default";

    /// A gateway serving the tools tagged `name` at `path` (e.g. `/deep-research/mcp`).
    pub fn new(name: impl Into<String>, path: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            path: path.into(),
        }
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
