//! The read-only connection pool.
//!
//! `r2d2` with a manager of our own: `r2d2_sqlite` pins an older `rusqlite`, and two bundled
//! SQLite builds cannot link into one binary.

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::sql::register_functions;

/// Opens read-only connections to one file, with the compiled SQL's functions registered.
#[derive(Debug)]
pub(super) struct ReadOnlyManager {
    pub(super) path: PathBuf,
    /// How long a read waits for a lock held by a writer before it fails as busy.
    pub(super) busy_timeout: Duration,
}

impl r2d2::ManageConnection for ReadOnlyManager {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> Result<Connection, rusqlite::Error> {
        // Read-only at the SQLite level, so no tool path can write even through a bug.
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(self.busy_timeout)?;
        conn.set_prepared_statement_cache_capacity(64);
        // Memory-mapped reads: a page already in the OS cache costs no read() call and no copy,
        // which is most of a lookup-heavy search's time on a large file. Read-only, so a stray
        // write through the map is impossible.
        conn.execute_batch("PRAGMA mmap_size = 4294967296")?;
        register_functions(&conn)?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<(), rusqlite::Error> {
        conn.execute_batch("")
    }

    fn has_broken(&self, _conn: &mut Connection) -> bool {
        false
    }
}
