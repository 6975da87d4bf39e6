//! Compiling a [`Query`](crate::filter::Query) plus a [`Viewer`](crate::permission::Viewer) into
//! parameterized SQL.
//!
//! Every user-supplied value becomes a bound parameter; identifiers come only from the validated
//! [`Catalogue`](crate::model::Catalogue) and [`ObjectType`](crate::model::ObjectType) names and are
//! quoted by the [`Dialect`]. The permission predicate and tenant check sit in the `WHERE` clause,
//! so sort, paging and the `COUNT(*)` total only ever see visible rows.

mod aggregate;
mod association;
mod builder;
mod compile;
mod counts;
mod dialect;
mod free_text;
mod permission;
mod postgres;
mod postgres_regex;
mod predicate;
mod schema;
mod sqlite;
mod sqlite_fts;

pub use aggregate::{
    AggregateError, AggregateQuery, CompiledAggregate, MAX_AGGREGATE_GROUPS, MAX_GROUP_BY, Metric,
    compile_aggregate,
};
pub use association::{CompiledStatement, compile_association_counts, compile_association_list};
pub use compile::{CompileError, CompiledSearch, compile_search};
pub(crate) use counts::COUNT_PROPERTIES;
pub use dialect::{Dialect, SqlValue};
pub use free_text::{FreeText, token_scan};
pub use postgres::{CTYPE_COLLATION, PostgresDialect};
pub(crate) use schema::create_free_text;
pub use schema::create_tables;
pub use sqlite::{CONTAINS_TOKEN_FN, LOWER_FN, SqliteDialect, register_functions};
pub(crate) use sqlite_fts::rebuild_all as rebuild_free_text;
