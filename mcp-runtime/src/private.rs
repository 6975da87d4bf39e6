//! The only paths `#[mcp_tool]` output names. Not public API: anything here may change in any
//! release, in lockstep with the macro.

pub use ::inventory;
pub use ::schemars;
pub use ::serde;
pub use ::serde_json;

pub use crate::completion::{CompleteFn, Completion, CompletionRequest};
pub use crate::context::{FromToolContext, ToolContext};
pub use crate::output::{
    IntoToolResult, OutputAdapter, Returns, ViaIntoToolResult, ViaStructured, ViaStructuredResult,
};
pub use crate::prompt::{
    GetFn, GetPromptResult, IntoPromptResult, PromptArg, PromptArgument, PromptArguments,
    PromptDef, PromptError, PromptFuture,
};
pub use crate::resource::{
    IntoResourceContents, ReadFn, ReadFuture, ResourceDef, ResourceError, ResourceRequest,
};
pub use crate::result::CallToolResult;
pub use crate::tool::{CallFn, CallFuture, Location, Requirement, ToolAnnotations, ToolDef};

use schemars::{JsonSchema, Schema};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A type usable as a tool parameter (or as the whole input with `#[args]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a tool parameter",
    label = "must implement serde::Deserialize and schemars::JsonSchema",
    note = "tool arguments come from JSON: derive Deserialize and JsonSchema for `{Self}`, or mark the parameter #[ctx] if the runtime should supply it"
)]
pub trait ToolParam: DeserializeOwned + JsonSchema + Send + 'static {}
impl<T: DeserializeOwned + JsonSchema + Send + 'static> ToolParam for T {}

/// Compile-time check that a parameter type is usable; generated code calls it spanned at the
/// user's type so the error points there.
pub const fn assert_param<T: ToolParam>() {}

/// Compile-time check for `#[ctx]` parameters.
pub const fn assert_context<T: FromToolContext>() {}

/// Types whose JSON Schema is never `type: "object"`: `#[args]` on one of them is a compile
/// error. The list is closed on purpose: a schema is computed at run time by
/// `JsonSchema::json_schema`, so for every other type (user structs, enums, custom impls)
/// only `build()` can tell, and does (`Problem::SchemaNotObject`).
pub trait NotAnObject {}

macro_rules! not_an_object {
    ($($ty:ty),* $(,)?) => { $(impl NotAnObject for $ty {})* };
}

not_an_object!(
    bool,
    char,
    str,
    String,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    (),
    serde_json::Value,
    std::path::PathBuf,
    std::net::IpAddr,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
    std::net::SocketAddr,
);
impl<T> NotAnObject for Option<T> {}
impl<T> NotAnObject for Vec<T> {}
impl<T> NotAnObject for [T] {}
impl<T, const N: usize> NotAnObject for [T; N] {}
impl<T> NotAnObject for std::collections::VecDeque<T> {}
impl<T, S> NotAnObject for std::collections::HashSet<T, S> {}
impl<T> NotAnObject for std::collections::BTreeSet<T> {}
impl<T: NotAnObject + ?Sized> NotAnObject for Box<T> {}
impl<T: NotAnObject + ?Sized> NotAnObject for std::sync::Arc<T> {}
impl<A> NotAnObject for (A,) {}
impl<A, B> NotAnObject for (A, B) {}
impl<A, B, C> NotAnObject for (A, B, C) {}
impl<A, B, C, D> NotAnObject for (A, B, C, D) {}

/// Autoref probe for the `#[args]` shape check.
#[derive(Debug)]
pub struct ArgsProbe<T: ?Sized>(std::marker::PhantomData<T>);

impl<T: ?Sized> ArgsProbe<T> {
    /// The probe.
    #[allow(
        clippy::new_without_default,
        reason = "generated code calls `new` in one place"
    )]
    pub const fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

/// What the probe found: `T` is never an object.
#[derive(Debug)]
pub struct ArgsTypeIsNotAnObject<T: ?Sized>(std::marker::PhantomData<T>);

/// What the probe found: `T` may be an object; `build()` decides.
#[derive(Debug)]
pub struct ArgsShapeUnknown;

/// Picked by method resolution first, when `T: NotAnObject`.
pub trait ArgsKnownNotObject<T: ?Sized> {
    /// The finding.
    fn __mcp_args_shape(&self) -> ArgsTypeIsNotAnObject<T>;
}

impl<T: NotAnObject + ?Sized> ArgsKnownNotObject<T> for ArgsProbe<T> {
    fn __mcp_args_shape(&self) -> ArgsTypeIsNotAnObject<T> {
        ArgsTypeIsNotAnObject(std::marker::PhantomData)
    }
}

/// The fallback (one more auto-ref away).
pub trait ArgsMaybeObject {
    /// The finding.
    fn __mcp_args_shape(&self) -> ArgsShapeUnknown;
}

impl<T: ?Sized> ArgsMaybeObject for &ArgsProbe<T> {
    fn __mcp_args_shape(&self) -> ArgsShapeUnknown {
        ArgsShapeUnknown
    }
}

/// Satisfied unless the probe proved the `#[args]` type is not an object.
#[diagnostic::on_unimplemented(
    message = "`#[args]` takes the whole input, which must be a JSON object: found `{Self}`",
    label = "its JSON Schema is not `type: \"object\"`",
    note = "use a struct with named fields (derive Deserialize and JsonSchema), or drop #[args] to make this parameter one named argument"
)]
pub trait ObjectArgs {}
impl ObjectArgs for ArgsShapeUnknown {}

