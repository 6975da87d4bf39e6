//! The viewers compiled queries run for: an account admin, and a restricted user (team and own
//! levels, a type without access, a hidden property, no sensitive data), so the permission
//! predicate and the column mask vary too.

use std::collections::{BTreeMap, BTreeSet};

use crm_tools::filter::Visibility;
use crm_tools::model::{ObjectType, OwnerId, TeamId, TenantId, UserId};
use crm_tools::permission::{ObjectPermission, ViewLevel, Viewer};

use crate::fixture::all_scopes;

/// Both viewers, of the main demo account.
pub(crate) fn viewers() -> [Viewer; 2] {
    let admin = Viewer {
        tenant: TenantId(1),
        user: UserId(1),
        owner_ids: BTreeSet::from([OwnerId(1)]),
        team_ids: BTreeSet::new(),
        scopes: all_scopes().into_iter().collect(),
        permissions: ObjectType::ALL
            .iter()
            .map(|t| (*t, ObjectPermission::ALL))
            .collect(),
        visibility: Visibility {
            hidden: BTreeMap::new(),
            sensitive_ok: true,
        },
    };
    let restricted = Viewer {
        user: UserId(7),
        owner_ids: BTreeSet::from([OwnerId(7)]),
        team_ids: BTreeSet::from([TeamId(2), TeamId(3)]),
        permissions: BTreeMap::from([
            (
                ObjectType::Contacts,
                ObjectPermission {
                    view: ViewLevel::Team,
                    unassigned: true,
                },
            ),
            (
                ObjectType::Companies,
                ObjectPermission {
                    view: ViewLevel::Own,
                    unassigned: false,
                },
            ),
            (ObjectType::Deals, ObjectPermission::ALL),
            (ObjectType::Tickets, ObjectPermission::NONE),
        ]),
        visibility: Visibility {
            hidden: BTreeMap::from([(ObjectType::Contacts, BTreeSet::from(["phone".to_owned()]))]),
            sensitive_ok: false,
        },
        ..admin.clone()
    };
    [admin, restricted]
}
