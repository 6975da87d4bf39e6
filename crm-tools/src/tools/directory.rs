//! `search_owners` and `get_user_details`: who is who in the account, and who is asking.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use mcp_runtime::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::deep_research::tenant;
use super::{Crm, ToolError};
use crate::filter::{format_day, format_instant};
use crate::model::ObjectType;

/// The scope that lets an app list owners.
const OWNERS_SCOPE: &str = "crm.objects.owners.read";
/// The largest page of owners.
const MAX_OWNERS_PAGE: usize = 100;

/// Input of `search_owners`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct SearchOwners {
    /// Part of a name or email address (case-insensitive).
    #[serde(default)]
    search_query: Option<String>,
    /// Owner ids to look up; when given, `searchQuery` is ignored.
    #[serde(default)]
    owner_ids: Vec<i64>,
    /// Page size, 1–100 (default 25).
    #[serde(default)]
    limit: Option<usize>,
    /// Owners to skip (the previous answer's `offset`).
    #[serde(default)]
    offset: Option<usize>,
}

/// A page of owners.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct OwnerPage {
    /// The owners.
    results: Vec<OwnerInfo>,
    /// How many owners match in all.
    total: usize,
    /// The `offset` of the next page, or null on the last one.
    offset: Option<usize>,
}

/// One owner (a person records can be assigned to).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct OwnerInfo {
    /// The value of `hubspot_owner_id` on records they own (not a user id).
    owner_id: i64,
    /// Full name.
    name: String,
    /// Email address.
    email: String,
    /// Whether the owner is active (archived owners still own old records).
    is_active: bool,
    /// The owner's teams.
    teams: Vec<TeamRef>,
}

/// A team membership.
#[derive(Debug, Serialize, JsonSchema)]
pub(super) struct TeamRef {
    /// The team id.
    id: i64,
    /// The team name.
    name: String,
    /// Whether it is the owner's primary team.
    primary: bool,
}

/// Find owners (the people records are assigned to) by name or email, or look up owner ids
/// seen in `hubspot_owner_id`. Owner ids and user ids are distinct. Filter records by owner with
/// `hubspot_owner_id:<ownerId>`.
#[mcp_tool(
    title = "Search owners",
    read_only,
    idempotent,
    open_world = false,
    scopes = ["crm.objects.owners.read"]
)]
pub(super) async fn search_owners(
    #[args] input: SearchOwners,
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<OwnerPage, ToolError> {
    // Empty: every owner was asked for.
    audit.query(input.search_query.as_deref().unwrap_or(""));
    if !input.owner_ids.is_empty() {
        audit.ids(&input.owner_ids);
    }
    let limit = input.limit.unwrap_or(25);
    if !(1..=MAX_OWNERS_PAGE).contains(&limit) {
        return Err(ToolError::invalid(format!(
            "limit must be between 1 and {MAX_OWNERS_PAGE}, got {limit}"
        )));
    }
    let offset = input.offset.unwrap_or(0);
    let viewer = crm.viewer(&auth).await?;
    let store = crm.store();
    let teams: BTreeMap<i64, String> = store
        .teams(&viewer)
        .await?
        .into_iter()
        .map(|t| (t.id.0, t.name))
        .collect();
    let needle = input
        .search_query
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let matching: Vec<OwnerInfo> = store
        .owners(&viewer)
        .await?
        .into_iter()
        .filter(|o| {
            if !input.owner_ids.is_empty() {
                return input.owner_ids.contains(&o.id.0);
            }
            needle.as_ref().is_none_or(|n| {
                format!("{} {} {}", o.first_name, o.last_name, o.email)
                    .to_lowercase()
                    .contains(n.as_str())
            })
        })
        .map(|o| OwnerInfo {
            owner_id: o.id.0,
            name: format!("{} {}", o.first_name, o.last_name),
            email: o.email,
            is_active: !o.archived,
            teams: o
                .teams
                .iter()
                .map(|m| TeamRef {
                    id: m.team_id.0,
                    name: teams.get(&m.team_id.0).cloned().unwrap_or_default(),
                    primary: m.primary,
                })
                .collect(),
        })
        .collect();
    let total = matching.len();
    audit.total(total as u64);
    let results: Vec<OwnerInfo> = matching.into_iter().skip(offset).take(limit).collect();
    let next = offset.saturating_add(results.len());
    Ok(OwnerPage {
        offset: (!results.is_empty() && next < total).then_some(next),
        results,
        total,
    })
}

/// Who is signed in and what they may read.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserDetails {
    /// The signed-in user's id.
    user_id: i64,
    /// The user's email address.
    email: String,
    /// The account (hub) id.
    hub_id: i64,
    /// The account's name.
    account_name: String,
    /// The CRM's web domain (record URLs point there).
    ui_domain: String,
    /// The user's owner id (filter `hubspot_owner_id:<ownerId>` for "my" records), if any.
    owner_id: Option<i64>,
    /// The user's teams, child teams included.
    teams: Vec<String>,
    /// The scopes the app was granted.
    scopes: Vec<String>,
    /// Per object type: `AVAILABLE`, `REQUIRES_REAUTHORIZATION` (the app lacks the read scope)
    /// or `REQUIRES_PERMISSION_MODIFICATION` (the user lacks view permission), and which records
    /// the user may view.
    objects: Vec<ObjectAccess>,
    /// Per tool: `AVAILABLE` or why not.
    tools: BTreeMap<String, String>,
    /// The server's current time (UTC, RFC 3339).
    now: String,
    /// Today's date (UTC), for relative date filters.
    today: String,
}

