//! Golden tests for the query DSL: every example pair of reference §1.3 and §2 parses to the
//! IR shown (in its stable text form), and every error class renders the message shown, with the
//! offending token, its position, the nearest names and a corrected query.

use crm_tools::dsl::{self, ErrorKind};
use crm_tools::filter::{FilterError, Visibility};
use crm_tools::model::{Catalogue, ObjectType};

mod common;

use common::PAIRS;

/// (query, exact error message) for every error class.
const ERRORS: &[(&str, &str)] = &[
    (
        r#""#,
        r#"Invalid query: the query is empty. Corrected example: object_type:contacts limit:20"#,
    ),
    (
        r#"   "#,
        r#"Invalid query: the query is empty. Corrected example: object_type:contacts limit:20"#,
    ),
    (
        r#"object_type:contacts John"#,
        r#"Invalid query: every token must be key:value (or key:operator:value); to search free text use q:"…" (token `John` at character 22). Corrected example: object_type:contacts q:John"#,
    ),
    (
        r#"object_type:contacts firstname:john OR lastname:doe"#,
        r#"Invalid query: boolean keyword `OR` is not supported: all tokens are ANDed; use in:a,b for alternatives on one property, or run one search per alternative (token `OR` at character 37). Corrected example: object_type:contacts firstname:john lastname:doe"#,
    ),
    (
        r#"object_type:contacts (firstname:john"#,
        r#"Invalid query: parentheses and nested expressions are not supported: all tokens are ANDed (token `(firstname:john` at character 22). Corrected example: object_type:contacts firstname:john"#,
    ),
    (
        r#"object_type:contacts q:"John"#,
        r#"Invalid query: unterminated " quote: close the quote before the next token (token `q:"John` at character 22). Corrected example: object_type:contacts q:"John""#,
    ),
    (
        r#"object_type:companies name:"Acme"Corp"#,
        r#"Invalid query: a closing quote must end the token: quote the whole value (token `name:"Acme"Corp` at character 23). Corrected example: object_type:companies name:"AcmeCorp""#,
    ),
    (
        r#"email:john@x.com"#,
        r#"Invalid query: object_type is required (contacts, companies, deals or tickets). Corrected example: object_type:contacts email:john@x.com"#,
    ),
    (
        r#"object_type:leads"#,
        r#"Invalid query: unknown object_type `leads`: use contacts, companies, deals or tickets (token `object_type:leads` at character 1). Corrected example: object_type:deals"#,
    ),
    (
        r#"object_type:contacts object_type:deals"#,
        r#"Invalid query: `object_type` may appear only once (token `object_type:deals` at character 22). Corrected example: object_type:contacts"#,
    ),
    (
        r#"object_type:contacts q:a q:b"#,
        r#"Invalid query: `q` may appear only once (token `q:b` at character 26). Corrected example: object_type:contacts q:a"#,
    ),
    (
        r#"object_type:contacts email:contains_token"#,
        r#"Invalid query: missing value after operator `contains_token` (to use `contains_token` as a literal value, quote it: "contains_token") (token `email:contains_token` at character 22). Corrected example: object_type:contacts email:contains_token:text"#,
    ),
    (
        r#"object_type:contacts email:"#,
        r#"Invalid query: missing value (token `email:` at character 22). Corrected example: object_type:contacts email:text"#,
    ),
    (
        r#"object_type:contacts phone:has_property:yes"#,
        r#"Invalid query: `has_property` takes no value (token `phone:has_property:yes` at character 22). Corrected example: object_type:contacts phone:has_property"#,
    ),
    (
        r#"object_type:contacts limit:ten"#,
        r#"Invalid query: `limit` must be a whole number, not `ten` (token `limit:ten` at character 22). Corrected example: object_type:contacts limit:20"#,
    ),
    (
        r#"object_type:contacts limit:500"#,
        r#"Invalid query: limit must be between 1 and 200, got 500 (token `limit:500` at character 22). Corrected example: object_type:contacts limit:200"#,
    ),
    (
        r#"object_type:contacts limit:0"#,
        r#"Invalid query: limit must be between 1 and 200, got 0 (token `limit:0` at character 22). Corrected example: object_type:contacts limit:1"#,
    ),
    (
        r#"object_type:contacts offset:9990 limit:20"#,
        r#"Invalid query: offset + limit may not exceed 10000 (got offset 9990 + limit 20); narrow the filters instead of paging further (token `offset:9990` at character 22). Corrected example: object_type:contacts offset:9980 limit:20"#,
    ),
    (
        r#"object_type:contacts sort:createdate:up"#,
        r#"Invalid query: sort takes property[:asc|:desc], not `createdate:up` (token `sort:createdate:up` at character 22). Corrected example: object_type:contacts sort:createdate:desc"#,
    ),
    (
        r#"object_type:contacts sort:craetedate:desc"#,
        r#"Invalid query: unknown property `craetedate` (token `sort:craetedate:desc` at character 22). Closest names: createdate, lastname, state. Call search_properties to list the properties of this object type. Corrected example: object_type:contacts sort:createdate:desc"#,
    ),
    (
        r#"object_type:contacts a:1"#,
        r#"Invalid query: unknown property `a` (token `a:1` at character 22). Closest names: fax, email, state. Call search_properties to list the properties of this object type. Corrected example: object_type:contacts fax:1"#,
    ),
    (
        r#"object_type:contacts emial:john@x.com"#,
        r#"Invalid query: unknown property `emial` (token `emial:john@x.com` at character 22). Closest names: email, city, fax. Call search_properties to list the properties of this object type. Corrected example: object_type:contacts email:john@x.com"#,
    ),
    (
        r#"object_type:contacts date_of_birth:1990-01-01"#,
        r#"Invalid query: unknown property `date_of_birth` (token `date_of_birth:1990-01-01` at character 22). Closest names: website, city, country. Call search_properties to list the properties of this object type. Corrected example: object_type:contacts"#,
    ),
    (
        r#"object_type:deals dealstage:gt:closedwon"#,
        r#"Invalid query: operator `gt` cannot be used on `dealstage` (enumeration); allowed: eq, neq, in, not_in, has_property, not_has_property (token `dealstage:gt:closedwon` at character 19). Corrected example: object_type:deals dealstage:closedwon"#,
    ),
    (
        r#"object_type:deals amount:$1000"#,
        r#"Invalid query: `$1000` is not a valid number value for `amount`: expected a plain decimal number such as 1000 or 12.5 (no $, commas or underscores) (token `amount:$1000` at character 19). Corrected example: object_type:deals amount:1000"#,
    ),
    (
        r#"object_type:deals closedate:gte:now-7d"#,
        r#"Invalid query: `now-7d` is not a valid datetime value for `closedate`: expected an ISO date (2025-01-31), an RFC 3339 datetime (2025-01-31T09:30:00Z) or epoch milliseconds; relative dates such as now-7d or today are not supported (token `closedate:gte:now-7d` at character 19). Corrected example: object_type:deals closedate:gte:2025-01-31"#,
    ),
    (
        r#"object_type:deals amount:between:5000"#,
        r#"Invalid query: operator `between` takes two values (low,high), got 1 (token `amount:between:5000` at character 19). Corrected example: object_type:deals amount:between:1000,5000"#,
    ),
    (
        r#"object_type:deals amount:between:5000,1000"#,
        r#"Invalid query: `between` on `amount` needs low,high with low ≤ high (token `amount:between:5000,1000` at character 19). Corrected example: object_type:deals amount:between:1000,5000"#,
    ),
    (
        r#"object_type:deals associated_contacts:gt:5"#,
        r#"Invalid query: `associated_contacts` only accepts eq, neq, in and not_in, not `gt` (token `associated_contacts:gt:5` at character 19). Corrected example: object_type:deals associated_contacts:5"#,
    ),
    (
        r#"object_type:contacts associated_companies:in:acme,hubspot"#,
        r#"Invalid query: `associated_companies` takes numeric hs_object_id values, not `acme`; find the id first (e.g. search object_type:companies with a name or email filter) (token `associated_companies:in:acme,hubspot` at character 22). Corrected example: object_type:companies q:acme"#,
    ),
    (
        r#"object_type:contacts associated_compnies:1"#,
        r#"Invalid query: unknown property `associated_compnies` (token `associated_compnies:1` at character 22). Closest names: associated_companies, associated_contacts, associated_deals. Call search_properties to list the properties of this object type. Corrected example: object_type:contacts associated_companies:1"#,
    ),
    (
        r#"object_type:deals hs_is_closed:maybe"#,
        r#"Invalid query: `maybe` is not a valid bool value for `hs_is_closed`: expected true or false (token `hs_is_closed:maybe` at character 19). Corrected example: object_type:deals hs_is_closed:true"#,
    ),
    (
        r#"object_type:contacts lmit:5"#,
        r#"Invalid query: unknown property `lmit` (token `lmit:5` at character 22). Closest names: limit, city, email. Call search_properties to list the properties of this object type. Corrected example: object_type:contacts limit:5"#,
    ),
    (
        r#"object_type:contacts q:"x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x ""#,
        r#"Invalid query: q is longer than 200 characters (token `q:"x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x "` at character 22). Corrected example: object_type:contacts q:"x x x""#,
    ),
    (
        r#"object_type:contacts firstname:a0 firstname:a1 firstname:a2 firstname:a3 firstname:a4 firstname:a5 firstname:a6 firstname:a7 firstname:a8 firstname:a9 firstname:a10"#,
        r#"Invalid query: at most 10 filters per query (token `firstname:a10` at character 152). Corrected example: object_type:contacts firstname:a0 firstname:a1 firstname:a2 firstname:a3 firstname:a4 firstname:a5 firstname:a6 firstname:a7 firstname:a8 firstname:a9"#,
    ),
    (
        r#"object_type:deals amount:greater:1000"#,
        r#"Invalid query: unknown operator `greater`; nearest operators: gt, gte (token `amount:greater:1000` at character 19). Corrected example: object_type:deals amount:gt:1000"#,
    ),
    (
        r#"object_type:contacts createdate:after:2026-08-01"#,
        r#"Invalid query: unknown operator `after`; nearest operators: gt, gte (token `createdate:after:2026-08-01` at character 22). Corrected example: object_type:contacts createdate:gt:2026-08-01"#,
    ),
    (
        r#"object_type:contacts createdate:after:2026-08-01T10:00:00Z"#,
        r#"Invalid query: unknown operator `after`; nearest operators: gt, gte (token `createdate:after:2026-08-01T10:00:00Z` at character 22). Corrected example: object_type:contacts createdate:gt:2026-08-01T10:00:00Z"#,
    ),
    (
        r#"object_type:contacts lifecyclestage:is:customer"#,
        r#"Invalid query: unknown operator `is`; nearest operators: eq, in (token `lifecyclestage:is:customer` at character 22). Corrected example: object_type:contacts lifecyclestage:customer"#,
    ),
    (
        r#"object_type:contacts firstname:startswith:Jo"#,
        r#"Invalid query: unknown operator `startswith`; nearest operators: contains_token, not_contains_token (token `firstname:startswith:Jo` at character 22). Corrected example: object_type:contacts firstname:contains_token:Jo*"#,
    ),
    (
        r#"object_type:contacts lastname:ne:Smith"#,
        r#"Invalid query: unknown operator `ne`; nearest operators: neq, not_in (token `lastname:ne:Smith` at character 22). Corrected example: object_type:contacts lastname:neq:Smith"#,
    ),
    (
        r#"object_type:deals amount:>=:1000"#,
        r#"Invalid query: unknown operator `>=`; nearest operators: gte, gt (token `amount:>=:1000` at character 19). Corrected example: object_type:deals amount:gte:1000"#,
    ),
    (
        r#"object_type:deals amount:gtee:1000"#,
        r#"Invalid query: unknown operator `gtee`; nearest operators: gte, gt (token `amount:gtee:1000` at character 19). Corrected example: object_type:deals amount:gte:1000"#,
    ),
    (
        r#"object_type:deals dealstage:greater:closedwon"#,
        r#"Invalid query: unknown operator `greater`; nearest operators: gt, gte (token `dealstage:greater:closedwon` at character 19). Corrected example: object_type:deals dealstage:closedwon"#,
    ),
    (
        r#"object_type:contacts phone:exists:yes"#,
        r#"Invalid query: unknown operator `exists`; nearest operators: has_property, not_has_property (token `phone:exists:yes` at character 22). Corrected example: object_type:contacts phone:has_property"#,
    ),
    (
        r#"object_type:deals associated_contacts:is:5"#,
        r#"Invalid query: unknown operator `is`; nearest operators: eq, in (token `associated_contacts:is:5` at character 19). Corrected example: object_type:deals associated_contacts:5"#,
    ),
    (
        r#"object_type:contacts website:http:acme.example"#,
        r#"Invalid query: unknown operator `http`; nearest operators: gt, gte, lt; a value that contains `:` (such as a URL or a time) must be quoted: website:"http:acme.example" (token `website:http:acme.example` at character 22). Corrected example: object_type:contacts website:"http:acme.example""#,
    ),
    (
        r#"object_type:contacts jobtitle:CEO:Founder"#,
        r#"Invalid query: unknown operator `CEO`; nearest operators: eq, neq, gt; a value that contains `:` (such as a URL or a time) must be quoted: jobtitle:"CEO:Founder" (token `jobtitle:CEO:Founder` at character 22). Corrected example: object_type:contacts jobtitle:"CEO:Founder""#,
    ),
    (
        r#"object_type:contacts lifecyclestage:custmer"#,
        r#"Invalid query: `custmer` is not a value of `lifecyclestage`; options: customer, other, subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, evangelist (token `lifecyclestage:custmer` at character 22). Corrected example: object_type:contacts lifecyclestage:customer"#,
    ),
    (
        r#"object_type:contacts lifecyclestage:not_in:lead,custmer"#,
        r#"Invalid query: `custmer` is not a value of `lifecyclestage`; options: customer, other, subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, evangelist (token `lifecyclestage:not_in:lead,custmer` at character 22). Corrected example: object_type:contacts lifecyclestage:not_in:lead,customer"#,
    ),
    (
        r#"object_type:companies industry:Technology"#,
        r#"Invalid query: `Technology` is not a value of `industry`; options: INFORMATION_TECHNOLOGY_AND_SERVICES, RETAIL, INTERNET, COMPUTER_SOFTWARE, FINANCIAL_SERVICES, HOSPITAL_HEALTH_CARE, MARKETING_AND_ADVERTISING, MANUFACTURING, TELECOMMUNICATIONS, EDUCATION_MANAGEMENT, LOGISTICS_AND_SUPPLY_CHAIN, CONSTRUCTION (token `industry:Technology` at character 23). Corrected example: object_type:companies industry:INFORMATION_TECHNOLOGY_AND_SERVICES"#,
    ),
    (
        r#"object_type:contacts sortt:createdate:desc"#,
        r#"Invalid query: unknown property `sortt` (token `sortt:createdate:desc` at character 22). Closest names: sort, state, city. Call search_properties to list the properties of this object type. Corrected example: object_type:contacts sort:createdate:desc"#,
    ),
    (
        r#"object_type:deals ofset:abc"#,
        r#"Invalid query: unknown property `ofset` (token `ofset:abc` at character 19). Closest names: amount, closedate, dealstage. Call search_properties to list the properties of this object type. Corrected example: object_type:deals"#,
    ),
];

