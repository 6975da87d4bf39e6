//! The compiled SQL, run on both engines — an in-memory SQLite and a schema of its own on the
//! PostgreSQL test server — over a tiny hand-made dataset: operator and
//! unset-value semantics, date-only days, associations, sort/paging/total, permissions (own, team
//! with child teams, all, unassigned, cross-tenant, invisible association targets) and
//! SQL-injection attempts through every string input.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::collections::{BTreeMap, BTreeSet};

use crm_tools::dsl;
use crm_tools::filter::{Condition, Filter, FilterGroup, Query, Sort, Target, Value, Visibility};
use crm_tools::model::{
    Catalogue, ObjectType, OwnerId, Team, TeamId, TenantId, UserId, expand_team_ids,
};
use crm_tools::permission::{ObjectPermission, ViewLevel, Viewer};
use crm_tools::sql::{
    CompileError, Dialect, PostgresDialect, SqlValue, SqliteDialect, compile_search, create_tables,
    register_functions,
};
use rusqlite::{Connection, params_from_iter};

mod common;
#[path = "pg/mod.rs"]
mod pg;

/// Which engine the running test uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

thread_local! {
    static BACKEND: std::cell::Cell<Backend> = const { std::cell::Cell::new(Backend::Sqlite) };
}

/// Each `fn name()` test once per engine: `on_sqlite::name`, `on_postgres::name`.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[test]
                fn $name() {
                    super::BACKEND.with(|b| b.set(super::Backend::Sqlite));
                    super::$name();
                }
            )*
        }
        mod on_postgres {
            $(
                #[test]
                fn $name() {
                    if super::pg::skipped() {
                        return;
                    }
                    super::BACKEND.with(|b| b.set(super::Backend::Postgres));
                    super::$name();
                }
            )*
        }
    };
}

/// The dataset's database: a fresh in-memory SQLite, or a fresh schema (first on the search
/// path) in this binary's PostgreSQL database.
enum Db {
    Sqlite(Connection),
    Postgres(std::cell::RefCell<postgres::Client>),
}

impl Db {
    fn new() -> Self {
        let catalogue = Catalogue::standard();
        match BACKEND.with(std::cell::Cell::get) {
            Backend::Sqlite => {
                let conn = Connection::open_in_memory().unwrap();
                register_functions(&conn).unwrap();
                for stmt in create_tables(&catalogue, &SqliteDialect) {
                    conn.execute(&stmt, []).unwrap();
                }
                Self::Sqlite(conn)
            }
            Backend::Postgres => {
                static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
                static NEXT: std::sync::atomic::AtomicUsize =
                    std::sync::atomic::AtomicUsize::new(0);
                let url = URL.get_or_init(|| pg::fresh_database("sql_semantics"));
                let schema = format!(
                    "t{}",
                    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client
                    .batch_execute(&format!(
                        "CREATE SCHEMA {schema}; SET search_path TO {schema}, public"
                    ))
                    .unwrap();
                for stmt in create_tables(&catalogue, &PostgresDialect) {
                    client.batch_execute(&stmt).unwrap();
                }
                Self::Postgres(std::cell::RefCell::new(client))
            }
        }
    }

    fn dialect(&self) -> &'static dyn Dialect {
        match self {
            Self::Sqlite(_) => &SqliteDialect,
            Self::Postgres(_) => &PostgresDialect,
        }
    }

