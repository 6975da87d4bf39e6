//! Search latency on a seeded file:
//! `cargo run --release -p crm-tools --example search_bench -- <file.sqlite> [runs]`.
//!
//! Seed the file first with the `seed_bench` example. Prints p50/p99 per query for the admin
//! (no row predicate) and for an own-records user (with the permission predicate).

use std::time::Instant;

use crm_tools::dsl;
use crm_tools::model::{Catalogue, ObjectType, TenantId, UserId};
use crm_tools::store::{CrmStore, SqliteStore};

const QUERIES: [&str; 5] = [
    "object_type:contacts createdate:gte:2026-08-03 sort:createdate:desc limit:20",
    "object_type:contacts createdate:gte:2026-08-03 region:EMEA lifecyclestage:customer limit:1",
    "object_type:contacts hubspot_owner_id:1004 sort:createdate:desc limit:20",
    "object_type:deals dealstage:closedwon closedate:between:2026-10-01,2026-12-31 sort:amount:desc",
    "object_type:contacts q:'John Doe' limit:20",
];

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: search_bench <file.sqlite> [runs]")?;
    let runs: usize = args.next().map_or(Ok(50), |a| a.parse())?;
    let store = SqliteStore::open(path.as_ref(), Catalogue::standard(), 2)?;
    let scopes: Vec<String> = ObjectType::ALL
        .iter()
        .map(|t| t.read_scope().to_owned())
        .collect();
    for user in [1, 4] {
        let viewer = store
            .load_viewer(TenantId(1), UserId(user), &scopes)
            .await?
            .ok_or("no such demo user")?;
        for q in QUERIES {
            let query = dsl::parse(q, store.catalogue(), &viewer.visibility)?;
            let mut times = Vec::with_capacity(runs);
            let mut total = 0;
            for _ in 0..runs {
                let started = Instant::now();
                total = store.search(&viewer, &query).await?.total;
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
            println!(
                "user {user} p50 {:>8.2} ms p99 {:>8.2} ms total {total:>7}  {q}",
                p(0.5),
                p(0.99)
            );
        }
    }
    Ok(())
}
