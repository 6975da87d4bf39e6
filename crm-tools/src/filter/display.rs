//! A compact, stable text form of the IR, for logs and golden tests:
//! `deals where amount gt 50000 and dealstage eq "contractsent" sort amount desc limit 50 offset 50`.

use std::fmt;

use super::time::{format_day, format_instant};
use super::{Condition, Direction, Filter, FilterGroup, Query, Target, Value};

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(t) => write!(f, "{t:?}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Instant(ms) => f.write_str(&format_instant(*ms)),
            Self::Day(ms) => write!(f, "day({})", format_day(*ms)),
            Self::Id(id) => write!(f, "#{id}"),
        }
    }
}

fn list(values: &[Value]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Target::Property(name) => f.write_str(name)?,
            Target::Associated(t) => write!(f, "associated_{t}")?,
        }
        match &self.condition {
            Condition::Eq(v) => write!(f, " eq {v}"),
            Condition::Neq(v) => write!(f, " neq {v}"),
            Condition::Lt(v) => write!(f, " lt {v}"),
            Condition::Lte(v) => write!(f, " lte {v}"),
            Condition::Gt(v) => write!(f, " gt {v}"),
            Condition::Gte(v) => write!(f, " gte {v}"),
            Condition::Between(lo, hi) => write!(f, " between {lo} and {hi}"),
            Condition::In(vs) => write!(f, " in [{}]", list(vs)),
            Condition::NotIn(vs) => write!(f, " not_in [{}]", list(vs)),
            Condition::HasProperty => f.write_str(" has_property"),
            Condition::NotHasProperty => f.write_str(" not_has_property"),
            Condition::ContainsToken(n) => write!(f, " contains_token {n:?}"),
            Condition::NotContainsToken(n) => write!(f, " not_contains_token {n:?}"),
        }
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.object_type)?;
        if let Some(clause) = where_clause(&self.groups) {
            write!(f, " {clause}")?;
        }
        if let Some(q) = &self.q {
            write!(f, " q {q:?}")?;
        }
        let dir = match self.sort.direction {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        };
        write!(
            f,
            " sort {} {dir} limit {} offset {}",
            self.sort.property, self.limit, self.offset
        )
    }
}

/// `where a and b`, or `where (a and b) or (c)` for several groups; `None` without filters.
pub fn where_clause(groups: &[FilterGroup]) -> Option<String> {
    let groups: Vec<String> = groups
        .iter()
        .map(|g| {
            g.filters
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    match groups.len() {
        0 => None,
        1 => Some(format!("where {}", groups[0])),
        _ => Some(format!("where ({})", groups.join(") or ("))),
    }
}
