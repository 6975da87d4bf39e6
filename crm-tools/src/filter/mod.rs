//! The filter IR: one representation of "which records" shared by the query DSL and the future
//! `search_crm_objects` `filterGroups` input, so both surfaces mean exactly the same thing.
//!
//! A [`Query`] holds an OR of [`FilterGroup`]s, each an AND of [`Filter`]s. Values in the IR are
//! already typed and checked against the catalogue ([`check_filter`]), so the SQL compiler never
//! sees a raw user string where it expects a number, date, or property name.

mod check;
mod display;
mod groups;
mod ir;
mod limits;
mod operator;
mod schema;
mod time;
mod token_match;
mod value;

pub use check::{FilterError, RawFilter, check_filter};
pub use display::where_clause;
pub use groups::{GroupsError, check_groups};
pub use ir::{Condition, Direction, Filter, FilterGroup, Query, Sort, Target};
pub use limits::{
    DEFAULT_LIMIT, MAX_API_FILTERS_PER_GROUP, MAX_DSL_FILTERS, MAX_FILTERS_TOTAL, MAX_GROUPS,
    MAX_IN_VALUES, MAX_LIMIT, MAX_Q_CHARS, MAX_WINDOW,
};
pub use operator::{Arity, Operator};
pub(crate) use schema::nearest;
pub use schema::{Schema, Visibility};
pub use time::{DAY_MS, parse_temporal};
pub use time::{format_day, format_instant};
pub use token_match::contains_token;
pub use value::Value;
