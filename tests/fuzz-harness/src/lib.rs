//! Fuzz targets as plain functions, shared by the cargo-fuzz crate in `fuzz/` (one libFuzzer
//! target per function) and by the corpus replay test that runs in CI.
//!
//! Each function takes arbitrary bytes, feeds them to one input parser the way a client would
//! reach it, and panics only on a bug: a panic inside the server, a status the transport must
//! never answer (500), a reply that is not the JSON-RPC it claims to be, SQL the database
//! refuses, or an error without a message. Expensive state (a seeded SQLite demo store, the CRM
//! server's router with real ES256 auth, a runtime) is built once per process.
//!
//! Linking this crate adds one tool to that server, `fuzz_confirm` (it asks the client for
//! input, which no CRM tool does), so the 2026-07-28 `requestState` parser is reachable.

#![allow(
    clippy::panic,
    clippy::expect_used,
    reason = "a fuzz harness reports bugs, and a broken fixture, by panicking"
)]

mod dsl;
mod fixture;
mod http;
mod request_state;
mod router;
mod search;
mod token;
mod viewers;

pub use dsl::dsl_query;
pub use request_state::request_state;
pub use router::mcp_request;
pub use search::search_crm_objects;
pub use token::bearer_token;

/// A fuzz target: arbitrary bytes in, a panic only on a bug.
pub type Target = fn(&[u8]);

/// Every target by name, as cargo-fuzz and the corpus directories call them.
pub const TARGETS: [(&str, Target); 5] = [
    ("dsl_query", dsl_query),
    ("search_crm_objects", search_crm_objects),
    ("bearer_token", bearer_token),
    ("mcp_request", mcp_request),
    ("request_state", request_state),
];
