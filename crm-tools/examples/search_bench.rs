//! Search latency, the same queries on every store given, in one run:
//! `cargo run --release -p crm-tools --example search_bench -- [--runs N] TARGET...`
//! where each TARGET is an SQLite file or a `postgres://` URL.
//!
//! Seed the targets first with the `seed_bench` example (which can seed both). Prints p50/p99
//! per query for the admin (no row predicate) and for an own-records user (with the permission
//! predicate).

use std::time::Instant;

use crm_tools::dsl;
use crm_tools::model::{Catalogue, ObjectType, TenantId, UserId};
use crm_tools::store::{self, Location};

const QUERIES: [&str; 6] = [
    "object_type:contacts createdate:gte:2026-08-03 sort:createdate:desc limit:20",
    "object_type:contacts createdate:gte:2026-08-03 region:EMEA lifecyclestage:customer limit:1",
    "object_type:contacts hubspot_owner_id:1004 sort:createdate:desc limit:20",
    "object_type:deals dealstage:closedwon closedate:between:2026-10-01,2026-12-31 sort:amount:desc",
    "object_type:contacts q:'John Doe' limit:20",
    "object_type:contacts email:contains_token:example.com limit:20",
];

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut runs = 50;
    let mut targets = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args.next().ok_or("--runs N")?.parse()?;
        } else {
            targets.push(arg);
        }
    }
    if targets.is_empty() {
        return Err("usage: search_bench [--runs N] <file.sqlite | postgres://…>...".into());
    }
    let scopes: Vec<String> = ObjectType::ALL
        .iter()
        .map(|t| t.read_scope().to_owned())
        .collect();
    for target in &targets {
        let location = Location::parse(target)?;
        let label = match location {
            Location::Sqlite(_) => "sqlite",
            Location::Postgres(_) => "postgres",
        };
        let store = store::open(&location, Catalogue::standard(), 2).await?;
        for user in [1, 4] {
            let viewer = store
                .load_viewer(TenantId(1), UserId(user), &scopes)
                .await?
                .ok_or("no such demo user")?;
            for q in QUERIES {
                let query = dsl::parse(q, store.catalogue(), &viewer.visibility)?;
                // One untimed run warms the caches and the prepared statements.
                let mut total = store.search(&viewer, &query).await?.total;
                let mut times = Vec::with_capacity(runs);
                for _ in 0..runs {
                    let started = Instant::now();
                    total = store.search(&viewer, &query).await?.total;
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                }
                times.sort_by(f64::total_cmp);
                let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
                println!(
                    "{label:<8} user {user} p50 {:>8.2} ms p99 {:>8.2} ms total {total:>7}  {q}",
                    p(0.5),
                    p(0.99)
                );
            }
        }
    }
    Ok(())
}
