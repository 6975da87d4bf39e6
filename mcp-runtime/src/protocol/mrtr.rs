//! 2026-07-28 multi-round-trip requests: turning `inputResponses` + `requestState` into the
//! answers a [`Client`](crate::Client) sees, and an unanswered question into an
//! `InputRequiredResult` with a fresh, signed `requestState`. See [`crate::client`].

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
    task::Poll,
};

use http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, value::RawValue};

use super::{
    dispatch::{Outcome, Request},
    jsonrpc::{self, RpcError, code},
    meta,
    state::{self, Binding},
    wire::Modern,
};
use crate::{
    client::{ClientLink, ModernRound},
    server::Shared,
};

/// One round of a modern request whose code may ask the client for input.
#[derive(Debug)]
pub(crate) struct Round {
    pub(crate) link: Arc<ClientLink>,
    binding: Binding,
}

/// Set up a round: verify `requestState`, merge `inputResponses`. An `Err` is the error to
/// answer with (a tampered or foreign state, malformed parameters).
pub(crate) fn begin_round(
    r: &Request<'_, '_>,
    method: &'static str,
    name: &str,
    arguments: Option<&RawValue>,
) -> Result<Round, Box<Outcome>> {
    let invalid = |message: String| {
        Box::new(Outcome::error(
            StatusCode::OK,
            Some(r.id),
            &RpcError::new(code::INVALID_PARAMS, message),
        ))
    };
    // Absent arguments and `{}` are the same call.
    let arguments: Value = arguments
        .and_then(|a| serde_json::from_str(a.get()).ok())
        .filter(|a: &Value| !a.is_null())
        .unwrap_or_else(|| Value::Object(Map::new()));
    let binding = Binding::new(
        method,
        name,
        Some(&arguments),
        r.auth.and_then(|a| a.subject()),
    );
    let mut answers = match &r.params.request_state {
        None | Some(Value::Null) => Map::new(),
        Some(Value::String(token)) => {
            state::verify(&r.shared.state_key, &binding, token).map_err(|e| {
                invalid(format!(
                    "Invalid params: `requestState` was rejected because {}",
                    e.describe()
                ))
            })?
        }
        Some(_) => {
            return Err(invalid(
                "Invalid params: `requestState` must be a string".into(),
            ));
        }
    };
    match &r.params.input_responses {
        None | Some(Value::Null) => {}
        Some(Value::Object(responses)) => {
            answers.extend(responses.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        Some(_) => {
            return Err(invalid(
                "Invalid params: `inputResponses` must be an object keyed by input request".into(),
            ));
        }
    }
    let capabilities = r
        .params
        .meta
        .as_ref()
        .and_then(|m| m.get(meta::CLIENT_CAPABILITIES))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok(Round {
        link: Arc::new(ClientLink::Modern(ModernRound {
            capabilities,
            answers,
            progress: Mutex::default(),
        })),
        binding,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InputRequired {
    input_requests: Map<String, Value>,
    request_state: String,
}

impl Round {
    /// The `InputRequiredResult` response, if the code stopped at an unanswered question.
    pub(crate) fn input_required_body<I: Serialize + ?Sized>(
        &self,
        shared: &Shared,
        id: &I,
    ) -> Option<Vec<u8>> {
        let (input_requests, used) = self.link.input_required()?;
        let request_state = state::sign(
            &shared.state_key,
            &self.binding,
            used,
            shared.config.request_state_ttl,
        );
        Some(jsonrpc::result_body(
            id,
            &Modern {
                result: InputRequired {
                    input_requests,
                    request_state,
                },
                result_type: "input_required",
                meta: &shared.modern_meta,
            },
        ))
    }
}

/// Ends a future's run as soon as it waits on an unanswered question: `placeholder` is its
/// output then, and the caller answers with [`Round::input_required_body`] instead.
pub(crate) fn gate<T: Send + 'static>(
    mut future: Pin<Box<dyn Future<Output = T> + Send>>,
    link: Arc<ClientLink>,
    placeholder: fn() -> T,
) -> Pin<Box<dyn Future<Output = T> + Send>> {
    Box::pin(std::future::poll_fn(move |cx| {
        match future.as_mut().poll(cx) {
            Poll::Ready(value) => Poll::Ready(value),
            Poll::Pending if link.waiting() => Poll::Ready(placeholder()),
            Poll::Pending => Poll::Pending,
        }
    }))
}
