//! The descriptor every `#[mcp_resource]` registers, what a resource function may return, and
//! URI-template matching.

use std::{borrow::Cow, future::Future, pin::Pin};

use base64::Engine as _;

use crate::{
    completion::CompleteFn,
    context::{ContextError, ToolContext},
    result::ResourceContents,
    tool::{Location, Requirement},
};

/// The future a resource read runs.
pub type ReadFuture =
    Pin<Box<dyn Future<Output = Result<Vec<ResourceContents>, ResourceError>> + Send + 'static>>;

/// Generated glue: extract template variables and context parameters, start the read.
pub type ReadFn = fn(&ResourceRequest, &ToolContext) -> Result<ReadFuture, ResourceError>;

/// One `resources/read` as the generated glue sees it: the URI and, for a template, the
/// variables matched in it.
#[derive(Debug)]
pub struct ResourceRequest {
    pub(crate) uri: String,
    pub(crate) vars: Vec<(&'static str, String)>,
    pub(crate) mime_type: Option<&'static str>,
}

impl ResourceRequest {
    /// The URI being read.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The declared MIME type, the default for text and binary contents.
    pub fn mime_type(&self) -> Option<&'static str> {
        self.mime_type
    }

    /// A template variable's (percent-decoded) value.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a resource could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResourceError {
    /// Nothing exists at this URI for this caller (a record the caller may not see is
    /// reported the same way, so existence does not leak). Protocol error -32002 in the
    /// handshake revisions, -32602 in 2026-07-28, with the URI in `data`.
    #[error("Resource not found")]
    NotFound,
    /// The URI matched a template, but a variable's value is unusable (-32602).
    #[error("Invalid resource URI: {0}")]
    InvalidUri(String),
    /// The read failed (-32603). The message is sent to the client: keep secrets out of it.
    #[error("{0}")]
    Failed(String),
}

impl ResourceError {
    /// [`ResourceError::Failed`] with this message.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::Failed(message.into())
    }
}

impl From<String> for ResourceError {
    fn from(message: String) -> Self {
        Self::Failed(message)
    }
}

impl From<&str> for ResourceError {
    fn from(message: &str) -> Self {
        Self::Failed(message.to_owned())
    }
}

impl From<ContextError> for ResourceError {
    fn from(e: ContextError) -> Self {
        Self::Failed(format!("Server error: {e}"))
    }
}

/// Binary resource contents (sent base64-encoded as `blob`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob(pub Vec<u8>);

/// Converts what a resource function returns into `resources/read` contents.
///
/// Text (`String`, `&'static str`, `Cow<'static, str>`) becomes one `text` item and binary
/// ([`Blob`], `Vec<u8>`) one `blob` item, both with the read URI and the declared
/// `mime_type`; [`ResourceContents`] items are sent as they are. `Result<T, E>` with
/// `E: Into<ResourceError>` turns `Err` into a protocol error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an #[mcp_resource]",
    note = "return text (String, &'static str), bytes (Blob, Vec<u8>), ResourceContents or Vec<ResourceContents>, optionally inside Result<_, E: Into<ResourceError>>"
)]
pub trait IntoResourceContents {
    /// Convert, given the URI that was read and the declared MIME type.
    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError>;
}

fn text(uri: &str, mime_type: Option<&str>, text: String) -> Vec<ResourceContents> {
    vec![ResourceContents::Text {
        uri: uri.to_owned(),
        mime_type: mime_type.map(str::to_owned),
        text,
    }]
}

impl IntoResourceContents for String {
    fn into_contents(
        self,
        uri: &str,
        mime: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError> {
        Ok(text(uri, mime, self))
    }
}

impl IntoResourceContents for &'static str {
    fn into_contents(
        self,
        uri: &str,
        mime: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError> {
        Ok(text(uri, mime, self.to_owned()))
    }
}

impl IntoResourceContents for Cow<'static, str> {
    fn into_contents(
        self,
        uri: &str,
        mime: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError> {
        Ok(text(uri, mime, self.into_owned()))
    }
}

impl IntoResourceContents for Blob {
    fn into_contents(
        self,
        uri: &str,
        mime: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError> {
        Ok(vec![ResourceContents::Blob {
            uri: uri.to_owned(),
            mime_type: mime.map(str::to_owned),
            blob: base64::engine::general_purpose::STANDARD.encode(&self.0),
        }])
    }
}

impl IntoResourceContents for Vec<u8> {
    fn into_contents(
        self,
        uri: &str,
        mime: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError> {
        Blob(self).into_contents(uri, mime)
    }
}

impl IntoResourceContents for ResourceContents {
    fn into_contents(
        self,
        _: &str,
        _: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError> {
        Ok(vec![self])
    }
}

impl IntoResourceContents for Vec<ResourceContents> {
    fn into_contents(
        self,
        _: &str,
        _: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError> {
        Ok(self)
    }
}

impl<T: IntoResourceContents, E: Into<ResourceError>> IntoResourceContents for Result<T, E> {
    fn into_contents(
        self,
        uri: &str,
        mime: Option<&str>,
    ) -> Result<Vec<ResourceContents>, ResourceError> {
        self.map_err(Into::into)?.into_contents(uri, mime)
    }
}

/// Everything the runtime knows about one resource or resource template. Built in a `const`
/// by `#[mcp_resource]` and submitted to [`inventory`].
#[derive(Debug)]
pub struct ResourceDef {
    pub(crate) uri: &'static str,
    /// `uri` is an RFC 6570 template (`{var}` / `{+var}`), listed by `resources/templates/list`.
    pub(crate) template: bool,
    pub(crate) name: &'static str,
    pub(crate) title: Option<&'static str>,
    pub(crate) description: &'static str,
    pub(crate) mime_type: Option<&'static str>,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) gateways: &'static [&'static str],
    pub(crate) read: ReadFn,
    pub(crate) complete: Option<CompleteFn>,
    pub(crate) requirements: fn(&mut Vec<Requirement>),
    pub(crate) location: Location,
}

impl ResourceDef {
    /// A resource at a fixed URI (`template: false`) or a URI template.
    #[doc(hidden)]
    pub const fn new(
        uri: &'static str,
        template: bool,
        name: &'static str,
        description: &'static str,
        read: ReadFn,
        location: Location,
    ) -> Self {
        Self {
            uri,
            template,
            name,
            title: None,
            description,
            mime_type: None,
            scopes: &[],
            gateways: &[],
            read,
            complete: None,
            requirements: crate::def::no_requirements,
            location,
        }
    }

