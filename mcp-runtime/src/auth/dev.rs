//! Dev mode: a generated ES256 signing key, persisted in a data directory, whose JWKS the
//! server serves itself and with which it mints tokens for local testing.

use std::{
    path::{Path, PathBuf},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use base64::Engine as _;
use jsonwebtoken::{
    Algorithm, EncodingKey, Header,
    jwk::{Jwk, JwkSet, ThumbprintHash},
};
use serde_json::Value;

use super::{
    jwt::{JwtVerifier, KeySource},
    verifier::Claims,
};

const KEY_FILE: &str = "dev-signing-key.json";

/// A dev-mode signing key could not be made, read, stored or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DevKeyError {
    /// Reading or writing the key file failed.
    #[error("dev signing key file {path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The key file is not what this runtime writes.
    #[error("dev signing key file {0} is corrupt; delete it to generate a new key")]
    Corrupt(PathBuf),
    /// Key encoding or signing failed.
    #[error("dev signing key: {0}")]
    Crypto(String),
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    alg: String,
    kid: String,
    pkcs8: String,
}

/// An ES256 key pair for dev mode. Never use it in production: the private key sits in a
/// file next to the data.
pub struct DevKey {
    kid: String,
    key: EncodingKey,
    public: Jwk,
}

impl std::fmt::Debug for DevKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// What a minted dev token says.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    /// `iss`.
    pub issuer: String,
    /// `aud`: the resource URL of the gateway the token is for.
    pub audience: String,
    /// `sub`.
    pub subject: String,
    /// The tenant claim (named `tenant_claim`), if any.
    pub tenant: Option<String>,
    /// Name of the tenant claim (default `tenant` when empty).
    pub tenant_claim: String,
    /// `client_id`.
    pub client_id: Option<String>,
    /// `scope`, space-joined.
    pub scopes: Vec<String>,
    /// Lifetime (default one hour when zero).
    pub ttl: Duration,
}

impl DevKey {
    /// A fresh key, not stored anywhere.
    pub fn generate() -> Result<Self, DevKeyError> {
        use p256::{elliptic_curve::Generate as _, pkcs8::EncodePrivateKey as _};
        let secret = p256::SecretKey::generate();
        let der = secret
            .to_pkcs8_der()
            .map_err(|e| DevKeyError::Crypto(e.to_string()))?;
        Self::from_pkcs8(der.as_bytes(), None)
    }

    fn from_pkcs8(der: &[u8], kid: Option<String>) -> Result<Self, DevKeyError> {
        let key = EncodingKey::from_ec_der(der);
        let mut public = Jwk::from_encoding_key(&key, Algorithm::ES256)
            .map_err(|e| DevKeyError::Crypto(e.to_string()))?;
        let kid = match kid {
            Some(kid) => kid,
            None => public
                .thumbprint(ThumbprintHash::SHA256)
                .map_err(|e| DevKeyError::Crypto(e.to_string()))?,
        };
        public.common.key_id = Some(kid.clone());
        public.common.public_key_use = Some(jsonwebtoken::jwk::PublicKeyUse::Signature);
        Ok(Self { kid, key, public })
    }

    /// Load `dir/dev-signing-key.json`, or generate a key and store it there (mode 0600).
    pub fn load_or_generate(dir: &Path) -> Result<Self, DevKeyError> {
        let path = dir.join(KEY_FILE);
        let io = |source| DevKeyError::Io {
            path: path.clone(),
            source,
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                let stored: Stored = serde_json::from_slice(&bytes)
                    .map_err(|_| DevKeyError::Corrupt(path.clone()))?;
                let der = base64::engine::general_purpose::STANDARD
                    .decode(stored.pkcs8)
                    .map_err(|_| DevKeyError::Corrupt(path.clone()))?;
                if stored.alg != "ES256" {
                    return Err(DevKeyError::Corrupt(path));
                }
                Self::from_pkcs8(&der, Some(stored.kid))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                use p256::{elliptic_curve::Generate as _, pkcs8::EncodePrivateKey as _};
                std::fs::create_dir_all(dir).map_err(io)?;
                let secret = p256::SecretKey::generate();
                let der = secret
                    .to_pkcs8_der()
                    .map_err(|e| DevKeyError::Crypto(e.to_string()))?;
                let key = Self::from_pkcs8(der.as_bytes(), None)?;
                let stored = Stored {
                    alg: "ES256".into(),
                    kid: key.kid.clone(),
                    pkcs8: base64::engine::general_purpose::STANDARD.encode(der.as_bytes()),
                };
                let json = serde_json::to_vec_pretty(&stored).unwrap_or_default();
                write_private(&path, &json).map_err(io)?;
                Ok(key)
            }
            Err(e) => Err(io(e)),
        }
    }

    /// The key id (`kid`): the key's JWK SHA-256 thumbprint.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key set.
    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.public.clone()],
        }
    }

    /// The public key set as a JSON document.
    pub fn jwks_json(&self) -> String {
        serde_json::to_string(&self.jwks()).unwrap_or_default()
    }

    /// A verifier that trusts exactly this key for tokens from `issuer`.
    pub fn verifier(&self, issuer: impl Into<String>) -> JwtVerifier {
        JwtVerifier::new(KeySource::Static(self.jwks()), issuer).algorithms(&[Algorithm::ES256])
    }

    /// Sign arbitrary claims (ES256, this key's `kid`): for tests of odd tokens.
    pub fn sign(&self, claims: &Claims) -> Result<String, DevKeyError> {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.key)
            .map_err(|e| DevKeyError::Crypto(e.to_string()))
    }

    /// Mint a signed access token.
    pub fn mint(&self, request: &TokenRequest) -> Result<String, DevKeyError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let ttl = if request.ttl.is_zero() {
            3600
        } else {
            request.ttl.as_secs()
        };
        let mut claims = Claims::new();
        claims.insert("iss".into(), request.issuer.clone().into());
        claims.insert("aud".into(), request.audience.clone().into());
        claims.insert("sub".into(), request.subject.clone().into());
        claims.insert("iat".into(), now.into());
        claims.insert("nbf".into(), now.into());
        claims.insert("exp".into(), (now + ttl).into());
        claims.insert("scope".into(), request.scopes.join(" ").into());
        if let Some(client) = &request.client_id {
            claims.insert("client_id".into(), client.clone().into());
        }
        if let Some(tenant) = &request.tenant {
            let name = if request.tenant_claim.is_empty() {
                "tenant"
            } else {
                request.tenant_claim.as_str()
            };
            claims.insert(name.to_owned(), Value::String(tenant.clone()));
        }
        self.sign(&claims)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)
}
