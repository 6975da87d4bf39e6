//! The methods answered without running a tool: lifecycle, discovery, `tools/list`.

use std::borrow::Borrow;

use base64::Engine as _;
use http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{
    call,
    dispatch::{Outcome, Request},
    era::{Era, check_modern_headers},
    jsonrpc::{RpcError, code},
    meta::McpHeaders,
    prompts, resources,
    version::ProtocolVersion,
    wire::{self, Modern},
};
use crate::{auth::ListPolicy, context::LogLevel, server::ListedTool};

pub(crate) fn legacy(r: Request<'_, '_>) -> Outcome {
    let version = r.era.version();
    match r.method {
        "initialize" => {
            let requested = r.params.protocol_version.as_deref();
            let Some(requested) = requested else {
                let error = RpcError::new(
                    code::INVALID_PARAMS,
                    "Invalid params: `initialize` needs `protocolVersion`",
                );
                return Outcome::error(StatusCode::OK, Some(r.id), &error);
            };
            let negotiated = ProtocolVersion::parse(requested)
                .filter(|v| !v.is_modern())
                .unwrap_or(ProtocolVersion::V2025_11_25);
            let mut result = Map::new();
            result.insert("protocolVersion".into(), negotiated.as_str().into());
            result.insert(
                "capabilities".into(),
                wire::capabilities(negotiated, r.gateway),
            );
            result.insert(
                "serverInfo".into(),
                wire::server_info(&r.shared.info, negotiated),
            );
            if let Some(instructions) = &r.shared.info.instructions {
                result.insert("instructions".into(), instructions.clone().into());
            }
            ok(r.id, &result)
        }
        "ping" => ok(r.id, &json!({})),
        "logging/setLevel" => match r.params.level.as_deref().map(LogLevel::parse) {
            // A stateless server cannot remember the level for later requests; calls are
            // filtered at the configured legacy level instead (see HttpConfig docs).
            Some(Some(_)) => ok(r.id, &json!({})),
            Some(None) | None => {
                let error = RpcError::new(
                    code::INVALID_PARAMS,
                    "Invalid params: `level` must be one of debug, info, notice, warning, error, critical, alert, emergency",
                );
                Outcome::error(StatusCode::OK, Some(r.id), &error)
            }
        },
        "tools/list" => tools_list(&r, version),
        "tools/call" => call::tools_call(r),
        "resources/list" if has_resources(&r) => resources::list(&r, version),
        "resources/templates/list" if has_resources(&r) => resources::templates_list(&r, version),
        "resources/read" if has_resources(&r) => resources::read(&r),
        "resources/subscribe" | "resources/unsubscribe" if has_resources(&r) => {
            resources::subscribe(&r)
        }
        "prompts/list" if has_prompts(&r) => prompts::list(&r, version),
        "prompts/get" if has_prompts(&r) => prompts::get(&r),
        "completion/complete" if r.gateway.completes() => prompts::complete(&r),
        // Legacy transports answer JSON-RPC errors with 200.
        other => method_not_found(&r, other, StatusCode::OK),
    }
}

/// Resource methods exist only where resources are served (the capability says so too).
fn has_resources(r: &Request<'_, '_>) -> bool {
    !r.gateway.resources.is_empty()
}

fn has_prompts(r: &Request<'_, '_>) -> bool {
    !r.gateway.prompts.is_empty()
}

fn method_not_found(r: &Request<'_, '_>, method: &str, status: StatusCode) -> Outcome {
    let error = RpcError::new(
        code::METHOD_NOT_FOUND,
        format!("Method not found: {}", super::jsonrpc::clip(method)),
    );
    Outcome::error(status, Some(r.id), &error)
}

