//! The workload: every request the soak sends, each with the outcome it must produce.
//!
//! Calibration builds the mix against the live server. Each request is sent twice: the first
//! reply must pass a semantic check derived independently of the server where possible (the
//! generator's `expected.json`, the permission model of the demo users, protocol error codes),
//! and the second must equal the first (the data is read-only, so every reply is a fixed
//! point). That reply becomes the request's golden outcome, and under load every reply must
//! equal it exactly: a wrong total, a leaked record, another user's page, a lost header or a
//! changed error message all count as errors.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use super::wire::{self, Era, LEGACY, MODERN, Outcome, Request};

const MCP: &str = "/mcp";
const DEEP_RESEARCH: &str = "/deep-research/mcp";

/// What fetch says of an id that does not exist or that the caller may not see.
const MISSING: &str = "does not exist or you may not see it";

/// The demo users the mix speaks as: admin (view all), manager (team + unassigned), EMEA rep
/// (team), NA rep (own + unassigned), APAC rep (own only); with their owner ids.
pub(crate) const USERS: [(i64, &str, Option<i64>); 5] = [
    (1, "admin", None),
    (2, "manager", Some(1011)),
    (3, "emea-rep", Some(1004)),
    (4, "na-rep", Some(1001)),
    (5, "apac-rep", Some(1007)),
];

/// Every tool of the main gateway.
const TOOLS: [&str; 11] = [
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
    "search_properties",
];

/// One request of the mix.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// What it is, e.g. `fetch/na-rep/invisible`; errors are counted under it.
    pub(crate) kind: String,
    /// Relative frequency.
    pub(crate) weight: u32,
    pub(crate) request: Request,
    /// The reply it must get.
    pub(crate) golden: Outcome,
}

/// Dev tokens, minted by `crm-server token`.
#[derive(Debug, Clone)]
pub(crate) struct Tokens {
    /// Per demo user id, for `/mcp`.
    pub(crate) users: BTreeMap<i64, String>,
    /// User 1's token for `/deep-research/mcp` (also the wrong-audience token on `/mcp`).
    pub(crate) deep_research: String,
}

/// The live server and what calibration needs to talk to it.
#[derive(Debug)]
pub(crate) struct Target<'a> {
    pub(crate) client: &'a reqwest::Client,
    pub(crate) base: &'a str,
    pub(crate) timeout: Duration,
    pub(crate) tokens: &'a Tokens,
    /// The generator's `expected.json`.
    pub(crate) truth: &'a Value,
}

type Check<'c> = Box<dyn FnOnce(&Outcome) -> Result<(), String> + 'c>;

struct Builder<'a> {
    target: &'a Target<'a>,
    templates: Vec<Template>,
}

impl Builder<'_> {
    /// Calibrates one request: sends it twice, checks the first reply, requires the second to
    /// be identical, and adds it to the mix. Returns the reply for further discovery.
    async fn add(
        &mut self,
        kind: String,
        weight: u32,
        request: Request,
        check: Check<'_>,
    ) -> Result<Outcome, String> {
        let t = self.target;
        let first = wire::send(t.client, t.base, &request, t.timeout)
            .await
            .map_err(|e| format!("{kind}: {e}"))?;
        check(&first).map_err(|e| format!("{kind}: {e}\n  request: {}", request.body))?;
        let second = wire::send(t.client, t.base, &request, t.timeout)
            .await
            .map_err(|e| format!("{kind}: {e}"))?;
        if second != first {
            return Err(format!(
                "{kind}: two identical requests got different replies (the soak needs \
                 deterministic replies):\n  first:  {}\n  second: {}",
                first.brief(),
                second.brief()
            ));
        }
        self.templates.push(Template {
            kind,
            weight,
            request,
            golden: first.clone(),
        });
        Ok(first)
    }

    fn token(&self, user: i64) -> Result<&str, String> {
        self.target
            .tokens
            .users
            .get(&user)
            .map(String::as_str)
            .ok_or_else(|| format!("no token for demo user {user} (pass --token {user}=…)"))
    }

    /// A `search` that must succeed, added to the mix; returns its structured content.
    async fn search(
        &mut self,
        kind: String,
        weight: u32,
        user: i64,
        era: Era,
        query: &str,
    ) -> Result<Value, String> {
        let request = wire::call(
            MCP,
            era,
            Some(self.token(user)?),
            "search",
            json!({"query": query}),
        );
        let paging = page_shape(query);
        let out = self
            .add(
                kind,
                weight,
                request,
                Box::new(move |o| paging(o.structured()?)),
            )
            .await?;
        Ok(out.structured()?.clone())
    }

    /// Like [`Self::search`] but also checks `total`.
    async fn search_total(
        &mut self,
        kind: String,
        user: i64,
        query: &str,
        want: u64,
    ) -> Result<(), String> {
        let got = total(&self.search(kind, 1, user, Era::Legacy, query).await?)?;
        if got == want {
            Ok(())
        } else {
            Err(format!("`{query}`: total {got}, expected.json says {want}"))
        }
    }
}

