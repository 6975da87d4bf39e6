//! Every word the macro recognises, written once.
//!
//! The attribute keys are `syn` custom keywords (so `lookahead1` can list them in its
//! "expected one of" error); parameter markers and moved attributes are [`Symbol`]s compared
//! against attribute paths.

use std::fmt;

use syn::{Ident, Path};

/// Keywords of the `#[mcp_tool(...)]` argument grammar.
pub(crate) mod kw {
    syn::custom_keyword!(name);
    syn::custom_keyword!(title);
    syn::custom_keyword!(description);
    syn::custom_keyword!(read_only);
    syn::custom_keyword!(destructive);
    syn::custom_keyword!(idempotent);
    syn::custom_keyword!(open_world);
    syn::custom_keyword!(scopes);
    syn::custom_keyword!(gateways);
    syn::custom_keyword!(client_capabilities);
    syn::custom_keyword!(uri);
    syn::custom_keyword!(template);
    syn::custom_keyword!(mime_type);
    syn::custom_keyword!(complete);
}

/// A word compared against identifiers and attribute paths.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Symbol(&'static str);

pub(crate) const NAME: Symbol = Symbol("name");
pub(crate) const TITLE: Symbol = Symbol("title");
pub(crate) const DESCRIPTION: Symbol = Symbol("description");
pub(crate) const READ_ONLY: Symbol = Symbol("read_only");
pub(crate) const DESTRUCTIVE: Symbol = Symbol("destructive");
pub(crate) const IDEMPOTENT: Symbol = Symbol("idempotent");
pub(crate) const OPEN_WORLD: Symbol = Symbol("open_world");
pub(crate) const SCOPES: Symbol = Symbol("scopes");
pub(crate) const GATEWAYS: Symbol = Symbol("gateways");
pub(crate) const CLIENT_CAPABILITIES: Symbol = Symbol("client_capabilities");
pub(crate) const URI: Symbol = Symbol("uri");
pub(crate) const TEMPLATE: Symbol = Symbol("template");
pub(crate) const MIME_TYPE: Symbol = Symbol("mime_type");
pub(crate) const COMPLETE: Symbol = Symbol("complete");

/// `#[ctx]`: the runtime supplies this parameter.
pub(crate) const CTX: Symbol = Symbol("ctx");
/// `#[args]`: this parameter's type is the whole input.
pub(crate) const ARGS: Symbol = Symbol("args");
/// `#[doc]` (`///`), moved onto the generated field.
pub(crate) const DOC: Symbol = Symbol("doc");
/// `#[serde(...)]`, moved onto the generated field.
pub(crate) const SERDE: Symbol = Symbol("serde");
/// `#[schemars(...)]`, moved onto the generated field.
pub(crate) const SCHEMARS: Symbol = Symbol("schemars");
/// `#[cfg]` and `#[cfg_attr]`, rejected on parameters.
pub(crate) const CFG: Symbol = Symbol("cfg");
pub(crate) const CFG_ATTR: Symbol = Symbol("cfg_attr");

impl Symbol {
    /// The word itself.
    pub(crate) const fn as_str(self) -> &'static str {
        self.0
    }
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.get_ident().is_some_and(|ident| ident == word)
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.get_ident().is_some_and(|ident| ident == word)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
