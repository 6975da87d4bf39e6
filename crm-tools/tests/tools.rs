//! The MCP tools through the real router: contracts (shapes, paging, errors a model can act
//! on), gateways, and the analytics answers against the generator's ground truth.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

#[macro_use]
mod support;

use serde_json::{Value, json};
use support::{Caller, all_scopes, harness};

fn names(list: &Value) -> Vec<String> {
    let mut names: Vec<String> = list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

async fn gateways_serve_the_full_surface_and_the_deep_research_pair() {
    let (_, main) = Caller::user(1).rpc("tools/list", json!({})).await;
    assert_eq!(
        names(&main),
        [
            "aggregate_crm_objects",
            "fetch",
            "get_crm_objects",
            "get_pipelines",
            "get_properties",
            "get_user_details",
            "list_associations",
            "search",
            "search_crm_objects",
            "search_owners",
            "search_properties"
        ]
    );
    let dr = Caller::on("/deep-research/mcp", 1, 1, &all_scopes());
    let (_, list) = dr.rpc("tools/list", json!({})).await;
    assert_eq!(names(&list), ["fetch", "search"]);
    // Every tool is read-only.
    for tool in main["result"]["tools"].as_array().unwrap() {
        assert_eq!(tool["annotations"]["readOnlyHint"], json!(true), "{tool}");
    }
}

async fn aggregate_is_not_callable_on_the_deep_research_gateway() {
    let dr = Caller::on("/deep-research/mcp", 1, 1, &all_scopes());
    let (_, reply) = dr
        .rpc(
            "tools/call",
            json!({"name": "aggregate_crm_objects", "arguments": {"objectType": "contacts"}}),
        )
        .await;
    let unknown = reply["error"]["message"]
        .as_str()
        .or(reply["result"]["content"][0]["text"].as_str())
        .unwrap();
    assert!(unknown.contains("aggregate_crm_objects"), "{reply}");
}

async fn descriptions_carry_todays_date_and_dsl_examples() {
    let (_, list) = Caller::user(1).rpc("tools/list", json!({})).await;
    let search = list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "search")
        .unwrap();
    let description = search["description"].as_str().unwrap();
    assert!(
        description.contains("Today is 2026-11-01 (UTC)"),
        "{description}"
    );
    assert!(description.contains("object_type:deals dealstage:closedwon"));
    assert!(!description.contains("{today}"));
}

async fn search_pages_with_total_and_next_offset_and_fetch_reads_the_result() {
    let admin = Caller::user(1);
    let first = admin
        .search("object_type:deals dealstage:closedwon sort:amount:desc limit:5")
        .await;
    let total = first["total"].as_u64().unwrap();
    assert!(total > 5, "{first}");
    assert_eq!(first["offset"], json!(5));
    let results = first["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    for r in results {
        for key in ["id", "title", "text", "url"] {
            assert!(r[key].is_string(), "{key} missing in {r}");
        }
        assert!(r["id"].as_str().unwrap().starts_with("deals:"));
        assert!(
            r["url"]
                .as_str()
                .unwrap()
                .starts_with("https://app.northwind.example/contacts/1/record/0-3/")
        );
    }
    let last = admin
        .search(&format!(
            "object_type:deals dealstage:closedwon limit:5 offset:{}",
            total - 2
        ))
        .await;
    assert_eq!(last["results"].as_array().unwrap().len(), 2);
    assert_eq!(last["offset"], Value::Null);

    let id = results[0]["id"].as_str().unwrap();
    let doc = admin.call("fetch", json!({"id": id})).await.unwrap();
    assert_eq!(doc["id"], id);
    assert_eq!(doc["title"], results[0]["title"]);
    assert_eq!(doc["url"], results[0]["url"]);
    assert_eq!(doc["metadata"]["object_type"], "deals");
    assert_eq!(doc["metadata"]["stage"], "closedwon");
    let text = doc["text"].as_str().unwrap();
    assert!(text.contains("dealstage: closedwon"), "{text}");
    assert!(text.contains("hs_object_id: "), "{text}");
}

