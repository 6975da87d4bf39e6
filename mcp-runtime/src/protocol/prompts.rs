//! `prompts/list`, `prompts/get` and `completion/complete`.

use std::collections::BTreeMap;

use http::StatusCode;
use serde::Serialize;
use serde_json::Value;

use super::{
    dispatch::{Outcome, Request},
    era::Era,
    jsonrpc::{self, RpcError, code},
    methods::{self, allowed, cacheable, hides_uncallable, page},
    mrtr, served,
    version::ProtocolVersion,
    wire::Modern,
};
use crate::{
    completion::{Completion, CompletionRequest},
    prompt::{GetPromptResult, PromptArgument, PromptArguments, PromptDef, PromptError},
    tool::Requirement,
};

#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    arguments: &'a [PromptArgument],
}

pub(crate) fn list(r: &Request<'_, '_>, version: ProtocolVersion) -> Outcome {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct List<'a> {
        prompts: Vec<Entry<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        next_cursor: Option<String>,
    }
    let hide = hides_uncallable(r);
    let defs: Vec<&'static PromptDef> = r
        .gateway
        .prompts
        .iter()
        .copied()
        .filter(|p| !hide || allowed(r, p.scopes))
        .collect();
    let (items, next_cursor) = match page(r, &defs, |p| p.name) {
        Ok(p) => p,
        Err(outcome) => return *outcome,
    };
    let prompts = items
        .iter()
        .map(|p| Entry {
            name: p.name,
            title: p.title.filter(|_| version >= ProtocolVersion::V2025_06_18),
            description: p.description,
            arguments: p.arguments,
        })
        .collect();
    cacheable(
        r,
        List {
            prompts,
            next_cursor,
        },
        r.shared.config.list_ttl_ms,
    )
}

fn find(r: &Request<'_, '_>, name: &str) -> Option<&'static PromptDef> {
    r.gateway
        .prompts
        .binary_search_by(|p| p.name.cmp(name))
        .ok()
        .map(|i| r.gateway.prompts[i])
}

fn invalid(r: &Request<'_, '_>, message: String) -> Outcome {
    Outcome::error(
        StatusCode::OK,
        Some(r.id),
        &RpcError::new(code::INVALID_PARAMS, message),
    )
}

fn prompt_error(error: &PromptError) -> RpcError {
    match error {
        PromptError::MissingArgument(_) | PromptError::InvalidArgument(_) => {
            RpcError::new(code::INVALID_PARAMS, format!("Invalid params: {error}"))
        }
        PromptError::Failed(_) => RpcError::new(code::INTERNAL_ERROR, error.to_string()),
    }
}

pub(crate) fn get(r: &Request<'_, '_>) -> Outcome {
    let Some(name) = r.params.name.as_deref() else {
        return invalid(r, "Invalid params: `prompts/get` needs `name`".into());
    };
    let Some(def) = find(r, name) else {
        return invalid(r, format!("Invalid params: unknown prompt `{name}`"));
    };
    if !allowed(r, def.scopes) {
        return methods::forbidden(r, &format!("prompt `{name}`"), def.scopes);
    }
    let arguments: BTreeMap<String, String> = match r.params.arguments.map(|a| a.get()) {
        None | Some("null") => BTreeMap::new(),
        Some(text) => match serde_json::from_str(text) {
            Ok(args) => args,
            Err(_) => {
                return invalid(
                    r,
                    "Invalid params: prompt `arguments` must be an object of strings".into(),
                );
            }
        },
    };
    let missing: Vec<&str> = def
        .arguments
        .iter()
        .filter(|a| a.required && !arguments.contains_key(a.name))
        .map(|a| a.name)
        .collect();
    if !missing.is_empty() {
        return invalid(
            r,
            format!(
                "Invalid params: prompt `{name}` needs argument(s) {}",
                missing.join(", ")
            ),
        );
    }
    let asks = def.requirements().contains(&Requirement::ClientRequests);
    let round = match (r.era, asks) {
        (Era::Modern(_), true) => {
            match mrtr::begin_round(r, "prompts/get", name, r.params.arguments) {
                Ok(round) => Some(round),
                Err(outcome) => return *outcome,
            }
        }
        _ => None,
    };
    let ctx = served::context(r, def.name, round.as_ref());
    let arguments = PromptArguments(arguments);
    let started =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (def.get)(&arguments, &ctx)));
    let future = match started {
        Ok(Ok(future)) => future,
        Ok(Err(error)) => return Outcome::error(StatusCode::OK, Some(r.id), &prompt_error(&error)),
        Err(_) => {
            let error = RpcError::new(
                code::INTERNAL_ERROR,
                format!("Prompt `{name}` failed with an internal error"),
            );
            return Outcome::error(StatusCode::OK, Some(r.id), &error);
        }
    };
    let era = r.era;
    served::reply(
        r,
        format!("Prompt `{name}`"),
        future,
        round,
        Box::new(move |shared, id, mut result: GetPromptResult| {
            if result.description.is_none() && !def.description.is_empty() {
                result.description = Some(def.description.to_owned());
            }
            match era {
                Era::Legacy(_) => jsonrpc::result_body(id, &result),
                Era::Modern(_) => jsonrpc::result_body(
                    id,
                    &Modern {
                        result,
                        result_type: "complete",
                        meta: &shared.modern_meta,
                    },
                ),
            }
        }),
        Box::new(|_, id, error: PromptError| jsonrpc::error_body_for(id, &prompt_error(&error))),
    )
}

