//! Every `#[mcp_tool]` linked into the binary, collected from `inventory`, validated, sorted.

use std::collections::BTreeMap;

use crate::{error::Problem, tool::ToolDef};

/// The validated set of tools, sorted by name.
///
/// Tools register themselves at link time. A crate that the binary never names is never
/// linked, so its tools silently stay out: name such crates (`use my_tools as _;`) and assert
/// the expected list in a test with [`Registry::names`].
#[derive(Debug, Clone)]
pub struct Registry {
    tools: Vec<&'static ToolDef>,
}

impl Registry {
    /// Collect every registered tool. Duplicate and malformed names are problems.
    pub(crate) fn collect() -> Result<Self, Vec<Problem>> {
        Self::from_defs(inventory::iter::<ToolDef>.into_iter())
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
            })
        } else {
            Err(problems)
        }
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
