//! The dialect-independent half of loading a [`Viewer`]: decoding the stored permission words
//! and assembling the viewer from what the directory tables hold. Each store runs its own
//! queries and hands the rows here.

use std::collections::{BTreeMap, BTreeSet};

use crate::filter::Visibility;
use crate::model::{ObjectType, OwnerId, TeamId, TenantId, UserId};
use crate::permission::{ObjectPermission, ViewLevel, Viewer};
use crate::store::StoreError;

/// A stored view level (`all`, `team`, `own`, `none`).
pub(super) fn view_level(s: &str) -> Result<ViewLevel, StoreError> {
    Ok(match s {
        "all" => ViewLevel::All,
        "team" => ViewLevel::Team,
        "own" => ViewLevel::Own,
        "none" => ViewLevel::None,
        other => return Err(StoreError::Corrupt(format!("unknown view level `{other}`"))),
    })
}

/// A stored object type name.
pub(super) fn object_type(s: &str) -> Result<ObjectType, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown object type `{s}`")))
}

/// What the directory tables say about one user, before the app's scopes apply.
pub(super) struct ViewerRows {
    /// The user's owner id, if the user is an owner.
    pub(super) owner: Option<OwnerId>,
    /// The user's own right to sensitive data.
    pub(super) sensitive_ok: bool,
    pub(super) permissions: BTreeMap<ObjectType, ObjectPermission>,
    pub(super) hidden: BTreeMap<ObjectType, BTreeSet<String>>,
    /// The owner's teams, child teams included.
    pub(super) team_ids: BTreeSet<TeamId>,
}

/// The viewer for `user` of `tenant`, acting through an app granted `scopes`.
pub(super) fn viewer(
    tenant: TenantId,
    user: UserId,
    scopes: &[String],
    rows: ViewerRows,
) -> Viewer {
    Viewer {
        tenant,
        user,
        owner_ids: rows.owner.into_iter().collect(),
        team_ids: rows.team_ids,
        scopes: scopes.iter().cloned().collect(),
        permissions: rows.permissions,
        visibility: Visibility {
            hidden: rows.hidden,
            // Sensitive data needs both the user's right and the app's sensitive scope.
            sensitive_ok: rows.sensitive_ok
                && scopes.iter().any(|s| s.ends_with(".sensitive.read")),
        },
    }
}
