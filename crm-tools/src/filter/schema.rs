//! What one viewer may see of one object type's properties.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Catalogue, ObjectType, Property};

/// Which properties are hidden from a viewer, per object type, on top of the catalogue's own
/// hidden flags; sensitive properties are hidden unless `sensitive_ok`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    /// Property names (lowercase) hidden from this viewer, per object type.
    pub hidden: BTreeMap<ObjectType, BTreeSet<String>>,
    /// Whether the viewer may read sensitive properties.
    pub sensitive_ok: bool,
}

/// The properties of one object type as one viewer sees them. A hidden property behaves exactly
/// like a nonexistent one, so errors and suggestions cannot reveal it.
#[derive(Debug, Clone, Copy)]
pub struct Schema<'a> {
    catalogue: &'a Catalogue,
    object_type: ObjectType,
    visibility: &'a Visibility,
}

impl<'a> Schema<'a> {
    /// The view of `object_type` for a viewer with `visibility`.
    pub fn new(
        catalogue: &'a Catalogue,
        object_type: ObjectType,
        visibility: &'a Visibility,
    ) -> Self {
        Self {
            catalogue,
            object_type,
            visibility,
        }
    }

    /// The object type.
    pub fn object_type(&self) -> ObjectType {
        self.object_type
    }

    /// The catalogue behind this view.
    pub fn catalogue(&self) -> &'a Catalogue {
        self.catalogue
    }

    /// The visibility rules behind this view.
    pub fn visibility(&self) -> &'a Visibility {
        self.visibility
    }

    fn is_visible(&self, p: &Property) -> bool {
        !p.hidden
            && (!p.sensitive || self.visibility.sensitive_ok)
            && !self
                .visibility
                .hidden
                .get(&self.object_type)
                .is_some_and(|h| h.contains(&p.name))
    }

    /// The visible property named `name` (case-insensitive); `None` if missing or hidden.
    pub fn property(&self, name: &str) -> Option<&'a Property> {
        self.catalogue
            .property(self.object_type, name)
            .filter(|p| self.is_visible(p))
    }

    /// The visible properties, in catalogue order.
    pub fn properties(&self) -> impl Iterator<Item = &'a Property> + '_ {
        self.catalogue
            .properties(self.object_type)
            .iter()
            .filter(|p| self.is_visible(p))
    }

    /// Up to three visible property names nearest to `name` (edit distance, then name order).
    pub fn suggest(&self, name: &str) -> Vec<String> {
        nearest(name, self.properties().map(|p| p.name.as_str()))
    }
}

/// Up to three `candidates` nearest to `name`: a candidate containing `name` (or contained in it)
/// ranks first, then Damerau-Levenshtein distance, then alphabetical order.
pub(crate) fn nearest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<String> {
    let name = name.to_ascii_lowercase();
    let mut scored: Vec<(bool, usize, &str)> = candidates
        .map(|c| {
            let related = !name.is_empty() && (c.contains(&name) || name.contains(c));
            (!related, strsim::damerau_levenshtein(&name, c), c)
        })
        .collect();
    scored.sort_unstable();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored
        .into_iter()
        .take(3)
        .map(|(_, _, c)| c.to_owned())
        .collect()
}