/// Compile-time check emitted for an `#[args]` parameter.
pub fn assert_object_args<S: ObjectArgs>(_: S) {}

/// Deserialize the call's `arguments` (absent means `{}`) into the generated argument struct.
///
/// A failure becomes an error result naming the offending argument, so the model can fix
/// its call (2025-11-25 reports argument errors as tool results, not protocol errors).
pub fn parse_args<T: DeserializeOwned>(
    tool: &str,
    raw: Option<&RawValue>,
) -> Result<T, CallToolResult> {
    let text = raw.map_or("{}", RawValue::get);
    serde_json::from_str(text).map_err(|_| invalid_arguments::<T>(tool, text))
}

/// Deserialize again, tracking the path, only to explain a failure (the fast path above pays
/// nothing for it).
#[cold]
fn invalid_arguments<T: DeserializeOwned>(tool: &str, text: &str) -> CallToolResult {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let detail = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => "they do not match the schema".to_owned(),
        Err(e) => {
            let message = without_position(&e.inner().to_string());
            match e.path().to_string().as_str() {
                "." => message,
                path => format!("`{path}`: {message}"),
            }
        }
    };
    let detail = crate::protocol::jsonrpc::clip(&detail);
    CallToolResult::error(format!(
        "Invalid arguments for tool `{tool}`: {detail}. Check the tool's inputSchema and call it again."
    ))
}

/// serde_json appends " at line L column C", which means nothing to a model.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_owned(),
        _ => message.to_owned(),
    }
}

/// Extract one `#[ctx]` parameter.
pub fn context_param<T: FromToolContext>(ctx: &ToolContext) -> Result<T, CallToolResult> {
    T::from_context(ctx).map_err(|e| CallToolResult::error(format!("Server error: {e}")))
}

/// Record a `#[ctx]` parameter's requirement (if any) for `build()` to check.
pub fn push_requirement<T: FromToolContext>(out: &mut Vec<Requirement>) {
    out.extend(T::requirement());
}

/// The `inputSchema` of an argument type.
pub fn input_schema<T: JsonSchema>() -> Schema {
    crate::schema::root_schema_for::<T>()
}

/// Box a tool's future (async tools).
pub fn boxed<F>(future: F) -> CallFuture
where
    F: std::future::Future<Output = CallToolResult> + Send + 'static,
{
    Box::pin(future)
}

/// A finished result as a future (sync tools run inline, before the future is built).
pub fn ready(result: CallToolResult) -> CallFuture {
    Box::pin(std::future::ready(result))
}

/// Extract one `#[ctx]` parameter of a prompt or resource.
pub fn context_value<T: FromToolContext, E: From<crate::context::ContextError>>(
    ctx: &ToolContext,
) -> Result<T, E> {
    T::from_context(ctx).map_err(E::from)
}

/// The error for a missing required prompt argument (the runtime refuses such requests
/// before the glue runs; this only keeps the glue total).
pub fn missing_argument(name: &str) -> PromptError {
    PromptError::MissingArgument(name.to_owned())
}

/// A type a URI-template variable can be parsed into.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a URI-template variable",
    label = "must implement FromStr",
    note = "template variables are strings from the URI: use String or a type implementing FromStr (e.g. u64), or mark the parameter #[ctx]"
)]
pub trait UriVar: std::str::FromStr + Send + 'static {}
impl<T: std::str::FromStr + Send + 'static> UriVar for T {}

/// Compile-time check for a template-variable parameter.
pub const fn assert_uri_var<T: UriVar>() {}

/// One template variable of a resource read, parsed.
pub fn uri_var<T: UriVar>(request: &ResourceRequest, name: &str) -> Result<T, ResourceError> {
    let text = request
        .var(name)
        .ok_or_else(|| ResourceError::InvalidUri(format!("`{name}` is missing")))?;
    text.parse()
        .map_err(|_| ResourceError::InvalidUri(format!("`{name}` cannot be `{text}`")))
}

/// Box a resource read's future (async resources).
pub fn boxed_read<F>(future: F) -> ReadFuture
where
    F: std::future::Future<Output = Result<Vec<crate::result::ResourceContents>, ResourceError>>
        + Send
        + 'static,
{
    Box::pin(future)
}

/// A finished read as a future (sync resources run inline).
pub fn ready_read(
    result: Result<Vec<crate::result::ResourceContents>, ResourceError>,
) -> ReadFuture {
    Box::pin(std::future::ready(result))
}

/// Box a prompt's future (async prompts).
pub fn boxed_prompt<F>(future: F) -> PromptFuture
where
    F: std::future::Future<Output = Result<GetPromptResult, PromptError>> + Send + 'static,
{
    Box::pin(future)
}

/// A finished prompt as a future (sync prompts run inline).
pub fn ready_prompt(result: Result<GetPromptResult, PromptError>) -> PromptFuture {
    Box::pin(std::future::ready(result))
}

/// Compile-time check that a completer can be called as one.
pub fn complete_with<R: Into<Completion>>(
    f: impl Fn(&CompletionRequest) -> R,
    request: &CompletionRequest,
) -> Completion {
    f(request).into()
}
