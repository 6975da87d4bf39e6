//! OAuth resource-server tests: a real JWKS / introspection server on 127.0.0.1:0, the MCP
//! router in process, and one test per attack, each asserting the status code and the
//! `WWW-Authenticate` challenge (see the policy table in `mcp_runtime::auth`).

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

mod common;

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    Router,
    routing::{get, post},
};
use base64::Engine as _;
use common::{LEGACY, MODERN, Reply, post_raw, send};
use http::StatusCode;
use mcp_runtime::{
    Gateway, McpServer,
    auth::{
        Auth, ClaimNames, Claims, DevKey, IntrospectionVerifier, JwtVerifier, KeySource, ListPolicy,
    },
    prelude::*,
};
use serde_json::{Value, json};

const ISS: &str = "https://issuer.test";
const BASE: &str = "http://mcp.test";
const AUD: &str = "http://mcp.test/mcp";
const RESEARCH_AUD: &str = "http://mcp.test/research/mcp";
const METADATA: &str =
    "resource_metadata=\"http://mcp.test/.well-known/oauth-protected-resource/mcp\"";

/// Reads the caller's notes.
#[mcp_tool(scopes = ["notes:read"])]
fn read_notes(#[ctx] auth: AuthContext) -> String {
    format!(
        "notes of {} in {}",
        auth.subject().unwrap_or("?"),
        auth.tenant().unwrap_or("?")
    )
}

/// Writes a note.
#[mcp_tool(scopes = ["notes:write"])]
fn write_note(text: String) -> String {
    text
}

/// Needs no scope.
#[mcp_tool]
fn open_tool() -> String {
    "open".to_owned()
}

/// Works with or without auth.
#[mcp_tool]
fn maybe_auth(#[ctx] auth: Option<AuthContext>) -> String {
    auth.and_then(|a| a.subject().map(str::to_owned))
        .unwrap_or_else(|| "nobody".to_owned())
}

/// Research gateway only.
#[mcp_tool(gateways = ["research"], scopes = ["research"])]
fn search() -> String {
    "found".to_owned()
}

// ------------------------------------------------------------------ local issuer ---------

/// A JWKS (and introspection) endpoint on a real socket.
struct Issuer {
    url: String,
    jwks: Mutex<String>,
    jwks_hits: AtomicUsize,
    introspections: AtomicUsize,
    down: AtomicBool,
}

