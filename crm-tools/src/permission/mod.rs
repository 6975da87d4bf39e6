//! The viewer: who is asking, and what they may see (reference §6 recipe).
//!
//! Permissions are the intersection of the app's OAuth scopes and the user's CRM permissions.
//! The object gate is checked here; the row predicate is compiled into SQL by [`crate::sql`]; the
//! column mask is the viewer's [`Visibility`].

use std::collections::{BTreeMap, BTreeSet};

use crate::filter::{Schema, Visibility};
use crate::model::{Catalogue, ObjectType, OwnerId, TeamId, TenantId, UserId};

/// Which records of a type a user may view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewLevel {
    /// Every record.
    All,
    /// Records owned by the user or by members of their teams (child teams included).
    Team,
    /// Records owned by the user.
    Own,
    /// None; the object type is unavailable.
    None,
}

/// A user's view permission on one object type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectPermission {
    /// The view level.
    pub view: ViewLevel,
    /// With `Team` or `Own`: also records that have no owner.
    pub unassigned: bool,
}

impl ObjectPermission {
    /// View everything.
    pub const ALL: Self = Self {
        view: ViewLevel::All,
        unassigned: true,
    };
    /// View nothing.
    pub const NONE: Self = Self {
        view: ViewLevel::None,
        unassigned: false,
    };
}

/// Whether an object type can be read, in HubSpot's availability vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Readable.
    Available,
    /// The app lacks the read scope.
    RequiresReauthorization,
    /// The user lacks the view permission.
    RequiresPermissionModification,
}

impl Availability {
    /// HubSpot's status string (`REQUIRES_REAUTHORIZATION`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "AVAILABLE",
            Self::RequiresReauthorization => "REQUIRES_REAUTHORIZATION",
            Self::RequiresPermissionModification => "REQUIRES_PERMISSION_MODIFICATION",
        }
    }
}

/// An object type the viewer may not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{object_type} are not available to this user ({}): {}", status.as_str(), hint(*status))]
pub struct AccessDenied {
    /// The object type asked for.
    pub object_type: ObjectType,
    /// Why it is unavailable.
    pub status: Availability,
}

fn hint(status: Availability) -> &'static str {
    match status {
        Availability::RequiresReauthorization => {
            "reconnect the app and grant the object's read scope"
        }
        _ => "an account admin must grant view permission on this object type",
    }
}

/// The person a query runs for. Built per request from the token and the user's permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    /// The account; no query ever reaches another account's rows.
    pub tenant: TenantId,
    /// The login user.
    pub user: UserId,
    /// The owner ids that stand for this user (usually one).
    pub owner_ids: BTreeSet<OwnerId>,
    /// The user's teams, child teams already included (see [`crate::model::expand_team_ids`]).
    pub team_ids: BTreeSet<TeamId>,
    /// The app's granted OAuth scopes.
    pub scopes: BTreeSet<String>,
    /// View permission per object type; a missing type means [`ObjectPermission::NONE`].
    pub permissions: BTreeMap<ObjectType, ObjectPermission>,
    /// Hidden properties and sensitive-data access.
    pub visibility: Visibility,
}

impl Viewer {
    /// The viewer's permission on `object_type`.
    pub fn permission(&self, object_type: ObjectType) -> ObjectPermission {
        self.permissions
            .get(&object_type)
            .copied()
            .unwrap_or(ObjectPermission::NONE)
    }

    /// Scope first (an app without the scope cannot read, whatever the user may), then permission.
    pub fn availability(&self, object_type: ObjectType) -> Availability {
        if !self.scopes.contains(object_type.read_scope()) {
            Availability::RequiresReauthorization
        } else if self.permission(object_type).view == ViewLevel::None {
            Availability::RequiresPermissionModification
        } else {
            Availability::Available
        }
    }

    /// The object gate: `Ok` when `object_type` is readable.
    pub fn gate(&self, object_type: ObjectType) -> Result<(), AccessDenied> {
        match self.availability(object_type) {
            Availability::Available => Ok(()),
            status => Err(AccessDenied {
                object_type,
                status,
            }),
        }
    }

    /// The properties of `object_type` this viewer may see.
    pub fn schema<'a>(&'a self, catalogue: &'a Catalogue, object_type: ObjectType) -> Schema<'a> {
        Schema::new(catalogue, object_type, &self.visibility)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(scopes: &[&str], perms: &[(ObjectType, ObjectPermission)]) -> Viewer {
        Viewer {
            tenant: TenantId(1),
            user: UserId(1),
            owner_ids: BTreeSet::new(),
            team_ids: BTreeSet::new(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            permissions: perms.iter().copied().collect(),
            visibility: Visibility::default(),
        }
    }

    #[test]
    fn gate_intersects_scope_and_permission() {
        let v = viewer(
            &["crm.objects.deals.read", "crm.objects.contacts.read"],
            &[
                (ObjectType::Deals, ObjectPermission::ALL),
                (ObjectType::Companies, ObjectPermission::ALL),
            ],
        );
        assert_eq!(v.availability(ObjectType::Deals), Availability::Available);
        assert_eq!(
            v.availability(ObjectType::Companies),
            Availability::RequiresReauthorization
        );
        assert_eq!(
            v.availability(ObjectType::Contacts),
            Availability::RequiresPermissionModification
        );
        let err = v.gate(ObjectType::Companies).unwrap_err();
        assert!(err.to_string().contains("REQUIRES_REAUTHORIZATION"));
    }
}
