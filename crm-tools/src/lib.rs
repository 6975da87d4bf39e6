//! `crm-tools`: a read-only, permission-aware CRM (modelled on HubSpot) to be exposed as MCP tools.
//!
//! What exists so far is the domain core; it never sees HTTP, and no tools are registered yet:
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
//!   [`sql::Dialect`] trait; SQLite today, with the tables generated from the catalogue.
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
//! Still to come: the store (trait + embedded SQLite implementation running the compiled SQL,
//! fetch by id, associations, owners), the demo-data generator, the MCP tools and the
//! `crm-server` binary.

pub mod dsl;
pub mod filter;
pub mod model;
pub mod permission;
pub mod sql;

/// The runtime this crate's tools are built on, re-exported so a binary needs one dependency.
pub use mcp_runtime;
