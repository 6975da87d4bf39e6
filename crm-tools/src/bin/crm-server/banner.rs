//! The start-up banner (stdout): where the gateways are and, in dev mode, ready tokens for the
//! demo users and an Inspector command — so a first run needs no reading to try.

use crm_tools::demo::{DEMO_USERS, DemoUser, MAIN_TENANT};
use crm_tools::server::DEEP_RESEARCH_PATH;
use mcp_runtime::auth::DevKeyError;
use mcp_runtime::cli::auth::DevAuth;

use crate::Args;
use crate::token::{default_scopes, token_args};

/// The banner tokens' lifetime: a working day.
const BANNER_TTL_SECS: u64 = 24 * 3600;

/// The Inspector release the banner's command pins (the one the e2e tests use).
const INSPECTOR: &str = "@modelcontextprotocol/inspector@2.12.0";

/// The public URLs of the two gateways.
#[derive(Debug)]
pub(crate) struct Urls {
    mcp: String,
    deep_research: String,
}

impl Urls {
    /// The URLs under the dev resource base, the `--auth-resource-url`, or `http://LISTEN`.
    pub(crate) fn new(dev: Option<&DevAuth>, args: &Args) -> Self {
        let base = dev.map_or_else(
            || {
                args.auth.resource_url.as_deref().map_or_else(
                    || format!("http://{}", args.serve.listen),
                    |u| u.trim_end_matches('/').to_owned(),
                )
            },
            |d| d.resource_base.clone(),
        );
        Self {
            mcp: format!("{base}/mcp"),
            deep_research: format!("{base}{DEEP_RESEARCH_PATH}"),
        }
    }
}

/// The demo user of the main account with id `id`.
pub(crate) fn dev_user(id: i64) -> Option<&'static DemoUser> {
    DEMO_USERS
        .iter()
        .find(|u| u.tenant == MAIN_TENANT && u.id == id)
}

/// Production: the endpoints only (production servers never print tokens).
pub(crate) fn print_production(urls: &Urls) {
    println!("MCP:           {}", urls.mcp);
    println!("Deep Research: {}", urls.deep_research);
}

/// Dev mode: endpoints, tokens for `user` on both gateways, every demo user, an Inspector
/// command.
pub(crate) fn print_dev(
    dev: &DevAuth,
    urls: &Urls,
    user: &DemoUser,
    args: &Args,
) -> Result<(), DevKeyError> {
    let mint = |path: &str| {
        dev.mint(&token_args(
            user.tenant,
            user.id,
            default_scopes(),
            path,
            BANNER_TTL_SECS,
        ))
    };
    let token = mint("/mcp")?;
    let deep_research_token = mint(DEEP_RESEARCH_PATH)?;
    print_production(urls);
    println!(
        "dev auth: tokens are signed with {} (JWKS at {}/.well-known/jwks.json); the account is the `{}` claim",
        dev.key_file.display(),
        dev.resource_base,
        dev.tenant_claim
    );
    println!(
        "dev token for user {} ({}: {}), hub_id {}, all read scopes + owners, 24 h, for {}:",
        user.id, user.email, user.description, user.tenant, urls.mcp
    );
    println!("Authorization: Bearer {token}");
    println!(
        "the same user's token for {} (a token's audience is its gateway):",
        urls.deep_research
    );
    println!("Authorization: Bearer {deep_research_token}");
    let command = token_command(args);
    println!(
        "demo users (mint a token: {command} --user N [--tenant N] [--scopes a,b] [--gateway-path {DEEP_RESEARCH_PATH}]):"
    );
    for u in &DEMO_USERS {
        println!(
            "  tenant {} user {}  {:<28} {}",
            u.tenant, u.id, u.email, u.description
        );
    }
    println!(
        "try: npx {INSPECTOR} --cli {} --transport http --method tools/list --header \"Authorization: Bearer {token}\"",
        urls.mcp
    );
    Ok(())
}

/// `crm-server [--listen …] [--data-dir …] token`: the options a token needs to match this
/// server (its audience and signing key), shown only when they differ from the defaults.
fn token_command(args: &Args) -> String {
    let mut command = "crm-server".to_owned();
    if args.serve.listen.to_string() != "127.0.0.1:8080" {
        command.push_str(&format!(" --listen {}", args.serve.listen));
    }
    if args.storage.data_dir.as_os_str() != "./crm-data" {
        command.push_str(&format!(" --data-dir {}", args.storage.data_dir.display()));
    }
    command.push_str(" token");
    command
}
