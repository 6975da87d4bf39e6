//! Permission leaks through the tools: every view level, unassigned records, hidden
//! properties, invisible ids, association lists and counts, other accounts.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

#[macro_use]
mod support;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use support::{Caller, all_scopes};

/// The owner ids a user may see records of, derived from the tools themselves
/// (`get_user_details` teams and view level, `search_owners` memberships).
async fn visible_owners(user: i64, object_type: &str) -> (BTreeSet<String>, bool, String) {
    let caller = Caller::user(user);
    let details = caller.call("get_user_details", json!({})).await.unwrap();
    let access = details["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["objectType"] == object_type)
        .unwrap()
        .clone();
    let view = access["view"].as_str().unwrap().to_owned();
    let teams: BTreeSet<&str> = details["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let owners = Caller::user(1)
        .call("search_owners", json!({"limit": 100}))
        .await
        .unwrap();
    let own = details["ownerId"].clone();
    let allowed = owners["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| match view.as_str() {
            "own" => o["ownerId"] == own,
            "team" => {
                o["ownerId"] == own
                    || o["teams"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| teams.contains(t["name"].as_str().unwrap()))
            }
            _ => true,
        })
        .map(|o| o["ownerId"].to_string())
        .collect();
    (allowed, access["unassigned"] == json!(true), view)
}

fn owner_of(record: &Value) -> Option<String> {
    record["properties"]["hubspot_owner_id"]
        .as_str()
        .map(str::to_owned)
}

async fn every_view_level_sees_exactly_its_records_and_totals() {
    let admin = Caller::user(1);
    for (user, object_type) in [
        (2, "tickets"),
        (3, "deals"),
        (4, "contacts"),
        (5, "companies"),
        (7, "contacts"),
    ] {
        let (allowed, unassigned, view) = visible_owners(user, object_type).await;
        assert!(view == "own" || view == "team", "user {user}: {view}");
        let caller = Caller::user(user);
        let mut expected = 0;
        for owner in &allowed {
            expected += admin
                .total(&format!(
                    "object_type:{object_type} hubspot_owner_id:{owner}"
                ))
                .await;
        }
        if unassigned {
            expected += admin
                .total(&format!(
                    "object_type:{object_type} hubspot_owner_id:not_has_property"
                ))
                .await;
        }
        let page = caller
            .call(
                "search_crm_objects",
                json!({"objectType": object_type, "limit": 200, "properties": ["hubspot_owner_id"]}),
            )
            .await
            .unwrap();
        assert_eq!(
            page["total"].as_u64().unwrap(),
            expected,
            "user {user} {object_type}"
        );
        let everything = admin.total(&format!("object_type:{object_type}")).await;
        assert!(
            expected < everything,
            "user {user} {object_type}: {expected} of {everything} (owners {allowed:?})"
        );
        for r in page["results"].as_array().unwrap() {
            match owner_of(r) {
                Some(owner) => assert!(allowed.contains(&owner), "user {user}: {r}"),
                None => assert!(unassigned, "user {user} sees an unassigned record: {r}"),
            }
        }
    }
}

async fn an_invisible_record_looks_exactly_like_a_missing_one() {
    // User 5 sees only owner 1007's contacts; find a contact owned by someone else.
    let admin = Caller::user(1);
    let other = admin
        .search("object_type:contacts hubspot_owner_id:1001 limit:1")
        .await;
    let id = other["results"][0]["id"].as_str().unwrap().to_owned();
    let numeric: i64 = id["contacts:".len()..].parse().unwrap();
    let rep = Caller::user(5);
    let invisible = rep.call("fetch", json!({"id": id})).await.unwrap_err();
    let missing = rep
        .call("fetch", json!({"id": "contacts:88888888"}))
        .await
        .unwrap_err();
    assert_eq!(
        invisible.replace(&id, "X"),
        missing.replace("contacts:88888888", "X")
    );
    let batch = rep
        .call(
            "get_crm_objects",
            json!({"objectType": "contacts", "objectIds": [numeric, 88_888_888]}),
        )
        .await
        .unwrap();
    assert_eq!(batch["results"], json!([]));
    assert_eq!(batch["missing"], json!([numeric, 88_888_888]));
    // Its associations are as empty as a missing record's.
    let links = rep
        .call(
            "list_associations",
            json!({"objectType": "contacts", "objectId": numeric, "toObjectType": "companies"}),
        )
        .await;
    match links {
        Ok(page) => assert_eq!(page["total"], json!(0)),
        Err(e) => panic!("{e}"),
    }
    // And filtering by it matches nothing.
    assert_eq!(
        rep.total(&format!(
            "object_type:companies associated_contacts:{numeric}"
        ))
        .await,
        0
    );
}

async fn hidden_properties_are_unknown_everywhere() {
    // User 6 (analyst) may not see contact email/phone nor deal amount.
    let analyst = Caller::user(6);
    let page = analyst.search("object_type:contacts limit:5").await;
    for r in page["results"].as_array().unwrap() {
        let text = r["text"].as_str().unwrap();
        assert!(!text.contains("email:") && !text.contains('@'), "{text}");
    }
    let id = page["results"][0]["id"].as_str().unwrap();
    let doc = analyst.call("fetch", json!({"id": id})).await.unwrap();
    assert!(!doc["text"].as_str().unwrap().contains("email:"));
    assert!(!doc["title"].as_str().unwrap().contains('@'));

    let hidden = analyst
        .call("search", json!({"query": "object_type:deals amount:gt:0"}))
        .await
        .unwrap_err();
    let unknown = analyst
        .call("search", json!({"query": "object_type:deals zzqqx:gt:0"}))
        .await
        .unwrap_err();
    let shape = |e: &str, name: &str| e.replace(name, "NAME");
    assert!(hidden.contains("unknown property"), "{hidden}");
    assert_eq!(
        shape(&hidden, "amount").split(" Closest").next(),
        shape(&unknown, "zzqqx").split(" Closest").next()
    );
    for args in [
        json!({"objectType": "deals", "sorts": [{"propertyName": "amount"}]}),
        json!({"objectType": "deals", "properties": ["amount"]}),
        json!({"objectType": "deals", "filterGroups": [{"filters": [{"propertyName": "amount", "operator": "HAS_PROPERTY"}]}]}),
    ] {
        let err = analyst
            .call("search_crm_objects", args.clone())
            .await
            .unwrap_err();
        assert!(err.contains("unknown property `amount`"), "{args}: {err}");
    }
    let err = analyst
        .call(
            "aggregate_crm_objects",
            json!({"objectType": "deals", "metrics": [{"type": "SUM", "propertyName": "amount"}]}),
        )
        .await
        .unwrap_err();
    assert!(err.contains("unknown property"), "{err}");
    let props = analyst
        .call("get_properties", json!({"objectType": "deals"}))
        .await
        .unwrap();
    assert!(
        props["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["name"] != "amount")
    );
    let found = analyst
        .call(
            "search_properties",
            json!({"objectType": "contacts", "keywords": ["email"]}),
        )
        .await
        .unwrap();
    assert!(
        found["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["name"] != "email")
    );
}

async fn association_lists_and_counts_show_visible_records_only() {
    // User 5 (own only, no unassigned) on companies: the deals of each visible company.
    let rep = Caller::user(5);
    let admin = Caller::user(1);
    let companies = rep
        .call(
            "search_crm_objects",
            json!({"objectType": "companies", "limit": 50, "properties": ["num_associated_deals"]}),
        )
        .await
        .unwrap();
    let mut compared = 0;
    for c in companies["results"].as_array().unwrap() {
        let id: i64 = c["id"].as_str().unwrap().parse().unwrap();
        let listed = rep
            .call(
                "list_associations",
                json!({"objectType": "companies", "objectId": id, "toObjectType": "deals", "limit": 500}),
            )
            .await
            .unwrap();
        let ids: Vec<i64> = listed["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["toObjectId"].as_i64().unwrap())
            .collect();
        if !ids.is_empty() {
            let visible = rep
                .call(
                    "get_crm_objects",
                    json!({"objectType": "deals", "objectIds": ids}),
                )
                .await
                .unwrap();
            assert_eq!(
                visible["missing"],
                json!([]),
                "listed but invisible: {visible}"
            );
        }
        let shown: usize = c["properties"]["num_associated_deals"]
            .as_str()
            .map_or(0, |n| n.parse().unwrap());
        assert_eq!(shown, ids.len(), "company {id}");
        let all = admin
            .call(
                "list_associations",
                json!({"objectType": "companies", "objectId": id, "toObjectType": "deals", "limit": 500}),
            )
            .await
            .unwrap();
        if all["total"].as_u64().unwrap() > ids.len() as u64 {
            compared += 1;
        }
    }
    assert!(
        compared > 0,
        "no company had deals hidden from the user: the test proves nothing"
    );
}

async fn another_account_never_shows_through() {
    let main = Caller::user(1);
    let other = Caller::new(2, 1, &all_scopes());
    let ours = main.search("object_type:contacts limit:5").await;
    for r in ours["results"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        // The same ids exist in both accounts: the other account gets its own record or none.
        match other.call("fetch", json!({"id": id})).await {
            Ok(doc) => {
                assert_ne!(doc["title"], r["title"], "{id}");
                assert!(doc["url"].as_str().unwrap().contains("app.globex.example"));
            }
            Err(e) => assert!(e.contains("does not exist or you may not see it"), "{e}"),
        }
    }
    let theirs = other.total("object_type:contacts").await;
    assert!(theirs < main.total("object_type:contacts").await);
    let details = other.call("get_user_details", json!({})).await.unwrap();
    assert_eq!(details["hubId"], json!(2));
    let owners = other.call("search_owners", json!({})).await.unwrap();
    assert_eq!(owners["total"], json!(4));
}

on_both_backends!(
    every_view_level_sees_exactly_its_records_and_totals,
    an_invisible_record_looks_exactly_like_a_missing_one,
    hidden_properties_are_unknown_everywhere,
    association_lists_and_counts_show_visible_records_only,
    another_account_never_shows_through,
);
