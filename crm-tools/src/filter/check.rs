//! Turning an untyped filter (property name, operator, value strings) into a typed [`Filter`].
//!
//! Both surfaces call this: the DSL with the strings it tokenized, `search_crm_objects` with the
//! JSON `filterGroups` fields. So both accept and reject exactly the same filters.

use crate::model::{ObjectType, Property, PropertyType};

use super::schema::nearest;
use super::{
    Arity, Condition, Filter, MAX_IN_VALUES, Operator, Schema, Target, Value, parse_temporal,
};

/// A filter as the user wrote it, before type checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFilter {
    /// The property name (or `associated_<type>`), any case.
    pub property: String,
    /// The operator.
    pub operator: Operator,
    /// The operand strings: none, one, two (`between`) or a list (`in`).
    pub values: Vec<String>,
}

/// Why a filter was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// The property does not exist or the viewer may not see it (indistinguishable on purpose).
    #[error("unknown property `{name}`")]
    UnknownProperty {
        /// The name as written.
        name: String,
        /// Up to three nearest visible names.
        suggestions: Vec<String>,
    },
    /// The operator does not fit the property's type (e.g. `gt` on an enumeration).
    #[error(
        "operator `{operator}` cannot be used on `{property}` ({kind}); allowed: {}",
        join(allowed)
    )]
    OperatorNotAllowed {
        /// The property.
        property: String,
        /// Its type.
        kind: PropertyType,
        /// The operator used.
        operator: Operator,
        /// The operators the type allows.
        allowed: Vec<Operator>,
    },
    /// A value does not parse as the property's type.
    #[error("`{value}` is not a valid {kind} value for `{property}`: expected {expected}")]
    InvalidValue {
        /// The property.
        property: String,
        /// Its type.
        kind: PropertyType,
        /// The value as written.
        value: String,
        /// What would have been accepted.
        expected: &'static str,
    },
    /// An enumeration value that names none of the property's options (by value or by label).
    #[error(
        "`{value}` is not a value of `{property}`; options: {}",
        options.join(", ")
    )]
    UnknownOption {
        /// The property.
        property: String,
        /// The value as written.
        value: String,
        /// Every option value, the (up to three) nearest to `value` first.
        options: Vec<String>,
    },
    /// The operator got the wrong number of values.
    #[error("operator `{operator}` takes {}, got {got}", arity_text(*expected))]
    Arity {
        /// The operator.
        operator: Operator,
        /// What it takes.
        expected: Arity,
        /// How many values were given.
        got: usize,
    },
    /// A `between` range whose low end is above its high end.
    #[error("`between` on `{property}` needs low,high with low ≤ high")]
    BetweenOrder {
        /// The property.
        property: String,
    },
    /// An `in` / `not_in` list longer than [`MAX_IN_VALUES`].
    #[error("too many values for `{property}`: at most {MAX_IN_VALUES}")]
    TooManyValues {
        /// The property.
        property: String,
    },
    /// `associated_<type>` with an operator other than eq, neq, in, not_in.
    #[error("`associated_{object_type}` only accepts eq, neq, in and not_in, not `{operator}`")]
    AssociatedOperator {
        /// The associated type.
        object_type: ObjectType,
        /// The operator used.
        operator: Operator,
    },
    /// `associated_<type>` with a value that is not a numeric `hs_object_id`.
    #[error(
        "`associated_{object_type}` takes numeric hs_object_id values, not `{value}`; find the id first \
         (e.g. search object_type:{object_type} with a name or email filter)"
    )]
    AssociatedValue {
        /// The associated type.
        object_type: ObjectType,
        /// The value as written.
        value: String,
    },
}

fn join(ops: &[Operator]) -> String {
    ops.iter()
        .map(|o| o.dsl_name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn arity_text(arity: Arity) -> &'static str {
    match arity {
        Arity::None => "no value",
        Arity::One => "exactly one value",
        Arity::Two => "two values (low,high)",
        Arity::Many => "one or more comma-separated values",
    }
}

/// What a value of each type looks like, for error messages.
fn expected(kind: PropertyType) -> &'static str {
    match kind {
        PropertyType::Number => {
            "a plain decimal number such as 1000 or 12.5 (no $, commas or underscores)"
        }
        PropertyType::Bool => "true or false",
        PropertyType::Date | PropertyType::DateTime => {
            "an ISO date (2025-01-31), an RFC 3339 datetime (2025-01-31T09:30:00Z) or epoch milliseconds; \
             relative dates such as now-7d or today are not supported"
        }
        PropertyType::String | PropertyType::Enumeration => "non-empty text",
    }
}

