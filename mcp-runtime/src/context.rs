//! Context parameters: values a tool receives from the runtime instead of from the caller.
//!
//! Mark a parameter `#[ctx]` and give it a type implementing [`FromToolContext`]:
//! [`RequestMeta`] (protocol version, request id, `_meta`), [`AuthContext`](crate::AuthContext)
//! (the verified caller), [`State<T>`] (shared state
//! registered with [`crate::McpServerBuilder::state`]), [`Reporter`] (progress and log
//! notifications), or [`Audit`](crate::Audit) (what the call's audit line records). Context parameters never appear in the tool's input schema.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    fmt,
    ops::Deref,
    sync::Arc,
};

use serde::Serialize;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::{protocol::version::ProtocolVersion, tool::Requirement};

/// Everything the runtime hands a tool call. Generated code reads it through
/// [`FromToolContext`]; tools never see it directly.
///
/// It keeps the request's parts as they arrived; a [`RequestMeta`] is only assembled for tools
/// that ask for one, so calls that do not pay nothing for it.
#[derive(Debug)]
pub struct ToolContext {
    pub(crate) request: RequestParts,
    pub(crate) state: Arc<StateMap>,
    pub(crate) reporter: Reporter,
    /// How questions reach the client ([`crate::Client`]).
    pub(crate) client: Arc<crate::client::ClientLink>,
    /// Whether this call is audited: only then does an [`Audit`](crate::Audit) parameter get
    /// a cell to write into.
    pub(crate) audit_enabled: bool,
    /// Created by the first `Audit` parameter, so calls of tools without one allocate nothing.
    pub(crate) audit: std::sync::OnceLock<Arc<crate::telemetry::AuditCell>>,
}

/// The request facts a [`RequestMeta`] is made of.
#[derive(Debug)]
pub(crate) struct RequestParts {
    pub(crate) protocol_version: ProtocolVersion,
    pub(crate) request_id: RequestId,
    /// The tool, prompt or resource being served.
    pub(crate) tool: &'static str,
    pub(crate) meta: Option<Map<String, Value>>,
    /// The verified caller, when the server runs with auth.
    pub(crate) auth: Option<crate::auth::AuthContext>,
}

/// A JSON-RPC request id: MCP allows strings and integers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RequestId {
    Number(i64),
    Other(Value),
}

impl RequestId {
    /// From the raw JSON text of a valid id.
    pub(crate) fn from_raw(raw: &str) -> Self {
        match raw.parse::<i64>() {
            Ok(n) => Self::Number(n),
            Err(_) => Self::Other(serde_json::from_str(raw).unwrap_or(Value::Null)),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Self::Number(n) => Value::from(*n),
            Self::Other(v) => v.clone(),
        }
    }
}

impl Serialize for RequestId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => serializer.serialize_i64(*n),
            Self::Other(v) => v.serialize(serializer),
        }
    }
}

impl ToolContext {
    pub(crate) fn new(
        request: RequestParts,
        state: Arc<StateMap>,
        reporter: Reporter,
        client: Arc<crate::client::ClientLink>,
    ) -> Self {
        Self {
            request,
            state,
            reporter,
            client,
            audit_enabled: false,
            audit: std::sync::OnceLock::new(),
        }
    }

    /// Give `Audit` parameters somewhere to write (the server audits this call).
    pub(crate) fn audited(mut self) -> Self {
        self.audit_enabled = true;
        self
    }
}

/// A value that can be injected into a `#[ctx]` parameter of a tool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be injected as a #[ctx] parameter",
    label = "not a context type",
    note = "#[ctx] parameters take RequestMeta, State<T>, Reporter or another type implementing FromToolContext; drop #[ctx] if the caller should supply this value"
)]
pub trait FromToolContext: Sized + Send + 'static {
    /// Extract the value for one call.
    fn from_context(ctx: &ToolContext) -> Result<Self, ContextError>;

    /// Something the server must have registered, checked once at `build()`.
    fn requirement() -> Option<Requirement> {
        None
    }
}

/// A context parameter could not be provided.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContextError {
    /// No state of this type was registered on the builder.
    #[error("no shared state of type `{type_name}` was registered on the server builder")]
    MissingState {
        /// The missing type.
        type_name: &'static str,
    },
    /// The tool takes an `AuthContext` but the server runs without auth.
    #[error("this server runs without auth, so there is no AuthContext; take Option<AuthContext>")]
    NoAuth,
}

