//! Target (b): the `search` tool's query string, parsed by the DSL, compiled to SQL for both
//! dialects, and the SQLite statements run against the demo store.

use std::sync::{Mutex, OnceLock};

use crm_tools::dsl;
use crm_tools::model::Catalogue;
use crm_tools::permission::Viewer;
use crm_tools::sql::{CompiledSearch, PostgresDialect, SqlValue, SqliteDialect, compile_search};
use rusqlite::{Connection, OpenFlags, params_from_iter};

use crate::fixture::fixture;
use crate::viewers::viewers;

struct State {
    catalogue: Catalogue,
    viewers: [Viewer; 2],
    /// A read-only connection to the demo store, with the CRM's SQL functions.
    conn: Mutex<Connection>,
}

fn state() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(|| {
        let conn = Connection::open_with_flags(&fixture().db, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the demo store");
        crm_tools::sql::register_functions(&conn).expect("register the CRM SQL functions");
        State {
            catalogue: Catalogue::standard(),
            viewers: viewers(),
            conn: Mutex::new(conn),
        }
    })
}

/// Parses `data` (UTF-8 only: the query arrives in a JSON string) for each viewer; checks the
/// error or compiles the query, and runs what SQLite would run.
pub fn dsl_query(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let state = state();
    for viewer in &state.viewers {
        let query = match dsl::parse(input, &state.catalogue, &viewer.visibility) {
            Ok(query) => query,
            Err(error) => {
                check_error(input, &error);
                continue;
            }
        };
        let _ = query.to_string();
        if let Ok(compiled) = compile_search(&query, viewer, &state.catalogue, &PostgresDialect) {
            assert!(!compiled.select_sql.is_empty() && !compiled.count_sql.is_empty());
        }
        match compile_search(&query, viewer, &state.catalogue, &SqliteDialect) {
            Ok(compiled) => run(&state.conn, &compiled, input),
            Err(error) => assert!(
                !error.to_string().trim().is_empty(),
                "an empty compile error for {input:?}"
            ),
        }
    }
}

fn check_error(input: &str, error: &dsl::DslError) {
    let message = error.to_string();
    assert!(
        message.len() > "Invalid query: ".len(),
        "an empty parse error for {input:?}"
    );
    if let Some(position) = error.position {
        let chars = input.chars().count();
        assert!(
            (1..=chars + 1).contains(&position),
            "error position {position} outside the {chars}-character query {input:?}"
        );
    }
}

/// The count and the page, with their parameters: SQLite must accept both.
fn run(conn: &Mutex<Connection>, compiled: &CompiledSearch, input: &str) {
    let conn = conn
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let count: rusqlite::Result<i64> = conn.query_row(
        &compiled.count_sql,
        params_from_iter(compiled.count_params().iter().map(to_sql)),
        |row| row.get(0),
    );
    if let Err(e) = count {
        panic!(
            "SQLite refused the count of {input:?}: {e}\n{}",
            compiled.count_sql
        );
    }
    let rows = conn
        .prepare(&compiled.select_sql)
        .and_then(|mut statement| {
            let mut rows = statement.query(params_from_iter(
                compiled.select_params().iter().map(to_sql),
            ))?;
            let mut n = 0usize;
            while rows.next()?.is_some() {
                n += 1;
            }
            Ok(n)
        });
    if let Err(e) = rows {
        panic!(
            "SQLite refused the page of {input:?}: {e}\n{}",
            compiled.select_sql
        );
    }
}

fn to_sql(value: &SqlValue) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match value {
        SqlValue::Null => V::Null,
        SqlValue::Integer(i) => V::Integer(*i),
        SqlValue::Real(r) => V::Real(*r),
        SqlValue::Text(t) => V::Text(t.clone()),
    }
}
