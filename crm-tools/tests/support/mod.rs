//! An in-process CRM server for tool tests, on either store: demo data seeded once per test
//! binary and backend (a temp-dir SQLite file, a fresh PostgreSQL database), the real router
//! with real ES256 tokens, requests without a socket.
//!
//! Each test is written once and run on both stores by [`on_both_backends!`]; inside it,
//! [`Caller`]s talk to the current backend's server.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::{Router, body::Body};
use crm_tools::demo::{self, DemoConfig, GroundTruth, SeedMode};
use crm_tools::model::{Catalogue, ObjectType};
use crm_tools::store::{CrmStore, PostgresStore, SqliteStore, sqlite::open_writer};
use crm_tools::tools::Crm;
use http::Request;
use http_body_util::BodyExt as _;
use mcp_runtime::auth::{Auth, ClaimNames, DevKey, TokenRequest};
use serde_json::{Value, json};
use tower::ServiceExt as _;

#[path = "../pg/mod.rs"]
pub(crate) mod pg;

const BASE: &str = "http://crm.test";

/// Which store a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// The embedded SQLite store.
    Sqlite,
    /// The PostgreSQL store on the test server.
    Postgres,
}

tokio::task_local! {
    static BACKEND: Backend;
}

/// The backend of the running test (SQLite outside [`on`]).
pub(crate) fn backend() -> Backend {
    BACKEND.try_with(|b| *b).unwrap_or(Backend::Sqlite)
}

/// Runs one test body against `backend` (a skipped PostgreSQL half returns at once, loudly).
pub(crate) async fn on(backend: Backend, test: impl Future<Output = ()>) {
    if backend == Backend::Postgres && pg::skipped() {
        return;
    }
    BACKEND.scope(backend, test).await;
}

/// Turns `async fn name()` test bodies into one `#[tokio::test]` per backend:
/// `on_sqlite::name` and `on_postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    $crate::support::on($crate::support::Backend::Sqlite, super::$name()).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    $crate::support::on($crate::support::Backend::Postgres, super::$name()).await;
                }
            )*
        }
    };
}

/// Where a harness's data lives.
#[derive(Debug)]
pub(crate) enum Db {
    /// The SQLite file.
    Sqlite(std::path::PathBuf),
    /// The PostgreSQL database URL.
    Postgres(String),
}

/// The seeded server.
pub(crate) struct Harness {
    pub(crate) app: Router,
    pub(crate) key: DevKey,
    pub(crate) truth: GroundTruth,
    pub(crate) db: Db,
    _dir: tempfile::TempDir,
}

/// The runtime every harness's server (and its PostgreSQL connections) lives on: tests each
/// have their own short-lived runtime, and a pooled connection must outlive the test that
/// opened it.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn build(backend: Backend) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = Catalogue::standard();
    let (store, truth, db): (Arc<dyn CrmStore>, GroundTruth, Db) = match backend {
        Backend::Sqlite => {
            let db = dir.path().join("crm.sqlite");
            let conn = open_writer(&db, &catalogue).unwrap();
            let truth = demo::seed(&conn, &catalogue, &DemoConfig::default(), &mut |_| {}).unwrap();
            drop(conn);
            let store = SqliteStore::open(&db, Catalogue::standard(), 4).unwrap();
            (Arc::new(store), truth, Db::Sqlite(db))
        }
        Backend::Postgres => {
            let url = pg::fresh_database(env!("CARGO_CRATE_NAME"));
            let truth = demo::seed_postgres(
                &url,
                &catalogue,
                &DemoConfig::default(),
                SeedMode::IfEmpty,
                &mut |_| {},
            )
            .unwrap();
            let store = runtime()
                .block_on(PostgresStore::open(&url, Catalogue::standard(), 8))
                .unwrap();
            (Arc::new(store), truth, Db::Postgres(url))
        }
    };
    let key = DevKey::generate().unwrap();
    let auth = Auth::new(key.verifier(BASE), BASE)
        .authorization_server(BASE)
        .claim_names(ClaimNames::default().tenant("hub_id"));
    let app = crm_tools::server::builder()
        .state(Crm::new(store))
        .description_var("today", "2026-11-01")
        .auth(auth)
        .build()
        .unwrap()
        .router();
    Harness {
        app,
        key,
        truth,
        db,
        _dir: dir,
    }
}

/// The shared harness of the current backend (seeded on first use).
pub(crate) fn harness() -> &'static Harness {
    harness_of(backend())
}

/// The shared harness of `backend`.
pub(crate) fn harness_of(backend: Backend) -> &'static Harness {
    static SQLITE: OnceLock<Harness> = OnceLock::new();
    static POSTGRES: OnceLock<Harness> = OnceLock::new();
    let cell = match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    };
    // Built on a plain thread: seeding PostgreSQL blocks, and may not inside an async test.
    cell.get_or_init(|| pg::blocking(move || build(backend)))
}

