//! Argument completion (`completion/complete`): the hook a prompt or resource template names
//! with `complete(arg = path)`.
//!
//! A completer is any function `fn(&CompletionRequest) -> impl Into<Completion>`. It runs
//! synchronously on the request's task, so keep it cheap (filter a list, query an index);
//! the runtime caps the answer at 100 values and sets `hasMore` itself.

use std::collections::BTreeMap;

use serde::Serialize;

/// What the client typed so far, for one argument of one prompt or resource template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionRequest {
    pub(crate) argument: String,
    pub(crate) value: String,
    pub(crate) context: BTreeMap<String, String>,
}

impl CompletionRequest {
    /// A request (for tests of completers).
    pub fn new(argument: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            argument: argument.into(),
            value: value.into(),
            context: BTreeMap::new(),
        }
    }

    /// Add an already-resolved argument (2025-06-18+ `context.arguments`).
    pub fn with_context(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.context.insert(name.into(), value.into());
        self
    }

    /// The argument (prompt argument or template variable) being completed.
    pub fn argument(&self) -> &str {
        &self.argument
    }

    /// The partial value typed so far.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Values of other arguments the client already resolved.
    pub fn context(&self, name: &str) -> Option<&str> {
        self.context.get(name).map(String::as_str)
    }
}

/// Completion values for one argument (at most 100 are sent; the rest sets `hasMore`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Completion {
    /// The suggested values, best first.
    pub values: Vec<String>,
    /// The number of matches in total, if known (may exceed `values.len()`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Whether more matches exist than were sent.
    pub has_more: bool,
}

impl Completion {
    /// The most values one answer may carry (MCP's limit).
    pub const MAX_VALUES: usize = 100;

    /// No suggestions.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Every `candidate` that starts with `prefix` (case-insensitively), in the given order.
    pub fn matching<I, S>(prefix: &str, candidates: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let prefix = prefix.to_lowercase();
        candidates
            .into_iter()
            .map(Into::into)
            .filter(|c: &String| c.to_lowercase().starts_with(&prefix))
            .collect::<Vec<_>>()
            .into()
    }

    /// Enforce the 100-value limit.
    pub(crate) fn capped(mut self) -> Self {
        if self.values.len() > Self::MAX_VALUES {
            let total = self.values.len() as u64;
            self.values.truncate(Self::MAX_VALUES);
            self.has_more = true;
            self.total.get_or_insert(total);
        }
        self
    }
}

impl From<Vec<String>> for Completion {
    fn from(values: Vec<String>) -> Self {
        Self {
            values,
            total: None,
            has_more: false,
        }
    }
}

impl From<Vec<&str>> for Completion {
    fn from(values: Vec<&str>) -> Self {
        values
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
            .into()
    }
}

/// The completion hook generated for a prompt or template: dispatches on the argument name.
pub type CompleteFn = fn(&CompletionRequest) -> Completion;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_and_cap() {
        let c = Completion::matching("ap", ["Apple", "apricot", "banana"]);
        assert_eq!(c.values, ["Apple", "apricot"]);
        let many: Vec<String> = (0..150).map(|i| i.to_string()).collect();
        let c = Completion::from(many).capped();
        assert_eq!(c.values.len(), 100);
        assert!(c.has_more);
        assert_eq!(c.total, Some(150));
    }
}