fn jwks_of(keys: &[&DevKey]) -> String {
    let keys: Vec<_> = keys.iter().flat_map(|k| k.jwks().keys).collect();
    json!({ "keys": keys }).to_string()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn introspection_answer(token: &str) -> Value {
    let base = json!({
        "active": true, "sub": "bob", "tenant": "globex", "client_id": "cli",
        "scope": "notes:read", "iss": ISS, "exp": now() + 600,
    });
    let mut answer = base.as_object().unwrap().clone();
    match token {
        "active-good" => answer.insert("aud".into(), AUD.into()),
        "active-research" => answer.insert("aud".into(), RESEARCH_AUD.into()),
        "active-expired" => {
            answer.insert("aud".into(), AUD.into());
            answer.insert("exp".into(), (now() - 100).into())
        }
        _ => return json!({ "active": false }),
    };
    Value::Object(answer)
}

async fn issuer(keys: &[&DevKey]) -> Arc<Issuer> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(Issuer {
        url,
        jwks: Mutex::new(jwks_of(keys)),
        jwks_hits: AtomicUsize::new(0),
        introspections: AtomicUsize::new(0),
        down: AtomicBool::new(false),
    });
    let (s1, s2) = (Arc::clone(&state), Arc::clone(&state));
    let router = Router::new()
        .route(
            "/jwks.json",
            get(move || {
                let s = Arc::clone(&s1);
                async move {
                    s.jwks_hits.fetch_add(1, SeqCst);
                    if s.down.load(SeqCst) {
                        (StatusCode::INTERNAL_SERVER_ERROR, String::new())
                    } else {
                        (StatusCode::OK, s.jwks.lock().unwrap().clone())
                    }
                }
            }),
        )
        .route(
            "/introspect",
            post(move |body: String| {
                let s = Arc::clone(&s2);
                async move {
                    s.introspections.fetch_add(1, SeqCst);
                    if s.down.load(SeqCst) {
                        return (StatusCode::BAD_GATEWAY, String::new());
                    }
                    let token = body
                        .split('&')
                        .find_map(|p| p.strip_prefix("token="))
                        .unwrap_or("");
                    (StatusCode::OK, introspection_answer(token).to_string())
                }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    state
}

const TOOLS: &[&str] = &[
    "read_notes",
    "write_note",
    "open_tool",
    "maybe_auth",
    "search",
];

fn protect(auth: Auth) -> Router {
    McpServer::builder()
        .only_tools(TOOLS)
        .gateway(Gateway::new("research", "/research/mcp"))
        .auth(
            auth.authorization_server(ISS)
                .gateway_scopes("research", ["research"]),
        )
        .build()
        .unwrap()
        .router()
}

fn jwt_server(issuer: &Issuer, policy: ListPolicy) -> Router {
    let verifier = JwtVerifier::new(KeySource::Url(format!("{}/jwks.json", issuer.url)), ISS);
    protect(Auth::new(verifier, BASE).list_policy(policy))
}

fn claims(aud: &str, scope: &str) -> Claims {
    json!({
        "iss": ISS, "aud": aud, "sub": "alice", "tenant": "acme", "client_id": "cli",
        "scope": scope, "iat": now(), "exp": now() + 600,
    })
    .as_object()
    .unwrap()
    .clone()
}

fn token(key: &DevKey, aud: &str, scope: &str) -> String {
    key.sign(&claims(aud, scope)).unwrap()
}

fn with(mut claims: Claims, name: &str, value: Value) -> Claims {
    claims.insert(name.into(), value);
    claims
}

fn list() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
}

fn call(name: &str, arguments: Value) -> Value {
    let mut body =
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": name}});
    body["params"]["arguments"] = arguments;
    body
}

/// POST `body` to `path` with these `Authorization` header values (none, one, or several).
async fn post_auth(app: &Router, path: &str, body: &Value, authorization: &[&str]) -> Reply {
    let mut headers = vec![("mcp-protocol-version", LEGACY)];
    for value in authorization {
        headers.push(("authorization", value));
    }
    post_raw(app, path, body.to_string(), &headers).await
}

async fn bearer(app: &Router, path: &str, body: &Value, token: &str) -> Reply {
    post_auth(app, path, body, &[&format!("Bearer {token}")]).await
}

fn challenge(reply: &Reply) -> String {
    reply
        .headers
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Status, and a challenge holding every `present` part and none of the `absent` ones.
fn assert_denied(reply: &Reply, status: u16, present: &[&str], absent: &[&str]) {
    let www = challenge(reply);
    assert_eq!(reply.status, status, "{www} / {}", reply.body);
    assert!(www.starts_with("Bearer "), "challenge: {www:?}");
    for part in present {
        assert!(www.contains(part), "challenge {www:?} lacks {part:?}");
    }
    for part in absent {
        assert!(!www.contains(part), "challenge {www:?} has {part:?}");
    }
}

fn invalid_token(reply: &Reply, description: &str) {
    assert_denied(
        reply,
        401,
        &["error=\"invalid_token\"", description, METADATA, "scope=\""],
        &[],
    );
}

fn tool_names(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

fn text(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no text: {}", reply.body))
        .to_owned()
}

struct Setup {
    key: DevKey,
    issuer: Arc<Issuer>,
    app: Router,
}

async fn setup() -> Setup {
    let key = DevKey::generate().unwrap();
    let issuer = issuer(&[&key]).await;
    let app = jwt_server(&issuer, ListPolicy::HideUncallable);
    Setup { key, issuer, app }
}

// ------------------------------------------------------------------ happy paths ---------

#[tokio::test]
async fn valid_token_calls_a_permitted_tool_and_the_tool_sees_the_caller() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes:read");
    let reply = bearer(&s.app, "/mcp", &call("read_notes", json!({})), &t).await;
    assert_eq!(text(&reply), "notes of alice in acme");
    let reply = bearer(&s.app, "/mcp", &call("maybe_auth", json!({})), &t).await;
    assert_eq!(text(&reply), "alice");
    assert_eq!(s.issuer.jwks_hits.load(SeqCst), 1, "keys are cached");
}

#[tokio::test]
async fn scope_hierarchy_broad_scope_covers_narrow_ones() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes");
    let reply = bearer(
        &s.app,
        "/mcp",
        &call("write_note", json!({"text": "hi"})),
        &t,
    )
    .await;
    assert_eq!(text(&reply), "hi");
}

#[tokio::test]
async fn claim_names_are_configurable_for_a_numeric_tenant_claim() {
    let key = DevKey::generate().unwrap();
    let auth = Auth::new(key.verifier(ISS), BASE)
        .claim_names(ClaimNames::default().tenant("hub_id").scope("scp"));
    let app = protect(auth);
    let mut c = claims(AUD, "");
    c.remove("tenant");
    c.insert("hub_id".into(), json!(4_242_001));
    c.insert("scp".into(), json!(["notes:read"]));
    let reply = bearer(
        &app,
        "/mcp",
        &call("read_notes", json!({})),
        &key.sign(&c).unwrap(),
    )
    .await;
    assert_eq!(text(&reply), "notes of alice in 4242001");
}

#[tokio::test]
async fn protected_resource_metadata_per_gateway() {
    let s = setup().await;
    for (path, resource, scopes) in [
        (
            "/.well-known/oauth-protected-resource",
            AUD,
            json!(["notes:read", "notes:write"]),
        ),
        (
            "/.well-known/oauth-protected-resource/mcp",
            AUD,
            json!(["notes:read", "notes:write"]),
        ),
        (
            "/.well-known/oauth-protected-resource/research/mcp",
            RESEARCH_AUD,
            json!(["research"]),
        ),
    ] {
        let request = http::Request::get(path)
            .body(axum::body::Body::empty())
            .unwrap();
        let reply = send(&s.app, request).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.json(),
            json!({
                "resource": resource,
                "authorization_servers": [ISS],
                "scopes_supported": scopes,
                "bearer_methods_supported": ["header"],
            }),
            "{path}"
        );
    }
}

#[tokio::test]
async fn modern_tools_list_is_private_when_auth_is_on() {
    let s = setup().await;
    let t = format!("Bearer {}", token(&s.key, AUD, "notes:read"));
    let body = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/list", "params": {"_meta": {
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientCapabilities": {},
    }}});
    let headers = [
        ("mcp-protocol-version", MODERN),
        ("mcp-method", "tools/list"),
        ("authorization", t.as_str()),
    ];
    let reply = post_raw(&s.app, "/mcp", body.to_string(), &headers).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["result"]["cacheScope"], "private");
}

