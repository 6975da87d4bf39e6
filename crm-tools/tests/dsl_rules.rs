//! Parsing rules of reference §2 beyond the example pairs: quoting, implicit `eq`, case, aliases,
//! operator names as literals, date-only values, defaults and limits.

#![allow(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use crm_tools::dsl;
use crm_tools::filter::{Condition, Direction, Query, Target, Value, Visibility};
use crm_tools::model::{Catalogue, ObjectType};

fn parse(q: &str) -> Result<Query, dsl::DslError> {
    dsl::parse(q, &Catalogue::standard(), &Visibility::default())
}

fn only_condition(q: &str) -> Condition {
    let query = parse(q).unwrap();
    query.groups[0].filters[0].condition.clone()
}

#[test]
fn defaults() {
    assert_eq!(
        parse("object_type:eq:Deal").unwrap().object_type,
        ObjectType::Deals
    );
    let q = parse("object_type:contact").unwrap();
    assert_eq!(q.object_type, ObjectType::Contacts);
    assert_eq!((q.limit, q.offset), (20, 0));
    assert_eq!(
        (q.sort.property.as_str(), q.sort.direction),
        ("hs_object_id", Direction::Asc)
    );
    assert!(q.groups.is_empty());
}

#[test]
fn keys_and_ops_are_case_insensitive_and_properties_lowercased() {
    let q = parse("OBJECT_TYPE:Deals Amount:GT:5 SORT:Amount:DESC").unwrap();
    assert_eq!(q.object_type, ObjectType::Deals);
    assert_eq!(
        q.groups[0].filters[0].target,
        Target::Property("amount".to_owned())
    );
    assert_eq!(
        q.groups[0].filters[0].condition,
        Condition::Gt(Value::Number(5.0))
    );
    assert_eq!(q.sort.direction, Direction::Desc);
}

#[test]
fn values_may_contain_colons_and_quoted_op_names_are_literals() {
    assert_eq!(
        only_condition("object_type:contacts website:https://x.io"),
        Condition::Eq(Value::Text("https://x.io".to_owned()))
    );
    assert_eq!(
        only_condition("object_type:contacts jobtitle:\"in\""),
        Condition::Eq(Value::Text("in".to_owned()))
    );
    assert_eq!(
        only_condition("object_type:contacts lastname:\"O'Brien\""),
        Condition::Eq(Value::Text("O'Brien".to_owned()))
    );
    assert_eq!(
        only_condition("object_type:companies name:in:\"Acme Corp, Müller & Söhne GmbH\""),
        Condition::In(vec![
            Value::Text("Acme Corp".to_owned()),
            Value::Text("Müller & Söhne GmbH".to_owned())
        ])
    );
}

#[test]
fn datetimes_and_epoch_ms() {
    assert_eq!(
        only_condition("object_type:deals closedate:gte:2026-08-31T00:00:00Z"),
        Condition::Gte(Value::Instant(1_788_134_400_000))
    );
    assert_eq!(
        only_condition("object_type:deals closedate:lt:1788134400000"),
        Condition::Lt(Value::Instant(1_788_134_400_000))
    );
    assert_eq!(
        only_condition("object_type:deals closedate:2025-03-31"),
        Condition::Eq(Value::Day(1_743_379_200_000))
    );
}

#[test]
fn query_alias_and_repeatable_property_filters() {
    let q = parse("object_type:tickets query:\"login error\" closedate:gte:2025-01-01 closedate:lt:2025-02-01").unwrap_err();
    // tickets have no closedate: the error suggests closed_date.
    assert_eq!(
        q.suggestions().first().map(String::as_str),
        Some("closed_date")
    );
    let q = parse("object_type:tickets query:\"login error\" closed_date:gte:2025-01-01 closed_date:lt:2025-02-01").unwrap();
    assert_eq!(q.q.as_deref(), Some("login error"));
    assert_eq!(q.groups[0].filters.len(), 2);
}

#[test]
fn ten_filters_are_allowed() {
    let ten: Vec<String> = (0..10).map(|i| format!("firstname:a{i}")).collect();
    assert!(parse(&format!("object_type:contacts {}", ten.join(" "))).is_ok());
}

#[test]
fn window_boundary() {
    assert!(parse("object_type:contacts offset:9800 limit:200").is_ok());
    assert!(parse("object_type:contacts offset:9801 limit:200").is_err());
    assert!(parse("object_type:contacts offset:9981").is_err());
}

#[test]
fn times_parse_unquoted_after_an_operator_or_directly_after_the_key() {
    // RFC 3339 has colons, but its first segment (`2026-08-01T10`) is no operator-like word.
    assert_eq!(
        only_condition("object_type:contacts createdate:2026-08-01T10:00:00Z"),
        Condition::Eq(Value::Instant(1_785_578_400_000))
    );
    assert_eq!(
        only_condition("object_type:contacts createdate:gte:2026-08-01T10:00:00Z"),
        Condition::Gte(Value::Instant(1_785_578_400_000))
    );
}

#[test]
fn colon_values_need_quotes_unless_they_are_urls() {
    // `scheme://` cannot be an operator, so URLs stay unquoted (reference §2 rule 2).
    assert_eq!(
        only_condition("object_type:companies website:\"https://acme.example\""),
        Condition::Eq(Value::Text("https://acme.example".to_owned()))
    );
    assert_eq!(
        only_condition("object_type:contacts jobtitle:\"CEO:Founder\""),
        Condition::Eq(Value::Text("CEO:Founder".to_owned()))
    );
    for bad in [
        "object_type:contacts jobtitle:CEO:Founder",
        "object_type:contacts lifecyclestage:is:customer",
        "object_type:contacts firstname:startswith:Jo",
        "object_type:contacts firstname:like:Jo",
    ] {
        let err = parse(bad).unwrap_err();
        assert!(err.to_string().contains("unknown operator"), "{bad}: {err}");
        assert!(parse(&err.example).is_ok(), "{bad}: {}", err.example);
    }
}

#[test]
fn enumeration_values_match_options_by_value_or_label() {
    assert_eq!(
        only_condition("object_type:contacts region:emea"),
        Condition::Eq(Value::Text("emea".to_owned()))
    );
    assert_eq!(
        only_condition("object_type:deals dealstage:\"Closed Won\""),
        Condition::Eq(Value::Text("closedwon".to_owned()))
    );
    let err = parse("object_type:contacts lifecyclestage:custmer").unwrap_err();
    assert!(
        err.to_string().starts_with(
            "Invalid query: `custmer` is not a value of `lifecyclestage`; options: customer, "
        ),
        "{err}"
    );
    assert_eq!(err.example, "object_type:contacts lifecyclestage:customer");
}

#[test]
fn keywords_are_suggested_only_for_tokens_shaped_like_them() {
    let suggestions = |q: &str| parse(q).unwrap_err().suggestions().to_vec();
    assert_eq!(suggestions("object_type:contacts lmit:5")[0], "limit");
    assert_eq!(
        suggestions("object_type:contacts sortt:createdate:desc")[0],
        "sort"
    );
    for q in [
        "object_type:contacts date_of_birth:1990-01-01",
        "object_type:contacts lmit:five",
        "object_type:contacts sortt:nonexistent",
    ] {
        let s = suggestions(q);
        assert!(
            !s.iter()
                .any(|n| ["limit", "offset", "sort", "q", "object_type"].contains(&n.as_str())),
            "{q}: {s:?}"
        );
    }
}
