//! Store faults through the real CRM router: a locked or vanished SQLite file, a PostgreSQL
//! server that stops and comes back, a query slower than the call timeout. Each must give
//! the model a clear, actionable error quickly (never a hang or a panic), `/readyz` must say
//! what is wrong, and the next calls must work once the database is back.
//!
//! The PostgreSQL test runs its own private cluster (`initdb` + `pg_ctl` on a free port in a
//! temp dir, see `support/cluster.rs`), never the shared server other tests use.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

#[macro_use]
mod support;

#[path = "support/cluster.rs"]
mod cluster;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::{Router, body::Body};
use crm_tools::demo::{self, DemoConfig, SeedMode};
use crm_tools::model::{Catalogue, TenantId, UserId};
use crm_tools::store::{CrmStore, Outage, PostgresStore, SqliteStore, sqlite::open_writer};
use crm_tools::tools::{Crm, ToolError};
use http::Request;
use http_body_util::BodyExt as _;
use mcp_runtime::auth::{Auth, ClaimNames, DevKey, TokenRequest};
use serde_json::{Value, json};
use support::all_scopes;
use tower::ServiceExt as _;

const BASE: &str = "http://crm.test";

const BUSY: &str = "the CRM database is busy right now";
const UNAVAILABLE: &str = "the CRM database is unavailable right now";
const TIMED_OUT: &str = "the CRM database did not answer in time";

/// A small demo data set: these tests are about failures, not volumes.
fn small() -> DemoConfig {
    DemoConfig {
        scale: 0.05,
        ..DemoConfig::default()
    }
}

/// The CRM server over one store, as `crm-server` builds it (with the `/readyz` store ping).
struct Server {
    app: Router,
    token: String,
}

impl Server {
    fn new(store: Arc<dyn CrmStore>, call_timeout: Duration) -> Self {
        let key = DevKey::generate().unwrap();
        let auth = Auth::new(key.verifier(BASE), BASE)
            .authorization_server(BASE)
            .claim_names(ClaimNames::default().tenant("hub_id"));
        let app = crm_tools::server::builder_for(Crm::new(store))
            .description_var("today", "2026-11-01")
            .call_timeout(call_timeout)
            .auth(auth)
            .build()
            .unwrap()
            .router();
        let token = key
            .mint(&TokenRequest {
                issuer: BASE.to_owned(),
                audience: format!("{BASE}/mcp"),
                subject: "1".to_owned(),
                tenant: Some("1".to_owned()),
                tenant_claim: "hub_id".to_owned(),
                client_id: Some("test".to_owned()),
                scopes: all_scopes(),
                ttl: Duration::from_secs(600),
            })
            .unwrap();
        Self { app, token }
    }

    /// A `search` call: `Ok(total)` or `Err(error text)`, and how long it took.
    async fn search(&self) -> (Result<u64, String>, Duration) {
        let (result, took) = self
            .call("search", json!({"query": "object_type:contacts limit:1"}))
            .await;
        (result.map(|r| r["total"].as_u64().unwrap()), took)
    }

    /// A tool call: `Ok(structuredContent)` or `Err(error text)`, and how long it took.
    async fn call(&self, tool: &str, arguments: Value) -> (Result<Value, String>, Duration) {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments}});
        let request = Request::post("/mcp")
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .header("authorization", format!("Bearer {}", self.token))
            .body(Body::from(body.to_string()))
            .unwrap();
        let start = Instant::now();
        let (status, reply) = self.send(request).await;
        let took = start.elapsed();
        assert_eq!(status, 200, "{reply}");
        let reply: Value = serde_json::from_str(&reply).unwrap();
        let result = &reply["result"];
        let text = result["content"][0]["text"]
            .as_str()
            .unwrap_or_else(|| panic!("no tool result: {reply}"))
            .to_owned();
        if result["isError"] == json!(true) {
            (Err(text), took)
        } else {
            (Ok(result["structuredContent"].clone()), took)
        }
    }

    /// `GET /readyz`: status and body.
    async fn readyz(&self) -> (u16, String) {
        self.send(Request::get("/readyz").body(Body::empty()).unwrap())
            .await
    }

    async fn send(&self, request: Request<Body>) -> (u16, String) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A call that must succeed (the database is fine).
    async fn works(&self) {
        let (result, _) = self.search().await;
        assert!(result.unwrap() > 0, "the demo account has contacts");
        assert_eq!(self.readyz().await, (200, "ready".to_owned()));
    }
}

/// An error a model can act on: the expected wording, and the hint to retry.
fn assert_clear(error: &str, expected: &str) {
    assert!(
        error.starts_with(expected) && error.contains("retry"),
        "expected `{expected}…retry…`, got: {error}"
    );
}

// ------------------------------------------------------------------ SQLite ---------------

