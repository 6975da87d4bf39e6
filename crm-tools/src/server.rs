//! The CRM server as a [`McpServerBuilder`]: name, instructions and the two gateways.

use mcp_runtime::{Gateway, McpServer, McpServerBuilder};

/// The Deep-Research gateway's name (its tools are tagged with it).
pub const DEEP_RESEARCH: &str = "deep-research";

/// Where the Deep-Research gateway is mounted.
pub const DEEP_RESEARCH_PATH: &str = "/deep-research/mcp";

/// The server with every CRM tool on its gateways: `/mcp` (the full read surface, including
/// `search` and `fetch`) and [`DEEP_RESEARCH_PATH`] (`search` and `fetch` only).
///
/// Add the [`Crm`](crate::tools::Crm) state, auth and, when serving, today's date
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

const INSTRUCTIONS: &str = "Read-only access to a CRM as the signed-in user sees it. \
Start with get_user_details (who you are, which object types you may read, today's date). \
Use search_properties/get_properties to learn property names, search_crm_objects or search to \
find records (always check `total`), get_crm_objects or fetch for full records, \
list_associations to follow links, aggregate_crm_objects for counts, sums and averages by group. \
Every record has a `url`: cite it.";
