//! RFC 9728 Protected Resource Metadata, and what each gateway precomputes for challenges.

use axum::body::Bytes;
use http::HeaderValue;
use serde::Serialize;

use super::Auth;

/// The well-known path prefix of protected resource metadata.
pub(crate) const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

/// The metadata path of a gateway mounted at `path` (`""`: the root document).
pub(crate) fn metadata_path(path: &str) -> String {
    format!("{WELL_KNOWN}{path}")
}

/// One gateway as a protected resource: its URL, metadata document and challenge parts.
#[derive(Debug)]
pub(crate) struct GatewayAuth {
    /// The canonical resource URL: the audience its tokens must carry.
    pub(crate) resource: String,
    /// Where its metadata is served (absolute URL, for `resource_metadata=`).
    pub(crate) metadata_url: String,
    /// The metadata document, serialized once.
    pub(crate) metadata: Bytes,
    /// Scopes every request needs.
    pub(crate) base_scopes: Vec<String>,
    /// The `scope` hint of 401 challenges (space-separated).
    pub(crate) scope_hint: String,
    /// The 401 challenge without an error code (no token).
    pub(crate) bare_challenge: HeaderValue,
    /// Tokens accepted recently for this gateway.
    pub(crate) cache: super::cache::VerifiedCache,
}

#[derive(Serialize)]
struct Document<'a> {
    resource: &'a str,
    authorization_servers: &'a [String],
    scopes_supported: &'a [String],
    bearer_methods_supported: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_documentation: Option<&'a str>,
}

impl GatewayAuth {
    /// `tool_scopes`: every scope named by the gateway's tools.
    pub(crate) fn new(auth: &Auth, name: &str, path: &str, tool_scopes: &[&str]) -> Self {
        let resource = auth.resource_url(path);
        let metadata_url = format!("{}{WELL_KNOWN}{path}", auth.resource_base);
        let base_scopes = auth.base_scopes(name).to_vec();
        let supported: Vec<String> = match &auth.scopes_supported {
            Some(s) => s.clone(),
            None => {
                let mut all: Vec<String> = base_scopes.clone();
                all.extend(tool_scopes.iter().map(|s| (*s).to_owned()));
                all.sort();
                all.dedup();
                all
            }
        };
        let metadata = serde_json::to_vec(&Document {
            resource: &resource,
            authorization_servers: &auth.authorization_servers,
            scopes_supported: &supported,
            bearer_methods_supported: ["header"],
            resource_documentation: auth.resource_documentation.as_deref(),
        })
        .unwrap_or_default();
        let scope_hint = supported.join(" ");
        let bare_challenge = super::challenge::header(None, None, &metadata_url, &scope_hint);
        Self {
            resource,
            metadata_url,
            metadata: Bytes::from(metadata),
            base_scopes,
            scope_hint,
            bare_challenge,
            cache: super::cache::VerifiedCache::new(auth.cache_ttl, auth.cache_entries),
        }
    }
}
