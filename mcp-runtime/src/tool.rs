//! The descriptor every `#[mcp_tool]` registers, and the function types it points at.

use std::{future::Future, pin::Pin};

use schemars::Schema;
use serde_json::value::RawValue;

use crate::{context::ToolContext, result::CallToolResult};

/// The future a tool call runs: the user's function plus the conversion of its return value.
pub type CallFuture = Pin<Box<dyn Future<Output = CallToolResult> + Send + 'static>>;

/// Generated glue: parse the arguments, extract context parameters, and start the call.
///
/// An `Err` is a finished result (argument or context failure, `isError: true`): the user's
/// function never ran.
pub type CallFn = fn(Option<&RawValue>, &ToolContext) -> Result<CallFuture, CallToolResult>;

/// Something a tool's context parameters need from the server, checked or prepared once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Requirement {
    /// Shared state of this type must be registered on the builder (`State<T>`); `build()`
    /// fails otherwise.
    State {
        /// `TypeId` of the state type.
        type_id: std::any::TypeId,
        /// Its name, for the error message at `build()`.
        type_name: &'static str,
    },
    /// The tool may send progress or log notifications (`Reporter`); only such tools get a
    /// notification channel per call.
    Notifications,
    /// The tool takes an `AuthContext`: the server must be built with auth.
    Auth,
    /// The tool asks the client for input (`Client`): in the handshake era its calls get an
    /// event stream to carry the requests.
    ClientRequests,
}

impl Requirement {
    /// The requirement for state of type `T`.
    pub fn state<T: 'static>() -> Self {
        Self::State {
            type_id: std::any::TypeId::of::<T>(),
            type_name: std::any::type_name::<T>(),
        }
    }
}

/// Where a tool was declared, so a duplicate name can point at both places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Source file, as `file!()` prints it.
    pub file: &'static str,
    /// 1-based line of the function's name.
    pub line: u32,
    /// 1-based column of the function's name.
    pub column: u32,
    /// `module_path!()` of the declaring module (its first segment is the crate).
    pub module_path: &'static str,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{} (in `{}`)",
            self.file, self.line, self.column, self.module_path
        )
    }
}

/// Behaviour hints for clients (MCP `ToolAnnotations`). `None` leaves the spec default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ToolAnnotations {
    /// `readOnlyHint` (spec default `false`).
    pub read_only: Option<bool>,
    /// `destructiveHint` (spec default `true`; meaningful only when not read-only).
    pub destructive: Option<bool>,
    /// `idempotentHint` (spec default `false`).
    pub idempotent: Option<bool>,
    /// `openWorldHint` (spec default `true`).
    pub open_world: Option<bool>,
}

impl ToolAnnotations {
    /// No hints.
    pub const NONE: Self = Self {
        read_only: None,
        destructive: None,
        idempotent: None,
        open_world: None,
    };

    /// True when no hint is set, so the `annotations` key can be left out.
    pub const fn is_empty(&self) -> bool {
        self.read_only.is_none()
            && self.destructive.is_none()
            && self.idempotent.is_none()
            && self.open_world.is_none()
    }
}

/// Everything the runtime knows about one tool. Built in a `const` by `#[mcp_tool]` and
/// submitted to [`inventory`]; read it through [`crate::Registry`].
#[derive(Debug)]
pub struct ToolDef {
    pub(crate) name: &'static str,
    pub(crate) title: Option<&'static str>,
    pub(crate) description: &'static str,
    pub(crate) annotations: ToolAnnotations,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) gateways: &'static [&'static str],
    pub(crate) client_capabilities: &'static [&'static str],
    pub(crate) input_schema: fn() -> Schema,
    pub(crate) output_schema: fn() -> Option<Schema>,
    pub(crate) call: CallFn,
    pub(crate) requirements: fn(&mut Vec<Requirement>),
    pub(crate) location: Location,
}

impl ToolDef {
    /// A descriptor with no title, hints, scopes or requirements, on the default gateway.
    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        description: &'static str,
        input_schema: fn() -> Schema,
        output_schema: fn() -> Option<Schema>,
        call: CallFn,
        location: Location,
    ) -> Self {
        Self {
            name,
            title: None,
            description,
            annotations: ToolAnnotations::NONE,
            scopes: &[],
            gateways: &[],
            client_capabilities: &[],
            input_schema,
            output_schema,
            call,
            requirements: crate::def::no_requirements,
            location,
        }
    }

    #[doc(hidden)]
    pub const fn with_annotations(mut self, annotations: ToolAnnotations) -> Self {
        self.annotations = annotations;
        self
    }

    #[doc(hidden)]
    pub const fn with_client_capabilities(mut self, capabilities: &'static [&'static str]) -> Self {
        self.client_capabilities = capabilities;
        self
    }

    /// The tool's name as clients see it.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Display title, if set.
    pub const fn title(&self) -> Option<&'static str> {
        self.title
    }

    /// The description (from the doc comment or `description = "…"`).
    pub const fn description(&self) -> &'static str {
        self.description
    }

    /// Behaviour hints.
    pub const fn annotations(&self) -> ToolAnnotations {
        self.annotations
    }

    /// Client capabilities (e.g. `sampling`) the tool needs; a 2026-07-28 caller that did not
    /// declare them gets error -32021 before the tool runs.
    pub const fn client_capabilities(&self) -> &'static [&'static str] {
        self.client_capabilities
    }
}

shared_def_methods!(ToolDef, "OAuth scopes a caller needs to call this tool.");

inventory::collect!(ToolDef);
