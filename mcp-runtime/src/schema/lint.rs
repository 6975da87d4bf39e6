//! The lint: JSON Schema 2020-12 validity, MCP's rules, and each profile's rules.

use std::fmt;

use serde_json::Value;

use super::{Export, NoteKind, Profile, export::ToolExport};
use crate::{ToolDef, registry::is_valid_tool_name};

/// How serious a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// Something a client may refuse or misread; `schemas lint` exits 1.
    Error,
    /// A constraint a profile had to drop, or a null it lets the model send.
    Warning,
}

/// One lint result, naming the tool and the JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub kind: FindingKind,
    /// The tool.
    pub tool: String,
    /// The profile whose rules it breaks (`None`: the canonical schema or MCP's rules).
    pub profile: Option<Profile>,
    /// JSON pointer inside the tool, e.g. `/inputSchema/properties/limit`.
    pub pointer: String,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            FindingKind::Error => "error",
            FindingKind::Warning => "warning",
        };
        write!(f, "{kind}: tool `{}`", self.tool)?;
        if let Some(profile) = self.profile {
            write!(f, " [{profile}]")?;
        }
        write!(f, " {}: {}", self.pointer, self.message)
    }
}

/// Lint every tool of `export` (exported with canonical schemas) under MCP's rules, the JSON
/// Schema 2020-12 meta-schema, and the rules of each of `profiles`.
///
/// ```
/// # use mcp_runtime::{McpServer, schema::{Export, ExportOptions, FindingKind, Profile, lint}};
/// let export = Export::from_builder(McpServer::builder(), &ExportOptions::default())?;
/// let findings = lint(&export, &Profile::ALL);
/// assert!(findings.iter().all(|f| f.kind != FindingKind::Error));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lint(export: &Export, profiles: &[Profile]) -> Vec<Finding> {
    let mut out = Vec::new();
    for tool in export.tools.values() {
        lint_tool(tool, profiles, &mut out);
    }
    out
}

fn lint_tool(tool: &ToolExport, profiles: &[Profile], out: &mut Vec<Finding>) {
    let mut push = |kind, profile, pointer: String, message: String| {
        out.push(Finding {
            kind,
            tool: tool.name.clone(),
            profile,
            pointer,
            message,
        });
    };
    if !is_valid_tool_name(&tool.name) {
        let message = "MCP tool names are 1-128 characters of A-Z a-z 0-9 _ . -".to_owned();
        push(FindingKind::Error, None, "/name".into(), message);
    }
    if tool.description.trim().is_empty() {
        let message = "no description: clients (and the conformance suite) need one".to_owned();
        push(FindingKind::Error, None, "/description".into(), message);
    }
    let schemas = [
        ("/inputSchema", Some(&tool.input_schema)),
        ("/outputSchema", tool.output_schema.as_ref()),
    ];
    for (base, schema) in schemas {
        let Some(schema) = schema else { continue };
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            let message = "the root must be `type: \"object\"` (MCP up to 2025-11-25)".to_owned();
            push(FindingKind::Error, None, base.to_owned(), message);
        }
        for (pointer, message) in meta_errors(schema) {
            push(
                FindingKind::Error,
                None,
                format!("{base}{pointer}"),
                message,
            );
        }
        for profile in profiles
            .iter()
            .copied()
            .filter(|p| *p != Profile::Canonical)
        {
            let (result, rules) = if base == "/inputSchema" {
                (profile.apply_input(schema), profile)
            } else {
                (profile.apply_output(schema), Profile::Portable)
            };
            let profiled = match result {
                Ok(p) => p,
                Err(e) => {
                    let pointer = format!("{base}{}", e.pointer());
                    push(FindingKind::Error, Some(profile), pointer, e.to_string());
                    continue;
                }
            };
            let violations = rules.violations(&profiled.schema);
            for note in profiled.notes.into_iter().chain(violations) {
                let kind = match note.kind {
                    NoteKind::Relaxed => FindingKind::Warning,
                    NoteKind::Unsupported => FindingKind::Error,
                };
                push(
                    kind,
                    Some(profile),
                    format!("{base}{}", note.pointer),
                    note.message,
                );
            }
            for (pointer, message) in meta_errors(&profiled.schema) {
                let message = format!("rewritten schema is invalid: {message}");
                push(
                    FindingKind::Error,
                    Some(profile),
                    format!("{base}{pointer}"),
                    message,
                );
            }
        }
    }
}

/// Violations of the 2020-12 meta-schema, and references or patterns that do not compile.
fn meta_errors(schema: &Value) -> Vec<(String, String)> {
    let meta = jsonschema::draft202012::meta::validator();
    let errors: Vec<(String, String)> = meta
        .iter_errors(schema)
        .map(|e| (e.instance_path().as_str().to_owned(), e.to_string()))
        .collect();
    if !errors.is_empty() {
        return errors;
    }
    match jsonschema::draft202012::new(schema) {
        Ok(_) => Vec::new(),
        Err(e) => vec![(e.instance_path().as_str().to_owned(), e.to_string())],
    }
}

/// Check a tool's actual `structuredContent` against its `outputSchema` (use it in tests of
/// tools whose output type has a hand-written `JsonSchema` impl or serde attributes).
///
/// ```
/// # use mcp_runtime::{McpServer, schema::validate_structured_content};
/// # let server = McpServer::builder().build()?;
/// if let Some(tool) = server.registry().get("add") {
///     validate_structured_content(tool, &serde_json::json!({ "sum": 5 }))
///         .map_err(|findings| findings[0].to_string())?;
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Every mismatch, with the pointer into `structuredContent`; a tool without an output
/// schema is one finding.
pub fn validate_structured_content(tool: &ToolDef, structured: &Value) -> Result<(), Vec<Finding>> {
    let finding = |pointer: String, message: String| Finding {
        kind: FindingKind::Error,
        tool: tool.name().to_owned(),
        profile: None,
        pointer,
        message,
    };
    let Some(schema) = (tool.output_schema)() else {
        let message = "the tool declares no outputSchema".to_owned();
        return Err(vec![finding("/outputSchema".into(), message)]);
    };
    let validator = jsonschema::draft202012::new(schema.as_value())
        .map_err(|e| vec![finding("/outputSchema".into(), e.to_string())])?;
    let errors: Vec<Finding> = validator
        .iter_errors(structured)
        .map(|e| {
            let pointer = format!("/structuredContent{}", e.instance_path().as_str());
            finding(pointer, e.to_string())
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
