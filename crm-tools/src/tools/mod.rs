//! The MCP tools: HubSpot's read surface plus the Deep-Research `search`/`fetch` pair, over one
//! [`CrmStore`] and the viewer of each call.
//!
//! Every tool takes the verified [`AuthContext`] and turns it into a [`Viewer`] before it reads
//! anything (see [`Crm::viewer`]): the token's tenant claim is the account, its subject the login
//! user, its scopes the app's grant; the user's stored permissions narrow that further. Nothing
//! here reads an HTTP header, and no tool writes.

mod aggregate;
mod args;
mod catalogue;
mod deep_research;
mod directory;
mod objects;
mod render;

use std::sync::Arc;

use mcp_runtime::AuthContext;

use crate::model::{TenantId, UserId};
use crate::permission::{AccessDenied, Viewer};
use crate::store::{CrmStore, Outage, StoreError};

pub use args::ObjectTypeArg;

/// The tools' shared state: the store. Register it with
/// [`McpServerBuilder::state`](mcp_runtime::McpServerBuilder::state).
#[derive(Debug, Clone)]
pub struct Crm {
    store: Arc<dyn CrmStore>,
}

impl Crm {
    /// Tools over `store`.
    pub fn new(store: Arc<dyn CrmStore>) -> Self {
        Self { store }
    }

    /// The store.
    pub fn store(&self) -> &dyn CrmStore {
        &*self.store
    }

    /// The viewer a verified token stands for: tenant claim → account, subject → user (both
    /// numeric), token scopes → app grant, intersected with the user's stored permissions.
    pub async fn viewer(&self, auth: &AuthContext) -> Result<Viewer, ToolError> {
        let tenant = auth
            .tenant()
            .and_then(|t| t.parse::<i64>().ok())
            .ok_or(ToolError::NoTenant)?;
        let user = auth
            .subject()
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or(ToolError::NoUser)?;
        self.store
            .load_viewer(TenantId(tenant), UserId(user), auth.scopes())
            .await?
            .ok_or(ToolError::UnknownUser)
    }
}

/// Why a tool call failed; the message is what the model reads, so each one says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ToolError {
    /// The token has no numeric tenant (hub id) claim.
    #[error(
        "the access token names no CRM account (numeric tenant claim, e.g. hub_id); sign in again through an app connected to one account"
    )]
    NoTenant,
    /// The token's subject is not a numeric user id.
    #[error(
        "the access token's subject is not a CRM user id; sign in again as a user of the account"
    )]
    NoUser,
    /// The subject is not a user of the account.
    #[error("the signed-in user is not a user of this CRM account")]
    UnknownUser,
    /// The request itself is wrong; the message says how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// A store failure: permission shaped errors pass through, database errors are summarised.
    #[error("{}", store_message(.0))]
    Store(#[from] StoreError),
}

/// An unreadable object type is reported like any store refusal (HubSpot's availability status).
impl From<AccessDenied> for ToolError {
    fn from(denied: AccessDenied) -> Self {
        Self::Store(StoreError::Access(denied))
    }
}

impl ToolError {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}

fn store_message(error: &StoreError) -> String {
    match error {
        StoreError::Access(_)
        | StoreError::Compile(_)
        | StoreError::Aggregate(_)
        | StoreError::TooManyIds { .. } => error.to_string(),
        // The model gets what to do; the operator's log gets the cause.
        other => match other.outage() {
            Some(outage) => {
                tracing::warn!(error = %other, cause = ?other, ?outage, "crm database unavailable");
                match outage {
                    Outage::Busy => "the CRM database is busy right now (locked by another process or at its connection limit); retry in a few seconds",
                    Outage::TimedOut => "the CRM database did not answer in time; retry in a few seconds, or narrow the request",
                    _ => "the CRM database is unavailable right now (the server cannot reach it); retry in a few seconds",
                }
                .to_owned()
            }
            None => {
                tracing::error!(error = %other, cause = ?other, "crm store failure");
                // Unchanged wording: tests/fuzz-harness looks for it to catch bad compiled SQL.
                "the CRM store is unavailable right now; retry in a moment".to_owned()
            }
        },
    }
}
