//! `McpServer`: the builder, validation at `build()`, and the pieces shared by every request.

use std::{collections::HashMap, net::SocketAddr, sync::Arc, time::Duration};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::{
    auth::{Auth, GatewayAuth},
    client::PendingReplies,
    context::{LogLevel, StateMap},
    error::{BuildError, Problem},
    gateway::Gateway,
    http::{self, HttpConfig},
    prompt::PromptDef,
    protocol::{meta, state::StateKey, version::ProtocolVersion, wire},
    registry::Registry,
    resource::ResourceDef,
    schema::Profile,
    telemetry::{AuditLog, Hook, Telemetry, TraceContext, metrics::Metrics},
    tool::{Requirement, ToolDef},
};

/// An icon for clients to show (MCP `Icon`, 2025-11-25+).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Icon {
    /// An `https:` or `data:` URI.
    pub src: String,
    /// e.g. `image/png`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// e.g. `["48x48"]` or `["any"]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<String>,
}

/// What the server tells clients about itself (`serverInfo`, `instructions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) website_url: Option<String>,
    pub(crate) icons: Vec<Icon>,
    pub(crate) instructions: Option<String>,
}

impl Default for ServerInfo {
    fn default() -> Self {
        Self {
            name: "mcp-runtime".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            title: None,
            description: None,
            website_url: None,
            icons: Vec::new(),
            instructions: None,
        }
    }
}

/// Protocol-level settings.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) call_timeout: Duration,
    pub(crate) page_size: usize,
    pub(crate) legacy_log_level: Option<LogLevel>,
    pub(crate) list_ttl_ms: u64,
    /// `ttlMs` of `resources/read` results (2026-07-28).
    pub(crate) read_ttl_ms: u64,
    /// How long a 2026-07-28 `requestState` stays valid.
    pub(crate) request_state_ttl: Duration,
    /// How long a `subscriptions/listen` stream stays open before it ends gracefully.
    pub(crate) listen_duration: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            call_timeout: Duration::from_secs(60),
            page_size: 100,
            legacy_log_level: Some(LogLevel::Info),
            list_ttl_ms: 300_000,
            read_ttl_ms: 60_000,
            request_state_ttl: Duration::from_secs(600),
            listen_duration: Duration::from_secs(300),
        }
    }
}

/// State shared by every request of one server.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) info: ServerInfo,
    pub(crate) state: Arc<StateMap>,
    pub(crate) config: Config,
    pub(crate) http: HttpConfig,
    /// Resource-server auth; `None` means no auth work at all.
    pub(crate) auth: Option<Auth>,
    /// `{"io.modelcontextprotocol/serverInfo": …}`, the `_meta` of every 2026-07-28 result.
    pub(crate) modern_meta: Box<RawValue>,
    /// Signs 2026-07-28 `requestState`s; replicas behind one balancer must share it.
    pub(crate) state_key: StateKey,
    /// Handshake-era server→client requests waiting for the client's reply POST.
    pub(crate) pending: Arc<PendingReplies>,
    /// Metrics, audit log, span hook.
    pub(crate) telemetry: Telemetry,
    /// The `/readyz` check, if any.
    pub(crate) readiness: Option<crate::readiness::Readiness>,
}

/// One mounted gateway with its tools.
#[derive(Debug)]
pub(crate) struct GatewayRuntime {
    pub(crate) gateway: Gateway,
    pub(crate) tools: HashMap<&'static str, ServedTool>,
    /// Sorted by name, serialized once per revision family.
    pub(crate) listed: Vec<ListedTool>,
    /// This gateway as a protected resource, when auth is on.
    pub(crate) auth: Option<GatewayAuth>,
    /// Resources and templates on this gateway, sorted by URI.
    pub(crate) resources: Vec<&'static ResourceDef>,
    /// Prompts on this gateway, sorted by name.
    pub(crate) prompts: Vec<&'static PromptDef>,
}

impl GatewayRuntime {
    /// Whether any resource template or prompt exists, i.e. `completion/complete` has
    /// something to complete.
    pub(crate) fn completes(&self) -> bool {
        !self.prompts.is_empty() || self.resources.iter().any(|r| r.template)
    }
}