#[tokio::test]
async fn auth_context_needs_auth_at_build_but_option_works_without() {
    let err = McpServer::builder()
        .only_tools(&["read_notes"])
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("read_notes") && err.contains("AuthContext"),
        "{err}"
    );
    let app = McpServer::builder()
        .only_tools(&["maybe_auth"])
        .build()
        .unwrap()
        .router();
    let reply = post_auth(&app, "/mcp", &call("maybe_auth", json!({})), &[]).await;
    assert_eq!(text(&reply), "nobody");
}

#[tokio::test]
async fn auth_without_authorization_server_fails_build() {
    let key = DevKey::generate().unwrap();
    let err = McpServer::builder()
        .only_tools(&["open_tool"])
        .auth(Auth::new(key.verifier(ISS), BASE))
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("authorization server"), "{err}");
}

#[tokio::test]
async fn keys_rotate_after_the_refresh_interval() {
    let old = DevKey::generate().unwrap();
    let new = DevKey::generate().unwrap();
    let issuer = issuer(&[&old]).await;
    let verifier = JwtVerifier::new(KeySource::Url(format!("{}/jwks.json", issuer.url)), ISS)
        .refresh_interval(Duration::from_millis(100));
    let app = protect(Auth::new(verifier, BASE));
    let reply = bearer(
        &app,
        "/mcp",
        &call("open_tool", json!({})),
        &token(&old, AUD, ""),
    )
    .await;
    assert_eq!(text(&reply), "open");
    *issuer.jwks.lock().unwrap() = jwks_of(&[&old, &new]);
    tokio::time::sleep(Duration::from_millis(150)).await;
    let reply = bearer(
        &app,
        "/mcp",
        &call("open_tool", json!({})),
        &token(&new, AUD, ""),
    )
    .await;
    assert_eq!(text(&reply), "open");
}

