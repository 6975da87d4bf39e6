//! Parsing representative DSL queries: `cargo bench -p crm-tools --bench dsl_parse`.

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented pub fn"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use crm_tools::dsl;
use crm_tools::filter::Visibility;
use crm_tools::model::Catalogue;

/// A spread of shapes: bare type, free text, enumerations and dates, owner + sort, lists and
/// associations, and the longest reference example.
const QUERIES: [&str; 6] = [
    "object_type:deals",
    "object_type:contacts q:'John Doe' limit:20",
    "object_type:contacts createdate:gte:2026-08-03 region:EMEA lifecyclestage:customer limit:1",
    "object_type:contacts hubspot_owner_id:1004 sort:createdate:desc limit:20",
    "object_type:tickets associated_contacts:3 hs_pipeline_stage:not_in:4 hs_ticket_priority:in:high,urgent",
    "object_type:deals hubspot_owner_id:12345 dealstage:not_in:closedlost closedate:between:2025-01-01,2025-03-31 sort:amount:desc limit:100 offset:0",
];

fn parse(c: &mut Criterion) {
    let catalogue = Catalogue::standard();
    let visibility = Visibility::default();
    let mut group = c.benchmark_group("dsl_parse");
    for (i, q) in QUERIES.iter().enumerate() {
        group.bench_function(format!("q{i}"), |b| {
            b.iter(|| dsl::parse(black_box(q), &catalogue, &visibility).is_ok());
        });
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
