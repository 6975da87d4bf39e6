//! JWT access tokens verified against a JWKS: fetched from a URL (cached, refreshed on an
//! unknown `kid` at most once per interval) or given statically.

use std::{
    str::FromStr as _,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use futures_util::future::BoxFuture;
use jsonwebtoken::{
    Algorithm, AlgorithmFamily, DecodingKey, Validation,
    errors::ErrorKind,
    jwk::{AlgorithmParameters, Jwk, JwkSet, PublicKeyUse},
};

use super::verifier::{Claims, TokenVerifier, VerifyError};

/// Where a [`JwtVerifier`] gets its public keys.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum KeySource {
    /// These keys, never refreshed.
    Static(JwkSet),
    /// A JWKS document at this URL (`https:` in production), fetched on first use, again
    /// when the cache is older than the TTL, and when a token names an unknown `kid` (at
    /// most once per refresh interval).
    Url(String),
}

/// The asymmetric algorithms accepted by default. HMAC (`HS*`) and `none` never are.
const DEFAULT_ALGORITHMS: [Algorithm; 9] = [
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::EdDSA,
];

/// Most keys kept from one JWKS document; the rest are ignored.
const MAX_KEYS: usize = 32;
/// Largest JWKS document read.
const MAX_JWKS_BYTES: usize = 256 << 10;

/// Verifies signed JWT access tokens: signature (against the JWKS key named by `kid`),
/// algorithm allow-list, `iss`, `exp` and `nbf` (with a small leeway). The runtime checks
/// `aud` and scopes afterwards.
#[derive(Debug)]
pub struct JwtVerifier {
    keys: KeyCache,
    issuer: String,
    leeway: u64,
    validations: Vec<(Algorithm, Validation)>,
}

impl JwtVerifier {
    /// Verify tokens issued by `issuer` (the exact `iss` value) with keys from `source`.
    pub fn new(source: KeySource, issuer: impl Into<String>) -> Self {
        let mut verifier = Self {
            keys: KeyCache::new(source),
            issuer: issuer.into(),
            leeway: 30,
            validations: Vec::new(),
        };
        verifier.set_algorithms(&DEFAULT_ALGORITHMS);
        verifier
    }

    /// Accept only these algorithms (HMAC ones are dropped: a JWKS holds public keys).
    pub fn algorithms(mut self, algorithms: &[Algorithm]) -> Self {
        self.set_algorithms(algorithms);
        self
    }

    /// Clock-skew allowance for `exp` and `nbf`, in seconds (default 30).
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        let algorithms: Vec<Algorithm> = self.validations.iter().map(|(a, _)| *a).collect();
        self.set_algorithms(&algorithms);
        self
    }

    /// Refresh a URL key source at most this often on unknown `kid`s (default 30 s).
    pub fn refresh_interval(mut self, interval: Duration) -> Self {
        self.keys.min_refresh = interval;
        self
    }

    /// Re-fetch a URL key source when the cached keys are older than this (default 10 min).
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.keys.ttl = ttl;
        self
    }

    fn set_algorithms(&mut self, algorithms: &[Algorithm]) {
        self.validations = algorithms
            .iter()
            .filter(|a| a.family() != AlgorithmFamily::Hmac)
            .map(|alg| {
                let mut v = Validation::new(*alg);
                v.set_issuer(&[self.issuer.as_str()]);
                v.set_required_spec_claims(&["exp", "iss"]);
                v.leeway = self.leeway;
                v.validate_nbf = true;
                // The runtime checks `aud` against the gateway's resource URL itself.
                v.validate_aud = false;
                (*alg, v)
            })
            .collect();
    }

    async fn check(&self, token: &str) -> Result<Claims, VerifyError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| VerifyError::invalid("malformed JWT or unsupported algorithm"))?;
        let alg = header.alg;
        let Some((_, validation)) = self.validations.iter().find(|(a, _)| *a == alg) else {
            return Err(VerifyError::invalid(format!(
                "algorithm {alg:?} is not accepted"
            )));
        };
        let key = self.keys.key(header.kid.as_deref(), alg).await?;
        let data = jsonwebtoken::decode::<Claims>(token, &key, validation).map_err(|e| {
            VerifyError::invalid(match e.kind() {
                ErrorKind::ExpiredSignature => "the token has expired".to_owned(),
                ErrorKind::ImmatureSignature => "the token is not valid yet (nbf)".to_owned(),
                ErrorKind::InvalidIssuer => "the token was issued by another issuer".to_owned(),
                ErrorKind::InvalidSignature => "bad signature".to_owned(),
                ErrorKind::MissingRequiredClaim(c) => format!("the token has no `{c}` claim"),
                _ => "the token was rejected".to_owned(),
            })
        })?;
        Ok(data.claims)
    }
}

