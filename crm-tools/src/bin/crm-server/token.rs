//! `crm-server token`: dev tokens for the demo users (hub id in the tenant claim, the user id as
//! subject, CRM read scopes), signed with the dev key in `--data-dir`.

use std::process::ExitCode;

use crm_tools::demo::DEMO_USERS;
use crm_tools::model::ObjectType;
use crm_tools::server::DEEP_RESEARCH_PATH;
use mcp_runtime::cli::TokenArgs;

use crate::Args;

/// The scope that lets an app list owners (HubSpot's).
pub(crate) const OWNERS_SCOPE: &str = "crm.objects.owners.read";

/// The OAuth client the dev tokens name.
const DEV_CLIENT_ID: &str = "crm-dev-client";

/// Options of `crm-server token`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct TokenCommand {
    /// The CRM user id (the token's subject); see the demo users in the serve banner.
    #[arg(long)]
    pub(crate) user: i64,
    /// The account (hub id, in the tenant claim).
    #[arg(long, default_value_t = 1)]
    pub(crate) tenant: i64,
    /// Granted scopes, comma-separated (default: every object read scope and the owners scope).
    #[arg(long, alias = "scope", value_delimiter = ',')]
    pub(crate) scopes: Vec<String>,
    /// The gateway the token is for (its audience): /mcp or /deep-research/mcp.
    #[arg(long, default_value = "/mcp", value_parser = ["/mcp", DEEP_RESEARCH_PATH])]
    pub(crate) gateway_path: String,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    pub(crate) ttl_secs: u64,
}

/// Every object type's read scope plus the owners scope: what the banner's tokens carry.
pub(crate) fn default_scopes() -> Vec<String> {
    ObjectType::ALL
        .iter()
        .map(|t| t.read_scope().to_owned())
        .chain([OWNERS_SCOPE.to_owned()])
        .collect()
}

/// The runtime's token request for a CRM user.
pub(crate) fn token_args(
    tenant: i64,
    user: i64,
    scopes: Vec<String>,
    gateway_path: &str,
    ttl_secs: u64,
) -> TokenArgs {
    TokenArgs {
        sub: user.to_string(),
        tenant: Some(tenant.to_string()),
        scopes,
        client_id: DEV_CLIENT_ID.to_owned(),
        ttl_secs,
        gateway_path: gateway_path.to_owned(),
    }
}

/// Runs `crm-server token`: prints only the token, so `$(crm-server token --user 3)` works.
pub(crate) fn run(args: &Args, command: &TokenCommand) -> ExitCode {
    if !DEMO_USERS
        .iter()
        .any(|u| u.tenant == command.tenant && u.id == command.user)
    {
        eprintln!(
            "note: tenant {} has no demo user {}; the server will refuse this token",
            command.tenant, command.user
        );
    }
    let scopes = if command.scopes.is_empty() {
        default_scopes()
    } else {
        command.scopes.clone()
    };
    let request = token_args(
        command.tenant,
        command.user,
        scopes,
        &command.gateway_path,
        command.ttl_secs,
    );
    let minted = args
        .auth
        .dev_auth(args.serve.listen, &args.storage.data_dir)
        .map_err(|e| e.to_string())
        .and_then(|dev| dev.mint(&request).map_err(|e| e.to_string()));
    match minted {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
