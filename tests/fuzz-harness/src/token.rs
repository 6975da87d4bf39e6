//! Target (d): bearer tokens through the runtime's JWT verification with a real ES256 key set,
//! on a call that turns the verified claims into a CRM viewer (`get_user_details`).
//!
//! Input: a JSON object is a claims set, signed with the server's own key so the fuzzer gets
//! past the signature into claim validation and the tenant/user mapping; anything else is the
//! raw `Authorization` header value (schemes, malformed base64, tampered and foreign tokens).

use axum::body::Body;
use http::{HeaderValue, Request, header};
use mcp_runtime::auth::Claims;
use serde_json::json;

use crate::fixture::{MCP_PATH, fixture};
use crate::http::{check, send};

/// Statuses auth may answer a well-formed call with.
const AUTH_STATUSES: [u16; 4] = [200, 400, 401, 403];

/// Sends `get_user_details` with the credentials `data` stands for and checks the reply.
pub fn bearer_token(data: &[u8]) {
    let authorization = if data.first() == Some(&b'{') {
        let Ok(claims) = serde_json::from_slice::<Claims>(data) else {
            return;
        };
        let Ok(token) = fixture().key.sign(&claims) else {
            return;
        };
        HeaderValue::from_str(&format!("Bearer {token}"))
    } else {
        HeaderValue::from_bytes(data)
    };
    // A value hyper would never deliver (control characters) is no input.
    let Ok(authorization) = authorization else {
        return;
    };
    let body = json!({
        "jsonrpc": "2.0",
        "id": 3,
        "method": "tools/call",
        "params": {"name": "get_user_details", "arguments": {}},
    })
    .to_string()
    .into_bytes();
    let request = Request::post(MCP_PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .header(header::AUTHORIZATION, authorization)
        .body(Body::from(body.clone()));
    let Ok(request) = request else {
        return;
    };
    let exchange = send(request);
    check(&exchange, &body);
    assert!(
        AUTH_STATUSES.contains(&exchange.status),
        "unexpected status for a credential: {exchange:?}"
    );
}
