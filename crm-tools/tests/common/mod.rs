//! Shared test data: the example pairs of reference §1.3 and §2.

/// (query, canonical IR); the comment above each names the natural-language request of the pair.
pub(crate) const PAIRS: &[(&str, &str)] = &[
    // §1.3: show me my deals
    (
        r#"object_type:deals"#,
        r#"deals sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §1.3: contacts containing 'John Doe'
    (
        r#"object_type:contacts q:'John Doe'"#,
        r#"contacts q "John Doe" sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §1.3: 5 most recently modified contacts
    (
        r#"object_type:contacts limit:5 offset:0 sort:lastmodifieddate:desc"#,
        r#"contacts sort lastmodifieddate desc limit 5 offset 0"#,
    ),
    // §1.3: email contains "@example.com", by last contacted
    (
        r#"object_type:contacts email:contains_token:"@example.com" limit:20 offset:0 sort:lastcontacted:desc"#,
        r#"contacts where email contains_token "@example.com" sort lastcontacted desc limit 20 offset 0"#,
    ),
    // §1.3: MQL + SQL leads in the U.S.
    (
        r#"object_type:contacts lifecyclestage:in:marketingqualifiedlead,salesqualifiedlead country:US"#,
        r#"contacts where lifecyclestage in ["marketingqualifiedlead", "salesqualifiedlead"] and country eq "US" sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §1.3: owner 12345's deals, Q1 2025, excluding Closed Lost
    (
        r#"object_type:deals hubspot_owner_id:12345 dealstage:not_in:closedlost closedate:gte:2025-01-01 closedate:lte:2025-03-31 limit:100 offset:0 sort:closedate:asc"#,
        r#"deals where hubspot_owner_id eq 12345 and dealstage not_in ["closedlost"] and closedate gte day(2025-01-01) and closedate lte day(2025-03-31) sort closedate asc limit 100 offset 0"#,
    ),
    // §1.3: tech companies, revenue $1M-$10M. HubSpot's published query says
    // `industry:Technology`, which is no value of the enumeration: here it is an error whose
    // corrected example is this query (golden error in dsl_golden.rs).
    (
        r#"object_type:companies industry:INFORMATION_TECHNOLOGY_AND_SERVICES annualrevenue:gte:1000000 annualrevenue:lte:10000000 limit:100 offset:0 sort:annualrevenue:desc"#,
        r#"companies where industry eq "INFORMATION_TECHNOLOGY_AND_SERVICES" and annualrevenue gte 1000000 and annualrevenue lte 10000000 sort annualrevenue desc limit 100 offset 0"#,
    ),
    // §1.3: contacts with phone but no website
    (
        r#"object_type:contacts phone:has_property website:not_has_property limit:100 offset:0 sort:createdate:asc"#,
        r#"contacts where phone has_property and website not_has_property sort createdate asc limit 100 offset 0"#,
    ),
    // §1.3: companies whose description lacks "startup"
    (
        r#"object_type:companies description:not_contains_token:"startup""#,
        r#"companies where description not_contains_token "startup" sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §1.3: tickets mentioning 'refund'
    (
        r#"object_type:tickets q:'refund'"#,
        r#"tickets q "refund" sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §1.3: contacts of company 12345
    (
        r#"object_type:contacts associated_companies:12345 limit:100 offset:0 sort:createdate:desc"#,
        r#"contacts where associated_companies eq #12345 sort createdate desc limit 100 offset 0"#,
    ),
    // §1.3: deals NOT associated with contact 54321
    (
        r#"object_type:deals associated_contacts:neq:54321 limit:100 offset:0 sort:amount:desc"#,
        r#"deals where associated_contacts neq #54321 sort amount desc limit 100 offset 0"#,
    ),
    // §1.3: contacts on deals 24680,24681 in California
    (
        r#"object_type:contacts associated_deals:in:24680,24681 state:CA limit:100 offset:0"#,
        r#"contacts where associated_deals in [#24680, #24681] and state eq "CA" sort hs_object_id asc limit 100 offset 0"#,
    ),
    // §2: new contacts in last 90 days (count via total)
    (
        r#"object_type:contacts createdate:gte:2026-08-31 limit:1"#,
        r#"contacts where createdate gte day(2026-08-31) sort hs_object_id asc limit 1 offset 0"#,
    ),
    // §2: ...of those, EMEA ones that became customers
    (
        r#"object_type:contacts createdate:gte:2026-08-31 region:EMEA lifecyclestage:customer limit:1"#,
        r#"contacts where createdate gte day(2026-08-31) and region eq "EMEA" and lifecyclestage eq "customer" sort hs_object_id asc limit 1 offset 0"#,
    ),
    // §2: new companies last 90 days, APAC, by created desc
    (
        r#"object_type:companies createdate:gte:2026-08-31 region:APAC sort:createdate:desc limit:50"#,
        r#"companies where createdate gte day(2026-08-31) and region eq "APAC" sort createdate desc limit 50 offset 0"#,
    ),
    // §2: won deals closed this quarter for company 901
    (
        r#"object_type:deals associated_companies:901 dealstage:closedwon closedate:between:2026-10-01,2026-12-31"#,
        r#"deals where associated_companies eq #901 and dealstage eq "closedwon" and closedate between day(2026-10-01) and day(2026-12-31) sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §2: open high/urgent tickets of contact 77
    (
        r#"object_type:tickets associated_contacts:77 hs_pipeline_stage:not_in:4 hs_ticket_priority:in:high,urgent"#,
        r#"tickets where associated_contacts eq #77 and hs_pipeline_stage not_in ["4"] and hs_ticket_priority in ["high", "urgent"] sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §2: unassigned companies in Germany
    (
        r#"object_type:companies hubspot_owner_id:not_has_property country:DE"#,
        r#"companies where hubspot_owner_id not_has_property and country eq "DE" sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §2: contacts at "Acme Corp" (step 1)
    (
        r#"object_type:companies name:"Acme Corp""#,
        r#"companies where name eq "Acme Corp" sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §2: contacts at "Acme Corp" (step 2)
    (
        r#"object_type:contacts associated_companies:901"#,
        r#"contacts where associated_companies eq #901 sort hs_object_id asc limit 20 offset 0"#,
    ),
    // §2: deals over 50k in negotiation, page 2 of 50
    (
        r#"object_type:deals amount:gt:50000 dealstage:contractsent limit:50 offset:50 sort:amount:desc"#,
        r#"deals where amount gt 50000 and dealstage eq "contractsent" sort amount desc limit 50 offset 50"#,
    ),
];
