//! Tenants, users, owners and teams.

use std::collections::BTreeSet;

/// An account (HubSpot "hub"); every record belongs to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(pub i64);

/// A login user. Distinct from [`OwnerId`]: records point at owners, not users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// An owner, the value stored in `hubspot_owner_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OwnerId(pub i64);

/// A team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TeamId(pub i64);

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// The hub id.
    pub id: TenantId,
    /// The account name.
    pub name: String,
    /// The UI domain used to build record URLs.
    pub ui_domain: String,
}

/// A login user of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user id.
    pub id: UserId,
    /// The account the user belongs to.
    pub tenant: TenantId,
    /// Login e-mail.
    pub email: String,
}

/// A team an owner belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamMembership {
    /// The team.
    pub team_id: TeamId,
    /// Whether this is the owner's primary team.
    pub primary: bool,
}

/// A record owner, as `search_owners` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The owner id.
    pub id: OwnerId,
    /// The account.
    pub tenant: TenantId,
    /// E-mail.
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The login user behind this owner, if any.
    pub user_id: Option<UserId>,
    /// Deactivated owners are kept for history but are not active.
    pub archived: bool,
    /// Team memberships.
    pub teams: Vec<TeamMembership>,
}

/// A team; enterprise accounts nest teams, and "team" permission includes child teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// The team id.
    pub id: TeamId,
    /// The account.
    pub tenant: TenantId,
    /// The name (`EMEA Sales`).
    pub name: String,
    /// The parent team, if nested.
    pub parent: Option<TeamId>,
}

/// `roots` plus every team below them, transitively; cycles in bad data cannot loop forever.
pub fn expand_team_ids(teams: &[Team], roots: &[TeamId]) -> BTreeSet<TeamId> {
    let mut found: BTreeSet<TeamId> = roots.iter().copied().collect();
    let mut frontier: Vec<TeamId> = roots.to_vec();
    while let Some(parent) = frontier.pop() {
        for team in teams.iter().filter(|t| t.parent == Some(parent)) {
            if found.insert(team.id) {
                frontier.push(team.id);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(id: i64, parent: Option<i64>) -> Team {
        Team {
            id: TeamId(id),
            tenant: TenantId(1),
            name: format!("t{id}"),
            parent: parent.map(TeamId),
        }
    }

    #[test]
    fn expands_children_transitively_and_survives_cycles() {
        let teams = [
            team(1, None),
            team(2, Some(1)),
            team(3, Some(2)),
            team(4, None),
            team(5, Some(5)),
        ];
        let ids: Vec<i64> = expand_team_ids(&teams, &[TeamId(1)])
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(ids, [1, 2, 3]);
        let ids: Vec<i64> = expand_team_ids(&teams, &[TeamId(5)])
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(ids, [5]);
    }
}
