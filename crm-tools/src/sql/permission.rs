//! The row-visibility predicate (reference §6, step 2), as SQL over one table alias.

use super::SqlValue;
use super::builder::Builder;
use crate::model::{Catalogue, ObjectType};
use crate::permission::{Availability, ViewLevel, Viewer};

/// A predicate true for the rows of `object_type` (aliased `alias`) that `viewer` may see: the
/// tenant check, then all / owned / team-owned / unassigned. Every owner-reference property counts,
/// not just `hubspot_owner_id`. Used for the searched table and for association targets, so an
/// invisible associated record behaves as if it did not exist.
pub(super) fn visible(
    b: &mut Builder<'_>,
    alias: &str,
    object_type: ObjectType,
    viewer: &Viewer,
    catalogue: &Catalogue,
) -> String {
    let tenant = format!(
        "{} = {}",
        b.column(alias, "tenant_id"),
        b.bind(SqlValue::Integer(viewer.tenant.0))
    );
    if viewer.availability(object_type) != Availability::Available {
        return format!("({tenant} AND 1 = 0)");
    }
    let permission = viewer.permission(object_type);
    if permission.view == ViewLevel::All {
        return tenant;
    }
    let owner_columns: Vec<String> = catalogue
        .owner_properties(object_type)
        .map(|p| b.column(alias, &p.name))
        .collect();
    let mut any = Vec::new();
    if !viewer.owner_ids.is_empty() {
        for column in &owner_columns {
            let ids = b.bind_list(viewer.owner_ids.iter().map(|o| SqlValue::Integer(o.0)));
            any.push(format!("{column} IN {ids}"));
        }
    }
    if permission.view == ViewLevel::Team && !viewer.team_ids.is_empty() {
        for column in &owner_columns {
            let tm = b.alias("tm");
            let (members, team_id, owner_id, tenant_id) = (
                b.table("team_members"),
                b.column(&tm, "team_id"),
                b.column(&tm, "owner_id"),
                b.column(&tm, "tenant_id"),
            );
            let teams = b.bind_list(viewer.team_ids.iter().map(|t| SqlValue::Integer(t.0)));
            any.push(format!(
                "{column} IN (SELECT {owner_id} FROM {members} {tm} WHERE {tenant_id} = {} AND {team_id} IN {teams})",
                b.column(alias, "tenant_id")
            ));
        }
    }
    if permission.unassigned {
        let unset: Vec<String> = owner_columns
            .iter()
            .map(|c| format!("{c} IS NULL"))
            .collect();
        any.push(if unset.is_empty() {
            "1 = 1".to_owned()
        } else {
            format!("({})", unset.join(" AND "))
        });
    }
    if any.is_empty() {
        any.push("1 = 0".to_owned());
    }
    format!("({tenant} AND ({}))", any.join(" OR "))
}
