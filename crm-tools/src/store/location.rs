//! Choosing a store from a database URL: `postgres://…` (or `postgresql://…`) for PostgreSQL,
//! a path or `sqlite://PATH` for an SQLite file.

use std::path::PathBuf;
use std::sync::Arc;

use super::{CrmStore, PostgresStore, SqliteStore, StoreError};
use crate::model::Catalogue;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl Location {
    /// Parses a database URL: `postgres://` / `postgresql://` URLs, `sqlite://PATH` or
    /// `sqlite:PATH`, or a plain path. Any other `scheme://` is an error.
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(StoreError::Config(format!(
                "unsupported database URL scheme `{scheme}`; use postgres://…, sqlite://PATH or a path"
            )));
        }
        Ok(Self::Sqlite(PathBuf::from(url)))
    }
}

/// Opens (and migrates) the store at `location` with a pool of `pool_size` connections.
///
/// SQLite's opening blocks (file I/O); it runs on a blocking thread here.
pub async fn open(
    location: &Location,
    catalogue: Catalogue,
    pool_size: u32,
) -> Result<Arc<dyn CrmStore>, StoreError> {
    Ok(match location {
        Location::Postgres(url) => Arc::new(
            PostgresStore::open(url, catalogue, usize::try_from(pool_size).unwrap_or(1)).await?,
        ),
        Location::Sqlite(path) => {
            let path = path.clone();
            Arc::new(
                tokio::task::spawn_blocking(move || SqliteStore::open(&path, catalogue, pool_size))
                    .await??,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_store() {
        assert_eq!(
            Location::parse("postgres://u@h/db").ok(),
            Some(Location::Postgres("postgres://u@h/db".to_owned()))
        );
        assert_eq!(
            Location::parse("sqlite:///tmp/a.db").ok(),
            Some(Location::Sqlite(PathBuf::from("/tmp/a.db")))
        );
        assert_eq!(
            Location::parse("a.db").ok(),
            Some(Location::Sqlite(PathBuf::from("a.db")))
        );
        assert!(Location::parse("mysql://x").is_err());
    }
}
