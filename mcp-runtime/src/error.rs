//! Errors reported when a server is built.

use std::fmt;

use crate::tool::Location;

/// `McpServerBuilder::build` found problems. All of them are listed, not only the first.
#[derive(Debug)]
pub struct BuildError {
    problems: Vec<Problem>,
}

impl BuildError {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        Self { problems }
    }

    /// Every problem found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the MCP server could not be built ({} problem",
            self.problems.len()
        )?;
        if self.problems.len() != 1 {
            f.write_str("s")?;
        }
        f.write_str("):")?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// One problem found by `build()`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// Two tools share a name (possibly declared in different crates).
    #[error("tool name `{name}` is registered twice: at {first} and at {second}")]
    DuplicateTool {
        /// The shared name.
        name: &'static str,
        /// One declaration.
        first: Location,
        /// The other.
        second: Location,
    },
    /// Two resources (or templates) share a URI.
    #[error("resource URI `{uri}` is registered twice: at {first} and at {second}")]
    DuplicateResource {
        /// The shared URI.
        uri: &'static str,
        /// One declaration.
        first: Location,
        /// The other.
        second: Location,
    },
    /// Two prompts share a name.
    #[error("prompt name `{name}` is registered twice: at {first} and at {second}")]
    DuplicatePrompt {
        /// The shared name.
        name: &'static str,
        /// One declaration.
        first: Location,
        /// The other.
        second: Location,
    },
    /// A resource template is not a valid `{var}` / `{+var}` URI template.
    #[error("resource template `{template}` (at {location}) is not a valid URI template")]
    InvalidResourceTemplate {
        /// The template.
        template: &'static str,
        /// Where it was declared.
        location: Location,
    },
    /// A resource or prompt is tagged only for gateways that are not mounted.
    #[error("{what} `{name}` (at {location}) is on gateways {tagged:?}, none of which is mounted")]
    ItemOnNoGateway {
        /// `"resource"` or `"prompt"`.
        what: &'static str,
        /// Its URI or name.
        name: &'static str,
        /// The gateways it is tagged for.
        tagged: Vec<&'static str>,
        /// Where it was declared.
        location: Location,
    },
    /// A resource or prompt needs `State<T>` that was never registered, or auth.
    #[error("{what} `{name}` (at {location}) needs {needs}")]
    ItemRequirement {
        /// `"resource"` or `"prompt"`.
        what: &'static str,
        /// Its URI or name.
        name: &'static str,
        /// What is missing.
        needs: String,
        /// Where it was declared.
        location: Location,
    },
    /// A name breaks MCP's naming rule (1–128 of `A-Za-z0-9_.-`).
    #[error("tool name `{name}` (at {location}) must be 1-128 characters of A-Z a-z 0-9 _ . -")]
    InvalidToolName {
        /// The name.
        name: &'static str,
        /// Where it was declared.
        location: Location,
    },
    /// An input or output schema's root is not `type: "object"`.
    #[error(
        "the {which} schema of tool `{tool}` (at {location}) must describe a JSON object; wrap the value in a struct"
    )]
    SchemaNotObject {
        /// The tool.
        tool: &'static str,
        /// `"input"` or `"output"`.
        which: &'static str,
        /// Where it was declared.
        location: Location,
    },
    /// A tool needs `State<T>` that was never registered.
    #[error(
        "tool `{tool}` (at {location}) needs shared state of type `{type_name}`: register it with McpServerBuilder::state"
    )]
    MissingState {
        /// The tool.
        tool: &'static str,
        /// The state type.
        type_name: &'static str,
        /// Where the tool was declared.
        location: Location,
    },
    /// A tool takes `AuthContext` but the server has no auth configured.
    #[error(
        "tool `{tool}` (at {location}) takes an AuthContext, but the server is built without auth: configure McpServerBuilder::auth, or take Option<AuthContext>"
    )]
    AuthRequired {
        /// The tool.
        tool: &'static str,
        /// Where the tool was declared.
        location: Location,
    },
    /// The auth configuration is unusable.
    #[error("auth: {0}")]
    AuthConfig(String),
    /// A tool is tagged only for gateways that are not mounted.
    #[error(
        "tool `{tool}` (at {location}) is on gateways {tagged:?}, none of which is mounted (mounted: {mounted:?})"
    )]
    ToolOnNoGateway {
        /// The tool.
        tool: &'static str,
        /// The gateways it is tagged for.
        tagged: Vec<&'static str>,
        /// The gateways the builder mounts.
        mounted: Vec<String>,
        /// Where the tool was declared.
        location: Location,
    },
    /// Two gateways share a name or a path.
    #[error("gateway {what} `{value}` is used twice")]
    DuplicateGateway {
        /// `"name"` or `"path"`.
        what: &'static str,
        /// The shared value.
        value: String,
    },
    /// A gateway path is not an absolute path.
    #[error("gateway path `{path}` must start with `/`")]
    InvalidGatewayPath {
        /// The path.
        path: String,
    },
    /// A tool's schema cannot be rewritten for the schema profile its gateway serves.
    #[error(
        "the {which} schema of tool `{tool}` (at {location}) cannot be served with the `{profile}` profile of gateway `{gateway}`: {error}"
    )]
    SchemaProfile {
        /// The tool.
        tool: &'static str,
        /// `"input"` or `"output"`.
        which: &'static str,
        /// The gateway.
        gateway: String,
        /// Its profile.
        profile: crate::schema::Profile,
        /// Why.
        error: crate::schema::ProfileError,
        /// Where the tool was declared.
        location: Location,
    },
}