    #[doc(hidden)]
    pub const fn with_mime_type(mut self, mime_type: &'static str) -> Self {
        self.mime_type = Some(mime_type);
        self
    }

    #[doc(hidden)]
    pub const fn with_complete(mut self, complete: CompleteFn) -> Self {
        self.complete = Some(complete);
        self
    }

    /// The URI, or the URI template.
    pub const fn uri(&self) -> &'static str {
        self.uri
    }

    /// True for a URI template.
    pub const fn is_template(&self) -> bool {
        self.template
    }

    /// The resource's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The description (from the doc comment or `description = "…"`).
    pub const fn description(&self) -> &'static str {
        self.description
    }

    /// The declared MIME type.
    pub const fn mime_type(&self) -> Option<&'static str> {
        self.mime_type
    }

    /// The template's variables matched in `uri` (`None`: no match). Static resources match
    /// only their own URI, with no variables.
    pub(crate) fn matches(&self, uri: &str) -> Option<Vec<(&'static str, String)>> {
        if self.template {
            match_template(self.uri, uri)
        } else {
            (self.uri == uri).then(Vec::new)
        }
    }
}

shared_def_methods!(
    ResourceDef,
    "OAuth scopes a caller needs to list and read it."
);

inventory::collect!(ResourceDef);

/// One piece of a parsed URI template.
#[derive(Debug, PartialEq, Eq)]
enum Part<'a> {
    Literal(&'a str),
    /// A variable; `reserved` for `{+var}` (may contain `/`).
    Var {
        name: &'a str,
        reserved: bool,
    },
}

/// Split an RFC 6570 level-1/2 template (`{var}`, `{+var}`) into parts; `None` if malformed.
fn parse_template(template: &str) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Part::Literal(&rest[..open]));
        }
        let close = rest[open..].find('}')? + open;
        let inner = &rest[open + 1..close];
        let (name, reserved) = match inner.strip_prefix('+') {
            Some(name) => (name, true),
            None => (inner, false),
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        parts.push(Part::Var { name, reserved });
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return None;
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest));
    }
    Some(parts)
}

/// The variable names of a template, in order; `None` if it is malformed.
pub(crate) fn template_variables(template: &str) -> Option<Vec<&str>> {
    Some(
        parse_template(template)?
            .into_iter()
            .filter_map(|p| match p {
                Part::Var { name, .. } => Some(name),
                Part::Literal(_) => None,
            })
            .collect(),
    )
}

/// Match `uri` against `template`: each variable takes the shortest run of characters up to
/// the next literal (a simple `{var}` never spans `/`, `?` or `#`), and is percent-decoded.
fn match_template(template: &'static str, uri: &str) -> Option<Vec<(&'static str, String)>> {
    let parts = parse_template(template)?;
    let mut vars = Vec::new();
    let mut rest = uri;
    let mut i = 0;
    while i < parts.len() {
        match &parts[i] {
            Part::Literal(lit) => rest = rest.strip_prefix(lit)?,
            Part::Var { name, reserved } => {
                let stop = |c: char| !reserved && matches!(c, '/' | '?' | '#');
                let end = match parts.get(i + 1) {
                    Some(Part::Literal(next)) => {
                        let found = rest.find(next)?;
                        if rest[..found].contains(stop) {
                            return None;
                        }
                        found
                    }
                    // Two adjacent variables are ambiguous; a template like that never matches.
                    Some(Part::Var { .. }) => return None,
                    None => {
                        if rest.contains(stop) {
                            return None;
                        }
                        rest.len()
                    }
                };
                if end == 0 {
                    return None;
                }
                vars.push((*name, percent_decode(&rest[..end])?));
                rest = &rest[end..];
            }
        }
        i += 1;
    }
    rest.is_empty().then_some(vars)
}

fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert_eq!(
            match_template("test://template/{id}/data", "test://template/123/data"),
            Some(vec![("id", "123".to_owned())])
        );
        assert_eq!(
            match_template("test://template/{id}/data", "test://template/1/2/data"),
            None
        );
        assert_eq!(
            match_template("crm://{tenant}/{kind}/{id}", "crm://t1/contacts/42"),
            Some(vec![
                ("tenant", "t1".to_owned()),
                ("kind", "contacts".to_owned()),
                ("id", "42".to_owned())
            ])
        );
        assert_eq!(
            match_template("file:///{+path}", "file:///a/b%20c.txt"),
            Some(vec![("path", "a/b c.txt".to_owned())])
        );
        assert_eq!(match_template("x://{a}", "x://"), None);
        assert_eq!(template_variables("x://{a}/{+b}"), Some(vec!["a", "b"]));
        assert_eq!(template_variables("x://{a"), None);
        assert_eq!(template_variables("x://{a-b}"), None);
    }
}
