//! Store errors.

use crate::permission::AccessDenied;
use crate::sql::{AggregateError, CompileError};

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The viewer may not read the object type (shaped like HubSpot's availability statuses).
    #[error(transparent)]
    Access(#[from] AccessDenied),
    /// The query could not be compiled (bad paging, unknown or hidden property, …).
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// The aggregate could not be compiled.
    #[error(transparent)]
    Aggregate(#[from] AggregateError),
    /// Too many ids in one call.
    #[error("at most {max} ids per call (got {got})")]
    TooManyIds {
        /// The cap.
        max: usize,
        /// How many were asked for.
        got: usize,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// No connection could be taken from the pool.
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    /// PostgreSQL failed.
    #[error("database error: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// No PostgreSQL connection could be taken from the pool.
    #[error("connection pool: {0}")]
    PostgresPool(#[from] deadpool_postgres::PoolError),
    /// The database location or connection settings are unusable.
    #[error("database configuration: {0}")]
    Config(String),
    /// The database file is newer than this build understands.
    #[error("database schema version {found} is newer than this build's {supported}")]
    SchemaTooNew {
        /// The version in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A blocking task panicked or was cancelled.
    #[error("store task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Stored data that does not fit the model (an unknown view level, say).
    #[error("corrupt data: {0}")]
    Corrupt(String),
}