/// `completion/complete` for a prompt argument or a resource-template variable.
pub(crate) fn complete(r: &Request<'_, '_>) -> Outcome {
    let reference = r.params.reference.as_ref();
    let kind = reference
        .and_then(|v| v.get("type"))
        .and_then(Value::as_str);
    let argument = r.params.argument.as_ref();
    let (Some(arg_name), Some(value)) = (
        argument.and_then(|a| a.get("name")).and_then(Value::as_str),
        argument
            .and_then(|a| a.get("value"))
            .and_then(Value::as_str),
    ) else {
        return invalid(
            r,
            "Invalid params: `argument` needs `name` and `value` strings".into(),
        );
    };
    let (complete, known, scopes) = match kind {
        Some("ref/prompt") => {
            let name = reference
                .and_then(|v| v.get("name"))
                .and_then(Value::as_str);
            let Some(def) = name.and_then(|n| find(r, n)) else {
                return invalid(
                    r,
                    format!("Invalid params: unknown prompt `{}`", name.unwrap_or("")),
                );
            };
            let known = def.arguments.iter().any(|a| a.name == arg_name);
            (def.complete, known, def.scopes)
        }
        Some("ref/resource") => {
            let uri = reference.and_then(|v| v.get("uri")).and_then(Value::as_str);
            let Some(def) = uri.and_then(|u| {
                r.gateway
                    .resources
                    .iter()
                    .find(|d| d.template && d.uri == u)
            }) else {
                return invalid(
                    r,
                    format!(
                        "Invalid params: unknown resource template `{}`",
                        uri.unwrap_or("")
                    ),
                );
            };
            let known = crate::resource::template_variables(def.uri)
                .is_some_and(|vars| vars.contains(&arg_name));
            (def.complete, known, def.scopes)
        }
        _ => {
            return invalid(
                r,
                "Invalid params: `ref` must be {type: \"ref/prompt\", name} or {type: \"ref/resource\", uri}".into(),
            );
        }
    };
    if !known {
        return invalid(
            r,
            format!("Invalid params: no argument `{arg_name}` to complete"),
        );
    }
    if !allowed(r, scopes) {
        return methods::forbidden(r, "completion", scopes);
    }
    let context: BTreeMap<String, String> = r
        .params
        .context
        .as_ref()
        .and_then(|c| c.get("arguments"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let request = CompletionRequest {
        argument: arg_name.to_owned(),
        value: value.to_owned(),
        context,
    };
    let completion = match complete {
        Some(f) => std::panic::catch_unwind(|| f(&request)).unwrap_or_default(),
        None => Completion::empty(),
    }
    .capped();
    #[derive(Serialize)]
    struct Complete {
        completion: Completion,
    }
    methods::complete(r, Complete { completion })
}
