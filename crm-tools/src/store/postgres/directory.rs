//! Reads of the account directory on PostgreSQL: the same queries as the SQLite store's.

use std::collections::{BTreeMap, BTreeSet};

use tokio_postgres::{Client, Row};

use crate::model::{
    ObjectType, Owner, OwnerId, Team, TeamId, TeamMembership, Tenant, TenantId, User, UserId,
    expand_team_ids,
};
use crate::permission::{ObjectPermission, Viewer};
use crate::sql::SqlValue;
use crate::store::StoreError;
use crate::store::viewer::{ViewerRows, object_type, view_level, viewer};

/// An integer column of any integer width (or NULL).
fn opt_int(row: &Row, i: usize) -> Result<Option<i64>, StoreError> {
    match row.try_get::<_, SqlValue>(i)? {
        SqlValue::Null => Ok(None),
        SqlValue::Integer(v) => Ok(Some(v)),
        other => Err(StoreError::Corrupt(format!(
            "expected an integer, found {other:?}"
        ))),
    }
}

fn int(row: &Row, i: usize) -> Result<i64, StoreError> {
    opt_int(row, i)?.ok_or_else(|| StoreError::Corrupt("unexpected NULL".to_owned()))
}

pub(super) async fn tenant(client: &Client, id: TenantId) -> Result<Option<Tenant>, StoreError> {
    let stmt = client
        .prepare("SELECT name, ui_domain FROM tenants WHERE id = $1")
        .await?;
    let Some(r) = client.query_opt(&stmt, &[&id.0]).await? else {
        return Ok(None);
    };
    Ok(Some(Tenant {
        id,
        name: r.try_get(0)?,
        ui_domain: r.try_get(1)?,
    }))
}

pub(super) async fn user(
    client: &Client,
    tenant: TenantId,
    id: UserId,
) -> Result<Option<(User, Option<OwnerId>, bool)>, StoreError> {
    let Some(r) = client
        .query_opt(
            "SELECT email, owner_id, sensitive_ok FROM users WHERE tenant_id = $1 AND id = $2",
            &[&tenant.0, &id.0],
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((
        User {
            id,
            tenant,
            email: r.try_get(0)?,
        },
        opt_int(&r, 1)?.map(OwnerId),
        int(&r, 2)? != 0,
    )))
}

pub(super) async fn teams(client: &Client, tenant: TenantId) -> Result<Vec<Team>, StoreError> {
    let rows = client
        .query(
            "SELECT id, name, parent_id FROM teams WHERE tenant_id = $1 ORDER BY id",
            &[&tenant.0],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Team {
                id: TeamId(int(r, 0)?),
                tenant,
                name: r.try_get(1)?,
                parent: opt_int(r, 2)?.map(TeamId),
            })
        })
        .collect()
}

pub(super) async fn owners(client: &Client, tenant: TenantId) -> Result<Vec<Owner>, StoreError> {
    let mut memberships: BTreeMap<i64, Vec<TeamMembership>> = BTreeMap::new();
    for r in client
        .query(
            "SELECT owner_id, team_id, is_primary FROM team_members WHERE tenant_id = $1 ORDER BY owner_id, team_id",
            &[&tenant.0],
        )
        .await?
    {
        memberships
            .entry(int(&r, 0)?)
            .or_default()
            .push(TeamMembership {
                team_id: TeamId(int(&r, 1)?),
                primary: int(&r, 2)? != 0,
            });
    }
    let rows = client
        .query(
            "SELECT id, email, first_name, last_name, user_id, archived FROM owners WHERE tenant_id = $1 ORDER BY id",
            &[&tenant.0],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let id = int(r, 0)?;
            Ok(Owner {
                id: OwnerId(id),
                tenant,
                email: r.try_get(1)?,
                first_name: r.try_get(2)?,
                last_name: r.try_get(3)?,
                user_id: opt_int(r, 4)?.map(UserId),
                archived: int(r, 5)? != 0,
                teams: memberships.get(&id).cloned().unwrap_or_default(),
            })
        })
        .collect()
}

pub(super) async fn load_viewer(
    client: &Client,
    tenant: TenantId,
    user_id: UserId,
    scopes: &[String],
) -> Result<Option<Viewer>, StoreError> {
    let Some((_, owner, sensitive_ok)) = user(client, tenant, user_id).await? else {
        return Ok(None);
    };
    let mut permissions = BTreeMap::new();
    for r in client
        .query(
            "SELECT object_type, view, unassigned FROM user_permissions WHERE tenant_id = $1 AND user_id = $2",
            &[&tenant.0, &user_id.0],
        )
        .await?
    {
        let t = object_type(r.try_get(0)?)?;
        let view = view_level(r.try_get(1)?)?;
        permissions.insert(
            t,
            ObjectPermission {
                view,
                unassigned: int(&r, 2)? != 0,
            },
        );
    }
    let mut hidden: BTreeMap<ObjectType, BTreeSet<String>> = BTreeMap::new();
    for r in client
        .query(
            "SELECT object_type, property FROM user_hidden_properties WHERE tenant_id = $1 AND user_id = $2",
            &[&tenant.0, &user_id.0],
        )
        .await?
    {
        hidden
            .entry(object_type(r.try_get(0)?)?)
            .or_default()
            .insert(r.try_get(1)?);
    }
    let mut team_ids = BTreeSet::new();
    if let Some(owner) = owner {
        let roots = client
            .query(
                "SELECT team_id FROM team_members WHERE tenant_id = $1 AND owner_id = $2 ORDER BY team_id",
                &[&tenant.0, &owner.0],
            )
            .await?
            .iter()
            .map(|r| Ok(TeamId(int(r, 0)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        team_ids = expand_team_ids(&teams(client, tenant).await?, &roots);
    }
    Ok(Some(viewer(
        tenant,
        user_id,
        scopes,
        ViewerRows {
            owner,
            sensitive_ok,
            permissions,
            hidden,
            team_ids,
        },
    )))
}