/// Type-keyed shared state registered on the builder.
#[derive(Default)]
pub(crate) struct StateMap {
    values: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
}

impl fmt::Debug for StateMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StateMap")
            .field("len", &self.values.len())
            .finish()
    }
}

impl StateMap {
    pub(crate) fn insert<T: Send + Sync + 'static>(&mut self, value: Arc<T>) {
        self.values.insert(TypeId::of::<T>(), value);
    }

    pub(crate) fn contains(&self, id: TypeId) -> bool {
        self.values.contains_key(&id)
    }

    fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.values
            .get(&TypeId::of::<T>())
            .cloned()
            .and_then(|v| v.downcast::<T>().ok())
    }
}

/// Shared state of type `T`, registered with [`crate::McpServerBuilder::state`].
///
/// `build()` fails if a tool asks for a `State<T>` that was never registered.
#[derive(Debug)]
pub struct State<T: ?Sized>(pub Arc<T>);

impl<T: ?Sized> Clone for State<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T: ?Sized> Deref for State<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Send + Sync + 'static> FromToolContext for State<T> {
    fn from_context(ctx: &ToolContext) -> Result<Self, ContextError> {
        ctx.state
            .get::<T>()
            .map(State)
            .ok_or(ContextError::MissingState {
                type_name: std::any::type_name::<T>(),
            })
    }

    fn requirement() -> Option<Requirement> {
        Some(Requirement::state::<T>())
    }
}

/// Facts about the request that invoked the tool.
#[derive(Debug, Clone)]
pub struct RequestMeta(Arc<RequestMetaInner>);

#[derive(Debug)]
struct RequestMetaInner {
    protocol_version: ProtocolVersion,
    request_id: Value,
    tool: &'static str,
    meta: Option<Map<String, Value>>,
}

impl RequestMeta {
    fn new(
        protocol_version: ProtocolVersion,
        request_id: Value,
        tool: &'static str,
        meta: Option<Map<String, Value>>,
    ) -> Self {
        Self(Arc::new(RequestMetaInner {
            protocol_version,
            request_id,
            tool,
            meta,
        }))
    }

    /// The protocol revision this request speaks.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.0.protocol_version
    }

    /// The JSON-RPC id of the request (string or integer).
    pub fn request_id(&self) -> &Value {
        &self.0.request_id
    }

    /// The name of the tool being called.
    pub fn tool_name(&self) -> &'static str {
        self.0.tool
    }

    /// The request's `params._meta` object, if it had one.
    pub fn meta(&self) -> Option<&Map<String, Value>> {
        self.0.meta.as_ref()
    }

    /// The client's `clientInfo` (2026-07-28 sends it in `_meta` on every request).
    pub fn client_info(&self) -> Option<&Value> {
        self.meta()
            .and_then(|m| m.get("io.modelcontextprotocol/clientInfo"))
    }
}

impl FromToolContext for RequestMeta {
    fn from_context(ctx: &ToolContext) -> Result<Self, ContextError> {
        let r = &ctx.request;
        Ok(Self::new(
            r.protocol_version,
            r.request_id.to_value(),
            r.tool,
            r.meta.clone(),
        ))
    }
}

/// Log levels of MCP `notifications/message` (RFC 5424 severities, least severe first).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs, reason = "the names are the RFC 5424 severities")]
pub enum LogLevel {
    Debug,
    Info,
    Notice,
    Warning,
    Error,
    Critical,
    Alert,
    Emergency,
}

impl LogLevel {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Debug => "debug",
            Self::Info => "info",
            Self::Notice => "notice",
            Self::Warning => "warning",
            Self::Error => "error",
            Self::Critical => "critical",
            Self::Alert => "alert",
            Self::Emergency => "emergency",
        }
    }

    /// Parse a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "debug" => Self::Debug,
            "info" => Self::Info,
            "notice" => Self::Notice,
            "warning" => Self::Warning,
            "error" => Self::Error,
            "critical" => Self::Critical,
            "alert" => Self::Alert,
            "emergency" => Self::Emergency,
            _ => return None,
        })
    }
}

