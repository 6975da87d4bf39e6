//! Seeding PostgreSQL: the same generator, streamed with `COPY … FROM STDIN` (text format).
//!
//! Rows are encoded into one buffer per table and sent as a `COPY` whenever a buffer passes
//! `FLUSH_BYTES` (8 MiB), so one connection serves the interleaved tables. Secondary indexes are
//! dropped first and rebuilt after the load (bulk-built, much cheaper than maintained row by
//! row), then `VACUUM (ANALYZE)` gives the planner its statistics and the visibility map.
//!
//! This module uses the blocking `postgres` client (the same driver as the store, wrapped in
//! its own runtime): call it from a plain thread, not from inside an async task.

use std::collections::HashMap;
use std::io::Write as _;

use postgres::{Client, NoTls};

use super::DemoConfig;
use super::load::{AssociationRow, Sink, insert_sql, record_columns};
use super::{GroundTruth, Progress, SeedError, directory, empty_truth, generate_into, validate};
use crate::model::{Catalogue, ObjectType};
use crate::sql::{Dialect, PostgresDialect, SqlValue};
use crate::store::postgres::SEED_LOCK;
use crate::store::{PostgresStore, StoreError};

/// Buffered bytes per table before a `COPY` is sent.
const FLUSH_BYTES: usize = 8 << 20;

/// The tables a seed writes, emptied by [`SeedMode::Replace`].
const TABLES: &[&str] = &[
    "tenants",
    "users",
    "user_permissions",
    "user_hidden_properties",
    "owners",
    "teams",
    "team_members",
    "associations",
    "contacts",
    "companies",
    "deals",
    "tickets",
];

/// What to do with a database that already holds data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedMode {
    /// Seed only an empty database; otherwise fail with [`SeedError::AlreadySeeded`].
    IfEmpty,
    /// Empty every CRM table first (`TRUNCATE`), then seed.
    Replace,
}

/// Appends `v` in `COPY` text format.
fn encode(out: &mut Vec<u8>, v: &SqlValue) {
    match v {
        SqlValue::Null => out.extend_from_slice(b"\\N"),
        SqlValue::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        SqlValue::Real(r) => {
            let _ = write!(out, "{r}");
        }
        SqlValue::Text(t) => {
            for b in t.bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
    }
}

/// One table's pending `COPY` rows.
#[derive(Debug)]
struct Buffer {
    copy_sql: String,
    bytes: Vec<u8>,
}

impl Buffer {
    fn new(table: &str, columns: &[String]) -> Self {
        let d = PostgresDialect;
        let cols: Vec<String> = columns.iter().map(|c| d.quote_ident(c)).collect();
        Self {
            copy_sql: format!(
                "COPY {} ({}) FROM STDIN",
                d.quote_ident(table),
                cols.join(", ")
            ),
            bytes: Vec::with_capacity(FLUSH_BYTES + (64 << 10)),
        }
    }

    fn row(&mut self, values: &[SqlValue]) {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.bytes.push(b'\t');
            }
            encode(&mut self.bytes, v);
        }
        self.bytes.push(b'\n');
    }

    fn flush(&mut self, client: &mut Client) -> Result<(), SeedError> {
        if self.bytes.is_empty() {
            return Ok(());
        }
        let mut writer = client.copy_in(&self.copy_sql)?;
        writer.write_all(&self.bytes)?;
        writer.finish()?;
        self.bytes.clear();
        Ok(())
    }
}

/// The `COPY` sink.
struct CopySink<'c> {
    client: &'c mut Client,
    records: HashMap<ObjectType, Buffer>,
    associations: Buffer,
}

impl std::fmt::Debug for CopySink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopySink").finish_non_exhaustive()
    }
}

impl Sink for CopySink<'_> {
    fn record(&mut self, object_type: ObjectType, values: &[SqlValue]) -> Result<(), SeedError> {
        if let Some(buffer) = self.records.get_mut(&object_type) {
            buffer.row(values);
            if buffer.bytes.len() >= FLUSH_BYTES {
                buffer.flush(self.client)?;
            }
        }
        Ok(())
    }

    fn association(&mut self, r: &AssociationRow<'_>) -> Result<(), SeedError> {
        self.associations.row(&[
            SqlValue::Integer(r.tenant),
            SqlValue::Text(r.from_type.to_owned()),
            SqlValue::Integer(r.from_id),
            SqlValue::Text(r.to_type.to_owned()),
            SqlValue::Integer(r.to_id),
            SqlValue::Integer(r.type_id),
            r.label
                .map_or(SqlValue::Null, |l| SqlValue::Text(l.to_owned())),
            SqlValue::Text("HUBSPOT_DEFINED".to_owned()),
        ]);
        if self.associations.bytes.len() >= FLUSH_BYTES {
            self.associations.flush(self.client)?;
        }
        Ok(())
    }

    fn directory(
        &mut self,
        table: &'static str,
        columns: &[&'static str],
        values: &[SqlValue],
    ) -> Result<(), SeedError> {
        let sql = insert_sql(&PostgresDialect, table, columns);
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> = values
            .iter()
            .map(|v| v as &(dyn postgres::types::ToSql + Sync))
            .collect();
        self.client.execute(&sql, &params)?;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), SeedError> {
        for buffer in self.records.values_mut() {
            buffer.flush(self.client)?;
        }
        self.associations.flush(self.client)
    }
}

