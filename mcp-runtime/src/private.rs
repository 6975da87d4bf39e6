//! The only paths `#[mcp_tool]` output names. Not public API: anything here may change in any
//! release, in lockstep with the macro.

pub use ::inventory;
pub use ::schemars;
pub use ::serde;
pub use ::serde_json;

pub use crate::context::{FromToolContext, ToolContext};
pub use crate::output::{
    IntoToolResult, OutputAdapter, Returns, ViaIntoToolResult, ViaStructured, ViaStructuredResult,
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