/// A serialized JSON-RPC notification on its way to the caller's response stream.
#[derive(Debug)]
pub(crate) struct Notification(pub(crate) String);

/// Sends progress and log notifications for the current call.
///
/// When the caller asked for neither (no `progressToken`, logging off for this request) every
/// method is a cheap no-op, so tools can report unconditionally. The first notification a
/// call sends switches its HTTP response to `text/event-stream`.
#[derive(Debug, Clone, Default)]
pub struct Reporter {
    sink: Option<Arc<Sink>>,
}

#[derive(Debug)]
struct Sink {
    tx: mpsc::Sender<Notification>,
    progress_token: Option<Value>,
    min_level: Option<LogLevel>,
    logger: &'static str,
}

impl Reporter {
    pub(crate) fn new(
        tx: mpsc::Sender<Notification>,
        progress_token: Option<Value>,
        min_level: Option<LogLevel>,
        logger: &'static str,
    ) -> Self {
        if progress_token.is_none() && min_level.is_none() {
            return Self::default();
        }
        Self {
            sink: Some(Arc::new(Sink {
                tx,
                progress_token,
                min_level,
                logger,
            })),
        }
    }

    /// True when the caller sent a progress token.
    pub fn wants_progress(&self) -> bool {
        self.sink
            .as_ref()
            .is_some_and(|s| s.progress_token.is_some())
    }

    /// True when a log message at `level` would reach the caller.
    pub fn log_enabled(&self, level: LogLevel) -> bool {
        self.sink
            .as_ref()
            .and_then(|s| s.min_level)
            .is_some_and(|min| level >= min)
    }

    /// Report progress (`progress` should increase on every call; `total` if known).
    pub async fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        let Some(sink) = &self.sink else { return };
        let Some(token) = &sink.progress_token else {
            return;
        };
        #[derive(Serialize)]
        struct Params<'a> {
            #[serde(rename = "progressToken")]
            progress_token: &'a Value,
            progress: f64,
            #[serde(skip_serializing_if = "Option::is_none")]
            total: Option<f64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            message: Option<&'a str>,
        }
        sink.send(
            "notifications/progress",
            &Params {
                progress_token: token,
                progress,
                total,
                message,
            },
        )
        .await;
    }

    /// Send a log message (any JSON value) at `level`, if the caller's level lets it through.
    pub async fn log(&self, level: LogLevel, data: impl Serialize) {
        let Some(sink) = &self.sink else { return };
        if sink.min_level.is_none_or(|min| level < min) {
            return;
        }
        #[derive(Serialize)]
        struct Params<'a, D> {
            level: LogLevel,
            logger: &'a str,
            data: D,
        }
        sink.send(
            "notifications/message",
            &Params {
                level,
                logger: sink.logger,
                data,
            },
        )
        .await;
    }

    /// `log(LogLevel::Debug, message)`.
    pub async fn debug(&self, message: impl Serialize) {
        self.log(LogLevel::Debug, message).await;
    }

    /// `log(LogLevel::Info, message)`.
    pub async fn info(&self, message: impl Serialize) {
        self.log(LogLevel::Info, message).await;
    }

    /// `log(LogLevel::Warning, message)`.
    pub async fn warning(&self, message: impl Serialize) {
        self.log(LogLevel::Warning, message).await;
    }

    /// `log(LogLevel::Error, message)`.
    pub async fn error(&self, message: impl Serialize) {
        self.log(LogLevel::Error, message).await;
    }
}

impl Sink {
    async fn send(&self, method: &str, params: &impl Serialize) {
        #[derive(Serialize)]
        struct Envelope<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: P,
        }
        let Ok(json) = serde_json::to_string(&Envelope {
            jsonrpc: "2.0",
            method,
            params,
        }) else {
            tracing::warn!(target: "mcp_runtime::notify", method, "dropping a notification that did not serialize");
            return;
        };
        // A closed channel means the caller went away; the call is about to be dropped too.
        let _ = self.tx.send(Notification(json)).await;
    }
}

impl FromToolContext for Reporter {
    fn from_context(ctx: &ToolContext) -> Result<Self, ContextError> {
        Ok(ctx.reporter.clone())
    }

    fn requirement() -> Option<Requirement> {
        Some(Requirement::Notifications)
    }
}
