//! The demo accounts: tenants, teams (with a parent team), owners and users holding every
//! permission level.

use super::SeedError;
use super::load::Sink;
use crate::sql::SqlValue;

use crate::model::ObjectType;

/// The main demo account (full scale, with the planted signals).
pub const MAIN_TENANT: i64 = 1;
/// A second, smaller account that reuses the same record, owner and user ids, so that a
/// cross-tenant leak would show up as a wrong answer rather than pass unnoticed.
pub const OTHER_TENANT: i64 = 2;

/// Team ids: a parent `Sales` team with three regional children, and `Support`.
pub(crate) const TEAMS: [(i64, &str, Option<i64>); 5] = [
    (1, "Sales", None),
    (2, "NA Sales", Some(1)),
    (3, "EMEA Sales", Some(1)),
    (4, "APAC+LATAM Sales", Some(1)),
    (5, "Support", None),
];

/// (owner id, first, last, team, user id). Region `i` of the text tables is served by team
/// `REGION_TEAM[i]`.
pub(crate) const OWNERS: [(i64, &str, &str, i64, Option<i64>); 12] = [
    (1001, "Nora", "Hale", 2, Some(4)),
    (1002, "Sam", "Ortiz", 2, None),
    (1003, "Jae", "Park", 2, None),
    (1004, "Inès", "Lefèvre", 3, Some(3)),
    (1005, "Tom", "O'Neill", 3, None),
    (1006, "Greta", "Schäfer", 3, None),
    (1007, "Arjun", "Mehta", 4, Some(5)),
    (1008, "Lucía", "Ramos", 4, None),
    (1009, "Dana", "Fox", 5, Some(7)),
    (1010, "Ola", "Berg", 5, None),
    (1011, "Morgan", "Reyes", 1, Some(2)),
    (1012, "Former", "Employee", 2, None),
];

/// The owner that left: kept (archived) and never assigned records.
pub(crate) const ARCHIVED_OWNER: i64 = 1012;

/// Region index → sales team.
pub(crate) const REGION_TEAM: [i64; 4] = [2, 3, 4, 4];

/// A demo login user and what it may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoUser {
    /// The account.
    pub tenant: i64,
    /// The user id.
    pub id: i64,
    /// Login e-mail (also a handy name for `--user`).
    pub email: &'static str,
    /// The owner standing for the user, if any.
    pub owner: Option<i64>,
    /// What the user is for.
    pub description: &'static str,
}

/// Every demo user, admin first.
pub const DEMO_USERS: [DemoUser; 8] = [
    DemoUser {
        tenant: 1,
        id: 1,
        email: "admin@northwind.example",
        owner: None,
        description: "view all, every object",
    },
    DemoUser {
        tenant: 1,
        id: 2,
        email: "manager@northwind.example",
        owner: Some(1011),
        description: "team (Sales and its child teams) + unassigned",
    },
    DemoUser {
        tenant: 1,
        id: 3,
        email: "emea.rep@northwind.example",
        owner: Some(1004),
        description: "team (EMEA Sales), without unassigned",
    },
    DemoUser {
        tenant: 1,
        id: 4,
        email: "na.rep@northwind.example",
        owner: Some(1001),
        description: "own + unassigned",
    },
    DemoUser {
        tenant: 1,
        id: 5,
        email: "apac.rep@northwind.example",
        owner: Some(1007),
        description: "own, without unassigned",
    },
    DemoUser {
        tenant: 1,
        id: 6,
        email: "analyst@northwind.example",
        owner: None,
        description: "view all, contact email/phone and deal amount hidden",
    },
    DemoUser {
        tenant: 1,
        id: 7,
        email: "support@northwind.example",
        owner: Some(1009),
        description: "tickets team + unassigned, contacts/companies own, no deals",
    },
    DemoUser {
        tenant: 2,
        id: 1,
        email: "admin@globex.example",
        owner: Some(1001),
        description: "second account's admin, view all",
    },
];

