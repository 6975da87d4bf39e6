//! The state every target shares, built once per process: a small seeded SQLite demo store in a
//! temp dir, the real CRM server's router with real ES256 auth, tokens, and the runtime.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use crm_tools::demo::{self, DemoConfig};
use crm_tools::model::{Catalogue, ObjectType};
use crm_tools::server::DEEP_RESEARCH_PATH;
use crm_tools::store::SqliteStore;
use crm_tools::store::sqlite::{SCHEMA_VERSION, open_writer};
use crm_tools::tools::Crm;
use mcp_runtime::auth::{Auth, ClaimNames, DevKey, TokenRequest};

/// The issuer and resource base the server trusts, as in crm-tools' own tests.
pub(crate) const BASE: &str = "http://crm.test";

/// The main gateway.
pub(crate) const MCP_PATH: &str = "/mcp";

/// The seeded server and what it takes to talk to it.
pub(crate) struct Fixture {
    /// Current-thread: one fuzz process, one input at a time; SQLite work still goes to
    /// tokio's blocking threads, as in production.
    pub(crate) runtime: tokio::runtime::Runtime,
    pub(crate) app: Router,
    pub(crate) key: DevKey,
    main_token: String,
    deep_research_token: String,
    pub(crate) db: PathBuf,
}

impl Fixture {
    /// A valid token of user 1 (account admin, every scope) for the gateway at `path`.
    pub(crate) fn token_for(&self, path: &str) -> &str {
        if path.starts_with(DEEP_RESEARCH_PATH) {
            &self.deep_research_token
        } else {
            &self.main_token
        }
    }
}

/// The shared fixture, built on first use.
pub(crate) fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(build)
}

/// The scopes of an app granted everything the CRM asks for.
pub(crate) fn all_scopes() -> Vec<String> {
    ObjectType::ALL
        .iter()
        .map(|t| t.read_scope().to_owned())
        .chain(["crm.objects.owners.read".to_owned()])
        .collect()
}

fn build() -> Fixture {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let db = database();
    let store = SqliteStore::open(&db, Catalogue::standard(), 2).expect("open the demo store");
    let key = DevKey::generate().expect("dev key");
    let auth = Auth::new(key.verifier(BASE), BASE)
        .authorization_server(BASE)
        .claim_names(ClaimNames::default().tenant("hub_id"));
    let server = {
        // The builder may spawn (metrics, key refresh): inside the runtime.
        let _guard = runtime.enter();
        crm_tools::server::builder()
            .state(Crm::new(Arc::new(store)))
            .description_var("today", "2026-11-01")
            .auth(auth)
            .request_state_key(crate::request_state::STATE_KEY)
            .build()
            .expect("build the CRM server")
    };
    let app = server.router();
    let main_token = mint(&key, MCP_PATH);
    let deep_research_token = mint(&key, DEEP_RESEARCH_PATH);
    Fixture {
        runtime,
        app,
        key,
        main_token,
        deep_research_token,
        db,
    }
}

/// The demo store, seeded once per machine and schema version: every fuzz process and test
/// run starts in milliseconds and leaves no temp dir behind (a static is never dropped). Only
/// read, so processes share it; a new schema gets a new file.
fn database() -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "fuzz-harness-crm-schema{SCHEMA_VERSION}-{}.sqlite",
        env!("CARGO_PKG_VERSION")
    ));
    if !path.exists() {
        let dir = tempfile::tempdir_in(std::env::temp_dir()).expect("temp dir");
        let fresh = dir.path().join("crm.sqlite");
        seed(&fresh);
        // Atomic: a concurrent process sees no file or a whole one.
        std::fs::rename(&fresh, &path).expect("move the seeded store into place");
    }
    path
}

/// A 5 % demo store: every permission level and edge-case string of the generator, small
/// enough that a search costs microseconds.
fn seed(db: &Path) {
    let catalogue = Catalogue::standard();
    let conn = open_writer(db, &catalogue).expect("create the demo store");
    let config = DemoConfig {
        scale: 0.05,
        ..DemoConfig::default()
    };
    demo::seed(&conn, &catalogue, &config, &mut |_| {}).expect("seed the demo store");
    // Closing checkpoints the write-ahead log into the file, so the file alone is the store.
    drop(conn);
}

fn mint(key: &DevKey, path: &str) -> String {
    key.mint(&TokenRequest {
        issuer: BASE.to_owned(),
        audience: format!("{BASE}{path}"),
        subject: "1".to_owned(),
        tenant: Some("1".to_owned()),
        tenant_claim: "hub_id".to_owned(),
        client_id: Some("fuzz".to_owned()),
        scopes: all_scopes(),
        // Longer than any fuzz session.
        ttl: Duration::from_secs(7 * 24 * 3600),
    })
    .expect("mint a token")
}
