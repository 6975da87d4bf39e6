//! Filters, groups and free text as SQL predicates over the searched table's alias.
//!
//! Unset-value rule (reference §2): positive operators never match an unset value (SQL
//! comparisons with NULL are never true), negative operators (`neq`, `not_in`,
//! `not_contains_token`) are written as `col IS NULL OR NOT (positive)` so they do match it.

use super::association::correlated_links;
use super::builder::Builder;
use super::{FreeText, SqlValue, counts};
use crate::filter::{Condition, DAY_MS, Filter, FilterGroup, Target, Value};
use crate::model::{Catalogue, ObjectType, Property, PropertyType};
use crate::permission::Viewer;

/// What a compiler error can say about a filter that slipped past [`crate::filter::check_filter`].
#[derive(Debug)]
pub(super) struct UnknownColumn(pub(super) String);

pub(super) struct Ctx<'a> {
    pub(super) object_type: ObjectType,
    pub(super) alias: &'a str,
    pub(super) viewer: &'a Viewer,
    pub(super) catalogue: &'a Catalogue,
}

fn sql_value(value: &Value) -> SqlValue {
    match value {
        Value::Text(t) => SqlValue::Text(t.clone()),
        Value::Number(n) => SqlValue::Real(*n),
        Value::Bool(v) => SqlValue::Integer(i64::from(*v)),
        Value::Instant(ms) | Value::Day(ms) | Value::Id(ms) => SqlValue::Integer(*ms),
    }
}

fn is_text(kind: PropertyType) -> bool {
    matches!(kind, PropertyType::String | PropertyType::Enumeration)
}

/// `col <op> value`, where a date-only value stands for the whole UTC day `[d, d+1)`.
/// `fold`: compare text case-insensitively (false for exact enumeration option values).
fn compare(b: &mut Builder<'_>, col: &str, fold: bool, op: &str, value: &Value) -> String {
    if let Value::Day(start) = value {
        let end = start.saturating_add(DAY_MS);
        return match op {
            "<" => format!("{col} < {}", b.bind(SqlValue::Integer(*start))),
            "<=" => format!("{col} < {}", b.bind(SqlValue::Integer(end))),
            ">" => format!("{col} >= {}", b.bind(SqlValue::Integer(end))),
            ">=" => format!("{col} >= {}", b.bind(SqlValue::Integer(*start))),
            _ => {
                let (lo, hi) = (
                    b.bind(SqlValue::Integer(*start)),
                    b.bind(SqlValue::Integer(end)),
                );
                format!("({col} >= {lo} AND {col} < {hi})")
            }
        };
    }
    let p = b.bind(sql_value(value));
    if fold && op == "=" {
        format!("{} = {}", b.dialect.lower(col), b.dialect.lower(&p))
    } else {
        format!("{col} {op} {p}")
    }
}

fn member(b: &mut Builder<'_>, col: &str, fold: bool, values: &[Value]) -> String {
    if values.iter().any(|v| matches!(v, Value::Day(_))) {
        let days: Vec<String> = values
            .iter()
            .map(|v| compare(b, col, fold, "=", v))
            .collect();
        return format!("({})", days.join(" OR "));
    }
    if fold {
        let dialect = b.dialect;
        let ps: Vec<String> = values
            .iter()
            .map(|v| dialect.lower(&b.bind(sql_value(v))))
            .collect();
        return format!("{} IN ({})", b.dialect.lower(col), ps.join(", "));
    }
    let list = b.bind_list(values.iter().map(sql_value));
    format!("{col} IN {list}")
}

fn has_value(col: &str, kind: PropertyType) -> String {
    if is_text(kind) {
        format!("({col} IS NOT NULL AND {col} <> '')")
    } else {
        format!("{col} IS NOT NULL")
    }
}

fn negate(col: &str, positive: &str) -> String {
    format!("({col} IS NULL OR NOT ({positive}))")
}

fn token(b: &mut Builder<'_>, col: &str, needle: &str) -> String {
    let p = b.bind(b.dialect.token_pattern(needle));
    b.dialect.contains_token(col, &p)
}

/// Enumerations store their option's exact internal value, so an equality or membership test
/// whose values all name options (in any case) compares against those exact values — which lets
/// an index serve it. Anything else keeps the case-insensitive comparison.
fn exact_options(property: &Property, condition: &Condition) -> Option<Vec<Value>> {
    if property.kind != PropertyType::Enumeration || property.options.is_empty() {
        return None;
    }
    let values: &[Value] = match condition {
        Condition::Eq(v) | Condition::Neq(v) => std::slice::from_ref(v),
        Condition::In(vs) | Condition::NotIn(vs) => vs,
        _ => return None,
    };
    values
        .iter()
        .map(|v| match v {
            Value::Text(t) => property
                .options
                .iter()
                .find(|o| o.value.to_lowercase() == t.to_lowercase())
                .map(|o| Value::Text(o.value.clone())),
            _ => None,
        })
        .collect()
}

