//! Reading the bearer token off a request (strictly) and writing RFC 6750 challenges.

use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::Value;

use super::{Auth, AuthContext, GatewayAuth, covers, verifier::VerifyError};

/// A request refused by auth: status, challenge header, message for the JSON-RPC error body.
#[derive(Debug)]
pub(crate) struct Denial {
    pub(crate) status: StatusCode,
    pub(crate) challenge: Option<HeaderValue>,
    pub(crate) message: String,
    /// 503s ask the client to retry later.
    pub(crate) retry_after: bool,
}

impl Denial {
    fn bad_request(gw: &GatewayAuth, message: &str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            challenge: Some(header(
                Some("invalid_request"),
                Some(message),
                &gw.metadata_url,
                "",
            )),
            message: format!("Bad request: {message}"),
            retry_after: false,
        }
    }

    fn unauthenticated(gw: &GatewayAuth) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            challenge: Some(gw.bare_challenge.clone()),
            message: "Unauthorized: send an access token for this server in an `Authorization: Bearer` header".to_owned(),
            retry_after: false,
        }
    }

    fn invalid_token(gw: &GatewayAuth, reason: &str) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            challenge: Some(header(
                Some("invalid_token"),
                Some(reason),
                &gw.metadata_url,
                &gw.scope_hint,
            )),
            message: format!("Unauthorized: {reason}"),
            retry_after: false,
        }
    }
}

/// `Bearer error="…", error_description="…", scope="…", resource_metadata="…"`, each part
/// only when given. Quoted values are reduced to visible ASCII without `"` and `\`.
pub(crate) fn header(
    error: Option<&str>,
    description: Option<&str>,
    metadata_url: &str,
    scope: &str,
) -> HeaderValue {
    let mut parts: Vec<String> = Vec::with_capacity(4);
    if let Some(error) = error {
        parts.push(format!("error=\"{}\"", quoted(error)));
    }
    if let Some(description) = description {
        parts.push(format!("error_description=\"{}\"", quoted(description)));
    }
    if !scope.is_empty() {
        parts.push(format!("scope=\"{}\"", quoted(scope)));
    }
    parts.push(format!("resource_metadata=\"{}\"", quoted(metadata_url)));
    HeaderValue::from_str(&format!("Bearer {}", parts.join(", ")))
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer"))
}

fn quoted(text: &str) -> String {
    text.chars()
        .filter(|c| (' '..='~').contains(c) && *c != '"' && *c != '\\')
        .collect()
}

/// The 403 challenge for a call that needs `scopes`.
pub(crate) fn insufficient_scope(gw: &GatewayAuth, scopes: &[&str]) -> HeaderValue {
    header(
        Some("insufficient_scope"),
        Some("the access token lacks a scope this operation needs"),
        &gw.metadata_url,
        &scopes.join(" "),
    )
}

/// RFC 7235 token68: `A-Z a-z 0-9 - . _ ~ + /`, then optional trailing `=`.
fn is_token68(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

/// Whether a query string carries `access_token` (RFC 6750 §2.3), percent-encoded or not.
fn query_has_token(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        q.split('&').any(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            let decoded = key.replace("%5F", "_").replace("%5f", "_");
            decoded.eq_ignore_ascii_case("access_token")
        })
    })
}

/// Authenticate one request to a gateway: exactly one well-formed `Bearer` header, a token
/// the verifier accepts, this gateway in `aud`, the gateway's base scopes.
pub(crate) async fn authenticate(
    auth: &Auth,
    gw: &GatewayAuth,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<AuthContext, Denial> {
    if query_has_token(query) {
        return Err(Denial::bad_request(
            gw,
            "access tokens in the query string are not accepted; use the Authorization header",
        ));
    }
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Err(Denial::unauthenticated(gw));
    };
    if values.next().is_some() {
        return Err(Denial::bad_request(
            gw,
            "more than one Authorization header",
        ));
    }
    if value.len() > auth.max_token_bytes {
        return Err(Denial::bad_request(
            gw,
            "the Authorization header is too large",
        ));
    }
    let Ok(value) = value.to_str() else {
        return Err(Denial::bad_request(
            gw,
            "the Authorization header is not visible ASCII",
        ));
    };
    let is_bearer = value
        .get(..6)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer"));
    if !is_bearer {
        // Another scheme (`Basic …`): no bearer credentials at all.
        return Err(Denial::unauthenticated(gw));
    }
    let Some(token) = value.get(6..).and_then(|rest| rest.strip_prefix(' ')) else {
        return Err(Denial::bad_request(
            gw,
            "malformed Bearer credentials: `Bearer`, one space, then the token",
        ));
    };
    if !is_token68(token) {
        return Err(Denial::bad_request(
            gw,
            "malformed Bearer credentials: one space, then the token, nothing else",
        ));
    }
    if let Some(context) = gw.cache.get(token) {
        return check_base_scopes(gw, context);
    }
    let claims = match auth.verifier.verify(token).await {
        Ok(claims) => claims,
        Err(VerifyError::Invalid(reason)) => return Err(Denial::invalid_token(gw, &reason)),
        Err(VerifyError::Unavailable(reason)) => {
            return Err(Denial {
                status: StatusCode::SERVICE_UNAVAILABLE,
                challenge: None,
                message: format!("Service unavailable: {reason}; retry later"),
                retry_after: true,
            });
        }
    };
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => *aud == gw.resource,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(&gw.resource)),
        _ => false,
    };
    if !audience_ok {
        return Err(Denial::invalid_token(
            gw,
            &format!(
                "the token's audience (aud) is not this resource, {}",
                gw.resource
            ),
        ));
    }
    let context = AuthContext::from_claims(claims, &auth.claims);
    gw.cache.put(token, &context);
    check_base_scopes(gw, context)
}

fn check_base_scopes(gw: &GatewayAuth, context: AuthContext) -> Result<AuthContext, Denial> {
    if !covers(context.scopes(), &gw.base_scopes) {
        let scopes: Vec<&str> = gw.base_scopes.iter().map(String::as_str).collect();
        return Err(Denial {
            status: StatusCode::FORBIDDEN,
            challenge: Some(insufficient_scope(gw, &scopes)),
            message: format!(
                "Forbidden: this endpoint needs scope(s) {}",
                scopes.join(" ")
            ),
            retry_after: false,
        });
    }
    Ok(context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token68() {
        assert!(is_token68("abc.DEF-_~+/=="));
        assert!(!is_token68(""));
        assert!(!is_token68("=="));
        assert!(!is_token68("a b"));
        assert!(!is_token68(" abc"));
        assert!(!is_token68("a,b"));
    }

    #[test]
    fn query_tokens() {
        assert!(query_has_token(Some("access_token=x")));
        assert!(query_has_token(Some("a=1&ACCESS%5Ftoken=x")));
        assert!(!query_has_token(Some("token=x")));
        assert!(!query_has_token(None));
    }
}
