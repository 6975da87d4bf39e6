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
    /// The database file is no longer the one the store opened (removed or replaced).
    #[error("database file {0} was removed or replaced since the store opened it")]
    FileGone(std::path::PathBuf),
    /// The caller gave up on the read before it got a connection (it is never reported:
    /// nobody waits for it any more).
    #[error("the read was abandoned")]
    Abandoned,
    /// Stored data that does not fit the model (an unknown view level, say).
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

/// Why the database could not answer, when the failure is the database's availability rather
/// than the request: worth retrying, and worth an operator's attention if it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outage {
    /// Locked by another connection, or every pooled connection in use.
    Busy,
    /// Unreachable: the server is down, the connection was lost, or the file cannot be opened.
    Unavailable,
    /// The database stopped the query or did not answer in time.
    TimedOut,
}

impl StoreError {
    /// The outage this failure stands for, if it is one (as opposed to a bad request, a
    /// permission refusal or a bug).
    pub fn outage(&self) -> Option<Outage> {
        match self {
            Self::Database(e) => sqlite_outage(e),
            Self::FileGone(_) => Some(Outage::Unavailable),
            // r2d2 reports only that no connection came within its timeout.
            Self::Pool(_) => Some(Outage::Busy),
            Self::Postgres(e) => postgres_outage(e),
            Self::PostgresPool(e) => match e {
                deadpool_postgres::PoolError::Timeout(deadpool_postgres::TimeoutType::Wait) => {
                    Some(Outage::Busy)
                }
                deadpool_postgres::PoolError::Timeout(_) | deadpool_postgres::PoolError::Closed => {
                    Some(Outage::Unavailable)
                }
                deadpool_postgres::PoolError::Backend(e) => {
                    // Failing to connect at all is an outage whatever the error says.
                    Some(postgres_outage(e).unwrap_or(Outage::Unavailable))
                }
                _ => None,
            },
            _ => None,
        }
    }
}

fn sqlite_outage(error: &rusqlite::Error) -> Option<Outage> {
    use rusqlite::ErrorCode;
    let rusqlite::Error::SqliteFailure(failure, _) = error else {
        return None;
    };
    match failure.code {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(Outage::Busy),
        ErrorCode::CannotOpen
        | ErrorCode::NotADatabase
        | ErrorCode::DatabaseCorrupt
        | ErrorCode::SystemIoFailure
        | ErrorCode::PermissionDenied
        | ErrorCode::NotFound => Some(Outage::Unavailable),
        ErrorCode::OperationInterrupted => Some(Outage::TimedOut),
        _ => None,
    }
}

fn postgres_outage(error: &tokio_postgres::Error) -> Option<Outage> {
    use tokio_postgres::error::SqlState;
    if error.is_closed() {
        return Some(Outage::Unavailable);
    }
    if let Some(code) = error.code() {
        return match code {
            c if c.code().starts_with("08") => Some(Outage::Unavailable),
            c if *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW =>
            {
                Some(Outage::Unavailable)
            }
            c if *c == SqlState::TOO_MANY_CONNECTIONS || *c == SqlState::LOCK_NOT_AVAILABLE => {
                Some(Outage::Busy)
            }
            c if *c == SqlState::QUERY_CANCELED => Some(Outage::TimedOut),
            _ => None,
        };
    }
    // No SQLSTATE: the socket failed (refused, reset, timed out).
    std::error::Error::source(error)
        .is_some_and(|s| s.is::<std::io::Error>())
        .then_some(Outage::Unavailable)
}
