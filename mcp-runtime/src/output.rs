//! How a tool's return value becomes a `CallToolResult` (and whether it has an `outputSchema`).
//!
//! Three shapes, chosen by the compiler from the declared return type, never by its name:
//! 1. a type implementing [`IntoToolResult`] (text, content blocks, a full result, or
//!    `Result<_, E>` of those): used as is, no output schema;
//! 2. `Result<T, E>` with `T: Serialize + JsonSchema`: structured output, `Err` → `isError`;
//! 3. `T: Serialize + JsonSchema`: structured output.
//!
//! The choice is made by "autoref specialization" in generated code: the macro calls
//! `(&&&Returns::<Ret>::new()).__mcp_output()`, and method resolution picks the first of the
//! three impls (on `&&&`, `&&`, `&`) whose bounds hold for the concrete `Ret`.

use std::{borrow::Cow, fmt::Display, marker::PhantomData};

use schemars::{JsonSchema, Schema};
use serde::Serialize;

use crate::result::{CallToolResult, Content};

/// Converts a tool's return value into a result with unstructured content.
///
/// Implemented for text (`String`, `&'static str`, `Cow<'static, str>`), `()` (empty content),
/// [`Content`], `Vec<Content>`, [`CallToolResult`], and `Result<T, E>` of those with
/// `E: Display`. Return a `Serialize + JsonSchema` type (or `Result` of one) instead to get
/// structured output with an `outputSchema`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an #[mcp_tool]",
    note = "return text (String), content blocks (Content, Vec<Content>), a CallToolResult, or a type that implements serde::Serialize + schemars::JsonSchema (structured output), optionally inside Result<_, E: Display>"
)]
pub trait IntoToolResult {
    /// Convert into the wire result.
    fn into_tool_result(self) -> CallToolResult;
}

impl IntoToolResult for CallToolResult {
    fn into_tool_result(self) -> CallToolResult {
        self
    }
}

impl IntoToolResult for String {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![Content::text(self)])
    }
}

impl IntoToolResult for &'static str {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![Content::text(self)])
    }
}

impl IntoToolResult for Cow<'static, str> {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![Content::text(self)])
    }
}

impl IntoToolResult for () {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(Vec::new())
    }
}

impl IntoToolResult for Content {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![self])
    }
}

impl IntoToolResult for Vec<Content> {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(self)
    }
}

impl<T: IntoToolResult, E: Display> IntoToolResult for Result<T, E> {
    fn into_tool_result(self) -> CallToolResult {
        match self {
            Ok(value) => value.into_tool_result(),
            Err(e) => CallToolResult::error(e.to_string()),
        }
    }
}

/// Zero-sized tag naming a return type; the receiver of the autoref dispatch.
#[doc(hidden)]
#[derive(Debug)]
pub struct Returns<T>(PhantomData<fn() -> T>);

impl<T> Returns<T> {
    #[doc(hidden)]
    #[allow(
        clippy::new_without_default,
        reason = "a tag only built by generated code"
    )]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

/// What the dispatch selects for a return type `T`.
#[doc(hidden)]
#[derive(Debug)]
pub struct OutputAdapter<T> {
    /// The `outputSchema`, or `None` for unstructured results.
    pub schema: fn() -> Option<Schema>,
    /// Turns the value into the result.
    pub convert: fn(T) -> CallToolResult,
}

impl<T> Clone for OutputAdapter<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for OutputAdapter<T> {}

fn no_schema() -> Option<Schema> {
    None
}

fn structured_schema<T: JsonSchema>() -> Option<Schema> {
    Some(crate::schema::output_schema_for::<T>())
}

/// Level 1: explicit conversions.
#[doc(hidden)]
pub trait ViaIntoToolResult<T> {
    fn __mcp_output(self) -> OutputAdapter<T>;
}

impl<T: IntoToolResult> ViaIntoToolResult<T> for &&&Returns<T> {
    fn __mcp_output(self) -> OutputAdapter<T> {
        OutputAdapter {
            schema: no_schema,
            convert: T::into_tool_result,
        }
    }
}

/// Level 2: `Result` of structured output.
#[doc(hidden)]
pub trait ViaStructuredResult<T> {
    fn __mcp_output(self) -> OutputAdapter<T>;
}

impl<T: Serialize + JsonSchema, E: Display> ViaStructuredResult<Result<T, E>>
    for &&Returns<Result<T, E>>
{
    fn __mcp_output(self) -> OutputAdapter<Result<T, E>> {
        fn convert<T: Serialize, E: Display>(value: Result<T, E>) -> CallToolResult {
            match value {
                Ok(v) => CallToolResult::structured(&v),
                Err(e) => CallToolResult::error(e.to_string()),
            }
        }
        OutputAdapter {
            schema: structured_schema::<T>,
            convert: convert::<T, E>,
        }
    }
}

/// Level 3: structured output.
#[doc(hidden)]
pub trait ViaStructured<T> {
    fn __mcp_output(self) -> OutputAdapter<T>;
}

impl<T: Serialize + JsonSchema> ViaStructured<T> for &Returns<T> {
    fn __mcp_output(self) -> OutputAdapter<T> {
        fn convert<T: Serialize>(value: T) -> CallToolResult {
            CallToolResult::structured(&value)
        }
        OutputAdapter {
            schema: structured_schema::<T>,
            convert: convert::<T>,
        }
    }
}
