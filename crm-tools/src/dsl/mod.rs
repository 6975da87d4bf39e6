//! The Deep-Research `search` query language (reference §1.2 and the §2 superset with `between`).
//!
//! `object_type:deals amount:gt:50000 dealstage:contractsent sort:amount:desc limit:50` parses into
//! the same [`Query`](crate::filter::Query) IR that `search_crm_objects` uses. Errors are a
//! [`DslError`]: the offending token and its position, the nearest property names, and a
//! corrected query, written so a model can repair its query in one step.
//!
//! Quoting follows §2 exactly: a value may be wrapped in `'…'` or `"…"` right after a `:` to
//! include spaces (or to use an operator name as a literal, `status:"in"`); there are no
//! backslash escapes, so a value containing `'` is written in double quotes (`lastname:"O'Brien"`).
//!
//! A value that contains `:` must be quoted when the part before its first `:` looks like an
//! operator word (`jobtitle:"CEO:Founder"`): an unquoted `key:word:value` whose `word` is no
//! operator (`amount:greater:1000`) is an "unknown operator" error naming the operator meant,
//! instead of an `eq` on the literal `greater:1000` that would quietly match nothing. URLs
//! (`website:https://x.io`) and times (`createdate:2026-08-01T10:00:00Z`) need no quotes.

mod error;
mod example;
mod lexer;
mod parser;

pub use error::{DslError, ErrorKind};
pub use parser::parse;
