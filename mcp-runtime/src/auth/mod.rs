//! OAuth 2.1 resource-server authentication: bearer tokens checked on every request.
//!
//! Turn it on with [`McpServerBuilder::auth`](crate::McpServerBuilder::auth) and an [`Auth`]
//! built around a [`TokenVerifier`]: [`JwtVerifier`] (signed JWTs, keys from a JWKS URL or
//! given statically) or [`IntrospectionVerifier`] (RFC 7662). Without it the runtime does no
//! auth work at all: no header is read, nothing is allocated per request.
//!
//! With auth on, every POST to a gateway is authenticated once, in the HTTP layer, before the
//! body is routed; the resulting [`AuthContext`] travels with the request to the methods and
//! into tools that take `#[ctx] auth: AuthContext` (or `Option<AuthContext>`). Each gateway
//! is its own protected resource (RFC 8707): its canonical URL is the configured base URL
//! plus the gateway's path, and a token must name it in `aud`. RFC 9728 metadata is served
//! at `/.well-known/oauth-protected-resource` (the default gateway) and
//! `/.well-known/oauth-protected-resource/<gateway path>`.
//!
//! # Status and challenge policy
//!
//! | Situation | Status | `WWW-Authenticate: Bearer …` |
//! |---|---|---|
//! | no `Authorization` header, or another scheme (`Basic …`) | 401 | `resource_metadata`, `scope` |
//! | malformed `Bearer` header: extra spaces, commas, empty, non-token68 characters, two headers | 400 | `error="invalid_request"`, `resource_metadata` |
//! | header longer than the limit ([`Auth::max_token_bytes`], default 8 KiB) | 400 | `error="invalid_request"` |
//! | `access_token` in the query string (with or without a header) | 400 | `error="invalid_request"` |
//! | bad signature, `alg` not allowed (`none`, HS*), unknown `kid` after a refresh, expired, not yet valid, wrong `iss`, `aud` not this gateway, introspection `active: false` | 401 | `error="invalid_token"`, `error_description`, `resource_metadata`, `scope` |
//! | keys or introspection endpoint unreachable (fail closed) | 503, `Retry-After` | none: the token may be fine, so clients must not drop it |
//! | token lacks the gateway's base scopes | 403 | `error="insufficient_scope"`, `scope` (the base scopes), `resource_metadata` |
//! | `tools/call` of a tool whose scopes the token lacks | 403 | `error="insufficient_scope"`, `scope` (the tool's), `resource_metadata` |
//!
//! A 403 for a tool carries a JSON-RPC error naming the request id. Inside a (2025-03-26)
//! batch only that call's entry is an error; the batch answers 200.
//!
//! # Threat decisions
//!
//! * **Tokens are never logged** and never forwarded: the runtime does not hand the raw token
//!   to tools ([`AuthContext`] holds verified claims only), and no tool needs to read the
//!   `Authorization` header. A tool calling an upstream API uses its own credentials.
//! * **Audience binding**: the runtime itself checks that `aud` names the gateway's resource
//!   URL, whatever the verifier, so a token minted for one gateway is refused on another.
//! * **Algorithms**: an allow-list of asymmetric algorithms (ES256/384, RS*, PS*, EdDSA); `none`
//!   and HMAC are never accepted from a JWKS, and a key is used only with the algorithm
//!   family it belongs to (and its JWK `alg`, if set), which rules out HS/RS confusion.
//! * **Bounded work per token**: the header is capped in size, parsed strictly (one space,
//!   token68 characters only), a token names at most one key (`kid`), and the JWKS refresh that
//!   an unknown `kid` triggers happens at most once per interval (default 30 s) however many
//!   requests ask; the rest are refused without network I/O. Key and introspection caches
//!   are capped in entries.
//! * **Verified-token cache**: an accepted token's [`AuthContext`] is reused for up to 30 s
//!   (never past `exp`), keyed by the exact token, capped in entries
//!   ([`Auth::verified_cache`]); rejected tokens are never cached.
//! * **Fail closed**: when keys cannot be fetched (and none are cached) or the introspection
//!   endpoint fails, the request is refused with 503, never let through.
//! * **Query-string tokens** are refused outright (they end up in logs and referrers).
//! * **Scopes** are checked before a tool's arguments are even parsed. Scope hierarchy: a
//!   granted scope `a` also grants every `a:…` below it (`crm` covers `crm:read`).

mod cache;
mod challenge;
mod context;
mod dev;
mod introspection;
mod jwt;
mod metadata;
mod verifier;

use std::{fmt, sync::Arc};

pub(crate) use challenge::{Denial, authenticate, insufficient_scope};
pub use context::{AuthContext, ClaimNames};
pub use dev::{DevKey, DevKeyError, TokenRequest};
pub use introspection::IntrospectionVerifier;
pub use jsonwebtoken::{Algorithm, jwk::JwkSet};
pub use jwt::{JwtVerifier, KeySource};
pub(crate) use metadata::{GatewayAuth, metadata_path};
pub use verifier::{Claims, TokenVerifier, VerifyError};

/// Which tools `tools/list` shows an authenticated caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListPolicy {
    /// Only the tools the caller's scopes allow calling (the default).
    #[default]
    HideUncallable,
    /// Every tool of the gateway; calls without the scopes still get 403.
    ShowAll,
}

