//! `crm-server serve` (the default): check the options, seed the demo data on first run, open
//! the store, set up auth (dev mode unless production auth is configured) and serve.

use std::process::ExitCode;
use std::sync::Arc;

use crm_tools::demo::{DemoConfig, SeedMode};
use crm_tools::model::Catalogue;
use crm_tools::store::sqlite::DEFAULT_POOL_SIZE;
use crm_tools::store::{CrmStore, Location, PostgresStore, SqliteStore};
use crm_tools::tools::Crm;
use mcp_runtime::cli::auth::AuthSetupError;

use crate::database::{describe, expected_path};
use crate::{Args, USAGE, banner, date, seed};

/// Options of `serve` that the other subcommands ignore, except `--now` which `seed` shares.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServeOptions {
    /// The demo data's "now" (YYYY-MM-DD, UTC) when seeding; default today. Fix it for
    /// reproducible answers: the same seed and --now always give the same data.
    #[arg(long, env = "CRM_DEMO_NOW")]
    pub(crate) now: Option<String>,
    /// The demo user (of account 1) whose token the dev banner prints.
    #[arg(long, default_value_t = 1)]
    pub(crate) dev_user: i64,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub(crate) async fn run(args: &Args) -> ExitCode {
    let database = match args.storage.database() {
        Ok(path) => path,
        Err(e) => return usage(&e.to_string()),
    };
    let Some(user) = banner::dev_user(args.options.dev_user) else {
        return usage(&format!(
            "--dev-user {}: account 1 has demo users 1 to 7",
            args.options.dev_user
        ));
    };
    // Validate everything cheap before a first-run seed that can take a while.
    let now_ms = match date::demo_now(args.options.now.as_deref()) {
        Ok(ms) => ms,
        Err(e) => return usage(&e),
    };
    let mut auth_args = args.auth.clone();
    // No production verifier configured: this is a developer's machine, so dev auth (which
    // the runtime keeps to loopback addresses).
    if !auth_args.enabled() && auth_args.issuer.is_none() {
        auth_args.dev = true;
    }
    let configured = match auth_args.configure(args.serve.listen, &args.storage.data_dir) {
        Ok(Some(configured)) => configured,
        Ok(None) => return usage("auth is not configured"),
        Err(e @ AuthSetupError::DevNotLoopback(_)) => {
            return usage(&format!(
                "{e}; to serve beyond loopback configure production auth: --auth-issuer with --auth-jwks-url or --auth-introspection-url, and --auth-resource-url"
            ));
        }
        Err(e @ AuthSetupError::Incomplete(_)) => return usage(&e.to_string()),
        Err(e) => return failure(&e.to_string()),
    };
    let store = match &database {
        Location::Sqlite(path) => {
            open_store(path, now_ms).map(|s| Arc::new(s) as Arc<dyn CrmStore>)
        }
        Location::Postgres(url) => open_postgres(url, &args.storage.expected(&database), now_ms)
            .await
            .map(|s| Arc::new(s) as Arc<dyn CrmStore>),
    };
    let store = match store {
        Ok(store) => store,
        Err(e) => return failure(&e),
    };
    let today = date::format_day(date::today_ms());
    let builder = crm_tools::server::builder_for(Crm::new(store))
        .auth(configured.auth)
        .description_var("today", today);
    let urls = banner::Urls::new(configured.dev.as_ref(), args);
    if let Some(dev) = &configured.dev {
        if let Err(e) = banner::print_dev(dev, &urls, user, args) {
            return failure(&e.to_string());
        }
    } else {
        banner::print_production(&urls);
    }
    mcp_runtime::cli::serve_main(builder, &args.serve).await
}

/// Opens the database, seeding the demo data first when it is missing or empty.
fn open_store(database: &std::path::Path, now_ms: i64) -> Result<SqliteStore, String> {
    if !seed::is_seeded(database)? {
        let config = DemoConfig {
            now_ms,
            ..DemoConfig::default()
        };
        eprintln!(
            "first run: seeding demo data into {} (now = {}, seed {}, scale {})",
            database.display(),
            date::format_day(now_ms),
            config.seed,
            config.scale
        );
        let truth = seed::seed_database(database, &config).map_err(|e| e.to_string())?;
        eprintln!(
            "seeded; ground truth in {} (best 90-day converting region: {})",
            expected_path(database).display(),
            truth.best_region
        );
    }
    tracing::info!(database = %database.display(), "opening the CRM store");
    SqliteStore::open(database, Catalogue::standard(), DEFAULT_POOL_SIZE)
        .map_err(|e| format!("cannot open {}: {e}", database.display()))
}

/// Opens a PostgreSQL database, seeding the demo data first when it holds no account. Of
/// several replicas starting at once, one seeds (under an advisory lock) and the others find
/// the data there.
async fn open_postgres(
    url: &str,
    expected: &std::path::Path,
    now_ms: i64,
) -> Result<PostgresStore, String> {
    let location = describe(&Location::Postgres(url.to_owned()));
    let store = PostgresStore::open(url, Catalogue::standard(), PG_POOL_SIZE)
        .await
        .map_err(|e| format!("cannot open {location}: {e}"))?;
    if !store
        .is_seeded()
        .await
        .map_err(|e| format!("cannot read {location}: {e}"))?
    {
        let config = DemoConfig {
            now_ms,
            ..DemoConfig::default()
        };
        eprintln!(
            "first run: seeding demo data into {location} (now = {}, seed {}, scale {})",
            date::format_day(now_ms),
            config.seed,
            config.scale
        );
        match seed::seed_postgres(url, &config, SeedMode::IfEmpty, expected) {
            Ok(truth) => eprintln!(
                "seeded; ground truth in {} (best 90-day converting region: {})",
                expected.display(),
                truth.best_region
            ),
            // Another replica seeded it first.
            Err(seed::SeedFailure::AlreadySeeded(_)) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    tracing::info!(database = %location, "opened the CRM store");
    Ok(store)
}

/// Pooled PostgreSQL connections per server.
const PG_POOL_SIZE: usize = 16;

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE)
}

fn failure(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
