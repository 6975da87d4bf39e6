//! The audit log: one line per tool call on the `mcp_audit` target — who (tenant, user,
//! client) called what (tool, the query or ids the tool says it was asked for), how it ended,
//! how many records matched, and how long it took. Never a token, never a result value.

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use crate::{
    auth::AuthContext,
    context::{ContextError, FromToolContext, ToolContext},
};

use super::metrics::CallOutcome;

/// The `tracing` target of audit lines, so operators can route them (e.g.
/// `RUST_LOG=info,mcp_audit=info` to a file, or `mcp_audit=off`).
pub const AUDIT_TARGET: &str = "mcp_audit";

/// A query longer than this is cut (with `…`): the audit line says what was asked, it is
/// not a copy of an arbitrarily large argument.
const MAX_QUERY_CHARS: usize = 512;
/// At most this many ids are listed; the rest are counted.
const MAX_IDS: usize = 100;

/// What a tool contributes to its audit line: `#[ctx] audit: Audit`.
///
/// Record what the caller *asked for* (the query, the ids) and how many records matched —
/// never values of the records returned (an audit log is read by more people than may see
/// the data). On a server without audit logging every method is a no-op.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// Looks contacts up.
/// #[mcp_tool(read_only)]
/// async fn find_contacts(
///     /// A search query.
///     query: String,
///     #[ctx] audit: Audit,
/// ) -> Found {
///     audit.query(&query);
///     let names: Vec<String> = Vec::new();
///     audit.total(names.len() as u64);
///     Found { names }
/// }
///
/// /// The contacts found.
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Found {
///     /// Their names.
///     names: Vec<String>,
/// }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Audit {
    cell: Option<Arc<AuditCell>>,
}

/// The tool's contribution, shared between the tool and the runtime that writes the line.
#[derive(Debug, Default)]
pub(crate) struct AuditCell(Mutex<AuditFields>);

#[derive(Debug, Default, Clone)]
pub(crate) struct AuditFields {
    pub(crate) query: Option<String>,
    pub(crate) ids: Option<String>,
    pub(crate) total: Option<u64>,
}

impl AuditCell {
    fn update(&self, f: impl FnOnce(&mut AuditFields)) {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }

    pub(crate) fn take(&self) -> AuditFields {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Audit {
    /// The query the call was asked to run (cut at 512 characters).
    pub fn query(&self, query: impl AsRef<str>) {
        let Some(cell) = &self.cell else { return };
        let query = query.as_ref();
        let cut = match query.char_indices().nth(MAX_QUERY_CHARS) {
            Some((at, _)) => format!("{}…", &query[..at]),
            None => query.to_owned(),
        };
        cell.update(|f| f.query = Some(cut));
    }

    /// The ids the call was asked for (the first 100, then how many more).
    pub fn ids<I: fmt::Display>(&self, ids: impl IntoIterator<Item = I>) {
        let Some(cell) = &self.cell else { return };
        let mut listed = String::new();
        let mut more = 0usize;
        for (i, id) in ids.into_iter().enumerate() {
            if i >= MAX_IDS {
                more += 1;
                continue;
            }
            if i > 0 {
                listed.push(',');
            }
            listed.push_str(&id.to_string());
        }
        if more > 0 {
            listed.push_str(&format!(",…+{more}"));
        }
        cell.update(|f| f.ids = Some(listed));
    }

    /// How many records matched (or were returned, for calls without a total).
    pub fn total(&self, total: u64) {
        let Some(cell) = &self.cell else { return };
        cell.update(|f| f.total = Some(total));
    }

    /// Whether this server writes audit lines (the methods are no-ops otherwise).
    pub fn is_enabled(&self) -> bool {
        self.cell.is_some()
    }
}

impl FromToolContext for Audit {
    fn from_context(ctx: &ToolContext) -> Result<Self, ContextError> {
        if !ctx.audit_enabled {
            return Ok(Self::default());
        }
        Ok(Self {
            cell: Some(Arc::clone(ctx.audit.get_or_init(Arc::default))),
        })
    }
}

/// Who made an audited request, and what the runtime knows about it.
#[derive(Debug)]
pub(crate) struct AuditEntry<'a> {
    pub(crate) tool: &'a str,
    pub(crate) gateway: &'a str,
    pub(crate) request_id: &'a str,
    pub(crate) auth: Option<&'a AuthContext>,
    pub(crate) trace_id: Option<&'a str>,
}

/// Write one audit line (only when the `mcp_audit` target is enabled at INFO).
pub(crate) fn write(
    entry: &AuditEntry<'_>,
    fields: &AuditFields,
    outcome: CallOutcome,
    elapsed: Duration,
) {
    if !tracing::enabled!(target: AUDIT_TARGET, tracing::Level::INFO) {
        return;
    }
    let auth = entry.auth;
    let duration_ms = elapsed.as_secs_f64() * 1000.0;
    tracing::info!(
        target: AUDIT_TARGET,
        tenant = auth.and_then(AuthContext::tenant),
        user = auth.and_then(AuthContext::subject),
        client = auth.and_then(AuthContext::client_id),
        tool = entry.tool,
        gateway = entry.gateway,
        request_id = entry.request_id,
        query = fields.query.as_deref(),
        ids = fields.ids.as_deref(),
        total = fields.total,
        outcome = outcome.label(),
        duration_ms,
        trace_id = entry.trace_id,
        "tool call"
    );
}