/// Builds the whole mix against the live server (see the module docs).
pub(crate) async fn calibrate(target: &Target<'_>) -> Result<Vec<Template>, String> {
    let mut b = Builder {
        target,
        templates: Vec::new(),
    };
    protocol(&mut b).await?;
    auth(&mut b).await?;
    ground_truth(&mut b).await?;
    searches(&mut b).await?;
    visibility(&mut b).await?;
    objects(&mut b).await?;
    deep_research(&mut b).await?;
    Ok(b.templates)
}

/// The surface and the protocol in both eras, and protocol errors.
async fn protocol(b: &mut Builder<'_>) -> Result<(), String> {
    let admin = b.token(1)?.to_owned();
    for era in [Era::Legacy, Era::Modern] {
        let request = wire::rpc(MCP, era, Some(&admin), 1, "tools/list", json!({}));
        b.add(
            format!("tools/list/{}", era.label()),
            3,
            request,
            Box::new(|o| expect_names(o, &TOOLS)),
        )
        .await?;
    }
    let init = json!({"protocolVersion": LEGACY, "capabilities": {},
        "clientInfo": {"name": "soak", "version": "0"}});
    let request = wire::rpc(MCP, Era::Legacy, Some(&admin), 1, "initialize", init);
    b.add(
        "initialize/legacy".into(),
        1,
        request,
        Box::new(|o| {
            expect(
                o.result()["protocolVersion"] == LEGACY,
                o,
                "protocolVersion",
            )
        }),
    )
    .await?;
    let request = wire::notification(MCP, Some(&admin), "notifications/initialized");
    b.add(
        "notifications/initialized/legacy".into(),
        1,
        request,
        Box::new(|o| expect(o.status == 202, o, "202 Accepted")),
    )
    .await?;
    let request = wire::rpc(
        MCP,
        Era::Modern,
        Some(&admin),
        1,
        "server/discover",
        json!({}),
    );
    b.add(
        "server/discover/modern".into(),
        1,
        request,
        Box::new(|o| {
            let versions = o.result()["supportedVersions"].as_array();
            expect(
                versions.is_some_and(|v| v.iter().any(|x| x == MODERN)),
                o,
                "supportedVersions with 2026-07-28",
            )
        }),
    )
    .await?;
    for era in [Era::Legacy, Era::Modern] {
        let request = wire::rpc(MCP, era, Some(&admin), 9, "crm/frobnicate", json!({}));
        b.add(
            format!("protocol-error/unknown-method/{}", era.label()),
            1,
            request,
            Box::new(|o| expect_rpc_error(o, -32601)),
        )
        .await?;
    }
    let request = wire::raw(
        MCP,
        Some(&admin),
        r#"{"jsonrpc":"2.0","id":1,"method":"tools/li"#,
    );
    b.add(
        "protocol-error/malformed-json".into(),
        1,
        request,
        Box::new(|o| expect_rpc_error(o, -32700)),
    )
    .await?;
    Ok(())
}