#[test]
fn reference_example_pairs_parse_to_the_expected_ir() {
    let catalogue = Catalogue::standard();
    for (query, expected) in PAIRS {
        let parsed = dsl::parse(query, &catalogue, &Visibility::default());
        assert_eq!(
            parsed.map(|q| q.to_string()).as_deref(),
            Ok(*expected),
            "query: {query}"
        );
    }
}

#[test]
fn every_corrected_example_of_a_fixable_error_parses() {
    let catalogue = Catalogue::standard();
    for (query, _) in ERRORS {
        let err = dsl::parse(query, &catalogue, &Visibility::default()).unwrap_err();
        // The lookup example of a non-numeric association id is a different (valid) query.
        let fixed = dsl::parse(&err.example, &catalogue, &Visibility::default());
        assert!(
            fixed.is_ok(),
            "query: {query}\nexample: {}\nerror: {:?}",
            err.example,
            fixed.err()
        );
    }
}

#[test]
fn error_messages_are_golden() {
    let catalogue = Catalogue::standard();
    for (query, expected) in ERRORS {
        let err = dsl::parse(query, &catalogue, &Visibility::default()).unwrap_err();
        assert_eq!(err.to_string(), *expected, "query: {query}");
    }
}

#[test]
fn hidden_properties_look_exactly_like_unknown_ones() {
    let catalogue = Catalogue::standard();
    let mut visibility = Visibility::default();
    visibility
        .hidden
        .entry(ObjectType::Contacts)
        .or_default()
        .insert("phone".to_owned());
    for query in [
        "object_type:contacts phone:has_property",
        "object_type:contacts sort:phone:desc",
    ] {
        let hidden = dsl::parse(query, &catalogue, &visibility).unwrap_err();
        let missing =
            dsl::parse(&query.replace("phone", "phonf"), &catalogue, &visibility).unwrap_err();
        assert!(
            matches!(
                *hidden.kind,
                ErrorKind::Filter(FilterError::UnknownProperty { .. })
            ),
            "{hidden}"
        );
        assert_eq!(
            std::mem::discriminant(&*hidden.kind),
            std::mem::discriminant(&*missing.kind)
        );
        assert!(
            !hidden.suggestions().iter().any(|s| s == "phone"),
            "{hidden}"
        );
        assert!(
            !missing.suggestions().iter().any(|s| s == "phone"),
            "{missing}"
        );
        assert!(
            !hidden.to_string().contains("Closest names: phone"),
            "{hidden}"
        );
    }
    // Sensitive properties are hidden unless the viewer may read sensitive data.
    let query = "object_type:contacts date_of_birth:1990-01-01";
    assert!(dsl::parse(query, &catalogue, &Visibility::default()).is_err());
    let sensitive_ok = Visibility {
        sensitive_ok: true,
        ..Visibility::default()
    };
    assert!(dsl::parse(query, &catalogue, &sensitive_ok).is_ok());
}

