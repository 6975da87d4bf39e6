//! Creating and upgrading the PostgreSQL schema: a `crm_schema_version` table and numbered,
//! idempotent steps, each run in a transaction under a transaction-level advisory lock.
//!
//! Several replicas starting at once against a fresh database all call [`migrate`]: the first
//! to take the lock creates the schema, the others wait for its commit, then find the version
//! already there and do nothing. DDL is transactional in PostgreSQL, so a replica that dies
//! half-way leaves no half-made schema behind.
//!
//! 1. The tables, the directory tables, the secondary indexes (the same list as SQLite's, dates
//!    and amounts descending) and
//!    the trigram index serving free text (`pg_trgm`, a trusted extension since PostgreSQL 13).

use tokio_postgres::Client;

use crate::model::Catalogue;
use crate::sql::{PostgresDialect, create_tables};
use crate::store::StoreError;
use crate::store::indexes::index_statements;

/// The newest schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;

/// The advisory lock key serialising migrations (and first-run seeding, see
/// [`SEED_LOCK`]) across processes: an arbitrary constant, `crm` in ASCII.
pub const MIGRATE_LOCK: i64 = 0x0063_726d_0001;

/// The advisory lock key a server holds while it seeds an empty database on first run, so
/// that of several replicas starting at once exactly one seeds.
pub const SEED_LOCK: i64 = 0x0063_726d_0002;

/// Tables beside the ones generated from the catalogue (see the SQLite store's twin).
const DIRECTORY_TABLES: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS tenants (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ui_domain TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS users (tenant_id BIGINT NOT NULL, id BIGINT NOT NULL, email TEXT NOT NULL, \
     owner_id BIGINT, sensitive_ok BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, id))",
    "CREATE TABLE IF NOT EXISTS user_permissions (tenant_id BIGINT NOT NULL, user_id BIGINT NOT NULL, \
     object_type TEXT NOT NULL, view TEXT NOT NULL, unassigned BIGINT NOT NULL, \
     PRIMARY KEY (tenant_id, user_id, object_type))",
    "CREATE TABLE IF NOT EXISTS user_hidden_properties (tenant_id BIGINT NOT NULL, user_id BIGINT NOT NULL, \
     object_type TEXT NOT NULL, property TEXT NOT NULL, PRIMARY KEY (tenant_id, user_id, object_type, property))",
    "CREATE INDEX IF NOT EXISTS associations_to ON associations (tenant_id, to_type, to_id)",
    "CREATE INDEX IF NOT EXISTS team_members_owner ON team_members (tenant_id, owner_id)",
];

/// Brings the database to [`SCHEMA_VERSION`]; a no-op when it is there already.
pub async fn migrate(client: &mut Client, catalogue: &Catalogue) -> Result<(), StoreError> {
    let encoding: String = client
        .query_one("SHOW server_encoding", &[])
        .await?
        .try_get(0)?;
    if encoding != "UTF8" {
        return Err(StoreError::Corrupt(format!(
            "the database encoding is {encoding}; the CRM store needs UTF8 (CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0)"
        )));
    }
    let tx = client.transaction().await?;
    // `IF NOT EXISTS` on an existing object is a NOTICE per statement: not worth a log line.
    tx.batch_execute("SET LOCAL client_min_messages = warning")
        .await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS crm_schema_version (version BIGINT NOT NULL)")
        .await?;
    let found: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM crm_schema_version",
            &[],
        )
        .await?
        .try_get(0)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < 1 {
        let d = PostgresDialect;
        for stmt in create_tables(catalogue, &d)
            .into_iter()
            .chain(DIRECTORY_TABLES.iter().map(|s| (*s).to_owned()))
            .chain(index_statements(&d, true))
        {
            tx.batch_execute(&stmt).await?;
        }
        tx.execute(
            "INSERT INTO crm_schema_version (version) VALUES ($1)",
            &[&1_i64],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