/// Migrates the database at `url` (through the async store, on a private runtime).
fn migrate(url: &str, catalogue: &Catalogue) -> Result<(), SeedError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let store = PostgresStore::open(url, catalogue.clone(), 1).await?;
        drop(store);
        Ok::<(), StoreError>(())
    })?;
    Ok(())
}

/// Seeds the PostgreSQL database at `url` (migrating it first) and returns the main tenant's
/// ground truth — the same rows and truth as [`super::seed`] gives SQLite for one config.
///
/// Holds the advisory lock [`SEED_LOCK`] throughout, so of several servers seeding an empty
/// database at first start one seeds and the others then find it seeded. Blocking.
pub fn seed_postgres(
    url: &str,
    catalogue: &Catalogue,
    config: &DemoConfig,
    mode: SeedMode,
    progress: &mut dyn FnMut(Progress),
) -> Result<GroundTruth, SeedError> {
    validate(config)?;
    migrate(url, catalogue)?;
    let pg: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| StoreError::Config(e.to_string()))?;
    let mut client = pg.connect(NoTls)?;
    client.execute("SELECT pg_advisory_lock($1)", &[&SEED_LOCK])?;
    let result = seed_locked(&mut client, catalogue, config, mode, progress);
    // Closing the session releases the lock anyway; unlocking early lets a waiter go on.
    let _ = client.execute("SELECT pg_advisory_unlock($1)", &[&SEED_LOCK]);
    result
}

fn seed_locked(
    client: &mut Client,
    catalogue: &Catalogue,
    config: &DemoConfig,
    mode: SeedMode,
    progress: &mut dyn FnMut(Progress),
) -> Result<GroundTruth, SeedError> {
    let seeded: i64 = client
        .query_one("SELECT COUNT(*) FROM tenants", &[])?
        .get(0);
    if seeded > 0 {
        match mode {
            SeedMode::IfEmpty => return Err(SeedError::AlreadySeeded),
            SeedMode::Replace => {
                client.batch_execute(&format!("TRUNCATE {}", TABLES.join(", ")))?;
            }
        }
    }
    // A crashed seed is redone from scratch, so per-commit durability buys nothing here.
    client.batch_execute("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'")?;
    let record_tables: Vec<String> = ObjectType::ALL
        .iter()
        .map(|t| t.as_str().to_owned())
        .chain(["associations".to_owned()])
        .collect();
    // Secondary indexes (not the primary keys) are rebuilt after the load, from their own
    // definitions.
    let indexes: Vec<(String, String)> = client
        .query(
            "SELECT indexname::TEXT, indexdef FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename = ANY($1) \
             AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')",
            &[&record_tables],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let d = PostgresDialect;
    for (name, _) in &indexes {
        client.batch_execute(&format!("DROP INDEX IF EXISTS {}", d.quote_ident(name)))?;
    }
    let mut truth = empty_truth(config);
    let loaded = {
        let mut sink = CopySink {
            records: ObjectType::ALL
                .iter()
                .map(|t| (*t, Buffer::new(t.as_str(), &record_columns(catalogue, *t))))
                .collect(),
            associations: Buffer::new(
                "associations",
                &[
                    "tenant_id",
                    "from_type",
                    "from_id",
                    "to_type",
                    "to_id",
                    "type_id",
                    "label",
                    "category",
                ]
                .map(str::to_owned),
            ),
            client: &mut *client,
        };
        directory::write(&mut sink)
            .and_then(|()| generate_into(&mut sink, catalogue, config, &mut truth, progress))
    };
    let written: u64 = truth.counts.values().sum();
    progress(Progress {
        phase: "indexes",
        done: written,
        total: written,
    });
    // Rebuilt even after a failed load, so the schema stays whole for a retry with --force.
    for (_, def) in &indexes {
        client.batch_execute(def)?;
    }
    loaded?;
    // VACUUM as well as ANALYZE: it sets the visibility map of the freshly loaded pages, so
    // counts can be answered by index-only scans from the first query on.
    client.batch_execute("VACUUM (ANALYZE)")?;
    progress(Progress {
        phase: "done",
        done: written,
        total: written,
    });
    truth.finish();
    Ok(truth)
}