/// A tool as one gateway serves it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServedTool {
    pub(crate) def: &'static ToolDef,
    /// Whether it takes a `Reporter` or a `Client`: only then does a call get a notification
    /// channel.
    pub(crate) notifies: bool,
    /// Whether it takes a `Client`.
    pub(crate) asks: bool,
    /// Its index among the server's tool metrics.
    pub(crate) metric: usize,
}

/// A tool's `tools/list` entry, serialized once.
#[derive(Debug)]
pub(crate) struct ListedTool {
    pub(crate) name: &'static str,
    /// As 2025-03-26 defines `Tool` (no title, no output schema).
    basic: Box<RawValue>,
    /// As 2025-06-18 and later define it.
    full: Box<RawValue>,
}

impl ListedTool {
    pub(crate) fn json(&self, version: ProtocolVersion) -> &RawValue {
        if version.has_structured_output() {
            &self.full
        } else {
            &self.basic
        }
    }
}

/// Builds an [`McpServer`]: server info, shared state, gateways, limits.
#[derive(Debug, Default)]
pub struct McpServerBuilder {
    info: ServerInfo,
    state: StateMap,
    gateways: Vec<Gateway>,
    config: Config,
    http: HttpConfig,
    tools: Option<Vec<&'static ToolDef>>,
    resources: Option<Vec<&'static ResourceDef>>,
    prompts: Option<Vec<&'static PromptDef>>,
    state_key: Option<Vec<u8>>,
    auth: Option<Auth>,
    schema_profile: Profile,
    /// `{name}` placeholders substituted in served tool descriptions.
    description_vars: Vec<(String, String)>,
    /// Built only to read its schemas (`schemas` subcommands): problems that matter only
    /// when serving (unregistered state, auth not configured) are not reported.
    schemas_only: bool,
    audit_log: AuditLog,
    span_hook: Option<Hook>,
    readiness: Option<crate::readiness::Readiness>,
}

