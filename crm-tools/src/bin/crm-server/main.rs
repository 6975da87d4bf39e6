//! `crm-server`: the read-only CRM as a remote MCP server.
//!
//! ```text
//! crm-server [serve]   serve /mcp and /deep-research/mcp (seeds demo data on first run)
//! crm-server seed      (re)generate the demo database and its expected.json
//! crm-server token     mint a dev token for a demo user
//! crm-server schemas   export | check | lint the tool schemas
//! ```
//!
//! With no production auth option, `serve` runs in dev mode: loopback only, tokens signed by a
//! key generated into `--data-dir`, and a start-up banner with ready tokens for the demo users.

mod banner;
mod database;
mod date;
mod seed;
mod serve;
mod token;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use mcp_runtime::cli::{AuthArgs, ServeArgs, schemas::SchemasCommand};

/// Exit code of a usage or configuration error (DESIGN.md §6).
const USAGE: u8 = 2;

/// The tenant claim CRM tokens carry: HubSpot's account id claim.
const TENANT_CLAIM: &str = "hub_id";

#[derive(Debug, Parser)]
#[command(
    name = "crm-server",
    version,
    about = "A read-only, permission-aware CRM (modelled on HubSpot) served over MCP."
)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
    #[command(flatten)]
    auth: AuthArgs,
    #[command(flatten)]
    storage: database::StorageArgs,
    #[command(flatten)]
    options: serve::ServeOptions,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve MCP (the default): /mcp, /deep-research/mcp and /healthz.
    Serve,
    /// Generate the demo database and its ground truth (expected.json).
    Seed(seed::SeedArgs),
    /// Mint a dev token for a demo user (signed with the dev key in --data-dir) and print it.
    Token(token::TokenCommand),
    /// Export, check (against schemas.json) or lint the tool schemas.
    #[command(subcommand)]
    Schemas(SchemasCommand),
}

/// The parser with two adjustments the derive cannot express on flattened runtime types:
/// the tenant claim defaults to `hub_id` (HubSpot's account claim) instead of the runtime's
/// generic `tenant`, and every top-level option is global so that `crm-server serve --listen …`,
/// `crm-server token --listen …` and `crm-server seed --now …` work as well as options placed
/// before the subcommand.
///
/// `mut_arg` panics on an unknown id; every unit test parses through this function, so a
/// renamed runtime field fails the tests, never a user's run.
fn command() -> clap::Command {
    Args::command()
        .mut_arg("tenant_claim", |a| a.default_value(TENANT_CLAIM))
        .mut_args(|a| {
            if a.get_id() == "help" || a.get_id() == "version" || a.is_positional() {
                a
            } else {
                a.global(true)
            }
        })
}

fn parse() -> Args {
    let matches = command().get_matches();
    Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

#[tokio::main]
async fn main() -> ExitCode {
    mcp_runtime::cli::init_tracing();
    let args = parse();
    match &args.command {
        Some(Command::Seed(seed)) => seed::run(&args.storage, &args.options, seed),
        Some(Command::Token(token)) => token::run(&args, token),
        Some(Command::Schemas(command)) => {
            mcp_runtime::cli::schemas::run(crm_tools::server::builder(), command)
        }
        Some(Command::Serve) | None => serve::run(&args).await,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn parse_from(args: &[&str]) -> Args {
        let matches = command()
            .try_get_matches_from(std::iter::once("crm-server").chain(args.iter().copied()))
            .unwrap();
        Args::from_arg_matches(&matches).unwrap()
    }

    #[test]
    fn schemas_match_the_snapshot() {
        mcp_runtime::assert_schema_snapshot!(crm_tools::server::builder());
    }

    #[test]
    fn schemas_pass_the_lint_in_every_profile() {
        mcp_runtime::schema::assert_lint_clean(crm_tools::server::builder());
    }

    #[test]
    fn the_parser_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn the_tenant_claim_defaults_to_hub_id() {
        // The variable, when set in the test's environment, rightly overrides the default.
        if std::env::var_os("MCP_AUTH_TENANT_CLAIM").is_none() {
            assert_eq!(parse_from(&[]).auth.tenant_claim, "hub_id");
        }
        let args = parse_from(&["--auth-tenant-claim", "account"]);
        assert_eq!(args.auth.tenant_claim, "account");
    }

    #[test]
    fn server_options_work_after_the_subcommand() {
        let args = parse_from(&[
            "serve",
            "--listen",
            "127.0.0.1:9999",
            "--data-dir",
            "/tmp/x",
        ]);
        assert_eq!(args.serve.listen.port(), 9999);
        assert_eq!(args.storage.data_dir, PathBuf::from("/tmp/x"));
        let args = parse_from(&["token", "--user", "3", "--listen", "127.0.0.1:9998"]);
        assert_eq!(args.serve.listen.port(), 9998);
        assert!(matches!(args.command, Some(Command::Token(t)) if t.user == 3));
    }

    #[test]
    fn observability_options_parse() {
        use mcp_runtime::{AuditLog, cli::LogFormat};
        let args = parse_from(&[
            "serve",
            "--log-format",
            "json",
            "--metrics-listen",
            "127.0.0.1:9464",
            "--audit-log",
            "off",
        ]);
        assert_eq!(args.serve.log_format, Some(LogFormat::Json));
        assert_eq!(args.serve.metrics_listen.unwrap().port(), 9464);
        assert_eq!(args.serve.audit_log, AuditLog::Off);
        if std::env::var_os("MCP_AUDIT_LOG").is_none() {
            assert_eq!(parse_from(&[]).serve.audit_log, AuditLog::Auto);
        }
        assert!(
            command()
                .try_get_matches_from(["crm-server", "--log-format", "yaml"])
                .is_err()
        );
    }

    #[test]
    fn serve_options_work_with_and_without_the_subcommand() {
        let args = parse_from(&["--now", "2026-11-01", "--dev-user", "3"]);
        assert_eq!(args.options.dev_user, 3);
        let args = parse_from(&["serve", "--now", "2026-11-01", "--dev-user", "4"]);
        assert!(matches!(args.command, Some(Command::Serve)));
        assert_eq!(args.options.dev_user, 4);
        assert_eq!(args.options.now.as_deref(), Some("2026-11-01"));
    }
}