fn permissions(tenant: i64, user: i64) -> Vec<(ObjectType, &'static str, bool)> {
    use ObjectType::{Companies, Contacts, Deals, Tickets};
    let uniform = |view, unassigned| {
        ObjectType::ALL
            .iter()
            .map(|t| (*t, view, unassigned))
            .collect::<Vec<_>>()
    };
    match (tenant, user) {
        (1, 2) => uniform("team", true),
        (1, 3) => uniform("team", false),
        (1, 4) => uniform("own", true),
        (1, 5) => uniform("own", false),
        (1, 7) => vec![
            (Tickets, "team", true),
            (Contacts, "own", false),
            (Companies, "own", false),
            (Deals, "none", false),
        ],
        _ => uniform("all", true),
    }
}

fn hidden(tenant: i64, user: i64) -> &'static [(ObjectType, &'static str)] {
    if (tenant, user) == (1, 6) {
        &[
            (ObjectType::Contacts, "email"),
            (ObjectType::Contacts, "phone"),
            (ObjectType::Deals, "amount"),
        ]
    } else {
        &[]
    }
}

/// Writes both accounts' directory rows. The second account has the first four owners only.
pub(crate) fn write(sink: &mut dyn Sink) -> Result<(), SeedError> {
    let (int, text) = (SqlValue::Integer, |s: &str| SqlValue::Text(s.to_owned()));
    let opt = |v: Option<i64>| v.map_or(SqlValue::Null, SqlValue::Integer);
    for (tenant, name, domain) in [
        (MAIN_TENANT, "Northwind Demo", "app.northwind.example"),
        (OTHER_TENANT, "Globex Demo", "app.globex.example"),
    ] {
        sink.directory(
            "tenants",
            &["id", "name", "ui_domain"],
            &[int(tenant), text(name), text(domain)],
        )?;
        for (id, team, parent) in TEAMS {
            sink.directory(
                "teams",
                &["tenant_id", "id", "name", "parent_id"],
                &[int(tenant), int(id), text(team), opt(parent)],
            )?;
        }
        let owners = if tenant == MAIN_TENANT {
            &OWNERS[..]
        } else {
            &OWNERS[..4]
        };
        let slug = if tenant == MAIN_TENANT {
            "northwind"
        } else {
            "globex"
        };
        for (id, first, last, team, user) in owners {
            let email = format!("owner{id}@{slug}.example");
            let user = if tenant == MAIN_TENANT { *user } else { None };
            sink.directory(
                "owners",
                &[
                    "tenant_id",
                    "id",
                    "email",
                    "first_name",
                    "last_name",
                    "user_id",
                    "archived",
                ],
                &[
                    int(tenant),
                    int(*id),
                    text(&email),
                    text(first),
                    text(last),
                    opt(user),
                    int(i64::from(*id == ARCHIVED_OWNER)),
                ],
            )?;
            sink.directory(
                "team_members",
                &["tenant_id", "team_id", "owner_id", "is_primary"],
                &[int(tenant), int(*team), int(*id), int(1)],
            )?;
        }
    }
    for u in DEMO_USERS {
        sink.directory(
            "users",
            &["tenant_id", "id", "email", "owner_id", "sensitive_ok"],
            &[
                int(u.tenant),
                int(u.id),
                text(u.email),
                opt(u.owner),
                int(i64::from(u.id == 1)),
            ],
        )?;
        for (t, view, unassigned) in permissions(u.tenant, u.id) {
            sink.directory(
                "user_permissions",
                &["tenant_id", "user_id", "object_type", "view", "unassigned"],
                &[
                    int(u.tenant),
                    int(u.id),
                    text(t.as_str()),
                    text(view),
                    int(i64::from(unassigned)),
                ],
            )?;
        }
        for (t, property) in hidden(u.tenant, u.id) {
            sink.directory(
                "user_hidden_properties",
                &["tenant_id", "user_id", "object_type", "property"],
                &[int(u.tenant), int(u.id), text(t.as_str()), text(property)],
            )?;
        }
    }
    Ok(())
}