/// Access to one object type.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ObjectAccess {
    /// The object type.
    object_type: String,
    /// HubSpot's availability status.
    status: String,
    /// `all`, `team`, `own` or `none`.
    view: String,
    /// With `team` or `own`: whether records without an owner are visible too.
    unassigned: bool,
}

/// Who the signed-in user is (user id, owner id, teams, account), which object types they may
/// read, which records (all, their team's, their own) and which tools work for them, plus
/// today's date. Call it first.
#[mcp_tool(title = "Get user details", read_only, idempotent, open_world = false)]
pub(super) async fn get_user_details(
    #[ctx] crm: State<Crm>,
    #[ctx] auth: AuthContext,
    #[ctx] audit: Audit,
) -> Result<UserDetails, ToolError> {
    use crate::permission::ViewLevel;
    let viewer = crm.viewer(&auth).await?;
    // It takes no input: what it reads is the caller's own user record.
    audit.ids([viewer.user.0]);
    audit.total(1);
    let store = crm.store();
    let account = tenant(&crm, &viewer).await?;
    let user = store
        .user(viewer.tenant, viewer.user)
        .await?
        .ok_or(ToolError::UnknownUser)?;
    let teams = store
        .teams(&viewer)
        .await?
        .into_iter()
        .filter(|t| viewer.team_ids.contains(&t.id))
        .map(|t| t.name)
        .collect();
    let objects = ObjectType::ALL
        .into_iter()
        .map(|t| {
            let permission = viewer.permission(t);
            ObjectAccess {
                object_type: t.to_string(),
                status: viewer.availability(t).as_str().to_owned(),
                view: match permission.view {
                    ViewLevel::All => "all",
                    ViewLevel::Team => "team",
                    ViewLevel::Own => "own",
                    ViewLevel::None => "none",
                }
                .to_owned(),
                unassigned: permission.unassigned,
            }
        })
        .collect();
    let any_object = ObjectType::ALL.into_iter().any(|t| viewer.gate(t).is_ok());
    let object_status = if any_object {
        "AVAILABLE"
    } else {
        "REQUIRES_REAUTHORIZATION"
    };
    let mut tools: BTreeMap<String, String> = [
        "search",
        "fetch",
        "search_crm_objects",
        "get_crm_objects",
        "list_associations",
        "search_properties",
        "get_properties",
        "get_pipelines",
        "aggregate_crm_objects",
    ]
    .into_iter()
    .map(|t| (t.to_owned(), object_status.to_owned()))
    .collect();
    tools.insert("get_user_details".to_owned(), "AVAILABLE".to_owned());
    tools.insert(
        "search_owners".to_owned(),
        if viewer.scopes.contains(OWNERS_SCOPE) {
            "AVAILABLE"
        } else {
            "REQUIRES_REAUTHORIZATION"
        }
        .to_owned(),
    );
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Ok(UserDetails {
        user_id: viewer.user.0,
        email: user.email,
        hub_id: account.id.0,
        account_name: account.name,
        ui_domain: account.ui_domain,
        owner_id: viewer.owner_ids.iter().next().map(|o| o.0),
        teams,
        scopes: viewer.scopes.iter().cloned().collect(),
        objects,
        tools,
        now: format_instant(now_ms),
        today: format_day(now_ms),
    })
}
