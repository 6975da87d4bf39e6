//! Which protocol era a request speaks, and the checks the 2026-07-28 era adds.

use http::StatusCode;
use serde_json::{Value, json};

use super::{
    jsonrpc::{Params, RpcError, code},
    meta::{self, McpHeaders},
    version::ProtocolVersion,
};

/// Which era (and revision) a request speaks.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Era {
    Legacy(ProtocolVersion),
    Modern(ProtocolVersion),
}

impl Era {
    pub(crate) fn version(self) -> ProtocolVersion {
        match self {
            Self::Legacy(v) | Self::Modern(v) => v,
        }
    }
}

pub(crate) fn legacy_versions() -> String {
    ProtocolVersion::LEGACY
        .map(ProtocolVersion::as_str)
        .join(", ")
}

/// Era selection as the 2026-07-28 dual-era rules and the conformance suite read them: a
/// request is legacy when it carries no modern `_meta` and its `MCP-Protocol-Version` header is
/// absent or a handshake revision; everything else is held to the modern rules, so a modern
/// client gets modern errors (-32020/-32602/-32022) instead of a silent legacy fallback.
pub(crate) fn select_era(
    method: &str,
    params: &Params<'_>,
    headers: &McpHeaders<'_>,
) -> Result<Era, (StatusCode, RpcError)> {
    let meta = params.meta.as_ref();
    let modern_meta = meta.is_some_and(|m| {
        m.contains_key(meta::PROTOCOL_VERSION)
            || m.contains_key(meta::CLIENT_CAPABILITIES)
            || m.contains_key(meta::CLIENT_INFO)
    });
    let header = headers.protocol_version;
    let header_version = header.map(|h| ProtocolVersion::parse(h).filter(|v| !v.is_modern()));
    if !modern_meta {
        match header_version {
            None if method == "initialize" => return Ok(Era::Legacy(ProtocolVersion::V2025_11_25)),
            Some(Some(_)) if method == "initialize" => {
                return Ok(Era::Legacy(ProtocolVersion::V2025_11_25));
            }
            None => return Ok(Era::Legacy(ProtocolVersion::V2025_03_26)),
            Some(Some(v)) => return Ok(Era::Legacy(v)),
            Some(None) => {}
        }
    }
    let bad = |status, error| Err((status, error));
    let Some(header) = header else {
        return bad(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::HEADER_MISMATCH,
                "Header mismatch: missing MCP-Protocol-Version header (required with `_meta` protocol metadata)",
            ),
        );
    };
    let requested = meta
        .and_then(|m| m.get(meta::PROTOCOL_VERSION))
        .and_then(Value::as_str);
    let capabilities = meta
        .and_then(|m| m.get(meta::CLIENT_CAPABILITIES))
        .is_some_and(Value::is_object);
    if requested.is_none() || !capabilities {
        let mut missing = Vec::new();
        if requested.is_none() {
            missing.push(meta::PROTOCOL_VERSION);
        }
        if !capabilities {
            missing.push(meta::CLIENT_CAPABILITIES);
        }
        return bad(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::INVALID_PARAMS,
                format!(
                    "Invalid params: missing _meta keys: {}. MCP-Protocol-Version `{header}` is not a handshake revision this server speaks ({}); requests of 2026-07-28 carry both keys in params._meta",
                    missing.join(", "),
                    legacy_versions()
                ),
            ),
        );
    }
    let requested = requested.unwrap_or_default();
    if requested != header {
        return bad(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::HEADER_MISMATCH,
                format!(
                    "Header mismatch: MCP-Protocol-Version is `{header}` but _meta `{}` is `{requested}`",
                    meta::PROTOCOL_VERSION
                ),
            ),
        );
    }
    match ProtocolVersion::parse(requested).filter(|v| v.is_modern()) {
        Some(v) => Ok(Era::Modern(v)),
        None => bad(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::UNSUPPORTED_PROTOCOL_VERSION,
                format!("Unsupported protocol version `{requested}`"),
            )
            .with_data(json!({
                "supported": ProtocolVersion::MODERN.map(ProtocolVersion::as_str),
                "requested": requested,
            })),
        ),
    }
}

/// 2026-07-28: the `Mcp-Method` and `Mcp-Name` headers must repeat the body (case-sensitive).
pub(crate) fn check_modern_headers(
    method: &str,
    params: &Params<'_>,
    headers: &McpHeaders<'_>,
) -> Result<(), RpcError> {
    let mismatch = |what: String| RpcError::new(code::HEADER_MISMATCH, what);
    match headers.method.as_deref().map(str::trim) {
        Some(m) if m == method => {}
        Some(m) => {
            return Err(mismatch(format!(
                "Header mismatch: Mcp-Method is `{m}` but the body's method is `{}`",
                method
            )));
        }
        None => {
            return Err(mismatch(
                "Header mismatch: missing Mcp-Method header".into(),
            ));
        }
    }
    let named = match method {
        "tools/call" | "prompts/get" => Some(params.name.as_deref()),
        "resources/read" => Some(params.uri.as_deref()),
        _ => None,
    };
    if let Some(body_name) = named {
        match (headers.name.as_deref().map(str::trim), body_name) {
            (Some(h), Some(b)) if h == b => {}
            (None, _) => return Err(mismatch("Header mismatch: missing Mcp-Name header".into())),
            (Some(h), b) => {
                return Err(mismatch(format!(
                    "Header mismatch: Mcp-Name is `{h}` but the body names `{}`",
                    b.unwrap_or("nothing")
                )));
            }
        }
    }
    Ok(())
}