impl McpServerBuilder {
    /// The server's `name` (e.g. the package name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.info.name = name.into();
        self
    }

    /// The server's `version`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.info.version = version.into();
        self
    }

    /// A display title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.info.title = Some(title.into());
        self
    }

    /// A description of the server.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.info.description = Some(description.into());
        self
    }

    /// The server's website.
    pub fn website_url(mut self, url: impl Into<String>) -> Self {
        self.info.website_url = Some(url.into());
        self
    }

    /// Add an icon.
    pub fn icon(mut self, icon: Icon) -> Self {
        self.info.icons.push(icon);
        self
    }

    /// Instructions for the model on how to use this server's tools.
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.info.instructions = Some(instructions.into());
        self
    }

    /// Register shared state, injected into tools through `#[ctx] state: State<T>`.
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.state.insert(Arc::new(value));
        self
    }

    /// Register shared state that is already behind an `Arc`.
    pub fn state_arc<T: Send + Sync + 'static>(mut self, value: Arc<T>) -> Self {
        self.state.insert(value);
        self
    }

    /// Mount a gateway. The `"default"` gateway is mounted at `/mcp` unless a gateway named
    /// `"default"` is given here with another path.
    pub fn gateway(mut self, gateway: Gateway) -> Self {
        self.gateways.push(gateway);
        self
    }

    /// A readiness check for `GET /readyz` (a database ping, say): `Ok` answers 200,
    /// `Err(reason)` 503 with the reason and `Retry-After`. It is given 5 s; a panic or a
    /// timeout counts as not ready. Without one, `/readyz` answers 200 like `/healthz`.
    pub fn readiness<F, Fut>(mut self, check: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
    {
        self.readiness = Some(crate::readiness::Readiness::new(check));
        self
    }

    /// How long a tool call may run before it is cancelled (default 60 s).
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.config.call_timeout = timeout;
        self
    }

    /// How many tools one `tools/list` page holds (default 100).
    pub fn tools_page_size(mut self, size: usize) -> Self {
        self.config.page_size = size.max(1);
        self
    }

    /// The lowest log level sent to handshake-era clients (default `Info`; `None` sends none).
    ///
    /// A stateless server cannot remember a `logging/setLevel` from an earlier request, so
    /// legacy calls are filtered at this level; 2026-07-28 clients set it per request.
    pub fn legacy_log_level(mut self, level: Option<LogLevel>) -> Self {
        self.config.legacy_log_level = level;
        self
    }

    /// `ttlMs` on cacheable 2026-07-28 results (default 5 minutes).
    pub fn list_ttl(mut self, ttl: Duration) -> Self {
        self.config.list_ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// `ttlMs` on 2026-07-28 `resources/read` results (default 1 minute).
    pub fn read_ttl(mut self, ttl: Duration) -> Self {
        self.config.read_ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// The HMAC key that signs 2026-07-28 `requestState`s (multi-round-trip requests; see
    /// [`Client`](crate::Client)). Every replica behind one load balancer must use the same
    /// key, or a round answered by another replica fails its integrity check. Use 32 random
    /// bytes or more; without a key, each process draws a random one (fine for a single
    /// instance). The CLI reads it from `--request-state-key` / `MCP_REQUEST_STATE_KEY`.
    pub fn request_state_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.state_key = Some(key.as_ref().to_vec());
        self
    }

    /// How long a `requestState` stays valid (default 10 minutes).
    pub fn request_state_ttl(mut self, ttl: Duration) -> Self {
        self.config.request_state_ttl = ttl;
        self
    }

    /// How long a 2026-07-28 `subscriptions/listen` stream stays open before the server ends
    /// it gracefully (default 5 minutes; the client listens again).
    pub fn listen_duration(mut self, duration: Duration) -> Self {
        self.config.listen_duration = duration;
        self
    }

    /// HTTP settings: allowed hosts and origins, body limit.
    pub fn http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// Protect every gateway with OAuth 2.1 bearer tokens (see [`crate::auth`]).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// The schema profile every gateway serves unless it sets its own
    /// ([`Gateway::schema_profile`]); default [`Profile::Canonical`].
    pub fn schema_profile(mut self, profile: Profile) -> Self {
        self.schema_profile = profile;
        self
    }

    /// Substitute `value` for every `{name}` in the tool descriptions this server serves, for
    /// facts known only at start-up (today's date, the deployment's base URL, …).
    ///
    /// Exported schemas (`schemas export`, snapshots) keep the placeholder, so a snapshot does
    /// not change with the value:
    ///
    /// ```
    /// # use mcp_runtime::McpServer;
    /// let builder = McpServer::builder().description_var("today", "2026-11-30");
    /// ```
    pub fn description_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.description_vars
            .push((format!("{{{}}}", name.into()), value.into()));
        self
    }

    /// Whether tool calls are written to the audit log (target `mcp_audit`, INFO): by default
    /// ([`AuditLog::Auto`]) when the server runs with auth. See [`Audit`](crate::Audit).
    pub fn audit_log(mut self, audit: AuditLog) -> Self {
        self.audit_log = audit;
        self
    }

    /// Called with the span of every MCP request that carries a W3C trace context in
    /// `params._meta` (`traceparent`, `tracestate`), while the span is new.
    ///
    /// The runtime records the trace context on the span as fields; this hook is where an
    /// OpenTelemetry layer makes it the span's parent, without the runtime depending on
    /// OpenTelemetry:
    ///
    /// ```ignore
    /// use opentelemetry::propagation::TextMapPropagator as _;
    /// use tracing_opentelemetry::OpenTelemetrySpanExt as _;
    ///
    /// let builder = McpServer::builder().on_request_span(|span, trace| {
    ///     let mut carrier = std::collections::HashMap::new();
    ///     carrier.insert("traceparent".to_owned(), trace.traceparent.to_owned());
    ///     if let Some(state) = trace.tracestate {
    ///         carrier.insert("tracestate".to_owned(), state.to_owned());
    ///     }
    ///     let parent = opentelemetry_sdk::propagation::TraceContextPropagator::new().extract(&carrier);
    ///     span.set_parent(parent);
    /// });
    /// ```
    ///
    /// The request spans are DEBUG: enable `mcp_runtime::request=debug` for the layer.
    pub fn on_request_span(
        mut self,
        hook: impl Fn(&tracing::Span, &TraceContext<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.span_hook = Some(Hook(Arc::new(hook)));
        self
    }

    /// Build only to read the schemas: skip checks that matter only when serving.
    pub(crate) fn schemas_only(mut self) -> Self {
        self.schemas_only = true;
        self
    }

    /// Serve exactly these tools instead of every registered one (tests, partial servers).
    #[doc(hidden)]
    pub fn only_tools(mut self, names: &[&str]) -> Self {
        let all: Vec<&'static ToolDef> = inventory::iter::<ToolDef>.into_iter().collect();
        self.tools = Some(
            all.into_iter()
                .filter(|t| names.contains(&t.name))
                .collect(),
        );
        self
    }

    /// Serve exactly these resources (by URI or template) instead of every registered one.
    #[doc(hidden)]
    pub fn only_resources(mut self, uris: &[&str]) -> Self {
        self.resources = Some(
            inventory::iter::<ResourceDef>
                .into_iter()
                .filter(|r| uris.contains(&r.uri))
                .collect(),
        );
        self
    }

    /// Serve exactly these prompts instead of every registered one.
    #[doc(hidden)]
    pub fn only_prompts(mut self, names: &[&str]) -> Self {
        self.prompts = Some(
            inventory::iter::<PromptDef>
                .into_iter()
                .filter(|p| names.contains(&p.name))
                .collect(),
        );
        self
    }

    /// Validate everything and build the server. Every problem is reported, not only the first.
    pub fn build(self) -> Result<McpServer, BuildError> {
        let registry = match self.tools {
            // A partial server serves only the resources and prompts it names too.
            Some(tools) => Registry::from_defs(tools.into_iter()).and_then(|r| {
                r.with_resources_and_prompts(
                    self.resources.unwrap_or_default(),
                    self.prompts.unwrap_or_default(),
                )
            }),
            None => match (self.resources, self.prompts) {
                (None, None) => Registry::collect(),
                (resources, prompts) => Registry::from_defs(std::iter::empty()).and_then(|r| {
                    r.with_resources_and_prompts(
                        resources.unwrap_or_default(),
                        prompts.unwrap_or_default(),
                    )
                }),
            },
        };
        let mut problems = Vec::new();
        let registry = match registry {
            Ok(r) => Some(r),
            Err(p) => {
                problems.extend(p);
                None
            }
        };
        let mut gateways = self.gateways;
        if !gateways.iter().any(|g| g.name == Gateway::DEFAULT) {
            gateways.insert(0, Gateway::new(Gateway::DEFAULT, "/mcp"));
        }
        for (i, g) in gateways.iter().enumerate() {
            if !g.path.starts_with('/') {
                problems.push(Problem::InvalidGatewayPath {
                    path: g.path.clone(),
                });
            }
            let earlier = &gateways[..i];
            if earlier.iter().any(|e| e.name == g.name) {
                problems.push(Problem::DuplicateGateway {
                    what: "name",
                    value: g.name.clone(),
                });
            }
            if earlier.iter().any(|e| e.path == g.path) {
                problems.push(Problem::DuplicateGateway {
                    what: "path",
                    value: g.path.clone(),
                });
            }
        }
        if let Some(registry) = &registry {
            for tool in registry.tools() {
                check_tool(tool, &self.state, &gateways, &mut problems);
                if self.auth.is_none() && tool.requirements().contains(&Requirement::Auth) {
                    problems.push(Problem::AuthRequired {
                        tool: tool.name,
                        location: tool.location,
                    });
                }
            }
            for r in registry.resources() {
                let item = Item {
                    what: "resource",
                    name: r.uri,
                    gateways: r.gateways,
                    location: r.location,
                };
                check_item(
                    &item,
                    &r.requirements(),
                    &self.state,
                    self.auth.is_some(),
                    &gateways,
                    &mut problems,
                );
            }
            for p in registry.prompts() {
                let item = Item {
                    what: "prompt",
                    name: p.name,
                    gateways: p.gateways,
                    location: p.location,
                };
                check_item(
                    &item,
                    &p.requirements(),
                    &self.state,
                    self.auth.is_some(),
                    &gateways,
                    &mut problems,
                );
            }
        }
        if let Some(auth) = &self.auth {
            if auth.authorization_servers.is_empty() {
                problems.push(Problem::AuthConfig(
                    "name at least one authorization server (Auth::authorization_server)".into(),
                ));
            }
            for (name, _) in &auth.gateway_scopes {
                if !gateways.iter().any(|g| &g.name == name) {
                    problems.push(Problem::AuthConfig(format!(
                        "base scopes are set for gateway `{name}`, which is not mounted"
                    )));
                }
            }
        }
        for g in &mut gateways {
            g.profile.get_or_insert(self.schema_profile);
        }
        if let Some(registry) = &registry {
            crate::schema::check_profiles(registry, &gateways, &mut problems);
        }
        if self.schemas_only {
            problems.retain(|p| {
                !matches!(
                    p,
                    Problem::MissingState { .. }
                        | Problem::AuthRequired { .. }
                        | Problem::ItemRequirement { .. }
                )
            });
        }
        let Some(registry) = registry.filter(|_| problems.is_empty()) else {
            return Err(BuildError::new(problems));
        };
        let tool_names: Vec<&'static str> = registry.tools().iter().map(|t| t.name).collect();
        let gateways = gateways
            .into_iter()
            .map(|g| {
                Arc::new(gateway_runtime(
                    g,
                    &registry,
                    self.auth.as_ref(),
                    &self.description_vars,
                    &tool_names,
                ))
            })
            .collect();
        let telemetry = Telemetry {
            metrics: Metrics::new(&self.info.name, &self.info.version, &tool_names),
            audit: self.audit_log.enabled(self.auth.is_some()),
            span_hook: self.span_hook,
        };
        let modern_meta = serde_json::value::to_raw_value(&serde_json::json!({
            meta::SERVER_INFO: wire::server_info(&self.info, ProtocolVersion::V2026_07_28),
        }))
        .map_err(|_| BuildError::new(Vec::new()))?;
        let state_key = match self.state_key {
            Some(key) => StateKey::new(key),
            None => {
                let asks = registry
                    .tools()
                    .iter()
                    .any(|t| t.requirements().contains(&Requirement::ClientRequests))
                    || registry
                        .prompts()
                        .iter()
                        .any(|p| p.requirements().contains(&Requirement::ClientRequests))
                    || registry
                        .resources()
                        .iter()
                        .any(|r| r.requirements().contains(&Requirement::ClientRequests));
                if asks && !self.schemas_only {
                    tracing::info!(
                        target: "mcp_runtime::server",
                        "no request-state key configured: using a random one; replicas behind a load balancer must share one (--request-state-key / MCP_REQUEST_STATE_KEY)"
                    );
                }
                StateKey::random()
            }
        };
        let shared = Arc::new(Shared {
            info: self.info,
            state: Arc::new(self.state),
            config: self.config,
            http: self.http,
            auth: self.auth,
            modern_meta,
            state_key,
            pending: Arc::new(PendingReplies::new(reply_id_prefix())),
            telemetry,
            readiness: self.readiness,
        });
        Ok(McpServer {
            shared,
            gateways,
            registry,
        })
    }
}

