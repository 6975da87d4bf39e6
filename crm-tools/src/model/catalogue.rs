//! The property catalogue: which properties each object type has, and lookups over them.

use std::collections::BTreeMap;

use super::{ObjectType, Property, standard};

/// A catalogue that could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// A property name is not a lowercase identifier; it would not be safe as a column name.
    #[error("property name `{0}` is not a lowercase identifier ([a-z][a-z0-9_]*)")]
    InvalidName(String),
    /// A property name collides with a DSL keyword (`sort`, `associated_deals`, …).
    #[error("property name `{0}` is reserved by the query language")]
    Reserved(String),
    /// The same property appears twice for one object type.
    #[error("property `{1}` is defined twice for {0}")]
    Duplicate(ObjectType, String),
    /// An object type lacks `hs_object_id`, which paging and sorting rely on.
    #[error("{0} has no hs_object_id property")]
    MissingId(ObjectType),
}

/// The properties of every object type, validated so that names are safe column identifiers.
///
/// Every property name that reaches SQL is one of these names, never raw user input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    types: BTreeMap<ObjectType, Vec<Property>>,
}

/// Keys the DSL gives a meaning of its own; a property may not use them.
const RESERVED: [&str; 6] = ["object_type", "q", "query", "limit", "offset", "sort"];

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Catalogue {
    /// Builds a catalogue, rejecting names that are not identifiers, reserved, or duplicated.
    pub fn new(types: BTreeMap<ObjectType, Vec<Property>>) -> Result<Self, CatalogueError> {
        for (object_type, properties) in &types {
            let mut seen = std::collections::BTreeSet::new();
            for p in properties {
                if !is_identifier(&p.name) {
                    return Err(CatalogueError::InvalidName(p.name.clone()));
                }
                if RESERVED.contains(&p.name.as_str()) || p.name.starts_with("associated_") {
                    return Err(CatalogueError::Reserved(p.name.clone()));
                }
                if !seen.insert(p.name.as_str()) {
                    return Err(CatalogueError::Duplicate(*object_type, p.name.clone()));
                }
            }
            if !seen.contains("hs_object_id") {
                return Err(CatalogueError::MissingId(*object_type));
            }
        }
        for object_type in ObjectType::ALL {
            if !types.contains_key(&object_type) {
                return Err(CatalogueError::MissingId(object_type));
            }
        }
        Ok(Self { types })
    }

    /// The standard HubSpot properties (plus the custom `region` enum) that the query examples and
    /// the demo data use.
    pub fn standard() -> Self {
        Self {
            types: standard::properties(),
        }
    }

    /// All properties of an object type, in catalogue order (hidden ones included).
    pub fn properties(&self, object_type: ObjectType) -> &[Property] {
        self.types.get(&object_type).map_or(&[], Vec::as_slice)
    }

    /// The property named `name` (case-insensitive) of an object type, hidden ones included.
    pub fn property(&self, object_type: ObjectType, name: &str) -> Option<&Property> {
        self.properties(object_type)
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The properties free-text `q` searches for an object type.
    pub fn searchable(&self, object_type: ObjectType) -> impl Iterator<Item = &Property> {
        self.properties(object_type).iter().filter(|p| p.searchable)
    }

    /// The owner-reference properties of an object type (used by own/team permissions).
    pub fn owner_properties(&self, object_type: ObjectType) -> impl Iterator<Item = &Property> {
        self.properties(object_type)
            .iter()
            .filter(|p| p.owner_reference)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PropertyType;

    #[test]
    fn standard_catalogue_is_valid() {
        let standard = Catalogue::standard();
        assert_eq!(Catalogue::new(standard.types.clone()), Ok(standard));
    }

    #[test]
    fn rejects_unsafe_names() {
        let mut types = standard::properties();
        types
            .entry(ObjectType::Deals)
            .or_default()
            .push(Property::new(
                "x\"; drop table deals; --",
                "bad",
                PropertyType::String,
            ));
        assert!(matches!(
            Catalogue::new(types),
            Err(CatalogueError::InvalidName(_))
        ));
    }

    #[test]
    fn rejects_reserved_and_duplicates() {
        let mut types = standard::properties();
        types
            .entry(ObjectType::Deals)
            .or_default()
            .push(Property::new("sort", "s", PropertyType::String));
        assert!(matches!(
            Catalogue::new(types),
            Err(CatalogueError::Reserved(_))
        ));
        let mut types = standard::properties();
        types
            .entry(ObjectType::Deals)
            .or_default()
            .push(Property::new("amount", "a", PropertyType::Number));
        assert!(matches!(
            Catalogue::new(types),
            Err(CatalogueError::Duplicate(..))
        ));
    }

    #[test]
    fn q_fields_match_the_reference() {
        let c = Catalogue::standard();
        let names = |t| c.searchable(t).map(|p| p.name.as_str()).collect::<Vec<_>>();
        assert_eq!(
            names(ObjectType::Contacts),
            [
                "firstname",
                "lastname",
                "email",
                "phone",
                "company",
                "hs_additional_emails",
                "fax"
            ]
        );
        assert_eq!(
            names(ObjectType::Companies),
            ["name", "website", "domain", "phone"]
        );
        assert_eq!(
            names(ObjectType::Deals),
            [
                "dealname",
                "pipeline",
                "dealstage",
                "description",
                "dealtype"
            ]
        );
        assert_eq!(
            names(ObjectType::Tickets),
            [
                "subject",
                "content",
                "hs_pipeline_stage",
                "hs_ticket_category",
                "hs_ticket_id"
            ]
        );
    }
}