pub(crate) fn modern(r: Request<'_, '_>, headers: &McpHeaders<'_>) -> Outcome {
    if let Err(error) = check_modern_headers(r.method, &r.params, headers) {
        return Outcome::error(StatusCode::BAD_REQUEST, Some(r.id), &error);
    }
    let version = r.era.version();
    match r.method {
        "server/discover" => {
            let result = Discover {
                supported_versions: ProtocolVersion::MODERN.map(ProtocolVersion::as_str),
                capabilities: wire::capabilities(version, r.gateway),
                server_info: wire::server_info(&r.shared.info, version),
                instructions: r.shared.info.instructions.as_deref(),
                ttl_ms: r.shared.config.list_ttl_ms,
                cache_scope: "public",
            };
            ok(
                r.id,
                &Modern {
                    result,
                    result_type: "complete",
                    meta: &r.shared.modern_meta,
                },
            )
        }
        "tools/list" => tools_list(&r, version),
        "tools/call" => call::tools_call(r),
        "resources/list" if has_resources(&r) => resources::list(&r, version),
        "resources/templates/list" if has_resources(&r) => resources::templates_list(&r, version),
        "resources/read" if has_resources(&r) => resources::read(&r),
        "prompts/list" if has_prompts(&r) => prompts::list(&r, version),
        "prompts/get" if has_prompts(&r) => prompts::get(&r),
        "completion/complete" if r.gateway.completes() => prompts::complete(&r),
        "subscriptions/listen" => resources::listen(&r),
        // 2026-07-28: an unknown (or removed) method is an HTTP 404.
        other => method_not_found(&r, other, StatusCode::NOT_FOUND),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Discover<'a> {
    supported_versions: [&'static str; 1],
    capabilities: Value,
    server_info: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<&'a str>,
    ttl_ms: u64,
    cache_scope: &'static str,
}

pub(crate) fn ok(id: &serde_json::value::RawValue, result: &impl Serialize) -> Outcome {
    Outcome::Json(StatusCode::OK, super::jsonrpc::result_body(id, result))
}

/// A result with 2026-07-28 caching hints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Cached<R> {
    #[serde(flatten)]
    pub(crate) result: R,
    pub(crate) ttl_ms: u64,
    pub(crate) cache_scope: &'static str,
}

/// `cacheScope` of a result: with auth, results depend on the caller (scopes, permissions),
/// so shared caches must not reuse them across callers.
pub(crate) fn cache_scope(authenticated: bool) -> &'static str {
    if authenticated { "private" } else { "public" }
}

/// Answer a cacheable result: as is in the handshake era; with `resultType`, `ttlMs`,
/// `cacheScope` and `_meta` in 2026-07-28.
pub(crate) fn cacheable<R: Serialize>(r: &Request<'_, '_>, result: R, ttl_ms: u64) -> Outcome {
    match r.era {
        Era::Legacy(_) => ok(r.id, &result),
        Era::Modern(_) => ok(
            r.id,
            &Modern {
                result: Cached {
                    result,
                    ttl_ms,
                    cache_scope: cache_scope(r.auth.is_some()),
                },
                result_type: "complete",
                meta: &r.shared.modern_meta,
            },
        ),
    }
}

/// Answer a result that is not cacheable (`resultType` and `_meta` in 2026-07-28).
pub(crate) fn complete<R: Serialize>(r: &Request<'_, '_>, result: R) -> Outcome {
    match r.era {
        Era::Legacy(_) => ok(r.id, &result),
        Era::Modern(_) => ok(
            r.id,
            &Modern {
                result,
                result_type: "complete",
                meta: &r.shared.modern_meta,
            },
        ),
    }
}

/// One page of `items` (sorted by `key`) after the request's cursor, and the next cursor.
pub(crate) fn page<'x, T>(
    r: &Request<'_, '_>,
    items: &'x [T],
    key: impl Fn(&T) -> &str,
) -> Result<(&'x [T], Option<String>), Box<Outcome>> {
    let start = match r.params.cursor.as_deref() {
        None | Some("") => 0,
        Some(cursor) => match decode_cursor(cursor) {
            Some(last) => items.partition_point(|t| key(t) <= last.as_str()),
            None => {
                let error = RpcError::new(
                    code::INVALID_PARAMS,
                    format!(
                        "Invalid params: unknown `cursor`; pass the `nextCursor` of a previous {}, or none to start over",
                        r.method
                    ),
                );
                return Err(Box::new(Outcome::error(StatusCode::OK, Some(r.id), &error)));
            }
        },
    };
    let page_size = r.shared.config.page_size.max(1);
    let rest = items.get(start..).unwrap_or_default();
    let page = &rest[..rest.len().min(page_size)];
    let next = if start + page.len() < items.len() {
        page.last().map(|t| encode_cursor(key(t)))
    } else {
        None
    };
    Ok((page, next))
}