fn check_tool(tool: &ToolDef, state: &StateMap, gateways: &[Gateway], problems: &mut Vec<Problem>) {
    let location = tool.location;
    if !is_object_schema(&(tool.input_schema)()) {
        problems.push(Problem::SchemaNotObject {
            tool: tool.name,
            which: "input",
            location,
        });
    }
    if let Some(output) = (tool.output_schema)()
        && !is_object_schema(&output)
    {
        problems.push(Problem::SchemaNotObject {
            tool: tool.name,
            which: "output",
            location,
        });
    }
    for requirement in tool.requirements() {
        if let Requirement::State { type_id, type_name } = requirement
            && !state.contains(type_id)
        {
            problems.push(Problem::MissingState {
                tool: tool.name,
                type_name,
                location,
            });
        }
    }
    if !gateways.iter().any(|g| g.serves(tool.gateways)) {
        problems.push(Problem::ToolOnNoGateway {
            tool: tool.name,
            tagged: tool.gateways.to_vec(),
            mounted: gateways.iter().map(|g| g.name.clone()).collect(),
            location,
        });
    }
}

/// A resource or prompt, for the checks tools also get.
struct Item {
    what: &'static str,
    name: &'static str,
    gateways: &'static [&'static str],
    location: crate::tool::Location,
}

