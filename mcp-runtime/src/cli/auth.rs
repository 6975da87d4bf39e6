//! Auth options every server binary can flatten into its clap parser: production settings
//! (issuer, JWKS URL or introspection endpoint, resource URL, required scopes) and dev mode
//! (a generated signing key in the data directory, loopback only), plus the `token`
//! subcommand's options for minting dev tokens.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use crate::auth::{
    Auth, ClaimNames, DevKey, DevKeyError, IntrospectionVerifier, JwtVerifier, KeySource,
    ListPolicy, TokenRequest,
};

/// OAuth resource-server options (all also settable from `MCP_AUTH_*` variables).
#[derive(Debug, Clone, clap::Args)]
pub struct AuthArgs {
    /// Dev mode: sign and trust tokens with a key generated once into the data directory,
    /// serve its JWKS at /.well-known/jwks.json, print a ready token. Loopback only.
    #[arg(long = "dev-auth", env = "MCP_AUTH_DEV")]
    pub dev: bool,
    /// Token issuer (`iss`), also advertised as the authorization server.
    #[arg(long = "auth-issuer", env = "MCP_AUTH_ISSUER")]
    pub issuer: Option<String>,
    /// JWKS URL of the issuer: verify tokens as signed JWTs.
    #[arg(
        long = "auth-jwks-url",
        env = "MCP_AUTH_JWKS_URL",
        conflicts_with = "introspection_url"
    )]
    pub jwks_url: Option<String>,
    /// RFC 7662 introspection endpoint: verify tokens by asking the issuer.
    #[arg(long = "auth-introspection-url", env = "MCP_AUTH_INTROSPECTION_URL")]
    pub introspection_url: Option<String>,
    /// Client id for the introspection endpoint.
    #[arg(long = "auth-client-id", env = "MCP_AUTH_CLIENT_ID")]
    pub client_id: Option<String>,
    /// Client secret for the introspection endpoint.
    #[arg(
        long = "auth-client-secret",
        env = "MCP_AUTH_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub client_secret: Option<String>,
    /// Public base URL of this server (default `http://LISTEN`); a gateway's token audience
    /// is this plus its path, e.g. `https://mcp.example.com/mcp`.
    #[arg(long = "auth-resource-url", env = "MCP_AUTH_RESOURCE_URL")]
    pub resource_url: Option<String>,
    /// Scopes every request to the default gateway needs (comma-separated).
    #[arg(
        long = "auth-required-scope",
        env = "MCP_AUTH_REQUIRED_SCOPES",
        value_delimiter = ','
    )]
    pub required_scopes: Vec<String>,
    /// List every tool in tools/list, not only those the caller's scopes allow.
    #[arg(long = "auth-show-all-tools", env = "MCP_AUTH_SHOW_ALL_TOOLS")]
    pub show_all_tools: bool,
    /// The claim naming the tenant or account (e.g. hub_id).
    #[arg(
        long = "auth-tenant-claim",
        env = "MCP_AUTH_TENANT_CLAIM",
        default_value = "tenant"
    )]
    pub tenant_claim: String,
    /// Reuse a verified token for this many seconds (never past its expiry); 0 verifies
    /// every request.
    #[arg(
        long = "auth-cache-secs",
        env = "MCP_AUTH_CACHE_SECS",
        default_value_t = 30
    )]
    pub cache_secs: u64,
}

/// Options of the `token` subcommand (mint a dev token).
#[derive(Debug, Clone, clap::Args)]
pub struct TokenArgs {
    /// Subject (`sub`).
    #[arg(long, default_value = "dev-user")]
    pub sub: String,
    /// Tenant or account id.
    #[arg(long)]
    pub tenant: Option<String>,
    /// Granted scopes (repeat or comma-separate).
    #[arg(long = "scope", value_delimiter = ',')]
    pub scopes: Vec<String>,
    /// OAuth client id.
    #[arg(long, default_value = "mcp-dev-client")]
    pub client_id: String,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    pub ttl_secs: u64,
    /// Path of the gateway the token is for (its audience).
    #[arg(long, default_value = "/mcp")]
    pub gateway_path: String,
}

