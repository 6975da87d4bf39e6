//! Every `#[mcp_tool]`, `#[mcp_resource]` and `#[mcp_prompt]` linked into the binary,
//! collected from `inventory`, validated, sorted.

use std::collections::BTreeMap;

use crate::{error::Problem, prompt::PromptDef, resource::ResourceDef, tool::ToolDef};

/// The validated set of tools (sorted by name), resources (sorted by URI) and prompts (sorted
/// by name).
///
/// Everything registers itself at link time. A crate that the binary never names is never
/// linked, so its items silently stay out: name such crates (`use my_tools as _;`) and assert
/// the expected list in a test with [`Registry::names`].
#[derive(Debug, Clone)]
pub struct Registry {
    tools: Vec<&'static ToolDef>,
    resources: Vec<&'static ResourceDef>,
    prompts: Vec<&'static PromptDef>,
}

impl Registry {
    /// Collect every registered tool, resource and prompt. Duplicates and malformed names or
    /// templates are problems.
    pub(crate) fn collect() -> Result<Self, Vec<Problem>> {
        let tools = Self::from_defs(inventory::iter::<ToolDef>.into_iter());
        let resources = collect_resources(inventory::iter::<ResourceDef>.into_iter());
        let prompts = collect_prompts(inventory::iter::<PromptDef>.into_iter());
        match (tools, resources, prompts) {
            (Ok(mut registry), Ok(resources), Ok(prompts)) => {
                registry.resources = resources;
                registry.prompts = prompts;
                Ok(registry)
            }
            (tools, resources, prompts) => Err([tools.err(), resources.err(), prompts.err()]
                .into_iter()
                .flatten()
                .flatten()
                .collect()),
        }
    }

    /// Replace the resources and prompts (builders that serve a subset).
    pub(crate) fn with_resources_and_prompts(
        mut self,
        resources: Vec<&'static ResourceDef>,
        prompts: Vec<&'static PromptDef>,
    ) -> Result<Self, Vec<Problem>> {
        let resources = collect_resources(resources.into_iter());
        let prompts = collect_prompts(prompts.into_iter());
        match (resources, prompts) {
            (Ok(resources), Ok(prompts)) => {
                self.resources = resources;
                self.prompts = prompts;
                Ok(self)
            }
            (resources, prompts) => Err([resources.err(), prompts.err()]
                .into_iter()
                .flatten()
                .flatten()
                .collect()),
        }
    }

    pub(crate) fn from_defs(
        defs: impl Iterator<Item = &'static ToolDef>,
    ) -> Result<Self, Vec<Problem>> {
        let mut by_name: BTreeMap<&'static str, &'static ToolDef> = BTreeMap::new();
        let mut problems = Vec::new();
        let mut defs: Vec<_> = defs.collect();
        // inventory's order is unspecified; sort so duplicate reports are deterministic.
        defs.sort_by_key(|d| (d.name, d.location.file, d.location.line, d.location.column));
        for def in defs {
            if !is_valid_tool_name(def.name) {
                problems.push(Problem::InvalidToolName {
                    name: def.name,
                    location: def.location,
                });
            }
            if let Some(first) = by_name.get(def.name) {
                problems.push(Problem::DuplicateTool {
                    name: def.name,
                    first: first.location,
                    second: def.location,
                });
                continue;
            }
            by_name.insert(def.name, def);
        }
        if problems.is_empty() {
            Ok(Self {
                tools: by_name.into_values().collect(),
                resources: Vec::new(),
                prompts: Vec::new(),
            })
        } else {
            Err(problems)
        }
    }

    /// All resources and resource templates, sorted by URI.
    pub fn resources(&self) -> &[&'static ResourceDef] {
        &self.resources
    }

    /// All prompts, sorted by name.
    pub fn prompts(&self) -> &[&'static PromptDef] {
        &self.prompts
    }

    /// All tools, sorted by name.
    pub fn tools(&self) -> &[&'static ToolDef] {
        &self.tools
    }

    /// All tool names, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        self.tools.iter().map(|t| t.name).collect()
    }

    /// The tool with this name.
    pub fn get(&self, name: &str) -> Option<&'static ToolDef> {
        self.tools
            .binary_search_by(|t| t.name.cmp(name))
            .ok()
            .map(|i| self.tools[i])
    }
}

fn collect_resources(
    defs: impl Iterator<Item = &'static ResourceDef>,
) -> Result<Vec<&'static ResourceDef>, Vec<Problem>> {
    let mut defs: Vec<_> = defs.collect();
    defs.sort_by_key(|d| (d.uri, d.location.file, d.location.line, d.location.column));
    let mut problems = Vec::new();
    let mut out: Vec<&'static ResourceDef> = Vec::new();
    for def in defs {
        if def.template && crate::resource::template_variables(def.uri).is_none() {
            problems.push(Problem::InvalidResourceTemplate {
                template: def.uri,
                location: def.location,
            });
        }
        match out.last() {
            Some(first) if first.uri == def.uri => problems.push(Problem::DuplicateResource {
                uri: def.uri,
                first: first.location,
                second: def.location,
            }),
            _ => out.push(def),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn collect_prompts(
    defs: impl Iterator<Item = &'static PromptDef>,
) -> Result<Vec<&'static PromptDef>, Vec<Problem>> {
    let mut defs: Vec<_> = defs.collect();
    defs.sort_by_key(|d| (d.name, d.location.file, d.location.line, d.location.column));
    let mut problems = Vec::new();
    let mut out: Vec<&'static PromptDef> = Vec::new();
    for def in defs {
        match out.last() {
            Some(first) if first.name == def.name => problems.push(Problem::DuplicatePrompt {
                name: def.name,
                first: first.location,
                second: def.location,
            }),
            _ => out.push(def),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// MCP's tool-name rule (2025-11-25): 1–128 characters of `A-Za-z0-9_.-`.
pub(crate) fn is_valid_tool_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::is_valid_tool_name;

    #[test]
    fn tool_name_rule() {
        assert!(is_valid_tool_name("add"));
        assert!(is_valid_tool_name("crm.search-objects_v2"));
        assert!(!is_valid_tool_name(""));
        assert!(!is_valid_tool_name("has space"));
        assert!(!is_valid_tool_name("comma,"));
        assert!(!is_valid_tool_name(&"x".repeat(129)));
        assert!(is_valid_tool_name(&"x".repeat(128)));
    }
}
