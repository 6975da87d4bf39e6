//! The `num_associated_*` properties, as the viewer may see them.
//!
//! The stored counts include associated records the viewer cannot see, so a filter, a sort or an
//! aggregate over them would leak those records' existence (reference §6.4). Every read of a
//! count property in compiled SQL therefore goes through [`value`], which counts only visible
//! associated records, like the values the store returns.

use super::SqlValue;
use super::builder::Builder;
use super::permission::visible;
use crate::model::{Catalogue, ObjectType};
use crate::permission::{Availability, ViewLevel, Viewer};

/// The association-count properties: `(object type, property, the type it counts)`.
pub(crate) const COUNT_PROPERTIES: [(ObjectType, &str, ObjectType); 5] = [
    (
        ObjectType::Contacts,
        "num_associated_deals",
        ObjectType::Deals,
    ),
    (
        ObjectType::Companies,
        "num_associated_contacts",
        ObjectType::Contacts,
    ),
    (
        ObjectType::Companies,
        "num_associated_deals",
        ObjectType::Deals,
    ),
    (
        ObjectType::Deals,
        "num_associated_contacts",
        ObjectType::Contacts,
    ),
    (
        ObjectType::Tickets,
        "hs_num_associated_companies",
        ObjectType::Companies,
    ),
];

/// The type `property` of `object_type` counts, when it is a count property.
fn counted(object_type: ObjectType, property: &str) -> Option<ObjectType> {
    COUNT_PROPERTIES
        .iter()
        .find(|(t, p, _)| *t == object_type && *p == property)
        .map(|(_, _, to)| *to)
}

/// The SQL value of `property` on the row aliased `alias`: the column itself, or for a count
/// property the number of distinct associated records `viewer` can see.
///
/// - No access to the counted type: `0`, as nothing of it is visible.
/// - The viewer sees every record of the counted type: the stored count (unset read as 0), which
///   is then exactly the visible count and costs no subquery per row.
/// - Otherwise a correlated `COUNT(DISTINCT …)` over the associations whose target passes the
///   counted type's row-permission predicate.
pub(super) fn value(
    b: &mut Builder<'_>,
    alias: &str,
    object_type: ObjectType,
    property: &str,
    viewer: &Viewer,
    catalogue: &Catalogue,
) -> String {
    let column = b.column(alias, property);
    let Some(to) = counted(object_type, property) else {
        return column;
    };
    if viewer.availability(to) != Availability::Available {
        return "0".to_owned();
    }
    if viewer.permission(to).view == ViewLevel::All {
        return format!("COALESCE({column}, 0)");
    }
    let (a, t) = (b.alias("a"), b.alias("t"));
    let target_visible = visible(b, &t, to, viewer, catalogue);
    let from_type = b.bind(SqlValue::Text(object_type.as_str().to_owned()));
    let to_type = b.bind(SqlValue::Text(to.as_str().to_owned()));
    format!(
        "(SELECT COUNT(DISTINCT {a_to}) FROM {assoc} {a} JOIN {target} {t} \
         ON {t_tenant} = {a_tenant} AND {t_id} = {a_to} \
         WHERE {a_tenant} = {o_tenant} AND {a_from_type} = {from_type} AND {a_from} = {o_id} \
         AND {a_to_type} = {to_type} AND {target_visible})",
        assoc = b.table("associations"),
        target = b.table(to.as_str()),
        t_tenant = b.column(&t, "tenant_id"),
        t_id = b.column(&t, "hs_object_id"),
        a_tenant = b.column(&a, "tenant_id"),
        a_to = b.column(&a, "to_id"),
        a_from = b.column(&a, "from_id"),
        a_from_type = b.column(&a, "from_type"),
        a_to_type = b.column(&a, "to_type"),
        o_tenant = b.column(alias, "tenant_id"),
        o_id = b.column(alias, "hs_object_id"),
    )
}
