//! The four CRM object types the tools expose.

use std::fmt;
use std::str::FromStr;

/// A CRM object type. Only the four types HubSpot's Deep Research connector searches are modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectType {
    /// People (`0-1`).
    Contacts,
    /// Organisations (`0-2`).
    Companies,
    /// Sales opportunities (`0-3`).
    Deals,
    /// Support requests (`0-5`).
    Tickets,
}

/// The error for a string that names no object type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown object type `{0}`; expected one of contacts, companies, deals, tickets")]
pub struct UnknownObjectType(pub String);

impl ObjectType {
    /// All object types, in a stable order.
    pub const ALL: [Self; 4] = [Self::Contacts, Self::Companies, Self::Deals, Self::Tickets];

    /// The plural, lowercase name used in queries, URLs and table names (`contacts`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contacts => "contacts",
            Self::Companies => "companies",
            Self::Deals => "deals",
            Self::Tickets => "tickets",
        }
    }

    /// The singular name (`contact`), accepted as an alias when parsing.
    pub fn singular(self) -> &'static str {
        match self {
            Self::Contacts => "contact",
            Self::Companies => "company",
            Self::Deals => "deal",
            Self::Tickets => "ticket",
        }
    }

    /// HubSpot's object type id (`0-1` for contacts).
    pub fn type_id(self) -> &'static str {
        match self {
            Self::Contacts => "0-1",
            Self::Companies => "0-2",
            Self::Deals => "0-3",
            Self::Tickets => "0-5",
        }
    }

    /// The OAuth scope that grants reading this type (`crm.objects.contacts.read`).
    pub fn read_scope(self) -> &'static str {
        match self {
            Self::Contacts => "crm.objects.contacts.read",
            Self::Companies => "crm.objects.companies.read",
            Self::Deals => "crm.objects.deals.read",
            Self::Tickets => "crm.objects.tickets.read",
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ObjectType {
    type Err = UnknownObjectType;

    /// Parses plural or singular names, case-insensitively (`Contacts`, `contact`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == lower || t.singular() == lower)
            .ok_or_else(|| UnknownObjectType(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plural_singular_and_case() {
        assert_eq!("contacts".parse::<ObjectType>(), Ok(ObjectType::Contacts));
        assert_eq!("Company".parse::<ObjectType>(), Ok(ObjectType::Companies));
        assert!("leads".parse::<ObjectType>().is_err());
    }
}
