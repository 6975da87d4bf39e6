//! The export document: every tool of a server, canonical and deterministic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Profile, ProfileError, keywords};
use crate::{BuildError, McpServer, McpServerBuilder, ToolDef};

/// The export format's version, written as `"format"`.
pub const FORMAT: u32 = 1;

/// Every tool of a server and the gateways serving them: the schema contract a snapshot
/// records. Keys are sorted at every level and schemas are the tools' canonical (2020-12)
/// schemas unless [`ExportOptions::profile`] asks otherwise, so the text is the same on every
/// build and platform.
///
/// ```
/// # use mcp_runtime::{McpServer, schema::{Export, ExportOptions}};
/// let export = Export::from_builder(McpServer::builder(), &ExportOptions::default())?;
/// assert!(export.to_json().ends_with("}\n"));
/// assert_eq!(Export::from_json(&export.to_json())?, export);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Export {
    /// The format version ([`FORMAT`]).
    pub format: u32,
    /// Mounted gateways by name.
    pub gateways: BTreeMap<String, GatewayExport>,
    /// Tools by name.
    pub tools: BTreeMap<String, ToolExport>,
}

/// One gateway in an [`Export`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GatewayExport {
    /// Where it is mounted (e.g. `/mcp`).
    pub path: String,
    /// The schema profile it serves.
    pub profile: Profile,
    /// The names of the tools it serves, sorted.
    pub tools: Vec<String>,
}

/// One tool in an [`Export`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct ToolExport {
    /// The tool's name.
    pub name: String,
    /// Display title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The description.
    pub description: String,
    /// Behaviour hints that are set, as MCP names them (`readOnlyHint`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, bool>,
    /// OAuth scopes a caller needs, sorted.
    pub scopes: Vec<String>,
    /// Gateway tags as declared (empty: the default gateway), sorted.
    pub gateways: Vec<String>,
    /// Client capabilities the tool needs, sorted.
    pub client_capabilities: Vec<String>,
    /// `inputSchema`.
    pub input_schema: Value,
    /// `outputSchema`, for tools with structured output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<Value>,
    /// `file:line:column` of the declaration, with `/` separators
    /// ([`ExportOptions::locations`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// What [`Export`] includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportOptions {
    /// Rewrite every schema for this profile instead of exporting the canonical ones.
    pub profile: Option<Profile>,
    /// Record each tool's source location (off by default: it changes with unrelated edits).
    pub locations: bool,
}

impl ExportOptions {
    /// Export schemas rewritten for `profile`.
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// Include source locations.
    pub fn locations(mut self, on: bool) -> Self {
        self.locations = on;
        self
    }
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The server does not build.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// A schema cannot be rewritten for the requested profile.
    #[error("the {which} schema of tool `{tool}`: {error}")]
    Profile {
        /// The tool.
        tool: String,
        /// `"input"` or `"output"`.
        which: &'static str,
        /// Why.
        error: ProfileError,
    },
}

impl Export {
    /// Export a built server.
    ///
    /// # Errors
    ///
    /// [`ExportError::Profile`] when [`ExportOptions::profile`] cannot rewrite a schema.
    pub fn from_server(server: &McpServer, options: &ExportOptions) -> Result<Self, ExportError> {
        let gateways = server
            .gateways()
            .into_iter()
            .map(|g| {
                let tools = server
                    .tool_names(g.name())
                    .unwrap_or_default()
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                let export = GatewayExport {
                    path: g.path().to_owned(),
                    profile: g.profile().unwrap_or_default(),
                    tools,
                };
                (g.name().to_owned(), export)
            })
            .collect();
        let tools = server
            .registry()
            .tools()
            .iter()
            .map(|def| Ok((def.name().to_owned(), ToolExport::new(def, options)?)))
            .collect::<Result<_, ExportError>>()?;
        Ok(Self {
            format: FORMAT,
            gateways,
            tools,
        })
    }

    /// Build `builder` for reading schemas only (unregistered state and missing auth are not
    /// problems here) and export it. Needs no network and no data directory.
    ///
    /// # Errors
    ///
    /// The server does not build, or a schema cannot be rewritten for the requested profile.
    pub fn from_builder(
        builder: McpServerBuilder,
        options: &ExportOptions,
    ) -> Result<Self, ExportError> {
        let server = builder.schemas_only().build()?;
        Self::from_server(&server, options)
    }

    /// The document as pretty-printed JSON with sorted keys and a final newline.
    pub fn to_json(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        let mut text = serde_json::to_string_pretty(&keywords::sorted(&value)).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Parse a document written by [`to_json`](Self::to_json).
    ///
    /// # Errors
    ///
    /// The text is not JSON or not an export document.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl ToolExport {
    fn new(def: &ToolDef, options: &ExportOptions) -> Result<Self, ExportError> {
        let sorted = |items: &[&str]| {
            let mut items: Vec<String> = items.iter().map(|s| (*s).to_owned()).collect();
            items.sort();
            items.dedup();
            items
        };
        let a = def.annotations();
        let annotations = [
            ("readOnlyHint", a.read_only),
            ("destructiveHint", a.destructive),
            ("idempotentHint", a.idempotent),
            ("openWorldHint", a.open_world),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
        .collect();
        let profile = options.profile.unwrap_or_default();
        let rewrite = |which, schema: Value| {
            let result = if which == "input" {
                profile.apply_input(&schema)
            } else {
                profile.apply_output(&schema)
            };
            result
                .map(|p| p.schema)
                .map_err(|error| ExportError::Profile {
                    tool: def.name().to_owned(),
                    which,
                    error,
                })
        };
        let location = options.locations.then(|| {
            let l = def.location();
            format!("{}:{}:{}", l.file.replace('\\', "/"), l.line, l.column)
        });
        Ok(Self {
            name: def.name().to_owned(),
            title: def.title().map(str::to_owned),
            description: def.description().to_owned(),
            annotations,
            scopes: sorted(def.scopes()),
            gateways: sorted(def.gateways()),
            client_capabilities: sorted(def.client_capabilities()),
            input_schema: rewrite("input", (def.input_schema)().to_value())?,
            output_schema: (def.output_schema)()
                .map(|s| rewrite("output", s.to_value()))
                .transpose()?,
            location,
        })
    }
}
