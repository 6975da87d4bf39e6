//! Injection attempts through every string input of every tool: each call must end in a
//! result or a clear tool error (never a server error), and afterwards the database must hold
//! exactly what it held before. Values never reach SQL as text (see `crm_tools::sql`); this
//! proves it end to end.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

#[macro_use]
mod support;

use serde_json::{Value, json};
use support::{Caller, harness};

const PAYLOADS: [&str; 12] = [
    "'; DROP TABLE contacts; --",
    "\" OR 1=1 --",
    "x' UNION SELECT email FROM contacts WHERE tenant_id = 2 --",
    "1); DELETE FROM associations; --",
    "hs_object_id) OR (1=1",
    "%' OR '%'='",
    "\\'; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
    "* OR NEAR(a b) NOT c",
    "\"unterminated",
    "contacts:1 OR 1=1",
    "\u{0}\u{1f}\u{7f}",
    "ÅÉÎ 🦀 \u{202e}",
];

/// Row counts of every table, straight from the database.
fn snapshot() -> Vec<(String, i64)> {
    harness().table_counts()
}

/// Every tool with `payload` in each of its string inputs, one call per input.
fn calls(p: &str) -> Vec<(&'static str, Value)> {
    let filter = |property: &str, operator: &str, value: &str| json!([{"filters": [{"propertyName": property, "operator": operator, "value": value}]}]);
    vec![
        ("search", json!({"query": p})),
        (
            "search",
            json!({"query": format!("object_type:contacts q:\"{p}\"")}),
        ),
        (
            "search",
            json!({"query": format!("object_type:contacts firstname:'{p}'")}),
        ),
        (
            "search",
            json!({"query": format!("object_type:contacts email:contains_token:\"{p}\"")}),
        ),
        (
            "search",
            json!({"query": format!("object_type:contacts sort:{p}")}),
        ),
        ("search", json!({"query": format!("object_type:{p}")})),
        ("fetch", json!({"id": p})),
        ("fetch", json!({"id": format!("contacts:{p}")})),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "query": p}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "filterGroups": filter("firstname", "EQ", p)}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "filterGroups": filter("firstname", "IN", p)}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "filterGroups": filter("email", "NOT_CONTAINS_TOKEN", p)}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "filterGroups": filter("createdate", "GTE", p)}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "filterGroups": filter("associated_companies", "EQ", p)}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "filterGroups": filter(p, "EQ", "x")}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "filterGroups": filter("firstname", p, "x")}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "sorts": [{"propertyName": p}]}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "properties": [p]}),
        ),
        ("search_crm_objects", json!({"objectType": p})),
        (
            "get_crm_objects",
            json!({"objectType": "contacts", "objectIds": [1], "properties": [p]}),
        ),
        (
            "list_associations",
            json!({"objectType": "companies", "objectId": 1, "toObjectType": "contacts", "after": p}),
        ),
        ("search_owners", json!({"searchQuery": p})),
        (
            "search_properties",
            json!({"objectType": "deals", "keywords": [p]}),
        ),
        (
            "get_properties",
            json!({"objectType": "deals", "propertyNames": [p]}),
        ),
        ("get_pipelines", json!({"objectType": p})),
        (
            "aggregate_crm_objects",
            json!({"objectType": "contacts", "groupBy": [p]}),
        ),
        (
            "aggregate_crm_objects",
            json!({"objectType": "contacts", "metrics": [{"type": "SUM", "propertyName": p}]}),
        ),
        (
            "aggregate_crm_objects",
            json!({"objectType": "contacts", "query": p}),
        ),
        (
            "aggregate_crm_objects",
            json!({"objectType": "contacts", "filterGroups": filter("region", "NEQ", p)}),
        ),
    ]
}

async fn injection_through_every_string_input_changes_nothing() {
    let before = snapshot();
    let admin = Caller::user(1);
    let other_tenant_total = Caller::new(2, 1, &support::all_scopes())
        .total("object_type:contacts")
        .await;
    let mut outcomes = 0;
    for payload in PAYLOADS {
        for (tool, arguments) in calls(payload) {
            let (status, reply) = admin
                .rpc("tools/call", json!({"name": tool, "arguments": arguments}))
                .await;
            assert_eq!(status, 200, "{tool} {arguments}: {reply}");
            let result = &reply["result"];
            let error = &reply["error"];
            // Either a tool result (success or isError) or an invalid-params error for input
            // that does not fit the schema — never an internal error.
            if result.is_object() {
                let text = result["content"][0]["text"].as_str().unwrap_or_default();
                let head: String = text.chars().take(300).collect();
                assert!(
                    !text.contains("database error"),
                    "{tool} {arguments}: {head}"
                );
                assert!(!text.contains("unavailable"), "{tool} {arguments}: {head}");
                // Nothing from the other account may come back (its records link there).
                assert!(
                    !text.contains("app.globex.example"),
                    "{tool} {arguments}: {head}"
                );
            } else {
                assert_eq!(error["code"], json!(-32602), "{tool} {arguments}: {reply}");
            }
            outcomes += 1;
        }
    }
    assert_eq!(outcomes, PAYLOADS.len() * calls("").len());
    assert_eq!(snapshot(), before, "the database changed");
    assert_eq!(
        Caller::new(2, 1, &support::all_scopes())
            .total("object_type:contacts")
            .await,
        other_tenant_total
    );
    assert!(!std::path::Path::new("/tmp/pwn.db").exists());
}

async fn a_quoted_payload_is_searched_for_literally() {
    // The text is a value: it matches nothing, and it does not widen the match either.
    let admin = Caller::user(1);
    for payload in ["x' OR '1'='1", "\" OR \"\"=\""] {
        let page = admin
            .call(
                "search_crm_objects",
                json!({"objectType": "contacts", "filterGroups": [{"filters": [{"propertyName": "firstname", "operator": "EQ", "value": payload}]}]}),
            )
            .await
            .unwrap();
        assert_eq!(page["total"], json!(0), "{payload}");
    }
}

on_both_backends!(
    injection_through_every_string_input_changes_nothing,
    a_quoted_payload_is_searched_for_literally,
);
