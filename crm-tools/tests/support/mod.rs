//! An in-process CRM server for tool tests: demo data seeded once per test binary into a temp
//! file, the real router with real ES256 tokens, requests without a socket.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::{Router, body::Body};
use crm_tools::demo::{self, DemoConfig, GroundTruth};
use crm_tools::model::{Catalogue, ObjectType};
use crm_tools::store::{SqliteStore, sqlite::open_writer};
use crm_tools::tools::Crm;
use http::Request;
use http_body_util::BodyExt as _;
use mcp_runtime::auth::{Auth, ClaimNames, DevKey, TokenRequest};
use serde_json::{Value, json};
use tower::ServiceExt as _;

const BASE: &str = "http://crm.test";

/// The seeded server.
pub(crate) struct Harness {
    pub(crate) app: Router,
    pub(crate) key: DevKey,
    pub(crate) truth: GroundTruth,
    pub(crate) db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// The shared harness (seeded on first use).
pub(crate) fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("crm.sqlite");
        let catalogue = Catalogue::standard();
        let conn = open_writer(&db, &catalogue).unwrap();
        let truth = demo::seed(&conn, &catalogue, &DemoConfig::default(), &mut |_| {}).unwrap();
        drop(conn);
        let store = SqliteStore::open(&db, Catalogue::standard(), 4).unwrap();
        let key = DevKey::generate().unwrap();
        let auth = Auth::new(key.verifier(BASE), BASE)
            .authorization_server(BASE)
            .claim_names(ClaimNames::default().tenant("hub_id"));
        let app = crm_tools::server::builder()
            .state(Crm::new(Arc::new(store)))
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
    })
}

/// Every read scope plus owners.
pub(crate) fn all_scopes() -> Vec<String> {
    ObjectType::ALL
        .iter()
        .map(|t| t.read_scope().to_owned())
        .chain(["crm.objects.owners.read".to_owned()])
        .collect()
}

/// A caller: a token for one user of one account on one gateway.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    token: String,
    path: &'static str,
}

impl Caller {
    /// `user` of account `tenant` with `scopes`, on `/mcp`.
    pub(crate) fn new(tenant: i64, user: i64, scopes: &[String]) -> Self {
        Self::on("/mcp", tenant, user, scopes)
    }

    /// The same on another gateway path.
    pub(crate) fn on(path: &'static str, tenant: i64, user: i64, scopes: &[String]) -> Self {
        let token = harness()
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
        Self { token, path }
    }

    /// A user of the main demo account with every scope.
    pub(crate) fn user(user: i64) -> Self {
        Self::new(1, user, &all_scopes())
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
        let response = harness().app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
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
