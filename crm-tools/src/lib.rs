//! `crm-tools`: a read-only CRM exposed as MCP tools.
//!
//! This crate is a placeholder until the CRM issue lands: it builds, links the runtime, and
//! registers no tools yet, so binaries that name it see exactly the runtime's own tool set.

/// The runtime this crate's tools are built on, re-exported so a binary needs one dependency.
pub use mcp_runtime;