#[tokio::test]
async fn cached_keys_survive_a_jwks_outage() {
    let s = setup().await;
    let t = token(&s.key, AUD, "");
    assert_eq!(
        text(&bearer(&s.app, "/mcp", &call("open_tool", json!({})), &t).await),
        "open"
    );
    s.issuer.down.store(true, SeqCst);
    // Another token (not in the verified-token cache) signed with the cached key.
    let other = s
        .key
        .sign(&with(claims(AUD, ""), "jti", json!("2")))
        .unwrap();
    assert_eq!(
        text(&bearer(&s.app, "/mcp", &call("open_tool", json!({})), &other).await),
        "open"
    );
}

// ------------------------------------------------------------------ attacks: header -----

#[tokio::test]
async fn attack_no_token() {
    let s = setup().await;
    let reply = post_auth(&s.app, "/mcp", &list(), &[]).await;
    assert_denied(
        &reply,
        401,
        &[METADATA, "scope=\"notes:read notes:write\""],
        &["error="],
    );
}

#[tokio::test]
async fn attack_other_scheme() {
    let s = setup().await;
    let reply = post_auth(&s.app, "/mcp", &list(), &["Basic YWxpY2U6c2VjcmV0"]).await;
    assert_denied(&reply, 401, &[METADATA], &["error="]);
}

#[tokio::test]
async fn attack_malformed_bearer_headers() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes:read");
    for value in [
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        format!("Bearer  {t}"),
        format!("Bearer {t} "),
        format!("Bearer {t},{t}"),
        format!("Bearer {t}, error=x"),
        format!("Bearer\t{t}"),
        format!("Bearer {t} extra"),
        "Bearer ab\"cd".to_owned(),
    ] {
        let reply = post_auth(&s.app, "/mcp", &list(), &[&value]).await;
        let shown = value.get(..12).unwrap_or(&value);
        assert_eq!(reply.status, 400, "{shown:?}: {}", reply.body);
        assert_denied(&reply, 400, &["error=\"invalid_request\"", METADATA], &[]);
    }
}

#[tokio::test]
async fn attack_two_authorization_headers() {
    let s = setup().await;
    let t = format!("Bearer {}", token(&s.key, AUD, "notes:read"));
    let reply = post_auth(&s.app, "/mcp", &list(), &[&t, &t]).await;
    assert_denied(
        &reply,
        400,
        &["error=\"invalid_request\"", "more than one"],
        &[],
    );
}

#[tokio::test]
async fn attack_oversized_token() {
    let s = setup().await;
    let huge = "a".repeat(20_000);
    let reply = bearer(&s.app, "/mcp", &list(), &huge).await;
    assert_denied(
        &reply,
        400,
        &["error=\"invalid_request\"", "too large"],
        &[],
    );
    assert_eq!(
        s.issuer.jwks_hits.load(SeqCst),
        0,
        "refused before any key lookup"
    );
}

#[tokio::test]
async fn attack_token_in_query_string() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes:read");
    let path = format!("/mcp?access_token={t}");
    let reply = post_auth(&s.app, &path, &list(), &[]).await;
    assert_denied(
        &reply,
        400,
        &["error=\"invalid_request\"", "query string"],
        &[],
    );
}

#[tokio::test]
async fn attack_token_in_header_and_query() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes:read");
    let path = format!("/mcp?access%5Ftoken={t}");
    let reply = bearer(&s.app, &path, &list(), &t).await;
    assert_denied(
        &reply,
        400,
        &["error=\"invalid_request\"", "query string"],
        &[],
    );
}

// ------------------------------------------------------------------ attacks: token ------

#[tokio::test]
async fn attack_garbage_token() {
    let s = setup().await;
    invalid_token(
        &bearer(&s.app, "/mcp", &list(), "not-a-jwt").await,
        "malformed",
    );
}

#[tokio::test]
async fn attack_expired() {
    let s = setup().await;
    let c = with(claims(AUD, "notes:read"), "exp", json!(now() - 120));
    let reply = bearer(&s.app, "/mcp", &list(), &s.key.sign(&c).unwrap()).await;
    invalid_token(&reply, "expired");
}

#[tokio::test]
async fn attack_not_yet_valid() {
    let s = setup().await;
    let c = with(claims(AUD, "notes:read"), "nbf", json!(now() + 3600));
    let reply = bearer(&s.app, "/mcp", &list(), &s.key.sign(&c).unwrap()).await;
    invalid_token(&reply, "not valid yet");
}

#[tokio::test]
async fn attack_missing_exp() {
    let s = setup().await;
    let mut c = claims(AUD, "notes:read");
    c.remove("exp");
    let reply = bearer(&s.app, "/mcp", &list(), &s.key.sign(&c).unwrap()).await;
    invalid_token(&reply, "exp");
}