/// Whether the caller may use something needing `scopes` (always, without auth).
pub(crate) fn allowed(r: &Request<'_, '_>, scopes: &[&str]) -> bool {
    r.auth
        .is_none_or(|auth| crate::auth::covers(auth.scopes(), scopes))
}

/// Whether lists show only what the caller may use.
pub(crate) fn hides_uncallable(r: &Request<'_, '_>) -> bool {
    r.auth.is_some()
        && r.shared
            .auth
            .as_ref()
            .is_some_and(|a| a.list_policy == ListPolicy::HideUncallable)
}

/// The 403 answer for something the caller's scopes do not cover.
pub(crate) fn forbidden(
    r: &Request<'_, '_>,
    what: &str,
    scopes: &'static [&'static str],
) -> Outcome {
    let error = RpcError::new(
        code::INVALID_REQUEST,
        format!("Forbidden: {what} needs scope(s) {}", scopes.join(" ")),
    );
    Outcome::Forbidden {
        body: super::jsonrpc::error_body(Some(r.id), &error),
        scopes,
    }
}

const CURSOR_PREFIX: &str = "after:";

pub(crate) fn encode_cursor(last: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{last}"))
}

pub(crate) fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix(CURSOR_PREFIX)
        .map(str::to_owned)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ToolsList<'a> {
    tools: Vec<&'a serde_json::value::RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache_scope: Option<&'static str>,
}

pub(crate) fn tools_list(r: &Request<'_, '_>, version: ProtocolVersion) -> Outcome {
    let hide = r.auth.filter(|_| {
        r.shared
            .auth
            .as_ref()
            .is_some_and(|a| a.list_policy == ListPolicy::HideUncallable)
    });
    match hide {
        None => tools_page(r, version, &r.gateway.listed),
        Some(auth) => {
            let callable: Vec<&ListedTool> = r
                .gateway
                .listed
                .iter()
                .filter(|t| {
                    r.gateway
                        .tools
                        .get(t.name)
                        .is_some_and(|s| crate::auth::covers(auth.scopes(), s.def.scopes()))
                })
                .collect();
            tools_page(r, version, &callable)
        }
    }
}

fn tools_page<T: Borrow<ListedTool>>(
    r: &Request<'_, '_>,
    version: ProtocolVersion,
    listed: &[T],
) -> Outcome {
    // 2026-07-28: an empty cursor is a valid cursor meaning "from the start".
    let start = match r.params.cursor.as_deref() {
        None | Some("") => 0,
        Some(cursor) => match decode_cursor(cursor) {
            Some(last) => listed.partition_point(|t| t.borrow().name <= last.as_str()),
            None => {
                let error = RpcError::new(
                    code::INVALID_PARAMS,
                    "Invalid params: unknown `cursor`; pass the `nextCursor` of a previous tools/list, or none to start over",
                );
                return Outcome::error(StatusCode::OK, Some(r.id), &error);
            }
        },
    };
    let page_size = r.shared.config.page_size.max(1);
    let page = listed.get(start..).unwrap_or_default();
    let page = &page[..page.len().min(page_size)];
    let next_cursor = if start + page.len() < listed.len() {
        page.last().map(|t| encode_cursor(t.borrow().name))
    } else {
        None
    };
    let tools = page.iter().map(|t| t.borrow().json(version)).collect();
    match r.era {
        Era::Legacy(_) => ok(
            r.id,
            &ToolsList {
                tools,
                next_cursor,
                ttl_ms: None,
                cache_scope: None,
            },
        ),
        Era::Modern(_) => {
            let result = ToolsList {
                tools,
                next_cursor,
                ttl_ms: Some(r.shared.config.list_ttl_ms),
                // With auth the list depends on the caller's scopes.
                cache_scope: Some(if r.auth.is_some() {
                    "private"
                } else {
                    "public"
                }),
            };
            ok(
                r.id,
                &Modern {
                    result,
                    result_type: "complete",
                    meta: &r.shared.modern_meta,
                },
            )
        }
    }
}
