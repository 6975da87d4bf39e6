//! `tools/call`: routing a call to its tool, running it, and answering with JSON or a stream.

use std::{
    collections::VecDeque,
    sync::Arc,
    time::{Duration, Instant},
};

use futures_util::stream::{self, StreamExt as _};
use http::StatusCode;
use serde_json::{Map, Value, json};
use tracing::Instrument as _;

use super::{
    dispatch::TraceId,
    dispatch::{Outcome, Reply, Request},
    era::Era,
    jsonrpc::{self, RpcError, code},
    meta,
    mrtr::{self, Round},
    tools::{self, Begun, ClientSetup, Ended, EndedFuture, Reporting, Started},
    wire::{CallResultWire, Modern},
};
use crate::{
    auth::AuthContext,
    context::{LogLevel, Notification, RequestId, RequestParts},
    server::{GatewayRuntime, Shared},
    telemetry::{
        self, AuditCell, AuditEntry, AuditFields,
        metrics::{self, CallOutcome},
    },
    tool::ToolDef,
};

/// Route a call: everything up to and including starting the tool (and running a sync tool)
/// happens here, synchronously; what is left to await is a small [`PendingCall`].
pub(crate) fn tools_call(r: Request<'_, '_>) -> Outcome {
    let Some(name) = r.params.name.as_deref() else {
        let error = RpcError::new(
            code::INVALID_PARAMS,
            "Invalid params: `tools/call` needs `name`",
        );
        return Outcome::error(StatusCode::OK, Some(r.id), &error);
    };
    let Some(served) = r.gateway.tools.get(name).copied() else {
        let error = RpcError::new(
            code::INVALID_PARAMS,
            format!("Unknown tool: {}", jsonrpc::clip(name)),
        );
        return Outcome::error(StatusCode::OK, Some(r.id), &error);
    };
    let tool = served.def;
    let started = Instant::now();
    if !r.span.is_disabled() {
        r.span
            .record("otel.name", format_args!("tools/call {}", tool.name));
        r.span.record("gen_ai.tool.name", tool.name);
        r.span.record("gen_ai.operation.name", "execute_tool");
    }
    // Scopes first: a caller without them learns nothing from argument errors.
    if let Some(auth) = r.auth
        && !crate::auth::covers(auth.scopes(), tool.scopes)
    {
        if let Some(metrics) = r.shared.telemetry.metrics.tool(served.metric) {
            metrics.count(CallOutcome::Forbidden);
        }
        if r.shared.telemetry.audit {
            let entry = AuditEntry {
                tool: tool.name,
                gateway: &r.gateway.gateway.name,
                request_id: r.id.get(),
                auth: r.auth,
                trace_id: r.trace_id.as_ref().map(TraceId::as_str),
            };
            telemetry::write_audit(
                &entry,
                &AuditFields::default(),
                CallOutcome::Forbidden,
                started.elapsed(),
            );
        }
        let error = RpcError::new(
            code::INVALID_REQUEST,
            format!(
                "Forbidden: tool `{name}` needs scope(s) {}",
                tool.scopes.join(" ")
            ),
        );
        return Outcome::Forbidden {
            body: jsonrpc::error_body(Some(r.id), &error),
            scopes: tool.scopes,
        };
    }
    if let Era::Modern(_) = r.era
        && let Some(error) = missing_client_capabilities(tool, r.params.meta.as_ref())
    {
        return Outcome::error(StatusCode::BAD_REQUEST, Some(r.id), &error);
    }
    let args = r.params.arguments.filter(|a| a.get() != "null");
    if args.is_some_and(|a| !a.get().starts_with('{')) {
        let error = RpcError::new(
            code::INVALID_PARAMS,
            "Invalid params: `arguments` must be a JSON object",
        );
        return Outcome::error(StatusCode::OK, Some(r.id), &error);
    }
    let (client, round) = if !served.asks {
        (ClientSetup::None, None)
    } else {
        match r.era {
            Era::Modern(_) => match mrtr::begin_round(&r, "tools/call", name, args) {
                Ok(round) => (
                    ClientSetup::Modern(Arc::clone(&round.link)),
                    Some(Box::new(round)),
                ),
                Err(outcome) => return *outcome,
            },
            Era::Legacy(_) if r.allow_stream => (
                ClientSetup::Legacy(Arc::clone(&r.shared.pending), r.shared.config.call_timeout),
                None,
            ),
            Era::Legacy(_) => (ClientSetup::None, None),
        }
    };
    let meta = r.params.meta;
    // Batched calls cannot stream, and tools without a `Reporter` never notify: neither gets
    // a notification channel.
    let reporting = if r.allow_stream && served.notifies {
        Reporting {
            progress_token: meta
                .as_ref()
                .and_then(|m| m.get(meta::PROGRESS_TOKEN))
                .cloned(),
            min_log_level: match r.era {
                Era::Legacy(_) => r.shared.config.legacy_log_level,
                // 2026-07-28: no log notifications unless this request asked for a level.
                Era::Modern(_) => meta
                    .as_ref()
                    .and_then(|m| m.get(meta::LOG_LEVEL))
                    .and_then(Value::as_str)
                    .and_then(LogLevel::parse),
            },
        }
    } else {
        Reporting::default()
    };
    let request = RequestParts {
        protocol_version: r.era.version(),
        request_id: RequestId::from_raw(r.id.get()),
        tool: tool.name,
        meta,
        auth: r.auth.cloned(),
    };
    let audited = r.shared.telemetry.audit;
    let (begun, cell) = tools::begin(
        tool,
        args,
        request,
        Arc::clone(&r.shared.state),
        reporting,
        client,
        audited,
    );
    let finish = Finish {
        id: RequestId::from_raw(r.id.get()),
        era: r.era,
        shared: Arc::clone(r.shared),
        round,
        observe: Observe {
            tool,
            metric: served.metric,
            started,
            span: r.span.clone(),
            audit: audited.then(|| {
                Box::new(Audited {
                    auth: r.auth.cloned(),
                    gateway: Arc::clone(r.gateway),
                    trace_id: r.trace_id,
                    cell,
                })
            }),
        },
    };
    Outcome::Call(PendingCall::Tool(ToolCall {
        tool,
        begun,
        finish,
        timeout: r.shared.config.call_timeout,
    }))
}