#[tokio::test]
async fn attack_wrong_audience() {
    let s = setup().await;
    let reply = bearer(
        &s.app,
        "/mcp",
        &list(),
        &token(&s.key, "https://other.example/mcp", "notes:read"),
    )
    .await;
    invalid_token(&reply, "audience");
}

#[tokio::test]
async fn attack_missing_audience() {
    let s = setup().await;
    let mut c = claims(AUD, "notes:read");
    c.remove("aud");
    let reply = bearer(&s.app, "/mcp", &list(), &s.key.sign(&c).unwrap()).await;
    invalid_token(&reply, "audience");
}

#[tokio::test]
async fn attack_replay_token_of_another_gateway() {
    let s = setup().await;
    let research = token(&s.key, RESEARCH_AUD, "research notes:read");
    invalid_token(
        &bearer(&s.app, "/mcp", &list(), &research).await,
        "audience",
    );
    let main = token(&s.key, AUD, "research notes:read");
    // Accepted (and cached) on its own gateway first: the cache must not leak across gateways.
    assert_eq!(bearer(&s.app, "/mcp", &list(), &main).await.status, 200);
    let reply = bearer(&s.app, "/research/mcp", &list(), &main).await;
    assert_denied(
        &reply,
        401,
        &[
            "error=\"invalid_token\"",
            "audience",
            "oauth-protected-resource/research/mcp",
        ],
        &[],
    );
    assert_eq!(
        tool_names(&bearer(&s.app, "/research/mcp", &list(), &research).await),
        ["search"]
    );
}

#[tokio::test]
async fn attack_wrong_issuer() {
    let s = setup().await;
    let c = with(
        claims(AUD, "notes:read"),
        "iss",
        json!("https://evil.example"),
    );
    let reply = bearer(&s.app, "/mcp", &list(), &s.key.sign(&c).unwrap()).await;
    invalid_token(&reply, "another issuer");
}

#[tokio::test]
async fn attack_bad_signature_tampered_payload() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes:read");
    let parts: Vec<&str> = t.split('.').collect();
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Value::Object(claims(AUD, "notes:read notes:write")).to_string());
    let tampered = format!("{}.{payload}.{}", parts[0], parts[2]);
    invalid_token(
        &bearer(&s.app, "/mcp", &list(), &tampered).await,
        "bad signature",
    );
}

#[tokio::test]
async fn attack_signed_by_another_key_under_a_known_kid() {
    let s = setup().await;
    let rogue = DevKey::generate().unwrap();
    let genuine = token(&s.key, AUD, "notes:read");
    let forged = token(&rogue, AUD, "notes:read notes:write");
    // The genuine header (known kid), the rogue payload and signature.
    let (g, f): (Vec<&str>, Vec<&str>) =
        (genuine.split('.').collect(), forged.split('.').collect());
    let spliced = format!("{}.{}.{}", g[0], f[1], f[2]);
    invalid_token(
        &bearer(&s.app, "/mcp", &list(), &spliced).await,
        "bad signature",
    );
}

fn encode_segment(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test]
async fn attack_alg_none() {
    let s = setup().await;
    let header = encode_segment(&json!({"alg": "none", "typ": "JWT", "kid": s.key.kid()}));
    let payload = encode_segment(&Value::Object(claims(AUD, "notes:read")));
    for t in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}.AAAA"),
    ] {
        invalid_token(
            &bearer(&s.app, "/mcp", &list(), &t).await,
            "error_description",
        );
    }
}

#[tokio::test]
async fn attack_hs256_signed_with_the_public_key() {
    let s = setup().await;
    let public = s.key.jwks_json();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(s.key.kid().to_owned());
    for secret in [public.as_bytes(), s.key.kid().as_bytes()] {
        let t = jsonwebtoken::encode(
            &header,
            &claims(AUD, "notes:read"),
            &jsonwebtoken::EncodingKey::from_secret(secret).unwrap(),
        )
        .unwrap();
        invalid_token(
            &bearer(&s.app, "/mcp", &list(), &t).await,
            "HS256 is not accepted",
        );
    }
}