/// Auth could not be set up from the options.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthSetupError {
    /// Dev mode on a non-loopback address.
    #[error(
        "dev auth refuses to listen on {0}: it trusts a key stored on this machine; use a loopback address (127.0.0.1, [::1])"
    )]
    DevNotLoopback(SocketAddr),
    /// Production settings are incomplete.
    #[error("auth: {0}")]
    Incomplete(&'static str),
    /// The dev key could not be loaded or used.
    #[error(transparent)]
    DevKey(#[from] DevKeyError),
}

/// Auth as configured, with the dev key when in dev mode.
#[derive(Debug)]
pub struct ConfiguredAuth {
    /// Pass to [`crate::McpServerBuilder::auth`].
    pub auth: Auth,
    /// Dev mode: the key and the issuer it signs as.
    pub dev: Option<DevAuth>,
}

/// Dev mode's key, issuer and resource base.
#[derive(Debug)]
pub struct DevAuth {
    /// The signing key.
    pub key: DevKey,
    /// `iss` of minted tokens.
    pub issuer: String,
    /// Base URL of the server (gateway audiences are this plus their path).
    pub resource_base: String,
    /// Where the key is stored.
    pub key_file: PathBuf,
    /// The tenant claim name.
    pub tenant_claim: String,
}

impl DevAuth {
    /// Mint a token for `args`.
    pub fn mint(&self, args: &TokenArgs) -> Result<String, DevKeyError> {
        self.key.mint(&TokenRequest {
            issuer: self.issuer.clone(),
            audience: format!("{}{}", self.resource_base, args.gateway_path),
            subject: args.sub.clone(),
            tenant: args.tenant.clone(),
            tenant_claim: self.tenant_claim.clone(),
            client_id: Some(args.client_id.clone()),
            scopes: args.scopes.clone(),
            ttl: Duration::from_secs(args.ttl_secs),
        })
    }

    /// Print a ready `Authorization` header and an Inspector command (stdout), for a token
    /// with `scopes`. Dev mode only: production servers never print tokens.
    pub fn print_banner(&self, scopes: &[&str]) -> Result<(), DevKeyError> {
        let args = TokenArgs {
            sub: "dev-user".into(),
            tenant: Some("dev-tenant".into()),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            client_id: "mcp-dev-client".into(),
            ttl_secs: 24 * 3600,
            gateway_path: "/mcp".into(),
        };
        let token = self.mint(&args)?;
        let url = format!("{}/mcp", self.resource_base);
        println!(
            "dev auth: tokens are signed with {} (JWKS at {}/.well-known/jwks.json)",
            self.key_file.display(),
            self.resource_base
        );
        println!("dev token for sub=dev-user tenant=dev-tenant scopes={scopes:?} (24 h):");
        println!("Authorization: Bearer {token}");
        println!(
            "try: npx @modelcontextprotocol/inspector@2.12.0 --cli {url} --transport http --method tools/list --header \"Authorization: Bearer {token}\""
        );
        Ok(())
    }
}

impl AuthArgs {
    /// Whether any auth option is set.
    pub fn enabled(&self) -> bool {
        self.dev || self.jwks_url.is_some() || self.introspection_url.is_some()
    }

    /// Build the auth settings for a server listening on `listen`, keeping the dev key in
    /// `data_dir`. `None` when no auth option is set.
    pub fn configure(
        &self,
        listen: SocketAddr,
        data_dir: &Path,
    ) -> Result<Option<ConfiguredAuth>, AuthSetupError> {
        let base = self
            .resource_url
            .clone()
            .unwrap_or_else(|| format!("http://{listen}"));
        let claims = ClaimNames::default().tenant(self.tenant_claim.clone());
        let policy = if self.show_all_tools {
            ListPolicy::ShowAll
        } else {
            ListPolicy::HideUncallable
        };
        let finish = |auth: Auth, issuer: &str| {
            let auth = auth
                .authorization_server(issuer)
                .verified_cache(Duration::from_secs(self.cache_secs), 1024)
                .claim_names(claims.clone())
                .list_policy(policy);
            if self.required_scopes.is_empty() {
                auth
            } else {
                auth.gateway_scopes(crate::Gateway::DEFAULT, self.required_scopes.clone())
            }
        };
        if self.dev {
            let dev = self.dev_auth(listen, data_dir)?;
            let auth = Auth::new(dev.key.verifier(dev.issuer.clone()), base)
                .serve_jwks(dev.key.jwks_json());
            let auth = finish(auth, &dev.issuer);
            return Ok(Some(ConfiguredAuth {
                auth,
                dev: Some(dev),
            }));
        }
        let Some(issuer) = &self.issuer else {
            if self.enabled() {
                return Err(AuthSetupError::Incomplete(
                    "--auth-issuer is required with --auth-jwks-url or --auth-introspection-url",
                ));
            }
            return Ok(None);
        };
        let auth = if let Some(url) = &self.jwks_url {
            Auth::new(
                JwtVerifier::new(KeySource::Url(url.clone()), issuer.clone()),
                base,
            )
        } else if let Some(url) = &self.introspection_url {
            let mut verifier = IntrospectionVerifier::new(url.clone()).issuer(issuer.clone());
            if let Some(id) = &self.client_id {
                verifier = verifier
                    .client_credentials(id.clone(), self.client_secret.clone().unwrap_or_default());
            }
            Auth::new(verifier, base)
        } else {
            return Err(AuthSetupError::Incomplete(
                "--auth-issuer needs --auth-jwks-url or --auth-introspection-url",
            ));
        };
        Ok(Some(ConfiguredAuth {
            auth: finish(auth, issuer),
            dev: None,
        }))
    }

    /// Dev mode's key (loaded or generated) for a server on `listen`; refuses non-loopback.
    pub fn dev_auth(&self, listen: SocketAddr, data_dir: &Path) -> Result<DevAuth, AuthSetupError> {
        if !listen.ip().is_loopback() {
            return Err(AuthSetupError::DevNotLoopback(listen));
        }
        let key = DevKey::load_or_generate(data_dir)?;
        let base = self
            .resource_url
            .clone()
            .unwrap_or_else(|| format!("http://{listen}"));
        Ok(DevAuth {
            key,
            issuer: base.clone(),
            resource_base: base,
            key_file: data_dir.join("dev-signing-key.json"),
            tenant_claim: self.tenant_claim.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    #[derive(Debug, clap::Parser)]
    struct Cli {
        #[command(flatten)]
        auth: AuthArgs,
    }

    fn parse(args: &[&str]) -> AuthArgs {
        Cli::try_parse_from(std::iter::once("bin").chain(args.iter().copied()))
            .unwrap()
            .auth
    }

    #[test]
    fn dev_mode_is_loopback_only() {
        let dir = std::env::temp_dir();
        let args = parse(&["--dev-auth"]);
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(matches!(
            args.configure(public, &dir),
            Err(AuthSetupError::DevNotLoopback(_))
        ));
    }

    #[test]
    fn production_needs_an_issuer_and_a_verifier() {
        let dir = std::env::temp_dir();
        let listen: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert!(
            parse(&[])
                .configure(listen, &dir)
                .is_ok_and(|a| a.is_none())
        );
        assert!(matches!(
            parse(&["--auth-jwks-url", "https://as.example/jwks"]).configure(listen, &dir),
            Err(AuthSetupError::Incomplete(_))
        ));
        let configured = parse(&[
            "--auth-issuer",
            "https://as.example",
            "--auth-jwks-url",
            "https://as.example/jwks",
            "--auth-resource-url",
            "https://MCP.example.com/",
            "--auth-required-scope",
            "mcp,crm",
        ])
        .configure(listen, &dir);
        let configured = configured.unwrap().unwrap();
        assert!(configured.dev.is_none());
        assert_eq!(
            configured.auth.resource_url("/mcp"),
            "https://mcp.example.com/mcp"
        );
        assert_eq!(configured.auth.base_scopes("default"), ["mcp", "crm"]);
    }
}
