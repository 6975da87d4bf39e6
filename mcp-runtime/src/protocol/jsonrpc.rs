//! JSON-RPC 2.0 framing: the incoming envelope, ids, error codes, response bodies.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, value::RawValue};

/// JSON-RPC and MCP error codes.
pub(crate) mod code {
    pub(crate) const PARSE_ERROR: i64 = -32700;
    pub(crate) const INVALID_REQUEST: i64 = -32600;
    pub(crate) const METHOD_NOT_FOUND: i64 = -32601;
    pub(crate) const INVALID_PARAMS: i64 = -32602;
    pub(crate) const INTERNAL_ERROR: i64 = -32603;
    /// Handshake revisions: `resources/read` of an unknown URI (2026-07-28 uses -32602).
    pub(crate) const RESOURCE_NOT_FOUND: i64 = -32002;
    /// 2026-07-28: an `Mcp-*` header is missing or disagrees with the body.
    pub(crate) const HEADER_MISMATCH: i64 = -32020;
    /// 2026-07-28: the request needs a client capability the client did not declare.
    pub(crate) const MISSING_CLIENT_CAPABILITY: i64 = -32021;
    /// 2026-07-28: `_meta` names a protocol version this server does not speak.
    pub(crate) const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;
}

/// One incoming JSON-RPC message, borrowed from the request body.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope<'a> {
    #[serde(default, borrow)]
    pub(crate) jsonrpc: Option<Cow<'a, str>>,
    /// `Some` even for `"id": null`, so a null id is an invalid request, not a notification.
    #[serde(default, borrow, deserialize_with = "present")]
    pub(crate) id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub(crate) method: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub(crate) params: Option<Params<'a>>,
    #[serde(default, borrow, deserialize_with = "present")]
    pub(crate) result: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    pub(crate) error: Option<&'a RawValue>,
}

/// An envelope whose `params` are kept raw: parsed only when [`Envelope`] failed, to tell a
/// malformed message (-32600) from malformed params (-32602).
#[derive(Debug, Deserialize)]
pub(crate) struct RawEnvelope<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    pub(crate) id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub(crate) method: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    #[allow(dead_code, reason = "only its presence and shape matter")]
    pub(crate) params: Option<&'a RawValue>,
}

/// Parameters any MCP method may carry; each method reads the fields it defines. Parsed in
/// the same pass as the envelope.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Params<'a> {
    #[serde(rename = "_meta", default)]
    pub(crate) meta: Option<Map<String, Value>>,
    #[serde(default, borrow)]
    pub(crate) name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub(crate) uri: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub(crate) arguments: Option<&'a RawValue>,
    #[serde(default)]
    pub(crate) cursor: Option<String>,
    #[serde(default, borrow)]
    pub(crate) level: Option<Cow<'a, str>>,
    #[serde(rename = "protocolVersion", default, borrow)]
    pub(crate) protocol_version: Option<Cow<'a, str>>,
    /// 2026-07-28 MRTR: answers to the previous round's `inputRequests` (kept as a value so a
    /// malformed one gets a precise error).
    #[serde(rename = "inputResponses", default, deserialize_with = "present_value")]
    pub(crate) input_responses: Option<Value>,
    /// 2026-07-28 MRTR: the previous round's `requestState`, echoed.
    #[serde(rename = "requestState", default, deserialize_with = "present_value")]
    pub(crate) request_state: Option<Value>,
    /// `completion/complete`: what is being completed.
    #[serde(rename = "ref", default)]
    pub(crate) reference: Option<Value>,
    /// `completion/complete`: the argument and its partial value.
    #[serde(default)]
    pub(crate) argument: Option<Value>,
    /// `completion/complete`: already-resolved arguments.
    #[serde(default)]
    pub(crate) context: Option<Value>,
    /// `subscriptions/listen`: what to listen to.
    #[serde(default)]
    pub(crate) notifications: Option<Value>,
}

/// `Some(Value::Null)` for an explicit `null`, so it can be told from an absent key.
fn present_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// A JSON-RPC error object.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RpcError {
    pub(crate) code: i64,
    pub(crate) message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) data: Option<serde_json::Value>,
}

impl RpcError {
    pub(crate) fn new(code: i64, message: impl Into<String>) -> Self {
        let mut message = message.into();
        // A backstop for echo sites that forgot `clip`: no error grows with the request.
        if message.len() > MESSAGE_LIMIT
            && let Cow::Owned(clipped) = clip_to(&message, MESSAGE_LIMIT)
        {
            message = clipped;
        }
        Self {
            code,
            message,
            data: None,
        }
    }

    pub(crate) fn with_data(mut self, data: serde_json::Value) -> Self {
        self.data = Some(data);
        self
    }
}

/// How many characters of caller input an error message quotes.
pub(crate) const ECHO_LIMIT: usize = 200;

/// The longest error message, in characters, even when it quotes several inputs.
const MESSAGE_LIMIT: usize = 1024;

