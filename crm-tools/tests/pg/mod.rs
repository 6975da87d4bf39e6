//! The real PostgreSQL server the tests run against: a fresh database per test binary on the
//! server named by `CRM_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
//!
//! An unreachable server fails the tests with instructions, unless `CRM_TEST_POSTGRES=skip` is
//! set explicitly, which skips the PostgreSQL half with a loud notice — never silently.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::sync::OnceLock;

use postgres::{Client, NoTls};

/// The server's URL (any database on it; test databases are created beside it).
pub(crate) fn server_url() -> String {
    std::env::var("CRM_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Whether the PostgreSQL half is skipped on request (`CRM_TEST_POSTGRES=skip`).
pub(crate) fn skipped() -> bool {
    let skip = std::env::var("CRM_TEST_POSTGRES").is_ok_and(|v| v == "skip");
    if skip {
        static NOTICE: OnceLock<()> = OnceLock::new();
        NOTICE.get_or_init(|| {
            eprintln!(
                "\n!!!!!!!! CRM_TEST_POSTGRES=skip: the PostgreSQL half of {} is NOT run !!!!!!!!\n",
                env!("CARGO_CRATE_NAME")
            );
        });
    }
    skip
}

/// `url` with its database replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn connect(url: &str) -> Client {
    Client::connect(url, NoTls).unwrap_or_else(|e| {
        panic!(
            "PostgreSQL is not reachable at {url}: {e}\n\
             The store tests run against a real server. Start one (scripts/test.sh does it: \
             `apt-get install -y postgresql && pg_ctlcluster 15 main start`), or point \
             CRM_TEST_POSTGRES_URL at one; to run only the SQLite half, set CRM_TEST_POSTGRES=skip."
        )
    })
}

/// Runs `f` on a plain thread: the blocking client must not run inside an async test.
pub(crate) fn blocking<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(f)
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// Drops the test databases of runs whose process is gone (killed runs leave them behind).
fn drop_leftovers(admin: &mut Client) {
    let names: Vec<String> = admin
        .query(
            "SELECT datname::TEXT FROM pg_database WHERE datname LIKE 'crm\\_test\\_%'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for name in names {
        let alive = name
            .rsplit('_')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok())
            // This process's own databases (one per suite name) are alive too.
            .is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            // Another binary may be dropping it at the same moment: ignore failures.
            let _ =
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}

/// A fresh, empty UTF-8 database `crm_test_<name>_<pid>`, returned as a URL.
pub(crate) fn fresh_database(name: &str) -> String {
    let server = server_url();
    let name = name.to_owned();
    blocking(move || {
        let mut admin = connect(&server);
        drop_leftovers(&mut admin);
        let database = format!("crm_test_{name}_{}", std::process::id());
        // Two statements: neither may run inside the implicit transaction of a batch.
        admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
            ))
            .unwrap();
        admin
            .batch_execute(&format!(
                "CREATE DATABASE \"{database}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
            ))
            .unwrap();
        let url = with_database(&server, &database);
        connect(&url)
            .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            .unwrap();
        url
    })
}

#[test]
fn urls_get_their_database_replaced() {
    assert_eq!(
        with_database("postgres://u@h:5432/postgres", "x"),
        "postgres://u@h:5432/x"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    assert_eq!(
        with_database("postgres://u@h/db?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
}
