//! The PostgreSQL store: the same compiled SQL as SQLite's (through
//! [`PostgresDialect`]), run over a `deadpool-postgres` pool of `tokio-postgres` connections —
//! async all the way, no blocking threads.
//!
//! Connections are plain TCP (`NoTls`): reach a remote server through a local TLS-terminating
//! proxy (PgBouncer, stunnel) or a private network, or use a Unix socket
//! (`postgres://user@%2Frun%2Fpostgresql/crm`).

mod directory;
pub mod migrate;
mod value;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;
use tokio_postgres::types::ToSql;

pub use migrate::{MIGRATE_LOCK, SCHEMA_VERSION, SEED_LOCK};

use super::shape::{self, check_ids};
use super::{
    AggregateRow, AssociationLink, CrmStore, LinkType, Record, SearchPage, StoreError, StoreFuture,
};
use crate::filter::Query;
use crate::model::{Catalogue, ObjectType, Owner, Pipeline, Team, Tenant, TenantId, User, UserId};
use crate::permission::Viewer;
use crate::sql::{
    AggregateQuery, CompiledSearch, PostgresDialect, SqlValue, compile_aggregate,
    compile_association_counts, compile_association_list, compile_search,
};

/// Prepared statements kept per connection before the cache is emptied: compiled SQL differs
/// with the shape of each query (how many filters, list values, …), so an unbounded cache
/// would grow with the variety of queries seen, on both ends of the connection.
const MAX_CACHED_STATEMENTS: usize = 256;

/// Default number of pooled connections.
pub const DEFAULT_POOL_SIZE: usize = 16;

/// How long a call waits for a free pooled connection before it fails as busy.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// How long connecting may take (when the URL sets no `connect_timeout`): a server that is
/// down refuses at once, but an unreachable host would otherwise hang for the OS's TCP
/// timeout (minutes) on every call.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The PostgreSQL store. Cheap to clone (the pool and catalogue are shared).
#[derive(Clone)]
pub struct PostgresStore {
    catalogue: Arc<Catalogue>,
    pool: Pool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

/// Parses a `postgres://` URL (or a `key=value` connection string).
pub fn config(url: &str) -> Result<tokio_postgres::Config, StoreError> {
    url.parse()
        .map_err(|e: tokio_postgres::Error| StoreError::Config(e.to_string()))
}

/// Binds compiled parameters.
fn params(values: &[SqlValue]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl PostgresStore {
    /// Connects to `url`, migrates the database (safe with several replicas at once) and keeps
    /// a pool of up to `pool_size` connections.
    pub async fn open(
        url: &str,
        catalogue: Catalogue,
        pool_size: usize,
    ) -> Result<Self, StoreError> {
        let mut pg = config(url)?;
        if pg.get_connect_timeout().is_none() {
            pg.connect_timeout(CONNECT_TIMEOUT);
        }
        let server_version = migrate_on_own_connection(&pg, &catalogue).await?;
        // Every pooled (serving) session is read-only: whatever statement reached one could
        // not write. Migrations ran above on their own session; seeding uses its own too.
        let mut session = READ_ONLY_SESSION.to_owned();
        if server_version >= CLIENT_CHECK_SINCE {
            session.push(' ');
            session.push_str(CLIENT_CHECK_SESSION);
        }
        let options = match pg.get_options() {
            Some(given) => format!("{given} {session}"),
            None => session,
        };
        pg.options(&options);
        let manager = Manager::from_config(
            pg,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Config(e.to_string()))?;
        Ok(Self {
            catalogue: Arc::new(catalogue),
            pool,
        })
    }

    /// Whether the database holds at least one account (the demo data or real data).
    pub async fn is_seeded(&self) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        let n: i64 = client
            .query_one("SELECT COUNT(*) FROM tenants", &[])
            .await?
            .try_get(0)?;
        Ok(n > 0)
    }

    /// A pooled connection for one store call, its statement cache bounded by
    /// [`MAX_CACHED_STATEMENTS`]; see [`Lease`].
    async fn lease(&self) -> Result<Lease, StoreError> {
        let client = self.pool.get().await?;
        if client.statement_cache.size() > MAX_CACHED_STATEMENTS {
            client.statement_cache.clear();
        }
        Ok(Lease(Some(client)))
    }

    /// The connection pool (for tools such as benchmarks that need raw access).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }
}

/// The session setting of every pooled connection.
const READ_ONLY_SESSION: &str = "-c default_transaction_read_only=on";

/// A backend notices within this interval that the client of its running query is gone and
/// stops the query. An abandoned query's connection is dropped and its query cancelled (see
/// [`Lease`]), but a cancel only reaches the statement running at that moment: a pipelined
/// second statement would then wait on (say) a lock until it is released. PostgreSQL 14+.
const CLIENT_CHECK_SESSION: &str = "-c client_connection_check_interval=1000";
const CLIENT_CHECK_SINCE: i32 = 140_000;

/// Runs the migrations on a connection of their own (the pool's are read-only) and returns
/// the server's version number (`server_version_num`).
async fn migrate_on_own_connection(
    pg: &tokio_postgres::Config,
    catalogue: &Catalogue,
) -> Result<i32, StoreError> {
    let (mut client, connection) = pg.connect(NoTls).await?;
    let driver = tokio::spawn(connection);
    let migrated = async {
        let version = server_version(&client).await?;
        migrate::migrate(&mut client, catalogue).await?;
        Ok(version)
    }
    .await;
    drop(client);
    // The connection ends once the client is gone; its own error adds nothing to `migrated`.
    let _ = driver.await;
    migrated
}

async fn server_version(client: &tokio_postgres::Client) -> Result<i32, StoreError> {
    let text: String = client
        .query_one("SHOW server_version_num", &[])
        .await?
        .try_get(0)?;
    text.trim()
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("unexpected server_version_num `{text}`")))
}