    fn execute(&self, sql: &str, values: &[SqlValue]) {
        match self {
            Self::Sqlite(conn) => {
                conn.execute(sql, params_from_iter(values.iter())).unwrap();
            }
            Self::Postgres(client) => {
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> = values
                    .iter()
                    .map(|v| v as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                client.borrow_mut().execute(sql, &params).unwrap();
            }
        }
    }

    /// The first column of every row, as integers.
    fn column(&self, sql: &str, values: &[SqlValue]) -> Vec<i64> {
        match self {
            Self::Sqlite(conn) => conn
                .prepare(sql)
                .unwrap()
                .query_map(params_from_iter(values.iter()), |row| row.get::<_, i64>(0))
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap(),
            Self::Postgres(client) => {
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> = values
                    .iter()
                    .map(|v| v as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                client
                    .borrow_mut()
                    .query(sql, &params)
                    .unwrap_or_else(|e| panic!("{sql}: {e}"))
                    .iter()
                    .map(|r| r.get::<_, i64>(0))
                    .collect()
            }
        }
    }
}

const DAY: i64 = 86_400_000;
/// 2026-08-31T00:00:00Z.
const AUG31: i64 = 1_788_134_400_000;
/// 2025-03-31T00:00:00Z.
const MAR31: i64 = 1_743_379_200_000;

/// (tenant, hs_object_id, columns).
type Row<'a> = (i64, i64, &'a [(&'a str, SqlValue)]);

fn t(s: &str) -> SqlValue {
    SqlValue::Text(s.to_owned())
}
fn n(i: i64) -> SqlValue {
    SqlValue::Integer(i)
}

fn insert(conn: &Db, table: &str, tenant: i64, row: &[(&str, SqlValue)]) {
    let cols: Vec<String> = std::iter::once("tenant_id")
        .chain(row.iter().map(|(c, _)| *c))
        .map(|c| format!("\"{c}\""))
        .collect();
    let marks: Vec<String> = (1..=cols.len())
        .map(|i| conn.dialect().placeholder(i))
        .collect();
    let sql = format!(
        "INSERT INTO \"{table}\" ({}) VALUES ({})",
        cols.join(", "),
        marks.join(", ")
    );
    let values: Vec<SqlValue> = std::iter::once(n(tenant))
        .chain(row.iter().map(|(_, v)| v.clone()))
        .collect();
    conn.execute(&sql, &values);
}

fn associate(conn: &Db, tenant: i64, from: (&str, i64), to: (&str, i64)) {
    for ((ft, fi), (tt, ti)) in [(from, to), (to, from)] {
        insert(
            conn,
            "associations",
            tenant,
            &[
                ("from_type", t(ft)),
                ("from_id", n(fi)),
                ("to_type", t(tt)),
                ("to_id", n(ti)),
                ("type_id", n(0)),
                ("category", t("HUBSPOT_DEFINED")),
            ],
        );
    }
}

/// Tenant 1: owners 10 (team 100), 11 (team 101, a child of 100), 12 (team 200).
/// Tenant 2 reuses contact id 1 and company id 901 so that tenant isolation is really tested.
fn dataset() -> Db {
    let conn = Db::new();
    for (team, owner) in [(100, 10), (101, 11), (200, 12)] {
        insert(
            &conn,
            "team_members",
            1,
            &[
                ("team_id", n(team)),
                ("owner_id", n(owner)),
                ("is_primary", n(1)),
            ],
        );
    }
    let contacts: [Row<'_>; 7] = [
        (
            1,
            1,
            &[
                ("firstname", t("John")),
                ("lastname", t("Doe")),
                ("email", t("john@example.com")),
                ("phone", t("+1 555")),
                ("country", t("US")),
                ("hubspot_owner_id", n(10)),
                ("createdate", n(AUG31 + 3 * DAY)),
            ],
        ),
        (
            1,
            2,
            &[
                ("firstname", t("Jane")),
                ("lastname", t("Roe")),
                ("email", t("jane@acme.io")),
                ("phone", t("")),
                ("country", t("DE")),
                ("hubspot_owner_id", n(11)),
                ("createdate", n(AUG31 - 1)),
            ],
        ),
        (
            1,
            3,
            &[
                ("firstname", t("Zoë")),
                ("lastname", t("Müller")),
                ("email", t("zoe@muller.de")),
                ("region", t("EMEA")),
                ("hubspot_owner_id", n(12)),
                ("createdate", n(AUG31)),
            ],
        ),
        (
            1,
            4,
            &[
                ("firstname", t("Seán")),
                ("lastname", t("O'Brien")),
                ("email", t("obrien@startup.co")),
                ("createdate", n(AUG31 - 10 * DAY)),
            ],
        ),
        (
            1,
            5,
            &[
                ("firstname", t("Robert'); DROP TABLE contacts;--")),
                ("hubspot_owner_id", n(10)),
                ("createdate", n(AUG31 + DAY)),
            ],
        ),
        (
            2,
            1,
            &[
                ("firstname", t("John")),
                ("lastname", t("Doe")),
                ("email", t("john@other.example")),
                ("hubspot_owner_id", n(90)),
            ],
        ),
        (2, 6, &[("firstname", t("John")), ("lastname", t("Smith"))]),
    ];
    for (tenant, id, row) in contacts {
        let mut row = row.to_vec();
        row.push(("hs_object_id", n(id)));
        insert(&conn, "contacts", tenant, &row);
    }
    let companies: [Row<'_>; 4] = [
        (
            1,
            901,
            &[
                ("name", t("Acme Corp")),
                ("description", t("Enterprise software")),
                ("country", t("DE")),
                ("hubspot_owner_id", n(10)),
            ],
        ),
        (
            1,
            902,
            &[
                ("name", t("Startup Co")),
                ("description", t("a startup co")),
                ("hubspot_owner_id", n(12)),
            ],
        ),
        (1, 903, &[("name", t("Nobody GmbH")), ("country", t("DE"))]),
        (
            2,
            901,
            &[("name", t("Other Tenant Inc")), ("hubspot_owner_id", n(90))],
        ),
    ];
    for (tenant, id, row) in companies {
        let mut row = row.to_vec();
        row.push(("hs_object_id", n(id)));
        insert(&conn, "companies", tenant, &row);
    }
    let deals: [(i64, &[(&str, SqlValue)]); 3] = [
        (
            5001,
            &[
                ("dealname", t("Acme renewal")),
                ("amount", SqlValue::Real(60000.0)),
                ("dealstage", t("contractsent")),
                ("hs_is_closed", n(0)),
                ("closedate", n(MAR31 + 15 * 3_600_000)),
                ("hubspot_owner_id", n(10)),
            ],
        ),
        (
            5002,
            &[
                ("dealname", t("Startup pilot")),
                ("amount", SqlValue::Real(1000.0)),
                ("dealstage", t("closedlost")),
                ("hs_is_closed", n(1)),
                ("closedate", n(MAR31 + DAY)),
                ("hubspot_owner_id", n(12)),
            ],
        ),
        (
            5003,
            &[
                ("dealname", t("Unpriced")),
                ("dealstage", t("appointmentscheduled")),
                ("hs_is_closed", n(0)),
                ("closedate", n(MAR31 - 89 * DAY)),
                ("hubspot_owner_id", n(11)),
            ],
        ),
    ];
    for (id, row) in deals {
        let mut row = row.to_vec();
        row.push(("hs_object_id", n(id)));
        insert(&conn, "deals", 1, &row);
    }
    associate(&conn, 1, ("contacts", 1), ("companies", 901));
    associate(&conn, 1, ("contacts", 2), ("companies", 901));
    associate(&conn, 1, ("contacts", 3), ("companies", 902));
    associate(&conn, 1, ("deals", 5001), ("contacts", 1));
    associate(&conn, 1, ("deals", 5002), ("contacts", 3));
    let tickets: [Row<'_>; 3] = [
        (
            1,
            7001,
            &[
                ("subject", t("Refund request")),
                ("content", t("Wants a refund for invoice 42.")),
                ("hs_pipeline_stage", t("1")),
                ("hs_ticket_priority", t("HIGH")),
                ("hubspot_owner_id", n(12)),
            ],
        ),
        (
            1,
            7002,
            &[
                ("subject", t("Login broken")),
                ("content", t("Cannot log in since Monday.")),
                ("hs_pipeline_stage", t("4")),
                ("hs_ticket_priority", t("URGENT")),
                ("hubspot_owner_id", n(12)),
            ],
        ),
        (
            1,
            7003,
            &[
                ("subject", t("Invoice question")),
                ("content", t("Which VAT rate applies?")),
                ("hs_pipeline_stage", t("2")),
                ("hs_ticket_priority", t("LOW")),
            ],
        ),
    ];
    for (tenant, id, row) in tickets {
        let mut row = row.to_vec();
        row.push(("hs_object_id", n(id)));
        insert(&conn, "tickets", tenant, &row);
        associate(&conn, tenant, ("tickets", id), ("contacts", 3));
    }
    // A tenant-2 contact linked to company 901 of tenant 2: must never surface tenant 1 data.
    associate(&conn, 2, ("contacts", 1), ("companies", 901));
    conn
}

fn viewer(tenant: i64, owners: &[i64], teams: &[i64], view: ViewLevel, unassigned: bool) -> Viewer {
    let scopes = ObjectType::ALL
        .iter()
        .map(|t| t.read_scope().to_owned())
        .collect();
    let permissions: BTreeMap<_, _> = ObjectType::ALL
        .iter()
        .map(|t| (*t, ObjectPermission { view, unassigned }))
        .collect();
    Viewer {
        tenant: TenantId(tenant),
        user: UserId(1),
        owner_ids: owners.iter().map(|o| OwnerId(*o)).collect(),
        team_ids: teams.iter().map(|t| TeamId(*t)).collect(),
        scopes,
        permissions,
        visibility: Visibility::default(),
    }
}

fn admin() -> Viewer {
    viewer(1, &[], &[], ViewLevel::All, true)
}

/// Runs a compiled query: (page ids, total).
fn run_query(conn: &Db, query: &Query, v: &Viewer) -> Result<(Vec<i64>, i64), CompileError> {
    let c = compile_search(query, v, &Catalogue::standard(), conn.dialect())?;
    let ids = conn.column(&c.select_sql, c.select_params());
    let total = conn.column(&c.count_sql, c.count_params())[0];
    Ok((ids, total))
}

fn run(conn: &Db, dsl_query: &str, v: &Viewer) -> (Vec<i64>, i64) {
    let query = dsl::parse(dsl_query, &Catalogue::standard(), &v.visibility)
        .unwrap_or_else(|e| panic!("{e}"));
    run_query(conn, &query, v).unwrap()
}

fn ids(conn: &Db, dsl_query: &str, v: &Viewer) -> Vec<i64> {
    run(conn, dsl_query, v).0
}

fn contacts_table_intact(conn: &Db) {
    let count = conn.column("SELECT COUNT(*) FROM contacts", &[])[0];
    assert_eq!(count, 7);
}

fn text_operators_are_case_insensitive_and_negatives_match_unset() {
    let (c, a) = (dataset(), admin());
    assert_eq!(ids(&c, "object_type:contacts firstname:JOHN", &a), [1]);
    assert_eq!(ids(&c, "object_type:contacts country:in:us,de", &a), [1, 2]);
    assert_eq!(
        ids(&c, "object_type:contacts country:neq:us", &a),
        [2, 3, 4, 5]
    );
    assert_eq!(
        ids(&c, "object_type:contacts country:not_in:US,DE", &a),
        [3, 4, 5]
    );
    assert_eq!(ids(&c, "object_type:contacts phone:has_property", &a), [1]);
    assert_eq!(
        ids(&c, "object_type:contacts phone:not_has_property", &a),
        [2, 3, 4, 5]
    );
    assert_eq!(
        ids(&c, "object_type:contacts lastname:\"o'brien\"", &a),
        [4]
    ); // Case folding is Unicode-aware, not SQLite's ASCII-only lower().
    assert_eq!(ids(&c, "object_type:contacts lastname:MÜLLER", &a), [3]);
    assert_eq!(
        ids(&c, "object_type:contacts firstname:in:SEÁN,zoë", &a),
        [3, 4]
    );
}

fn contains_token_and_free_text() {
    let (c, a) = (dataset(), admin());
    assert_eq!(
        ids(
            &c,
            "object_type:contacts email:contains_token:\"@example.com\"",
            &a
        ),
        [1]
    );
    assert_eq!(
        ids(
            &c,
            "object_type:companies description:contains_token:startup",
            &a
        ),
        [902]
    );
    assert_eq!(
        ids(
            &c,
            "object_type:companies description:contains_token:start",
            &a
        ),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(
            &c,
            "object_type:companies description:not_contains_token:startup",
            &a
        ),
        [901, 903]
    );
    assert_eq!(ids(&c, "object_type:contacts q:jo", &a), [1]);
    assert_eq!(ids(&c, "object_type:contacts q:\"john doe\"", &a), [1]);
    assert_eq!(ids(&c, "object_type:contacts q:müller", &a), [3]);
    assert_eq!(ids(&c, "object_type:deals q:acme", &a), [5001]);
    assert_eq!(ids(&c, "object_type:deals q:closedlost", &a), [5002]);
}

/// Page ids and total for free text `q` over tenant 1's contacts, straight through the IR so
/// the DSL's own quoting rules do not filter the input.
fn free_text(conn: &Db, q: &str) -> (Vec<i64>, i64) {
    let mut query = Query::all(ObjectType::Contacts);
    query.q = Some(q.to_owned());
    run_query(conn, &query, &admin()).unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn free_text_syntax_is_always_literal() {
    let c = dataset();
    let none = (Vec::<i64>::new(), 0);
    // FTS5 operators, column filters, NEAR groups, prefix/initial-token marks and quotes are
    // plain text: each term is looked up as the tokens it contains, never as query syntax.
    for (q, expected) in [
        ("john doe", (vec![1], 1)),
        ("john AND doe", none.clone()),
        ("john OR jane", none.clone()),
        ("NOT jane", none.clone()),
        ("john NOT", none.clone()),
        ("NEAR(john doe)", none.clone()),
        ("NEAR(john doe, 5)", none.clone()),
        ("john NEAR/2 doe", none.clone()),
        ("firstname:john", none.clone()),
        ("{firstname}:jane", none.clone()),
        ("- {email} : john", none.clone()),
        ("lastname : doe", none.clone()),
        ("-john", (vec![1], 1)),
        ("^john", (vec![1], 1)),
        ("+john", (vec![1], 1)),
        ("jo*", (vec![1], 1)),
        ("j*", (vec![1, 2], 2)),
        ("\"john\"", (vec![1], 1)),
        ("\"john doe\"", (vec![1], 1)),
        ("john\" OR \"jane", none.clone()),
        ("\"\"\"", (vec![1, 2, 3, 4, 5], 5)),
        ("o'brien", (vec![4], 1)),
        ("robert'); drop", (vec![5], 1)),
        ("(john)", (vec![1], 1)),
        ("john)", (vec![1], 1)),
        ("rowid:1", none.clone()),
        ("*", (vec![1, 2, 3, 4, 5], 5)),
        ("- * ^ : ( ) \" { }", (vec![1, 2, 3, 4, 5], 5)),
        ("\\ ' % _", (vec![1, 2, 3, 4, 5], 5)),
        ("müller", (vec![3], 1)),
        ("MÜLL", (vec![3], 1)),
        ("muller", (vec![3], 1)),
    ] {
        assert_eq!(free_text(&c, q), expected, "q = {q}");
    }
    contacts_table_intact(&c);
}

fn date_only_values_are_whole_utc_days() {
    let (c, a) = (dataset(), admin());
    assert_eq!(
        ids(&c, "object_type:contacts createdate:gte:2026-08-31", &a),
        [1, 3, 5]
    );
    assert_eq!(
        ids(&c, "object_type:contacts createdate:lte:2026-08-30", &a),
        [2, 4]
    );
    assert_eq!(
        ids(&c, "object_type:contacts createdate:lt:2026-08-31", &a),
        [2, 4]
    );
    assert_eq!(
        ids(&c, "object_type:contacts createdate:gt:2026-08-31", &a),
        [1, 5]
    );
    assert_eq!(
        ids(&c, "object_type:contacts createdate:2026-08-31", &a),
        [3]
    );
    assert_eq!(
        ids(&c, "object_type:contacts createdate:neq:2026-08-31", &a),
        [1, 2, 4, 5]
    );
    assert_eq!(
        ids(
            &c,
            "object_type:contacts createdate:in:2026-08-31,2026-09-03",
            &a
        ),
        [1, 3]
    );
    assert_eq!(
        ids(&c, "object_type:deals closedate:lte:2025-03-31", &a),
        [5001, 5003]
    );
    assert_eq!(
        ids(
            &c,
            "object_type:deals closedate:between:2025-01-01,2025-03-31",
            &a
        ),
        [5001, 5003]
    );
    assert_eq!(
        ids(
            &c,
            "object_type:deals closedate:gte:2025-03-31T15:00:00Z",
            &a
        ),
        [5001, 5002]
    );
}

fn numbers_and_booleans() {
    let (c, a) = (dataset(), admin());
    assert_eq!(ids(&c, "object_type:deals amount:gt:50000", &a), [5001]);
    assert_eq!(
        ids(&c, "object_type:deals amount:between:1000,60000", &a),
        [5001, 5002]
    );
    assert_eq!(
        ids(&c, "object_type:deals amount:neq:1000", &a),
        [5001, 5003]
    );
    assert_eq!(ids(&c, "object_type:deals hs_is_closed:true", &a), [5002]);
    assert_eq!(
        ids(&c, "object_type:deals hubspot_owner_id:in:10,11", &a),
        [5001, 5003]
    );
}

fn associations() {
    let (c, a) = (dataset(), admin());
    assert_eq!(
        ids(&c, "object_type:contacts associated_companies:901", &a),
        [1, 2]
    );
    assert_eq!(
        ids(&c, "object_type:contacts associated_companies:neq:901", &a),
        [3, 4, 5]
    );
    assert_eq!(
        ids(
            &c,
            "object_type:contacts associated_companies:not_in:901,902",
            &a
        ),
        [4, 5]
    );
    assert_eq!(
        ids(&c, "object_type:deals associated_contacts:in:1,3", &a),
        [5001, 5002]
    );
    assert_eq!(
        ids(&c, "object_type:companies associated_contacts:3", &a),
        [902]
    );
}

fn sort_paging_and_total() {
    let (c, a) = (dataset(), admin());
    assert_eq!(
        run(&c, "object_type:contacts sort:createdate:desc limit:2", &a),
        (vec![1, 5], 5)
    );
    assert_eq!(
        run(
            &c,
            "object_type:contacts sort:createdate:desc limit:2 offset:2",
            &a
        ),
        (vec![3, 2], 5)
    );
    assert_eq!(
        run(
            &c,
            "object_type:contacts sort:createdate:desc limit:2 offset:4",
            &a
        ),
        (vec![4], 5)
    );
    // Unset values sort last in both directions; ties break by id.
    assert_eq!(
        ids(&c, "object_type:deals sort:amount:asc", &a),
        [5002, 5001, 5003]
    );
    assert_eq!(
        ids(&c, "object_type:deals sort:amount:desc", &a),
        [5001, 5002, 5003]
    );
    assert_eq!(
        ids(&c, "object_type:contacts sort:country", &a),
        [2, 1, 3, 4, 5]
    );
    assert_eq!(
        ids(
            &c,
            "object_type:contacts sort:hs_object_id:desc limit:1",
            &a
        ),
        [5]
    );
}

fn own_view_with_and_without_unassigned() {
    let c = dataset();
    let own = viewer(1, &[10], &[100], ViewLevel::Own, false);
    assert_eq!(run(&c, "object_type:contacts", &own), (vec![1, 5], 2));
    // The total counts visible rows only, whatever the page size.
    assert_eq!(run(&c, "object_type:contacts limit:1", &own), (vec![1], 2));
    let own_unassigned = viewer(1, &[10], &[], ViewLevel::Own, true);
    assert_eq!(
        run(&c, "object_type:contacts", &own_unassigned),
        (vec![1, 4, 5], 3)
    );
    assert_eq!(
        ids(
            &c,
            "object_type:contacts hubspot_owner_id:not_has_property",
            &own_unassigned
        ),
        [4]
    );
    let nobody = viewer(1, &[], &[], ViewLevel::Own, false);
    assert_eq!(run(&c, "object_type:contacts", &nobody), (vec![], 0));
}

fn team_view_includes_child_teams() {
    let c = dataset();
    let teams = [
        Team {
            id: TeamId(100),
            tenant: TenantId(1),
            name: "NA Sales".to_owned(),
            parent: None,
        },
        Team {
            id: TeamId(101),
            tenant: TenantId(1),
            name: "NA East".to_owned(),
            parent: Some(TeamId(100)),
        },
        Team {
            id: TeamId(200),
            tenant: TenantId(1),
            name: "Support".to_owned(),
            parent: None,
        },
    ];
    let only_root = viewer(1, &[10], &[100], ViewLevel::Team, false);
    assert_eq!(ids(&c, "object_type:contacts", &only_root), [1, 5]);
    let mut expanded = only_root.clone();
    expanded.team_ids = expand_team_ids(&teams, &[TeamId(100)]);
    assert_eq!(ids(&c, "object_type:contacts", &expanded), [1, 2, 5]);
    assert_eq!(ids(&c, "object_type:deals", &expanded), [5001, 5003]);
    let mut with_unassigned = expanded;
    with_unassigned.permissions.insert(
        ObjectType::Contacts,
        ObjectPermission {
            view: ViewLevel::Team,
            unassigned: true,
        },
    );
    assert_eq!(
        run(&c, "object_type:contacts", &with_unassigned),
        (vec![1, 2, 4, 5], 4)
    );
}

fn tenants_are_isolated() {
    let c = dataset();
    let other = viewer(2, &[], &[], ViewLevel::All, true);
    assert_eq!(ids(&c, "object_type:contacts", &other), [1, 6]);
    assert_eq!(
        ids(
            &c,
            "object_type:contacts email:contains_token:\"@example.com\"",
            &other
        ),
        Vec::<i64>::new()
    );
    assert_eq!(ids(&c, "object_type:deals", &other), Vec::<i64>::new());
    // Tenant 2's contact 1 is linked to tenant 2's company 901, not tenant 1's.
    assert_eq!(
        ids(&c, "object_type:contacts associated_companies:901", &other),
        [1]
    );
    assert_eq!(
        ids(&c, "object_type:companies q:acme", &other),
        Vec::<i64>::new()
    );
    // A tenant-1 owner id inside a tenant-2 viewer grants nothing.
    let borrowed = viewer(2, &[10], &[100], ViewLevel::Team, false);
    assert_eq!(
        ids(&c, "object_type:contacts", &borrowed),
        Vec::<i64>::new()
    );
}

fn invisible_association_targets_match_nothing() {
    let c = dataset();
    let mut carol = viewer(1, &[12], &[200], ViewLevel::All, false);
    carol.permissions.insert(
        ObjectType::Companies,
        ObjectPermission {
            view: ViewLevel::Own,
            unassigned: false,
        },
    );
    assert_eq!(
        ids(&c, "object_type:contacts associated_companies:901", &carol),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(&c, "object_type:contacts associated_companies:902", &carol),
        [3]
    );
    // Negative association filters cannot reveal the invisible link either.
    assert_eq!(
        ids(
            &c,
            "object_type:contacts associated_companies:neq:901",
            &carol
        ),
        [1, 2, 3, 4, 5]
    );
    // No read scope on companies: every company is invisible as an association target.
    carol.scopes.remove(ObjectType::Companies.read_scope());
    assert_eq!(
        ids(&c, "object_type:contacts associated_companies:902", &carol),
        Vec::<i64>::new()
    );
}

fn object_gate_and_paging_errors() {
    let c = dataset();
    let mut v = admin();
    v.scopes.remove(ObjectType::Deals.read_scope());
    v.permissions.insert(
        ObjectType::Tickets,
        ObjectPermission {
            view: ViewLevel::None,
            unassigned: false,
        },
    );
    let err = run_query(&c, &Query::all(ObjectType::Deals), &v).unwrap_err();
    assert!(
        err.to_string().contains("REQUIRES_REAUTHORIZATION"),
        "{err}"
    );
    let err = run_query(&c, &Query::all(ObjectType::Tickets), &v).unwrap_err();
    assert!(
        err.to_string().contains("REQUIRES_PERMISSION_MODIFICATION"),
        "{err}"
    );
    let mut q = Query::all(ObjectType::Contacts);
    q.limit = 201;
    assert!(matches!(
        run_query(&c, &q, &v),
        Err(CompileError::Paging { .. })
    ));
    q.limit = 200;
    q.offset = 9_801;
    assert!(matches!(
        run_query(&c, &q, &v),
        Err(CompileError::Paging { .. })
    ));
}

fn hidden_properties_are_neither_selected_nor_filterable() {
    let c = dataset();
    let mut v = admin();
    v.visibility = Visibility {
        hidden: BTreeMap::from([(ObjectType::Contacts, BTreeSet::from(["phone".to_owned()]))]),
        sensitive_ok: false,
    };
    let compiled = compile_search(
        &Query::all(ObjectType::Contacts),
        &v,
        &Catalogue::standard(),
        c.dialect(),
    )
    .unwrap();
    assert!(
        !compiled
            .columns
            .iter()
            .any(|c| c == "phone" || c == "date_of_birth")
    );
    assert!(
        !compiled.select_sql.contains("\"phone\""),
        "{}",
        compiled.select_sql
    );
    assert!(
        dsl::parse(
            "object_type:contacts phone:has_property",
            &Catalogue::standard(),
            &v.visibility
        )
        .is_err()
    );
    // A hand-built IR cannot reach a hidden column either (filter or sort).
    let mut q = Query::all(ObjectType::Contacts);
    q.groups = vec![FilterGroup {
        filters: vec![Filter {
            target: Target::Property("phone".to_owned()),
            condition: Condition::HasProperty,
        }],
    }];
    assert_eq!(
        run_query(&c, &q, &v),
        Err(CompileError::UnknownProperty("phone".to_owned()))
    );
    let mut q = Query::all(ObjectType::Contacts);
    q.sort = Sort {
        property: "phone".to_owned(),
        direction: crm_tools::filter::Direction::Asc,
    };
    assert_eq!(
        run_query(&c, &q, &v),
        Err(CompileError::UnknownProperty("phone".to_owned()))
    );
    // Hidden searchable fields drop out of q: "555" only appears in the hidden phone.
    assert_eq!(ids(&c, "object_type:contacts q:555", &admin()), [1]);
    assert_eq!(ids(&c, "object_type:contacts q:555", &v), Vec::<i64>::new());
}

fn or_of_and_groups() {
    let c = dataset();
    let text = |p: &str, v: &str| Filter {
        target: Target::Property(p.to_owned()),
        condition: Condition::Eq(Value::Text(v.to_owned())),
    };
    let mut q = Query::all(ObjectType::Contacts);
    q.groups = vec![
        FilterGroup {
            filters: vec![text("firstname", "john"), text("country", "us")],
        },
        FilterGroup {
            filters: vec![text("lastname", "müller")],
        },
    ];
    assert_eq!(run_query(&c, &q, &admin()).unwrap(), (vec![1, 3], 2));
}

const INJECTIONS: [&str; 5] = [
    "x' OR '1'='1",
    "'); DROP TABLE contacts;--",
    "\" OR 1=1 --",
    "x'||(SELECT group_concat(email) FROM contacts)||'",
    "1; DELETE FROM contacts",
];

fn injection_through_values_q_and_lists_is_inert() {
    let (c, a) = (dataset(), admin());
    for bad in INJECTIONS {
        let quoted = if bad.contains('"') {
            format!("'{bad}'")
        } else {
            format!("\"{bad}\"")
        };
        for query in [
            format!("object_type:contacts firstname:{quoted}"),
            format!("object_type:contacts firstname:neq:{quoted}"),
            format!("object_type:contacts firstname:in:{quoted}"),
            format!("object_type:contacts email:contains_token:{quoted}"),
            format!("object_type:contacts email:not_contains_token:{quoted}"),
            format!("object_type:contacts q:{quoted}"),
        ] {
            let parsed = dsl::parse(&query, &Catalogue::standard(), &a.visibility).unwrap();
            let compiled =
                compile_search(&parsed, &a, &Catalogue::standard(), c.dialect()).unwrap();
            assert!(
                !compiled.select_sql.contains(bad) && !compiled.select_sql.contains("DROP"),
                "{}",
                compiled.select_sql
            );
            let (found, total) = run_query(&c, &parsed, &a).unwrap();
            assert!(total <= 5 && found.len() <= 5, "{query}");
            contacts_table_intact(&c);
        }
        // No stored first name equals an injection string, so `neq` keeps every row.
        assert_eq!(
            ids(
                &c,
                &format!("object_type:contacts firstname:neq:{quoted}"),
                &a
            )
            .len(),
            5
        );
    }
    // The stored injection-looking name is just data: it matches itself literally.
    assert_eq!(
        ids(
            &c,
            "object_type:contacts firstname:\"Robert'); DROP TABLE contacts;--\"",
            &a
        ),
        [5]
    );
    contacts_table_intact(&c);
}

fn injection_through_property_names_and_sort_is_rejected() {
    let (c, a) = (dataset(), admin());
    for bad in [
        "firstname = 1 OR 1=1 --",
        "firstname--",
        "firstname\"; DROP TABLE contacts; --",
        "hs_object_id) OR (1=1",
    ] {
        for query in [
            format!("object_type:contacts {bad}:x"),
            format!("object_type:contacts sort:{bad}"),
        ] {
            assert!(
                dsl::parse(&query, &Catalogue::standard(), &a.visibility).is_err(),
                "{query}"
            );
        }
        let mut q = Query::all(ObjectType::Contacts);
        q.groups = vec![FilterGroup {
            filters: vec![Filter {
                target: Target::Property(bad.to_owned()),
                condition: Condition::HasProperty,
            }],
        }];
        assert!(matches!(
            run_query(&c, &q, &a),
            Err(CompileError::UnknownProperty(_))
        ));
        let mut q = Query::all(ObjectType::Contacts);
        q.sort.property = bad.to_owned();
        assert!(matches!(
            run_query(&c, &q, &a),
            Err(CompileError::UnknownProperty(_))
        ));
    }
    contacts_table_intact(&c);
}

fn every_reference_example_pair_compiles_and_runs() {
    let (c, a) = (dataset(), admin());
    for (query, _) in common::PAIRS {
        let (found, total) = run(&c, query, &a);
        assert!(usize::try_from(total).unwrap() >= found.len(), "{query}");
    }
}

fn reference_examples_on_the_dataset() {
    let (c, a) = (dataset(), admin());
    let open_urgent = "object_type:tickets associated_contacts:3 hs_pipeline_stage:not_in:4 hs_ticket_priority:in:high,urgent";
    assert_eq!(ids(&c, open_urgent, &a), [7001]);
    assert_eq!(ids(&c, "object_type:tickets q:'refund'", &a), [7001]);
    assert_eq!(ids(&c, "object_type:tickets q:invoice", &a), [7001, 7003]);
    assert_eq!(
        ids(
            &c,
            "object_type:companies hubspot_owner_id:not_has_property country:DE",
            &a
        ),
        [903]
    );
    assert_eq!(
        ids(&c, "object_type:companies name:\"Acme Corp\"", &a),
        [901]
    );
    assert_eq!(
        run(
            &c,
            "object_type:contacts createdate:gte:2026-08-31 limit:1",
            &a
        ),
        (vec![1], 3)
    );
    assert_eq!(
        ids(
            &c,
            "object_type:deals hubspot_owner_id:10 dealstage:not_in:closedlost closedate:gte:2025-01-01 closedate:lte:2025-03-31",
            &a
        ),
        [5001]
    );
}

on_both_engines!(
    text_operators_are_case_insensitive_and_negatives_match_unset,
    contains_token_and_free_text,
    free_text_syntax_is_always_literal,
    date_only_values_are_whole_utc_days,
    numbers_and_booleans,
    associations,
    sort_paging_and_total,
    own_view_with_and_without_unassigned,
    team_view_includes_child_teams,
    tenants_are_isolated,
    invisible_association_targets_match_nothing,
    object_gate_and_paging_errors,
    hidden_properties_are_neither_selected_nor_filterable,
    or_of_and_groups,
    injection_through_values_q_and_lists_is_inert,
    injection_through_property_names_and_sort_is_rejected,
    every_reference_example_pair_compiles_and_runs,
    reference_examples_on_the_dataset,
);