#[tokio::test]
async fn attack_algorithm_not_matching_the_key() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes:read");
    let parts: Vec<&str> = t.split('.').collect();
    let header = encode_segment(&json!({"alg": "ES384", "typ": "JWT", "kid": s.key.kid()}));
    let confused = format!("{header}.{}.{}", parts[1], parts[2]);
    invalid_token(
        &bearer(&s.app, "/mcp", &list(), &confused).await,
        "does not fit",
    );
    let header = encode_segment(&json!({"alg": "RS256", "typ": "JWT", "kid": s.key.kid()}));
    let confused = format!("{header}.{}.{}", parts[1], parts[2]);
    invalid_token(
        &bearer(&s.app, "/mcp", &list(), &confused).await,
        "does not fit",
    );
}

#[tokio::test]
async fn attack_unknown_kid_refreshes_once_then_rejects() {
    let key = DevKey::generate().unwrap();
    let issuer = issuer(&[&key]).await;
    let verifier = JwtVerifier::new(KeySource::Url(format!("{}/jwks.json", issuer.url)), ISS)
        .refresh_interval(Duration::from_millis(200));
    let app = protect(Auth::new(verifier, BASE));
    let good = token(&key, AUD, "notes:read");
    assert_eq!(
        tool_names(&bearer(&app, "/mcp", &list(), &good).await),
        ["maybe_auth", "open_tool", "read_notes"]
    );
    assert_eq!(issuer.jwks_hits.load(SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(250)).await;
    let stranger = DevKey::generate().unwrap();
    let reply = bearer(&app, "/mcp", &list(), &token(&stranger, AUD, "notes:read")).await;
    invalid_token(&reply, "unknown signing key");
    assert_eq!(
        issuer.jwks_hits.load(SeqCst),
        2,
        "one refresh for the unknown kid"
    );
    let reply = bearer(&app, "/mcp", &list(), &token(&stranger, AUD, "notes:read")).await;
    invalid_token(&reply, "unknown signing key");
    assert_eq!(
        issuer.jwks_hits.load(SeqCst),
        2,
        "no second refresh within the interval"
    );
    let reply = bearer(&app, "/mcp", &list(), &good).await;
    assert_eq!(reply.status, 200, "known keys still work");
}

#[tokio::test]
async fn attack_flood_of_unknown_kids_is_rate_limited() {
    let s = setup().await;
    let mut claims_ = claims(AUD, "notes:read");
    let stranger = DevKey::generate().unwrap();
    let mut replies = Vec::new();
    for i in 0..40 {
        claims_.insert("jti".into(), i.into());
        let t = stranger.sign(&claims_).unwrap();
        // A fresh kid each time: re-encode the header with a random-looking kid.
        let parts: Vec<&str> = t.split('.').collect();
        let header =
            encode_segment(&json!({"alg": "ES256", "typ": "JWT", "kid": format!("kid-{i}")}));
        let t = format!("{header}.{}.{}", parts[1], parts[2]);
        let app = s.app.clone();
        replies.push(tokio::spawn(async move {
            bearer(&app, "/mcp", &list(), &t).await
        }));
    }
    for reply in replies {
        invalid_token(&reply.await.unwrap(), "unknown signing key");
    }
    assert_eq!(
        s.issuer.jwks_hits.load(SeqCst),
        1,
        "40 unknown kids, one JWKS fetch"
    );
}

#[tokio::test]
async fn attack_jwks_endpoint_down_fails_closed_with_503() {
    let s = setup().await;
    s.issuer.down.store(true, SeqCst);
    let reply = bearer(&s.app, "/mcp", &list(), &token(&s.key, AUD, "notes:read")).await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.headers.get("retry-after").unwrap(), "5");
    assert!(
        challenge(&reply).is_empty(),
        "no challenge: the token may be fine"
    );
}

#[tokio::test]
async fn attack_jwks_endpoint_unreachable_fails_closed_with_503() {
    let key = DevKey::generate().unwrap();
    let verifier = JwtVerifier::new(KeySource::Url("http://127.0.0.1:1/jwks.json".into()), ISS);
    let app = protect(Auth::new(verifier, BASE));
    let reply = bearer(&app, "/mcp", &list(), &token(&key, AUD, "notes:read")).await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.headers.get("retry-after").unwrap(), "5");
    assert!(
        challenge(&reply).is_empty(),
        "no challenge: the token may be fine"
    );
}

// ------------------------------------------------------------------ attacks: scopes -----