fn property_condition(
    b: &mut Builder<'_>,
    col: &str,
    property: &Property,
    condition: &Condition,
) -> String {
    let kind = property.kind;
    let fold = is_text(kind);
    if let Some(exact) = exact_options(property, condition) {
        return match (condition, exact.as_slice()) {
            (Condition::Eq(_), [v]) => compare(b, col, false, "=", v),
            (Condition::Neq(_), [v]) => {
                let eq = compare(b, col, false, "=", v);
                negate(col, &eq)
            }
            (Condition::NotIn(_), vs) => {
                let positive = member(b, col, false, vs);
                negate(col, &positive)
            }
            (_, vs) => member(b, col, false, vs),
        };
    }
    match condition {
        Condition::Eq(v) => compare(b, col, fold, "=", v),
        Condition::Neq(v) => {
            let eq = compare(b, col, fold, "=", v);
            negate(col, &eq)
        }
        Condition::Lt(v) => compare(b, col, fold, "<", v),
        Condition::Lte(v) => compare(b, col, fold, "<=", v),
        Condition::Gt(v) => compare(b, col, fold, ">", v),
        Condition::Gte(v) => compare(b, col, fold, ">=", v),
        Condition::Between(lo, hi) => {
            let (lo, hi) = (
                compare(b, col, fold, ">=", lo),
                compare(b, col, fold, "<=", hi),
            );
            format!("({lo} AND {hi})")
        }
        Condition::In(vs) => member(b, col, fold, vs),
        Condition::NotIn(vs) => {
            let positive = member(b, col, fold, vs);
            negate(col, &positive)
        }
        Condition::HasProperty => has_value(col, kind),
        Condition::NotHasProperty => format!("NOT {}", has_value(col, kind)),
        Condition::ContainsToken(n) => token(b, col, n),
        Condition::NotContainsToken(n) => {
            let positive = token(b, col, n);
            negate(col, &positive)
        }
    }
}

/// `EXISTS` over the association table, joined to the target table under the viewer's own
/// visibility predicate: an invisible target matches nothing.
fn associated(b: &mut Builder<'_>, ctx: &Ctx<'_>, to: ObjectType, condition: &Condition) -> String {
    let (ids, negative) = match condition {
        Condition::Eq(v) => (vec![v.clone()], false),
        Condition::Neq(v) => (vec![v.clone()], true),
        Condition::In(vs) => (vs.clone(), false),
        Condition::NotIn(vs) => (vs.clone(), true),
        // check_filter admits no other operator; an empty EXISTS list keeps this total and safe.
        _ => (Vec::new(), false),
    };
    let (_, body) = correlated_links(
        b,
        ctx.alias,
        (ctx.object_type, to),
        ctx.viewer,
        ctx.catalogue,
        |b| {
            Some(if ids.is_empty() {
                "(NULL)".to_owned()
            } else {
                b.bind_list(ids.iter().map(sql_value))
            })
        },
    );
    let exists = format!("EXISTS (SELECT 1 {body})");
    if negative {
        format!("NOT {exists}")
    } else {
        exists
    }
}

fn filter(b: &mut Builder<'_>, ctx: &Ctx<'_>, f: &Filter) -> Result<String, UnknownColumn> {
    match &f.target {
        Target::Associated(to) => Ok(associated(b, ctx, *to, &f.condition)),
        Target::Property(name) => {
            // Re-resolve through the viewer's schema: a hand-built IR cannot name a hidden column.
            let property = ctx
                .viewer
                .schema(ctx.catalogue, ctx.object_type)
                .property(name)
                .ok_or_else(|| UnknownColumn(name.clone()))?;
            let col = counts::value(
                b,
                ctx.alias,
                ctx.object_type,
                &property.name,
                ctx.viewer,
                ctx.catalogue,
            );
            Ok(property_condition(b, &col, property, &f.condition))
        }
    }
}

/// OR of AND groups; `None` when there are no groups (no restriction).
pub(super) fn groups(
    b: &mut Builder<'_>,
    ctx: &Ctx<'_>,
    groups: &[FilterGroup],
) -> Result<Option<String>, UnknownColumn> {
    if groups.is_empty() {
        return Ok(None);
    }
    let mut ors = Vec::new();
    for g in groups {
        let ands = g
            .filters
            .iter()
            .map(|f| filter(b, ctx, f))
            .collect::<Result<Vec<_>, _>>()?;
        ors.push(if ands.is_empty() {
            "1 = 1".to_owned()
        } else {
            format!("({})", ands.join(" AND "))
        });
    }
    Ok(Some(format!("({})", ors.join(" OR "))))
}

/// Free text: every whitespace-separated term must prefix-match a token of some visible
/// searchable property. How is the dialect's choice ([`super::Dialect::free_text`]); hidden
/// searchable properties are left out here, so no dialect can let a term probe them.
pub(super) fn free_text(b: &mut Builder<'_>, ctx: &Ctx<'_>, q: &str) -> Option<String> {
    let terms: Vec<&str> = q.split_whitespace().collect();
    if terms.is_empty() {
        return None;
    }
    let schema = ctx.viewer.schema(ctx.catalogue, ctx.object_type);
    let columns: Vec<&str> = schema
        .properties()
        .filter(|p| p.searchable)
        .map(|p| p.name.as_str())
        .collect();
    let all_columns: Vec<&str> = ctx
        .catalogue
        .searchable(ctx.object_type)
        .map(|p| p.name.as_str())
        .collect();
    let text = FreeText {
        table: ctx.object_type.as_str(),
        alias: ctx.alias,
        columns: &columns,
        all_columns: &all_columns,
        terms: &terms,
    };
    let dialect = b.dialect;
    dialect.free_text(&text, &mut |v| b.bind(v))
}