/// Requests the resource server must refuse with 401 and a Bearer challenge.
async fn auth(b: &mut Builder<'_>) -> Result<(), String> {
    let wrong_audience = b.target.tokens.deep_research.clone();
    let cases: [(&str, &'static str, Option<&str>); 4] = [
        ("no-token", MCP, None),
        ("no-token-deep-research", DEEP_RESEARCH, None),
        ("garbage-token", MCP, Some("not.a.jwt")),
        ("wrong-audience", MCP, Some(wrong_audience.as_str())),
    ];
    for (name, path, token) in cases {
        let request = wire::call(
            path,
            Era::Legacy,
            token,
            "search",
            json!({"query": "object_type:contacts"}),
        );
        b.add(
            format!("auth/{name}"),
            1,
            request,
            Box::new(|o| {
                let bearer = o
                    .challenge
                    .as_deref()
                    .is_some_and(|c| c.starts_with("Bearer"));
                expect(
                    o.status == 401 && bearer,
                    o,
                    "401 with WWW-Authenticate: Bearer …",
                )
            }),
        )
        .await?;
    }
    Ok(())
}

/// Searches and aggregates whose answers the generator planted (`expected.json`).
async fn ground_truth(b: &mut Builder<'_>) -> Result<(), String> {
    let truth = b.target.truth;
    let window = truth["window_start"]
        .as_str()
        .ok_or("expected.json has no window_start")?
        .to_owned();
    let regions = truth["conversion_by_region"]
        .as_object()
        .ok_or("expected.json has no conversion_by_region")?
        .clone();
    for (region, counts) in &regions {
        let created = counts["created"].as_u64().ok_or("created")?;
        let customers = counts["customers"].as_u64().ok_or("customers")?;
        let q = format!("object_type:contacts createdate:gte:{window} region:{region} limit:1");
        b.search_total(
            format!("search/admin/truth-created-{region}"),
            1,
            &q,
            created,
        )
        .await?;
        let q = format!(
            "object_type:contacts createdate:gte:{window} region:{region} lifecyclestage:customer limit:1"
        );
        b.search_total(
            format!("search/admin/truth-customers-{region}"),
            1,
            &q,
            customers,
        )
        .await?;
    }
    let admin = b.token(1)?.to_owned();
    for era in [Era::Legacy, Era::Modern] {
        let args = json!({
            "objectType": "contacts",
            "groupBy": ["region", "lifecyclestage"],
            "metrics": [{"type": "COUNT"}],
            "filterGroups": [{"filters": [{"propertyName": "createdate", "operator": "GTE", "value": window}]}]
        });
        let request = wire::call(MCP, era, Some(&admin), "aggregate_crm_objects", args);
        let regions = &regions;
        b.add(
            format!("aggregate/admin/conversion/{}", era.label()),
            2,
            request,
            Box::new(move |o| check_conversion(o.structured()?, regions)),
        )
        .await?;
    }
    let args = json!({
        "objectType": "deals",
        "groupBy": ["hubspot_owner_id"],
        "metrics": [{"type": "SUM", "propertyName": "amount"}, {"type": "COUNT"}],
        "filterGroups": [{"filters": [{"propertyName": "dealstage", "operator": "EQ", "value": "closedwon"}]}]
    });
    let request = wire::call(
        MCP,
        Era::Legacy,
        Some(&admin),
        "aggregate_crm_objects",
        args,
    );
    let won = truth["won_amount_by_owner"]
        .as_object()
        .ok_or("expected.json has no won_amount_by_owner")?
        .clone();
    b.add(
        "aggregate/admin/won-by-owner".into(),
        1,
        request,
        Box::new(move |o| check_won(o.structured()?, &won)),
    )
    .await?;
    Ok(())
}

/// DSL searches as every demo user: filters, free text, sorts, paging; plus a DSL typo.
async fn searches(b: &mut Builder<'_>) -> Result<(), String> {
    let window = b.target.truth["window_start"]
        .as_str()
        .unwrap_or("2026-08-03")
        .to_owned();
    let first = b
        .search(
            "search/admin/first-contact".into(),
            1,
            1,
            Era::Legacy,
            "object_type:contacts limit:1",
        )
        .await?;
    let title = first["results"][0]["title"].as_str().unwrap_or_default();
    let word: String = title
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if word.is_empty() {
        return Err(format!(
            "no contact title to take a free-text word from: {first}"
        ));
    }
    let queries = [
        (
            "contacts-window",
            format!("object_type:contacts createdate:gte:{window} sort:createdate:desc limit:20"),
        ),
        (
            "deals-won-p1",
            "object_type:deals dealstage:closedwon sort:amount:desc limit:10".to_owned(),
        ),
        (
            "deals-won-p2",
            "object_type:deals dealstage:closedwon sort:amount:desc limit:10 offset:10".to_owned(),
        ),
        (
            "contacts-free-text",
            format!("object_type:contacts q:'{word}' limit:10"),
        ),
        (
            "companies-p2",
            "object_type:companies limit:25 offset:25".to_owned(),
        ),
        (
            "tickets-recent",
            "object_type:tickets sort:createdate:desc limit:5".to_owned(),
        ),
    ];
    for (name, q) in &queries {
        let admin = total(
            &b.search(format!("search/admin/{name}"), 3, 1, Era::Legacy, q)
                .await?,
        )?;
        if *name == "contacts-free-text" && admin == 0 {
            return Err(format!("`{q}` finds nothing for the admin"));
        }
        for (user, label, _) in &USERS[1..] {
            let kind = format!("search/{label}/{name}");
            let seen = total(&b.search(kind, 3, *user, Era::Legacy, q).await?)?;
            if seen > admin {
                return Err(format!(
                    "`{q}`: {label} sees {seen} records, more than the admin's {admin}"
                ));
            }
        }
    }
    // The stateless era must answer exactly what the handshake era answers.
    for (user, label, _) in [USERS[0], USERS[3]] {
        for (name, q) in &queries[..2] {
            let legacy = b
                .search(
                    format!("search/{label}/{name}/legacy-twin"),
                    1,
                    user,
                    Era::Legacy,
                    q,
                )
                .await?;
            let modern = b
                .search(
                    format!("search/{label}/{name}/modern"),
                    3,
                    user,
                    Era::Modern,
                    q,
                )
                .await?;
            if legacy != modern {
                return Err(format!(
                    "`{q}` as {label}: the 2026-07-28 reply differs from the 2025-11-25 one"
                ));
            }
        }
    }
    let admin = b.token(1)?.to_owned();
    let request = wire::call(
        MCP,
        Era::Legacy,
        Some(&admin),
        "search",
        json!({"query": "object_type:contacts lifecycle_stage:customer"}),
    );
    b.add(
        "tool-error/dsl-typo".into(),
        2,
        request,
        Box::new(|o| {
            let text = o.tool_error()?;
            expect(
                text.contains("lifecycle_stage")
                    && text.contains("lifecyclestage")
                    && text.contains("Corrected example: "),
                o,
                "an error naming the typo and suggesting lifecyclestage with a corrected example",
            )
        }),
    )
    .await?;
    Ok(())
}

/// Fetches across the permission boundary: what a user may not see reads exactly as missing.
async fn visibility(b: &mut Builder<'_>) -> Result<(), String> {
    let apac_deal = first_id(
        &b.search(
            "search/admin/apac-deal".into(),
            1,
            1,
            Era::Legacy,
            "object_type:deals hubspot_owner_id:1007 limit:1",
        )
        .await?,
    )?;
    let na_deal = first_id(
        &b.search(
            "search/admin/na-deal".into(),
            1,
            1,
            Era::Legacy,
            "object_type:deals hubspot_owner_id:1001 limit:1",
        )
        .await?,
    )?;
    let hidden = b
        .search(
            "search/na-rep/apac-deals".into(),
            1,
            4,
            Era::Legacy,
            "object_type:deals hubspot_owner_id:1007 limit:1",
        )
        .await?;
    if total(&hidden)? != 0 {
        return Err(format!(
            "the NA rep (own + unassigned) finds the APAC rep's deals: {hidden}"
        ));
    }
    let cases = [
        ("fetch/admin/apac-deal", 1, &apac_deal, true),
        ("fetch/apac-rep/own", 5, &apac_deal, true),
        ("fetch/na-rep/own", 4, &na_deal, true),
        ("fetch/na-rep/invisible", 4, &apac_deal, false),
        ("fetch/emea-rep/invisible", 3, &na_deal, false),
    ];
    let mut invisible_text = None;
    for (kind, user, id, visible) in cases {
        let request = wire::call(
            MCP,
            Era::Legacy,
            Some(b.token(user)?),
            "fetch",
            json!({"id": id}),
        );
        let want = id.clone();
        let out = b
            .add(
                kind.into(),
                3,
                request,
                Box::new(move |o| {
                    if visible {
                        let doc = o.structured()?;
                        expect(doc["id"] == want.as_str(), o, "the fetched document")
                    } else {
                        let text = o.tool_error()?;
                        expect(text.contains(MISSING), o, "the missing-record error")
                    }
                }),
            )
            .await?;
        if !visible {
            invisible_text = Some((out.tool_error()?, id.clone()));
        }
    }
    // The same words for an id that does not exist: nothing tells "hidden" from "absent".
    let (hidden_text, hidden_id) = invisible_text.ok_or("no invisible fetch")?;
    let absent = "deals:999999999";
    let request = wire::call(
        MCP,
        Era::Legacy,
        Some(b.token(3)?),
        "fetch",
        json!({"id": absent}),
    );
    b.add(
        "fetch/emea-rep/absent".into(),
        1,
        request,
        Box::new(move |o| {
            let text = o.tool_error()?;
            expect(
                text.replace(absent, "<id>") == hidden_text.replace(hidden_id.as_str(), "<id>"),
                o,
                "the same error as for an invisible id",
            )
        }),
    )
    .await?;
    let ids = [number(&na_deal)?, number(&apac_deal)?];
    let request = wire::call(
        MCP,
        Era::Legacy,
        Some(b.token(4)?),
        "get_crm_objects",
        json!({"objectType": "deals", "objectIds": ids}),
    );
    b.add(
        "get_crm_objects/na-rep/own-and-invisible".into(),
        2,
        request,
        Box::new(move |o| {
            let s = o.structured()?;
            expect(
                s["results"].as_array().map(Vec::len) == Some(1)
                    && s["results"][0]["id"].as_str() == Some(ids[0].to_string().as_str())
                    && s["missing"] == json!([ids[1]]),
                o,
                "own deal returned, the invisible one listed as missing",
            )
        }),
    )
    .await?;
    Ok(())
}

/// The HubSpot-shaped object tools.
async fn objects(b: &mut Builder<'_>) -> Result<(), String> {
    let mut region_totals = 0;
    for region in ["EMEA", "APAC"] {
        let q = format!("object_type:contacts region:{region} limit:1");
        region_totals += total(
            &b.search(
                format!("search/admin/region-{region}"),
                1,
                1,
                Era::Legacy,
                &q,
            )
            .await?,
        )?;
    }
    let args = json!({
        "objectType": "contacts",
        "filterGroups": [
            {"filters": [{"propertyName": "region", "operator": "EQ", "value": "EMEA"}]},
            {"filters": [{"propertyName": "region", "operator": "EQ", "value": "APAC"}]}
        ],
        "sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}],
        "properties": ["email", "region", "createdate"],
        "limit": 50
    });
    for (user, label, era, weight) in [
        (1, "admin", Era::Legacy, 3),
        (1, "admin", Era::Modern, 1),
        (3, "emea-rep", Era::Legacy, 2),
        (2, "manager", Era::Legacy, 2),
    ] {
        let request = wire::call(
            MCP,
            era,
            Some(b.token(user)?),
            "search_crm_objects",
            args.clone(),
        );
        b.add(
            format!("search_crm_objects/{label}/emea-or-apac/{}", era.label()),
            weight,
            request,
            Box::new(move |o| {
                let got = total(o.structured()?)?;
                let ok = if user == 1 {
                    got == region_totals
                } else {
                    got <= region_totals
                };
                expect(
                    ok,
                    o,
                    &format!(
                        "total {} {region_totals}",
                        if user == 1 { "=" } else { "<=" }
                    ),
                )
            }),
        )
        .await?;
    }
    let companies = b
        .search(
            "search/admin/two-companies".into(),
            1,
            1,
            Era::Legacy,
            "object_type:companies limit:2",
        )
        .await?;
    let a = number(&id_at(&companies, 0)?)?;
    let c = number(&id_at(&companies, 1)?)?;
    let request = wire::call(
        MCP,
        Era::Legacy,
        Some(b.token(1)?),
        "get_crm_objects",
        json!({"objectType": "companies", "objectIds": [a, 987_654_321, c]}),
    );
    b.add(
        "get_crm_objects/admin/with-absent".into(),
        2,
        request,
        Box::new(move |o| {
            let s = o.structured()?;
            let got: Vec<&str> = s["results"]
                .as_array()
                .map(|r| r.iter().filter_map(|x| x["id"].as_str()).collect())
                .unwrap_or_default();
            expect(
                got == [a.to_string(), c.to_string()] && s["missing"] == json!([987_654_321]),
                o,
                "both companies and the absent id as missing",
            )
        }),
    )
    .await?;
    let request = wire::call(
        MCP,
        Era::Legacy,
        Some(b.token(1)?),
        "search_crm_objects",
        json!({
        "objectType": "companies",
        "sorts": [{"propertyName": "num_associated_contacts", "direction": "DESCENDING"}],
        "limit": 1, "properties": ["num_associated_contacts"]}),
    );
    let top = b
        .add(
            "search_crm_objects/admin/most-contacts".into(),
            1,
            request,
            Box::new(|o| o.structured().map(|_| ())),
        )
        .await?;
    let top = top.structured()?;
    let company: i64 = top["results"][0]["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or("no company id")?;
    let count: u64 = top["results"][0]["properties"]["num_associated_contacts"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or("no num_associated_contacts")?;
    for (user, label) in [(1, "admin"), (2, "manager")] {
        let request = wire::call(
            MCP,
            Era::Legacy,
            Some(b.token(user)?),
            "list_associations",
            json!({
            "objectType": "companies", "objectId": company, "toObjectType": "contacts", "limit": 5}),
        );
        b.add(
            format!("list_associations/{label}/company-contacts"),
            2,
            request,
            Box::new(move |o| {
                let s = o.structured()?;
                let got = total(s)?;
                let ok = if user == 1 {
                    got == count
                } else {
                    got <= count
                };
                expect(
                    ok && s["results"].is_array(),
                    o,
                    &format!("total vs num_associated_contacts {count}"),
                )
            }),
        )
        .await?;
    }
    for (user, label, owner) in USERS {
        let request = wire::call(
            MCP,
            Era::Legacy,
            Some(b.token(user)?),
            "get_user_details",
            json!({}),
        );
        b.add(
            format!("get_user_details/{label}"),
            1,
            request,
            Box::new(move |o| {
                let s = o.structured()?;
                let owner_ok = owner.is_none_or(|id| s["ownerId"] == json!(id));
                expect(
                    s["hubId"] == json!(1) && owner_ok,
                    o,
                    "hubId 1 and the user's owner id",
                )
            }),
        )
        .await?;
    }
    Ok(())
}

/// The Deep-Research gateway: its two tools only, search then fetch.
async fn deep_research(b: &mut Builder<'_>) -> Result<(), String> {
    let token = b.target.tokens.deep_research.clone();
    let request = wire::rpc(
        DEEP_RESEARCH,
        Era::Legacy,
        Some(&token),
        1,
        "tools/list",
        json!({}),
    );
    b.add(
        "deep-research/tools/list".into(),
        1,
        request,
        Box::new(|o| expect_names(o, &["fetch", "search"])),
    )
    .await?;
    for era in [Era::Legacy, Era::Modern] {
        let request = wire::call(
            DEEP_RESEARCH,
            era,
            Some(&token),
            "search",
            json!({"query": "object_type:deals dealstage:closedwon sort:amount:desc limit:5"}),
        );
        let found = b
            .add(
                format!("deep-research/search/{}", era.label()),
                2,
                request,
                Box::new(|o| {
                    let s = o.structured()?;
                    expect(
                        s["results"].as_array().map(Vec::len) == Some(5),
                        o,
                        "5 results",
                    )
                }),
            )
            .await?;
        let id = id_at(found.structured()?, 4)?;
        let request = wire::call(DEEP_RESEARCH, era, Some(&token), "fetch", json!({"id": id}));
        b.add(
            format!("deep-research/fetch/{}", era.label()),
            2,
            request,
            Box::new(move |o| {
                let doc = o.structured()?;
                let text = doc["text"].as_str().unwrap_or_default();
                expect(
                    doc["id"] == id.as_str() && text.contains("dealstage: closedwon"),
                    o,
                    "the closed-won deal",
                )
            }),
        )
        .await?;
    }
    Ok(())
}

fn expect(ok: bool, o: &Outcome, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("expected {what}, got {}", o.brief()))
    }
}

fn expect_names(o: &Outcome, want: &[&str]) -> Result<(), String> {
    let mut names: Vec<&str> = o.result()["tools"]
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["name"].as_str()).collect())
        .unwrap_or_default();
    names.sort_unstable();
    expect(names == want, o, &format!("the tools {want:?}"))
}