#[tokio::test]
async fn attack_call_without_the_tools_scope() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes:read");
    let reply = bearer(
        &s.app,
        "/mcp",
        &call("write_note", json!({"text": "x"})),
        &t,
    )
    .await;
    assert_denied(
        &reply,
        403,
        &[
            "error=\"insufficient_scope\"",
            "scope=\"notes:write\"",
            METADATA,
        ],
        &[],
    );
    assert_eq!(reply.json()["id"], 2);
}

#[tokio::test]
async fn attack_scope_is_checked_before_arguments_are_parsed() {
    let s = setup().await;
    let t = token(&s.key, AUD, "");
    let reply = bearer(&s.app, "/mcp", &call("write_note", json!({"wrong": 1})), &t).await;
    assert_denied(&reply, 403, &["scope=\"notes:write\""], &[]);
    assert!(!reply.body.contains("text"), "{}", reply.body);
}

#[tokio::test]
async fn attack_uncallable_tools_are_hidden_from_the_list() {
    let s = setup().await;
    let t = token(&s.key, AUD, "notes:read");
    assert_eq!(
        tool_names(&bearer(&s.app, "/mcp", &list(), &t).await),
        ["maybe_auth", "open_tool", "read_notes"]
    );
    let show_all = jwt_server(&s.issuer, ListPolicy::ShowAll);
    assert_eq!(
        tool_names(&bearer(&show_all, "/mcp", &list(), &t).await),
        ["maybe_auth", "open_tool", "read_notes", "write_note"]
    );
}

#[tokio::test]
async fn attack_gateway_base_scope_missing() {
    let s = setup().await;
    let t = token(&s.key, RESEARCH_AUD, "notes:read");
    let reply = bearer(&s.app, "/research/mcp", &list(), &t).await;
    assert_denied(
        &reply,
        403,
        &[
            "error=\"insufficient_scope\"",
            "scope=\"research\"",
            "oauth-protected-resource/research/mcp",
        ],
        &[],
    );
}

#[tokio::test]
async fn attack_forbidden_call_inside_a_batch() {
    let s = setup().await;
    let t = format!("Bearer {}", token(&s.key, AUD, "notes:read"));
    let body = json!([
        call("write_note", json!({"text": "x"})),
        call("open_tool", json!({}))
    ]);
    let headers = [
        ("mcp-protocol-version", "2025-03-26"),
        ("authorization", t.as_str()),
    ];
    let reply = post_raw(&s.app, "/mcp", body.to_string(), &headers).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let items = reply.json();
    assert!(
        items[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Forbidden")
    );
    assert_eq!(items[1]["result"]["content"][0]["text"], "open");
}

// ------------------------------------------------------------------ introspection -------

fn introspection_server(issuer: &Issuer) -> Router {
    let verifier = IntrospectionVerifier::new(format!("{}/introspect", issuer.url))
        .client_credentials("mcp-server", "s3cret")
        .issuer(ISS);
    protect(Auth::new(verifier, BASE))
}

#[tokio::test]
async fn introspection_active_token_works() {
    let issuer = issuer(&[]).await;
    let app = introspection_server(&issuer);
    let reply = bearer(&app, "/mcp", &call("read_notes", json!({})), "active-good").await;
    assert_eq!(text(&reply), "notes of bob in globex");
}

#[tokio::test]
async fn attack_introspection_inactive_and_cached() {
    let issuer = issuer(&[]).await;
    let app = introspection_server(&issuer);
    for _ in 0..3 {
        invalid_token(
            &bearer(&app, "/mcp", &list(), "revoked-token").await,
            "not active",
        );
    }
    assert_eq!(
        issuer.introspections.load(SeqCst),
        1,
        "the answer is cached"
    );
}

#[tokio::test]
async fn attack_introspection_expired_or_other_audience() {
    let issuer = issuer(&[]).await;
    let app = introspection_server(&issuer);
    invalid_token(
        &bearer(&app, "/mcp", &list(), "active-expired").await,
        "expired",
    );
    invalid_token(
        &bearer(&app, "/mcp", &list(), "active-research").await,
        "audience",
    );
}

#[tokio::test]
async fn attack_introspection_endpoint_down_fails_closed() {
    let issuer = issuer(&[]).await;
    issuer.down.store(true, SeqCst);
    let app = introspection_server(&issuer);
    let reply = bearer(&app, "/mcp", &list(), "active-good").await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.headers.get("retry-after").unwrap(), "5");
    assert!(
        challenge(&reply).is_empty(),
        "no challenge: the token may be fine"
    );
}