/// A pooled connection lent to one store call. Handed back with [`Lease::done`] when the
/// call succeeded; dropped otherwise — the caller gave up mid-query (call timeout, client
/// gone) or the query failed — it leaves the pool and its query is cancelled on the server.
/// Returned as it was, an abandoned query would keep running (waiting on a lock, say) and
/// every later call handed that connection would queue behind it.
struct Lease(Option<deadpool_postgres::Client>);

impl Lease {
    fn done(mut self) {
        // Back to the pool.
        drop(self.0.take());
    }
}

impl std::ops::Deref for Lease {
    type Target = deadpool_postgres::Client;

    fn deref(&self) -> &Self::Target {
        // Some until `done` or drop consumes it.
        self.0
            .as_ref()
            .unwrap_or_else(|| unreachable!("a lease is used after it ended"))
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let Some(client) = self.0.take() else { return };
        let cancel = client.cancel_token();
        // Closed, never reused: a late cancel cannot hit another call's query.
        drop(deadpool_postgres::Object::take(client));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = cancel.cancel_query(NoTls).await {
                    tracing::debug!(%error, "could not cancel an abandoned PostgreSQL query");
                }
            });
        }
    }
}

async fn run_search(
    client: &deadpool_postgres::Client,
    object_type: ObjectType,
    compiled: &CompiledSearch,
) -> Result<SearchPage, StoreError> {
    let (select, count) = tokio::try_join!(
        client.prepare_cached(&compiled.select_sql),
        client.prepare_cached(&compiled.count_sql)
    )?;
    let (select_params, count_params) = (
        params(compiled.select_params()),
        params(compiled.count_params()),
    );
    // Both statements go out at once on the one connection (the driver pipelines them).
    let (rows, total) = tokio::try_join!(
        client.query(&select, &select_params),
        client.query_one(&count, &count_params)
    )?;
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        records.push(shape::record(
            object_type,
            row.try_get(0)?,
            &compiled.columns,
            |i| row.try_get(i),
        )?);
    }
    let total: i64 = total.try_get(0)?;
    Ok(SearchPage {
        records,
        total: shape::count(total),
    })
}

/// Replaces the stored `num_associated_*` values by the counts the viewer may see (as the
/// SQLite store does).
async fn visible_counts(
    client: &deadpool_postgres::Client,
    viewer: &Viewer,
    catalogue: &Catalogue,
    records: &mut [Record],
) -> Result<(), StoreError> {
    let Some(object_type) = records.first().map(|r| r.object_type) else {
        return Ok(());
    };
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    for (property, to) in shape::count_properties(viewer, catalogue, object_type) {
        let mut counts: BTreeMap<i64, i64> = BTreeMap::new();
        if viewer.gate(to).is_ok() {
            let c = compile_association_counts(
                viewer,
                catalogue,
                &PostgresDialect,
                object_type,
                &ids,
                to,
            );
            let stmt = client.prepare_cached(&c.sql).await?;
            for r in client.query(&stmt, &params(&c.params)).await? {
                counts.insert(r.try_get(0)?, r.try_get(1)?);
            }
        }
        shape::set_counts(records, property, &counts);
    }
    Ok(())
}