/// Resource-server settings: the verifier, this server's public URL, and scope policy.
#[derive(Clone)]
pub struct Auth {
    pub(crate) verifier: Arc<dyn TokenVerifier>,
    pub(crate) resource_base: String,
    pub(crate) authorization_servers: Vec<String>,
    pub(crate) scopes_supported: Option<Vec<String>>,
    pub(crate) list_policy: ListPolicy,
    pub(crate) gateway_scopes: Vec<(String, Vec<String>)>,
    pub(crate) claims: ClaimNames,
    pub(crate) max_token_bytes: usize,
    pub(crate) jwks_document: Option<Arc<str>>,
    pub(crate) resource_documentation: Option<String>,
    pub(crate) cache_ttl: std::time::Duration,
    pub(crate) cache_entries: usize,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("verifier", &self.verifier)
            .field("resource_base", &self.resource_base)
            .field("authorization_servers", &self.authorization_servers)
            .field("list_policy", &self.list_policy)
            .field("gateway_scopes", &self.gateway_scopes)
            .finish_non_exhaustive()
    }
}

impl Auth {
    /// Protect the server with `verifier`. `resource_base` is the public origin clients use
    /// (e.g. `https://mcp.example.com`); each gateway's resource URL (the audience its tokens
    /// must carry) is this plus the gateway path, e.g. `https://mcp.example.com/mcp`.
    pub fn new(verifier: impl TokenVerifier, resource_base: impl Into<String>) -> Self {
        Self::from_arc(Arc::new(verifier), resource_base)
    }

    /// [`Auth::new`] with a shared verifier.
    pub fn from_arc(verifier: Arc<dyn TokenVerifier>, resource_base: impl Into<String>) -> Self {
        Self {
            verifier,
            resource_base: canonical_base(&resource_base.into()),
            authorization_servers: Vec::new(),
            scopes_supported: None,
            list_policy: ListPolicy::default(),
            gateway_scopes: Vec::new(),
            claims: ClaimNames::default(),
            max_token_bytes: 8 << 10,
            jwks_document: None,
            resource_documentation: None,
            cache_ttl: std::time::Duration::from_secs(30),
            cache_entries: 1024,
        }
    }

    /// An authorization server (issuer URL) listed in the protected resource metadata; at
    /// least one is required.
    pub fn authorization_server(mut self, issuer: impl Into<String>) -> Self {
        self.authorization_servers.push(issuer.into());
        self
    }

    /// `scopes_supported` in the metadata and the `scope` hint of 401 challenges (default:
    /// the gateway's base scopes and every scope its tools name).
    pub fn scopes_supported<S: Into<String>>(
        mut self,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.scopes_supported = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Whether `tools/list` hides tools the caller cannot call (default) or shows all.
    pub fn list_policy(mut self, policy: ListPolicy) -> Self {
        self.list_policy = policy;
        self
    }

    /// Scopes every request to gateway `name` needs (403 `insufficient_scope` otherwise).
    pub fn gateway_scopes<S: Into<String>>(
        mut self,
        name: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.gateway_scopes
            .push((name.into(), scopes.into_iter().map(Into::into).collect()));
        self
    }

    /// Which claims hold the subject, client, tenant and scopes.
    pub fn claim_names(mut self, names: ClaimNames) -> Self {
        self.claims = names;
        self
    }

    /// The longest `Authorization` header accepted, in bytes (default 8 KiB).
    pub fn max_token_bytes(mut self, bytes: usize) -> Self {
        self.max_token_bytes = bytes;
        self
    }

    /// Serve this JWKS document at `/.well-known/jwks.json` (dev mode: the server is its own
    /// token issuer).
    pub fn serve_jwks(mut self, jwks_json: impl Into<Arc<str>>) -> Self {
        self.jwks_document = Some(jwks_json.into());
        self
    }

    /// `resource_documentation` in the metadata.
    pub fn resource_documentation(mut self, url: impl Into<String>) -> Self {
        self.resource_documentation = Some(url.into());
        self
    }

    /// Reuse a verified token's result for up to `ttl` (never past its `exp`; default 30 s),
    /// keeping at most `entries` tokens per gateway (default 1024). A zero `ttl` verifies
    /// every request afresh. With introspection this bounds how late a revocation is seen.
    pub fn verified_cache(mut self, ttl: std::time::Duration, entries: usize) -> Self {
        self.cache_ttl = ttl;
        self.cache_entries = entries;
        self
    }

    /// The resource URL (token audience) of a gateway mounted at `path`.
    pub fn resource_url(&self, path: &str) -> String {
        format!("{}{path}", self.resource_base)
    }

    pub(crate) fn base_scopes(&self, gateway: &str) -> &[String] {
        self.gateway_scopes
            .iter()
            .find(|(name, _)| name == gateway)
            .map_or(&[], |(_, scopes)| scopes.as_slice())
    }
}

/// Lower-case scheme and host, no trailing slash (RFC 8707 canonical form).
fn canonical_base(base: &str) -> String {
    let base = base.trim_end_matches('/');
    match base.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!(
                "{}://{}{path}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => base.to_owned(),
    }
}

/// Whether granted scopes cover `needed`: each needed scope is granted exactly or by a
/// broader scope it sits under (`crm` covers `crm:read`).
pub(crate) fn covers<S: AsRef<str>>(granted: &[String], needed: &[S]) -> bool {
    needed.iter().all(|n| scope_granted(granted, n.as_ref()))
}

fn scope_granted(granted: &[String], needed: &str) -> bool {
    granted.iter().any(|g| {
        needed == g
            || needed
                .strip_prefix(g.as_str())
                .is_some_and(|rest| rest.starts_with(':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_hierarchy() {
        let granted = vec!["crm".to_owned(), "notes:read".to_owned()];
        assert!(covers(&granted, &["crm:read", "crm", "notes:read"]));
        assert!(!covers(&granted, &["notes:write"]));
        assert!(!covers(&granted, &["crmx"]));
        assert!(!covers(&granted, &["notes"]));
    }

    #[test]
    fn canonical() {
        assert_eq!(
            canonical_base("HTTPS://MCP.Example.com/"),
            "https://mcp.example.com"
        );
    }
}