fn check_item(
    item: &Item,
    requirements: &[Requirement],
    state: &StateMap,
    has_auth: bool,
    gateways: &[Gateway],
    problems: &mut Vec<Problem>,
) {
    let problem = |needs: String| Problem::ItemRequirement {
        what: item.what,
        name: item.name,
        needs,
        location: item.location,
    };
    for requirement in requirements {
        match requirement {
            Requirement::State { type_id, type_name } if !state.contains(*type_id) => problems.push(
                problem(format!("shared state of type `{type_name}`: register it with McpServerBuilder::state")),
            ),
            Requirement::Auth if !has_auth => problems.push(problem(
                "an AuthContext, but the server is built without auth: configure McpServerBuilder::auth, or take Option<AuthContext>".into(),
            )),
            _ => {}
        }
    }
    if !gateways.iter().any(|g| g.serves(item.gateways)) {
        problems.push(Problem::ItemOnNoGateway {
            what: item.what,
            name: item.name,
            tagged: item.gateways.to_vec(),
            location: item.location,
        });
    }
}

/// A random prefix for this process's server→client request ids.
fn reply_id_prefix() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("srv-{hex}")
}

fn is_object_schema(schema: &schemars::Schema) -> bool {
    schema.get("type").and_then(|t| t.as_str()) == Some("object")
}