impl CrmStore for PostgresStore {
    fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    fn search<'a>(&'a self, viewer: &'a Viewer, query: &'a Query) -> StoreFuture<'a, SearchPage> {
        Box::pin(async move {
            let compiled = compile_search(query, viewer, &self.catalogue, &PostgresDialect)?;
            let client = self.lease().await?;
            let mut page = run_search(&client, query.object_type, &compiled).await?;
            visible_counts(&client, viewer, &self.catalogue, &mut page.records).await?;
            client.done();
            Ok(page)
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
                shape::fetch_search(viewer, &self.catalogue, &PostgresDialect, object_type, ids)?
            else {
                return Ok(Vec::new());
            };
            let client = self.lease().await?;
            let mut page = run_search(&client, object_type, &compiled).await?;
            visible_counts(&client, viewer, &self.catalogue, &mut page.records).await?;
            client.done();
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
                &PostgresDialect,
                from_type,
                from_id,
                to_type,
            );
            let client = self.lease().await?;
            let mut links: Vec<AssociationLink> = Vec::new();
            for r in client.query(&c.sql, &params(&c.params)).await? {
                let link = LinkType {
                    type_id: r.try_get(1)?,
                    label: r.try_get(2)?,
                    category: r.try_get(3)?,
                };
                shape::push_link(&mut links, r.try_get(0)?, link);
            }
            client.done();
            Ok(links)
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
            if ids.is_empty() || viewer.gate(to_type).is_err() {
                return Ok(BTreeMap::new());
            }
            let c = compile_association_counts(
                viewer,
                &self.catalogue,
                &PostgresDialect,
                from_type,
                ids,
                to_type,
            );
            let client = self.lease().await?;
            let mut counts = BTreeMap::new();
            for r in client.query(&c.sql, &params(&c.params)).await? {
                let (id, n): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
                counts.insert(id, shape::count(n));
            }
            client.done();
            Ok(counts)
        })
    }

    fn aggregate<'a>(
        &'a self,
        viewer: &'a Viewer,
        query: &'a AggregateQuery,
    ) -> StoreFuture<'a, Vec<AggregateRow>> {
        Box::pin(async move {
            let c = compile_aggregate(query, viewer, &self.catalogue, &PostgresDialect)?;
            let (keys, metrics) = (query.group_by.len(), query.metrics.len());
            let client = self.lease().await?;
            let mut out = Vec::new();
            for r in client.query(&c.sql, &params(&c.params)).await? {
                out.push(shape::aggregate_row(keys, metrics, |i| r.try_get(i))?);
            }
            client.done();
            Ok(out)
        })
    }

    fn tenant<'a>(&'a self, tenant: TenantId) -> StoreFuture<'a, Option<Tenant>> {
        Box::pin(async move {
            let client = self.lease().await?;
            let tenant = directory::tenant(&client, tenant).await?;
            client.done();
            Ok(tenant)
        })
    }

    fn owners<'a>(&'a self, viewer: &'a Viewer) -> StoreFuture<'a, Vec<Owner>> {
        Box::pin(async move {
            let client = self.lease().await?;
            let owners = directory::owners(&client, viewer.tenant).await?;
            client.done();
            Ok(owners)
        })
    }

    fn teams<'a>(&'a self, viewer: &'a Viewer) -> StoreFuture<'a, Vec<Team>> {
        Box::pin(async move {
            let client = self.lease().await?;
            let teams = directory::teams(&client, viewer.tenant).await?;
            client.done();
            Ok(teams)
        })
    }

    fn user<'a>(&'a self, tenant: TenantId, user: UserId) -> StoreFuture<'a, Option<User>> {
        Box::pin(async move {
            let client = self.lease().await?;
            let user = directory::user(&client, tenant, user).await?;
            client.done();
            Ok(user.map(|u| u.0))
        })
    }

    fn load_viewer<'a>(
        &'a self,
        tenant: TenantId,
        user: UserId,
        scopes: &'a [String],
    ) -> StoreFuture<'a, Option<Viewer>> {
        Box::pin(async move {
            let client = self.lease().await?;
            let viewer = directory::load_viewer(&client, tenant, user, scopes).await?;
            client.done();
            Ok(viewer)
        })
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.lease().await?;
            client.simple_query("SELECT 1").await?;
            client.done();
            Ok(())
        })
    }

    fn pipelines<'a>(
        &'a self,
        _viewer: &'a Viewer,
        object_type: ObjectType,
    ) -> StoreFuture<'a, Vec<Pipeline>> {
        Box::pin(async move { Ok(shape::pipelines(object_type)) })
    }
}
