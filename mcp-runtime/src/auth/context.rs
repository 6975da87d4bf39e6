//! `AuthContext`: who is calling, injected into tools as a `#[ctx]` parameter.

use std::sync::Arc;

use serde_json::Value;

use super::verifier::Claims;
use crate::{
    context::{ContextError, FromToolContext, ToolContext},
    tool::Requirement,
};

/// Which claims hold what. Defaults: `sub`, `client_id` (falling back to `azp`), `tenant`,
/// and `scope` (a space-separated string; `scp` as string or array also works).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    subject: String,
    client_id: String,
    tenant: String,
    scope: String,
}

impl Default for ClaimNames {
    fn default() -> Self {
        Self {
            subject: "sub".into(),
            client_id: "client_id".into(),
            tenant: "tenant".into(),
            scope: "scope".into(),
        }
    }
}

impl ClaimNames {
    /// The claim naming the user (default `sub`).
    pub fn subject(mut self, claim: impl Into<String>) -> Self {
        self.subject = claim.into();
        self
    }

    /// The claim naming the OAuth client (default `client_id`, then `azp`).
    pub fn client_id(mut self, claim: impl Into<String>) -> Self {
        self.client_id = claim.into();
        self
    }

    /// The claim naming the tenant or account (default `tenant`; e.g. `hub_id`).
    pub fn tenant(mut self, claim: impl Into<String>) -> Self {
        self.tenant = claim.into();
        self
    }

    /// The claim holding granted scopes (default `scope`, then `scp`).
    pub fn scope(mut self, claim: impl Into<String>) -> Self {
        self.scope = claim.into();
        self
    }
}

/// The verified caller of a request: subject, client, tenant, scopes and raw claims.
///
/// Take it in a tool as `#[ctx] auth: AuthContext` (the server must be built with auth, or
/// `build()` fails) or `#[ctx] auth: Option<AuthContext>` (`None` without auth). It never
/// holds the token itself.
#[derive(Debug, Clone)]
pub struct AuthContext(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    subject: Option<String>,
    client_id: Option<String>,
    tenant: Option<String>,
    scopes: Vec<String>,
    claims: Claims,
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl AuthContext {
    /// Read the well-known fields out of verified claims.
    pub fn from_claims(claims: Claims, names: &ClaimNames) -> Self {
        let scopes_value = claims.get(&names.scope).or_else(|| claims.get("scp"));
        let mut scopes: Vec<String> = match scopes_value {
            Some(Value::String(s)) => s.split_ascii_whitespace().map(str::to_owned).collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        scopes.sort_unstable();
        scopes.dedup();
        Self(Arc::new(Inner {
            subject: text(claims.get(&names.subject)),
            client_id: text(claims.get(&names.client_id)).or_else(|| text(claims.get("azp"))),
            tenant: text(claims.get(&names.tenant)),
            scopes,
            claims,
        }))
    }

    /// The user (or service) the token was issued for.
    pub fn subject(&self) -> Option<&str> {
        self.0.subject.as_deref()
    }

    /// The OAuth client that obtained the token.
    pub fn client_id(&self) -> Option<&str> {
        self.0.client_id.as_deref()
    }

    /// The tenant or account the caller acts in.
    pub fn tenant(&self) -> Option<&str> {
        self.0.tenant.as_deref()
    }

    /// Granted scopes, sorted.
    pub fn scopes(&self) -> &[String] {
        &self.0.scopes
    }

    /// Whether the token grants `scope` (exactly, or through a broader `prefix` of `prefix:…`).
    pub fn has_scope(&self, scope: &str) -> bool {
        super::covers(&self.0.scopes, &[scope])
    }

    /// Every verified claim.
    pub fn claims(&self) -> &Claims {
        &self.0.claims
    }

    /// One claim by name.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.0.claims.get(name)
    }
}

impl FromToolContext for AuthContext {
    fn from_context(ctx: &ToolContext) -> Result<Self, ContextError> {
        ctx.request.auth.clone().ok_or(ContextError::NoAuth)
    }

    fn requirement() -> Option<Requirement> {
        Some(Requirement::Auth)
    }
}

impl FromToolContext for Option<AuthContext> {
    fn from_context(ctx: &ToolContext) -> Result<Self, ContextError> {
        Ok(ctx.request.auth.clone())
    }
}
