//! Requests from the server to the client (elicitation, sampling, roots) without sessions.
//!
//! A tool (or prompt, or resource) takes `#[ctx] client: Client` and awaits
//! [`Client::elicit`], [`Client::sample`] or [`Client::list_roots`]. How the question reaches
//! the client depends on the protocol era of the request, never on the tool:
//!
//! * **2026-07-28 (multi-round-trip requests).** The first `tools/call` runs the tool until it
//!   waits on a question the client has not answered; the runtime then drops the tool's
//!   future and answers `{"resultType":"input_required","inputRequests":{…},"requestState":…}`.
//!   The client retries the call with `inputResponses` and the echoed `requestState`, and the
//!   runtime **runs the tool again from the start** ("replay"): this time `elicit` returns the
//!   answer at once. Answers of earlier rounds travel in `requestState`, signed with
//!   HMAC-SHA256 under the server's request-state key
//!   ([`McpServerBuilder::request_state_key`](crate::McpServerBuilder::request_state_key)),
//!   bound to the method, the tool, its arguments and the caller, and expiring after
//!   [`McpServerBuilder::request_state_ttl`](crate::McpServerBuilder::request_state_ttl). Any
//!   replica holding the same key can serve any round: nothing is remembered between requests.
//!   Each question has a caller-chosen **key** that must be stable across replays; code before
//!   the last question runs once per round, so keep side effects after the questions (or make
//!   them idempotent).
//! * **Handshake revisions (2025-03-26 … 2025-11-25).** The call's response becomes an event
//!   stream; the request (`elicitation/create`, …) is sent on it with a fresh JSON-RPC id, and
//!   the tool waits until the client POSTs the response. The reply is matched by id in an
//!   in-process table, so it must reach **the same replica** that holds the stream: behind a
//!   load balancer, only these calls need affinity (or a shared reply bus, not built yet). A
//!   stateless server cannot know what the client declared in `initialize`, so
//!   [`Client::supports`] answers `None` and the request is simply sent.
//!
//! Questions are refused with [`ClientError::Unavailable`] where no channel exists: inside a
//! 2025-03-26 batch, and from prompts and resources in the handshake era (their responses
//! never stream).

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value, json};
use tokio::sync::{mpsc, oneshot};

use crate::{
    context::{ContextError, FromToolContext, Notification, ToolContext},
    prompt::Role,
    tool::Requirement,
};

/// Asks the client for input: elicitation, sampling, roots. Take it as `#[ctx] client: Client`.
///
/// See the [module docs](self) for how the two protocol eras deliver the questions.
#[derive(Debug, Clone)]
pub struct Client {
    link: Arc<ClientLink>,
}

/// How questions reach the client for one request.
#[derive(Debug)]
pub(crate) enum ClientLink {
    /// No channel (batches; prompts and resources in the handshake era).
    Unavailable,
    /// Handshake era: requests on the call's event stream, replies by POST.
    Legacy {
        tx: mpsc::Sender<Notification>,
        pending: Arc<PendingReplies>,
        timeout: Duration,
    },
    /// 2026-07-28: answers known so far; unanswered questions end the round.
    Modern(ModernRound),
}

/// One round of a multi-round-trip request.
#[derive(Debug, Default)]
pub(crate) struct ModernRound {
    /// `io.modelcontextprotocol/clientCapabilities` of the request.
    pub(crate) capabilities: Map<String, Value>,
    /// Answers from `requestState` and `inputResponses`.
    pub(crate) answers: Map<String, Value>,
    pub(crate) progress: Mutex<RoundProgress>,
}

/// What the code did with the round's answers.
#[derive(Debug, Default)]
pub(crate) struct RoundProgress {
    /// Questions without a (usable) answer: key → `{method, params}`.
    pub(crate) requested: Map<String, Value>,
    /// Answers the code consumed; carried into the next round's `requestState`.
    pub(crate) used: Map<String, Value>,
}

impl ClientLink {
    /// The questions of a finished round, if any were left unanswered: (inputRequests, used
    /// answers).
    pub(crate) fn input_required(&self) -> Option<(Map<String, Value>, Map<String, Value>)> {
        let Self::Modern(round) = self else {
            return None;
        };
        let progress = round.progress.lock().ok()?;
        (!progress.requested.is_empty())
            .then(|| (progress.requested.clone(), progress.used.clone()))
    }

    /// True once the code waits on an unanswered question.
    pub(crate) fn waiting(&self) -> bool {
        match self {
            Self::Modern(round) => round.progress.lock().is_ok_and(|p| !p.requested.is_empty()),
            _ => false,
        }
    }
}