fn gateway_runtime(
    gateway: Gateway,
    registry: &Registry,
    auth: Option<&Auth>,
    description_vars: &[(String, String)],
    tool_names: &[&'static str],
) -> GatewayRuntime {
    let tools: Vec<&'static ToolDef> = registry
        .tools()
        .iter()
        .copied()
        .filter(|t| gateway.serves(t.gateways))
        .collect();
    let profile = gateway.profile.unwrap_or_default();
    let raw = |mut v: serde_json::Value| {
        substitute_description(&mut v, description_vars);
        serde_json::value::to_raw_value(&v).unwrap_or_else(|_| empty_object())
    };
    let listed = tools
        .iter()
        .map(|t| ListedTool {
            name: t.name,
            basic: raw(profile.served_entry(wire::tool(t, ProtocolVersion::V2025_03_26))),
            full: raw(profile.served_entry(wire::tool(t, ProtocolVersion::V2025_11_25))),
        })
        .collect();
    let served = tools
        .iter()
        .map(|t| {
            let requirements = t.requirements();
            let asks = requirements.contains(&Requirement::ClientRequests);
            let notifies = asks || requirements.contains(&Requirement::Notifications);
            (
                t.name,
                ServedTool {
                    def: t,
                    notifies,
                    asks,
                    metric: tool_names
                        .iter()
                        .position(|n| *n == t.name)
                        .unwrap_or(usize::MAX),
                },
            )
        })
        .collect();
    let auth = auth.map(|auth| {
        let scopes: Vec<&str> = tools
            .iter()
            .flat_map(|t| t.scopes.iter().copied())
            .chain(
                registry
                    .resources()
                    .iter()
                    .filter(|r| gateway.serves(r.gateways))
                    .flat_map(|r| r.scopes.iter().copied()),
            )
            .chain(
                registry
                    .prompts()
                    .iter()
                    .filter(|p| gateway.serves(p.gateways))
                    .flat_map(|p| p.scopes.iter().copied()),
            )
            .collect();
        GatewayAuth::new(auth, &gateway.name, &gateway.path, &scopes)
    });
    let resources = registry
        .resources()
        .iter()
        .copied()
        .filter(|r| gateway.serves(r.gateways))
        .collect();
    let prompts = registry
        .prompts()
        .iter()
        .copied()
        .filter(|p| gateway.serves(p.gateways))
        .collect();
    GatewayRuntime {
        gateway,
        tools: served,
        listed,
        auth,
        resources,
        prompts,
    }
}

fn substitute_description(entry: &mut serde_json::Value, vars: &[(String, String)]) {
    if let Some(serde_json::Value::String(description)) = entry.get_mut("description") {
        for (placeholder, value) in vars {
            if description.contains(placeholder.as_str()) {
                *description = description.replace(placeholder.as_str(), value);
            }
        }
    }
}

fn empty_object() -> Box<RawValue> {
    // A `Value` always serializes; this is only the type-level fallback.
    serde_json::value::to_raw_value(&serde_json::Map::new()).unwrap_or_default()
}

/// A built MCP server: turn it into an axum [`Router`](axum::Router) or serve it directly.
#[derive(Debug, Clone)]
pub struct McpServer {
    pub(crate) shared: Arc<Shared>,
    pub(crate) gateways: Vec<Arc<GatewayRuntime>>,
    registry: Registry,
}

impl McpServer {
    /// Start building a server from every registered tool.
    pub fn builder() -> McpServerBuilder {
        McpServerBuilder::default()
    }

    /// The validated tool registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The mounted gateways.
    pub fn gateways(&self) -> Vec<Gateway> {
        self.gateways.iter().map(|g| g.gateway.clone()).collect()
    }

    /// Names of the tools a gateway serves, sorted; `None` for an unknown gateway.
    pub fn tool_names(&self, gateway: &str) -> Option<Vec<&'static str>> {
        self.gateways
            .iter()
            .find(|g| g.gateway.name == gateway)
            .map(|g| g.listed.iter().map(|t| t.name).collect())
    }

    /// URIs (and templates) of the resources a gateway serves, sorted.
    pub fn resource_uris(&self, gateway: &str) -> Option<Vec<&'static str>> {
        self.gateways
            .iter()
            .find(|g| g.gateway.name == gateway)
            .map(|g| g.resources.iter().map(|r| r.uri).collect())
    }

    /// Names of the prompts a gateway serves, sorted.
    pub fn prompt_names(&self, gateway: &str) -> Option<Vec<&'static str>> {
        self.gateways
            .iter()
            .find(|g| g.gateway.name == gateway)
            .map(|g| g.prompts.iter().map(|p| p.name).collect())
    }

    /// An axum router serving every gateway at its path, plus `GET /healthz` and `GET /readyz`
    /// (see [`McpServerBuilder::readiness`]).
    ///
    /// Nest or merge it into an existing application; the routes are absolute paths. The
    /// body limit and body read timeout of [`HttpConfig`] apply per request; its connection
    /// limit, header timeout and shutdown drain belong to [`McpServer::serve`]'s accept loop,
    /// so an embedding server must bound connections itself.
    pub fn router(&self) -> axum::Router {
        http::router(self)
    }

    /// `GET /metrics`: this server's Prometheus metrics (text exposition format).
    ///
    /// Not part of [`router`](Self::router): metrics name tools, tenants' traffic and error
    /// rates, so they belong on an address only the scraper reaches. Serve this router on a
    /// loopback or internal address (the CLI's `--metrics-listen`), or merge it into the
    /// public one behind your own access control.
    pub fn metrics_router(&self) -> axum::Router {
        http::metrics_router(self)
    }

    /// The Prometheus text exposition of this server's metrics, as `GET /metrics` serves it.
    pub fn metrics_text(&self) -> String {
        self.shared.telemetry.metrics.encode()
    }

    /// Bind `addr` and serve until Ctrl-C or SIGTERM, then finish in-flight requests.
    pub async fn serve(&self, addr: SocketAddr) -> std::io::Result<()> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        self.serve_listener(listener, http::shutdown_signal()).await
    }

    /// Serve on an already bound listener until `shutdown` completes.
    pub async fn serve_listener(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        http::serve(self, listener, shutdown).await
    }
}
