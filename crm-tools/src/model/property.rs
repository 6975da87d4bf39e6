//! One entry of the property catalogue.

use std::fmt;

/// The value type of a property; it decides which operators and values a filter may use and
/// how the value is stored (text, number, epoch milliseconds, 0/1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyType {
    /// Free text, compared case-insensitively.
    String,
    /// A decimal number.
    Number,
    /// A calendar date, stored as midnight UTC in epoch milliseconds.
    Date,
    /// An instant, stored as epoch milliseconds.
    DateTime,
    /// One of a set of internal values (see [`Property::options`]), compared case-insensitively.
    Enumeration,
    /// `true` or `false`.
    Bool,
}

impl PropertyType {
    /// HubSpot's name for the type (`string`, `number`, `date`, `datetime`, `enumeration`, `bool`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Number => "number",
            Self::Date => "date",
            Self::DateTime => "datetime",
            Self::Enumeration => "enumeration",
            Self::Bool => "bool",
        }
    }

    /// Whether values are ordered, so `lt`/`gt`/`between` make sense.
    pub fn is_ordered(self) -> bool {
        matches!(self, Self::Number | Self::Date | Self::DateTime)
    }

    /// Whether values are dates or instants (parsed as ISO dates, RFC 3339 or epoch ms).
    pub fn is_temporal(self) -> bool {
        matches!(self, Self::Date | Self::DateTime)
    }
}

impl fmt::Display for PropertyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One allowed value of an enumeration property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyOption {
    /// The internal value used in filters and storage (`closedwon`).
    pub value: String,
    /// The human label (`Closed Won`).
    pub label: String,
}

/// A property of an object type, as `get_properties` would describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The internal name (lowercase identifier); also the storage column name.
    pub name: String,
    /// The human label.
    pub label: String,
    /// The value type.
    pub kind: PropertyType,
    /// The allowed values of an enumeration (empty for other types).
    pub options: Vec<PropertyOption>,
    /// Whether free-text `q` searches this property.
    pub searchable: bool,
    /// Hidden from every viewer (never readable, filterable or sortable).
    pub hidden: bool,
    /// Sensitive data: readable only by viewers allowed to see sensitive properties.
    pub sensitive: bool,
    /// Holds an owner id; every such property takes part in own/team record permissions.
    pub owner_reference: bool,
}

impl Property {
    /// A visible, non-searchable property with no options.
    pub fn new(name: &str, label: &str, kind: PropertyType) -> Self {
        Self {
            name: name.to_owned(),
            label: label.to_owned(),
            kind,
            options: Vec::new(),
            searchable: false,
            hidden: false,
            sensitive: false,
            owner_reference: false,
        }
    }

    /// Marks the property as searched by free-text `q`.
    #[must_use]
    pub fn searchable(mut self) -> Self {
        self.searchable = true;
        self
    }

    /// Marks the property as sensitive data.
    #[must_use]
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Marks the property as hidden from every viewer.
    #[must_use]
    pub fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }

    /// Marks the property as an owner reference (used by record permissions).
    #[must_use]
    pub fn owner_reference(mut self) -> Self {
        self.owner_reference = true;
        self
    }

    /// Sets enumeration options from `(value, label)` pairs.
    #[must_use]
    pub fn options(mut self, options: &[(&str, &str)]) -> Self {
        self.options = options
            .iter()
            .map(|(value, label)| PropertyOption {
                value: (*value).to_owned(),
                label: (*label).to_owned(),
            })
            .collect();
        self
    }
}
