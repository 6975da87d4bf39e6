//! `resources/list`, `resources/templates/list`, `resources/read`, the handshake era's
//! `resources/subscribe`/`unsubscribe` and 2026-07-28's `subscriptions/listen`.
//!
//! What a stateless server does with subscriptions: resources here are functions evaluated
//! on every read, and the registry never changes while the server runs, so there is never a
//! `list_changed` to announce and no server-side change feed to watch. `resources/subscribe`
//! and `unsubscribe` therefore validate the URI and acknowledge (`{}`) without remembering
//! anything, and no `notifications/resources/updated` is ever sent (there is no GET stream to
//! send it on). `subscriptions/listen` answers with an event stream that acknowledges the
//! honoured subset (the list-changed flags asked for, and the subscribed URIs that exist),
//! stays silent, and ends gracefully after
//! [`listen_duration`](crate::McpServerBuilder::listen_duration) so the client listens again.

use futures_util::{StreamExt as _, stream};
use http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{
    dispatch::{Outcome, Request},
    era::Era,
    jsonrpc::{self, RpcError, code},
    meta,
    methods::{self, allowed, cacheable, hides_uncallable, page},
    mrtr, served,
    version::ProtocolVersion,
    wire::Modern,
};
use crate::{
    resource::{ResourceDef, ResourceError, ResourceRequest},
    result::ResourceContents,
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_template: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mime_type: Option<&'a str>,
}

fn entry(def: &ResourceDef, version: ProtocolVersion) -> Entry<'_> {
    Entry {
        uri: (!def.template).then_some(def.uri),
        uri_template: def.template.then_some(def.uri),
        name: def.name,
        title: def
            .title
            .filter(|_| version >= ProtocolVersion::V2025_06_18),
        description: def.description,
        mime_type: def.mime_type,
    }
}

fn visible<'g>(r: &Request<'_, 'g>, template: bool) -> Vec<&'static ResourceDef> {
    let hide = hides_uncallable(r);
    r.gateway
        .resources
        .iter()
        .copied()
        .filter(|d| d.template == template && (!hide || allowed(r, d.scopes)))
        .collect()
}

pub(crate) fn list(r: &Request<'_, '_>, version: ProtocolVersion) -> Outcome {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct List<'a> {
        resources: Vec<Entry<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        next_cursor: Option<String>,
    }
    let defs = visible(r, false);
    let (items, next_cursor) = match page(r, &defs, |d| d.uri) {
        Ok(p) => p,
        Err(outcome) => return *outcome,
    };
    let resources = items.iter().map(|d| entry(d, version)).collect();
    cacheable(
        r,
        List {
            resources,
            next_cursor,
        },
        r.shared.config.list_ttl_ms,
    )
}

pub(crate) fn templates_list(r: &Request<'_, '_>, version: ProtocolVersion) -> Outcome {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct List<'a> {
        resource_templates: Vec<Entry<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        next_cursor: Option<String>,
    }
    let defs = visible(r, true);
    let (items, next_cursor) = match page(r, &defs, |d| d.uri) {
        Ok(p) => p,
        Err(outcome) => return *outcome,
    };
    let resource_templates = items.iter().map(|d| entry(d, version)).collect();
    cacheable(
        r,
        List {
            resource_templates,
            next_cursor,
        },
        r.shared.config.list_ttl_ms,
    )
}

/// The resource serving `uri`: an exact static URI first, then the first matching template.
fn find(
    r: &Request<'_, '_>,
    uri: &str,
) -> Option<(&'static ResourceDef, Vec<(&'static str, String)>)> {
    let resources = &r.gateway.resources;
    resources
        .iter()
        .filter(|d| !d.template)
        .chain(resources.iter().filter(|d| d.template))
        .find_map(|d| d.matches(uri).map(|vars| (*d, vars)))
}

/// Not found, in the era's code: -32002 (handshake) or -32602 (2026-07-28), URI in `data`.
fn not_found(era: Era, uri: &str) -> RpcError {
    let code = match era {
        Era::Legacy(_) => code::RESOURCE_NOT_FOUND,
        Era::Modern(_) => code::INVALID_PARAMS,
    };
    RpcError::new(code, format!("Resource not found: {uri}")).with_data(json!({ "uri": uri }))
}

fn read_error(era: Era, uri: &str, error: &ResourceError) -> RpcError {
    match error {
        ResourceError::NotFound => not_found(era, uri),
        ResourceError::InvalidUri(_) => {
            RpcError::new(code::INVALID_PARAMS, error.to_string()).with_data(json!({ "uri": uri }))
        }
        ResourceError::Failed(_) => RpcError::new(code::INTERNAL_ERROR, error.to_string()),
    }
}

fn missing_uri(r: &Request<'_, '_>) -> Outcome {
    let error = RpcError::new(
        code::INVALID_PARAMS,
        format!("Invalid params: `{}` needs `uri`", r.method),
    );
    Outcome::error(StatusCode::OK, Some(r.id), &error)
}

