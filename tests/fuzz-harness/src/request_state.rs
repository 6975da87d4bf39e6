//! Target (e): the 2026-07-28 `requestState` parser, reached by a `tools/call` of a tool that
//! asks the client for input (the CRM's own tools never do).
//!
//! Input: `!` then a raw `requestState` string (the version/payload/MAC split, base64 and the
//! MAC check), or anything else as the state's payload bytes, MAC'd with the server's key so
//! the fuzzer gets past the MAC into the payload decoding, the binding checks and the
//! replayed tool's decoding of the answers it carries.

use base64::Engine as _;
use hmac::{KeyInit as _, Mac as _};
use mcp_runtime::client::ElicitRequest;
use mcp_runtime::{Client, ClientError, mcp_tool};
use serde_json::json;

use crate::fixture::MCP_PATH;
use crate::http::{check, post, send};

/// The request-state HMAC key the fuzzed server is built with.
pub(crate) const STATE_KEY: &[u8] = b"fuzz-harness request-state key";

/// The arguments every call sends; the seeds' payloads are bound to their hash.
const ARGUMENTS: &str = r#"{"subject":"deal 7"}"#;

/// Asks the user to confirm twice (elicitation), so a state carries zero, one or two answers.
#[mcp_tool(read_only, idempotent)]
async fn fuzz_confirm(
    /// What to confirm.
    subject: String,
    #[ctx] client: Client,
) -> Result<String, ClientError> {
    let first = client.elicit("first", question(&subject)).await?;
    let second = client.elicit("second", question(&subject)).await?;
    Ok(format!("{:?} then {:?}", first.action, second.action))
}

fn question(subject: &str) -> ElicitRequest {
    ElicitRequest::new(
        format!("Confirm {subject}?"),
        json!({"type": "object", "properties": {"ok": {"type": "boolean"}}}),
    )
}

/// Calls `fuzz_confirm` in the 2026-07-28 era with the `requestState` `data` stands for.
pub fn request_state(data: &[u8]) {
    let state = match data.strip_prefix(b"!") {
        Some(raw) => String::from_utf8_lossy(raw).into_owned(),
        None => sign(data),
    };
    let body = json!({
        "jsonrpc": "2.0",
        "id": 11,
        "method": "tools/call",
        "params": {
            "name": "fuzz_confirm",
            "arguments": serde_json::from_str::<serde_json::Value>(ARGUMENTS).ok(),
            "requestState": state,
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}},
            },
        },
    })
    .to_string()
    .into_bytes();
    let mut request = post(MCP_PATH, "2026-07-28", body.clone());
    for (name, value) in [("mcp-method", "tools/call"), ("mcp-name", "fuzz_confirm")] {
        request
            .headers_mut()
            .insert(name, http::HeaderValue::from_static(value));
    }
    let exchange = send(request);
    check(&exchange, &body);
    assert!(
        exchange.status == 200 || exchange.status == 400,
        "unexpected status for a request state: {exchange:?}"
    );
}

/// `v1.<payload>.<MAC>`, as the runtime signs states.
fn sign(payload: &[u8]) -> String {
    let mut mac = match hmac::Hmac::<sha2::Sha256>::new_from_slice(STATE_KEY) {
        Ok(mac) => mac,
        Err(e) => panic!("HMAC takes keys of any length: {e}"),
    };
    mac.update(payload);
    let tag = mac.finalize().into_bytes();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("v1.{}.{}", b64.encode(payload), b64.encode(tag))
}
