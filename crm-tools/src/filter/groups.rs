//! Checking a whole `filterGroups` input (the `search_crm_objects` surface): the group and filter
//! caps, then every filter through the same [`check_filter`] the DSL uses.

use super::{
    FilterError, FilterGroup, MAX_API_FILTERS_PER_GROUP, MAX_FILTERS_TOTAL, MAX_GROUPS, RawFilter,
    Schema, check_filter,
};

/// Why a `filterGroups` input was rejected; group and filter indexes count from 0.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupsError {
    /// More than [`MAX_GROUPS`] groups.
    #[error("at most {MAX_GROUPS} filterGroups, got {0}")]
    TooManyGroups(usize),
    /// A group with no filters (it would match everything, which is surely not meant).
    #[error("filterGroups[{0}] has no filters")]
    EmptyGroup(usize),
    /// A group over [`MAX_API_FILTERS_PER_GROUP`].
    #[error("filterGroups[{0}] has more than {MAX_API_FILTERS_PER_GROUP} filters")]
    TooManyInGroup(usize),
    /// More than [`MAX_FILTERS_TOTAL`] filters across the groups.
    #[error("at most {MAX_FILTERS_TOTAL} filters across all filterGroups, got {0}")]
    TooManyFilters(usize),
    /// One filter failed its check.
    #[error("filterGroups[{group}].filters[{index}]: {error}")]
    Filter {
        /// The group.
        group: usize,
        /// The filter within the group.
        index: usize,
        /// What was wrong with it.
        error: FilterError,
    },
}

/// Checks OR-ed groups of AND-ed raw filters into IR groups.
pub fn check_groups(
    schema: &Schema<'_>,
    groups: &[Vec<RawFilter>],
) -> Result<Vec<FilterGroup>, GroupsError> {
    if groups.len() > MAX_GROUPS {
        return Err(GroupsError::TooManyGroups(groups.len()));
    }
    let total: usize = groups.iter().map(Vec::len).sum();
    if total > MAX_FILTERS_TOTAL {
        return Err(GroupsError::TooManyFilters(total));
    }
    groups
        .iter()
        .enumerate()
        .map(|(group, raws)| {
            if raws.is_empty() {
                return Err(GroupsError::EmptyGroup(group));
            }
            if raws.len() > MAX_API_FILTERS_PER_GROUP {
                return Err(GroupsError::TooManyInGroup(group));
            }
            let filters = raws
                .iter()
                .enumerate()
                .map(|(index, raw)| {
                    check_filter(schema, raw).map_err(|error| GroupsError::Filter {
                        group,
                        index,
                        error,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(FilterGroup { filters })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Operator, Visibility};
    use crate::model::{Catalogue, ObjectType};

    fn raw(property: &str, op: Operator, value: &str) -> RawFilter {
        RawFilter {
            property: property.to_owned(),
            operator: op,
            values: vec![value.to_owned()],
        }
    }

    #[test]
    fn caps_and_positions() {
        let catalogue = Catalogue::standard();
        let vis = Visibility::default();
        let schema = Schema::new(&catalogue, ObjectType::Deals, &vis);
        let ok = vec![
            vec![raw("amount", Operator::Gt, "5")],
            vec![raw("dealstage", Operator::Eq, "closedwon")],
        ];
        assert_eq!(check_groups(&schema, &ok).map(|g| g.len()), Ok(2));
        let six = vec![raw("amount", Operator::Gt, "5"); 6];
        assert!(check_groups(&schema, std::slice::from_ref(&six)).is_ok());
        let seven = vec![raw("amount", Operator::Gt, "5"); 7];
        assert_eq!(
            check_groups(&schema, &[seven]),
            Err(GroupsError::TooManyInGroup(0))
        );
        assert_eq!(
            check_groups(&schema, &vec![six.clone(); 4]),
            Err(GroupsError::TooManyFilters(24))
        );
        assert_eq!(
            check_groups(&schema, &vec![vec![raw("amount", Operator::Gt, "5")]; 6]),
            Err(GroupsError::TooManyGroups(6))
        );
        assert_eq!(
            check_groups(&schema, &[vec![]]),
            Err(GroupsError::EmptyGroup(0))
        );
        let bad = vec![
            vec![raw("amount", Operator::Gt, "5")],
            vec![
                raw("amount", Operator::Gt, "5"),
                raw("amont", Operator::Gt, "5"),
            ],
        ];
        assert!(matches!(
            check_groups(&schema, &bad),
            Err(GroupsError::Filter {
                group: 1,
                index: 1,
                ..
            })
        ));
    }

    #[test]
    fn unknown_enumeration_values_are_errors_on_this_surface_too() {
        let catalogue = Catalogue::standard();
        let vis = Visibility::default();
        let schema = Schema::new(&catalogue, ObjectType::Deals, &vis);
        for op in [Operator::Eq, Operator::Neq, Operator::In, Operator::NotIn] {
            let e = check_groups(&schema, &[vec![raw("dealstage", op, "closedwn")]]);
            assert!(
                matches!(
                    e,
                    Err(GroupsError::Filter {
                        error: FilterError::UnknownOption { .. },
                        ..
                    })
                ),
                "{op}: {e:?}"
            );
        }
        assert!(
            check_groups(
                &schema,
                &[vec![raw("dealstage", Operator::In, "Closed Won")]]
            )
            .is_ok()
        );
    }
}
