//! The CRM server as a [`McpServerBuilder`]: name, instructions and the two gateways.

use mcp_runtime::{Gateway, McpServer, McpServerBuilder};

use crate::store::{Outage, StoreError};
use crate::tools::Crm;

/// The Deep-Research gateway's name (its tools are tagged with it).
pub const DEEP_RESEARCH: &str = "deep-research";

/// Where the Deep-Research gateway is mounted.
pub const DEEP_RESEARCH_PATH: &str = "/deep-research/mcp";

/// The server with every CRM tool on its gateways: `/mcp` (the full read surface, including
/// `search` and `fetch`) and [`DEEP_RESEARCH_PATH`] (`search` and `fetch` only).
///
/// Add the [`Crm`] state (or start from [`builder_for`]), auth and, when serving, today's date
/// (`description_var("today", …)`) before building.
pub fn builder() -> McpServerBuilder {
    McpServer::builder()
        .name("crm-server")
        .version(env!("CARGO_PKG_VERSION"))
        .title("CRM")
        .description(
            "A read-only CRM (contacts, companies, deals, tickets) as the signed-in user sees it.",
        )
        .instructions(INSTRUCTIONS)
        .gateway(Gateway::new(DEEP_RESEARCH, DEEP_RESEARCH_PATH))
}

/// [`builder`] with the tools' state and a `/readyz` check that pings the store (200 when
/// it answers, 503 with the reason when it does not).
pub fn builder_for(crm: Crm) -> McpServerBuilder {
    let store = crm.clone();
    builder().state(crm).readiness(move || {
        let crm = store.clone();
        async move { crm.store().ping().await.map_err(|e| readiness_reason(&e)) }
    })
}

/// What `/readyz` says: the kind of outage, without the cause (`/readyz` is unauthenticated,
/// and the cause may name hosts or paths); the cause goes to the operator's log.
fn readiness_reason(error: &StoreError) -> String {
    tracing::warn!(error = %error, cause = ?error, "readiness check: the store does not answer");
    match (error, error.outage()) {
        (StoreError::FileGone(_), _) => {
            "the CRM database file was removed or replaced since the server opened it; restart the server"
        }
        (_, Some(Outage::Busy)) => "the CRM database is busy",
        (_, Some(Outage::TimedOut)) => "the CRM database did not answer in time",
        (_, Some(Outage::Unavailable)) => "the CRM database is unavailable",
        _ => "the CRM database failed the readiness check (see the server log)",
    }
    .to_owned()
}

const INSTRUCTIONS: &str = "Read-only access to a CRM as the signed-in user sees it. \
Start with get_user_details (who you are, which object types you may read, today's date). \
Use search_properties/get_properties to learn property names, search_crm_objects or search to \
find records (always check `total`), get_crm_objects or fetch for full records, \
list_associations to follow links, aggregate_crm_objects for counts, sums and averages by group. \
Every record has a `url`: cite it.";
