//! The embedded SQLite store: one file, created and migrated on open, read through a pool of
//! read-only connections on tokio's blocking threads.

mod directory;
mod migrate;
mod pool;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, params_from_iter};

pub use migrate::SCHEMA_VERSION;

use super::shape::{self, check_ids};
use super::{
    AggregateRow, AssociationLink, CrmStore, LinkType, Record, SearchPage, StoreError, StoreFuture,
};
use crate::filter::Query;
use crate::model::{Catalogue, ObjectType, Owner, Pipeline, Team, Tenant, TenantId, User, UserId};
use crate::permission::Viewer;
use crate::sql::{
    AggregateQuery, SqlValue, SqliteDialect, compile_aggregate, compile_association_counts,
    compile_association_list, compile_search, register_functions,
};
use pool::ReadOnlyManager;

/// Default number of pooled read-only connections.
pub const DEFAULT_POOL_SIZE: u32 = 4;

/// How long an operation waits for a lock another connection holds (a migrating or seeding
/// writer; WAL readers never wait for a writer) before it fails as busy, by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a read waits for a free pooled connection before it fails as busy.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// The embedded store. Cheap to clone (the pool and catalogue are shared).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    catalogue: Arc<Catalogue>,
    pool: r2d2::Pool<ReadOnlyManager>,
    path: PathBuf,
    /// The file's identity at open (device, inode): a file removed or replaced underneath is
    /// still read through the open connections, but a readiness probe should say so.
    identity: Option<(u64, u64)>,
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Elsewhere only removal is noticed.
#[cfg(not(unix))]
fn identity(path: &Path) -> Option<(u64, u64)> {
    path.exists().then_some((0, 0))
}

/// Opens `path` read-write (creating it), registers the SQL functions and migrates it.
///
/// The demo seeder writes through this connection; the store itself only reads.
pub fn open_writer(path: &Path, catalogue: &Catalogue) -> Result<Connection, StoreError> {
    open_writer_waiting(path, catalogue, Duration::from_secs(30))
}

fn open_writer_waiting(
    path: &Path,
    catalogue: &Catalogue,
    busy_timeout: Duration,
) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(busy_timeout)?;
    register_functions(&conn)?;
    migrate::migrate(&mut conn, catalogue)?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating and migrating) the database file at `path` with a pool of
    /// `pool_size` read-only connections. Blocking: call it at start-up or on a blocking thread.
    pub fn open(path: &Path, catalogue: Catalogue, pool_size: u32) -> Result<Self, StoreError> {
        Self::open_with(path, catalogue, pool_size, DEFAULT_BUSY_TIMEOUT)
    }

    /// [`Self::open`] with how long opening and each read may wait for a lock another
    /// connection holds before failing as busy ([`DEFAULT_BUSY_TIMEOUT`] there).
    pub fn open_with(
        path: &Path,
        catalogue: Catalogue,
        pool_size: u32,
        busy_timeout: Duration,
    ) -> Result<Self, StoreError> {
        drop(open_writer_waiting(path, &catalogue, busy_timeout)?);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(POOL_WAIT)
            .build(ReadOnlyManager {
                path: path.to_owned(),
                busy_timeout,
            })?;
        Ok(Self {
            catalogue: Arc::new(catalogue),
            pool,
            path: path.to_owned(),
            identity: identity(path),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on a pooled read-only connection on a blocking thread, off the async executor.
    ///
    /// A blocking thread cannot be cancelled: when the caller gives up (the call timed out,
    /// the client went away) the query is interrupted instead, so that abandoned queries do
    /// not keep threads and pooled connections busy (every pooled connection stuck in an
    /// abandoned slow query would make each later read wait for [`POOL_WAIT`] and fail).
    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let running = Arc::new(Mutex::new(Running::default()));
        let mut abandon = AbandonOnDrop {
            running: Arc::clone(&running),
            armed: true,
        };
        let result = tokio::task::spawn_blocking(move || {
            let conn = pool.get()?;
            {
                let mut running = lock(&running);
                if running.abandoned {
                    return Err(StoreError::Abandoned);
                }
                running.interrupt = Some(conn.get_interrupt_handle());
            }
            let result = f(&conn);
            // Taken under the lock: an interrupt can never hit this connection's next user.
            lock(&running).interrupt = None;
            result
        })
        .await;
        abandon.armed = false;
        result?
    }
}

/// The query a [`SqliteStore::read`] is running, for interrupting it when abandoned.
#[derive(Default)]
struct Running {
    interrupt: Option<rusqlite::InterruptHandle>,
    abandoned: bool,
}

fn lock(running: &Mutex<Running>) -> std::sync::MutexGuard<'_, Running> {
    running
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Armed until the blocking work finished: dropped armed, the read's future was abandoned.
struct AbandonOnDrop {
    running: Arc<Mutex<Running>>,
    armed: bool,
}

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let mut running = lock(&self.running);
        running.abandoned = true;
        if let Some(handle) = running.interrupt.take() {
            handle.interrupt();
        }
    }
}