async fn fetch_errors_tell_the_caller_what_an_id_looks_like() {
    let admin = Caller::user(1);
    let err = admin
        .call("fetch", json!({"id": "1234"}))
        .await
        .unwrap_err();
    assert!(err.contains("<object_type>:<hs_object_id>"), "{err}");
    let err = admin
        .call("fetch", json!({"id": "contacts:999999999"}))
        .await
        .unwrap_err();
    assert!(
        err.contains("does not exist or you may not see it"),
        "{err}"
    );
}

async fn dsl_errors_name_the_token_and_show_a_fix_that_works() {
    let admin = Caller::user(1);
    let err = admin
        .call(
            "search",
            json!({"query": "object_type:contacts lifecycle_stage:customer"}),
        )
        .await
        .unwrap_err();
    assert!(err.contains("lifecycle_stage"), "{err}");
    assert!(err.contains("lifecyclestage"), "{err}");
    let example = err.split("Corrected example: ").nth(1).unwrap().trim();
    assert!(
        admin.total(example).await > 0,
        "the example `{example}` must run"
    );
}

async fn search_crm_objects_ors_groups_sorts_and_selects_properties() {
    let admin = Caller::user(1);
    let emea = admin.total("object_type:contacts region:EMEA").await;
    let apac = admin.total("object_type:contacts region:APAC").await;
    let page = admin
        .call(
            "search_crm_objects",
            json!({
                "objectType": "contacts",
                "filterGroups": [
                    {"filters": [{"propertyName": "region", "operator": "EQ", "value": "EMEA"}]},
                    {"filters": [{"propertyName": "region", "operator": "EQ", "value": "APAC"}]}
                ],
                "sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}],
                "properties": ["email", "region", "createdate"],
                "limit": 50
            }),
        )
        .await
        .unwrap();
    assert_eq!(page["total"].as_u64().unwrap(), emea + apac);
    let results = page["results"].as_array().unwrap();
    assert_eq!(results.len(), 50);
    let dates: Vec<&str> = results
        .iter()
        .map(|r| r["properties"]["createdate"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    for r in results {
        let props = r["properties"].as_object().unwrap();
        assert!(
            props
                .keys()
                .all(|k| ["email", "region", "createdate"].contains(&k.as_str()))
        );
        assert!(["EMEA", "APAC"].contains(&props["region"].as_str().unwrap()));
        assert!(
            r["url"]
                .as_str()
                .unwrap()
                .ends_with(r["id"].as_str().unwrap())
        );
    }
}

async fn search_crm_objects_rejects_what_it_cannot_do_with_actionable_messages() {
    let admin = Caller::user(1);
    let cases = [
        (
            json!({"objectType": "contacts", "filterGroups": [{"filters": [{"propertyName": "regoin", "operator": "EQ", "value": "EMEA"}]}]}),
            "region",
        ),
        (
            json!({"objectType": "contacts", "filterGroups": [{"filters": [{"propertyName": "region", "operator": "LIKE", "value": "EMEA"}]}]}),
            "CONTAINS_TOKEN",
        ),
        (
            json!({"objectType": "contacts", "sorts": [{"propertyName": "createdate"}, {"propertyName": "email"}]}),
            "one sort",
        ),
        (
            json!({"objectType": "contacts", "sorts": [{"propertyName": "createdat"}]}),
            "createdate",
        ),
        (
            json!({"objectType": "contacts", "properties": ["emial"]}),
            "email",
        ),
        (
            json!({"objectType": "contacts", "limit": 500}),
            "between 1 and 200",
        ),
        (
            json!({"objectType": "contacts", "limit": 200, "offset": 9900}),
            "10000",
        ),
    ];
    for (args, hint) in cases {
        let err = admin
            .call("search_crm_objects", args.clone())
            .await
            .unwrap_err();
        assert!(err.contains(hint), "{args}: {err}");
    }
}

async fn get_crm_objects_reports_missing_ids_without_telling_why() {
    let admin = Caller::user(1);
    let page = admin.search("object_type:companies limit:2").await;
    let ids: Vec<i64> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap()[10..].parse().unwrap())
        .collect();
    let batch = admin
        .call(
            "get_crm_objects",
            json!({"objectType": "companies", "objectIds": [ids[0], 987_654_321, ids[1]]}),
        )
        .await
        .unwrap();
    let got: Vec<&str> = batch["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, [ids[0].to_string(), ids[1].to_string()]);
    assert_eq!(batch["missing"], json!([987_654_321]));
    assert!(batch["results"][0]["properties"]["name"].is_string());
    let too_many: Vec<i64> = (1..=101).collect();
    let err = admin
        .call(
            "get_crm_objects",
            json!({"objectType": "companies", "objectIds": too_many}),
        )
        .await
        .unwrap_err();
    assert!(err.contains("1 to 100"), "{err}");
}

async fn list_associations_pages_with_a_cursor() {
    let admin = Caller::user(1);
    let company = admin
        .call(
            "search_crm_objects",
            json!({"objectType": "companies", "sorts": [{"propertyName": "num_associated_contacts", "direction": "DESCENDING"}], "limit": 1, "properties": ["num_associated_contacts"]}),
        )
        .await
        .unwrap();
    let id: i64 = company["results"][0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let count: usize = company["results"][0]["properties"]["num_associated_contacts"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count >= 3, "{company}");
    let args = |after: Option<&str>| json!({"objectType": "companies", "objectId": id, "toObjectType": "contacts", "limit": 2, "after": after});
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = admin
            .call("list_associations", args(after.as_deref()))
            .await
            .unwrap();
        assert_eq!(page["total"], json!(count));
        for link in page["results"].as_array().unwrap() {
            assert!(!link["associationTypes"].as_array().unwrap().is_empty());
            seen.push(link["toObjectId"].as_i64().unwrap());
        }
        match page["after"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    seen.dedup();
    assert_eq!(seen.len(), count);
    let err = admin
        .call("list_associations", args(Some("abc")))
        .await
        .unwrap_err();
    assert!(err.contains("cursor"), "{err}");
}

async fn owners_need_their_scope_and_search_by_name_or_id() {
    let admin = Caller::user(1);
    let all = admin.call("search_owners", json!({})).await.unwrap();
    let first = &all["results"][0];
    let email = first["email"].as_str().unwrap();
    let by_email = admin
        .call("search_owners", json!({"searchQuery": &email[..5]}))
        .await
        .unwrap();
    assert!(
        by_email["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["email"] == email)
    );
    let by_id = admin
        .call("search_owners", json!({"ownerIds": [first["ownerId"]]}))
        .await
        .unwrap();
    assert_eq!(by_id["total"], json!(1));

    let scopes: Vec<String> = all_scopes()
        .into_iter()
        .filter(|s| s != "crm.objects.owners.read")
        .collect();
    let no_owners = Caller::new(1, 1, &scopes);
    let (status, reply) = no_owners
        .rpc(
            "tools/call",
            json!({"name": "search_owners", "arguments": {}}),
        )
        .await;
    assert_eq!(status, 403, "{reply}");
    let details = no_owners.call("get_user_details", json!({})).await.unwrap();
    assert_eq!(
        details["tools"]["search_owners"],
        "REQUIRES_REAUTHORIZATION"
    );
}

async fn property_tools_find_names_from_guesses() {
    let admin = Caller::user(1);
    let found = admin
        .call(
            "search_properties",
            json!({"objectType": "deals", "keywords": ["close date", "amount"]}),
        )
        .await
        .unwrap();
    let names: Vec<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names[..3].contains(&"closedate"), "{names:?}");
    assert!(names[..3].contains(&"amount"), "{names:?}");

    let defs = admin
        .call(
            "get_properties",
            json!({"objectType": "deals", "propertyNames": ["dealstage", "dealstagee"]}),
        )
        .await
        .unwrap();
    let stage = &defs["results"][0];
    assert_eq!(stage["type"], "enumeration");
    assert!(
        stage["options"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["value"] == "closedwon")
    );
    assert_eq!(defs["unknown"][0]["name"], "dealstagee");
    assert_eq!(defs["unknown"][0]["suggestions"][0], "dealstage");
}

async fn pipelines_list_stages_in_order() {
    let admin = Caller::user(1);
    let deals = admin
        .call("get_pipelines", json!({"objectType": "deals"}))
        .await
        .unwrap();
    let stages = deals["results"][0]["stages"].as_array().unwrap();
    let orders: Vec<u64> = stages
        .iter()
        .map(|s| s["displayOrder"].as_u64().unwrap())
        .collect();
    assert!(orders.windows(2).all(|w| w[0] < w[1]));
    assert!(
        stages
            .iter()
            .any(|s| s["id"] == "closedwon" && s["isClosed"] == json!(true))
    );
    let err = admin
        .call("get_pipelines", json!({"objectType": "contacts"}))
        .await
        .unwrap_err();
    assert!(err.contains("deals or tickets"), "{err}");
}

async fn user_details_report_availability_like_hubspot() {
    let support = Caller::user(7);
    let details = support.call("get_user_details", json!({})).await.unwrap();
    let status = |t: &str| {
        details["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["objectType"] == t)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("tickets"), "AVAILABLE");
    assert_eq!(status("deals"), "REQUIRES_PERMISSION_MODIFICATION");
    assert_eq!(details["hubId"], json!(1));
    assert_eq!(details["ownerId"], json!(1009));
    let err = support
        .call("search", json!({"query": "object_type:deals"}))
        .await
        .unwrap_err();
    assert!(err.contains("REQUIRES_PERMISSION_MODIFICATION"), "{err}");

    let scopes: Vec<String> = all_scopes()
        .into_iter()
        .filter(|s| s != "crm.objects.deals.read")
        .collect();
    let narrow = Caller::new(1, 1, &scopes);
    let err = narrow
        .call("search", json!({"query": "object_type:deals"}))
        .await
        .unwrap_err();
    assert!(err.contains("REQUIRES_REAUTHORIZATION"), "{err}");
}

async fn tokens_that_name_no_user_of_the_account_are_refused() {
    for (tenant, user) in [(3, 1), (1, 99)] {
        let err = Caller::new(tenant, user, &all_scopes())
            .call("search", json!({"query": "object_type:contacts"}))
            .await
            .unwrap_err();
        assert!(err.contains("not a user of this CRM account"), "{err}");
    }
}

async fn region_conversion_from_search_totals_and_from_aggregate_matches_the_ground_truth() {
    let truth = &harness().truth;
    let admin = Caller::user(1);
    let window = &truth.window_start;
    let aggregate = admin
        .call(
            "aggregate_crm_objects",
            json!({
                "objectType": "contacts",
                "groupBy": ["region", "lifecyclestage"],
                "metrics": [{"type": "COUNT"}],
                "filterGroups": [{"filters": [{"propertyName": "createdate", "operator": "GTE", "value": window}]}]
            }),
        )
        .await
        .unwrap();
    let mut best = (String::new(), 0.0);
    for (region, expected) in &truth.conversion_by_region {
        let created = admin
            .total(&format!(
                "object_type:contacts createdate:gte:{window} region:{region}"
            ))
            .await;
        let customers = admin
            .total(&format!(
                "object_type:contacts createdate:gte:{window} region:{region} lifecyclestage:customer"
            ))
            .await;
        assert_eq!(
            (created, customers),
            (expected.created, expected.customers),
            "{region}"
        );
        let groups = aggregate["groups"].as_array().unwrap();
        let in_region = |stage: Option<&str>| -> f64 {
            groups
                .iter()
                .filter(|g| g["key"]["region"] == *region)
                .filter(|g| stage.is_none_or(|s| g["key"]["lifecyclestage"] == s))
                .map(|g| g["metrics"]["count"].as_f64().unwrap())
                .sum()
        };
        assert_eq!(in_region(None), created as f64, "{region}");
        assert_eq!(in_region(Some("customer")), customers as f64, "{region}");
        let rate = customers as f64 / created as f64;
        if rate > best.1 {
            best = (region.clone(), rate);
        }
    }
    assert_eq!(best.0, truth.best_region);
}

async fn aggregate_sums_won_amounts_per_owner_like_the_ground_truth() {
    let truth = &harness().truth;
    let result = Caller::user(1)
        .call(
            "aggregate_crm_objects",
            json!({
                "objectType": "deals",
                "groupBy": ["hubspot_owner_id"],
                "metrics": [{"type": "SUM", "propertyName": "amount"}, {"type": "COUNT"}],
                "filterGroups": [{"filters": [{"propertyName": "dealstage", "operator": "EQ", "value": "closedwon"}]}]
            }),
        )
        .await
        .unwrap();
    assert_eq!(result["metrics"], json!(["sum_amount", "count"]));
    for (owner, amount) in &truth.won_amount_by_owner {
        let key = if owner == "none" {
            Value::Null
        } else {
            json!(owner)
        };
        let group = result["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"]["hubspot_owner_id"] == key)
            .unwrap_or_else(|| panic!("no group for owner {owner}: {result}"));
        let got = group["metrics"]["sum_amount"].as_f64().unwrap();
        assert!((got - amount).abs() < 0.01, "{owner}: {got} vs {amount}");
    }
}

async fn aggregate_refuses_shapes_it_cannot_answer() {
    let admin = Caller::user(1);
    let cases = [
        (
            json!({"objectType": "deals", "groupBy": ["a", "b", "c"]}),
            "at most 2",
        ),
        (
            json!({"objectType": "deals", "metrics": [{"type": "SUM"}]}),
            "propertyName",
        ),
        (
            json!({"objectType": "deals", "metrics": [{"type": "SUM", "propertyName": "dealname"}]}),
            "not a number",
        ),
        (
            json!({"objectType": "deals", "groupBy": ["closedate"]}),
            "date",
        ),
        (
            json!({"objectType": "deals", "groupBy": ["dealstag"]}),
            "unknown property",
        ),
    ];
    for (args, hint) in cases {
        let err = admin
            .call("aggregate_crm_objects", args.clone())
            .await
            .unwrap_err();
        assert!(err.contains(hint), "{args}: {err}");
    }
}

on_both_backends!(
    gateways_serve_the_full_surface_and_the_deep_research_pair,
    aggregate_is_not_callable_on_the_deep_research_gateway,
    descriptions_carry_todays_date_and_dsl_examples,
    search_pages_with_total_and_next_offset_and_fetch_reads_the_result,
    fetch_errors_tell_the_caller_what_an_id_looks_like,
    dsl_errors_name_the_token_and_show_a_fix_that_works,
    search_crm_objects_ors_groups_sorts_and_selects_properties,
    search_crm_objects_rejects_what_it_cannot_do_with_actionable_messages,
    get_crm_objects_reports_missing_ids_without_telling_why,
    list_associations_pages_with_a_cursor,
    owners_need_their_scope_and_search_by_name_or_id,
    property_tools_find_names_from_guesses,
    pipelines_list_stages_in_order,
    user_details_report_availability_like_hubspot,
    tokens_that_name_no_user_of_the_account_are_refused,
    region_conversion_from_search_totals_and_from_aggregate_matches_the_ground_truth,
    aggregate_sums_won_amounts_per_owner_like_the_ground_truth,
    aggregate_refuses_shapes_it_cannot_answer,
);
