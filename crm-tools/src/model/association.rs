//! Typed associations between records, shaped like HubSpot's v4 associations API.

use super::ObjectType;

/// Who defined an association type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssociationCategory {
    /// Built into HubSpot.
    HubspotDefined,
    /// Created by the account.
    UserDefined,
}

impl AssociationCategory {
    /// The v4 API spelling (`HUBSPOT_DEFINED`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HubspotDefined => "HUBSPOT_DEFINED",
            Self::UserDefined => "USER_DEFINED",
        }
    }
}

/// One directed association type, e.g. contact → company (primary) = 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssociationType {
    /// The source object type.
    pub from: ObjectType,
    /// The target object type.
    pub to: ObjectType,
    /// HubSpot's numeric type id.
    pub type_id: u32,
    /// The label (`Primary`), or `None` for the unlabelled default.
    pub label: Option<String>,
    /// Who defined it.
    pub category: AssociationCategory,
}

/// A directed link from one record to another, with every type that applies to the pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Association {
    /// The source object type.
    pub from_type: ObjectType,
    /// The source record's `hs_object_id`.
    pub from_id: i64,
    /// The target object type.
    pub to_type: ObjectType,
    /// The target record's `hs_object_id`.
    pub to_id: i64,
    /// The association types of this pair (at least one).
    pub types: Vec<AssociationType>,
}

/// The HubSpot-defined association types between the four object types.
///
/// The type ids are not confirmed against HubSpot (see the reference, §5); they live in this one
/// table so that a correction is a one-line change.
pub fn standard_association_types() -> Vec<AssociationType> {
    use ObjectType::{Companies, Contacts, Deals, Tickets};
    let table: [(ObjectType, ObjectType, u32, Option<&str>); 14] = [
        (Contacts, Companies, 279, None),
        (Contacts, Companies, 1, Some("Primary")),
        (Companies, Contacts, 280, None),
        (Deals, Contacts, 3, None),
        (Contacts, Deals, 4, None),
        (Deals, Companies, 341, None),
        (Deals, Companies, 5, Some("Primary")),
        (Companies, Deals, 342, None),
        (Tickets, Contacts, 16, None),
        (Contacts, Tickets, 15, None),
        (Tickets, Companies, 339, None),
        (Tickets, Companies, 26, Some("Primary")),
        (Deals, Tickets, 27, None),
        (Tickets, Deals, 28, None),
    ];
    table
        .into_iter()
        .map(|(from, to, type_id, label)| AssociationType {
            from,
            to,
            type_id,
            label: label.map(str::to_owned),
            category: AssociationCategory::HubspotDefined,
        })
        .collect()
}