/// A plain decimal: optional `-`, digits, optional `.digits`. Rejects what `f64::from_str` would
/// accept but a model should not send (`1e6`, `inf`, `NaN`).
fn parse_number(s: &str) -> Option<f64> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    let ok = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if ok(int) && ok(frac) {
        s.parse().ok()
    } else {
        None
    }
}

fn parse_value(property: &str, kind: PropertyType, raw: &str) -> Result<Value, FilterError> {
    let parsed = match kind {
        PropertyType::String | PropertyType::Enumeration => {
            (!raw.is_empty()).then(|| Value::Text(raw.to_owned()))
        }
        PropertyType::Number => parse_number(raw).map(Value::Number),
        PropertyType::Bool => match raw.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        PropertyType::Date | PropertyType::DateTime => parse_temporal(raw),
    };
    parsed.ok_or_else(|| FilterError::InvalidValue {
        property: property.to_owned(),
        kind,
        value: raw.to_owned(),
        expected: expected(kind),
    })
}

/// The end of a value's range, for ordering `between` operands (a day ends at its last ms).
fn sort_key(v: &Value) -> f64 {
    match v {
        Value::Number(n) => *n,
        #[allow(
            clippy::cast_precision_loss,
            reason = "epoch ms fit f64's 53-bit mantissa"
        )]
        Value::Instant(ms) | Value::Day(ms) | Value::Id(ms) => *ms as f64,
        Value::Text(_) | Value::Bool(_) => 0.0,
    }
}

/// The option value `raw` names: its value or its label, case-insensitively. A value keeps the
/// spelling as written (SQL compares option values case-insensitively); a label maps to its value,
/// since labels are not stored.
fn resolve_option(property: &Property, raw: &str) -> Option<String> {
    let by_value = property
        .options
        .iter()
        .any(|o| o.value.eq_ignore_ascii_case(raw));
    if by_value {
        return Some(raw.to_owned());
    }
    let wanted = raw.to_lowercase();
    property
        .options
        .iter()
        .find(|o| o.label.to_lowercase() == wanted)
        .map(|o| o.value.clone())
}

/// Every option value of `property`, the three nearest to `raw` first: an option whose value or
/// label contains `raw` (or is contained in it) ranks first, then the smaller edit distance to
/// either, then catalogue order.
fn options_nearest_first(property: &Property, raw: &str) -> Vec<String> {
    let wanted = raw.to_lowercase();
    let score = |text: &str| {
        let text = text.to_lowercase();
        let related = !wanted.is_empty() && (text.contains(&wanted) || wanted.contains(&text));
        (!related, strsim::damerau_levenshtein(&wanted, &text))
    };
    let mut ranked: Vec<(usize, (bool, usize))> = property
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| (i, score(&o.value).min(score(&o.label))))
        .collect();
    ranked.sort_by_key(|(i, s)| (*s, *i));
    let nearest: Vec<usize> = ranked.iter().take(3).map(|(i, _)| *i).collect();
    let rest = (0..property.options.len()).filter(|i| !nearest.contains(i));
    nearest
        .iter()
        .copied()
        .chain(rest)
        .filter_map(|i| property.options.get(i).map(|o| o.value.clone()))
        .collect()
}

/// Checks enumeration operands of eq / neq / in / not_in against the property's options, mapping
/// labels to values. Without this an unknown value silently matches nothing, which a model reads
/// as "there are none". Token operators and enumerations without options stay unchecked.
fn check_options(
    property: &Property,
    op: Operator,
    values: Vec<Value>,
) -> Result<Vec<Value>, FilterError> {
    let checked = matches!(
        op,
        Operator::Eq | Operator::Neq | Operator::In | Operator::NotIn
    );
    if property.kind != PropertyType::Enumeration || property.options.is_empty() || !checked {
        return Ok(values);
    }
    values
        .into_iter()
        .map(|v| match v {
            Value::Text(t) => resolve_option(property, &t)
                .map(Value::Text)
                .ok_or_else(|| FilterError::UnknownOption {
                    property: property.name.clone(),
                    options: options_nearest_first(property, &t),
                    value: t,
                }),
            other => Ok(other),
        })
        .collect()
}

