//! Bulk loading: the generator writes rows through a [`Loader`] into a [`Sink`], one per
//! engine (SQLite: prepared `INSERT`s in batched transactions; PostgreSQL: `COPY`).

use std::collections::HashMap;

use rusqlite::{Connection, Statement, params_from_iter};

use super::SeedError;

use crate::model::{Catalogue, ObjectType, standard_association_types};
use crate::sql::{Dialect, SqlValue, SqliteDialect};

/// Rows per transaction: big enough to amortise the commit, small enough that the WAL is
/// checkpointed and reused along the way.
const BATCH_ROWS: u64 = 100_000;

/// A reusable row of one table: the catalogue's columns, all unset until [`RowBuf::set`].
#[derive(Debug)]
pub(crate) struct RowBuf {
    index: HashMap<String, usize>,
    values: Vec<SqlValue>,
}

impl RowBuf {
    fn new(tenant: i64, columns: &[String]) -> Self {
        let mut values = vec![SqlValue::Null; columns.len() + 1];
        values[0] = SqlValue::Integer(tenant);
        Self {
            index: columns
                .iter()
                .enumerate()
                .map(|(i, c)| (c.clone(), i + 1))
                .collect(),
            values,
        }
    }

    /// Clears every property (the tenant stays).
    pub(crate) fn clear(&mut self) {
        for v in &mut self.values[1..] {
            *v = SqlValue::Null;
        }
    }

    /// Sets a property; a name outside the catalogue is a generator bug, caught by the tests
    /// that read every planted property back.
    pub(crate) fn set(&mut self, name: &str, value: SqlValue) {
        if let Some(i) = self.index.get(name) {
            self.values[*i] = value;
        }
    }

    pub(crate) fn text(&mut self, name: &str, value: impl Into<String>) {
        self.set(name, SqlValue::Text(value.into()));
    }

    pub(crate) fn int(&mut self, name: &str, value: i64) {
        self.set(name, SqlValue::Integer(value));
    }

    pub(crate) fn real(&mut self, name: &str, value: f64) {
        self.set(name, SqlValue::Real(value));
    }

    pub(crate) fn opt_int(&mut self, name: &str, value: Option<i64>) {
        if let Some(v) = value {
            self.int(name, v);
        }
    }
}

/// Where generated rows go: an SQLite connection ([`SqliteSink`]) or a PostgreSQL `COPY`
/// stream (`super::postgres`). Rows arrive interleaved across tables, in generation order.
pub(crate) trait Sink {
    /// One record row: the tenant, then the catalogue's columns of `object_type` in order.
    fn record(&mut self, object_type: ObjectType, values: &[SqlValue]) -> Result<(), SeedError>;

    /// One association row (category `HUBSPOT_DEFINED`).
    fn association(&mut self, row: &AssociationRow<'_>) -> Result<(), SeedError>;

    /// One row of a directory table (tenants, owners, users, …).
    fn directory(
        &mut self,
        table: &'static str,
        columns: &[&'static str],
        values: &[SqlValue],
    ) -> Result<(), SeedError>;

    /// Called after every record and every link, for batching.
    fn tick(&mut self) -> Result<(), SeedError> {
        Ok(())
    }

    /// Writes whatever is buffered and commits.
    fn finish(&mut self) -> Result<(), SeedError>;
}

/// One association row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AssociationRow<'a> {
    pub(crate) tenant: i64,
    pub(crate) from_type: &'a str,
    pub(crate) from_id: i64,
    pub(crate) to_type: &'a str,
    pub(crate) to_id: i64,
    pub(crate) type_id: i64,
    pub(crate) label: Option<&'a str>,
}

/// `INSERT INTO table (columns) VALUES (placeholders)`: one directory row, in `dialect`.
pub(super) fn insert_sql(dialect: &impl Dialect, table: &str, columns: &[&str]) -> String {
    let marks: Vec<String> = (1..=columns.len())
        .map(|i| dialect.placeholder(i))
        .collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        marks.join(", ")
    )
}

/// The column names of every record table, tenant first.
pub(crate) fn record_columns(catalogue: &Catalogue, object_type: ObjectType) -> Vec<String> {
    std::iter::once("tenant_id".to_owned())
        .chain(
            catalogue
                .properties(object_type)
                .iter()
                .map(|p| p.name.clone()),
        )
        .collect()
}

/// SQLite: one prepared `INSERT` per table, reused for every row, inside batched transactions.
pub(crate) struct SqliteSink<'c> {
    conn: &'c Connection,
    tables: HashMap<ObjectType, Statement<'c>>,
    assoc: Statement<'c>,
    in_batch: u64,
}

impl<'c> SqliteSink<'c> {
    /// Prepares the statements and opens the first transaction.
    pub(crate) fn new(conn: &'c Connection, catalogue: &Catalogue) -> rusqlite::Result<Self> {
        let d = SqliteDialect;
        let mut tables = HashMap::new();
        for t in ObjectType::ALL {
            let names: Vec<String> = record_columns(catalogue, t)
                .iter()
                .map(|c| d.quote_ident(c))
                .collect();
            let marks: Vec<String> = (1..=names.len()).map(|i| d.placeholder(i)).collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                d.quote_ident(t.as_str()),
                names.join(", "),
                marks.join(", ")
            );
            tables.insert(t, conn.prepare(&sql)?);
        }
        let assoc = conn.prepare(
            "INSERT INTO associations (tenant_id, from_type, from_id, to_type, to_id, type_id, label, category) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'HUBSPOT_DEFINED')",
        )?;
        conn.execute_batch("BEGIN")?;
        Ok(Self {
            conn,
            tables,
            assoc,
            in_batch: 0,
        })
    }
}