/// Caller input (a method or tool name, a serde error quoting a value) as an error message
/// quotes it: the first [`ECHO_LIMIT`] characters, then `…` and the full length, so a 1 MiB
/// name gets a short error instead of being sent back.
pub(crate) fn clip(text: &str) -> Cow<'_, str> {
    clip_to(text, ECHO_LIMIT)
}

fn clip_to(text: &str, limit: usize) -> Cow<'_, str> {
    match text.char_indices().nth(limit) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}… ({} bytes in all)", &text[..end], text.len())),
    }
}

/// Whether a raw id is a JSON string or an integer that fits in 64 bits (JSON-RPC allows
/// numbers; MCP forbids null). Larger integers are refused rather than answered with a
/// rounded id the caller could not match.
pub(crate) fn is_valid_id(id: &RawValue) -> bool {
    let text = id.get();
    match text.as_bytes().first() {
        Some(b'"') => true,
        Some(b'-' | b'0'..=b'9') => text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok(),
        _ => false,
    }
}

/// `{"jsonrpc":"2.0","id":…,"result":…}`.
pub(crate) fn result_body<I: Serialize + ?Sized>(id: &I, result: &impl Serialize) -> Vec<u8> {
    #[derive(Serialize)]
    struct Response<'a, I: ?Sized, R> {
        jsonrpc: &'static str,
        id: &'a I,
        result: &'a R,
    }
    to_vec(&Response {
        jsonrpc: "2.0",
        id,
        result,
    })
}

/// `{"jsonrpc":"2.0","id":…,"error":{…}}`; an unreadable id becomes `null`.
pub(crate) fn error_body(id: Option<&RawValue>, error: &RpcError) -> Vec<u8> {
    #[derive(Serialize)]
    struct Response<'a> {
        jsonrpc: &'static str,
        // `None` serializes as `null`, which JSON-RPC prescribes when the id is unknown.
        id: Option<&'a RawValue>,
        error: &'a RpcError,
    }
    to_vec(&Response {
        jsonrpc: "2.0",
        id,
        error,
    })
}

/// An error response for a request whose id is already parsed.
pub(crate) fn error_body_for<I: Serialize + ?Sized>(id: &I, error: &RpcError) -> Vec<u8> {
    #[derive(Serialize)]
    struct Response<'a, I: ?Sized> {
        jsonrpc: &'static str,
        id: &'a I,
        error: &'a RpcError,
    }
    to_vec(&Response {
        jsonrpc: "2.0",
        id,
        error,
    })
}

/// Serialize a response; our own types always serialize, but never panic on it.
pub(crate) fn to_vec(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|e| {
        tracing::error!(target: "mcp_runtime::protocol", error = %e, "a response failed to serialize");
        br#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error: response did not serialize"}}"#.to_vec()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_owned()).unwrap()
    }

    #[test]
    fn ids() {
        assert!(is_valid_id(&raw("1")));
        assert!(is_valid_id(&raw("-7")));
        assert!(is_valid_id(&raw("18446744073709551615")));
        assert!(!is_valid_id(&raw("18446744073709551616")));
        assert!(!is_valid_id(&raw("-9223372036854775809")));
        assert!(is_valid_id(&raw("\"abc\"")));
        assert!(!is_valid_id(&raw("null")));
        assert!(!is_valid_id(&raw("1.5")));
        assert!(!is_valid_id(&raw("{}")));
        assert!(!is_valid_id(&raw("[1]")));
        assert!(!is_valid_id(&raw("true")));
    }

    #[test]
    fn null_id_is_present() {
        let e: Envelope<'_> =
            serde_json::from_str(r#"{"jsonrpc":"2.0","id":null,"method":"x"}"#).unwrap();
        assert_eq!(e.id.map(RawValue::get), Some("null"));
        let e: Envelope<'_> = serde_json::from_str(r#"{"jsonrpc":"2.0","method":"x"}"#).unwrap();
        assert!(e.id.is_none());
    }

    #[test]
    fn clipping() {
        assert!(matches!(clip("tools/call"), Cow::Borrowed("tools/call")));
        let exact = "é".repeat(ECHO_LIMIT);
        assert_eq!(clip(&exact), exact);
        let long = "é".repeat(1 << 20);
        let clipped = clip(&long);
        assert!(clipped.starts_with(&"é".repeat(ECHO_LIMIT)), "{clipped}");
        assert!(clipped.ends_with("… (2097152 bytes in all)"), "{clipped}");
        assert!(clipped.chars().count() < ECHO_LIMIT + 30);
        let error = RpcError::new(code::INVALID_PARAMS, "x".repeat(1 << 20));
        assert!(
            error.message.len() < MESSAGE_LIMIT + 30,
            "{}",
            error.message.len()
        );
    }

    #[test]
    fn error_without_id() {
        let body = error_body(None, &RpcError::new(code::PARSE_ERROR, "bad"));
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#
        );
    }
}
