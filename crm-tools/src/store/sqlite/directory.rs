//! Reads of the account directory: tenants, users, owners, teams and the viewer's permissions.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension};

use crate::model::{
    ObjectType, Owner, OwnerId, Team, TeamId, TeamMembership, Tenant, TenantId, User, UserId,
    expand_team_ids,
};
use crate::permission::{ObjectPermission, Viewer};
use crate::store::StoreError;
use crate::store::viewer::{ViewerRows, object_type, view_level, viewer};

pub(super) fn tenant(conn: &Connection, id: TenantId) -> Result<Option<Tenant>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT name, ui_domain FROM tenants WHERE id = ?1")?
        .query_row([id.0], |r| {
            Ok(Tenant {
                id,
                name: r.get(0)?,
                ui_domain: r.get(1)?,
            })
        })
        .optional()?)
}

pub(super) fn user(
    conn: &Connection,
    tenant: TenantId,
    id: UserId,
) -> Result<Option<(User, Option<OwnerId>, bool)>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT email, owner_id, sensitive_ok FROM users WHERE tenant_id = ?1 AND id = ?2",
        )?
        .query_row([tenant.0, id.0], |r| {
            Ok((
                User {
                    id,
                    tenant,
                    email: r.get(0)?,
                },
                r.get::<_, Option<i64>>(1)?.map(OwnerId),
                r.get::<_, bool>(2)?,
            ))
        })
        .optional()?)
}

pub(super) fn teams(conn: &Connection, tenant: TenantId) -> Result<Vec<Team>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT id, name, parent_id FROM teams WHERE tenant_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([tenant.0], |r| {
        Ok(Team {
            id: TeamId(r.get(0)?),
            tenant,
            name: r.get(1)?,
            parent: r.get::<_, Option<i64>>(2)?.map(TeamId),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn owners(conn: &Connection, tenant: TenantId) -> Result<Vec<Owner>, StoreError> {
    let mut memberships: BTreeMap<i64, Vec<TeamMembership>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT owner_id, team_id, is_primary FROM team_members WHERE tenant_id = ?1 ORDER BY owner_id, team_id",
    )?;
    let mut rows = stmt.query([tenant.0])?;
    while let Some(r) = rows.next()? {
        memberships
            .entry(r.get(0)?)
            .or_default()
            .push(TeamMembership {
                team_id: TeamId(r.get(1)?),
                primary: r.get(2)?,
            });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, email, first_name, last_name, user_id, archived FROM owners WHERE tenant_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([tenant.0], |r| {
        let id: i64 = r.get(0)?;
        Ok(Owner {
            id: OwnerId(id),
            tenant,
            email: r.get(1)?,
            first_name: r.get(2)?,
            last_name: r.get(3)?,
            user_id: r.get::<_, Option<i64>>(4)?.map(UserId),
            archived: r.get(5)?,
            teams: memberships.get(&id).cloned().unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn load_viewer(
    conn: &Connection,
    tenant: TenantId,
    user_id: UserId,
    scopes: &[String],
) -> Result<Option<Viewer>, StoreError> {
    let Some((_, owner, sensitive_ok)) = user(conn, tenant, user_id)? else {
        return Ok(None);
    };
    let mut permissions = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT object_type, view, unassigned FROM user_permissions WHERE tenant_id = ?1 AND user_id = ?2",
    )?;
    let mut rows = stmt.query([tenant.0, user_id.0])?;
    while let Some(r) = rows.next()? {
        let t = object_type(&r.get::<_, String>(0)?)?;
        let view = view_level(&r.get::<_, String>(1)?)?;
        permissions.insert(
            t,
            ObjectPermission {
                view,
                unassigned: r.get(2)?,
            },
        );
    }
    let mut hidden: BTreeMap<ObjectType, BTreeSet<String>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT object_type, property FROM user_hidden_properties WHERE tenant_id = ?1 AND user_id = ?2",
    )?;
    let mut rows = stmt.query([tenant.0, user_id.0])?;
    while let Some(r) = rows.next()? {
        hidden
            .entry(object_type(&r.get::<_, String>(0)?)?)
            .or_default()
            .insert(r.get(1)?);
    }
    let mut team_ids = BTreeSet::new();
    if let Some(owner) = owner {
        let roots: Vec<TeamId> = conn
            .prepare_cached(
                "SELECT team_id FROM team_members WHERE tenant_id = ?1 AND owner_id = ?2 ORDER BY team_id",
            )?
            .query_map([tenant.0, owner.0], |r| Ok(TeamId(r.get(0)?)))?
            .collect::<Result<_, _>>()?;
        team_ids = expand_team_ids(&teams(conn, tenant)?, &roots);
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