impl Harness {
    /// Row counts of every table, straight from the database.
    pub(crate) fn table_counts(&self) -> Vec<(String, i64)> {
        match &self.db {
            Db::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                let tables: Vec<String> = conn
                    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                tables
                    .into_iter()
                    .map(|t| {
                        let n = conn
                            .query_row(&format!("SELECT COUNT(*) FROM \"{t}\""), [], |r| r.get(0))
                            .unwrap();
                        (t, n)
                    })
                    .collect()
            }
            Db::Postgres(url) => {
                let url = url.clone();
                pg::blocking(move || {
                    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                    let tables: Vec<String> = client
                        .query(
                            "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
                            &[],
                        )
                        .unwrap()
                        .iter()
                        .map(|r| r.get(0))
                        .collect();
                    tables
                        .into_iter()
                        .map(|t| {
                            let n: i64 = client
                                .query_one(&format!("SELECT COUNT(*) FROM \"{t}\""), &[])
                                .unwrap()
                                .get(0);
                            (t, n)
                        })
                        .collect()
                })
            }
        }
    }
}

/// Every read scope plus owners.
pub(crate) fn all_scopes() -> Vec<String> {
    ObjectType::ALL
        .iter()
        .map(|t| t.read_scope().to_owned())
        .chain(["crm.objects.owners.read".to_owned()])
        .collect()
}

/// A caller: a token for one user of one account on one gateway, of the current backend.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    token: String,
    path: &'static str,
    backend: Backend,
}

impl Caller {
    /// `user` of account `tenant` with `scopes`, on `/mcp`.
    pub(crate) fn new(tenant: i64, user: i64, scopes: &[String]) -> Self {
        Self::on("/mcp", tenant, user, scopes)
    }

    /// The same on another gateway path.
    pub(crate) fn on(path: &'static str, tenant: i64, user: i64, scopes: &[String]) -> Self {
        let backend = backend();
        let token = harness_of(backend)
            .key
            .mint(&TokenRequest {
                issuer: BASE.to_owned(),
                audience: format!("{BASE}{path}"),
                subject: user.to_string(),
                tenant: Some(tenant.to_string()),
                tenant_claim: "hub_id".to_owned(),
                client_id: Some("test".to_owned()),
                scopes: scopes.to_vec(),
                ttl: Duration::from_secs(600),
            })
            .unwrap();
        Self {
            token,
            path,
            backend,
        }
    }

    /// A user of the main demo account with every scope.
    pub(crate) fn user(user: i64) -> Self {
        Self::new(1, user, &all_scopes())
    }

    /// The bearer token it sends.
    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    /// A JSON-RPC request; returns the status and the body as JSON.
    pub(crate) async fn rpc(&self, method: &str, params: Value) -> (u16, Value) {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let request = Request::post(self.path)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .header("authorization", format!("Bearer {}", self.token))
            .body(Body::from(body.to_string()))
            .unwrap();
        let app = harness_of(self.backend).app.clone();
        let (status, bytes) = runtime()
            .spawn(async move {
                let response = app.oneshot(request).await.unwrap();
                let status = response.status().as_u16();
                let bytes = response.into_body().collect().await.unwrap().to_bytes();
                (status, bytes)
            })
            .await
            .unwrap();
        let json = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, json)
    }

    /// Calls a tool; `Ok(structuredContent)` or `Err(error text)` for an `isError` result.
    pub(crate) async fn call(&self, tool: &str, arguments: Value) -> Result<Value, String> {
        let (status, reply) = self
            .rpc("tools/call", json!({"name": tool, "arguments": arguments}))
            .await;
        assert_eq!(status, 200, "{tool}: {reply}");
        let result = &reply["result"];
        assert!(result.is_object(), "{tool}: no result: {reply}");
        let text = result["content"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if result["isError"] == json!(true) {
            Err(text)
        } else {
            let structured = result["structuredContent"].clone();
            assert_eq!(
                serde_json::from_str::<Value>(&text).unwrap(),
                structured,
                "{tool}: the text item must be the structured content"
            );
            Ok(structured)
        }
    }

    /// A `search` that must succeed.
    pub(crate) async fn search(&self, query: &str) -> Value {
        self.call("search", json!({"query": query}))
            .await
            .unwrap_or_else(|e| panic!("search `{query}` failed: {e}"))
    }

    /// The `total` of a `search`.
    pub(crate) async fn total(&self, query: &str) -> u64 {
        self.search(query).await["total"].as_u64().unwrap()
    }
}