fn seeded_sqlite(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("crm.sqlite");
    let catalogue = Catalogue::standard();
    let conn = open_writer(&path, &catalogue).unwrap();
    demo::seed(&conn, &catalogue, &small(), &mut |_| {}).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_reads_go_on_while_another_connection_holds_the_write_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = seeded_sqlite(dir.path());
    let store = SqliteStore::open(&path, Catalogue::standard(), 2).unwrap();
    let server = Server::new(Arc::new(store), Duration::from_secs(30));
    server.works().await;
    // A writer in the middle of an exclusive transaction (a re-seed, a migration by a newer
    // build): in WAL mode readers see the last commit and never wait for it.
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer
        .execute_batch("BEGIN EXCLUSIVE; CREATE TABLE scratch(x); INSERT INTO scratch VALUES (1);")
        .unwrap();
    let (result, took) = server.search().await;
    assert!(result.is_ok(), "{result:?}");
    assert!(
        took < Duration::from_secs(1),
        "a read waited {took:?} for the writer"
    );
    assert_eq!(server.readyz().await.0, 200);
    writer.execute_batch("ROLLBACK").unwrap();
    server.works().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_by_another_process_fails_as_busy_within_the_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let path = seeded_sqlite(dir.path());
    // Exclusive locking mode keeps every other connection out until it is released (what a
    // maintenance tool run against the file does).
    let locker = rusqlite::Connection::open(&path).unwrap();
    locker
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE scratch(x);")
        .unwrap();
    let open = {
        let path = path.clone();
        move || SqliteStore::open_with(&path, Catalogue::standard(), 2, Duration::from_millis(300))
    };
    let start = Instant::now();
    let error = tokio::task::spawn_blocking(open.clone())
        .await
        .unwrap()
        .unwrap_err();
    let took = start.elapsed();
    assert_eq!(error.outage(), Some(Outage::Busy), "{error:?}");
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(3),
        "busy after {took:?} with a 300 ms busy timeout"
    );
    // What a tool answers for this error, through the tools' own mapping.
    assert_clear(&ToolError::from(error).to_string(), BUSY);
    locker.execute_batch("COMMIT").unwrap();
    drop(locker);
    let store = tokio::task::spawn_blocking(open).await.unwrap().unwrap();
    Server::new(Arc::new(store), Duration::from_secs(30))
        .works()
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_moved_away_is_not_ready_and_garbage_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = seeded_sqlite(dir.path());
    let store = SqliteStore::open(&path, Catalogue::standard(), 2).unwrap();
    let server = Server::new(Arc::new(store), Duration::from_secs(30));
    server.works().await;

    let moved = dir.path().join("moved.sqlite");
    std::fs::rename(&path, &moved).unwrap();
    let (status, reason) = server.readyz().await;
    assert_eq!(status, 503, "{reason}");
    assert_eq!(
        reason,
        "not ready: the CRM database file was removed or replaced since the server opened it; \
         restart the server"
    );
    // The open connections still read the moved file: calls are served, not panicking.
    let (result, _) = server.search().await;
    assert!(result.is_ok(), "{result:?}");
    std::fs::rename(&moved, &path).unwrap();
    server.works().await;

    // A file that is not a database at all.
    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, vec![0x5a_u8; 64 * 1024]).unwrap();
    let error = SqliteStore::open(&garbage, Catalogue::standard(), 2).unwrap_err();
    assert_eq!(error.outage(), Some(Outage::Unavailable), "{error:?}");
    assert_clear(&ToolError::from(error).to_string(), UNAVAILABLE);
}

/// Reads given up at every stage (waiting for a blocking thread, for a connection, mid-query)
/// are interrupted; the interrupt must never reach the query of the connection's next user.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_abandoned_reads_never_disturb_the_next_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = seeded_sqlite(dir.path());
    let store = Arc::new(SqliteStore::open(&path, Catalogue::standard(), 2).unwrap());
    let viewer = store
        .load_viewer(TenantId(1), UserId(1), &all_scopes())
        .await
        .unwrap()
        .unwrap();
    let honest = {
        let (store, viewer) = (Arc::clone(&store), viewer.clone());
        tokio::spawn(async move {
            for _ in 0..300 {
                let owners = store.owners(&viewer).await.unwrap();
                assert!(!owners.is_empty());
            }
        })
    };
    let query = crm_tools::dsl::parse(
        "object_type:contacts sort:lastmodifieddate:desc limit:100",
        &Catalogue::standard(),
        &viewer.visibility,
    )
    .unwrap();
    let mut abandoned = 0;
    for i in 0..600 {
        let mut read = store.search(&viewer, &query);
        let mut pending = true;
        std::future::poll_fn(|cx| {
            pending = read.as_mut().poll(cx).is_pending();
            std::task::Poll::Ready(())
        })
        .await;
        // Then dropped 0 to 2 ms into the blocking work (a spin: timers are too coarse).
        let spin = Instant::now();
        while spin.elapsed() < Duration::from_micros(i * 10 % 2000) {
            std::hint::spin_loop();
        }
        if pending {
            abandoned += 1;
        }
    }
    honest.await.unwrap();
    assert!(abandoned > 100, "only {abandoned} reads were abandoned");
    // Both pooled connections are free and sound.
    let (a, b) = tokio::join!(store.owners(&viewer), store.owners(&viewer));
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
}

// ------------------------------------------------------------------ PostgreSQL -----------

