//! `requestState` of 2026-07-28 multi-round-trip requests: the answers of earlier rounds,
//! signed so that a client can neither forge nor alter them.
//!
//! Format: `v1.<base64url(payload)>.<base64url(HMAC-SHA256(key, payload))>`, where the payload
//! is JSON `{"m": method, "n": name, "a": hex SHA-256 of the canonical arguments,
//! "s": subject or null, "exp": unix seconds, "r": {key: answer}}`. The MAC is checked first
//! (in constant time), then the binding: a state minted for another method, tool, argument
//! set or caller, or an expired one, is refused like a forged one. Every replica sharing the
//! key accepts every other replica's states.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::Mac as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Digest as _;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The largest `requestState` accepted, in bytes (the request body limit applies first).
const MAX_STATE: usize = 256 << 10;
const VERSION: &str = "v1";

/// The HMAC key of request states.
#[derive(Clone)]
pub(crate) struct StateKey(Vec<u8>);

impl std::fmt::Debug for StateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StateKey(..)")
    }
}

impl StateKey {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// A random key: fine for one process, wrong for replicas (their states would not verify
    /// on each other).
    pub(crate) fn random() -> Self {
        let mut bytes = vec![0u8; 32];
        if getrandom::fill(&mut bytes).is_err() {
            // No OS randomness: derive from the clock and the process id, and say so.
            tracing::warn!(target: "mcp_runtime::state", "no OS randomness for the request-state key; set one explicitly");
            let seed = format!("{:?}{}", SystemTime::now(), std::process::id());
            bytes = sha2::Sha256::digest(seed.as_bytes()).to_vec();
        }
        Self(bytes)
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length.
        <HmacSha256 as hmac::KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| <HmacSha256 as hmac::KeyInit>::new(&Default::default()))
    }
}

/// What a state is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binding {
    pub(crate) method: &'static str,
    pub(crate) name: String,
    pub(crate) arguments: String,
    pub(crate) subject: Option<String>,
}

impl Binding {
    pub(crate) fn new(
        method: &'static str,
        name: &str,
        arguments: Option<&Value>,
        subject: Option<&str>,
    ) -> Self {
        let mut canonical = String::new();
        if let Some(args) = arguments {
            write_canonical(args, &mut canonical);
        }
        let digest = sha2::Sha256::digest(canonical.as_bytes());
        Self {
            method,
            name: name.to_owned(),
            arguments: hex(&digest),
            subject: subject.map(str::to_owned),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    m: String,
    n: String,
    a: String,
    s: Option<String>,
    exp: u64,
    r: Map<String, Value>,
}

/// Why a state was refused (all reported as the same -32602 to the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateError {
    Malformed,
    BadSignature,
    WrongBinding,
    Expired,
}

impl StateError {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Malformed => "it is malformed",
            Self::BadSignature => "its integrity check failed",
            Self::WrongBinding => "it was issued for another request",
            Self::Expired => "it has expired; start the request again without it",
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub(crate) fn sign(
    key: &StateKey,
    binding: &Binding,
    answers: Map<String, Value>,
    ttl: Duration,
) -> String {
    let payload = Payload {
        m: binding.method.to_owned(),
        n: binding.name.clone(),
        a: binding.arguments.clone(),
        s: binding.subject.clone(),
        exp: now().saturating_add(ttl.as_secs().max(1)),
        r: answers,
    };
    let json = serde_json::to_vec(&payload).unwrap_or_default();
    let mut mac = key.mac();
    mac.update(&json);
    let tag = mac.finalize().into_bytes();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("{VERSION}.{}.{}", b64.encode(&json), b64.encode(tag))
}

pub(crate) fn verify(
    key: &StateKey,
    binding: &Binding,
    token: &str,
) -> Result<Map<String, Value>, StateError> {
    if token.len() > MAX_STATE {
        return Err(StateError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(VERSION), Some(payload), Some(tag), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(StateError::Malformed);
    };
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = b64.decode(payload).map_err(|_| StateError::Malformed)?;
    let tag = b64.decode(tag).map_err(|_| StateError::BadSignature)?;
    let mut mac = key.mac();
    mac.update(&payload);
    mac.verify_slice(&tag)
        .map_err(|_| StateError::BadSignature)?;
    let payload: Payload = serde_json::from_slice(&payload).map_err(|_| StateError::Malformed)?;
    if payload.m != binding.method
        || payload.n != binding.name
        || payload.a != binding.arguments
        || payload.s != binding.subject
    {
        return Err(StateError::WrongBinding);
    }
    if payload.exp < now() {
        return Err(StateError::Expired);
    }
    Ok(payload.r)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// JSON with object keys sorted, so the same arguments always hash the same.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn binding() -> Binding {
        Binding::new(
            "tools/call",
            "t",
            Some(&json!({"b": 1, "a": [1, {"y": 2, "x": 1}]})),
            None,
        )
    }

    #[test]
    fn round_trip_and_tamper() {
        let key = StateKey::new(b"k".to_vec());
        let mut answers = Map::new();
        answers.insert("q".into(), json!({"action": "accept"}));
        let token = sign(&key, &binding(), answers.clone(), Duration::from_secs(60));
        assert_eq!(verify(&key, &binding(), &token), Ok(answers));
        assert_eq!(
            verify(&key, &binding(), &format!("{token}-TAMPERED")),
            Err(StateError::BadSignature)
        );
        let other = StateKey::new(b"other".to_vec());
        assert_eq!(
            verify(&other, &binding(), &token),
            Err(StateError::BadSignature)
        );
        let mut moved = binding();
        moved.name = "u".into();
        assert_eq!(verify(&key, &moved, &token), Err(StateError::WrongBinding));
        assert_eq!(
            verify(&key, &binding(), "garbage"),
            Err(StateError::Malformed)
        );
    }

    #[test]
    fn canonical_arguments() {
        let a = Binding::new("tools/call", "t", Some(&json!({"x": 1, "y": [2]})), None);
        let b = Binding::new("tools/call", "t", Some(&json!({"y": [2], "x": 1})), None);
        assert_eq!(a, b);
    }
}