fn expect_rpc_error(o: &Outcome, code: i64) -> Result<(), String> {
    expect(
        o.body["error"]["code"] == json!(code),
        o,
        &format!("JSON-RPC error {code}"),
    )
}

/// A page check for a DSL query: as many results as `limit`/`offset` allow out of `total`,
/// and `offset` pointing at the next page exactly when there is one.
fn page_shape(query: &str) -> impl Fn(&Value) -> Result<(), String> + 'static {
    let param = |name: &str| -> Option<u64> {
        query
            .split_whitespace()
            .find_map(|t| t.strip_prefix(name)?.strip_prefix(':')?.parse().ok())
    };
    let limit = param("limit").unwrap_or(10);
    let offset = param("offset").unwrap_or(0);
    move |s: &Value| {
        let total = total(s)?;
        let shown = s["results"].as_array().map_or(0, Vec::len) as u64;
        let want = limit.min(total.saturating_sub(offset));
        let next = offset + shown;
        let want_next = if shown > 0 && next < total {
            json!(next)
        } else {
            Value::Null
        };
        if shown == want && s["offset"] == want_next {
            Ok(())
        } else {
            Err(format!(
                "page of {shown} (offset {}) for limit {limit} offset {offset} total {total}; expected {want} (offset {want_next})",
                s["offset"]
            ))
        }
    }
}

