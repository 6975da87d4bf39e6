//! Every `#[mcp_tool]`, `#[mcp_resource]` and `#[mcp_prompt]` linked into the binary,
//! collected from `inventory`, validated, sorted.

use crate::{
    error::Problem,
    prompt::PromptDef,
    resource::ResourceDef,
    tool::{Location, ToolDef},
};

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
        let tools = unique_by_key(
            defs,
            |d| (d.name, d.location),
            |d| {
                (!is_valid_tool_name(d.name)).then_some(Problem::InvalidToolName {
                    name: d.name,
                    location: d.location,
                })
            },
            |name, first, second| Problem::DuplicateTool {
                name,
                first,
                second,
            },
        )?;
        Ok(Self {
            tools,
            resources: Vec::new(),
            prompts: Vec::new(),
        })
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
    unique_by_key(
        defs,
        |d| (d.uri, d.location),
        |d| {
            (d.template && crate::resource::template_variables(d.uri).is_none()).then_some(
                Problem::InvalidResourceTemplate {
                    template: d.uri,
                    location: d.location,
                },
            )
        },
        |uri, first, second| Problem::DuplicateResource { uri, first, second },
    )
}

fn collect_prompts(
    defs: impl Iterator<Item = &'static PromptDef>,
) -> Result<Vec<&'static PromptDef>, Vec<Problem>> {
    unique_by_key(
        defs,
        |d| (d.name, d.location),
        |_| None,
        |name, first, second| Problem::DuplicatePrompt {
            name,
            first,
            second,
        },
    )
}

/// The defs sorted by key, the first of each key kept. Each def that `invalid` rejects and
/// each later def with a key already seen (`duplicate(key, first, second)`) is a problem,
/// reported in that sorted order. Ties sort by declaration site: inventory's order is
/// unspecified, and this keeps the kept def and the reports deterministic.
fn unique_by_key<D>(
    defs: impl Iterator<Item = &'static D>,
    key: fn(&D) -> (&'static str, Location),
    invalid: impl Fn(&D) -> Option<Problem>,
    duplicate: impl Fn(&'static str, Location, Location) -> Problem,
) -> Result<Vec<&'static D>, Vec<Problem>> {
    let mut defs: Vec<(&'static str, Location, &'static D)> = defs
        .map(|d| {
            let (k, location) = key(d);
            (k, location, d)
        })
        .collect();
    defs.sort_by_key(|(k, l, _)| (*k, l.file, l.line, l.column));
    let mut problems = Vec::new();
    let mut out: Vec<(&'static str, Location, &'static D)> = Vec::new();
    for (k, location, def) in defs {
        problems.extend(invalid(def));
        match out.last() {
            Some((first, first_location, _)) if *first == k => {
                problems.push(duplicate(k, *first_location, location));
            }
            _ => out.push((k, location, def)),
        }
    }
    if problems.is_empty() {
        Ok(out.into_iter().map(|(_, _, def)| def).collect())
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