fn sql_value(v: ValueRef<'_>) -> SqlValue {
    match v {
        ValueRef::Null => SqlValue::Null,
        ValueRef::Integer(i) => SqlValue::Integer(i),
        ValueRef::Real(r) => SqlValue::Real(r),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            SqlValue::Text(String::from_utf8_lossy(t).into_owned())
        }
    }
}

fn run_search(
    conn: &Connection,
    object_type: ObjectType,
    compiled: &crate::sql::CompiledSearch,
) -> Result<SearchPage, StoreError> {
    let mut stmt = conn.prepare_cached(&compiled.select_sql)?;
    let mut rows = stmt.query(params_from_iter(compiled.select_params()))?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        records.push(shape::record(
            object_type,
            row.get(0)?,
            &compiled.columns,
            |i| Ok::<_, rusqlite::Error>(sql_value(row.get_ref(i)?)),
        )?);
    }
    let total: i64 = conn
        .prepare_cached(&compiled.count_sql)?
        .query_row(params_from_iter(compiled.count_params()), |r| r.get(0))?;
    Ok(SearchPage {
        records,
        total: shape::count(total),
    })
}

/// Replaces the stored `num_associated_*` values of `records` by the number of associated
/// records the viewer can see, so a count never reveals invisible records (reference §6.4).
/// One grouped query per count property per page.
fn visible_counts(
    conn: &Connection,
    viewer: &Viewer,
    catalogue: &Catalogue,
    records: &mut [Record],
) -> Result<(), StoreError> {
    let Some(object_type) = records.first().map(|r| r.object_type) else {
        return Ok(());
    };
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    for (property, to) in shape::count_properties(viewer, catalogue, object_type) {
        let counts: BTreeMap<i64, i64> = if viewer.gate(to).is_err() {
            BTreeMap::new()
        } else {
            let c = compile_association_counts(
                viewer,
                catalogue,
                &SqliteDialect,
                object_type,
                &ids,
                to,
            );
            let mut stmt = conn.prepare_cached(&c.sql)?;
            stmt.query_map(params_from_iter(&c.params), |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        shape::set_counts(records, property, &counts);
    }
    Ok(())
}

impl CrmStore for SqliteStore {
    fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    fn search<'a>(&'a self, viewer: &'a Viewer, query: &'a Query) -> StoreFuture<'a, SearchPage> {
        Box::pin(async move {
            let compiled = compile_search(query, viewer, &self.catalogue, &SqliteDialect)?;
            let object_type = query.object_type;
            let (viewer, catalogue) = (viewer.clone(), Arc::clone(&self.catalogue));
            self.read(move |conn| {
                let mut page = run_search(conn, object_type, &compiled)?;
                visible_counts(conn, &viewer, &catalogue, &mut page.records)?;
                Ok(page)
            })
            .await
        })
    }

    fn fetch<'a>(
        &'a self,
        viewer: &'a Viewer,
        object_type: ObjectType,
        ids: &'a [i64],
    ) -> StoreFuture<'a, Vec<Record>> {
        Box::pin(async move {
            let Some(compiled) =
                shape::fetch_search(viewer, &self.catalogue, &SqliteDialect, object_type, ids)?
            else {
                return Ok(Vec::new());
            };
            let (viewer, catalogue) = (viewer.clone(), Arc::clone(&self.catalogue));
            let page = self
                .read(move |conn| {
                    let mut page = run_search(conn, object_type, &compiled)?;
                    visible_counts(conn, &viewer, &catalogue, &mut page.records)?;
                    Ok(page)
                })
                .await?;
            Ok(shape::in_requested_order(page.records, ids))
        })
    }

    fn associations<'a>(
        &'a self,
        viewer: &'a Viewer,
        from_type: ObjectType,
        from_id: i64,
        to_type: ObjectType,
    ) -> StoreFuture<'a, Vec<AssociationLink>> {
        Box::pin(async move {
            viewer.gate(from_type)?;
            viewer.gate(to_type)?;
            let c = compile_association_list(
                viewer,
                &self.catalogue,
                &SqliteDialect,
                from_type,
                from_id,
                to_type,
            );
            self.read(move |conn| {
                let mut stmt = conn.prepare_cached(&c.sql)?;
                let mut rows = stmt.query(params_from_iter(&c.params))?;
                let mut links: Vec<AssociationLink> = Vec::new();
                while let Some(r) = rows.next()? {
                    let link = LinkType {
                        type_id: r.get(1)?,
                        label: r.get(2)?,
                        category: r.get(3)?,
                    };
                    shape::push_link(&mut links, r.get(0)?, link);
                }
                Ok(links)
            })
            .await
        })
    }

    fn association_counts<'a>(
        &'a self,
        viewer: &'a Viewer,
        from_type: ObjectType,
        ids: &'a [i64],
        to_type: ObjectType,
    ) -> StoreFuture<'a, BTreeMap<i64, u64>> {
        Box::pin(async move {
            check_ids(ids)?;
            viewer.gate(from_type)?;
            // No permission on the target type: nothing of it is visible, so every count is 0.
            if ids.is_empty() || viewer.gate(to_type).is_err() {
                return Ok(BTreeMap::new());
            }
            let c = compile_association_counts(
                viewer,
                &self.catalogue,
                &SqliteDialect,
                from_type,
                ids,
                to_type,
            );
            self.read(move |conn| {
                let mut stmt = conn.prepare_cached(&c.sql)?;
                let rows = stmt.query_map(params_from_iter(&c.params), |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                })?;
                let mut counts = BTreeMap::new();
                for row in rows {
                    let (id, n) = row?;
                    counts.insert(id, shape::count(n));
                }
                Ok(counts)
            })
            .await
        })
    }

    fn aggregate<'a>(
        &'a self,
        viewer: &'a Viewer,
        query: &'a AggregateQuery,
    ) -> StoreFuture<'a, Vec<AggregateRow>> {
        Box::pin(async move {
            let c = compile_aggregate(query, viewer, &self.catalogue, &SqliteDialect)?;
            let keys = query.group_by.len();
            let metrics = query.metrics.len();
            self.read(move |conn| {
                let mut stmt = conn.prepare_cached(&c.sql)?;
                let mut rows = stmt.query(params_from_iter(&c.params))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(shape::aggregate_row(keys, metrics, |i| {
                        Ok::<_, rusqlite::Error>(sql_value(r.get_ref(i)?))
                    })?);
                }
                Ok(out)
            })
            .await
        })
    }

    fn tenant<'a>(&'a self, tenant: TenantId) -> StoreFuture<'a, Option<Tenant>> {
        Box::pin(self.read(move |conn| directory::tenant(conn, tenant)))
    }

    fn owners<'a>(&'a self, viewer: &'a Viewer) -> StoreFuture<'a, Vec<Owner>> {
        let tenant = viewer.tenant;
        Box::pin(self.read(move |conn| directory::owners(conn, tenant)))
    }

    fn teams<'a>(&'a self, viewer: &'a Viewer) -> StoreFuture<'a, Vec<Team>> {
        let tenant = viewer.tenant;
        Box::pin(self.read(move |conn| directory::teams(conn, tenant)))
    }

    fn user<'a>(&'a self, tenant: TenantId, user: UserId) -> StoreFuture<'a, Option<User>> {
        Box::pin(self.read(move |conn| Ok(directory::user(conn, tenant, user)?.map(|u| u.0))))
    }

    fn load_viewer<'a>(
        &'a self,
        tenant: TenantId,
        user: UserId,
        scopes: &'a [String],
    ) -> StoreFuture<'a, Option<Viewer>> {
        let scopes = scopes.to_vec();
        Box::pin(self.read(move |conn| directory::load_viewer(conn, tenant, user, &scopes)))
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            if identity(&self.path) != self.identity {
                return Err(StoreError::FileGone(self.path.clone()));
            }
            self.read(|conn| {
                conn.query_row("SELECT COUNT(*) FROM tenants", [], |r| r.get::<_, i64>(0))?;
                Ok(())
            })
            .await
        })
    }

    fn pipelines<'a>(
        &'a self,
        _viewer: &'a Viewer,
        object_type: ObjectType,
    ) -> StoreFuture<'a, Vec<Pipeline>> {
        // Pipelines are the standard ones for every account; the trait leaves room for a store
        // that keeps them per tenant.
        Box::pin(async move { Ok(shape::pipelines(object_type)) })
    }
}
