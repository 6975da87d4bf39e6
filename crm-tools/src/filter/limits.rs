//! Caps shared by every query surface (see the reference, §2 rule 7 and §5).

/// Page size when `limit` is absent.
pub const DEFAULT_LIMIT: u32 = 20;
/// Largest page size.
pub const MAX_LIMIT: u32 = 200;
/// `offset + limit` may not exceed this, mirroring HubSpot's 10 000-result cap.
pub const MAX_WINDOW: u32 = 10_000;
/// Most OR groups in `filterGroups` (HubSpot's stricter published figure).
pub const MAX_GROUPS: usize = 5;
/// Most filters in one DSL query (one AND group), per the DSL's own rule (§2 rule 7).
pub const MAX_DSL_FILTERS: usize = 10;
/// Most filters in one `filterGroups` group (the stricter of HubSpot's conflicting figures).
pub const MAX_API_FILTERS_PER_GROUP: usize = 6;
/// Most filters across all groups of one `filterGroups` request.
pub const MAX_FILTERS_TOTAL: usize = 18;
/// Most values in one `in` / `not_in` list; bounds the number of SQL parameters.
pub const MAX_IN_VALUES: usize = 100;
/// Longest free-text `q`, as the remote HubSpot MCP caps `query`.
pub const MAX_Q_CHARS: usize = 200;