/// Why a question could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// There is no way to reach the client from here (see the [module docs](self)).
    #[error("the client cannot be asked for input in this request")]
    Unavailable,
    /// The client did not declare the capability the question needs (2026-07-28).
    #[error("the client did not declare the `{0}` capability")]
    Unsupported(&'static str),
    /// The client answered with a JSON-RPC error.
    #[error("the client refused the request ({code}): {message}")]
    Rejected {
        /// JSON-RPC error code.
        code: i64,
        /// Its message.
        message: String,
    },
    /// The client's answer does not have the expected shape.
    #[error("the client's answer is malformed: {0}")]
    InvalidResponse(String),
    /// No answer arrived in time (handshake era).
    #[error("the client did not answer in time")]
    Timeout,
}

/// An `elicitation/create` (form mode) question.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElicitRequest {
    /// What to ask the user.
    pub message: String,
    /// A flat JSON Schema object of primitive properties describing the expected answer.
    pub requested_schema: Value,
}

impl ElicitRequest {
    /// A question with its answer schema.
    pub fn new(message: impl Into<String>, requested_schema: Value) -> Self {
        Self {
            message: message.into(),
            requested_schema,
        }
    }
}

/// What the user did with an elicitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElicitAction {
    /// Submitted the form.
    Accept,
    /// Explicitly declined.
    Decline,
    /// Dismissed it.
    Cancel,
}

/// The answer to an elicitation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ElicitResult {
    /// What the user did.
    pub action: ElicitAction,
    /// The submitted values (with `Accept`).
    #[serde(default)]
    pub content: Option<Map<String, Value>>,
}

/// A `sampling/createMessage` request: messages for the client's model.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SamplingRequest {
    /// The conversation so far.
    pub messages: Vec<SamplingMessage>,
    /// The most tokens to generate.
    pub max_tokens: u32,
    /// An optional system prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_prompt: Option<String>,
}

/// One message of a sampling request.
#[derive(Debug, Clone, Serialize)]
pub struct SamplingMessage {
    /// Who says it.
    pub role: Role,
    /// A content block (e.g. `{"type":"text","text":"…"}`).
    pub content: Value,
}

impl SamplingRequest {
    /// One user text message, answered in at most `max_tokens` tokens.
    pub fn user_text(text: impl Into<String>, max_tokens: u32) -> Self {
        Self {
            messages: vec![SamplingMessage {
                role: Role::User,
                content: json!({ "type": "text", "text": text.into() }),
            }],
            max_tokens,
            system_prompt: None,
        }
    }
}

/// The client model's answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SamplingResult {
    /// Usually `assistant`.
    pub role: Role,
    /// The content block(s) generated.
    pub content: Value,
    /// The model that answered.
    #[serde(default)]
    pub model: String,
    /// Why generation stopped.
    #[serde(default)]
    pub stop_reason: Option<String>,
}

impl SamplingResult {
    /// The generated text, when the content is one text block.
    pub fn text(&self) -> Option<&str> {
        self.content.get("text").and_then(Value::as_str)
    }
}

/// A root the client exposes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Root {
    /// A `file://` URI.
    pub uri: String,
    /// A display name.
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Deserialize)]
struct RootsResult {
    roots: Vec<Root>,
}

impl Client {
    /// Ask the user through the client's elicitation form. `key` names the question; it must
    /// be the same every time the code runs (2026-07-28 replays the code each round).
    pub async fn elicit(
        &self,
        key: &str,
        request: ElicitRequest,
    ) -> Result<ElicitResult, ClientError> {
        self.ask(key, "elicitation/create", to_value(&request))
            .await
    }

    /// Ask the client's model (`sampling/createMessage`).
    pub async fn sample(
        &self,
        key: &str,
        request: SamplingRequest,
    ) -> Result<SamplingResult, ClientError> {
        self.ask(key, "sampling/createMessage", to_value(&request))
            .await
    }

    /// The client's roots (`roots/list`).
    pub async fn list_roots(&self, key: &str) -> Result<Vec<Root>, ClientError> {
        let roots: RootsResult = self.ask(key, "roots/list", json!({})).await?;
        Ok(roots.roots)
    }