impl TokenVerifier for JwtVerifier {
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Claims, VerifyError>> {
        Box::pin(self.check(token))
    }
}

/// One usable public key.
#[derive(Debug)]
struct Key {
    kid: Option<String>,
    family: AlgorithmFamily,
    alg: Option<Algorithm>,
    key: Arc<DecodingKey>,
}

impl Key {
    fn from_jwk(jwk: &Jwk) -> Option<Self> {
        if jwk
            .common
            .public_key_use
            .as_ref()
            .is_some_and(|u| *u != PublicKeyUse::Signature)
        {
            return None;
        }
        let family = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => AlgorithmFamily::Rsa,
            AlgorithmParameters::EllipticCurve(_) => AlgorithmFamily::Ec,
            AlgorithmParameters::OctetKeyPair(_) => AlgorithmFamily::Ed,
            // Symmetric keys have no place in a public key set.
            _ => return None,
        };
        let alg = match jwk.common.key_algorithm {
            Some(ka) => Some(Algorithm::from_str(&ka.to_string()).ok()?),
            None => None,
        };
        let key = DecodingKey::from_jwk(jwk).ok()?;
        Some(Self {
            kid: jwk.common.key_id.clone(),
            family,
            alg,
            key: Arc::new(key),
        })
    }

    fn fits(&self, alg: Algorithm) -> bool {
        self.family == alg.family() && self.alg.is_none_or(|a| a == alg)
    }
}

#[derive(Debug, Default)]
struct KeySet {
    keys: Vec<Key>,
    fetched: Option<Instant>,
    /// Whether the last fetch worked (a failed one keeps the keys it had).
    ok: bool,
}

impl KeySet {
    fn from_jwks(jwks: &JwkSet) -> Self {
        Self {
            keys: jwks
                .keys
                .iter()
                .filter_map(Key::from_jwk)
                .take(MAX_KEYS)
                .collect(),
            fetched: Some(Instant::now()),
            ok: true,
        }
    }

    /// The key a token's header names. Without a `kid`, only a set with one fitting key
    /// answers: no key is ever tried after another.
    fn find(&self, kid: Option<&str>, alg: Algorithm) -> Lookup {
        match kid {
            Some(kid) => match self.keys.iter().find(|k| k.kid.as_deref() == Some(kid)) {
                Some(k) if k.fits(alg) => Lookup::Found(Arc::clone(&k.key)),
                Some(_) => Lookup::Mismatch,
                None => Lookup::Unknown,
            },
            None => {
                let mut fitting = self.keys.iter().filter(|k| k.fits(alg));
                match (fitting.next(), fitting.next()) {
                    (Some(k), None) => Lookup::Found(Arc::clone(&k.key)),
                    _ => Lookup::Unknown,
                }
            }
        }
    }
}

enum Lookup {
    Found(Arc<DecodingKey>),
    /// The `kid` names a key of another family or algorithm: no refresh will fix that.
    Mismatch,
    Unknown,
}

