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

    /// The operator a common misspelling or synonym most likely means (`greater` → `gt`,
    /// `startswith` → `contains_token`, `!=` → `neq`), case-insensitively; `None` if the word is
    /// not a known alias. Models reach for SQL or English spellings first, so these get a direct
    /// answer instead of an edit-distance guess.
    pub fn alias(word: &str) -> Option<Self> {
        let word = word.to_ascii_lowercase();
        ALIASES
            .iter()
            .find(|(_, words)| words.contains(&word.as_str()))
            .map(|(op, _)| *op)
    }

    /// The operators a misspelled `word` may mean: its alias (or close misspelling) and that
    /// operator's sibling (`gt`, `gte`); for any other word, the three nearest by edit distance.
    pub fn nearest(word: &str) -> Vec<Self> {
        if let Some(op) = Self::alias(word).or_else(|| Self::misspelled(word)) {
            return vec![op, op.sibling()];
        }
        let lower = word.to_ascii_lowercase();
        let mut by_distance: Vec<(usize, Self)> = Self::ALL
            .into_iter()
            .map(|op| (strsim::damerau_levenshtein(&lower, op.dsl_name()), op))
            .collect();
        // Stable, so equally near operators keep the documentation order.
        by_distance.sort_by_key(|(d, _)| *d);
        by_distance.into_iter().take(3).map(|(_, op)| op).collect()
    }

    /// A close misspelling of an operator name (`gtee`, `contain_token`): the operator, if exactly
    /// one is within a small edit distance. Short words need a closer match, since `ceo` is as
    /// near to `neq` as `gtt` is to `gt`.
    pub fn misspelled(word: &str) -> Option<Self> {
        let lower = word.to_ascii_lowercase();
        let max = if lower.chars().count() <= 4 { 1 } else { 2 };
        let close: Vec<Self> = Self::ALL
            .into_iter()
            .filter(|op| strsim::damerau_levenshtein(&lower, op.dsl_name()) <= max)
            .collect();
        match close.as_slice() {
            [op] => Some(*op),
            _ => None,
        }
    }

    /// The operator most often meant instead of this one, offered second in suggestions.
    fn sibling(self) -> Self {
        match self {
            Self::Gt => Self::Gte,
            Self::Gte => Self::Gt,
            Self::Lt => Self::Lte,
            Self::Lte => Self::Lt,
            Self::Eq => Self::In,
            Self::In => Self::Eq,
            Self::Neq => Self::NotIn,
            Self::NotIn => Self::Neq,
            Self::Between => Self::Gte,
            Self::ContainsToken => Self::NotContainsToken,
            Self::NotContainsToken => Self::ContainsToken,
            Self::HasProperty => Self::NotHasProperty,
            Self::NotHasProperty => Self::HasProperty,
        }
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

/// Words models use for operators, by the operator they mean (lowercase). Symbols are included
/// because a token like `amount:>=:1000` otherwise reads as an eq value.
const ALIASES: [(Operator, &[&str]); 13] = [
    (
        Operator::Gt,
        &[
            "greater",
            "greater_than",
            "greaterthan",
            "after",
            "above",
            "over",
            "more",
            "more_than",
            "morethan",
            ">",
            "gt=",
        ],
    ),
    (
        Operator::Gte,
        &[
            "greater_or_equal",
            "greater_than_or_equal",
            "greaterorequal",
            "ge",
            "since",
            "from",
            "min",
            "at_least",
            "atleast",
            ">=",
            "=>",
            "gte=",
        ],
    ),
    (
        Operator::Lt,
        &[
            "less",
            "less_than",
            "lessthan",
            "before",
            "below",
            "under",
            "<",
            "lt=",
        ],
    ),
    (
        Operator::Lte,
        &[
            "less_or_equal",
            "less_than_or_equal",
            "lessorequal",
            "le",
            "until",
            "till",
            "to",
            "max",
            "at_most",
            "atmost",
            "<=",
            "=<",
            "lte=",
        ],
    ),
    (
        Operator::Eq,
        &[
            "is", "on", "at", "equals", "equal", "equal_to", "eq=", "=", "==", "exact", "exactly",
        ],
    ),
    (
        Operator::Neq,
        &[
            "not",
            "ne",
            "isnot",
            "is_not",
            "not_equal",
            "not_equals",
            "notequal",
            "notequals",
            "!=",
            "<>",
            "!==",
        ],
    ),
    (
        Operator::ContainsToken,
        &[
            "contains",
            "contain",
            "includes",
            "include",
            "like",
            "startswith",
            "starts_with",
            "beginswith",
            "begins_with",
            "prefix",
            "endswith",
            "ends_with",
            "suffix",
            "has",
            "match",
            "matches",
            "token",
            "contains_tokens",
        ],
    ),
    (
        Operator::NotContainsToken,
        &[
            "not_contains",
            "notcontains",
            "not_contain",
            "excludes",
            "exclude",
            "not_like",
            "notlike",
            "does_not_contain",
            "doesnotcontain",
        ],
    ),
    (Operator::Between, &["range", "btw", "within", "from_to"]),
    (
        Operator::In,
        &["oneof", "one_of", "any", "anyof", "any_of", "isin", "is_in"],
    ),
    (
        Operator::NotIn,
        &[
            "notin",
            "nin",
            "not_one_of",
            "noneof",
            "none_of",
            "isnotin",
            "is_not_in",
        ],
    ),
    (
        Operator::HasProperty,
        &[
            "exists",
            "is_set",
            "isset",
            "set",
            "present",
            "not_null",
            "notnull",
            "is_not_null",
        ],
    ),
    (
        Operator::NotHasProperty,
        &[
            "missing",
            "not_exists",
            "notexists",
            "not_set",
            "notset",
            "unset",
            "is_null",
            "isnull",
            "null",
            "empty",
            "is_empty",
        ],
    ),
];

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
    fn aliases_and_misspellings() {
        for (word, op) in [
            ("greater", Operator::Gt),
            ("AFTER", Operator::Gt),
            ("since", Operator::Gte),
            ("before", Operator::Lt),
            ("until", Operator::Lte),
            ("is", Operator::Eq),
            ("==", Operator::Eq),
            ("!=", Operator::Neq),
            ("startswith", Operator::ContainsToken),
            ("range", Operator::Between),
            ("oneof", Operator::In),
        ] {
            assert_eq!(Operator::alias(word), Some(op), "{word}");
        }
        // No alias is also a real operator name, so a real name is never reinterpreted.
        for (_, words) in ALIASES {
            assert!(
                words.iter().all(|w| Operator::parse(w).is_none()),
                "{words:?}"
            );
        }
        assert_eq!(Operator::nearest("greater"), [Operator::Gt, Operator::Gte]);
        assert_eq!(Operator::nearest("gtee"), [Operator::Gte, Operator::Gt]);
        assert_eq!(Operator::nearest("ceo").len(), 3);
        assert_eq!(Operator::misspelled("gtee"), Some(Operator::Gte));
        assert_eq!(
            Operator::misspelled("contain_token"),
            Some(Operator::ContainsToken)
        );
        assert_eq!(Operator::misspelled("ceo"), None);
    }

    #[test]
    fn type_rules() {
        assert!(!Operator::Gt.allowed_for(PropertyType::Enumeration));
        assert!(Operator::Between.allowed_for(PropertyType::DateTime));
        assert!(!Operator::ContainsToken.allowed_for(PropertyType::Number));
        assert!(!Operator::In.allowed_for(PropertyType::Bool));
    }
}