fn check_arity(op: Operator, got: usize) -> Result<(), FilterError> {
    let ok = match op.arity() {
        Arity::None => got == 0,
        Arity::One => got == 1,
        Arity::Two => got == 2,
        Arity::Many => got >= 1,
    };
    if ok {
        Ok(())
    } else {
        Err(FilterError::Arity {
            operator: op,
            expected: op.arity(),
            got,
        })
    }
}

fn check_associated(object_type: ObjectType, raw: &RawFilter) -> Result<Filter, FilterError> {
    let op = raw.operator;
    if !matches!(
        op,
        Operator::Eq | Operator::Neq | Operator::In | Operator::NotIn
    ) {
        return Err(FilterError::AssociatedOperator {
            object_type,
            operator: op,
        });
    }
    check_arity(op, raw.values.len())?;
    if raw.values.len() > MAX_IN_VALUES {
        return Err(FilterError::TooManyValues {
            property: raw.property.to_ascii_lowercase(),
        });
    }
    let ids = raw
        .values
        .iter()
        .map(|v| match v.parse::<i64>() {
            Ok(id) if id >= 0 && v.bytes().all(|b| b.is_ascii_digit()) => Ok(Value::Id(id)),
            _ => Err(FilterError::AssociatedValue {
                object_type,
                value: v.clone(),
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let condition = match (op, ids.as_slice()) {
        (Operator::Eq, [id]) => Condition::Eq(id.clone()),
        (Operator::Neq, [id]) => Condition::Neq(id.clone()),
        (Operator::In, _) => Condition::In(ids),
        _ => Condition::NotIn(ids),
    };
    Ok(Filter {
        target: Target::Associated(object_type),
        condition,
    })
}

/// Type-checks `raw` against what `schema`'s viewer may see.
///
/// Hidden and sensitive properties are reported as unknown, with suggestions drawn only from
/// visible names, so the error cannot be used to probe for them.
pub fn check_filter(schema: &Schema<'_>, raw: &RawFilter) -> Result<Filter, FilterError> {
    let name = raw.property.to_ascii_lowercase();
    if let Some(suffix) = name.strip_prefix("associated_") {
        return match suffix.parse::<ObjectType>() {
            Ok(t) => check_associated(t, raw),
            Err(_) => {
                let names: Vec<String> = ObjectType::ALL
                    .iter()
                    .map(|t| format!("associated_{t}"))
                    .collect();
                let suggestions = nearest(&name, names.iter().map(String::as_str));
                Err(FilterError::UnknownProperty {
                    name: raw.property.clone(),
                    suggestions,
                })
            }
        };
    }
    let Some(property) = schema.property(&name) else {
        return Err(FilterError::UnknownProperty {
            name: raw.property.clone(),
            suggestions: schema.suggest(&name),
        });
    };
    let (op, kind) = (raw.operator, property.kind);
    if !op.allowed_for(kind) {
        return Err(FilterError::OperatorNotAllowed {
            property: property.name.clone(),
            kind,
            operator: op,
            allowed: Operator::allowed_list(kind),
        });
    }
    check_arity(op, raw.values.len())?;
    if raw.values.len() > MAX_IN_VALUES {
        return Err(FilterError::TooManyValues {
            property: property.name.clone(),
        });
    }
    let target = Target::Property(property.name.clone());
    let values = raw
        .values
        .iter()
        .map(|v| parse_value(&property.name, kind, v))
        .collect::<Result<Vec<_>, _>>()?;
    let values = check_options(property, op, values)?;
    let condition = match (op, values.as_slice()) {
        (Operator::Eq, [v]) => Condition::Eq(v.clone()),
        (Operator::Neq, [v]) => Condition::Neq(v.clone()),
        (Operator::Lt, [v]) => Condition::Lt(v.clone()),
        (Operator::Lte, [v]) => Condition::Lte(v.clone()),
        (Operator::Gt, [v]) => Condition::Gt(v.clone()),
        (Operator::Gte, [v]) => Condition::Gte(v.clone()),
        (Operator::Between, [lo, hi]) => {
            // A day and an instant compare by their starts; a day `hi` then covers its whole day.
            if sort_key(lo) > sort_key(hi) {
                return Err(FilterError::BetweenOrder {
                    property: property.name.clone(),
                });
            }
            Condition::Between(lo.clone(), hi.clone())
        }
        (Operator::In, _) => Condition::In(values),
        (Operator::NotIn, _) => Condition::NotIn(values),
        (Operator::HasProperty, _) => Condition::HasProperty,
        (Operator::NotHasProperty, _) => Condition::NotHasProperty,
        // Only string properties allow token operators, and their values parse as text.
        (Operator::ContainsToken, [Value::Text(t)]) => Condition::ContainsToken(t.clone()),
        (Operator::NotContainsToken, [Value::Text(t)]) => Condition::NotContainsToken(t.clone()),
        // Unreachable after the arity and type checks above; reported as an arity error rather
        // than a panic so no input can crash the server.
        _ => {
            return Err(FilterError::Arity {
                operator: op,
                expected: op.arity(),
                got: raw.values.len(),
            });
        }
    };
    Ok(Filter { target, condition })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Visibility;
    use crate::model::Catalogue;

    fn check(property: &str, operator: Operator, values: &[&str]) -> Result<Filter, FilterError> {
        let catalogue = Catalogue::standard();
        let vis = Visibility::default();
        let schema = Schema::new(&catalogue, ObjectType::Deals, &vis);
        let raw = RawFilter {
            property: property.to_owned(),
            operator,
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        };
        check_filter(&schema, &raw)
    }

    #[test]
    fn typed_values() {
        let f = check("amount", Operator::Gt, &["50000"]).unwrap();
        assert_eq!(f.condition, Condition::Gt(Value::Number(50000.0)));
        let f = check(
            "closedate",
            Operator::Between,
            &["2026-10-01", "2026-12-31"],
        )
        .unwrap();
        assert!(matches!(
            f.condition,
            Condition::Between(Value::Day(_), Value::Day(_))
        ));
        let f = check("hs_is_closed", Operator::Eq, &["TRUE"]).unwrap();
        assert_eq!(f.condition, Condition::Eq(Value::Bool(true)));
    }

    #[test]
    fn rejections() {
        for bad in ["$1000", "1,000", "1_000", "1e6", "NaN", "inf", ""] {
            assert!(
                matches!(
                    check("amount", Operator::Eq, &[bad]),
                    Err(FilterError::InvalidValue { .. })
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            check("dealstage", Operator::Gt, &["x"]),
            Err(FilterError::OperatorNotAllowed { .. })
        ));
        assert!(matches!(
            check("amount", Operator::Between, &["5"]),
            Err(FilterError::Arity { .. })
        ));
        assert!(matches!(
            check("amount", Operator::Between, &["5", "1"]),
            Err(FilterError::BetweenOrder { .. })
        ));
        assert!(matches!(
            check("associated_contacts", Operator::Gt, &["1"]),
            Err(FilterError::AssociatedOperator { .. })
        ));
        assert!(matches!(
            check("associated_companies", Operator::Eq, &["acme"]),
            Err(FilterError::AssociatedValue { .. })
        ));
        let Err(FilterError::UnknownProperty { suggestions, .. }) =
            check("associated_compnies", Operator::Eq, &["1"])
        else {
            panic!("expected unknown property");
        };
        assert_eq!(suggestions[0], "associated_companies");
    }

    #[test]
    fn enumeration_values_must_name_an_option() {
        // A value in any case keeps its spelling; a label maps to its value.
        let f = check("dealstage", Operator::Eq, &["ClosedWon"]).unwrap();
        assert_eq!(
            f.condition,
            Condition::Eq(Value::Text("ClosedWon".to_owned()))
        );
        let f = check("dealstage", Operator::In, &["closed won", "contractsent"]).unwrap();
        assert_eq!(
            f.condition,
            Condition::In(vec![
                Value::Text("closedwon".to_owned()),
                Value::Text("contractsent".to_owned())
            ])
        );
        for op in [Operator::Eq, Operator::Neq, Operator::In, Operator::NotIn] {
            let Err(FilterError::UnknownOption {
                property,
                value,
                options,
            }) = check("dealstage", op, &["closedwn"])
            else {
                panic!("expected unknown option for {op}");
            };
            assert_eq!(
                (property.as_str(), value.as_str()),
                ("dealstage", "closedwn")
            );
            assert_eq!(options[0], "closedwon");
        }
        let e = check("dealtype", Operator::NotIn, &["newbusiness", "renewal"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`renewal` is not a value of `dealtype`; options: newbusiness, existingbusiness"
        );
        // has_property needs no value, so nothing to check.
        assert!(check("dealstage", Operator::HasProperty, &[]).is_ok());
    }

    #[test]
    fn too_many_in_values() {
        let many: Vec<String> = (0..=MAX_IN_VALUES).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(matches!(
            check("amount", Operator::In, &refs),
            Err(FilterError::TooManyValues { .. })
        ));
    }
}
