//! The descriptor every `#[mcp_prompt]` registers and what a prompt function may return.

use std::{collections::BTreeMap, future::Future, pin::Pin};

use serde::Serialize;

use crate::{
    completion::CompleteFn,
    context::{ContextError, ToolContext},
    result::Content,
    tool::{Location, Requirement},
};

/// The future a `prompts/get` runs.
pub type PromptFuture =
    Pin<Box<dyn Future<Output = Result<GetPromptResult, PromptError>> + Send + 'static>>;

/// Generated glue: read the arguments and context parameters, start the prompt function.
pub type GetFn = fn(&PromptArguments, &ToolContext) -> Result<PromptFuture, PromptError>;

/// The string arguments of one `prompts/get`.
#[derive(Debug, Default, Clone)]
pub struct PromptArguments(pub(crate) BTreeMap<String, String>);

impl PromptArguments {
    /// One argument's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// A type a prompt parameter may have: prompt arguments are strings, required or not.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a prompt argument",
    label = "prompt arguments are strings",
    note = "use String for a required argument or Option<String> for an optional one, or mark the parameter #[ctx] if the runtime should supply it"
)]
pub trait PromptArg: Sized + Send + 'static {
    /// Whether `prompts/list` marks the argument `required`.
    const REQUIRED: bool;
    /// The value from the request (`None`: not given).
    fn from_arg(value: Option<&str>) -> Option<Self>;
}

impl PromptArg for String {
    const REQUIRED: bool = true;
    fn from_arg(value: Option<&str>) -> Option<Self> {
        value.map(str::to_owned)
    }
}

impl PromptArg for Option<String> {
    const REQUIRED: bool = false;
    fn from_arg(value: Option<&str>) -> Option<Self> {
        Some(value.map(str::to_owned))
    }
}

/// One argument as `prompts/list` describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PromptArgument {
    /// The argument's name (the parameter's name).
    pub name: &'static str,
    /// From the parameter's doc comment; empty for none.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub description: &'static str,
    /// `String` parameters are required, `Option<String>` ones are not.
    pub required: bool,
}

/// Why a prompt could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PromptError {
    /// A required argument is missing (-32602).
    #[error("Missing required argument `{0}`")]
    MissingArgument(String),
    /// An argument's value is unusable (-32602).
    #[error("Invalid argument: {0}")]
    InvalidArgument(String),
    /// The prompt failed (-32603). The message is sent to the client.
    #[error("{0}")]
    Failed(String),
}

impl From<String> for PromptError {
    fn from(message: String) -> Self {
        Self::Failed(message)
    }
}

impl From<&str> for PromptError {
    fn from(message: &str) -> Self {
        Self::Failed(message.to_owned())
    }
}

impl From<ContextError> for PromptError {
    fn from(e: ContextError) -> Self {
        Self::Failed(format!("Server error: {e}"))
    }
}

/// Who a prompt message is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The user.
    User,
    /// The assistant.
    Assistant,
}

/// One message of a prompt: a role and one content block (text, image, audio, embedded
/// resource or resource link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromptMessage {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: Content,
}

impl PromptMessage {
    /// A user message.
    pub fn user(content: impl Into<Content>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<Content>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

impl From<String> for Content {
    fn from(text: String) -> Self {
        Self::text(text)
    }
}

impl From<&str> for Content {
    fn from(text: &str) -> Self {
        Self::text(text)
    }
}

/// The result of `prompts/get`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GetPromptResult {
    /// Overrides the prompt's description for this result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The messages.
    pub messages: Vec<PromptMessage>,
}

/// Converts what a prompt function returns into a `prompts/get` result.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an #[mcp_prompt]",
    note = "return text (one user message), a PromptMessage, Vec<PromptMessage> or a GetPromptResult, optionally inside Result<_, E: Into<PromptError>>"
)]
pub trait IntoPromptResult {
    /// Convert.
    fn into_prompt_result(self) -> Result<GetPromptResult, PromptError>;
}

impl IntoPromptResult for GetPromptResult {
    fn into_prompt_result(self) -> Result<GetPromptResult, PromptError> {
        Ok(self)
    }
}

impl IntoPromptResult for Vec<PromptMessage> {
    fn into_prompt_result(self) -> Result<GetPromptResult, PromptError> {
        Ok(GetPromptResult {
            description: None,
            messages: self,
        })
    }
}

impl IntoPromptResult for PromptMessage {
    fn into_prompt_result(self) -> Result<GetPromptResult, PromptError> {
        vec![self].into_prompt_result()
    }
}

impl IntoPromptResult for String {
    fn into_prompt_result(self) -> Result<GetPromptResult, PromptError> {
        PromptMessage::user(self).into_prompt_result()
    }
}

impl IntoPromptResult for &'static str {
    fn into_prompt_result(self) -> Result<GetPromptResult, PromptError> {
        PromptMessage::user(self).into_prompt_result()
    }
}

impl<T: IntoPromptResult, E: Into<PromptError>> IntoPromptResult for Result<T, E> {
    fn into_prompt_result(self) -> Result<GetPromptResult, PromptError> {
        self.map_err(Into::into)?.into_prompt_result()
    }
}

/// Everything the runtime knows about one prompt. Built in a `const` by `#[mcp_prompt]` and
/// submitted to [`inventory`].
#[derive(Debug)]
pub struct PromptDef {
    pub(crate) name: &'static str,
    pub(crate) title: Option<&'static str>,
    pub(crate) description: &'static str,
    pub(crate) arguments: &'static [PromptArgument],
    pub(crate) scopes: &'static [&'static str],
    pub(crate) gateways: &'static [&'static str],
    pub(crate) get: GetFn,
    pub(crate) complete: Option<CompleteFn>,
    pub(crate) requirements: fn(&mut Vec<Requirement>),
    pub(crate) location: Location,
}

impl PromptDef {
    /// A prompt with no title, scopes or completer, on the default gateway.
    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        description: &'static str,
        arguments: &'static [PromptArgument],
        get: GetFn,
        location: Location,
    ) -> Self {
        Self {
            name,
            title: None,
            description,
            arguments,
            scopes: &[],
            gateways: &[],
            get,
            complete: None,
            requirements: crate::def::no_requirements,
            location,
        }
    }

    #[doc(hidden)]
    pub const fn with_complete(mut self, complete: CompleteFn) -> Self {
        self.complete = Some(complete);
        self
    }

    /// The prompt's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        self.description
    }

    /// Its arguments, in parameter order.
    pub const fn arguments(&self) -> &'static [PromptArgument] {
        self.arguments
    }
}

shared_def_methods!(PromptDef, "OAuth scopes a caller needs to list and get it.");

inventory::collect!(PromptDef);