async fn seeded_cluster() -> Option<(cluster::Cluster, String)> {
    let cluster = cluster::Cluster::start()?;
    let url = cluster.url("postgres");
    let seed_url = url.clone();
    tokio::task::spawn_blocking(move || {
        let mut client = postgres::Client::connect(&seed_url, postgres::NoTls).unwrap();
        client
            .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            .unwrap();
        drop(client);
        demo::seed_postgres(
            &seed_url,
            &Catalogue::standard(),
            &small(),
            SeedMode::IfEmpty,
            &mut |_| {},
        )
        .unwrap();
    })
    .await
    .unwrap();
    Some((cluster, url))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_is_a_quick_clear_error_and_restarted_serves_again() {
    let Some((cluster, url)) = seeded_cluster().await else {
        return;
    };
    let store = PostgresStore::open(&url, Catalogue::standard(), 4)
        .await
        .unwrap();
    let server = Server::new(Arc::new(store), Duration::from_secs(30));
    // Several calls at once, so that several pooled connections exist when the server dies.
    let warm = tokio::join!(
        server.search(),
        server.search(),
        server.search(),
        server.search()
    );
    for (result, _) in [warm.0, warm.1, warm.2, warm.3] {
        assert!(result.is_ok(), "{result:?}");
    }
    server.works().await;

    cluster.stop_immediately();
    for attempt in 0..3 {
        let (result, took) = server.search().await;
        let error = result.unwrap_err();
        eprintln!("PostgreSQL down, attempt {attempt}: answered in {took:?}");
        assert_clear(&error, UNAVAILABLE);
        assert!(
            took < Duration::from_secs(2),
            "attempt {attempt}: the error took {took:?}"
        );
    }
    let (status, reason) = server.readyz().await;
    assert_eq!(status, 503, "{reason}");
    assert_eq!(reason, "not ready: the CRM database is unavailable");

    cluster.start_again();
    // Every pooled connection died with the server: none may be handed out again.
    for _ in 0..6 {
        let (result, _) = server.search().await;
        assert!(result.is_ok(), "after the restart: {result:?}");
    }
    server.works().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_query_slower_than_the_call_timeout_is_cancelled_and_does_not_pile_up() {
    let Some((cluster, url)) = seeded_cluster().await else {
        return;
    };
    let store = PostgresStore::open(&url, Catalogue::standard(), 2)
        .await
        .unwrap();
    let server = Server::new(Arc::new(store), Duration::from_millis(500));
    server.works().await;
    // Another session holds a lock every read of `contacts` waits for: a query that takes
    // as long as the lock is held.
    let locker_url = url.clone();
    let (hold, held) = std::sync::mpsc::channel::<()>();
    let (locked, is_locked) = std::sync::mpsc::channel::<()>();
    let locker = std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&locker_url, postgres::NoTls).unwrap();
        let mut tx = client.transaction().unwrap();
        tx.batch_execute("LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE")
            .unwrap();
        locked.send(()).unwrap();
        let _ = held.recv();
        tx.rollback().unwrap();
    });
    is_locked.recv().unwrap();
    // More timed-out calls than pooled connections: each must still time out on time,
    // not wait behind an abandoned query.
    for attempt in 0..5 {
        let (result, took) = server.search().await;
        let error = result.unwrap_err();
        assert!(
            error.contains("did not finish within 500 ms and was cancelled"),
            "attempt {attempt}: {error}"
        );
        assert!(
            took < Duration::from_secs(2),
            "attempt {attempt}: answered after {took:?}"
        );
    }
    // The abandoned queries were cancelled on the server, and the pool's connections are
    // free for reads that do not touch the locked table.
    // (The cancel requests go out asynchronously: give them a moment.)
    let start = Instant::now();
    let mut waiting = lock_waiters(&url).await;
    // A pipelined second statement the cancel missed ends once the backend notices its
    // client is gone (`client_connection_check_interval`, 1 s).
    while waiting > 0 && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waiting = lock_waiters(&url).await;
    }
    eprintln!("sessions waiting for the lock after 5 abandoned calls: {waiting}");
    assert_eq!(waiting, 0, "abandoned queries still wait on the server");
    let (result, took) = server.call("get_user_details", json!({})).await;
    assert!(result.is_ok(), "{result:?} after {took:?}");
    hold.send(()).unwrap();
    locker.join().unwrap();
    server.works().await;
    drop(cluster);
}

/// Sessions of the cluster waiting for a lock.
async fn lock_waiters(url: &str) -> i64 {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .query_one(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
                &[],
            )
            .unwrap()
            .get(0)
    })
    .await
    .unwrap()
}

// A timed-out SQLite read is interrupted rather than left running on its blocking thread;
// the message a model gets for an interrupted query:
#[test]
fn an_interrupted_query_reads_as_timed_out() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let handle = conn.get_interrupt_handle();
    let interrupter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        handle.interrupt();
    });
    // Endless without the interrupt.
    let error = conn
        .query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap_err();
    interrupter.join().unwrap();
    let error = crm_tools::store::StoreError::from(error);
    assert_eq!(error.outage(), Some(Outage::TimedOut), "{error:?}");
    assert_clear(&ToolError::from(error).to_string(), TIMED_OUT);
}
