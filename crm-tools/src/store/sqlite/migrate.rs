//! Creating and upgrading the database file: a `schema_version` table and numbered, idempotent
//! steps, run in one transaction on every open.
//!
//! 1. The tables (with, on a new file, the free-text indexes and triggers).
//! 2. Free text: one FTS5 index per object type, filled from the rows already there; and the
//!    composite indexes for the common filter + sort shapes, replacing the narrower ones.

use rusqlite::{Connection, OptionalExtension};

use crate::model::Catalogue;
use crate::sql::{Dialect, SqliteDialect, create_free_text, create_tables, rebuild_free_text};
use crate::store::StoreError;
use crate::store::indexes::index_statements;

/// The newest schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

/// Tables beside the ones generated from the catalogue: accounts, login users and the per-user
/// permissions a [`crate::permission::Viewer`] is built from.
const DIRECTORY_TABLES: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, ui_domain TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS users (tenant_id INTEGER NOT NULL, id INTEGER NOT NULL, email TEXT NOT NULL, \
     owner_id INTEGER, sensitive_ok INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, id))",
    "CREATE TABLE IF NOT EXISTS user_permissions (tenant_id INTEGER NOT NULL, user_id INTEGER NOT NULL, \
     object_type TEXT NOT NULL, view TEXT NOT NULL, unassigned INTEGER NOT NULL, \
     PRIMARY KEY (tenant_id, user_id, object_type))",
    "CREATE TABLE IF NOT EXISTS user_hidden_properties (tenant_id INTEGER NOT NULL, user_id INTEGER NOT NULL, \
     object_type TEXT NOT NULL, property TEXT NOT NULL, PRIMARY KEY (tenant_id, user_id, object_type, property))",
    "CREATE INDEX IF NOT EXISTS associations_to ON associations (tenant_id, to_type, to_id)",
    "CREATE INDEX IF NOT EXISTS team_members_owner ON team_members (tenant_id, owner_id)",
];

/// Version 1 indexes that a version 2 index now covers as a prefix (or replaces with the
/// owner added), dropped so the planner has fewer near-duplicates and the seed builds fewer.
const REPLACED_INDEXES: &[&str] = &[
    "contacts_lifecyclestage",
    "contacts_region_createdate",
    "deals_dealstage",
    "tickets_pipeline_stage",
];

/// Brings the file at `conn` to [`SCHEMA_VERSION`]; a no-op when it is there already.
pub(crate) fn migrate(conn: &mut Connection, catalogue: &Catalogue) -> Result<(), StoreError> {
    // WAL lets the read-only pool read while a seeding writer commits.
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    let tx = conn.transaction()?;
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
        [],
    )?;
    let found: i64 = tx
        .query_row("SELECT MAX(version) FROM schema_version", [], |r| {
            r.get::<_, Option<i64>>(0)
        })
        .optional()?
        .flatten()
        .unwrap_or(0);
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < 1 {
        for stmt in create_tables(catalogue, &SqliteDialect)
            .into_iter()
            .chain(DIRECTORY_TABLES.iter().map(|s| (*s).to_owned()))
        {
            tx.execute(&stmt, [])?;
        }
        tx.execute("INSERT INTO schema_version (version) VALUES (1)", [])?;
    }
    if found < 2 {
        // A version 1 file may hold rows: its new free-text indexes are filled from them.
        let d = SqliteDialect;
        let drops = REPLACED_INDEXES
            .iter()
            .map(|name| format!("DROP INDEX IF EXISTS {}", d.quote_ident(name)));
        for stmt in create_free_text(catalogue, &d)
            .into_iter()
            .chain(rebuild_free_text(catalogue))
            .chain(drops)
            .chain(index_statements(&d, false))
        {
            tx.execute(&stmt, [])?;
        }
        tx.execute("INSERT INTO schema_version (version) VALUES (2)", [])?;
    }
    tx.commit()?;
    Ok(())
}