impl std::fmt::Debug for SqliteSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteSink")
            .field("in_batch", &self.in_batch)
            .finish_non_exhaustive()
    }
}

impl Sink for SqliteSink<'_> {
    fn record(&mut self, object_type: ObjectType, values: &[SqlValue]) -> Result<(), SeedError> {
        if let Some(stmt) = self.tables.get_mut(&object_type) {
            stmt.execute(params_from_iter(values.iter()))?;
        }
        Ok(())
    }

    fn association(&mut self, r: &AssociationRow<'_>) -> Result<(), SeedError> {
        self.assoc.execute(rusqlite::params![
            r.tenant,
            r.from_type,
            r.from_id,
            r.to_type,
            r.to_id,
            r.type_id,
            r.label
        ])?;
        Ok(())
    }

    fn directory(
        &mut self,
        table: &'static str,
        columns: &[&'static str],
        values: &[SqlValue],
    ) -> Result<(), SeedError> {
        let sql = insert_sql(&SqliteDialect, table, columns);
        self.conn
            .prepare_cached(&sql)?
            .execute(params_from_iter(values.iter()))?;
        Ok(())
    }

    fn tick(&mut self) -> Result<(), SeedError> {
        self.in_batch += 1;
        if self.in_batch >= BATCH_ROWS {
            self.conn.execute_batch("COMMIT; BEGIN")?;
            self.in_batch = 0;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), SeedError> {
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }
}

/// The generator's side of a load: row buffers, association types and progress counts, over
/// any [`Sink`].
pub(crate) struct Loader<'c> {
    sink: &'c mut dyn Sink,
    columns: HashMap<ObjectType, Vec<String>>,
    /// (from, to) → (unlabelled type id, primary type id).
    types: HashMap<(ObjectType, ObjectType), (i64, Option<i64>)>,
    /// Rows and association pairs written so far.
    pub(crate) written: u64,
    /// `written` at the last progress report.
    pub(crate) reported: u64,
}

impl std::fmt::Debug for Loader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader")
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl<'c> Loader<'c> {
    pub(crate) fn new(sink: &'c mut dyn Sink, catalogue: &Catalogue) -> Self {
        let columns = ObjectType::ALL
            .iter()
            .map(|t| {
                let names = catalogue
                    .properties(*t)
                    .iter()
                    .map(|p| p.name.clone())
                    .collect();
                (*t, names)
            })
            .collect();
        let mut types: HashMap<(ObjectType, ObjectType), (i64, Option<i64>)> = HashMap::new();
        for a in standard_association_types() {
            let entry = types.entry((a.from, a.to)).or_insert((0, None));
            if a.label.is_some() {
                entry.1 = Some(i64::from(a.type_id));
            } else {
                entry.0 = i64::from(a.type_id);
            }
        }
        // Company → ticket is missing from the (unconfirmed) standard table; HubSpot uses 340.
        types
            .entry((ObjectType::Companies, ObjectType::Tickets))
            .or_insert((340, None));
        Self {
            sink,
            columns,
            types,
            written: 0,
            reported: 0,
        }
    }

    /// A fresh row buffer for `object_type` in `tenant`.
    pub(crate) fn row(&self, tenant: i64, object_type: ObjectType) -> RowBuf {
        let columns = self
            .columns
            .get(&object_type)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        RowBuf::new(tenant, columns)
    }

    fn tick(&mut self) -> Result<(), SeedError> {
        self.written += 1;
        self.sink.tick()
    }

    pub(crate) fn insert(
        &mut self,
        object_type: ObjectType,
        row: &RowBuf,
    ) -> Result<(), SeedError> {
        self.sink.record(object_type, &row.values)?;
        self.tick()
    }

    /// Links two records in both directions: the unlabelled type, plus the `Primary` one when
    /// `primary` and the pair has it.
    pub(crate) fn link(
        &mut self,
        tenant: i64,
        (from_type, from_id): (ObjectType, i64),
        (to_type, to_id): (ObjectType, i64),
        primary: bool,
    ) -> Result<(), SeedError> {
        for (a, ai, b, bi) in [
            (from_type, from_id, to_type, to_id),
            (to_type, to_id, from_type, from_id),
        ] {
            let (plain, labelled) = self.types.get(&(a, b)).copied().unwrap_or((0, None));
            let mut row = AssociationRow {
                tenant,
                from_type: a.as_str(),
                from_id: ai,
                to_type: b.as_str(),
                to_id: bi,
                type_id: plain,
                label: None,
            };
            self.sink.association(&row)?;
            if let (true, Some(t)) = (primary, labelled) {
                row.type_id = t;
                row.label = Some("Primary");
                self.sink.association(&row)?;
            }
        }
        self.tick()
    }

    pub(crate) fn finish(self) -> Result<u64, SeedError> {
        self.sink.finish()?;
        Ok(self.written)
    }
}
