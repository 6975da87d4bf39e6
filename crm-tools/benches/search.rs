//! Search latency on a seeded file: `cargo bench -p crm-tools --bench search`.
//!
//! The scale is `CRM_BENCH_CONTACTS` contacts (default 100,000). The file is seeded once into
//! `$CARGO_TARGET_TMPDIR` (or the system temp dir) and reused: seeding is deterministic, so a
//! file of the same name always holds the same rows. Each query runs as the admin (no row
//! predicate) and as an own + unassigned rep (with the permission predicate).

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented pub fn"
)]

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use crm_tools::demo::{self, DemoConfig};
use crm_tools::dsl;
use crm_tools::model::{Catalogue, ObjectType, TenantId, UserId};
use crm_tools::store::sqlite::{SCHEMA_VERSION, open_writer};
use crm_tools::store::{CrmStore, SqliteStore};

/// Indexed filter + sort shapes, and free text.
const QUERIES: [(&str, &str); 4] = [
    (
        "created_sorted",
        "object_type:contacts createdate:gte:2026-08-03 sort:createdate:desc limit:20",
    ),
    (
        "region_stage",
        "object_type:contacts createdate:gte:2026-08-03 region:EMEA lifecyclestage:customer limit:1",
    ),
    (
        "won_by_amount",
        "object_type:deals dealstage:closedwon closedate:between:2026-10-01,2026-12-31 sort:amount:desc",
    ),
    ("free_text", "object_type:contacts q:'John Doe' limit:20"),
];

/// The seeded file for `contacts`, seeding it first when it is missing. The name carries the
/// scale and schema version, so a stale file is never reused.
fn seeded(contacts: usize) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = option_env!("CARGO_TARGET_TMPDIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let path = dir.join(format!("crm-bench-v{SCHEMA_VERSION}-{contacts}.sqlite"));
    if path.exists() {
        return Ok(path);
    }
    // Seed beside the final name and rename, so an interrupted run leaves no half file behind.
    let partial = dir.join(format!("crm-bench-v{SCHEMA_VERSION}-{contacts}.partial"));
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let catalogue = Catalogue::standard();
    let conn = open_writer(&partial, &catalogue)?;
    let config = DemoConfig {
        scale: DemoConfig::scale_for_contacts(contacts),
        ..DemoConfig::default()
    };
    eprintln!("seeding {contacts} contacts into {}", path.display());
    demo::seed(&conn, &catalogue, &config, &mut |_| {})?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    drop(conn);
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

fn search(c: &mut Criterion) {
    if let Err(e) = run(c) {
        eprintln!("search bench failed: {e}");
    }
}

fn run(c: &mut Criterion) -> Result<(), Box<dyn std::error::Error>> {
    let contacts = std::env::var("CRM_BENCH_CONTACTS")
        .ok()
        .map_or(Ok(100_000), |v| v.parse())?;
    let path = seeded(contacts)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let store = SqliteStore::open(&path, Catalogue::standard(), 2)?;
    let scopes: Vec<String> = ObjectType::ALL
        .iter()
        .map(|t| t.read_scope().to_owned())
        .collect();
    let mut group = c.benchmark_group(format!("search_{contacts}"));
    for (user, who) in [(1, "admin"), (4, "own")] {
        let viewer = rt
            .block_on(store.load_viewer(TenantId(1), UserId(user), &scopes))?
            .ok_or("no such demo user")?;
        for (name, q) in QUERIES {
            let query = dsl::parse(q, store.catalogue(), &viewer.visibility)?;
            group.bench_function(format!("{who}/{name}"), |b| {
                b.iter(|| rt.block_on(store.search(&viewer, &query)).map(|p| p.total));
            });
        }
    }
    group.finish();
    Ok(())
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = search
}
criterion_main!(benches);
