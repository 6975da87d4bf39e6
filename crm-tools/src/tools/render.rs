//! How records read to a model: property values as strings (HubSpot's convention), titles,
//! `k: v` text, record URLs.

use std::collections::BTreeMap;

use crate::filter::{format_day, format_instant};
use crate::model::{Catalogue, ObjectType, PropertyType, Tenant};
use crate::sql::SqlValue;
use crate::store::Record;

/// The properties a search shows when none are asked for, per type (reference §7, §9).
pub(super) fn default_properties(object_type: ObjectType) -> &'static [&'static str] {
    match object_type {
        ObjectType::Contacts => &[
            "firstname",
            "lastname",
            "email",
            "phone",
            "company",
            "jobtitle",
            "lifecyclestage",
            "region",
            "createdate",
            "hubspot_owner_id",
        ],
        ObjectType::Companies => &[
            "name",
            "domain",
            "industry",
            "region",
            "lifecyclestage",
            "numberofemployees",
            "annualrevenue",
            "createdate",
            "hubspot_owner_id",
        ],
        ObjectType::Deals => &[
            "dealname",
            "amount",
            "dealstage",
            "pipeline",
            "closedate",
            "createdate",
            "hubspot_owner_id",
        ],
        ObjectType::Tickets => &[
            "subject",
            "hs_pipeline_stage",
            "hs_ticket_priority",
            "hs_ticket_category",
            "createdate",
            "hubspot_owner_id",
        ],
    }
}

/// The last-modified property's name (contacts spell it differently).
pub(super) fn modified_property(object_type: ObjectType) -> &'static str {
    match object_type {
        ObjectType::Contacts => "lastmodifieddate",
        _ => "hs_lastmodifieddate",
    }
}

/// One stored value as text: dates as `YYYY-MM-DD`, instants as RFC 3339, booleans as
/// `true`/`false`, integral numbers without a fraction.
pub(super) fn value_text(kind: PropertyType, value: &SqlValue) -> Option<String> {
    Some(match (kind, value) {
        (_, SqlValue::Null) => return None,
        (PropertyType::Date, SqlValue::Integer(ms)) => format_day(*ms),
        (PropertyType::DateTime, SqlValue::Integer(ms)) => format_instant(*ms),
        (PropertyType::Bool, SqlValue::Integer(i)) => (*i != 0).to_string(),
        (_, SqlValue::Integer(i)) => i.to_string(),
        (_, SqlValue::Real(r)) if r.fract() == 0.0 && r.abs() < 1e15 => format!("{r:.0}"),
        (_, SqlValue::Real(r)) => r.to_string(),
        (_, SqlValue::Text(t)) => t.clone(),
    })
}

/// A record's properties as text, limited to `only` when given (unknown or hidden names are
/// simply absent: the record never had them as far as this viewer can tell).
pub(super) fn properties(
    catalogue: &Catalogue,
    record: &Record,
    only: Option<&[String]>,
) -> BTreeMap<String, String> {
    record
        .properties
        .iter()
        .filter(|(name, _)| only.is_none_or(|o| o.iter().any(|n| n.eq_ignore_ascii_case(name))))
        .filter_map(|(name, value)| {
            let kind = catalogue.property(record.object_type, name)?.kind;
            Some((name.clone(), value_text(kind, value)?))
        })
        .collect()
}

/// The property as text, if set and visible.
pub(super) fn property(catalogue: &Catalogue, record: &Record, name: &str) -> Option<String> {
    let kind = catalogue.property(record.object_type, name)?.kind;
    value_text(kind, record.properties.get(name)?)
}

/// The record's page in the CRM's UI (HubSpot's URL shape).
pub(super) fn url(tenant: &Tenant, object_type: ObjectType, id: i64) -> String {
    format!(
        "https://{}/contacts/{}/record/{}/{id}",
        tenant.ui_domain,
        tenant.id.0,
        object_type.type_id()
    )
}

/// A one-line title: contacts "First Last <email>", companies "Name (domain)", deals
/// "Deal name — $amount, stage", tickets "#id subject".
pub(super) fn title(catalogue: &Catalogue, record: &Record) -> String {
    let get = |name: &str| property(catalogue, record, name);
    let fallback = || format!("{} {}", record.object_type.singular(), record.id);
    let joined = |parts: Vec<String>| {
        let s = parts.join(" ");
        if s.trim().is_empty() { None } else { Some(s) }
    };
    match record.object_type {
        ObjectType::Contacts => {
            let name = joined(
                [get("firstname"), get("lastname")]
                    .into_iter()
                    .flatten()
                    .collect(),
            );
            match (name, get("email")) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (Some(n), None) => n,
                (None, Some(e)) => e,
                (None, None) => fallback(),
            }
        }
        ObjectType::Companies => match (get("name"), get("domain")) {
            (Some(n), Some(d)) => format!("{n} ({d})"),
            (Some(n), None) => n,
            (None, Some(d)) => d,
            (None, None) => fallback(),
        },
        ObjectType::Deals => {
            let mut title = get("dealname").unwrap_or_else(fallback);
            let detail: Vec<String> = [get("amount").map(|a| format!("${a}")), get("dealstage")]
                .into_iter()
                .flatten()
                .collect();
            if !detail.is_empty() {
                title = format!("{title} — {}", detail.join(", "));
            }
            title
        }
        ObjectType::Tickets => match get("subject") {
            Some(s) => format!("#{} {s}", record.id),
            None => fallback(),
        },
    }
}

/// `name: value` lines for `names` (the ones set and visible), in that order.
pub(super) fn text(catalogue: &Catalogue, record: &Record, names: &[&str]) -> String {
    names
        .iter()
        .filter_map(|n| property(catalogue, record, n).map(|v| format!("{n}: {v}")))
        .collect::<Vec<_>>()
        .join("\n")
}
