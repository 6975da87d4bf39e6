//! The CRM resources and prompt through the real router, on a seeded SQLite demo store:
//! permissions decide what a caller may read, and what it may not looks missing.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::{sync::Arc, time::Duration};

use axum::{Router, body::Body};
use http_body_util::BodyExt as _;
use mcp_runtime::auth::{Auth, ClaimNames, DevKey, TokenRequest};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::demo::{self, DemoConfig};
use crate::model::{Catalogue, ObjectType};
use crate::store::{SqliteStore, sqlite::open_writer};
use crate::tools::Crm;

const BASE: &str = "http://crm.test";

struct Server {
    app: Router,
    key: DevKey,
    _dir: tempfile::TempDir,
}

fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.sqlite");
    let catalogue = Catalogue::standard();
    let conn = open_writer(&db, &catalogue).unwrap();
    demo::seed(&conn, &catalogue, &DemoConfig::default(), &mut |_| {}).unwrap();
    drop(conn);
    let store = SqliteStore::open(&db, Catalogue::standard(), 2).unwrap();
    let key = DevKey::generate().unwrap();
    let auth = Auth::new(key.verifier(BASE), BASE)
        .authorization_server(BASE)
        .claim_names(ClaimNames::default().tenant("hub_id"));
    let app = crate::server::builder()
        .state(Crm::new(Arc::new(store)))
        .auth(auth)
        .build()
        .unwrap()
        .router();
    Server {
        app,
        key,
        _dir: dir,
    }
}

impl Server {
    async fn rpc(&self, tenant: i64, user: i64, method: &str, params: Value) -> Value {
        let scopes: Vec<String> = ObjectType::ALL
            .iter()
            .map(|t| t.read_scope().to_owned())
            .chain(["crm.objects.owners.read".to_owned()])
            .collect();
        let token = self
            .key
            .mint(&TokenRequest {
                issuer: BASE.to_owned(),
                audience: format!("{BASE}/mcp"),
                subject: user.to_string(),
                tenant: Some(tenant.to_string()),
                tenant_claim: "hub_id".to_owned(),
                client_id: Some("test".to_owned()),
                scopes,
                ttl: Duration::from_secs(600),
            })
            .unwrap();
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let request = http::Request::post("/mcp")
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    async fn read(&self, user: i64, uri: &str) -> Value {
        self.rpc(1, user, "resources/read", json!({"uri": uri}))
            .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_and_catalogue_honour_permissions() {
    let s = server();
    let templates = s.rpc(1, 1, "resources/templates/list", json!({})).await;
    let uris: Vec<&str> = templates["result"]["resourceTemplates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["uriTemplate"].as_str().unwrap())
        .collect();
    assert_eq!(
        uris,
        [
            "crm://{tenant}/properties/{object_type}",
            "crm://{tenant}/{object_type}/{id}"
        ]
    );

    // A contact owned by 1001: the admin (user 1) sees it, rep 5 (owner 1007 only) does not.
    let found = s
        .rpc(
            1,
            1,
            "tools/call",
            json!({"name": "search", "arguments": {"query": "object_type:contacts hubspot_owner_id:1001 limit:1"}}),
        )
        .await;
    let text = found["result"]["content"][0]["text"].as_str().unwrap();
    let id: String = serde_json::from_str::<Value>(text).unwrap()["results"][0]["id"]
        .as_str()
        .unwrap()
        .trim_start_matches("contacts:")
        .to_owned();
    let uri = format!("crm://1/contacts/{id}");
    let admin = s.read(1, &uri).await;
    let record: Value =
        serde_json::from_str(admin["result"]["contents"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(record["id"], json!(id));
    assert_eq!(record["objectType"], "contacts");
    assert_eq!(
        admin["result"]["contents"][0]["mimeType"],
        "application/json"
    );

    let invisible = s.read(5, &uri).await;
    let missing = s.read(5, "crm://1/contacts/88888888").await;
    assert_eq!(invisible["error"]["code"], -32002, "{invisible}");
    assert_eq!(
        invisible["error"]["message"]
            .as_str()
            .unwrap()
            .replace(&uri, "X"),
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .replace("crm://1/contacts/88888888", "X")
    );
    // Another account's URI reads as missing too.
    let foreign = s.rpc(2, 1, "resources/read", json!({"uri": uri})).await;
    assert_eq!(foreign["error"]["code"], -32002, "{foreign}");

    // The analyst (user 6) may not see contact emails: the catalogue omits them.
    let names = |reply: &Value| -> Vec<String> {
        let text = reply["result"]["contents"][0]["text"].as_str().unwrap();
        serde_json::from_str::<Value>(text).unwrap()["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = names(&s.read(1, "crm://1/properties/contacts").await);
    let analyst = names(&s.read(6, "crm://1/properties/contacts").await);
    assert!(all.iter().any(|n| n == "email"), "{all:?}");
    assert!(!analyst.iter().any(|n| n == "email"), "{analyst:?}");
    assert!(analyst.len() < all.len());

    // The prompt embeds the record for the admin and refuses the rep like a missing record.
    let prompt = s
        .rpc(1, 1, "prompts/get", json!({"name": "summarize_record", "arguments": {"object_type": "contacts", "record_id": id}}))
        .await;
    let messages = prompt["result"]["messages"].as_array().unwrap();
    assert_eq!(messages[0]["content"]["type"], "resource");
    assert_eq!(messages[0]["content"]["resource"]["uri"], json!(uri));
    let refused = s
        .rpc(1, 5, "prompts/get", json!({"name": "summarize_record", "arguments": {"object_type": "contacts", "record_id": id}}))
        .await;
    assert_eq!(refused["error"]["code"], -32602, "{refused}");

    // Object types complete.
    let completion = s
        .rpc(
            1,
            1,
            "completion/complete",
            json!({"ref": {"type": "ref/resource", "uri": "crm://{tenant}/{object_type}/{id}"}, "argument": {"name": "object_type", "value": "co"}}),
        )
        .await;
    assert_eq!(
        completion["result"]["completion"]["values"],
        json!(["contacts", "companies"])
    );
}
