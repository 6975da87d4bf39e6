//! `crm-tools`: a read-only, permission-aware CRM (modelled on HubSpot) to be exposed as MCP tools.
//!
//! What exists so far is the domain core and its storage; it never sees HTTP, and no tools are
//! registered yet:
//!
//! - [`model`]: object types, the property catalogue (types, enum options, `q`-searchable,
//!   hidden and sensitive flags, owner references), owners/teams/users, typed associations and
//!   deal/ticket pipelines.
//! - [`filter`]: the filter IR — an OR of AND groups of HubSpot's thirteen operators with typed,
//!   catalogue-checked values — shared by the query DSL and the future `search_crm_objects`
//!   `filterGroups` input, plus the `contains_token` matcher and the paging/filter caps.
//! - [`dsl`]: the Deep-Research `search` query language (`key[:op]:value`, reference §1.2 plus
//!   `between`), parsed into a [`filter::Query`], with errors that name the offending token and its
//!   position, suggest the nearest property names and show a corrected query.
//! - [`permission`]: the viewer (tenant, owner and team ids, app scopes, per-object view level
//!   all/team/own + unassigned, hidden properties) and the object gate.
//! - [`sql`]: compiles a query plus a viewer into parameterized SQL — tenant and row-permission
//!   predicate inside the `WHERE`, so sort, paging and `COUNT(*)` see visible rows only — behind a
//!   [`sql::Dialect`] trait; SQLite today, with the tables generated from the catalogue. Also the
//!   aggregate (group by ≤ 2 properties, count/sum/avg) and the association list/count
//!   statements, under the same predicate.
//! - [`store`]: the object-safe [`store::CrmStore`] trait (search, fetch by ids, associations
//!   and counts, aggregates, owners/teams/users, the viewer of a user, pipelines) and
//!   [`store::SqliteStore`]: one file, migrated on open, WAL, indexes for the common filters,
//!   an `r2d2` pool of read-only connections used on tokio's blocking threads.
//! - [`demo`]: the deterministic demo-data generator (seed, fixed "now", scale) with two
//!   accounts, every permission level, edge-case strings and planted signals, returning the
//!   [`demo::GroundTruth`] it counted while generating.
//!
//! ```
//! use crm_tools::{dsl, filter::Visibility, model::Catalogue};
//!
//! let catalogue = Catalogue::standard();
//! let query = dsl::parse("object_type:deals closedate:between:2026-10-01,2026-12-31", &catalogue, &Visibility::default())?;
//! assert_eq!(
//!     query.to_string(),
//!     "deals where closedate between day(2026-10-01) and day(2026-12-31) sort hs_object_id asc limit 20 offset 0"
//! );
//! # Ok::<(), crm_tools::dsl::DslError>(())
//! ```
//!
//! Still to come: the MCP tools and the `crm-server` binary.

pub mod demo;
pub mod dsl;
pub mod filter;
pub mod model;
pub mod permission;
pub mod sql;
pub mod store;

/// The runtime this crate's tools are built on, re-exported so a binary needs one dependency.
pub use mcp_runtime;