    /// Whether the client declared `capability` (`"elicitation"`, `"sampling"`, `"roots"`);
    /// `None` where the server cannot know (handshake era: declared only in `initialize`).
    pub fn supports(&self, capability: &str) -> Option<bool> {
        match &*self.link {
            ClientLink::Modern(round) => Some(round.capabilities.contains_key(capability)),
            _ => None,
        }
    }

    async fn ask<T: DeserializeOwned>(
        &self,
        key: &str,
        method: &'static str,
        params: Value,
    ) -> Result<T, ClientError> {
        match &*self.link {
            ClientLink::Unavailable => Err(ClientError::Unavailable),
            ClientLink::Modern(round) => {
                let capability = capability_of(method);
                if !round.capabilities.contains_key(capability) {
                    return Err(ClientError::Unsupported(capability));
                }
                // An answer that does not parse is asked again rather than failing the call.
                if let Some(answer) = round.answers.get(key)
                    && let Ok(parsed) = serde_json::from_value::<T>(answer.clone())
                {
                    if let Ok(mut progress) = round.progress.lock() {
                        progress.used.insert(key.to_owned(), answer.clone());
                    }
                    return Ok(parsed);
                }
                if let Ok(mut progress) = round.progress.lock() {
                    progress.requested.insert(
                        key.to_owned(),
                        json!({ "method": method, "params": params }),
                    );
                }
                // The runtime ends the round as soon as the code waits here.
                std::future::pending().await
            }
            ClientLink::Legacy {
                tx,
                pending,
                timeout,
            } => {
                let value = pending.request(tx, method, params, *timeout).await?;
                serde_json::from_value(value)
                    .map_err(|e| ClientError::InvalidResponse(e.to_string()))
            }
        }
    }
}

fn to_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The client capability a server→client method needs.
fn capability_of(method: &str) -> &'static str {
    match method {
        "sampling/createMessage" => "sampling",
        "roots/list" => "roots",
        _ => "elicitation",
    }
}

impl FromToolContext for Client {
    fn from_context(ctx: &ToolContext) -> Result<Self, ContextError> {
        Ok(Self {
            link: Arc::clone(&ctx.client),
        })
    }

    fn requirement() -> Option<Requirement> {
        Some(Requirement::ClientRequests)
    }
}

/// Outstanding server→client requests of this process, by JSON-RPC id (handshake era).
#[derive(Debug)]
pub(crate) struct PendingReplies {
    /// Random per process, so ids never collide with another replica's.
    prefix: String,
    next: AtomicU64,
    waiting: Mutex<HashMap<String, oneshot::Sender<Result<Value, ClientError>>>>,
}

impl PendingReplies {
    pub(crate) fn new(prefix: String) -> Self {
        Self {
            prefix,
            next: AtomicU64::new(1),
            waiting: Mutex::new(HashMap::new()),
        }
    }

    async fn request(
        &self,
        tx: &mpsc::Sender<Notification>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, ClientError> {
        let id = format!(
            "{}-{}",
            self.prefix,
            self.next.fetch_add(1, Ordering::Relaxed)
        );
        let (reply_tx, reply_rx) = oneshot::channel();
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.insert(id.clone(), reply_tx);
        }
        // Removes the entry however the wait ends (answer, timeout, or the call dropped).
        let _guard = Forget {
            replies: self,
            id: &id,
        };
        let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        if tx.send(Notification(message.to_string())).await.is_err() {
            return Err(ClientError::Unavailable);
        }
        match tokio::time::timeout(timeout, reply_rx).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) => Err(ClientError::Unavailable),
            Err(_) => Err(ClientError::Timeout),
        }
    }

    /// Deliver a client's response; false when no request of this process has that id.
    pub(crate) fn complete(&self, id: &str, result: Option<&str>, error: Option<&str>) -> bool {
        let Some(sender) = self.waiting.lock().ok().and_then(|mut w| w.remove(id)) else {
            return false;
        };
        let outcome = match (result, error) {
            (Some(result), _) => serde_json::from_str(result)
                .map_err(|e| ClientError::InvalidResponse(e.to_string())),
            (None, Some(error)) => {
                let error: Value = serde_json::from_str(error).unwrap_or(Value::Null);
                Err(ClientError::Rejected {
                    code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
                    message: error
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                })
            }
            (None, None) => Err(ClientError::InvalidResponse(
                "neither result nor error".into(),
            )),
        };
        sender.send(outcome).is_ok()
    }
}

struct Forget<'a> {
    replies: &'a PendingReplies,
    id: &'a str,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        if let Ok(mut waiting) = self.replies.waiting.lock() {
            waiting.remove(self.id);
        }
    }
}
