//! What only the PostgreSQL store has: migrations that several replicas may run at once,
//! `COPY` seeding that yields exactly SQLite's rows and ground truth, and re-seeding rules.
//! (Everything the two stores share runs on both in `store_demo.rs`, `sql_semantics.rs` and
//! the tool tests.)

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

#[macro_use]
mod support;

use crm_tools::demo::{self, DemoConfig, SeedError, SeedMode};
use crm_tools::model::Catalogue;
use crm_tools::store::postgres::SCHEMA_VERSION;
use crm_tools::store::sqlite::open_writer;
use crm_tools::store::{PostgresStore, StoreError};
use support::pg;

fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

/// Row counts of the tables both stores share.
fn pg_counts(url: &str) -> Vec<i64> {
    let url = url.to_owned();
    pg::blocking(move || {
        let mut c = client(&url);
        TABLES
            .iter()
            .map(|t| {
                c.query_one(&format!("SELECT COUNT(*) FROM \"{t}\""), &[])
                    .unwrap()
                    .get(0)
            })
            .collect()
    })
}

const TABLES: [&str; 11] = [
    "contacts",
    "companies",
    "deals",
    "tickets",
    "associations",
    "owners",
    "teams",
    "team_members",
    "users",
    "user_permissions",
    "user_hidden_properties",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_migrating_at_once_create_the_schema_once() {
    if pg::skipped() {
        return;
    }
    let url = pg::fresh_database("migrate");
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { PostgresStore::open(&url, Catalogue::standard(), 1).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    // Idempotent: opening again changes nothing.
    let store = PostgresStore::open(&url, Catalogue::standard(), 1)
        .await
        .unwrap();
    assert!(!store.is_seeded().await.unwrap());
    let u = url.clone();
    let (rows, newest, trgm): (i64, i64, i64) = pg::blocking(move || {
        let mut c = client(&u);
        let r = c
            .query_one("SELECT COUNT(*), MAX(version) FROM crm_schema_version", &[])
            .unwrap();
        let trgm: i64 = c
            .query_one(
                "SELECT COUNT(*) FROM pg_indexes WHERE indexname LIKE '%\\_free\\_text'",
                &[],
            )
            .unwrap()
            .get(0);
        (r.get(0), r.get(1), trgm)
    });
    assert_eq!((rows, newest), (1, SCHEMA_VERSION));
    assert_eq!(trgm, 4, "one free-text index per object type");
    // A newer schema is refused.
    let u = url.clone();
    pg::blocking(move || {
        client(&u)
            .execute("INSERT INTO crm_schema_version (version) VALUES (99)", &[])
            .unwrap()
    });
    assert!(matches!(
        PostgresStore::open(&url, Catalogue::standard(), 1).await,
        Err(StoreError::SchemaTooNew { found: 99, .. })
    ));
}

/// Defence in depth behind the read-only tools: even a statement that reached a serving
/// connection could not write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serving_connections_cannot_write() {
    if pg::skipped() {
        return;
    }
    let url = pg::fresh_database("readonly");
    let store = PostgresStore::open(&url, Catalogue::standard(), 2)
        .await
        .unwrap();
    let client = store.pool().get().await.unwrap();
    for statement in [
        "CREATE TABLE evil (x int)",
        "DELETE FROM tenants",
        "INSERT INTO crm_schema_version (version) VALUES (7)",
    ] {
        let error = client.batch_execute(statement).await.unwrap_err();
        assert_eq!(
            error.code(),
            Some(&tokio_postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION),
            "{statement}: {error}"
        );
    }
    let mode: String = client
        .query_one("SHOW default_transaction_read_only", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "on");
    // …and a backend stops a query whose client went away (PostgreSQL 14+).
    let version: String = client
        .query_one("SHOW server_version_num", &[])
        .await
        .unwrap()
        .get(0);
    if version.parse::<i32>().unwrap() >= 140_000 {
        let interval: String = client
            .query_one("SHOW client_connection_check_interval", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(interval, "1s");
    }
}

#[test]
fn copy_seeding_matches_sqlite_and_reseeding_needs_replace() {
    if pg::skipped() {
        return;
    }
    let config = DemoConfig {
        scale: 0.2,
        ..DemoConfig::default()
    };
    let catalogue = Catalogue::standard();
    // SQLite, the reference.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ref.sqlite");
    let conn = open_writer(&path, &catalogue).unwrap();
    let expected = demo::seed(&conn, &catalogue, &config, &mut |_| {}).unwrap();
    let sqlite_counts: Vec<i64> = TABLES
        .iter()
        .map(|t| {
            conn.query_row(&format!("SELECT COUNT(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap()
        })
        .collect();
    drop(conn);

    let url = pg::fresh_database("seed");
    let seed = |mode| {
        let url = url.clone();
        pg::blocking(move || {
            demo::seed_postgres(&url, &Catalogue::standard(), &config, mode, &mut |_| {})
        })
    };
    assert_eq!(seed(SeedMode::IfEmpty).unwrap(), expected);
    assert_eq!(pg_counts(&url), sqlite_counts);
    assert!(matches!(
        seed(SeedMode::IfEmpty),
        Err(SeedError::AlreadySeeded)
    ));
    assert_eq!(
        pg_counts(&url),
        sqlite_counts,
        "a refused seed writes nothing"
    );
    assert_eq!(seed(SeedMode::Replace).unwrap(), expected);
    assert_eq!(pg_counts(&url), sqlite_counts, "replace empties first");
    // The secondary indexes dropped for the load are back.
    let u = url.clone();
    let indexes: i64 = pg::blocking(move || {
        client(&u)
            .query_one(
                "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'contacts' AND indexname <> 'contacts_pkey'",
                &[],
            )
            .unwrap()
            .get(0)
    });
    assert!(indexes >= 7, "{indexes}");
}