pub(crate) fn read(r: &Request<'_, '_>) -> Outcome {
    let Some(uri) = r.params.uri.as_deref() else {
        return missing_uri(r);
    };
    let Some((def, vars)) = find(r, uri) else {
        return Outcome::error(StatusCode::OK, Some(r.id), &not_found(r.era, uri));
    };
    if !allowed(r, def.scopes) {
        return methods::forbidden(r, &format!("resource `{uri}`"), def.scopes);
    }
    let asks = def
        .requirements()
        .contains(&crate::tool::Requirement::ClientRequests);
    let round = match (r.era, asks) {
        (Era::Modern(_), true) => match mrtr::begin_round(r, "resources/read", uri, None) {
            Ok(round) => Some(round),
            Err(outcome) => return *outcome,
        },
        _ => None,
    };
    let ctx = served::context(r, def.name, round.as_ref());
    let request = ResourceRequest {
        uri: uri.to_owned(),
        vars,
        mime_type: def.mime_type,
    };
    let era = r.era;
    let started =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (def.read)(&request, &ctx)));
    let future = match started {
        Ok(Ok(future)) => future,
        Ok(Err(error)) => {
            return Outcome::error(StatusCode::OK, Some(r.id), &read_error(era, uri, &error));
        }
        Err(_) => {
            let error = RpcError::new(
                code::INTERNAL_ERROR,
                format!("Reading `{uri}` failed with an internal error"),
            );
            return Outcome::error(StatusCode::OK, Some(r.id), &error);
        }
    };
    let uri_owned = uri.to_owned();
    let authenticated = r.auth.is_some();
    served::reply(
        r,
        format!("Reading `{uri}`"),
        future,
        round,
        Box::new(move |shared, id, contents: Vec<ResourceContents>| {
            if contents.is_empty() {
                // An empty `contents` would read as "exists but empty"; MCP wants not-found.
                return jsonrpc::error_body_for(id, &not_found(era, &uri_owned));
            }
            #[derive(Serialize)]
            struct Read {
                contents: Vec<ResourceContents>,
            }
            let result = Read { contents };
            match era {
                Era::Legacy(_) => jsonrpc::result_body(id, &result),
                Era::Modern(_) => jsonrpc::result_body(
                    id,
                    &Modern {
                        result: methods::Cached {
                            result,
                            ttl_ms: shared.config.read_ttl_ms,
                            cache_scope: methods::cache_scope(authenticated),
                        },
                        result_type: "complete",
                        meta: &shared.modern_meta,
                    },
                ),
            }
        }),
        Box::new(move |_, id, error: ResourceError| {
            jsonrpc::error_body_for(id, &read_error(era, &request.uri, &error))
        }),
    )
}

/// `resources/subscribe` and `unsubscribe` (handshake era): validated and acknowledged; see
/// the module docs for why nothing is remembered.
pub(crate) fn subscribe(r: &Request<'_, '_>) -> Outcome {
    let Some(uri) = r.params.uri.as_deref() else {
        return missing_uri(r);
    };
    match find(r, uri) {
        Some((def, _)) if allowed(r, def.scopes) => methods::ok(r.id, &json!({})),
        Some((def, _)) => methods::forbidden(r, &format!("resource `{uri}`"), def.scopes),
        None => Outcome::error(StatusCode::OK, Some(r.id), &not_found(r.era, uri)),
    }
}

/// `subscriptions/listen` (2026-07-28): acknowledge the honoured subset, then stay silent
/// until the listen duration ends the stream gracefully.
pub(crate) fn listen(r: &Request<'_, '_>) -> Outcome {
    let requested = r
        .params
        .notifications
        .as_ref()
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut honoured = Map::new();
    for flag in [
        "toolsListChanged",
        "promptsListChanged",
        "resourcesListChanged",
    ] {
        if requested.get(flag) == Some(&Value::Bool(true)) {
            honoured.insert(flag.into(), Value::Bool(true));
        }
    }
    if let Some(uris) = requested
        .get("resourceSubscriptions")
        .and_then(Value::as_array)
    {
        let known: Vec<Value> = uris
            .iter()
            .filter(|u| {
                u.as_str()
                    .and_then(|u| find(r, u))
                    .is_some_and(|(d, _)| allowed(r, d.scopes))
            })
            .cloned()
            .collect();
        honoured.insert("resourceSubscriptions".into(), Value::Array(known));
    }
    let id: Value = serde_json::from_str(r.id.get()).unwrap_or(Value::Null);
    let ack = json!({
        "jsonrpc": "2.0",
        "method": "notifications/subscriptions/acknowledged",
        "params": {
            "notifications": honoured,
            "_meta": { meta::SUBSCRIPTION_ID: id },
        },
    });
    let done = jsonrpc::result_body(
        &id,
        &Modern {
            result: Map::new(),
            result_type: "complete",
            meta: &r.shared.modern_meta,
        },
    );
    let wait = r.shared.config.listen_duration;
    let events =
        stream::once(async move { ack.to_string().into_bytes() }).chain(stream::once(async move {
            tokio::time::sleep(wait).await;
            done
        }));
    Outcome::Stream(events.boxed())
}
