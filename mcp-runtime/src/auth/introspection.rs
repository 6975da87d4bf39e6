//! RFC 7662 token introspection, with a short, capped cache of answers.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use futures_util::future::BoxFuture;
use serde_json::Value;

use super::verifier::{Claims, TokenVerifier, VerifyError};

/// Largest introspection response read.
const MAX_RESPONSE_BYTES: usize = 64 << 10;

/// Asks the authorization server about each token (RFC 7662): `active` must be true, `exp`
/// (if given) in the future, `iss` (if configured and given) the expected issuer. Answers
/// are cached for a short time (default 30 s, never past the token's `exp`) in a cache capped
/// in entries; inactive answers are cached too, so a replayed bad token costs no round trip.
#[derive(Debug)]
pub struct IntrospectionVerifier {
    endpoint: String,
    client_id: Option<String>,
    client_secret: Option<String>,
    issuer: Option<String>,
    http: reqwest::Client,
    cache: Mutex<HashMap<String, Cached>>,
    ttl: Duration,
    max_entries: usize,
}

#[derive(Debug, Clone)]
struct Cached {
    until: Instant,
    claims: Option<Claims>,
}

impl IntrospectionVerifier {
    /// Introspect at `endpoint` (an `https:` URL in production).
    pub fn new(endpoint: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            client_id: None,
            client_secret: None,
            issuer: None,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
            cache: Mutex::new(HashMap::new()),
            ttl: Duration::from_secs(30),
            max_entries: 4096,
        }
    }

    /// Authenticate to the endpoint with HTTP Basic client credentials.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(client_secret.into());
        self
    }

    /// Require this `iss` when the response names one.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// How long an answer is reused (default 30 s; 0 disables the cache).
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Most cached answers (default 4096); when full, expired ones are dropped, then all.
    pub fn cache_entries(mut self, entries: usize) -> Self {
        self.max_entries = entries;
        self
    }

    fn cached(&self, token: &str) -> Option<Option<Claims>> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let hit = cache.get(token)?;
        (hit.until > Instant::now()).then(|| hit.claims.clone())
    }

    fn remember(&self, token: &str, claims: Option<Claims>, exp: Option<u64>) {
        if self.ttl.is_zero() || self.max_entries == 0 {
            return;
        }
        let mut ttl = self.ttl;
        if let Some(exp) = exp {
            ttl = ttl.min(Duration::from_secs(exp.saturating_sub(now_secs())));
        }
        let now = Instant::now();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= self.max_entries {
            cache.retain(|_, c| c.until > now);
            if cache.len() >= self.max_entries {
                cache.clear();
            }
        }
        cache.insert(
            token.to_owned(),
            Cached {
                until: now + ttl,
                claims,
            },
        );
    }

    async fn check(&self, token: &str) -> Result<Claims, VerifyError> {
        if let Some(hit) = self.cached(token) {
            return hit.ok_or_else(|| VerifyError::invalid("the token is not active"));
        }
        let mut request = self
            .http
            .post(&self.endpoint)
            .header(http::header::ACCEPT, "application/json")
            .form(&[("token", token), ("token_type_hint", "access_token")]);
        if let Some(id) = &self.client_id {
            request = request.basic_auth(id, self.client_secret.as_deref());
        }
        let unavailable = |what: String| {
            tracing::warn!(target: "mcp_runtime::auth", endpoint = %self.endpoint, reason = %what, "token introspection failed");
            VerifyError::Unavailable(
                "the token introspection endpoint cannot be reached".to_owned(),
            )
        };
        let response = request
            .send()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("status {}", response.status())));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        if body.len() > MAX_RESPONSE_BYTES {
            return Err(unavailable("response too large".to_owned()));
        }
        let claims: Claims =
            serde_json::from_slice(&body).map_err(|e| unavailable(e.to_string()))?;
        let exp = claims.get("exp").and_then(Value::as_u64);
        let verdict = self.judge(&claims, exp);
        match verdict {
            Ok(()) => {
                self.remember(token, Some(claims.clone()), exp);
                Ok(claims)
            }
            Err(e) => {
                self.remember(token, None, exp);
                Err(e)
            }
        }
    }

    fn judge(&self, claims: &Claims, exp: Option<u64>) -> Result<(), VerifyError> {
        if claims.get("active") != Some(&Value::Bool(true)) {
            return Err(VerifyError::invalid("the token is not active"));
        }
        if exp.is_some_and(|exp| exp <= now_secs()) {
            return Err(VerifyError::invalid("the token has expired"));
        }
        if let (Some(expected), Some(iss)) = (&self.issuer, claims.get("iss"))
            && iss.as_str() != Some(expected.as_str())
        {
            return Err(VerifyError::invalid(
                "the token was issued by another issuer",
            ));
        }
        Ok(())
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl TokenVerifier for IntrospectionVerifier {
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Claims, VerifyError>> {
        Box::pin(self.check(token))
    }
}
