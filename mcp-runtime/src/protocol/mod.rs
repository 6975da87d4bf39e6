//! JSON-RPC and MCP: message parsing, method dispatch, result shapes. No HTTP types in here;
//! the transport hands bytes and a few header values in and gets a reply back.

pub(crate) mod call;
pub(crate) mod dispatch;
pub(crate) mod era;
pub(crate) mod jsonrpc;
pub(crate) mod meta;
pub(crate) mod methods;
pub(crate) mod mrtr;
pub(crate) mod prompts;
pub(crate) mod resources;
pub(crate) mod served;
pub(crate) mod state;
pub(crate) mod tools;
pub mod version;
pub(crate) mod wire;