#[test]
fn errors_carry_position_token_and_suggestions() {
    let catalogue = Catalogue::standard();
    let err = dsl::parse(
        "object_type:contacts emial:x@y.z",
        &catalogue,
        &Visibility::default(),
    )
    .unwrap_err();
    assert_eq!(err.position, Some(22));
    assert_eq!(err.token.as_deref(), Some("emial:x@y.z"));
    assert_eq!(err.suggestions().first().map(String::as_str), Some("email"));
    assert!(err.suggestions().len() <= 3);
    assert_eq!(err.example, "object_type:contacts email:x@y.z");
}

#[test]
fn too_many_in_values_is_an_error_with_a_trimmed_example() {
    let ids: Vec<String> = (0..=100).map(|i| i.to_string()).collect();
    let query = format!("object_type:contacts associated_deals:in:{}", ids.join(","));
    let err = dsl::parse(&query, &Catalogue::standard(), &Visibility::default()).unwrap_err();
    assert!(err.to_string().starts_with("Invalid query: too many values for `associated_deals`: at most 100 (token `associated_deals:in:0,1,2,"), "{err}");
    assert_eq!(err.position, Some(22));
    let fixed = dsl::parse(&err.example, &Catalogue::standard(), &Visibility::default()).unwrap();
    assert_eq!(fixed.associated().count(), 1);
}
