//! The `TokenVerifier` trait: turns a bearer token into verified claims, or says why not.

use futures_util::future::BoxFuture;
use serde_json::{Map, Value};

/// Verified token claims (a JWT payload or an RFC 7662 introspection response).
pub type Claims = Map<String, Value>;

/// Checks a bearer token.
///
/// An implementation checks everything about the token except its audience and scopes:
/// signature or introspection, issuer, expiry. The runtime then checks `aud` against the
/// gateway's resource URL and the scopes against the tools, the same way for every verifier.
pub trait TokenVerifier: Send + Sync + std::fmt::Debug + 'static {
    /// Verify `token` (the part after `Bearer `) and return its claims. Never log the token.
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Claims, VerifyError>>;
}

/// Why a token was not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token is not valid here: 401 `invalid_token`. The message is shown to the client
    /// (`error_description`), so it must not contain the token.
    #[error("invalid token: {0}")]
    Invalid(String),
    /// The token could not be checked (keys or introspection endpoint unreachable): 503.
    #[error("token verification unavailable: {0}")]
    Unavailable(String),
}

impl VerifyError {
    /// An [`VerifyError::Invalid`] with this message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}
