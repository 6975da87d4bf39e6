//! Creating and upgrading the database file: a `schema_version` table and numbered, idempotent
//! steps, run in one transaction on every open.

use rusqlite::{Connection, OptionalExtension};

use crate::model::{Catalogue, ObjectType};
use crate::sql::{Dialect, SqliteDialect, create_tables};
use crate::store::StoreError;

/// The newest schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;

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

/// Indexes serving the common filters and sorts: every table by tenant + create date and tenant +
/// owner, plus the analytics and pipeline columns. Tenant comes first because every query pins
/// it. The owner rides along in the create-date index (and the other way round) so a date range
/// under a team/own permission predicate is counted from the index alone.
fn indexes() -> Vec<(ObjectType, &'static str, &'static [&'static str])> {
    use ObjectType::{Companies, Contacts, Deals, Tickets};
    let mut list = Vec::new();
    for t in ObjectType::ALL {
        list.push((t, "createdate", &["createdate", "hubspot_owner_id"][..]));
        list.push((t, "owner", &["hubspot_owner_id", "createdate"][..]));
    }
    list.extend([
        (Contacts, "lastmodifieddate", &["lastmodifieddate"][..]),
        (Contacts, "lifecyclestage", &["lifecyclestage"][..]),
        (Contacts, "region_createdate", &["region", "createdate"][..]),
        (Contacts, "email", &["email"][..]),
        (Companies, "region", &["region"][..]),
        (Companies, "name", &["name"][..]),
        (Deals, "dealstage", &["dealstage"][..]),
        (Deals, "closedate", &["closedate"][..]),
        (Deals, "amount", &["amount"][..]),
        (Tickets, "pipeline_stage", &["hs_pipeline_stage"][..]),
    ]);
    list
}

fn index_statements() -> Vec<String> {
    let d = SqliteDialect;
    indexes()
        .into_iter()
        .map(|(t, name, columns)| {
            let cols: Vec<String> = std::iter::once("tenant_id")
                .chain(columns.iter().copied())
                .map(|c| d.quote_ident(c))
                .collect();
            format!(
                "CREATE INDEX IF NOT EXISTS {} ON {} ({})",
                d.quote_ident(&format!("{}_{name}", t.as_str())),
                d.quote_ident(t.as_str()),
                cols.join(", ")
            )
        })
        .collect()
}

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
            .chain(index_statements())
        {
            tx.execute(&stmt, [])?;
        }
        tx.execute("INSERT INTO schema_version (version) VALUES (1)", [])?;
    }
    tx.commit()?;
    Ok(())
}
