//! Bulk loading: one prepared `INSERT` per table, reused for every row, inside batched
//! transactions.

use std::collections::HashMap;

use rusqlite::{Connection, Statement, params_from_iter};

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

/// The prepared statements of one load and the batch bookkeeping.
pub(crate) struct Loader<'c> {
    conn: &'c Connection,
    tables: HashMap<ObjectType, (Statement<'c>, Vec<String>)>,
    assoc: Statement<'c>,
    /// (from, to) → (unlabelled type id, primary type id).
    types: HashMap<(ObjectType, ObjectType), (i64, Option<i64>)>,
    in_batch: u64,
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
    pub(crate) fn new(conn: &'c Connection, catalogue: &Catalogue) -> rusqlite::Result<Self> {
        let d = SqliteDialect;
        let mut tables = HashMap::new();
        for t in ObjectType::ALL {
            let columns: Vec<String> = catalogue
                .properties(t)
                .iter()
                .map(|p| p.name.clone())
                .collect();
            let names: Vec<String> = std::iter::once("tenant_id")
                .chain(columns.iter().map(String::as_str))
                .map(|c| d.quote_ident(c))
                .collect();
            let marks: Vec<String> = (1..=names.len()).map(|i| d.placeholder(i)).collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                d.quote_ident(t.as_str()),
                names.join(", "),
                marks.join(", ")
            );
            tables.insert(t, (conn.prepare(&sql)?, columns));
        }
        let assoc = conn.prepare(
            "INSERT INTO associations (tenant_id, from_type, from_id, to_type, to_id, type_id, label, category) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'HUBSPOT_DEFINED')",
        )?;
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
        conn.execute_batch("BEGIN")?;
        Ok(Self {
            conn,
            tables,
            assoc,
            types,
            in_batch: 0,
            written: 0,
            reported: 0,
        })
    }

    /// A fresh row buffer for `object_type` in `tenant`.
    pub(crate) fn row(&self, tenant: i64, object_type: ObjectType) -> RowBuf {
        let columns = self
            .tables
            .get(&object_type)
            .map(|t| t.1.as_slice())
            .unwrap_or(&[]);
        RowBuf::new(tenant, columns)
    }

    fn tick(&mut self) -> rusqlite::Result<()> {
        self.written += 1;
        self.in_batch += 1;
        if self.in_batch >= BATCH_ROWS {
            self.conn.execute_batch("COMMIT; BEGIN")?;
            self.in_batch = 0;
        }
        Ok(())
    }

    pub(crate) fn insert(&mut self, object_type: ObjectType, row: &RowBuf) -> rusqlite::Result<()> {
        if let Some((stmt, _)) = self.tables.get_mut(&object_type) {
            stmt.execute(params_from_iter(row.values.iter()))?;
        }
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
    ) -> rusqlite::Result<()> {
        for (a, ai, b, bi) in [
            (from_type, from_id, to_type, to_id),
            (to_type, to_id, from_type, from_id),
        ] {
            let (plain, labelled) = self.types.get(&(a, b)).copied().unwrap_or((0, None));
            self.assoc.execute(rusqlite::params![
                tenant,
                a.as_str(),
                ai,
                b.as_str(),
                bi,
                plain,
                Option::<&str>::None
            ])?;
            if let (true, Some(t)) = (primary, labelled) {
                self.assoc.execute(rusqlite::params![
                    tenant,
                    a.as_str(),
                    ai,
                    b.as_str(),
                    bi,
                    t,
                    "Primary"
                ])?;
            }
        }
        self.tick()
    }

    pub(crate) fn finish(self) -> rusqlite::Result<u64> {
        self.conn.execute_batch("COMMIT")?;
        Ok(self.written)
    }
}