#[derive(Debug)]
struct KeyCache {
    url: Option<(String, reqwest::Client)>,
    set: RwLock<Arc<KeySet>>,
    /// Held while fetching: one fetch at a time; remembers when the last one started.
    refresh: tokio::sync::Mutex<Option<Instant>>,
    min_refresh: Duration,
    ttl: Duration,
}

impl KeyCache {
    fn new(source: KeySource) -> Self {
        let (url, set) = match source {
            KeySource::Static(jwks) => (None, KeySet::from_jwks(&jwks)),
            KeySource::Url(url) => {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(5))
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap_or_default();
                (Some((url, client)), KeySet::default())
            }
        };
        Self {
            url,
            set: RwLock::new(Arc::new(set)),
            refresh: tokio::sync::Mutex::new(None),
            min_refresh: Duration::from_secs(30),
            ttl: Duration::from_secs(600),
        }
    }

    fn current(&self) -> Arc<KeySet> {
        Arc::clone(&self.set.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn fresh(&self, set: &KeySet) -> bool {
        self.url.is_none() || set.fetched.is_some_and(|t| t.elapsed() < self.ttl)
    }

    async fn key(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Arc<DecodingKey>, VerifyError> {
        let set = self.current();
        let stale = !self.fresh(&set);
        match set.find(kid, alg) {
            Lookup::Found(key) if !stale => return Ok(key),
            Lookup::Mismatch => {
                return Err(VerifyError::invalid(
                    "the key named by `kid` does not fit the token's algorithm",
                ));
            }
            Lookup::Unknown if self.url.is_none() => {
                return Err(VerifyError::invalid("unknown signing key (`kid`)"));
            }
            _ => {}
        }
        let Some((url, client)) = &self.url else {
            return Err(VerifyError::invalid("unknown signing key (`kid`)"));
        };
        let mut last = self.refresh.lock().await;
        // Someone else may have refreshed while this request waited.
        let mut set = self.current();
        let due = last.is_none_or(|t| t.elapsed() >= self.min_refresh);
        if due && (!self.fresh(&set) || matches!(set.find(kid, alg), Lookup::Unknown)) {
            *last = Some(Instant::now());
            let fetched = fetch(client, url).await;
            let next = match fetched {
                Ok(jwks) => KeySet::from_jwks(&jwks),
                Err(reason) => {
                    tracing::warn!(target: "mcp_runtime::auth", %url, %reason, "JWKS fetch failed");
                    KeySet {
                        keys: set.keys.iter().map(Key::clone_ref).collect(),
                        fetched: set.fetched,
                        ok: false,
                    }
                }
            };
            set = Arc::new(next);
            *self.set.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&set);
        }
        drop(last);
        match set.find(kid, alg) {
            Lookup::Found(key) => Ok(key),
            Lookup::Mismatch => Err(VerifyError::invalid(
                "the key named by `kid` does not fit the token's algorithm",
            )),
            Lookup::Unknown if set.ok => Err(VerifyError::invalid("unknown signing key (`kid`)")),
            Lookup::Unknown => Err(VerifyError::Unavailable(
                "the authorization server's keys cannot be fetched".to_owned(),
            )),
        }
    }
}

impl Key {
    fn clone_ref(&self) -> Self {
        Self {
            kid: self.kid.clone(),
            family: self.family,
            alg: self.alg,
            key: Arc::clone(&self.key),
        }
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<JwkSet, String> {
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()));
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_JWKS_BYTES as u64)
    {
        return Err("document too large".to_owned());
    }
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if body.len() > MAX_JWKS_BYTES {
        return Err("document too large".to_owned());
    }
    // Keys this library cannot use are skipped, not fatal.
    #[derive(serde::Deserialize)]
    struct Doc {
        keys: Vec<serde_json::Value>,
    }
    let doc: Doc = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    Ok(JwkSet {
        keys: doc
            .keys
            .into_iter()
            .filter_map(|k| serde_json::from_value(k).ok())
            .collect(),
    })
}
