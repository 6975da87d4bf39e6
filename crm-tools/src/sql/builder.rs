//! Accumulates bound parameters while SQL text is assembled.

use super::{Dialect, SqlValue};

/// Binds values and hands back their placeholders, so no value is ever written into SQL text.
#[derive(Debug)]
pub(super) struct Builder<'d> {
    pub(super) dialect: &'d dyn Dialect,
    pub(super) params: Vec<SqlValue>,
    /// Counter for unique subquery aliases.
    next_alias: usize,
}

impl<'d> Builder<'d> {
    pub(super) fn new(dialect: &'d dyn Dialect) -> Self {
        Self {
            dialect,
            params: Vec::new(),
            next_alias: 0,
        }
    }

    /// Binds `value` and returns its placeholder.
    pub(super) fn bind(&mut self, value: SqlValue) -> String {
        self.params.push(value);
        self.dialect.placeholder(self.params.len())
    }

    /// Binds each value and returns `(p1, p2, …)`.
    pub(super) fn bind_list(&mut self, values: impl IntoIterator<Item = SqlValue>) -> String {
        let placeholders: Vec<String> = values.into_iter().map(|v| self.bind(v)).collect();
        format!("({})", placeholders.join(", "))
    }

    /// A fresh alias (`a1`, `a2`, …) for a nested subquery.
    pub(super) fn alias(&mut self, prefix: &str) -> String {
        self.next_alias += 1;
        format!("{prefix}{}", self.next_alias)
    }

    /// `alias."column"`.
    pub(super) fn column(&self, alias: &str, column: &str) -> String {
        format!("{alias}.{}", self.dialect.quote_ident(column))
    }

    /// A quoted table name.
    pub(super) fn table(&self, name: &str) -> String {
        self.dialect.quote_ident(name)
    }
}
