//! The IR types.

use crate::model::ObjectType;

use super::{DEFAULT_LIMIT, Value};

/// What a filter tests: a catalogue property, or association with records of another type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A property, by its catalogue name (already lowercase and known to be visible).
    Property(String),
    /// The `associated_<type>` pseudo-property: ids of associated records of that type.
    Associated(ObjectType),
}

/// An operator with its typed operands.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Equal (case-insensitive for text; whole day for date-only values).
    Eq(Value),
    /// Not equal; also matches unset values.
    Neq(Value),
    /// Less than.
    Lt(Value),
    /// Less than or equal (a date-only value includes the whole day).
    Lte(Value),
    /// Greater than (a date-only value excludes the whole day).
    Gt(Value),
    /// Greater than or equal.
    Gte(Value),
    /// Inclusive range: `Gte(lo)` and `Lte(hi)`.
    Between(Value, Value),
    /// Equal to one of the values.
    In(Vec<Value>),
    /// Equal to none of the values; also matches unset values.
    NotIn(Vec<Value>),
    /// Set and non-empty.
    HasProperty,
    /// Unset or empty.
    NotHasProperty,
    /// Token match (see [`super::contains_token`]).
    ContainsToken(String),
    /// No token match; also matches unset values.
    NotContainsToken(String),
}

/// One filter: a target and a condition on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// What is tested.
    pub target: Target,
    /// How it is tested.
    pub condition: Condition,
}

/// Filters that must all hold (AND).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterGroup {
    /// The filters.
    pub filters: Vec<Filter>,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// The single sort rule; ties are always broken by `hs_object_id` ascending so paging is stable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// The catalogue name of the sort property.
    pub property: String,
    /// The direction.
    pub direction: Direction,
}

impl Default for Sort {
    /// `hs_object_id` ascending, the order when no sort is given.
    fn default() -> Self {
        Self {
            property: "hs_object_id".to_owned(),
            direction: Direction::Asc,
        }
    }
}

/// A complete, validated search over one object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The object type searched.
    pub object_type: ObjectType,
    /// OR of AND groups; empty means every (visible) record.
    pub groups: Vec<FilterGroup>,
    /// Free text over the type's searchable properties (AND of whitespace-separated terms).
    pub q: Option<String>,
    /// The sort rule.
    pub sort: Sort,
    /// Page size.
    pub limit: u32,
    /// Records skipped before the page.
    pub offset: u32,
}

impl Query {
    /// Every record of `object_type`, default sort and paging.
    pub fn all(object_type: ObjectType) -> Self {
        Self {
            object_type,
            groups: Vec::new(),
            q: None,
            sort: Sort::default(),
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }

    /// The `associated_<type>` filters of all groups.
    pub fn associated(&self) -> impl Iterator<Item = &Filter> {
        self.groups
            .iter()
            .flat_map(|g| &g.filters)
            .filter(|f| matches!(f.target, Target::Associated(_)))
    }
}
