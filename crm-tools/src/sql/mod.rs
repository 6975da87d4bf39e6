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
mod dialect;
mod permission;
mod predicate;
mod schema;
mod sqlite;

pub use aggregate::{
    AggregateError, AggregateQuery, CompiledAggregate, MAX_AGGREGATE_GROUPS, MAX_GROUP_BY, Metric,
    compile_aggregate,
};
pub use association::{CompiledStatement, compile_association_counts, compile_association_list};
pub use compile::{CompileError, CompiledSearch, compile_search};
pub use dialect::{Dialect, SqlValue};
pub use schema::create_tables;
pub use sqlite::{CONTAINS_TOKEN_FN, LOWER_FN, SqliteDialect, register_functions};
