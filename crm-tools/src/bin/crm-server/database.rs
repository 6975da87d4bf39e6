//! Where the data lives: `--data-dir` (the SQLite file, its `expected.json` and the dev signing
//! key) and `--database-url` (another SQLite file; PostgreSQL is not implemented yet).

use std::path::{Path, PathBuf};

/// The database file's name inside the data directory.
const DATABASE_FILE: &str = "crm.sqlite";

/// The ground truth's file name, next to the database.
const EXPECTED_FILE: &str = "expected.json";

/// Storage options.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct StorageArgs {
    /// Directory of the SQLite database, its expected.json and the dev signing key.
    #[arg(long, env = "CRM_DATA_DIR", default_value = "./crm-data")]
    pub(crate) data_dir: PathBuf,
    /// Database URL instead of DATA_DIR/crm.sqlite: a path or sqlite://PATH
    /// (postgres:// is not supported yet).
    #[arg(long, env = "CRM_DATABASE_URL")]
    pub(crate) database_url: Option<String>,
}

/// Why the storage options cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DatabaseUrlError {
    /// A PostgreSQL URL: the store exists only for SQLite so far.
    #[error(
        "--database-url {0}: PostgreSQL is not supported yet; use a SQLite path or sqlite://PATH (or leave it unset for DATA_DIR/crm.sqlite)"
    )]
    Postgres(String),
    /// Some other scheme.
    #[error("--database-url {0}: unsupported scheme; use a SQLite path or sqlite://PATH")]
    Scheme(String),
}

impl StorageArgs {
    /// The SQLite database file these options name.
    pub(crate) fn database(&self) -> Result<PathBuf, DatabaseUrlError> {
        let Some(url) = self.database_url.as_deref().filter(|u| !u.is_empty()) else {
            return Ok(self.data_dir.join(DATABASE_FILE));
        };
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Ok(PathBuf::from(path));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Err(DatabaseUrlError::Postgres(redact(url)));
        }
        if url.contains("://") {
            return Err(DatabaseUrlError::Scheme(redact(url)));
        }
        Ok(PathBuf::from(url))
    }
}

/// `expected.json` beside `database`.
pub(crate) fn expected_path(database: &Path) -> PathBuf {
    database.with_file_name(EXPECTED_FILE)
}

/// The URL without its password, fit for an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn storage(url: Option<&str>) -> StorageArgs {
        StorageArgs {
            data_dir: PathBuf::from("/data"),
            database_url: url.map(str::to_owned),
        }
    }

    #[test]
    fn urls_resolve_to_sqlite_files() {
        assert_eq!(
            storage(None).database().unwrap(),
            Path::new("/data/crm.sqlite")
        );
        assert_eq!(
            storage(Some("sqlite:///tmp/a.db")).database().unwrap(),
            Path::new("/tmp/a.db")
        );
        assert_eq!(storage(Some("b.db")).database().unwrap(), Path::new("b.db"));
        assert_eq!(
            expected_path(Path::new("/tmp/a.db")),
            Path::new("/tmp/expected.json")
        );
    }

    #[test]
    fn postgres_is_refused_without_leaking_the_password() {
        let err = storage(Some("postgres://crm:s3cret@db/crm"))
            .database()
            .unwrap_err()
            .to_string();
        assert!(err.contains("not supported yet"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        assert!(storage(Some("mysql://x")).database().is_err());
    }
}
