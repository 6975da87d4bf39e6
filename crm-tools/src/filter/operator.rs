//! HubSpot's filter operators, plus how many values each takes and which property types allow it.

use std::fmt;

use crate::model::PropertyType;

/// A filter operator; the DSL spells them lowercase (`not_in`), the Search API uppercase (`NOT_IN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// Equal.
    Eq,
    /// Not equal (also matches unset values).
    Neq,
    /// Less than.
    Lt,
    /// Less than or equal.
    Lte,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Gte,
    /// Inclusive range (`lo,hi`).
    Between,
    /// One of a list.
    In,
    /// None of a list (also matches unset values).
    NotIn,
    /// Set and non-empty.
    HasProperty,
    /// Unset or empty.
    NotHasProperty,
    /// Token match with `*` wildcards.
    ContainsToken,
    /// No token match (also matches unset values).
    NotContainsToken,
}

/// How many values an operator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// None (`has_property`).
    None,
    /// Exactly one.
    One,
    /// Exactly two (`between`).
    Two,
    /// One or more (`in`).
    Many,
}

impl Operator {
    /// Every operator, in the order the DSL documentation lists them.
    pub const ALL: [Self; 13] = [
        Self::Eq,
        Self::Neq,
        Self::Gt,
        Self::Gte,
        Self::Lt,
        Self::Lte,
        Self::Between,
        Self::In,
        Self::NotIn,
        Self::ContainsToken,
        Self::NotContainsToken,
        Self::HasProperty,
        Self::NotHasProperty,
    ];

    /// The DSL spelling (`not_in`).
    pub fn dsl_name(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Neq => "neq",
            Self::Lt => "lt",
            Self::Lte => "lte",
            Self::Gt => "gt",
            Self::Gte => "gte",
            Self::Between => "between",
            Self::In => "in",
            Self::NotIn => "not_in",
            Self::HasProperty => "has_property",
            Self::NotHasProperty => "not_has_property",
            Self::ContainsToken => "contains_token",
            Self::NotContainsToken => "not_contains_token",
        }
    }

    /// Parses the DSL or Search API spelling, case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|op| op.dsl_name().eq_ignore_ascii_case(name))
    }

    /// How many values the operator takes.
    pub fn arity(self) -> Arity {
        match self {
            Self::HasProperty | Self::NotHasProperty => Arity::None,
            Self::Between => Arity::Two,
            Self::In | Self::NotIn => Arity::Many,
            _ => Arity::One,
        }
    }

    /// Whether the operator may be used on a property of this type.
    pub fn allowed_for(self, kind: PropertyType) -> bool {
        match self {
            Self::Eq | Self::Neq | Self::HasProperty | Self::NotHasProperty => true,
            Self::In | Self::NotIn => kind != PropertyType::Bool,
            Self::Lt | Self::Lte | Self::Gt | Self::Gte | Self::Between => kind.is_ordered(),
            Self::ContainsToken | Self::NotContainsToken => kind == PropertyType::String,
        }
    }

    /// The operators allowed on a property type, for error messages.
    pub fn allowed_list(kind: PropertyType) -> Vec<Self> {
        Self::ALL
            .into_iter()
            .filter(|op| op.allowed_for(kind))
            .collect()
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dsl_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_spellings() {
        assert_eq!(Operator::parse("not_in"), Some(Operator::NotIn));
        assert_eq!(
            Operator::parse("NOT_CONTAINS_TOKEN"),
            Some(Operator::NotContainsToken)
        );
        assert_eq!(Operator::parse("like"), None);
    }

    #[test]
    fn type_rules() {
        assert!(!Operator::Gt.allowed_for(PropertyType::Enumeration));
        assert!(Operator::Between.allowed_for(PropertyType::DateTime));
        assert!(!Operator::ContainsToken.allowed_for(PropertyType::Number));
        assert!(!Operator::In.allowed_for(PropertyType::Bool));
    }
}