/// A started request, still to be awaited: the only asynchronous part of answering one.
pub(crate) enum PendingCall {
    /// A tool call (which may stream).
    Tool(ToolCall),
    /// A prompt or resource read: one JSON reply.
    Other(futures_util::future::BoxFuture<'static, Reply>),
}

impl PendingCall {
    /// Run it to its reply. Not an `async fn`: a wrapper future would hold the call twice
    /// and enlarge every request's future (see `http::future_size`).
    pub(crate) fn run(self) -> impl std::future::Future<Output = Reply> {
        match self {
            Self::Tool(call) => futures_util::future::Either::Left(call.run()),
            Self::Other(future) => futures_util::future::Either::Right(future),
        }
    }
}

/// A started tool call.
pub(crate) struct ToolCall {
    tool: &'static ToolDef,
    begun: Begun,
    finish: Finish,
    timeout: Duration,
}

impl ToolCall {
    /// Run the call: JSON if it finishes without notifying, else an event stream.
    async fn run(self) -> Reply {
        let Self {
            tool,
            begun,
            finish,
            timeout,
        } = self;
        let span = finish.observe.span.clone();
        let started = match begun {
            Begun::Done(result) => Started::Done(result),
            // The common case: no channel, no timer unless the tool waits, nothing boxed.
            Begun::Quiet(future) => {
                Started::Done(tools::guarded(tool, future, timeout).instrument(span).await)
            }
            // Boxed so that the race's state does not enlarge every request's future.
            Begun::Reporting(future, rx) => {
                Box::pin(tools::race(tool, future, rx, timeout).instrument(span)).await
            }
        };
        match started {
            Started::Done(ended) => Reply::Json {
                status: StatusCode::OK,
                body: finish.body(&ended),
            },
            Started::Streaming { queued, rx, call } => {
                let queue: VecDeque<Vec<u8>> =
                    queued.into_iter().map(|n| n.0.into_bytes()).collect();
                let state = StreamState {
                    queue,
                    rx: Some(rx),
                    call: Some(call),
                    finish,
                };
                Reply::Stream(
                    stream::unfold(state, |state| {
                        let span = state.finish.observe.span.clone();
                        next_event(state).instrument(span)
                    })
                    .boxed(),
                )
            }
        }
    }
}

/// 2026-07-28 declares client capabilities on every request, so a tool that needs one can be
/// refused up front (-32021) instead of failing half-way. Handshake-era capabilities were only
/// sent with `initialize`, which a stateless server does not remember.
fn missing_client_capabilities(
    tool: &ToolDef,
    meta: Option<&Map<String, Value>>,
) -> Option<RpcError> {
    let declared = meta
        .and_then(|m| m.get(meta::CLIENT_CAPABILITIES))
        .and_then(Value::as_object);
    let missing: Map<String, Value> = tool
        .client_capabilities
        .iter()
        .filter(|c| !declared.is_some_and(|d| d.contains_key(**c)))
        .map(|c| ((*c).to_owned(), json!({})))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&String> = missing.keys().collect();
    Some(
        RpcError::new(
            code::MISSING_CLIENT_CAPABILITY,
            format!(
                "Missing required client capability: tool `{}` needs {names:?}; declare it in _meta `{}`",
                tool.name,
                meta::CLIENT_CAPABILITIES
            ),
        )
        .with_data(json!({ "requiredCapabilities": missing })),
    )
}

/// Turns the call's result into the response message, and counts and audits it.
struct Finish {
    id: RequestId,
    era: Era,
    shared: Arc<Shared>,
    /// A 2026-07-28 round whose tool may stop at a question (boxed: rare, and it would
    /// enlarge every call's future).
    round: Option<Box<Round>>,
    observe: Observe,
}

/// What the call's metrics, span and audit line need when it ends.
struct Observe {
    tool: &'static ToolDef,
    /// The tool's index among the server's tool metrics.
    metric: usize,
    started: Instant,
    span: tracing::Span,
    /// Only on a server that audits (boxed: it would enlarge every call's future).
    audit: Option<Box<Audited>>,
}

/// Who made an audited call, and what its tool recorded.
struct Audited {
    auth: Option<AuthContext>,
    gateway: Arc<GatewayRuntime>,
    trace_id: Option<TraceId>,
    cell: Option<Arc<AuditCell>>,
}

impl Finish {
    fn body(&self, (result, outcome): &Ended) -> Vec<u8> {
        if let Some(body) = self
            .round
            .as_ref()
            .and_then(|round| round.input_required_body(&self.shared, &self.id))
        {
            self.ended(CallOutcome::InputRequired);
            return body;
        }
        self.ended(*outcome);
        let wire = CallResultWire::new(result, self.era.version());
        match self.era {
            Era::Legacy(_) => jsonrpc::result_body(&self.id, &wire),
            Era::Modern(_) => {
                let meta = &self.shared.modern_meta;
                jsonrpc::result_body(
                    &self.id,
                    &Modern {
                        result: wire,
                        result_type: "complete",
                        meta,
                    },
                )
            }
        }
    }
}

impl Finish {
    fn ended(&self, outcome: CallOutcome) {
        let o = &self.observe;
        // The audit line carries the request span's fields (trace id, method) in JSON logs.
        let _entered = o.span.enter();
        let elapsed = o.started.elapsed();
        let metrics = &self.shared.telemetry.metrics;
        if let Some(tool) = metrics.tool(o.metric) {
            tool.observe(outcome, elapsed);
        }
        metrics.request(metrics::TOOLS_CALL, outcome.request_outcome());
        if let Some(kind) = outcome.error_kind() {
            metrics.error(kind);
            o.span.record("error.type", kind.label());
        }
        if let Some(audit) = &o.audit {
            let request_id = serde_json::to_string(&self.id).unwrap_or_default();
            let entry = AuditEntry {
                tool: o.tool.name,
                gateway: &audit.gateway.gateway.name,
                request_id: &request_id,
                auth: audit.auth.as_ref(),
                trace_id: audit.trace_id.as_ref().map(TraceId::as_str),
            };
            let fields = audit.cell.as_ref().map(|c| c.take()).unwrap_or_default();
            telemetry::write_audit(&entry, &fields, outcome, elapsed);
        }
    }
}

struct StreamState {
    queue: VecDeque<Vec<u8>>,
    rx: Option<tokio::sync::mpsc::Receiver<Notification>>,
    call: Option<EndedFuture>,
    finish: Finish,
}

/// One step of a streamed call: queued notifications first, then whatever comes next, and the
/// response last. Dropping the stream (client gone) drops the call, which cancels it.
async fn next_event(mut s: StreamState) -> Option<(Vec<u8>, StreamState)> {
    loop {
        if let Some(event) = s.queue.pop_front() {
            return Some((event, s));
        }
        let call = s.call.as_mut()?;
        let result = match s.rx.as_mut() {
            Some(rx) => tokio::select! {
                biased;
                n = rx.recv() => match n {
                    Some(n) => { s.queue.push_back(n.0.into_bytes()); continue; }
                    None => { s.rx = None; continue; }
                },
                result = call => result,
            },
            None => call.await,
        };
        if let Some(rx) = s.rx.as_mut() {
            while let Ok(n) = rx.try_recv() {
                s.queue.push_back(n.0.into_bytes());
            }
        }
        s.queue.push_back(s.finish.body(&result));
        s.call = None;
        s.rx = None;
    }
}