fn total(s: &Value) -> Result<u64, String> {
    s["total"]
        .as_u64()
        .ok_or_else(|| format!("no total in {s}"))
}

fn id_at(s: &Value, i: usize) -> Result<String, String> {
    s["results"][i]["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no result {i} in {s}"))
}

fn first_id(s: &Value) -> Result<String, String> {
    id_at(s, 0)
}

/// The numeric part of a `type:id` fetch id.
fn number(id: &str) -> Result<i64, String> {
    id.rsplit(':')
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("not a fetch id: {id}"))
}

fn check_conversion(s: &Value, truth: &serde_json::Map<String, Value>) -> Result<(), String> {
    let groups = s["groups"].as_array().ok_or("no groups")?;
    for (region, want) in truth {
        let count = |stage: Option<&str>| -> u64 {
            groups
                .iter()
                .filter(|g| g["key"]["region"] == region.as_str())
                .filter(|g| stage.is_none_or(|st| g["key"]["lifecyclestage"] == st))
                .filter_map(|g| g["metrics"]["count"].as_f64())
                .sum::<f64>() as u64
        };
        let got = (count(None), count(Some("customer")));
        let want = (want["created"].as_u64(), want["customers"].as_u64());
        if (Some(got.0), Some(got.1)) != want {
            return Err(format!(
                "{region}: aggregate says {got:?}, expected.json {want:?}"
            ));
        }
    }
    Ok(())
}

fn check_won(s: &Value, truth: &serde_json::Map<String, Value>) -> Result<(), String> {
    let groups = s["groups"].as_array().ok_or("no groups")?;
    for (owner, amount) in truth {
        let key = if owner == "none" {
            Value::Null
        } else {
            json!(owner)
        };
        let got = groups
            .iter()
            .find(|g| g["key"]["hubspot_owner_id"] == key)
            .and_then(|g| g["metrics"]["sum_amount"].as_f64())
            .ok_or_else(|| format!("no group for owner {owner}"))?;
        let want = amount.as_f64().unwrap_or(f64::NAN);
        if (got - want).abs() >= 0.01 {
            return Err(format!("owner {owner}: sum {got}, expected.json {want}"));
        }
    }
    Ok(())
}
