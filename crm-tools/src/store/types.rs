//! What the store returns.

use std::collections::BTreeMap;

use crate::model::ObjectType;
use crate::sql::SqlValue;

/// One record: its id and the properties the viewer may see that are set (unset ones absent).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The object type.
    pub object_type: ObjectType,
    /// `hs_object_id`.
    pub id: i64,
    /// Visible, set properties by name.
    pub properties: BTreeMap<String, SqlValue>,
}

impl Record {
    /// A property as an integer (ids, epoch-ms dates, integral numbers).
    pub fn integer(&self, name: &str) -> Option<i64> {
        match self.properties.get(name)? {
            SqlValue::Integer(i) => Some(*i),
            // Rounding is exact for the integral values the store writes as REAL.
            #[allow(clippy::cast_possible_truncation, reason = "only integral values")]
            SqlValue::Real(r) if r.fract() == 0.0 => Some(*r as i64),
            _ => None,
        }
    }

    /// A property as text.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.properties.get(name)? {
            SqlValue::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// One page of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    /// The records of the page, in sort order.
    pub records: Vec<Record>,
    /// How many visible records match in all (the `COUNT(*)` under the same `WHERE`).
    pub total: u64,
}

/// One association type on a link, as the v4 API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkType {
    /// `HUBSPOT_DEFINED` or `USER_DEFINED`.
    pub category: String,
    /// The numeric type id.
    pub type_id: i64,
    /// The label, if any.
    pub label: Option<String>,
}

/// A visible association target and the types linking to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssociationLink {
    /// The target's `hs_object_id`.
    pub to_id: i64,
    /// The association types (at least one).
    pub types: Vec<LinkType>,
}

/// One group of an aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateRow {
    /// The group key values, one per group-by property (`Null` for records with it unset).
    pub keys: Vec<SqlValue>,
    /// The metric values, in request order (`Null` for a sum or average over no values).
    pub values: Vec<SqlValue>,
}
