//! Where the data lives: `--data-dir` (the SQLite file, its `expected.json` and the dev signing
//! key) and `--database-url` (another SQLite file, or a PostgreSQL database).

use std::path::{Path, PathBuf};

use crm_tools::store::Location;

/// The database file's name inside the data directory.
const DATABASE_FILE: &str = "crm.sqlite";

/// The ground truth's file name, next to the database.
const EXPECTED_FILE: &str = "expected.json";

/// The conventional variable many platforms set; `CRM_DATABASE_URL` wins over it.
const FALLBACK_ENV: &str = "DATABASE_URL";

/// Storage options.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct StorageArgs {
    /// Directory of the SQLite database, its expected.json and the dev signing key.
    #[arg(long, env = "CRM_DATA_DIR", default_value = "./crm-data")]
    pub(crate) data_dir: PathBuf,
    /// Database URL instead of DATA_DIR/crm.sqlite: postgres://USER@HOST/DB for PostgreSQL,
    /// or a path or sqlite://PATH (env CRM_DATABASE_URL, else DATABASE_URL).
    #[arg(long, env = "CRM_DATABASE_URL")]
    pub(crate) database_url: Option<String>,
}

/// Why the storage options cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DatabaseUrlError {
    /// An unknown scheme.
    #[error(
        "--database-url {0}: unsupported scheme; use postgres://…, a SQLite path or sqlite://PATH"
    )]
    Scheme(String),
}

impl StorageArgs {
    /// The database these options name.
    pub(crate) fn database(&self) -> Result<Location, DatabaseUrlError> {
        let fallback = std::env::var(FALLBACK_ENV).ok();
        let url = self
            .database_url
            .as_deref()
            .or(fallback.as_deref())
            .filter(|u| !u.is_empty());
        let Some(url) = url else {
            return Ok(Location::Sqlite(self.data_dir.join(DATABASE_FILE)));
        };
        Location::parse(url).map_err(|_| DatabaseUrlError::Scheme(redact(url)))
    }

    /// Where `expected.json` goes: beside an SQLite file, in the data directory otherwise.
    pub(crate) fn expected(&self, location: &Location) -> PathBuf {
        match location {
            Location::Sqlite(path) => expected_path(path),
            Location::Postgres(_) => self.data_dir.join(EXPECTED_FILE),
        }
    }
}

/// A database for messages: the file, or the URL without its password.
pub(crate) fn describe(location: &Location) -> String {
    match location {
        Location::Sqlite(path) => path.display().to_string(),
        Location::Postgres(url) => redact(url),
    }
}

/// `expected.json` beside `database`.
pub(crate) fn expected_path(database: &Path) -> PathBuf {
    database.with_file_name(EXPECTED_FILE)
}

/// The URL without its password, fit for an error message.
pub(crate) fn redact(url: &str) -> String {
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
    fn urls_resolve_to_stores() {
        assert_eq!(
            storage(Some("sqlite:///tmp/a.db")).database().unwrap(),
            Location::Sqlite(PathBuf::from("/tmp/a.db"))
        );
        assert_eq!(
            storage(Some("b.db")).database().unwrap(),
            Location::Sqlite(PathBuf::from("b.db"))
        );
        assert_eq!(
            storage(Some("postgres://crm@db/crm")).database().unwrap(),
            Location::Postgres("postgres://crm@db/crm".to_owned())
        );
        assert_eq!(
            expected_path(Path::new("/tmp/a.db")),
            Path::new("/tmp/expected.json")
        );
        assert_eq!(
            storage(None).expected(&Location::Postgres("postgres://x/y".to_owned())),
            Path::new("/data/expected.json")
        );
    }

    #[test]
    fn bad_schemes_are_refused_without_leaking_the_password() {
        let err = storage(Some("mysql://crm:s3cret@db/crm"))
            .database()
            .unwrap_err()
            .to_string();
        assert!(err.contains("unsupported scheme"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        assert_eq!(
            describe(&Location::Postgres(
                "postgres://crm:s3cret@db/crm".to_owned()
            )),
            "postgres://crm:***@db/crm"
        );
    }
}
