//! Argument types shared by several tools, in HubSpot's camelCase shapes.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::filter::{
    Direction, FilterError, FilterGroup, GroupsError, Operator, RawFilter, Schema, Sort,
    check_groups,
};
use crate::model::ObjectType;

use super::ToolError;

/// A CRM object type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ObjectTypeArg {
    /// Contacts (people).
    #[serde(alias = "contact", alias = "0-1")]
    Contacts,
    /// Companies.
    #[serde(alias = "company", alias = "0-2")]
    Companies,
    /// Deals.
    #[serde(alias = "deal", alias = "0-3")]
    Deals,
    /// Support tickets.
    #[serde(alias = "ticket", alias = "0-5")]
    Tickets,
}

impl From<ObjectTypeArg> for ObjectType {
    fn from(arg: ObjectTypeArg) -> Self {
        match arg {
            ObjectTypeArg::Contacts => Self::Contacts,
            ObjectTypeArg::Companies => Self::Companies,
            ObjectTypeArg::Deals => Self::Deals,
            ObjectTypeArg::Tickets => Self::Tickets,
        }
    }
}

/// Filters that must all hold.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct FilterGroupArg {
    /// The filters (at most 6 per group).
    pub(super) filters: Vec<FilterArg>,
}

/// One filter.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct FilterArg {
    /// A property name, or `associated_<objectType>` (e.g. `associated_companies`) to match
    /// records associated with the given record ids (EQ, NEQ, IN, NOT_IN only).
    property_name: String,
    /// EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY,
    /// CONTAINS_TOKEN or NOT_CONTAINS_TOKEN.
    operator: String,
    /// The value (dates as `YYYY-MM-DD` — a whole UTC day —, RFC 3339 or epoch milliseconds).
    #[serde(default)]
    value: Option<ScalarArg>,
    /// The upper bound for BETWEEN (inclusive).
    #[serde(default)]
    high_value: Option<ScalarArg>,
    /// The values for IN and NOT_IN (at most 100).
    #[serde(default)]
    values: Option<Vec<ScalarArg>>,
}

/// A filter value: models send numbers and booleans as JSON or as strings; both work.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(super) enum ScalarArg {
    /// Text.
    Text(String),
    /// A number.
    Number(serde_json::Number),
    /// A boolean.
    Bool(bool),
}

impl ScalarArg {
    fn into_string(self) -> String {
        match self {
            Self::Text(t) => t,
            Self::Number(n) => n.to_string(),
            Self::Bool(b) => b.to_string(),
        }
    }
}

impl FilterArg {
    /// The raw filter the shared checker takes; the operator is matched case-insensitively.
    pub(super) fn into_raw(self, group: usize, index: usize) -> Result<RawFilter, ToolError> {
        let operator = Operator::parse(&self.operator.to_ascii_lowercase()).ok_or_else(|| {
            ToolError::invalid(format!(
                "filterGroups[{group}].filters[{index}]: unknown operator `{}`; use one of EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN",
                self.operator
            ))
        })?;
        let mut values: Vec<String> = Vec::new();
        values.extend(self.value.map(ScalarArg::into_string));
        values.extend(self.high_value.map(ScalarArg::into_string));
        values.extend(
            self.values
                .into_iter()
                .flatten()
                .map(ScalarArg::into_string),
        );
        Ok(RawFilter {
            property: self.property_name,
            operator,
            values,
        })
    }
}

/// Checks `filterGroups` against what the viewer may see, into IR groups; an unknown property's
/// message names the nearest visible ones.
pub(super) fn checked_groups(
    schema: &Schema<'_>,
    groups: Vec<FilterGroupArg>,
) -> Result<Vec<FilterGroup>, ToolError> {
    check_groups(schema, &raw_groups(groups)?).map_err(|e| {
        let mut message = e.to_string();
        if let GroupsError::Filter {
            error: FilterError::UnknownProperty { suggestions, .. },
            ..
        } = &e
            && !suggestions.is_empty()
        {
            message.push_str(&format!(". Closest names: {}", suggestions.join(", ")));
        }
        message.push_str(". search_properties lists the property names of each object type");
        ToolError::Invalid(message)
    })
}

/// Converts `filterGroups` into raw groups for [`crate::filter::check_groups`].
fn raw_groups(groups: Vec<FilterGroupArg>) -> Result<Vec<Vec<RawFilter>>, ToolError> {
    groups
        .into_iter()
        .enumerate()
        .map(|(g, group)| {
            group
                .filters
                .into_iter()
                .enumerate()
                .map(|(i, f)| f.into_raw(g, i))
                .collect()
        })
        .collect()
}

/// A sort rule.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct SortArg {
    /// The property to sort by.
    pub(super) property_name: String,
    /// ASCENDING (default) or DESCENDING.
    #[serde(default)]
    pub(super) direction: Option<DirectionArg>,
}

/// A sort direction.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
pub(super) enum DirectionArg {
    /// Smallest first.
    #[serde(
        rename = "ASCENDING",
        alias = "asc",
        alias = "ascending",
        alias = "ASC"
    )]
    Ascending,
    /// Largest first.
    #[serde(
        rename = "DESCENDING",
        alias = "desc",
        alias = "descending",
        alias = "DESC"
    )]
    Descending,
}

impl SortArg {
    pub(super) fn into_sort(self) -> Sort {
        Sort {
            property: self.property_name,
            direction: match self.direction {
                Some(DirectionArg::Descending) => Direction::Desc,
                _ => Direction::Asc,
            },
        }
    }
}
