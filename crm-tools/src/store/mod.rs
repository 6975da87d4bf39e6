//! Storage: the [`CrmStore`] trait the tools call, its embedded SQLite implementation and its
//! PostgreSQL implementation for scale-out; [`open`] picks one from a URL or path.
//!
//! Every read takes the [`Viewer`] and is answered under its tenant and permissions, inside the
//! SQL (see [`crate::sql`]): an invisible record is indistinguishable from a missing one. The
//! trait is object-safe (`Arc<dyn CrmStore>`) and speaks only in model and IR types; each
//! implementation compiles the same IR with its own [`crate::sql::Dialect`], so the tools do not
//! know which one they talk to.

mod error;
mod indexes;
mod location;
pub mod postgres;
mod shape;
pub mod sqlite;
mod types;
mod viewer;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

pub use error::{Outage, StoreError};
pub use location::{Location, open};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use types::{AggregateRow, AssociationLink, LinkType, Record, SearchPage};

use crate::filter::Query;
use crate::model::{Catalogue, ObjectType, Owner, Pipeline, Team, Tenant, TenantId, User, UserId};
use crate::permission::Viewer;
use crate::sql::AggregateQuery;

/// A boxed `Send` future, so the trait stays object-safe without an extra macro crate.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// At most this many ids in one [`CrmStore::fetch`] or [`CrmStore::association_counts`] call
/// (HubSpot's batch-read cap).
pub const MAX_IDS: usize = 100;

/// The read-only CRM store. Every method is scoped to the viewer's tenant; record-level methods
/// also apply the viewer's object gate, row permissions and hidden properties.
pub trait CrmStore: Send + Sync + std::fmt::Debug {
    /// The property catalogue the store's tables were built from.
    fn catalogue(&self) -> &Catalogue;

    /// One page of `query` and the total of visible matches.
    ///
    /// `num_associated_*` properties count visible associated records only, wherever they are
    /// read: the returned values (here and in [`Self::fetch`]), filters, sorts and aggregates.
    /// A viewer without access to the counted type sees 0, so no count reveals a record the
    /// viewer cannot see (reference §6.4).
    ///
    /// Free text `q` is an AND of its whitespace-separated terms; each term, taken literally
    /// (no operators, quotes or column syntax), is the sequence of its letter-and-digit tokens,
    /// and must match consecutive tokens of one visible searchable property, the last token as
    /// a prefix, case-insensitively. Terms without a letter or digit are ignored.
    fn search<'a>(&'a self, viewer: &'a Viewer, query: &'a Query) -> StoreFuture<'a, SearchPage>;

    /// The visible records among `ids` (≤ [`MAX_IDS`]), in the order asked; missing and
    /// invisible ids are both simply absent.
    fn fetch<'a>(
        &'a self,
        viewer: &'a Viewer,
        object_type: ObjectType,
        ids: &'a [i64],
    ) -> StoreFuture<'a, Vec<Record>>;

    /// The visible `to_type` records linked to one record (empty when that record is invisible).
    fn associations<'a>(
        &'a self,
        viewer: &'a Viewer,
        from_type: ObjectType,
        from_id: i64,
        to_type: ObjectType,
    ) -> StoreFuture<'a, Vec<AssociationLink>>;

    /// For each visible record among `ids` (≤ [`MAX_IDS`]): how many visible `to_type` records it
    /// is linked to. Ids with none (or invisible) are absent.
    fn association_counts<'a>(
        &'a self,
        viewer: &'a Viewer,
        from_type: ObjectType,
        ids: &'a [i64],
        to_type: ObjectType,
    ) -> StoreFuture<'a, BTreeMap<i64, u64>>;

    /// Group-by counts, sums and averages under the same filters and permissions as a search.
    fn aggregate<'a>(
        &'a self,
        viewer: &'a Viewer,
        query: &'a AggregateQuery,
    ) -> StoreFuture<'a, Vec<AggregateRow>>;

    /// The viewer's account.
    fn tenant<'a>(&'a self, tenant: TenantId) -> StoreFuture<'a, Option<Tenant>>;

    /// The owners of the viewer's account, with their team memberships, by id.
    fn owners<'a>(&'a self, viewer: &'a Viewer) -> StoreFuture<'a, Vec<Owner>>;

    /// The teams of the viewer's account, by id.
    fn teams<'a>(&'a self, viewer: &'a Viewer) -> StoreFuture<'a, Vec<Team>>;

    /// A login user of an account.
    fn user<'a>(&'a self, tenant: TenantId, user: UserId) -> StoreFuture<'a, Option<User>>;

    /// Builds the [`Viewer`] for a user: its owner id, teams (child teams included), per-object
    /// permissions and hidden properties, with the app's granted `scopes`. `None` for an
    /// unknown user.
    fn load_viewer<'a>(
        &'a self,
        tenant: TenantId,
        user: UserId,
        scopes: &'a [String],
    ) -> StoreFuture<'a, Option<Viewer>>;

    /// Whether the database answers now: a trivial query through the pool, for readiness
    /// probes (`GET /readyz`).
    fn ping(&self) -> StoreFuture<'_, ()>;

    /// The pipelines of `object_type` (deals and tickets have them).
    fn pipelines<'a>(
        &'a self,
        viewer: &'a Viewer,
        object_type: ObjectType,
    ) -> StoreFuture<'a, Vec<Pipeline>>;
}
