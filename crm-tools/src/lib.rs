//! `crm-tools`: a read-only, permission-aware CRM (modelled on HubSpot) exposed as MCP tools, and
//! the `crm-server` binary that serves them.
//!
//! The domain core never sees HTTP; [`tools`] is the only layer that speaks MCP:
//!
//! - [`model`]: object types, the property catalogue (types, enum options, `q`-searchable,
//!   hidden and sensitive flags, owner references), owners/teams/users, typed associations and
//!   deal/ticket pipelines.
//! - [`filter`]: the filter IR — an OR of AND groups of HubSpot's thirteen operators with typed,
//!   catalogue-checked values — shared by the query DSL and the `search_crm_objects` /
//!   `aggregate_crm_objects` `filterGroups` input, plus the `contains_token` matcher and the
//!   paging/filter caps.
//! - [`dsl`]: the Deep-Research `search` query language (`key[:op]:value`, reference §1.2 plus
//!   `between`), parsed into a [`filter::Query`], with errors that name the offending token and its
//!   position, suggest the nearest property names and show a corrected query.
//! - [`permission`]: the viewer (tenant, owner and team ids, app scopes, per-object view level
//!   all/team/own + unassigned, hidden properties) and the object gate.
//! - [`sql`]: compiles a query plus a viewer into parameterized SQL — tenant and row-permission
//!   predicate inside the `WHERE`, so sort, paging and `COUNT(*)` see visible rows only — behind a
//!   [`sql::Dialect`] trait (SQLite and PostgreSQL), with the tables generated from the catalogue. Also the
//!   aggregate (group by ≤ 2 properties, count/sum/avg) and the association list/count
//!   statements, under the same predicate.
//! - [`store`]: the object-safe [`store::CrmStore`] trait (search, fetch by ids, associations
//!   and counts, aggregates, owners/teams/users, the viewer of a user, pipelines) and
//!   two implementations: [`store::SqliteStore`] (the zero-set-up default: one file, migrated on
//!   open, WAL, FTS5 for free text, an `r2d2` pool of read-only connections on tokio's blocking
//!   threads) and [`store::PostgresStore`] (tokio-postgres with a deadpool pool, migrations under
//!   an advisory lock so replicas can start together); [`store::open`] picks one from a URL.
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
//! - [`tools`]: the eleven MCP tools (`search`, `fetch`, `search_crm_objects`, `get_crm_objects`,
//!   `list_associations`, `search_owners`, `search_properties`, `get_properties`,
//!   `get_pipelines`, `get_user_details`, `aggregate_crm_objects`), each turning the verified
//!   token into a [`permission::Viewer`] before it reads anything.
//! - [`server`]: the server builder with its two gateways, `/mcp` and the Deep-Research
//!   endpoint `/deep-research/mcp` (`search` and `fetch` only).
//!
//! Serving it takes a store, auth and today's date:
//!
//! ```no_run
//! use std::sync::Arc;
//! use crm_tools::{model::Catalogue, store::SqliteStore, tools::Crm};
//! use mcp_runtime::auth::{Auth, ClaimNames, JwtVerifier, KeySource};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let store = SqliteStore::open("crm-data/crm.sqlite".as_ref(), Catalogue::standard(), 8)?;
//! let issuer = "https://auth.example.com";
//! let verifier = JwtVerifier::new(KeySource::Url(format!("{issuer}/jwks.json")), issuer);
//! let auth = Auth::new(verifier, "https://crm-mcp.example.com")
//!     .authorization_server(issuer)
//!     .claim_names(ClaimNames::default().tenant("hub_id"));
//! let server = crm_tools::server::builder()
//!     .state(Crm::new(Arc::new(store)))
//!     .description_var("today", "2026-11-30")
//!     .auth(auth)
//!     .build()?;
//! server.serve("127.0.0.1:8080".parse()?).await?;
//! # Ok(())
//! # }
//! ```

pub mod demo;
pub mod dsl;
pub mod filter;
pub mod model;
pub mod permission;
pub mod resources;
pub mod server;
pub mod sql;
pub mod store;
pub mod tools;

/// The runtime this crate's tools are built on, re-exported so a binary needs one dependency.
pub use mcp_runtime;
