//! The `num_associated_*` properties, as the viewer may see them.
//!
//! The stored counts include associated records the viewer cannot see, so a filter, a sort or an
//! aggregate over them would leak those records' existence (reference §6.4). Every read of a
//! count property in compiled SQL therefore goes through [`value`], which counts only visible
//! associated records, like the values the store returns.

use super::association::correlated_links;
use super::builder::Builder;
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
    let (a_to, body) = correlated_links(b, alias, (object_type, to), viewer, catalogue, |_| None);
    format!("(SELECT COUNT(DISTINCT {a_to}) {body})")
}
